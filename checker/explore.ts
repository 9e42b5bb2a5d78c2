// The explicit-state explorer. It sees only a TransitionSystem and a list of safety properties: it stores
// every reachable state once, checks the properties on each new state, and records the first state that
// decides each one. Breadth-first by default, so the first violation found has a shortest trace.
import type { SafetyProperty } from "../properties/property.js";
import { StateStore } from "./store.js";
import { ModelFault, type TransitionSystem } from "./system.js";

export interface ExploreOptions {
  order: "bfs" | "dfs";
  maxStates: number;
  maxDepth: number;
  maxMemoryBytes: number;
  checkDeadlock: boolean;
  /** Explore every state even once every property is decided (liveness and cost counters need the whole
   *  graph). */
  exhaustive: boolean;
  /** Partial-order reduction, when the transition system supports it (sound for invariants, reachability,
   *  assertions and deadlock; not for liveness). */
  por: boolean;
  /** Tree-compress stored states: about half the memory per state, a slower search. */
  compressStates?: boolean;
  /** How many states the search is expected to store: the store is sized for them from the start (no
   *  growth on the way), as far as the memory bound allows. Only a size; the search is the same. */
  expectStates?: number;
  /** Called every so often with the figures so far (for a progress line). */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  states: number;
  transitions: number;
  depth: number;
  elapsedMs: number;
  bytes: number;
}

export interface FaultRecord {
  parent: number; // the state the failing step started from
  message: string;
  kind: "assert" | "runtime";
  label: unknown; // what the transition system said about the failing step (e.g. its thread and pc)
}

export interface ExploreResult {
  store: StateStore;
  states: number;
  transitions: number;
  depth: number; // deepest level reached (BFS) / longest stack (DFS)
  elapsedMs: number;
  complete: boolean;
  stopReason: string | null; // why the search ended early (a bound), null when exhaustive
  /** For each property: the first state found that violates (always) or satisfies (sometimes) it. */
  decided: Map<string, number>;
  deadlock: number | null;
  faults: FaultRecord[]; // first assertion failure and first runtime error
  reducedStates: number; // states expanded with one thread's independent step only (partial-order reduction)
  /** How many states were stored when the store switched to tree compression to stay within the memory
   *  bound; null if it did not. */
  compressedFrom: number | null;
}

export const DEFAULT_OPTIONS: ExploreOptions = {
  order: "bfs",
  maxStates: Number.MAX_SAFE_INTEGER,
  maxDepth: Number.MAX_SAFE_INTEGER,
  maxMemoryBytes: 4 * 2 ** 30,
  checkDeadlock: true,
  exhaustive: false,
  por: false,
};

