// The explorer on hand-written transition systems (no language involved): exact state and transition
// counts derived by hand, shortest paths breadth-first, the same state set depth-first, the bounds (which
// must end in `complete: false` with a reason, never in a complete result), deadlocks, faults reported
// through the `fault` callback, and the state at which each property is decided.
import { describe, expect, it } from "vitest";
import { explore, type ExploreOptions, type ExploreResult } from "../../checker/explore.js";
import { StateStore } from "../../checker/store.js";
import { ModelFault, type TransitionSystem } from "../../checker/system.js";
import type { SafetyProperty } from "../../properties/property.js";

/** A successor: a thread step, an injected fault (not a step), or a failing step. */
type Succ = number[] | { inject: number[] } | ModelFault;

function system(spec: {
  words: number;
  initial: number[];
  next: (s: number[]) => Succ[];
  validEnd?: (s: number[]) => boolean;
}): TransitionSystem & { calls: number } {
  return {
    stateWords: spec.words,
    calls: 0,
    initial: () => Uint32Array.from(spec.initial),
    successors(s, emit, fault) {
      this.calls++;
      let steps = 0;
      for (const x of spec.next([...s])) {
        if (x instanceof ModelFault) fault(x);
        else if (Array.isArray(x)) {
          steps++;
          emit(Uint32Array.from(x));
        } else emit(Uint32Array.from(x.inject));
      }
      return steps;
    },
    isValidEnd: (s) => (spec.validEnd ?? (() => false))([...s]),
    predicates: new Map(),
  };
}

const always = (name: string, test: (s: number[]) => boolean): SafetyProperty => ({
  kind: "always",
  name,
  test: (s) => test([...s]),
});
const sometimes = (name: string, test: (s: number[]) => boolean): SafetyProperty => ({
  kind: "sometimes",
  name,
  test: (s) => test([...s]),
});

/** 0 → 1 → … → n; n has no successor. */
const counter = (n: number, validEnd = false) =>
  system({ words: 1, initial: [0], next: ([k]) => (k < n ? [[k + 1]] : []), validEnd: () => validEnd });

/** A w×h grid, moving one cell in each of the four directions. */
function grid(w: number, h: number) {
  return system({
    words: 2,
    initial: [0, 0],
    next: ([x, y]) => {
      const out: number[][] = [];
      if (x + 1 < w) out.push([x + 1, y]);
      if (y + 1 < h) out.push([x, y + 1]);
      if (x > 0) out.push([x - 1, y]);
      if (y > 0) out.push([x, y - 1]);
      return out;
    },
    validEnd: () => true,
  });
}

const statesOf = (r: ExploreResult) => {
  const out = new Set<string>();
  for (let i = 0; i < r.states; i++) out.add([...r.store.get(i)].join(","));
  return out;
};
const pathStates = (r: ExploreResult, idx: number) => r.store.path(idx).map((i) => [...r.store.get(i)]);

