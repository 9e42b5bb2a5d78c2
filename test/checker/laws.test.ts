// Laws of the checker over random checkable models (see genModel in helpers.ts): breadth-first and
// depth-first search agree, traces are real and (breadth-first) shortest, results are deterministic, and
// the environment's faults only add behaviours.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckReport, PropertyResult } from "../../checker/run.js";
import {
  genModel,
  renderModel,
  runSource,
  stable,
  tryCheck,
  type GenModel,
  type GenStmt,
  type RunOptions,
} from "./helpers.js";

const RUNS = Number(process.env.FUTEXCHECK_LAW_RUNS ?? 120); // raise to hunt for counterexamples
// Models bigger than this are skipped (fc.pre): the laws are about small, complete explorations.
const MAX_STATES = 20_000;

const faults = fc.record({ kills: fc.integer({ min: 0, max: 1 }), signals: fc.integer({ min: 0, max: 1 }) });

/** Runs a generated model; skips it when it is too big to explore completely. */
function explore(g: GenModel, options: RunOptions): CheckReport {
  const { report } = runSource(renderModel(g), { maxStates: MAX_STATES, ...options });
  fc.pre(report.complete);
  return report;
}

const decided = (r: PropertyResult) => r.verdict === "VIOLATED" || r.verdict === "REACHED";
const verdictMap = (r: CheckReport) => Object.fromEntries(r.results.map((x) => [x.name, x.verdict]));

/** Evaluates a generated condition (over a, b and f only) in a trace's state record. */
function holdsIn(cond: string, state: Record<string, string>): boolean {
  const f = new Function("a", "b", "f", `return ${cond};`) as (a: number, b: number, f: boolean) => boolean;
  return f(Number(state.a), Number(state.b), state.f === "true");
}

describe("the model generator", () => {
  it("generates models that the checks accept (acceptance rate ≥ 95%)", () => {
    const samples = fc.sample(genModel, 300);
    const rejected = samples.map((g) => renderModel(g)).filter((src) => typeof tryCheck(src) === "string");
    expect(rejected.length / samples.length).toBeLessThanOrEqual(0.05);
  });

  it("renders every construct it can generate", () => {
    const text = fc
      .sample(genModel, 300)
      .map((g) => renderModel(g))
      .join("\n");
    for (const construct of [
      "either",
      "atomic { await",
      "while (",
      "if (",
      "await",
      "assert",
      "end",
      "l",
      "killable",
      "handler h",
      "cpus 2",
    ]) {
      expect(text).toContain(construct);
    }
  });
});

