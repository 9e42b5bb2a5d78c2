// Liveness under weak fairness: small models whose verdicts are derived by hand, and a law comparing the
// lasso search with an independent brute-force search on generated graphs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findLasso, type LabelledGraph } from "../../checker/liveness.js";
import { lines, result, runSource, verdicts } from "./helpers.js";

const BUILTIN_OK = { deadlock: "HOLDS", assertions: "HOLDS", runtime_errors: "HOLDS" };

describe("liveness on models", () => {
  // The spinner re-reads `flag` in a loop (each test is a step: a cycle of one state); the setter sets it once.
  const spin = (spinnerFair: boolean, setterFair: boolean) =>
    lines(
      "model spinwait;",
      "shared { bool flag = false; }",
      `thread spinner${spinnerFair ? " fair" : ""} { while (!flag) { skip; } done: skip; }`,
      `thread setter${setterFair ? " fair" : ""} { flag = true; }`,
      "liveness finishes: true leads_to exited(0);",
    );

  it("a property that holds only under fairness: the spinner finishes only if the setter is fair", () => {
    // Without fairness for the setter, the spinner may loop forever while the setter waits: the cycle is the
    // spinner's loop at the initial state, fair to the spinner (it steps) — a lasso with no prefix.
    const unfair = runSource(spin(true, false)).report;
    expect(verdicts(unfair)).toEqual({ finishes: "VIOLATED", ...BUILTIN_OK });
    const lasso = result(unfair, "finishes").trace!;
    expect(lasso.loopStart).toBe(1);
    expect(lasso.steps.map((s) => s.thread)).toEqual(["spinner"]);
    expect(result(unfair, "finishes").message).toContain("under weak fairness of spinner");
    // With a fair setter, the setter cannot stay enabled forever without stepping: every fair execution sets
    // the flag, and the spinner then leaves its loop.
    const fair = runSource(spin(true, true)).report;
    expect(verdicts(fair)).toEqual({ finishes: "HOLDS", ...BUILTIN_OK });
    expect(result(fair, "finishes").message).toBe("under weak fairness of spinner, setter");
    // With no fairness at all, the verdict says so.
    const none = runSource(spin(false, false)).report;
    expect(result(none, "finishes").verdict).toBe("VIOLATED");
    expect(result(none, "finishes").message).toContain("without fairness");
  });

  it("fairness weak; makes every user thread fair", () => {
    const src = spin(false, false).replace("model spinwait;", "model spinwait;\nfairness weak;");
    expect(result(runSource(src).report, "finishes").verdict).toBe("HOLDS");
  });

  // A test-and-set spinlock: two threads loop forever taking the lock. Weak fairness does not stop a thread
  // from losing every race: thread 0 can be enabled only intermittently (the lock is free only when thread 1
  // is outside), so it may never get the lock (the fair and unfair spinlock of textbooks).
  const spinlock = (ticket: boolean) =>
    lines(
      "model spinlock;",
      "fairness weak;",
      "shared { bool locked = false; int 0..3 next = 0; int 0..3 serving = 0; }",
      "thread w[i in 0..1] {",
      "  int 0..3 my;",
      "  while (true) {",
      ticket
        ? "    atomic { my = next; next = (next + 1) % 4; }\n    try: await serving == my;"
        : "    try: atomic { await !locked; locked = true; }",
      "    cs: skip;",
      ticket ? "    serving = (serving + 1) % 4;" : "    locked = false;",
      "  }",
      "}",
      "liveness progress0: at(0, try) leads_to at(0, cs);",
    );

  it("test-and-set spinlock: a waiter can starve under weak fairness", () => {
    const r = runSource(spinlock(false)).report;
    expect(result(r, "progress0").verdict).toBe("VIOLATED");
    const t = result(r, "progress0").trace!;
    expect(t.loopStart).toBeDefined();
    // The cycle only has thread 1 taking and releasing the lock while thread 0 waits at `try`.
    const cycle = t.steps.slice(t.loopStart! - 1);
    expect(cycle.every((s) => s.thread === "w[1]")).toBe(true);
  });

  it("ticket spinlock: every waiter gets in under weak fairness", () => {
    const r = runSource(spinlock(true)).report;
    expect(result(r, "progress0").verdict).toBe("HOLDS");
  });

  it("a lost wake-up that is a cycle rather than a deadlock", () => {
    // The waiter checks `ready` and then sleeps on a futex word that the waker does not change, so the
    // waker's store and wake can fall between the check and the sleep (futex_wait's re-check of `fw` does not
    // help: fw is still 0). The poller keeps the system busy, so nothing deadlocks: the waiter just sleeps
    // forever while the poller spins.
    const r = runSource(
      lines(
        "model lost;",
        'import "futex";',
        "fairness weak;",
        "shared { word ready = 0; word fw = 0; bool stop = false; }",
        "thread waiter { if (ready == 0) { futex_wait(&fw, 0); } done: skip; }",
        "thread waker { ready = 1; futex_wake(&fw, 1); }",
        "thread poller { while (!stop) { skip; } }",
        "liveness woken: true leads_to exited(0);",
      ),
    ).report;
    expect(result(r, "deadlock").verdict).toBe("HOLDS");
    const woken = result(r, "woken");
    expect(woken.verdict).toBe("VIOLATED");
    const t = woken.trace!;
    // The cycle is the poller's loop; before it the waiter read 0, the waker stored and woke nobody, and
    // the waiter went to sleep.
    const cycle = t.steps.slice(t.loopStart! - 1);
    expect(cycle.every((s) => s.thread === "poller")).toBe(true);
    expect(t.steps.some((s) => s.thread === "waker")).toBe(true);
  });

  it("liveness under a bound is INCOMPLETE, never HOLDS", () => {
    const r = runSource(spinlock(true), { maxStates: 5 }).report;
    expect(result(r, "progress0").verdict).toBe("INCOMPLETE");
  });
});