describe("exhaustive exploration", () => {
  it("counter 0..10: 11 states, 10 transitions, depth 10, a deadlock at 10 unless it is a valid end", () => {
    for (const order of ["bfs", "dfs"] as const) {
      const r = explore(counter(10), [], { order });
      expect(r).toMatchObject({ states: 11, transitions: 10, depth: 10, complete: true, stopReason: null });
      expect(r.deadlock).toBe(10);
      expect([...r.store.get(10)]).toEqual([10]);
      expect(r.faults).toEqual([]);
      const ok = explore(counter(10, true), [], { order });
      expect(ok.deadlock).toBeNull();
      expect(ok.states).toBe(11);
    }
  });

  it("with checkDeadlock off, a state without successors is not a deadlock", () => {
    expect(explore(counter(3), [], { checkDeadlock: false }).deadlock).toBeNull();
  });

  it("a 6×5 grid with 4-neighbour moves: 30 states, 98 transitions, breadth-first depth 9", () => {
    // transitions: every cell emits one transition per neighbour; horizontal adjacencies 5·5 = 25 and vertical
    // ones 6·4 = 24, each walked both ways: 2·49 = 98. The farthest cell (5,4) is 5 + 4 = 9 moves away.
    const r = explore(grid(6, 5), []);
    expect(r).toMatchObject({ states: 30, transitions: 98, depth: 9, complete: true, deadlock: null });
    const d = explore(grid(6, 5), [], { order: "dfs" });
    expect(d).toMatchObject({ states: 30, transitions: 98, complete: true, deadlock: null });
    expect(d.depth).toBeGreaterThanOrEqual(9);
    expect(statesOf(d)).toEqual(statesOf(r));
  });

  it("expands every state exactly once", () => {
    const sys = grid(4, 4);
    explore(sys, []);
    expect(sys.calls).toBe(16);
    const sys2 = grid(4, 4);
    explore(sys2, [], { order: "dfs" });
    expect(sys2.calls).toBe(16);
  });

  it("counts duplicate successors and injected successors as transitions", () => {
    // 0 emits 1 twice and 2 as an injected fault; 1 and 2 end.
    const sys = system({
      words: 1,
      initial: [0],
      next: ([k]) => (k === 0 ? [[1], [1], { inject: [2] }] : []),
      validEnd: () => true,
    });
    const r = explore(sys, []);
    expect(r).toMatchObject({ states: 3, transitions: 3, depth: 1 });
  });

  it("depth-first search stores the same set of states as breadth-first search", () => {
    // A branching system with sharing and cycles: (a, b) with a in 0..6, b in 0..4; moves a+1, a*2 mod 7,
    // b+1 mod 5. All 35 pairs are reachable from (0, 0) (b cycles, a reaches 1..6 through +1).
    const sys = () =>
      system({
        words: 2,
        initial: [0, 0],
        next: ([a, b]) => [
          [Math.min(6, a + 1), b],
          [(a * 2) % 7, b],
          [a, (b + 1) % 5],
        ],
        validEnd: () => true,
      });
    const r = explore(sys(), []);
    const d = explore(sys(), [], { order: "dfs" });
    expect(r.states).toBe(35);
    expect(r.transitions).toBe(35 * 3);
    expect(d.states).toBe(35);
    expect(d.transitions).toBe(35 * 3);
    expect(statesOf(d)).toEqual(statesOf(r));
  });
});

describe("shortest paths", () => {
  it("breadth-first: the first violation of an invariant has a shortest path", () => {
    // In a 6×5 grid the cell (4,3) is 7 moves from (0,0): the path holds 8 states, each a move from the last.
    const target = always("not_4_3", ([x, y]) => !(x === 4 && y === 3));
    const r = explore(grid(6, 5), [target]);
    const idx = r.decided.get("not_4_3")!;
    expect([...r.store.get(idx)]).toEqual([4, 3]);
    const path = pathStates(r, idx);
    expect(path).toHaveLength(8);
    expect(path[0]).toEqual([0, 0]);
    for (let k = 1; k < path.length; k++)
      expect(Math.abs(path[k][0] - path[k - 1][0]) + Math.abs(path[k][1] - path[k - 1][1])).toBe(1);
  });

  it("depth-first: the path found is a real path, not necessarily a shortest one", () => {
    const r = explore(grid(6, 5), [always("not_4_3", ([x, y]) => !(x === 4 && y === 3))], { order: "dfs" });
    const idx = r.decided.get("not_4_3")!;
    const path = pathStates(r, idx);
    expect(path.at(-1)).toEqual([4, 3]);
    expect(path.length).toBeGreaterThanOrEqual(8);
    for (let k = 1; k < path.length; k++)
      expect(Math.abs(path[k][0] - path[k - 1][0]) + Math.abs(path[k][1] - path[k - 1][1])).toBe(1);
  });

  it("breadth-first finds the short way round a long detour", () => {
    // 0 → 1 → 2 → … → 20 = goal, and also 0 → 100 → 20: the goal is 2 steps away.
    const sys = system({
      words: 1,
      initial: [0],
      next: ([k]) => (k === 0 ? [[1], [100]] : k === 100 ? [[20]] : k < 20 ? [[k + 1]] : []),
      validEnd: () => true,
    });
    const r = explore(sys, [sometimes("goal", ([k]) => k === 20)]);
    expect(pathStates(r, r.decided.get("goal")!)).toEqual([[0], [100], [20]]);
    expect(r.states).toBe(22);
  });
});

