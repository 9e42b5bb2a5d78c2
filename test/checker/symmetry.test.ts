// Symmetry reduction (`check --symmetry`): the same verdicts as the full search, pinned state counts, a true
// canonical form (one representative per orbit, found by brute force over every permutation), traces that
// are real executions with real thread numbers (checked here by stepping the model without symmetry), and
// the refusals (FX127) where the model or its properties could tell interchangeable threads apart.
import { describe, expect, it } from "vitest";
import { compile, type CompiledModel } from "../../checker/compile.js";
import { explore } from "../../checker/explore.js";
import type { CheckReport } from "../../checker/run.js";
import { analyseSymmetry, type Canonicalizer, SymmetryRefused, symmetryGroups } from "../../checker/symmetry.js";
import { snapshot, type Trace } from "../../checker/trace.js";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";
import { checked, lines, runFile, runSource, type RunOptions } from "./helpers.js";

const MUTEX = (k: number) => `models/futex/drepper_mutex${k}.fxp`;

function verdicts(r: CheckReport): string[] {
  return r.results.map((x) => `${x.name}:${x.verdict}${x.trace ? `/${x.trace.steps.length}` : ""}`);
}

/** Steps the model without symmetry along a trace: every step must be a real step of the thread the trace
 *  names, with exactly the changes it shows. Returns the states the trace may end in. */
function replay(m: CompiledModel, trace: Trace): Uint32Array[] {
  let states = [m.initial()];
  for (const step of trace.steps) {
    if (step.kind === "fail") {
      let fails = false;
      for (const s of states)
        m.successors(
          s,
          () => undefined,
          () => (fails ||= m.current.thread === step.threadIndex),
        );
      expect(fails, `step ${step.step} fails again`).toBe(true);
      continue;
    }
    const next: Uint32Array[] = [];
    const want = step.changes.map((c) => `${c.name}=${c.after}`).sort();
    for (const s of states) {
      const before = snapshot(m, s);
      m.successors(
        s,
        (n) => {
          if (m.current.thread !== step.threadIndex || m.current.kind !== step.kind) return;
          const changed: string[] = [];
          for (const [key, x] of snapshot(m, n)) {
            const b = before.get(key);
            if (b === undefined ? x.space === "local" : b.value !== x.value) changed.push(`${x.name}=${x.value}`);
          }
          if (changed.sort().join("\n") === want.join("\n")) next.push(Uint32Array.from(n));
        },
        () => undefined,
      );
    }
    expect(next.length, `step ${step.step} (${step.thread}) is a real step`).toBeGreaterThan(0);
    states = next;
  }
  return states;
}

/** Every trace of a symmetric run replays, and ends where its verdict says. */
function checkTraces(report: CheckReport, m: CompiledModel): void {
  for (const r of report.results) {
    if (r.trace === null) continue;
    const ends = replay(m, r.trace);
    if (r.kind === "invariant") expect(ends.some((s) => !m.predicates.get(r.name)!(s))).toBe(true);
    if (r.kind === "reachable") expect(ends.some((s) => m.predicates.get(r.name)!(s))).toBe(true);
    if (r.kind === "deadlock")
      expect(
        ends.some(
          (s) =>
            m.successors(
              s,
              () => undefined,
              () => undefined,
            ) === 0 && !m.isValidEnd(s),
        ),
      ).toBe(true);
  }
}

function both(run: (o: RunOptions) => { report: CheckReport; compiled: CompiledModel }) {
  const full = run({ por: false });
  const sym = run({ symmetry: true });
  const symPor = run({ symmetry: true, por: true });
  return { full: full.report, sym: sym.report, symPor: symPor.report, compiled: sym.compiled };
}

/** Verdicts without trace lengths: partial-order reduction keeps verdicts, not shortest traces. */
const bare = (r: CheckReport) => r.results.map((x) => `${x.name}:${x.verdict}`);

/** What every search up to symmetry keeps: the full search's verdicts (with partial-order reduction on top,
 *  all but trace lengths), and traces that replay in the real threads. */
function expectFullVerdicts({ full, sym, symPor, compiled }: ReturnType<typeof both>): void {
  expect(verdicts(sym)).toEqual(verdicts(full));
  expect(bare(symPor)).toEqual(bare(full));
  checkTraces(sym, compiled);
  checkTraces(symPor, compiled);
}