export function explore(
  sys: TransitionSystem,
  properties: SafetyProperty[],
  options: Partial<ExploreOptions> = {},
  faultLabel: () => unknown = () => null,
): ExploreResult {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const start = performance.now();
  let store = new StateStore(sys.stateWords, initialCapacity(opts, sys.stateWords), {
    compress: opts.compressStates === true,
  });
  let compressedFrom: number | null = null; // when the store switched to tree compression (memory bound)
  const decided = new Map<string, number>();
  const faults: FaultRecord[] = [];
  let deadlock: number | null = null;
  let transitions = 0;
  let stopReason: string | null = null;
  let depth = 0;
  let reduced = 0; // states expanded with one thread's step only

  const undecided = () =>
    opts.exhaustive ||
    decided.size < properties.length ||
    (opts.checkDeadlock && deadlock === null) ||
    faults.length < 2;
  let undecidedProps = properties.slice(); // the properties not decided yet: only these are tested on new states
  const check = (s: Uint32Array, idx: number) => {
    let decidedNow = false;
    for (const p of undecidedProps) {
      const v = p.test(s);
      if (p.kind === "always" ? !v : v) {
        decided.set(p.name, idx);
        decidedNow = true;
      }
    }
    if (decidedNow) undecidedProps = undecidedProps.filter((p) => !decided.has(p.name));
  };

  const init = sys.initial();
  store.insert(init, -1);
  check(init, 0);

  let current = 0;
  const cur = new Uint32Array(sys.stateWords);
  const dfs = opts.order === "dfs";
  let added: number[] = []; // depth-first: the new successors of the state being expanded
  /** Stores a successor that is already a representative (under symmetry reduction). */
  const add = (next: Uint32Array) => {
    transitions++;
    const r = store.insert(next, current);
    if (r < 0) {
      const idx = ~r;
      check(next, idx);
      if (dfs) added.push(idx);
    }
  };
  const emit = (next: Uint32Array) => {
    sys.canonicalize?.(next); // symmetry reduction: store one state per class of symmetric states
    add(next);
  };
  const fault = (f: ModelFault) => {
    if (faults.some((x) => x.kind === f.kind)) return;
    faults.push({ parent: current, message: f.message, kind: f.kind, label: faultLabel() });
  };

  let memoryCheckAt = 0; // the memory bound is tested again once this many states are stored
  const bounded = (): boolean => {
    if (store.count >= opts.maxStates) {
      stopReason = `the state bound was reached (--max-states ${opts.maxStates})`;
      return true;
    }
    if (store.count < memoryCheckAt) return false; // nothing grows before
    let compressedSmaller = false; // whether tree-compressed states took less memory than plain ones
    if (store.nextGrowthBytes() > opts.maxMemoryBytes && !store.compressed && sys.stateWords >= 3) {
      // tree-compressed states may take less memory: go on with them rather than stop
      const { copy, smaller } = store.compressedCopy(opts.maxMemoryBytes);
      compressedSmaller = smaller;
      if (copy !== null) {
        store = copy;
        compressedFrom = store.count;
      }
    }
    if (store.nextGrowthBytes() > opts.maxMemoryBytes) {
      const hint = !store.compressed && compressedSmaller ? "; --compress stores states in less memory" : "";
      stopReason = `the memory bound was reached (--max-memory ${Math.round(opts.maxMemoryBytes / 2 ** 20)} MiB${hint})`;
      return true;
    }
    memoryCheckAt = store.count + store.room();
    return false;
  };

  let lastProgress = start;
  const progress = () => {
    if (opts.onProgress === undefined) return;
    const now = performance.now();
    if (now - lastProgress < 250) return;
    lastProgress = now;
    opts.onProgress({ states: store.count, transitions, depth, elapsedMs: now - start, bytes: store.bytes });
  };

  // Partial-order reduction: expand only one thread's independent step. Where that step may lie on a cycle of
  // independent steps (the system says so: 2), its successors must pass the cycle proviso (C3: every cycle of
  // the reduced graph has a fully expanded state): none may be stored no later than the state expanded. On
  // any cycle the state stored last has an edge to one stored earlier, so it is expanded fully; this holds in
  // any search order. Elsewhere (1) no cycle of ample sets can pass through the step (por.ts).
  const threads = opts.por && sys.stepIndependent && sys.threadSuccessors ? (sys.threadCount ?? 0) : 0;
  const W = sys.stateWords;
  let scratch = new Uint32Array(W * 4);
  let pending = 0;
  const collect = (next: Uint32Array) => {
    if ((pending + 1) * W > scratch.length) {
      const grown = new Uint32Array(scratch.length * 2);
      grown.set(scratch);
      scratch = grown;
    }
    scratch.set(next.length === W ? next : next.subarray(0, W), pending * W);
    sys.canonicalize?.(scratch.subarray(pending * W, (pending + 1) * W)); // the proviso looks up representatives
    pending++;
  };
  const reduce = (i: number): boolean => {
    for (let t = 0; t < threads; t++) {
      const kind = sys.stepIndependent!(cur, t);
      if (kind === 0) continue;
      if (kind === 1) {
        const before = transitions;
        sys.threadSuccessors!(cur, t, emit, fault);
        if (transitions === before) continue; // blocked, or its step failed: not an ample set
        reduced++;
        return true;
      }
      pending = 0;
      sys.threadSuccessors!(cur, t, collect, fault);
      if (pending === 0) continue; // blocked, or its step failed: not an ample set
      let proviso = true;
      for (let k = 0; k < pending && proviso; k++) {
        const idx = store.lookup(scratch.subarray(k * W, (k + 1) * W));
        proviso = idx < 0 || idx > i;
      }
      if (!proviso) continue;
      const n = pending;
      for (let k = 0; k < n; k++) add(scratch.subarray(k * W, (k + 1) * W)); // representatives already
      reduced++;
      return true;
    }
    return false;
  };

  const expand = (i: number): void => {
    current = i;
    store.copyTo(i, cur);
    if (dfs) added = [];
    if (threads > 0 && reduce(i)) return;
    const steps = sys.successors(cur, emit, fault);
    if (steps === 0 && opts.checkDeadlock && deadlock === null && !sys.isValidEnd(cur)) deadlock = i;
  };

  if (opts.order === "bfs") {
    let levelEnd = 1;
    for (let i = 0; i < store.count; i++) {
      if (i === levelEnd) {
        depth++;
        levelEnd = store.count;
      }
      if (!undecided()) break;
      if (depth >= opts.maxDepth) {
        stopReason = `the depth bound was reached (--max-depth ${opts.maxDepth})`;
        break;
      }
      if (bounded()) break;
      expand(i);
      if ((i & 1023) === 0) progress();
    }
  } else {
    const stack: number[] = [0];
    const depths: number[] = [0];
    while (stack.length > 0) {
      if (!undecided()) break;
      const i = stack.pop()!;
      const d = depths.pop()!;
      depth = Math.max(depth, d);
      if (d >= opts.maxDepth) {
        stopReason = `the depth bound was reached (--max-depth ${opts.maxDepth})`;
        continue;
      }
      if (bounded()) break;
      expand(i);
      for (let k = added.length - 1; k >= 0; k--) {
        stack.push(added[k]);
        depths.push(d + 1);
      }
      if ((store.count & 1023) === 0) progress();
    }
  }
  const elapsedMs = performance.now() - start;
  // Stopping because every property was decided is not a bound: the verdicts are final.
  const complete = stopReason === null;
  return {
    store,
    states: store.count,
    transitions,
    depth,
    elapsedMs,
    complete,
    stopReason,
    decided,
    deadlock,
    faults,
    reducedStates: reduced,
    compressedFrom,
  };
}

const DEFAULT_CAPACITY = 1 << 16;

/** The store's first capacity: the expected state count, if any, while the store sized for it takes at
 *  most half the memory bound (per state at most: 4 × 2 bytes of hash slots, the table being rounded up to
 *  a power of two; as many arena words again; a parent link). */
function initialCapacity(opts: ExploreOptions, words: number): number {
  // (options given as undefined are undefined here too)
  let c = Math.max(DEFAULT_CAPACITY, Math.min(opts.expectStates ?? 0, opts.maxStates ?? Infinity));
  while (c > DEFAULT_CAPACITY && c * (9 + 8 * words) * 2 > (opts.maxMemoryBytes ?? Infinity)) c = Math.floor(c / 2);
  return c;
}