describe("properties are decided at the right state", () => {
  it("always: the first state (in search order) where it fails; sometimes: the first where it holds", () => {
    const r = explore(counter(10, true), [
      always("below7", ([k]) => k < 7),
      sometimes("four", ([k]) => k === 4),
      sometimes("never", ([k]) => k > 10),
      always("fine", () => true),
    ]);
    expect(r.decided.get("below7")).toBe(7);
    expect(r.decided.get("four")).toBe(4);
    expect(r.decided.has("never")).toBe(false);
    expect(r.decided.has("fine")).toBe(false);
    expect(r.complete).toBe(true);
  });

  it("a property decided by the initial state is decided at state 0", () => {
    const r = explore(counter(3, true), [always("no", () => false), sometimes("yes", () => true)]);
    expect(r.decided.get("no")).toBe(0);
    expect(r.decided.get("yes")).toBe(0);
  });

  it("each property keeps the first state that decided it, even when later states decide it again", () => {
    const r = explore(counter(10, true), [always("small", ([k]) => k < 3)]);
    expect(r.decided.get("small")).toBe(3);
  });
});

describe("deadlocks", () => {
  // 0 → 1, 0 → 2; 1 → 3 → 0 (a cycle); 2 has only an injected successor 4 (a fault the environment may
  // inject does not let the system move); 4 → 4.
  const sys = () =>
    system({
      words: 1,
      initial: [0],
      next: ([k]) => (k === 0 ? [[1], [2]] : k === 1 ? [[3]] : k === 3 ? [[0]] : k === 2 ? [{ inject: [4] }] : [[4]]),
    });

  it("a state with no thread step is a deadlock even when the environment could still inject a fault", () => {
    const r = explore(sys(), []);
    expect(r).toMatchObject({ states: 5, transitions: 6, complete: true });
    expect(r.deadlock).not.toBeNull();
    expect([...r.store.get(r.deadlock!)]).toEqual([2]);
    expect(pathStates(r, r.deadlock!)).toEqual([[0], [2]]);
  });

  it("no deadlock where the system can always move or may stop", () => {
    const cyc = system({ words: 1, initial: [0], next: ([k]) => [[(k + 1) % 4]] });
    expect(explore(cyc, [])).toMatchObject({ states: 4, transitions: 4, deadlock: null, complete: true });
  });
});