describe("symmetry reduction on Drepper's mutexes", () => {
  // [mutex, N, states with --symmetry --no-por, with --symmetry]: the first is the number of orbits of the
  // full state space under renaming the N workers (checked by brute force below for N = 3), so at least the
  // full count over N!; the second adds partial-order reduction (its cycle proviso on representatives)
  const pinned: [number, number, number, number][] = [
    [1, 2, 82, 56],
    [1, 3, 1273, 552],
    [2, 2, 108, 77],
    [2, 3, 1353, 638],
    [2, 4, 10801, 3389],
    [3, 2, 104, 73],
    [3, 3, 867, 433],
    [3, 4, 4857, 1689],
  ];
  for (const [k, n, states, withPor] of pinned) {
    it(`mutex${k}, N=${n}: the verdicts of the full search, ${states} states, traces that replay`, () => {
      const runs = both((o) => runFile(MUTEX(k), { ...o, overrides: { N: n } }));
      const { full, sym, symPor } = runs;
      expectFullVerdicts(runs);
      expect(symPor.stats.states).toBe(withPor);
      expect(symPor.reductions).toMatchObject({ symmetry: true, por: true });
      expect(sym.stats.states).toBe(states);
      expect(sym.reductions.symmetry).toBe(true);
      expect(sym.reductions.por).toBe(false);
      // at least one state per orbit of N! renamings, at most every state
      let fact = 1;
      for (let i = 2; i <= n; i++) fact *= i;
      expect(states).toBeGreaterThanOrEqual(full.stats.states / fact);
      expect(states).toBeLessThan(full.stats.states);
    });
  }

  it("mutex2, N=5: 64 293 states (5 682 547 without)", () => {
    const { report } = runFile(MUTEX(2), { symmetry: true, overrides: { N: 5 } });
    expect(report.stats.states).toBe(64293);
    expect(report.results.every((r) => r.verdict === "HOLDS" || r.verdict === "REACHED")).toBe(true);
  });
});

function compiledFile(file: string, n: number): CompiledModel {
  const loaded = loadModel(file, { overrides: new Map([["N", n]]) });
  if (loaded.model === null) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  return compile(loaded.model, { kills: 0, signals: 0 }, loaded.sources);
}