// ---------- the lasso search against a brute-force search ----------
interface G {
  n: number;
  edges: [number, number, number][]; // from, to, thread (-1: a fault)
  goal: boolean[];
  trigger: boolean[];
  fair: number[];
}

function graphOf(g: G): LabelledGraph {
  return {
    count: g.n,
    expand(i) {
      const out = g.edges.filter((e) => e[0] === i);
      const steps = out.filter((e) => e[2] >= 0);
      return {
        succ: out.map((e) => e[1]),
        by: out.map((e) => e[2]),
        threadSteps: steps.length,
        enabled: steps.reduce((m, e) => m | (1 << e[2]), 0),
      };
    },
  };
}

// Independent: a violation is a state that is reached from a trigger through non-goal states and where the
// run may end, or a closed walk there whose accumulated fairness obligations are all met (searched in the
// product of states and sets of met obligations).
function bruteForce(g: G): boolean {
  const reach = new Set<number>();
  const queue = g.trigger.flatMap((t, i) => (t && !g.goal[i] ? [i] : []));
  queue.forEach((i) => reach.add(i));
  for (let q = 0; q < queue.length; q++) {
    for (const [a, b] of g.edges) if (a === queue[q] && !g.goal[b] && !reach.has(b)) (reach.add(b), queue.push(b));
  }
  const enabled = (v: number) => g.edges.filter((e) => e[0] === v && e[2] >= 0).map((e) => e[2]);
  for (const v of reach) if (enabled(v).length === 0) return true;
  const full = (1 << g.fair.length) - 1;
  const disabledMask = (v: number) => g.fair.reduce((m, t, k) => (enabled(v).includes(t) ? m : m | (1 << k)), 0);
  for (const v of reach) {
    const seen = new Set<string>();
    const work: [number, number][] = [];
    for (const [a, b, t] of g.edges) {
      if (a !== v || !reach.has(b)) continue;
      const m = disabledMask(v) | disabledMask(b) | g.fair.reduce((x, f, k) => (f === t ? x | (1 << k) : x), 0);
      work.push([b, m]);
    }
    while (work.length > 0) {
      const [u, m] = work.pop()!;
      if (u === v && m === full) return true;
      const key = `${u}:${m}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [a, b, t] of g.edges) {
        if (a !== u || !reach.has(b)) continue;
        work.push([b, m | disabledMask(b) | g.fair.reduce((x, f, k) => (f === t ? x | (1 << k) : x), 0)]);
      }
    }
  }
  return false;
}

const genGraph: fc.Arbitrary<G> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: -1, max: 2 })), { maxLength: 12 }),
    goal: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    trigger: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fair: fc.subarray([0, 1, 2]),
  }),
);

describe("the lasso search", () => {
  it("agrees with a brute-force search, and its lassos are real fair runs", () => {
    fc.assert(
      fc.property(genGraph, (g) => {
        const lasso = findLasso(
          graphOf(g),
          (i) => g.trigger[i],
          (i) => g.goal[i],
          g.fair,
        );
        expect(lasso !== null).toBe(bruteForce(g));
        if (lasso === null) return;
        const has = (a: number, b: number, t: number) => g.edges.some((e) => e[0] === a && e[1] === b && e[2] === t);
        expect(g.trigger[lasso.trigger] && !g.goal[lasso.trigger]).toBe(true);
        const run = [...lasso.stem, ...lasso.cycle.slice(1)];
        const by = [...lasso.stemBy, ...lasso.cycleBy];
        for (let k = 1; k < run.length; k++) expect(has(run[k - 1], run[k], by[k - 1])).toBe(true);
        expect(run.every((v) => !g.goal[v])).toBe(true);
        if (lasso.cycle.length === 0) {
          expect(graphOf(g).expand(run[run.length - 1]).threadSteps).toBe(0);
          return;
        }
        expect(lasso.cycle[0]).toBe(lasso.cycle[lasso.cycle.length - 1]);
        expect(lasso.cycle.length).toBeGreaterThan(1);
        for (const t of g.fair) {
          const stepped = lasso.cycleBy.includes(t);
          const disabled = lasso.cycle.some((v) => !(graphOf(g).expand(v).enabled & (1 << t)));
          expect(stepped || disabled).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