describe("faults reported through the callback", () => {
  // A counter 0..8; the step from 3 fails with a runtime error (and 3 still steps to 4), from 5 with another
  // runtime error, from 6 with an assertion failure.
  const faulty = () =>
    system({
      words: 1,
      initial: [0],
      next: ([k]) => {
        const out: Succ[] = [];
        if (k === 3) out.push(new ModelFault("overflow", "runtime"));
        if (k === 5) out.push(new ModelFault("second runtime error", "runtime"));
        if (k === 6) out.push(new ModelFault("assertion failed: x", "assert"));
        if (k < 8) out.push([k + 1]);
        return out;
      },
      validEnd: ([k]) => k === 8,
    });

  it("records the first fault of each kind with the state it started from and the label of the step", () => {
    let label = 0;
    const r = explore(faulty(), [], {}, () => `label ${label++}`);
    expect(r.faults).toEqual([
      { parent: 3, message: "overflow", kind: "runtime", label: "label 0" },
      { parent: 6, message: "assertion failed: x", kind: "assert", label: "label 1" },
    ]);
    // the other successors of a state with a failing step are still explored
    expect(r).toMatchObject({ states: 9, transitions: 8, complete: true, deadlock: null });
  });

  it("a state whose only step fails has no step: it is also a deadlock", () => {
    const sys = system({
      words: 1,
      initial: [0],
      next: ([k]) => (k === 0 ? [[1]] : [new ModelFault("boom", "assert")]),
    });
    const r = explore(sys, []);
    expect(r.faults).toEqual([{ parent: 1, message: "boom", kind: "assert", label: null }]);
    expect(r.deadlock).toBe(1);
  });

  it("stops early (and completely) once every property, the deadlock check and both fault kinds are decided", () => {
    // A long counter that fails both ways at once at state 2 and deadlocks nowhere: with the deadlock check
    // off and the only property decided at state 1, the search stops after expanding state 2.
    const sys = system({
      words: 1,
      initial: [0],
      next: ([k]) => [
        ...(k === 2 ? [new ModelFault("r", "runtime"), new ModelFault("a", "assert")] : []),
        [k + 1 < 1000 ? k + 1 : k],
      ],
    });
    const r = explore(sys, [sometimes("one", ([k]) => k === 1)], { checkDeadlock: false });
    expect(r.complete).toBe(true);
    expect(r.stopReason).toBeNull();
    expect(r.states).toBe(4);
    expect(r.faults.map((f) => f.kind)).toEqual(["runtime", "assert"]);
  });
});