describe("laws", () => {
  it("breadth-first and depth-first search find the same states, transitions and verdicts", () => {
    fc.assert(
      fc.property(genModel, faults, (g, f) => {
        const bfs = explore(g, f);
        const dfs = explore(g, { ...f, order: "dfs" });
        expect(dfs.stats.states).toBe(bfs.stats.states);
        expect(dfs.stats.transitions).toBe(bfs.stats.transitions);
        expect(verdictMap(dfs)).toEqual(verdictMap(bfs));
        // depth-first traces are real executions too (they are replayed), just not always the shortest
        for (const r of dfs.results) if (decided(r)) expect(r.trace).not.toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it("partial-order reduction keeps every verdict, explores no more states, and its traces are real", () => {
    let reducedSome = 0;
    fc.assert(
      fc.property(genModel, faults, fc.constantFrom<"bfs" | "dfs">("bfs", "dfs"), (g, f, order) => {
        const full = explore(g, { ...f, order });
        const reduced = explore(g, { ...f, order, por: true });
        expect(verdictMap(reduced)).toEqual(verdictMap(full));
        expect(reduced.stats.states).toBeLessThanOrEqual(full.stats.states);
        if (reduced.reductions.porReducedStates > 0) reducedSome++;
        for (const r of reduced.results) {
          if (!decided(r)) continue;
          const trace = r.trace!;
          if (r.name === "inv") expect(holdsIn(g.invariant, trace.final)).toBe(false);
          if (r.name === "rch") expect(holdsIn(g.reachable, trace.final)).toBe(true);
          // breadth-first, a reduced trace is never shorter than the shortest
          const shortest = full.results.find((x) => x.name === r.name)!.trace!.steps.length;
          if (order === "bfs") expect(trace.steps.length).toBeGreaterThanOrEqual(shortest);
        }
      }),
      { numRuns: RUNS },
    );
    expect(reducedSome).toBeGreaterThan(RUNS / 10); // the law is not vacuous: the generator has local steps
  });

  it("every violation and witness has a trace that ends where the property is decided, and is shortest", () => {
    let checked = 0;
    fc.assert(
      fc.property(genModel, faults, (g, f) => {
        const report = explore(g, f);
        for (const r of report.results) {
          if (!decided(r)) {
            expect(r.trace).toBeNull();
            continue;
          }
          const trace = r.trace!;
          expect(trace).not.toBeNull();
          expect(trace.steps.map((s) => s.step)).toEqual(trace.steps.map((_, i) => i + 1));
          if (r.name === "inv") expect(holdsIn(g.invariant, trace.final)).toBe(false);
          if (r.name === "rch") expect(holdsIn(g.reachable, trace.final)).toBe(true);
          if (r.kind === "assert" || r.kind === "runtime") expect(trace.steps.at(-1)!.kind).toBe("fail");
          // A state at depth L is stored and checked with --max-depth L; a deadlock or a failing step at depth L
          // is only seen when that state is expanded, with --max-depth L + 1.
          const L = r.kind === "deadlock" ? trace.steps.length + 1 : trace.steps.length;
          const at = runSource(renderModel(g), { ...f, maxDepth: L }).report;
          expect(at.results.find((x) => x.name === r.name)!.verdict).toBe(r.verdict);
          if (L > 0) {
            const below = runSource(renderModel(g), { ...f, maxDepth: L - 1 }).report;
            expect(below.complete).toBe(false);
            expect(below.results.find((x) => x.name === r.name)!.verdict).toBe("INCOMPLETE");
          }
          checked++;
        }
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS / 2);
  });

  it("thread-local statements are merged: dead local writes anywhere change no count and no verdict", () => {
    // Before and after every statement of every thread body (inside atomic blocks too), `z = 2;` on a local
    // that is never read.
    const write: GenStmt = { k: "assign", target: "z", value: "2", label: false };
    const spread = (ss: GenStmt[]): GenStmt[] => [write, ...ss.flatMap((s) => [deep(s), write])];
    const deep = (s: GenStmt): GenStmt => {
      switch (s.k) {
        case "if":
          return { ...s, then: spread(s.then), else: spread(s.else) };
        case "either":
          return { ...s, branches: s.branches.map(spread) };
        case "atomic":
        case "while":
          return { ...s, body: spread(s.body) };
        default:
          return s;
      }
    };
    fc.assert(
      fc.property(genModel, faults, (g, f) => {
        const plain = explore(g, f);
        const padded = runSource(
          renderModel({ ...g, threads: g.threads.map((t) => ({ ...t, body: spread(t.body) })) }, true),
          { ...f, maxStates: MAX_STATES },
        ).report;
        expect([padded.stats.states, padded.stats.transitions]).toEqual([plain.stats.states, plain.stats.transitions]);
        expect(verdictMap(padded)).toEqual(verdictMap(plain));
      }),
      { numRuns: RUNS },
    );
  });

  it("source references change no count, no verdict and no trace, in either order, with or without POR", () => {
    // The steps as they are, but for the references and the text and columns they take on the source line.
    const withoutRefs = (r: CheckReport) =>
      r.results.map((x) => x.trace?.steps.map(({ refs: _r, source: _s, col: _c, ...step }) => step) ?? null);
    let shown = 0;
    fc.assert(
      fc.property(genModel, faults, fc.constantFrom<"bfs" | "dfs">("bfs", "dfs"), fc.boolean(), (g, f, order, por) => {
        const plain = explore(g, { ...f, order, por });
        const linked = runSource(renderModel(g, false, true), { ...f, order, por, maxStates: MAX_STATES }).report;
        expect([linked.stats.states, linked.stats.transitions]).toEqual([plain.stats.states, plain.stats.transitions]);
        expect(verdictMap(linked)).toEqual(verdictMap(plain));
        expect(withoutRefs(linked)).toEqual(withoutRefs(plain));
        for (const r of linked.results) for (const step of r.trace?.steps ?? []) if (step.refs.length > 0) shown++;
      }),
      { numRuns: RUNS },
    );
    expect(shown).toBeGreaterThan(0);
  });

  it("results are deterministic: two runs give the same report, timing and memory aside", () => {
    fc.assert(
      fc.property(genModel, faults, fc.constantFrom<"bfs" | "dfs">("bfs", "dfs"), (g, f, order) => {
        const one = explore(g, { ...f, order });
        const two = explore(g, { ...f, order });
        expect(stable(two)).toEqual(stable(one));
      }),
      { numRuns: RUNS },
    );
  });

  it("a kill only adds behaviours: at least as many states, and every violation and witness stays", () => {
    const killable = genModel.map((g) => ({ ...g, threads: g.threads.map((t) => ({ ...t, killable: true })) }));
    fc.assert(
      fc.property(killable, (g) => {
        const none = explore(g, { kills: 0 });
        const one = explore(g, { kills: 1 });
        expect(one.stats.states).toBeGreaterThanOrEqual(none.stats.states);
        const after = verdictMap(one);
        for (const r of none.results) if (decided(r)) expect(after[r.name]).toBe(r.verdict);
      }),
      { numRuns: RUNS },
    );
  });

  it("a signal only adds behaviours too", () => {
    const signalled = genModel.map((g) => ({
      ...g,
      handler: g.handler ?? [{ k: "assign" as const, target: "b", value: "(b + 1) % 4", label: false }],
      threads: g.threads.map((t) => ({ ...t, handler: true })),
    }));
    fc.assert(
      fc.property(signalled, (g) => {
        const none = explore(g, { signals: 0 });
        const one = explore(g, { signals: 1 });
        expect(one.stats.states).toBeGreaterThanOrEqual(none.stats.states);
        const after = verdictMap(one);
        for (const r of none.results) if (decided(r)) expect(after[r.name]).toBe(r.verdict);
      }),
      { numRuns: RUNS },
    );
  });
});
