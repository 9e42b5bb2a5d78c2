// The one interface the explorer depends on: a transition system over packed states. It knows nothing of
// the language; compiled models and the tests' hand-written systems both implement it.

export interface TransitionSystem {
  readonly stateWords: number;
  initial(): Uint32Array;
  /**
   * Calls `emit` once per successor of `s`. The buffer passed to `emit` is scratch: copy it before the next
   * call. Returns how many of the successors are steps of threads (the rest are injected faults); a state
   * with no thread step that is not a valid end state is a deadlock. A step that fails (an assertion or a
   * runtime error) emits nothing and is reported to `fault` with the label of the failing step; the other
   * successors are still emitted.
   */
  successors(s: Uint32Array, emit: (next: Uint32Array) => void, fault: (f: ModelFault) => void): number;
  /** Whether every thread is where it may rightly stop (finished, or at an `end` label). */
  isValidEnd(s: Uint32Array): boolean;
  /**
   * Partial-order reduction (optional): the number of threads; whether thread `t`'s step from `s` may alone
   * be an ample set (it is independent of every other transition, invisible to the properties, and nothing
   * else of `t` is enabled): 0 no, 1 yes, 2 yes if its successors pass the cycle proviso (the step may lie
   * on a cycle of such steps; the explorer checks the proviso); and the successors of that step alone.
   */
  readonly threadCount?: number;
  stepIndependent?(s: Uint32Array, t: number): number;
  threadSuccessors?(
    s: Uint32Array,
    t: number,
    emit: (next: Uint32Array) => void,
    fault: (f: ModelFault) => void,
  ): number;
  /**
   * Symmetry reduction (optional): replaces `s`, in place, by the canonical representative of its class of
   * states equal up to renaming interchangeable threads. The explorer stores representatives only; the
   * buffer it passes is the scratch buffer `successors` emitted.
   */
  canonicalize?(s: Uint32Array): void;
  /** State predicates, by name, that properties refer to. */
  readonly predicates: ReadonlyMap<string, (s: Uint32Array) => boolean>;
}

/** An error raised while executing a step: a failed `assert` (a kernel BUG()) or a runtime error. */
export class ModelFault extends Error {
  constructor(
    message: string,
    readonly kind: "assert" | "runtime",
  ) {
    super(message);
  }
}