describe("bounds: never a complete result", () => {
  const bounded = (r: ExploreResult, reason: RegExp) => {
    expect(r.complete).toBe(false);
    expect(r.stopReason).toMatch(reason);
  };

  it("maxStates stops before expanding once the store holds that many states", () => {
    for (const order of ["bfs", "dfs"] as const) {
      const r = explore(counter(100, true), [always("small", ([k]) => k < 50)], { order, maxStates: 10 });
      bounded(r, /state bound.*--max-states 10/);
      expect(r.states).toBe(10);
      expect(r.decided.has("small")).toBe(false);
      expect(r.deadlock).toBeNull();
    }
  });

  it("maxStates equal to the number of states still leaves the last state unexpanded: incomplete", () => {
    const r = explore(counter(10), [], { maxStates: 11 });
    bounded(r, /state bound/);
    expect(r.deadlock).toBeNull(); // state 10 was never expanded, so its deadlock is not known
    const full = explore(counter(10), [], { maxStates: 12 });
    expect(full).toMatchObject({ complete: true, stopReason: null, states: 11, deadlock: 10 });
  });

  it("maxDepth: states at the bound are stored and checked, not expanded", () => {
    for (const order of ["bfs", "dfs"] as const) {
      const r = explore(counter(100, true), [sometimes("five", ([k]) => k === 5), sometimes("six", ([k]) => k === 6)], {
        order,
        maxDepth: 5,
      });
      bounded(r, /depth bound.*--max-depth 5/);
      expect(r.states).toBe(6);
      expect(r.decided.get("five")).toBe(5);
      expect(r.decided.has("six")).toBe(false);
    }
    // the cells of the 6×5 grid within 3 moves of (0,0): 1 + 2 + 3 + 4 = 10
    const g = explore(grid(6, 5), [], { maxDepth: 3 });
    bounded(g, /depth bound/);
    expect(g.states).toBe(10);
    expect(g.depth).toBe(3);
  });

  it("maxDepth at the full depth of a system still reports incomplete (the deepest states were not expanded)", () => {
    bounded(explore(counter(10, true), [], { maxDepth: 10 }), /depth bound/);
    expect(explore(counter(10, true), [], { maxDepth: 11 })).toMatchObject({ complete: true, states: 11 });
  });

  it("maxMemoryBytes stops before the store grows past it", () => {
    const tiny = explore(counter(10), [], { maxMemoryBytes: 1 });
    bounded(tiny, /memory bound/);
    expect(tiny.states).toBe(1);
    // Exactly the memory of an empty store: the search stops before the first growth.
    const initialBytes = new StateStore(1).bytes;
    const r = explore(counter(200_000, true), [], { maxMemoryBytes: initialBytes });
    bounded(r, /memory bound/);
    expect(r.stopReason).not.toMatch(/--compress/); // one-word states: compression would not help
    expect(r.compressedFrom).toBe(null);
    expect(r.store.bytes).toBeLessThanOrEqual(initialBytes);
    expect(r.states).toBeGreaterThan(1000);
    expect(r.states).toBeLessThan(200_001);
  });

  // A 60×60×60 cube of 4-word states, one step up in each coordinate; the fourth word is constant, so the
  // states compress well (216 000 states: about 8.7 MB stored plain, 5.6 MB tree-compressed).
  const cube = system({
    words: 4,
    initial: [0, 0, 0, 7],
    next: (s) => [0, 1, 2].filter((i) => s[i] < 59).map((i) => s.map((v, j) => (j === i ? v + 1 : v))),
    validEnd: () => true,
  });

  it("at the memory bound, stores states tree-compressed and goes on, when they fit (same numbers and parents)", () => {
    const free = explore(cube, [], {});
    expect(free.states).toBe(216_000);
    expect(free.compressedFrom).toBe(null);
    const r = explore(cube, [], { maxMemoryBytes: 10_000_000 });
    expect(r.complete).toBe(true);
    expect(r.states).toBe(216_000);
    // the plain store would have doubled past the bound at 2^18 × ¾ states
    expect(r.compressedFrom).toBe(196_608);
    expect(r.store.compressed).toBe(true);
    expect(r.store.bytes).toBeLessThanOrEqual(10_000_000);
    for (const i of [0, 1234, 196_607, 196_608, 215_999]) {
      expect([...r.store.get(i)]).toEqual([...free.store.get(i)]);
      expect(pathStates(r, i)).toEqual(pathStates(free, i));
    }
  });

  it("stops at the memory bound when the compressed copy could not go on, suggesting --compress if it was smaller", () => {
    // the copy fits, but could not grow once more: the plain store stops, and the copy used fewer bytes per state
    const r = explore(cube, [], { maxMemoryBytes: 4_000_000 });
    bounded(r, /memory bound.*--compress stores states in less memory/);
    expect(r.compressedFrom).toBe(null);
    expect(r.states).toBe(98_304);
    // converted at the plain store's growth, then out of memory again: no suggestion
    const later = explore(cube, [], { maxMemoryBytes: 5_000_000 });
    bounded(later, /memory bound/);
    expect(later.compressedFrom).toBe(98_304);
    expect(later.states).toBe(196_608);
    expect(later.stopReason).not.toMatch(/--compress/);
  });

  it("expectStates sizes the store and changes nothing else (too large a size is cut to the memory bound)", () => {
    const free = explore(cube, [], {});
    for (const [expectStates, maxMemoryBytes] of [
      [216_000, undefined],
      [10, undefined],
      [10 ** 9, 64 * 2 ** 20],
    ]) {
      const r = explore(cube, [], { expectStates, maxMemoryBytes });
      expect([r.states, r.transitions, r.complete]).toEqual([free.states, free.transitions, true]);
      for (const i of [0, 777, 215_999]) expect(pathStates(r, i)).toEqual(pathStates(free, i));
    }
    // sized from the start: it never grew (the default store grew several times)
    expect(explore(cube, [], { expectStates: 216_000 }).store.bytes).toBe(new StateStore(4, 216_000).bytes);
    expect(free.store.bytes).toBeGreaterThan(new StateStore(4).bytes);
  });

  it("a bound that is never reached changes nothing", () => {
    const opts: Partial<ExploreOptions> = { maxStates: 1000, maxDepth: 1000, maxMemoryBytes: 2 ** 30 };
    expect(explore(grid(6, 5), [], opts)).toMatchObject({
      states: 30,
      transitions: 98,
      complete: true,
      stopReason: null,
    });
  });
});
