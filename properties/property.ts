// Properties are data. The explorer checks the safety kinds on every state it stores; the checker's front
// end turns a model's declarations into these.

export type StatePredicate = (s: Uint32Array) => boolean;

export type SafetyProperty =
  /** Holds in every reachable state (an `invariant`). */
  | { kind: "always"; name: string; test: StatePredicate }
  /** Holds in some reachable state (a `reachable` check against vacuity). */
  | { kind: "sometimes"; name: string; test: StatePredicate };

export type Verdict = "HOLDS" | "VIOLATED" | "INCOMPLETE" | "REACHED" | "UNREACHABLE";
