// Partial-order reduction on hand-made models: what it reduces (independent steps of one thread), what it
// must not (steps a property or another thread observes, threads a fault can hit), and the cycle proviso
// (a thread spinning on local steps must not hide the other threads' steps). The counts are the explorer's,
// derived by hand in each case's comment.
import { describe, expect, it } from "vitest";
import { INDEPENDENT, INDEPENDENT_ON_CYCLE, NOT_INDEPENDENT } from "../../checker/por.js";
import { result, runSource } from "./helpers.js";

const both = (src: string, options: { kills?: number; signals?: number; order?: "bfs" | "dfs" } = {}) => ({
  full: runSource(src, { ...options, por: false }).report,
  reduced: runSource(src, { ...options, por: true }).report,
});

// Two threads, each three labelled local steps (labels nobody names are step boundaries, not observations)
// then one write of its own shared flag. Full graph: each thread has 7 control points (a, b, c, the write,
// exit() at the end of the body, the exit path's end, gone), 7 × 7 = 49 states. Reduced: a thread with a
// pending independent step moves alone, so only the two writes interleave: (a,a) (b,a) (c,a) (W,a) (W,b)
// (W,c) (W,W), then either write first: (X,W) (W,X), and each side's ends one thread after the other:
// (E,W) (G,W) (G,X) (G,E) (G,G) and (W,E) (W,G) (X,G) (E,G): 18 states.
const LOCAL_STEPS = `
model local_steps;
shared { bool f[2] = {false, false}; }
thread w[i in 0..1] {
  int 0..3 x;
  a: x = 1;
  b: x = 2;
  c: x = 3;
  f[i] = true;
}
invariant not_both: !(f[0] && f[1]);
`;

describe("partial-order reduction", () => {
  it("runs the independent steps of one thread alone", () => {
    const { full, reduced } = both(LOCAL_STEPS);
    expect(full.stats.states).toBe(49);
    expect(result(full, "not_both").verdict).toBe("VIOLATED");
    expect(result(reduced, "not_both").verdict).toBe("VIOLATED");
    expect(reduced.stats.states).toBeLessThan(full.stats.states);
    expect(reduced.stats.states).toBe(18);
    expect(reduced.reductions.por).toBe(true);
    expect(reduced.reductions.porReducedStates).toBeGreaterThan(0);
  });

  it("does not reduce a step into or out of a label a property names", () => {
    const observed = LOCAL_STEPS.replace(
      "invariant not_both: !(f[0] && f[1]);",
      "invariant not_both: !(at(0, b) && at(1, b));",
    );
    const { full, reduced } = both(observed);
    expect(result(full, "not_both").verdict).toBe("VIOLATED");
    expect(result(reduced, "not_both").verdict).toBe("VIOLATED");
    // a → b and b → c are visible; only c → the write is reduced
    expect(reduced.stats.states).toBeGreaterThan(both(LOCAL_STEPS).reduced.stats.states);
  });

  it("reads only the properties checked: a label named by a property left out is not an observation", () => {
    const src = LOCAL_STEPS + "reachable both_at_b: at(0, b) && at(1, b);\n";
    const all = runSource(src, { por: true }).report;
    const some = runSource(src, { por: true, properties: ["not_both"] }).report;
    // with both_at_b checked, a → b and b → c are visible: more states than the 18 of LOCAL_STEPS
    expect(all.stats.states).toBeGreaterThan(18);
    expect(result(all, "both_at_b").verdict).toBe("REACHED");
    // checking not_both alone, the labels are nobody's business: LOCAL_STEPS's reduced graph
    expect(some.stats.states).toBe(18);
    expect(result(some, "not_both").verdict).toBe("VIOLATED");
  });

  it("does not reduce a thread that a kill can hit", () => {
    const killable = LOCAL_STEPS.replace("thread w[i in 0..1] {", "thread w[i in 0..1] killable {");
    // While the kill is unspent, a thread in user code can be killed at any step, so its local steps are not
    // reduced; in the kernel (its exit path) it cannot be.
    const oneKill = both(killable, { kills: 1 });
    expect(result(oneKill.reduced, "not_both").verdict).toBe(result(oneKill.full, "not_both").verdict);
    expect(oneKill.full.stats.states).toBe(105);
    // Once the one kill is spent (or its thread is gone), the survivor's local steps are reduced again.
    expect(oneKill.reduced.stats.states).toBe(96);
  });

  // Thread `spin` loops forever on a local step; `set` makes one shared write that breaks the invariant. A
  // reduction that kept choosing spin's independent step would close the cycle x = 0, 1, 0 and never run
  // `set` (the ignoring problem): the cycle proviso expands fully the state whose successor is stored earlier.
  const IGNORING = `
model ignoring;
shared { bool done = false; }
thread spin {
  int 0..1 x;
  while (true) {
    l: x = 1 - x;
  }
}
thread set {
  done = true;
}
invariant not_done: !done;
`;

  for (const order of ["bfs", "dfs"] as const)
    it(`keeps the steps a local cycle would hide (cycle proviso, ${order})`, () => {
      const { full, reduced } = both(IGNORING, { order });
      expect(result(full, "not_done").verdict).toBe("VIOLATED");
      expect(result(reduced, "not_done").verdict).toBe("VIOLATED");
      expect(reduced.complete).toBe(true);
    });

  it("checks the cycle proviso only for a step on a cycle of independent steps", () => {
    const spinning = runSource(IGNORING, { por: true }).compiled;
    const s = spinning.initial();
    expect([0, 1].map((t) => spinning.stepIndependent(s, t))).toEqual([INDEPENDENT_ON_CYCLE, NOT_INDEPENDENT]);
    const straight = runSource(LOCAL_STEPS, { por: true }).compiled;
    const s0 = straight.initial();
    expect([0, 1].map((t) => straight.stepIndependent(s0, t))).toEqual([INDEPENDENT, INDEPENDENT]);
  });

  it("is off when a liveness property is checked", () => {
    const live = LOCAL_STEPS + "liveness progress: at(0, a) leads_to exited(0);\n";
    const { full, reduced } = both(live);
    expect(reduced.reductions.por).toBe(false);
    expect(reduced.stats.states).toBe(full.stats.states);
  });
});