function permutationsOf(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Explores `m` whole and checks, state by state, that every renaming of the three threads 0..2 leads to a
 *  reachable state with the same representative. Returns the number of orbits (distinct representatives). */
function orbitsByBruteForce(m: CompiledModel, c: Canonicalizer): number {
  const all = explore(m, [], { exhaustive: true });
  const orbits = new Set<string>();
  for (let i = 0; i < all.store.count; i++) {
    const s = all.store.get(i);
    const rep = Uint32Array.from(s);
    c.canonicalize(rep);
    orbits.add(rep.join(","));
    for (const p of permutationsOf([0, 1, 2])) {
      const q = c.permute(s, p);
      expect(all.store.lookup(q)).toBeGreaterThanOrEqual(0); // a renamed reachable state is reachable
      c.canonicalize(q);
      expect(q.join(",")).toBe(rep.join(","));
    }
  }
  return orbits.size;
}

describe("the canonical form", () => {
  for (const [k, n] of [
    [2, 3],
    [1, 3],
    [3, 3],
  ]) {
    it(`mutex${k}, N=${n}: renamings are automorphisms, one representative per orbit, as many as the search stores`, () => {
      const m = compiledFile(MUTEX(k), n);
      const a = analyseSymmetry(m);
      expect(a.diagnostics).toEqual([]);
      expect(a.groups).toEqual([[0, 1, 2]]);
      const c = a.canonicalizer!;
      const init = m.initial();
      const ci = Uint32Array.from(init);
      c.canonicalize(ci);
      expect([...ci]).toEqual([...init]); // the initial state is symmetric
      const orbits = orbitsByBruteForce(m, c);
      const reduced = explore(
        {
          ...m,
          stateWords: m.stateWords,
          initial: () => m.initial(),
          successors: (s, e, f) => m.successors(s, e, f),
          isValidEnd: (s) => m.isValidEnd(s),
          predicates: m.predicates,
          canonicalize: c.canonicalize,
        },
        [],
        { exhaustive: true },
      );
      expect(reduced.states).toBe(orbits);
    });
  }
});

// Mutex 2 with a lost wake-up: unlock stores 0 but wakes nobody.
const BUGGY = lines(
  "model buggy_mutex;",
  "param N = 3;",
  'import "futex";',
  'import "mutex";',
  "shared { int 0..2 val = 0; }",
  "thread worker[i in 0..N-1] {",
  "  int 0..2 c;",
  "  c = cmpxchg(&val, 0, 1);",
  "  if (c != 0) {",
  "    while (c != 0) {",
  "      if (c == 2) { futex_wait(&val, 2); } else {",
  "        c = cmpxchg(&val, 1, 2);",
  "        if (c != 0) { futex_wait(&val, 2); }",
  "      }",
  "      c = cmpxchg(&val, 0, 2);",
  "    }",
  "  }",
  "  cs: skip;",
  "  c = fetch_sub(&val, 1);",
  "  if (c != 1) { val = 0; }",
  "}",
);

describe("a model with an injected bug", () => {
  for (const n of [2, 3]) {
    it(`N=${n}: the same verdicts with and without symmetry, and the trace replays`, () => {
      const runs = both((o) => runSource(BUGGY, { ...o, overrides: { N: n } }));
      const { full, sym } = runs;
      expectFullVerdicts(runs);
      expect(sym.results.find((r) => r.name === "deadlock")!.verdict).toBe("VIOLATED");
      expect(sym.results.find((r) => r.name === "deadlock")!.message).toMatch(/sleeps forever in futex_wait on &val/);
      expect(sym.stats.states).toBeLessThan(full.stats.states);
    });
  }

  it("a failing assertion replays in the real thread", () => {
    const src = lines(
      "model fails;",
      "shared { int 0..3 x = 0; }",
      "thread w[i in 0..2] {",
      "  int 0..3 v;",
      "  v = x;",
      "  x = v + 1;",
      "  assert x != 2;",
      "}",
    );
    const runs = both((o) => runSource(src, o));
    expectFullVerdicts(runs);
    const t = runs.sym.results.find((r) => r.name === "assertions")!.trace!;
    expect(t.steps.at(-1)!.kind).toBe("fail");
  });
});

describe("identities that are renamed", () => {
  it("TIDs in variables, tid sets and queues, thread-indexed arrays and spin locks", () => {
    const src = lines(
      "model ids;",
      "cpus 1;",
      "kernel { word lock = 0; tid owner = 0; tidset inside; tidqueue<3> order; bool done[NTHREADS] = false; }",
      "syscall enter() { spin_lock(lock); owner = tid(self); push(inside, self); push(order, tid(self)); spin_unlock(lock); }",
      "syscall leave() { tid me; me = tid(self); spin_lock(lock); if (owner == me) { owner = 0; } remove(inside, self); done[self] = true; spin_unlock(lock); }",
      "thread w[i in 0..2] { enter(); leave(); }",
      "invariant ordered: len(order) >= len(inside);",
      "invariant owner_inside: owner == 0 || idx(owner) in inside;",
      "reachable all_done: forall t in threads: done[t] && (t in order);",
      "reachable someone_owns: exists t in threads: owner == tid(t) && head(order) != tid(t);",
    );
    const runs = both((o) => runSource(src, o));
    const { full, sym, compiled } = runs;
    expectFullVerdicts(runs);
    expect(sym.stats.states).toBeLessThan(full.stats.states);
    // the orbits, by brute force
    const c = analyseSymmetry(compiled).canonicalizer!;
    expect(sym.stats.states).toBe(orbitsByBruteForce(compiled, c));
  });

  it("kills, signals, handlers, the exit path and TID locals: renamings are automorphisms, orbits are states", () => {
    const src = lines(
      "model killsig;",
      "param N = 3;",
      'import "futex";',
      "shared { int 0..2 val = 0; int 0..3 hits = 0; }",
      "kernel { tid last = 0; tidset gone; }",
      "handler h { int 0..3 v; v = hits; hits = (v + 1) % 4; }",
      "on exit { last = tid(self); push(gone, self); }",
      "thread worker[i in 0..N-1] killable handler h {",
      "  int 0..2 c;",
      "  tid me;",
      "  me = tid(self);",
      "  c = cmpxchg(&val, 0, 1);",
      "  while (c != 0) {",
      "    futex_wait(&val, c);",
      "    c = cmpxchg(&val, 0, 1);",
      "  }",
      "  cs: skip;",
      "  val = 0;",
      "  futex_wake(&val, 1);",
      "  assert me == tid(self);",
      "}",
      "invariant gone_known: last == 0 || idx(last) in gone;",
      "reachable two_gone: len(gone) == 2 && hits > 0;",
    );
    const runs = both((o) => runSource(src, { ...o, kills: 1, signals: 1 }));
    const { full, sym, compiled } = runs;
    expectFullVerdicts(runs);
    expect([full.stats.states, sym.stats.states]).toEqual([93573, 16012]);
    const c = analyseSymmetry(compiled).canonicalizer!;
    expect(orbitsByBruteForce(compiled, c)).toBe(sym.stats.states);
  }, 60_000);

  it("groups are the threads of one template on one CPU", () => {
    const src = lines(
      "model placed;",
      "cpus 2;",
      "shared { word x = 0; }",
      "thread a[i in 0..3] on cpu i % 2 { x = 1; }",
      "thread b { x = 2; }",
      "kthread k per cpu { skip; }",
    );
    expect(symmetryGroups(checked(src).model)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});

/** The FX127 diagnostics `--symmetry` gives for `src`, rendered. */
function refusal(src: string, options: RunOptions = {}): string {
  try {
    runSource(src, { ...options, symmetry: true });
  } catch (e) {
    if (!(e instanceof SymmetryRefused)) throw e;
    return e.diagnostics.map((d) => render(d, e.sources)).join("\n");
  }
  throw new Error("--symmetry was not refused");
}

describe("refusals (FX127)", () => {
  it("a property naming a thread by its number", () => {
    const src = lines(
      "model named;",
      "shared { bool go = false; }",
      "thread w[i in 0..1] { cs: skip; go = true; }",
      "reachable first: at(0, cs) && !go;",
    );
    expect(refusal(src)).toBe(
      [
        "t.fxp:4:21: error FX127: --symmetry: this names thread 0 (w[0]) by its number, which tells it apart from w[1]; quantify over threads instead",
        "  reachable first: at(0, cs) && !go;",
        "                      ^",
      ].join("\n"),
    );
  });

  it("code naming a thread, or telling threads apart by arithmetic on self", () => {
    const src = lines(
      "model arith;",
      "shared { word x = 0; }",
      "thread w[i in 0..1] { if (self == 1) { x = 1; } x = self + 1; }",
    );
    const text = refusal(src);
    expect(text).toContain("t.fxp:3:35: error FX127: --symmetry: this names thread 1 (w[1]) by its number");
    expect(text).toContain("t.fxp:3:53: error FX127: --symmetry: '+' on a thread identity tells threads apart");
  });

  it("an array indexed by thread whose size is not the thread count", () => {
    const src = lines("model sized;", "shared { word a[3] = 0; }", "thread w[i in 0..1] { a[self] = 1; }");
    expect(refusal(src)).toContain(
      "t.fxp:2:10: error FX127: --symmetry: 'a' is indexed by thread numbers but has 3 elements, not one per thread (2)",
    );
  });

  it("a thread identity stored in memory through an address", () => {
    const src = lines(
      "model stored;",
      "shared { word lock = 0; }",
      "thread w[i in 0..1] { word o; o = cmpxchg(&lock, 0, tid(self)); }",
    );
    expect(refusal(src)).toContain("--symmetry: a thread identity stored through an address");
  });

  it("liveness properties", () => {
    const src = lines(
      "model live;",
      "fairness weak;",
      "shared { bool go = false; }",
      "thread w[i in 0..1] { go = true; }",
      "liveness eventually_go: always eventually go;",
    );
    expect(refusal(src)).toContain(
      "t.fxp:5:1: error FX127: --symmetry: liveness property 'eventually_go' cannot be checked with --symmetry",
    );
    // a run of the safety properties alone is fine
    expect(() => runSource(src, { symmetry: true, properties: [] })).not.toThrow();
  });

  it("a template index that is not the thread number", () => {
    const src = lines(
      "model offset;",
      "shared { word a[NTHREADS] = 0; }",
      "thread first { a[self] = 1; }",
      "thread w[i in 0..1] { a[i] = 1; }",
    );
    expect(refusal(src)).toContain("--symmetry: the index of w runs from 0 but its threads are numbers 1..2");
  });

  it("--no-dead-reset", () => {
    const src = lines("model dead;", "shared { word x = 0; }", "thread w[i in 0..1] { x = 1; }");
    expect(refusal(src, { deadReset: false })).toContain("--symmetry needs dead locals reset");
  });

  it("nothing is refused when no two threads are interchangeable: the reduction is then the identity", () => {
    const src = lines(
      "model apart;",
      "cpus 2;",
      "shared { bool go = false; }",
      "thread w[i in 0..1] on cpu i { cs: skip; go = true; }",
      "reachable first: at(0, cs) && !go;",
    );
    const { report } = runSource(src, { symmetry: true });
    expect(report.reductions.symmetry).toBe(false);
  });
});
