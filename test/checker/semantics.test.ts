// One test (or a few) per rule of docs/semantics.md, each on a tiny model written inline, with the exact
// number of states derived by hand in a comment, and the verdicts.
//
// Notation for the hand counts: a thread's *positions* are the places where its steps start (its pc between
// steps). A user thread without `on exit` ends with two steps: `exit` (into the kernel's exit path) and `die`
// (the thread is gone), so `thread a { g = 1; }` has positions [g = 1], [exit], [die], gone: 4 states.
// Locals that are dead are reset between steps, so they only tell states apart while they are still read.
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../checker/run.js";
import { lines, result, runSource, verdicts, type RunOptions } from "./helpers.js";

const M = (...body: string[]) => lines("model m;", ...body);

function run(src: string, options: RunOptions = {}): CheckReport {
  return runSource(src, options).report;
}

const states = (src: string, options: RunOptions = {}) => run(src, options).stats.states;

/** The verdicts of the three built-in checks when none of them fails. */
const BUILTIN_OK = { deadlock: "HOLDS", assertions: "HOLDS", runtime_errors: "HOLDS" };

describe("steps and atomicity", () => {
  it("thread-local statements are merged: leading local code is not a step", () => {
    // [g = 1], [exit], [die], gone: 4 states, with or without the local code before the shared write (it
    // runs as part of the initial state, as it would be merged into the step before it).
    const shared = M("shared { int 0..3 g; }", "thread a { g = 1; }");
    const local = M(
      "shared { int 0..3 g; }",
      "thread a { int 0..3 x; int 0..3 y; int 0..3 z; x = 1; y = 2; z = 3; g = 1; }",
    );
    expect(states(shared)).toBe(4);
    expect(states(local)).toBe(4);
    expect(verdicts(run(local))).toEqual(BUILTIN_OK);
  });

  it("thread-local statements are merged into the step before them", () => {
    // [g = 1], [g = 2], [exit], [die], gone: 5 states either way.
    expect(states(M("shared { int 0..3 g; }", "thread a { g = 1; g = 2; }"))).toBe(5);
    expect(
      states(M("shared { int 0..3 g; }", "thread a { int 0..3 x; int 0..3 y; g = 1; x = 1; y = x + 1; g = 2; }")),
    ).toBe(5);
  });

  it("merging removes interleavings of local code between threads", () => {
    // Two threads of 4 positions each ([write], [exit], [die], gone), all combinations: 16 states and
    // 16·2 − 8 = 24 transitions (each thread moves unless it is gone), with or without local prefixes.
    const plain = run(M("shared { int 0..3 g; int 0..3 h; }", "thread a { g = 1; }", "thread b { h = 1; }"));
    const prefixed = run(
      M(
        "shared { int 0..3 g; int 0..3 h; }",
        "thread a { int 0..3 x; int 0..3 y; x = 1; y = x + 1; g = y - 1; }",
        "thread b { int 0..3 x; x = 2; h = x - 1; }",
      ),
    );
    expect([plain.stats.states, plain.stats.transitions]).toEqual([16, 24]);
    expect([prefixed.stats.states, prefixed.stats.transitions]).toEqual([16, 24]);
  });

  it("a labelled statement is a step of its own, and at() names it", () => {
    // [g = 1] (merging x = 1 in), [g = 2], [exit], [die], gone: 5; with the label, [l: x = 1] is a
    // position too: 6.
    expect(states(M("shared { int 0..3 g; }", "thread a { int 0..3 x; g = 1; x = 1; g = 2; }"))).toBe(5);
    const labelled = run(
      M("shared { int 0..3 g; }", "thread a { int 0..3 x; g = 1; l: x = 1; g = 2; }", "reachable there: at(0, l);"),
    );
    expect(labelled.stats.states).toBe(6);
    expect(result(labelled, "there").verdict).toBe("REACHED");
    expect(result(labelled, "there").trace!.steps).toHaveLength(1);
  });

  it("ghost writes never create steps", () => {
    // [g = 1] (with both ghost writes), [g = 2], [exit], [die], gone: 5, as without the ghost.
    const r = run(
      M(
        "shared { int 0..3 g; }",
        "ghost { int 0..3 gh; }",
        "thread a { g = 1; gh = 1; gh = 2; g = 2; }",
        "invariant ghost_written_with_g: g >= 1 => gh == 2;",
      ),
    );
    expect(r.stats.states).toBe(5);
    expect(result(r, "ghost_written_with_g").verdict).toBe("HOLDS");
  });

  it("an atomic block is one step", () => {
    // Three writes: [g = 1], [g = 2], [g = 3], [exit], [die], gone: 6. In one atomic block: [atomic],
    // [exit], [die], gone: 4, and the intermediate values are never seen.
    const seq = run(M("shared { int 0..3 g; }", "thread a { g = 1; g = 2; g = 3; }", "reachable two: g == 2;"));
    const atomic = run(
      M("shared { int 0..3 g; }", "thread a { atomic { g = 1; g = 2; g = 3; } }", "reachable two: g == 2;"),
    );
    expect(seq.stats.states).toBe(6);
    expect(result(seq, "two").verdict).toBe("REACHED");
    expect(atomic.stats.states).toBe(4);
    expect(atomic.stats.transitions).toBe(3);
    expect(result(atomic, "two").verdict).toBe("UNREACHABLE");
  });

  it("a leading await guards the whole atomic step", () => {
    // b: [g = 1], [g = 2], [exit], [die], gone (B0..B4). a: [end_a: atomic] then [exit], [die], gone; its
    // step is enabled only while g == 1, i.e. while b is at B1, and then sets h = 1.
    // a not yet run: 5 (any b); a run (h = 1) at B1: a in 3 positions × b in B1..B4 = 12. Total 17.
    const guarded = run(
      M(
        "shared { int 0..3 g; int 0..3 h; }",
        "thread a { end_a: atomic { await g == 1; h = g; } }",
        "thread b { g = 1; g = 2; }",
        "reachable one: h == 1;",
        "invariant never2: h != 2;",
      ),
    );
    expect(guarded.stats.states).toBe(17);
    expect(guarded.stats.transitions).toBe(22);
    expect(verdicts(guarded)).toEqual({ one: "REACHED", never2: "HOLDS", ...BUILTIN_OK });
    // The same await outside atomic: a has positions [end_a: await], [h = g], [exit], [die], gone, and may
    // read g after b changed it. a at the await: 5; at [h = g] (b in B1..B4): 4; past it with h = 1 (read at
    // B1; b in B1..B4) × 3 positions: 12; with h = 2 (read at B2..B4, b in B2..B4) × 3 positions: 9. Total 30.
    const split = run(
      M(
        "shared { int 0..3 g; int 0..3 h; }",
        "thread a { end_a: await g == 1; h = g; }",
        "thread b { g = 1; g = 2; }",
        "reachable one: h == 1;",
        "invariant never2: h != 2;",
      ),
    );
    expect(split.stats.states).toBe(30);
    expect(verdicts(split)).toEqual({ one: "REACHED", never2: "VIOLATED", ...BUILTIN_OK });
    // shortest: b sets g = 1, a passes the await, b sets g = 2, a reads it
    expect(result(split, "never2").trace!.steps.map((s) => s.thread)).toEqual(["b", "a", "b", "a"]);
  });

  it("a choose with no candidate blocks at the start of a step and is a runtime error inside atomic", () => {
    // [choose] blocks forever (g stays 0): 1 state, a deadlock with an empty trace.
    const blocked = run(M("shared { int 0..3 g; }", "thread a { int 0..3 v; choose v where g == 1; g = 2; }"));
    expect(blocked.stats.states).toBe(1);
    expect(result(blocked, "deadlock").verdict).toBe("VIOLATED");
    expect(result(blocked, "deadlock").trace!.steps).toEqual([]);
    expect(result(blocked, "runtime_errors").verdict).toBe("HOLDS");
    // Inside atomic, after g = 1, nothing satisfies g == 2: the step fails (1 state, no successor).
    const mid = run(M("shared { int 0..3 g; }", "thread a { int 0..3 v; atomic { g = 1; choose v where g == 2; } }"));
    expect(mid.stats.states).toBe(1);
    expect(result(mid, "runtime_errors")).toMatchObject({
      verdict: "VIOLATED",
      message: "choose has no candidate in the middle of an atomic step",
    });
  });

  it("a step that starts with thread-local code blocks at its first visible instruction, in a large template too", () => {
    // The handler's leading local code runs into `await go == 1` as one step, which blocks (it is the step's
    // first visible instruction) until `setter` runs. 14 local statements put the await into another
    // generated function than the handler's entry (code generation splits templates of more than 12
    // instructions), so the step changes function before its first visible instruction.
    const locals = Array.from({ length: 14 }, (_, i) => `x = ${i % 2};`).join(" ");
    const src = M(
      "shared { int 0..1 go = 0; int 0..1 hits = 0; int 0..1 g = 0; }",
      `handler h { int 0..1 x; ${locals} await go == 1; hits = 1; }`,
      "thread main handler h { g = 1; }",
      "thread setter { go = 1; }",
      "reachable handled: hits == 1;",
    );
    const { report, compiled } = runSource(src, { signals: 1 });
    expect(compiled.source).toMatch(/function run_0_1\(/);
    expect(verdicts(report)).toEqual({ handled: "REACHED", ...BUILTIN_OK });
  });

  it("a step that never reaches a visible instruction is a runtime error", () => {
    const r = run(M("shared { int 0..3 g; }", "thread a { int 0..1 x; g = 1; while (true) { x = 1 - x; } }"));
    // the only step ([g = 1] and then the local loop) fails: 1 state
    expect(r.stats.states).toBe(1);
    expect(result(r, "runtime_errors").verdict).toBe("VIOLATED");
    expect(result(r, "runtime_errors").message).toMatch(/a step of a does not end/);
  });
});

describe("await and deadlocks", () => {
  it("await blocks; when nothing can move and a thread is not at an end label, it is a deadlock", () => {
    const r = run(M("shared { int 0..3 g; }", "thread a { await g == 1; }"));
    expect(r.stats.states).toBe(1);
    expect(verdicts(r)).toEqual({ ...BUILTIN_OK, deadlock: "VIOLATED" });
    expect(result(r, "deadlock").message).toBe("no thread can move: a is blocked at t.fxp:3");
    expect(result(r, "deadlock").trace!.steps).toEqual([]);
  });

  it("a thread blocked at a label whose name starts with `end` is a valid end state", () => {
    const r = run(M("shared { int 0..3 g; }", "thread a { end_wait: await g == 1; }"));
    expect(r.stats.states).toBe(1);
    expect(verdicts(r)).toEqual(BUILTIN_OK);
  });

  it("the deadlock is reported in the shortest state where nothing moves", () => {
    // a blocks at once; b runs [h = 1], [exit], [die], gone: 4 states; the deadlock is b gone, 3 steps in.
    const r = run(M("shared { int 0..3 g; int 0..3 h; }", "thread a { await g == 1; }", "thread b { h = 1; }"));
    expect(r.stats.states).toBe(4);
    const dl = result(r, "deadlock");
    expect(dl.verdict).toBe("VIOLATED");
    expect(dl.trace!.steps.map((s) => s.thread)).toEqual(["b", "b", "b"]);
    expect(dl.trace!.final).toMatchObject({ a: "user", b: "exited" });
  });
});

describe("nondeterminism", () => {
  it("either explores every branch", () => {
    // [either] → one of 3 positions [g = k]; each then [exit], [die], gone with its own g: 1 + 3·4 = 13.
    const r = run(
      M(
        "shared { int 0..3 g; }",
        "thread a { either { g = 1; } or { g = 2; } or { g = 3; } }",
        "reachable r1: g == 1;",
        "reachable r2: g == 2;",
        "reachable r3: g == 3;",
      ),
    );
    expect(r.stats.states).toBe(13);
    expect(r.stats.transitions).toBe(12);
    expect(verdicts(r)).toEqual({ r1: "REACHED", r2: "REACHED", r3: "REACHED", ...BUILTIN_OK });
  });

  it("choose explores every value of its range, or every value satisfying where", () => {
    // [choose] → 4 values of v at [g = v]; then [exit], [die], gone with g = v: 1 + 4·4 = 17.
    const all = run(
      M("shared { int 0..3 g; }", "thread a { int 0..3 v; choose v in 0..3; g = v; }", "reachable r3: g == 3;"),
    );
    expect(all.stats.states).toBe(17);
    expect(result(all, "r3").verdict).toBe("REACHED");
    // where v != 2: 3 values: 1 + 3·4 = 13, and g == 2 never happens.
    const some = run(
      M("shared { int 0..3 g; }", "thread a { int 0..3 v; choose v where v != 2; g = v; }", "reachable r2: g == 2;"),
    );
    expect(some.stats.states).toBe(13);
    expect(result(some, "r2").verdict).toBe("UNREACHABLE");
  });
});

describe("threads, CPUs and preemption", () => {
  // k: [nopreempt entry], [g = 1], [g = 2] (then preemption back on, merged), [die], gone: K0..K4, with
  // preemption off at K1 and K2 (g is 1 only at K2). j: [h = g], [die], gone: J0..J2.
  const np = (cpus: number, jcpu: number) =>
    M(
      `cpus ${cpus};`,
      "kernel { int 0..3 g; int 0..3 h; }",
      "kthread k on cpu 0 { nopreempt { g = 1; g = 2; } }",
      `kthread j on cpu ${jcpu} { h = g; }`,
      "reachable saw1: h == 1;",
    );

  it("nopreempt keeps the other threads of the CPU from stepping", () => {
    // Same CPU: j reads g only at K0 (h = 0) or K3/K4 (h = 2). j not run: 5; run at K0: J1 × 5 + J2 × 5 = 10
    // (k goes on afterwards); run at K3/K4: {K3, K4} × {J1, J2} = 4. Total 19.
    for (const src of [np(1, 0), np(2, 0)]) {
      const r = run(src);
      expect(r.stats.states).toBe(19);
      expect(verdicts(r)).toEqual({ saw1: "UNREACHABLE", ...BUILTIN_OK });
    }
  });

  it("nopreempt does not stop threads of other CPUs", () => {
    // j may read g at any K: not run 5; h = 0 (read at K0/K1): {J1, J2} × 5 = 10; h = 1 (read at K2):
    // {J1, J2} × {K2, K3, K4} = 6; h = 2 (read at K3/K4): {J1, J2} × {K3, K4} = 4. Total 25.
    const r = run(np(2, 1));
    expect(r.stats.states).toBe(25);
    expect(verdicts(r)).toEqual({ saw1: "REACHED", ...BUILTIN_OK });
    expect(result(r, "saw1").trace!.steps.map((s) => [s.thread, s.cpu])).toEqual([
      ["k", 0],
      ["k", 0],
      ["j", 1],
    ]);
  });

  it("nested nopreempt (4 deep) still keeps preemption off until the outermost block ends", () => {
    // k: 4 entries, [g = 1], [g = 2], [die], gone: 8 positions, preemption off at positions 2..6.
    // j not run: 8; run at K0 (h = 0): J1 × 8 + J2 × 8 = 16; run at the end (h = 2): 2 × 2 = 4. Total 28.
    const r = run(
      M(
        "kernel { int 0..3 g; int 0..3 h; }",
        "kthread k on cpu 0 { nopreempt { nopreempt { nopreempt { nopreempt { g = 1; g = 2; } } } } }",
        "kthread j on cpu 0 { h = g; }",
        "reachable saw1: h == 1;",
      ),
    );
    expect(r.stats.states).toBe(28);
    expect(verdicts(r)).toEqual({ saw1: "UNREACHABLE", ...BUILTIN_OK });
  });

  it("spin_lock of a lock held by the thread's own CPU deadlocks", () => {
    // [preempt off], [spin_lock] (takes l), [preempt off] (again), [spin_lock] spins on its own lock: 4 states.
    const r = run(M("kernel { int 0..3 l; }", "kthread k on cpu 0 { spin_lock(l); spin_lock(l); }"));
    expect(r.stats.states).toBe(4);
    expect(verdicts(r)).toEqual({ ...BUILTIN_OK, deadlock: "VIOLATED" });
    expect(result(r, "deadlock").trace!.steps).toHaveLength(3);
  });

  it("spin_lock turns preemption off before it spins: a spinner blocks its CPU", () => {
    // a (cpu 0): [preempt off] A0, [spin_lock] A1, [await go] A2 (holds l), [spin_unlock] A3, [die] A4, gone A5.
    // b (cpu 1): [preempt off] B0, [spin_lock] B1, [spin_unlock] B2 (holds l), [die] B3, gone B4.
    // c: [go = true] C0, [die] C1, gone C2. Reachable triples: a in A0/A1 with any b, c: 2·5·3 = 30; a at A2
    // (b not holding): 4·3 = 12; a at A3 (go set): 4·2 = 8; a at A4/A5: 2·5·2 = 20. Total 70 whether c is on
    // cpu 1 or 2. On cpu 1, b spinning (A2, B1, C0) stops c, which a waits for: a deadlock.
    const src = (ccpu: number) =>
      M(
        "cpus 3;",
        "kernel { int 0..3 l; bool go; }",
        "kthread a on cpu 0 { spin_lock(l); await go; spin_unlock(l); }",
        "kthread b on cpu 1 { spin_lock(l); spin_unlock(l); }",
        `kthread c on cpu ${ccpu} { go = true; }`,
      );
    const same = run(src(1));
    expect(same.stats.states).toBe(70);
    expect(verdicts(same)).toEqual({ ...BUILTIN_OK, deadlock: "VIOLATED" });
    const dl = result(same, "deadlock");
    expect(dl.message).toBe(
      "no thread can move: a is blocked at t.fxp:4; b is blocked at t.fxp:5; c is blocked at t.fxp:6",
    );
    expect(dl.trace!.steps.map((s) => s.thread)).toEqual(["a", "a", "b"]);
    const other = run(src(2));
    expect(other.stats.states).toBe(70);
    expect(verdicts(other)).toEqual(BUILTIN_OK);
  });

  it("spin locks give mutual exclusion across CPUs (bool and number locks)", () => {
    for (const type of ["bool", "int 0..3"]) {
      const r = run(
        M(
          "cpus 2;",
          `kernel { ${type} l; int 0..3 inside; }`,
          "kthread k on cpu 0 { spin_lock(l); inside = inside + 1; inside = inside - 1; spin_unlock(l); }",
          "kthread j on cpu 1 { spin_lock(l); inside = inside + 1; inside = inside - 1; spin_unlock(l); }",
          "invariant mutex: inside <= 1;",
        ),
      );
      expect(verdicts(r)).toEqual({ mutex: "HOLDS", ...BUILTIN_OK });
    }
  });

  it("spin_unlock of a lock the thread does not hold is an assertion failure (a kernel BUG())", () => {
    const r = run(M("kernel { int 0..3 l; }", "kthread k on cpu 0 { spin_unlock(l); }"));
    expect(r.stats.states).toBe(1);
    expect(result(r, "assertions")).toMatchObject({
      verdict: "VIOLATED",
      message: "BUG: spin_unlock of a lock this thread does not hold",
    });
  });

  it("threads are numbered in declaration order; a thread's TID is its number + 1", () => {
    // two threads of 4 positions each: 16 states
    const r = run(
      M(
        "shared { tid me[2]; }",
        "thread a[i in 0..1] { me[i] = tid(self); }",
        "invariant tids: (me[0] == 0 || me[0] == 1) && (me[1] == 0 || me[1] == 2);",
        "reachable both: me[0] == 1 && me[1] == 2;",
      ),
    );
    expect(r.stats.states).toBe(16);
    expect(verdicts(r)).toEqual({ tids: "HOLDS", both: "REACHED", ...BUILTIN_OK });
  });
});

describe("user mode and kernel mode", () => {
  it("entering a syscall and returning from it are steps; in_user/in_kernel observe them", () => {
    // [enter] (user), [g = 1] (kernel), [sysret] (kernel), [exit] (user), [die], gone: 6.
    const r = run(
      M(
        "kernel { int 0..3 g; }",
        "syscall sc() { g = 1; }",
        "thread a { sc(); }",
        "reachable entered: in_kernel(0) && g == 0;",
        "reachable returned: in_user(0) && g == 1;",
        "invariant one_mode: exited(0) || in_user(0) != in_kernel(0);",
      ),
    );
    expect(r.stats.states).toBe(6);
    expect(verdicts(r)).toEqual({ entered: "REACHED", returned: "REACHED", one_mode: "HOLDS", ...BUILTIN_OK });
    expect(result(r, "entered").trace!.steps.map((s) => s.note)).toEqual(["enters the kernel: sc()"]);
    expect(result(r, "returned").trace!.steps.map((s) => s.side)).toEqual(["user", "kernel", "kernel"]);
    // A syscall whose body touches nothing shared: [enter], [sysret], [exit], [die], gone: 5.
    expect(states(M("syscall sc() { skip; }", "thread a { sc(); }"))).toBe(5);
  });

  it("exit() runs `on exit` in kernel mode, then the thread is exited", () => {
    // [s = 1], [exit()], [g = 1] (on exit, kernel), [die], gone: 5; `s = 2` after exit() never runs.
    const r = run(
      M(
        "shared { int 0..3 s; }",
        "kernel { int 0..3 g; }",
        "on exit { g = 1; }",
        "thread a { s = 1; exit(); s = 2; }",
        "invariant never2: s != 2;",
        "invariant exit_path_ran: exited(0) => g == 1;",
        "reachable in_exit_path: in_kernel(0) && g == 0;",
      ),
    );
    expect(r.stats.states).toBe(5);
    expect(verdicts(r)).toEqual({ never2: "HOLDS", exit_path_ran: "HOLDS", in_exit_path: "REACHED", ...BUILTIN_OK });
    expect(result(r, "in_exit_path").trace!.steps.map((s) => s.note)).toEqual([
      null,
      "exit(): enters the kernel exit path",
    ]);
    // Falling off the end of the body is exit(): [skip] is merged into the initial state; [exit], [g = 1],
    // [die], gone: 4.
    expect(states(M("kernel { int 0..3 g; }", "on exit { g = 1; }", "thread a { skip; }"))).toBe(4);
  });
});

describe("kills", () => {
  it("a kill at a user-mode boundary runs the exit path", () => {
    // Without kills: [g = 1], [g = 2], [exit], [die], gone: 5. With one kill, at any of the 3 user positions
    // (g = 0, 1, 2): the thread goes to [die] killed, then gone killed: 2 more states per g: 5 + 6 = 11.
    const src = M(
      "shared { int 0..3 g; }",
      "thread a killable { g = 1; g = 2; }",
      "reachable killed_at_1: killed(0) && g == 1;",
    );
    const none = run(src);
    expect(none.stats.states).toBe(5);
    expect(result(none, "killed_at_1").verdict).toBe("UNREACHABLE");
    const one = run(src, { kills: 1 });
    expect(one.stats.states).toBe(11);
    expect(verdicts(one)).toEqual({ killed_at_1: "REACHED", ...BUILTIN_OK });
    const trace = result(one, "killed_at_1").trace!;
    expect(trace.steps.map((s) => s.kind)).toEqual(["step", "kill"]);
    expect(trace.final).toMatchObject({ a: "kernel, killed", "kills sent": "1" });
  });

  it("a kill is not delivered in kernel mode outside an interruptible sleep", () => {
    // [enter], [g = 1], [g = 2], [sysret], [exit], [die], gone: 7. Kills at the two user positions ([enter]
    // with g = 0, [exit] with g = 2) add [die] and gone killed for each: 11. Never killed with g == 1.
    const src = M(
      "kernel { int 0..3 g; }",
      "syscall sc() { g = 1; g = 2; }",
      "thread a killable { sc(); }",
      "reachable mid: killed(0) && g == 1;",
      "reachable after: killed(0) && g == 2;",
    );
    expect(states(src)).toBe(7);
    const r = run(src, { kills: 1 });
    expect(r.stats.states).toBe(11);
    expect(verdicts(r)).toEqual({ mid: "UNREACHABLE", after: "REACHED", ...BUILTIN_OK });
  });

  it("a kill ends an interruptible sleep, signal_pending() sees it, and the exit path runs on return", () => {
    // Without kills: [enter], [await] forever: 2 states, a deadlock. With a kill at [enter]: [die], gone
    // killed (+2). With a kill while asleep: [await] with the kill pending, [if signal_pending()], [r = 1],
    // [sysret], then the exit path: [die], gone (+6). Total 10.
    const src = M(
      "kernel { bool go; int 0..3 r; }",
      "syscall sleep() { await interruptible go; if (signal_pending()) { r = 1; } else { r = 2; } }",
      "thread a killable { sleep(); }",
      "reachable woke: r == 1;",
      "invariant only_killed: r == 1 => killed(0);",
    );
    const none = run(src);
    expect(none.stats.states).toBe(2);
    expect(verdicts(none)).toEqual({ woke: "UNREACHABLE", only_killed: "HOLDS", ...BUILTIN_OK, deadlock: "VIOLATED" });
    expect(result(none, "deadlock").message).toBe("no thread can move: a is blocked at t.fxp:3 in sleep");
    const one = run(src, { kills: 1 });
    expect(one.stats.states).toBe(10);
    expect(verdicts(one)).toEqual({ woke: "REACHED", only_killed: "HOLDS", ...BUILTIN_OK, deadlock: "VIOLATED" });
    // [enter], the kill, the end of the sleep, [if signal_pending()], [r = 1]
    expect(result(one, "woke").trace!.steps.map((s) => s.kind)).toEqual(["step", "kill", "step", "step", "step"]);
    expect(result(one, "woke").trace!.final).toMatchObject({ a: "kernel, killed" });
  });

  it("a killed thread asleep in futex_wait leaves the wait queue", () => {
    // futex_wait: [enter], [atomic: re-check and enqueue], [await interruptible] forever: 3 states.
    // With a kill at [enter]: [die], gone killed (+2); while asleep: [await] with the kill pending,
    // [if futex_key[self] != null], [futex_key[self] = null], [sysret]; its exit path reaches the same [die]
    // state as the first kill (+4). Total 9.
    const src = M(
      'import "futex";',
      "shared { word f = 0; }",
      "thread w killable { futex_wait(&f, 0); }",
      "reachable killed_asleep: killed(0) && futex_key[0] != null;",
      "invariant left_queue: exited(0) => futex_key[0] == null;",
    );
    const none = run(src);
    expect(none.stats.states).toBe(3);
    const one = run(src, { kills: 1 });
    expect(one.stats.states).toBe(9);
    expect(verdicts(one)).toEqual({
      killed_asleep: "REACHED",
      left_queue: "HOLDS",
      ...BUILTIN_OK,
      deadlock: "VIOLATED",
    });
  });

  it("the kill budget bounds the kills", () => {
    // Two threads of 4 positions ([x: skip], [exit], [die], gone); a killed one has 2 ([die], gone killed).
    // kills 1: 4·4 + 2·(2·4) = 32; kills 2 adds both killed: 2·2 = 4 → 36.
    const src = M("thread a[i in 0..1] killable { x: skip; }", "invariant not_both: !(killed(0) && killed(1));");
    const one = run(src, { kills: 1 });
    expect(one.stats.states).toBe(32);
    expect(verdicts(one)).toEqual({ not_both: "HOLDS", ...BUILTIN_OK });
    const two = run(src, { kills: 2 });
    expect(two.stats.states).toBe(36);
    expect(verdicts(two)).toEqual({ not_both: "VIOLATED", ...BUILTIN_OK });
    expect(result(two, "not_both").trace!.steps.map((s) => s.kind)).toEqual(["kill", "kill"]);
  });
});

describe("signals", () => {
  it("a signal runs the handler in user mode and returns to where the thread was", () => {
    // No signal: [g = 1], [exit], [die], gone: 4. The handler is [h = h + 1], [sigreturn]. Signal at [g = 1]:
    // 2 handler states, then the 4 positions again with h = 1: 6. At [exit] (g = 1): the 2 handler states
    // (their return pc differs), then back at [exit] with h = 1, a state of the previous case (the return pc
    // is cleared once used): 2. Total 12.
    const src = M(
      "shared { int 0..3 g; int 0..3 h; }",
      "handler hnd { h = h + 1; }",
      "thread a handler hnd { g = 1; }",
      "reachable handled: in_handler(0) && in_user(0);",
      "invariant once: h <= 1;",
    );
    expect(states(src)).toBe(4);
    const r = run(src, { signals: 1 });
    expect(r.stats.states).toBe(12);
    expect(verdicts(r)).toEqual({ handled: "REACHED", once: "HOLDS", ...BUILTIN_OK });
    expect(result(r, "handled").trace!.steps.map((s) => s.kind)).toEqual(["signal"]);
  });

  it("no signal is delivered while signals are blocked", () => {
    // Blocked around the writes: [block], [crit = true], [crit = false], [unblock], [exit], [die], gone: 7.
    // Signals only at [block] (2 handler states + 7 with h = 1) and [exit] (2 handler states, then a state
    // already counted): 7 + 9 + 2 = 18.
    const blocked = run(
      M(
        "shared { bool crit; int 0..3 h; }",
        "handler hnd { h = h + 1; }",
        "thread a handler hnd { block_signals(); crit = true; crit = false; unblock_signals(); }",
        "reachable during: in_handler(0) && crit;",
      ),
      { signals: 1 },
    );
    expect(blocked.stats.states).toBe(18);
    expect(verdicts(blocked)).toEqual({ during: "UNREACHABLE", ...BUILTIN_OK });
    // Unblocked: [crit = true], [crit = false], [exit], [die], gone: 5; a signal at [crit = true] gives 2
    // handler states and 5 with h = 1; at [crit = false] or [exit], 2 handler states each, then that chain:
    // 5 + 7 + 2 + 2 = 16.
    const open = run(
      M(
        "shared { bool crit; int 0..3 h; }",
        "handler hnd { h = h + 1; }",
        "thread a handler hnd { crit = true; crit = false; }",
        "reachable during: in_handler(0) && crit;",
      ),
      { signals: 1 },
    );
    expect(open.stats.states).toBe(16);
    expect(verdicts(open)).toEqual({ during: "REACHED", ...BUILTIN_OK });
  });

  it("handlers do not nest, and the signal budget bounds the signals", () => {
    // Thread: [x: skip], [exit], [die], gone: 4. Handler: [depth + 1], [runs + 1], [depth - 1], [sigreturn].
    // signals 1: at [x] 4 handler states + 4 with runs = 1; at [exit] 4 handler states, then back in that
    // chain: 4 + 8 + 4 = 16.
    // signals 2: a second signal once the first handler returned (runs = 1), at [x] (4 + 4 with runs = 2) or
    // at [exit] (4, then back in that chain): 16 + 8 + 4 = 28.
    const src = M(
      "shared { int 0..3 depth; int 0..3 runs; }",
      "handler hnd { depth = depth + 1; runs = runs + 1; depth = depth - 1; }",
      "thread a handler hnd { x: skip; }",
      "invariant not_nested: depth <= 1;",
      "invariant at_most_once: runs <= 1;",
      "reachable twice: runs == 2;",
    );
    const one = run(src, { signals: 1 });
    expect(one.stats.states).toBe(16);
    expect(verdicts(one)).toEqual({ not_nested: "HOLDS", at_most_once: "HOLDS", twice: "UNREACHABLE", ...BUILTIN_OK });
    const two = run(src, { signals: 2 });
    expect(two.stats.states).toBe(28);
    expect(verdicts(two)).toEqual({ not_nested: "HOLDS", at_most_once: "VIOLATED", twice: "REACHED", ...BUILTIN_OK });
    expect(result(two, "twice").trace!.steps.map((s) => s.kind)).toEqual([
      "signal",
      "step",
      "step",
      "step",
      "step",
      "signal",
      "step",
      "step",
    ]);
  });

  it("a signal ends an interruptible sleep and its handler runs when the syscall returns", () => {
    // No signal: [enter], [await] forever (2). Signal at [enter]: [seen = r + 1], [sigreturn], back at [enter],
    // then [await] forever (4). Signal while asleep: [await] pending, [if signal_pending()], [put_user],
    // [sysret], handler [seen = r + 1] (r = 1), [sigreturn], [exit], [die], gone (9). Total 15.
    const r = run(
      M(
        "shared { int 0..3 r; int 0..3 seen; }",
        "kernel { bool go; }",
        "syscall sleep() { await interruptible go; if (signal_pending()) { put_user(&r, 1); } }",
        "handler hnd { seen = r + 1; }",
        "thread a handler hnd { sleep(); }",
        "invariant handler_after_return: r == 1 => seen != 1;",
        "reachable pending_handled: seen == 2;",
      ),
      { signals: 1 },
    );
    expect(r.stats.states).toBe(15);
    expect(verdicts(r)).toEqual({
      handler_after_return: "HOLDS",
      pending_handled: "REACHED",
      ...BUILTIN_OK,
      deadlock: "VIOLATED",
    });
    const steps = result(r, "pending_handled").trace!.steps;
    expect(steps.map((s) => [s.kind, s.side])).toEqual([
      ["step", "user"],
      ["signal", "kernel"],
      ["step", "kernel"],
      ["step", "kernel"],
      ["step", "kernel"],
      ["step", "kernel"],
      ["step", "user"],
    ]);
    expect(steps[5].note).toBe("returns to user mode from sleep()");
  });

  it("a kill may arrive inside a signal handler", () => {
    // Thread [x: skip], [exit], [die], gone (4); handler [h = 1], [h = 2], [sigreturn]. Kill only: [die] and
    // gone killed (2). Signal only: at [x] 3 + 4 with h = 2, at [exit] 3 handler states then that chain (10).
    // Signal then kill at one of the 3 handler positions: [die] and gone killed with that h (6: the return pc
    // is cleared by the kill, so both deliveries meet; a kill after the handler returned reaches the states
    // of one at [sigreturn]). 4 + 2 + 10 + 6 = 22.
    const r = run(
      M(
        "shared { int 0..3 h; }",
        "handler hnd { h = 1; h = 2; }",
        "thread a killable handler hnd { x: skip; }",
        "reachable killed_inside: killed(0) && h == 1;",
      ),
      { kills: 1, signals: 1 },
    );
    expect(r.stats.states).toBe(22);
    expect(verdicts(r)).toEqual({ killed_inside: "REACHED", ...BUILTIN_OK });
    expect(result(r, "killed_inside").trace!.steps.map((s) => s.kind)).toEqual(["signal", "step", "kill"]);
  });
});

describe("runtime errors and assertions", () => {
  // Each model fails in its second step: 2 states (the first step's result has no successor).
  const cases: [string, string, string][] = [
    [
      "an index out of bounds",
      M("shared { int 0..3 a[2]; int 0..3 i; }", "thread t { i = 2; a[i] = 1; }"),
      "index 2 is out of bounds for a[2]",
    ],
    [
      "a value that does not fit its variable",
      M("shared { int 0..3 g; }", "thread t { g = 3; g = g + 1; }"),
      "value 4 does not fit in g (0..3)",
    ],
    [
      "a write through a null address",
      M("shared { int 0..3 g; }", "thread t { addr p; g = 1; *p = 1; }"),
      "write through a null address",
    ],
    [
      "a full queue",
      M("kernel { tidqueue<1> q; }", "kthread k on cpu 0 { push(q, self); push(q, self); }"),
      "queue overflow: a tid queue of capacity 1 is full",
    ],
    [
      "a division by zero",
      M("shared { int 0..3 g; int 0..3 z; }", "thread t { g = 1; g = 3 / z; }"),
      "division by zero",
    ],
  ];
  for (const [what, src, message] of cases) {
    it(`${what} is a runtime error, with a trace ending in the failing step`, () => {
      const r = run(src);
      expect(r.stats.states).toBe(2);
      const re = result(r, "runtime_errors");
      expect(re.verdict).toBe("VIOLATED");
      expect(re.message).toBe(message);
      expect(re.trace!.steps.map((s) => s.kind)).toEqual(["step", "fail"]);
      expect(re.trace!.steps[1].line).toBe(3);
      expect(result(r, "assertions").verdict).toBe("HOLDS");
    });
  }

  it("a local that is assigned out of its range at the start fails in the first step", () => {
    const r = run(M("shared { int 0..3 g; }", "thread t { int 0..3 x; x = 4; g = x; }"));
    expect(r.stats.states).toBe(1);
    expect(result(r, "runtime_errors")).toMatchObject({
      verdict: "VIOLATED",
      message: "value 4 does not fit in x (0..3)",
    });
    expect(result(r, "runtime_errors").trace!.steps.map((s) => s.kind)).toEqual(["fail"]);
  });

  it("a failed assert is VIOLATED assertions", () => {
    // [g = 1], then [assert g == 0] fails: 2 states.
    const r = run(M("shared { int 0..3 g; }", "thread t { g = 1; assert g == 0; }"));
    expect(r.stats.states).toBe(2);
    const a = result(r, "assertions");
    expect(a).toMatchObject({ verdict: "VIOLATED", message: "assertion failed: g == 0" });
    expect(a.trace!.steps.map((s) => [s.kind, s.source])).toEqual([
      ["step", "thread t { g = 1; assert g == 0; }"],
      ["fail", "thread t { g = 1; assert g == 0; }"],
    ]);
    expect(result(r, "runtime_errors").verdict).toBe("HOLDS");
  });
});

describe("properties and verdicts", () => {
  it("reachable is REACHED with a witness, or UNREACHABLE with a warning", () => {
    // [g = 1], [g = 2], [exit], [die], gone: 5.
    const r = run(
      M("shared { int 0..3 g; }", "thread a { g = 1; g = 2; }", "reachable two: g == 2;", "reachable three: g == 3;"),
    );
    expect(r.stats.states).toBe(5);
    expect(result(r, "two")).toMatchObject({ verdict: "REACHED", message: null });
    expect(result(r, "two").trace!.steps).toHaveLength(2);
    expect(result(r, "two").trace!.final).toMatchObject({ g: "2" });
    expect(result(r, "three")).toMatchObject({
      verdict: "UNREACHABLE",
      trace: null,
      message: "no reachable state satisfies it: the other verdicts may be vacuous",
    });
  });

  it("an invariant is VIOLATED with the shortest trace to a state where it fails", () => {
    const r = run(M("shared { int 0..3 g; }", "thread a { g = 1; g = 2; g = 3; }", "invariant small: g < 2;"));
    const v = result(r, "small");
    expect(v.verdict).toBe("VIOLATED");
    expect(v.trace!.steps).toHaveLength(2);
    expect(v.trace!.initial).toMatchObject({ g: "0" });
    expect(v.trace!.final).toMatchObject({ g: "2" });
    expect(v.location).toMatchObject({ file: "t.fxp", line: 4 });
  });

  it("a bound gives INCOMPLETE, never HOLDS or UNREACHABLE", () => {
    // maxStates 3: [g = 1], [g = 2], [g = 3] stored; the search stops before expanding the third.
    const r = run(
      M(
        "shared { int 0..3 g; }",
        "thread a { g = 1; g = 2; g = 3; }",
        "invariant i: g < 3;",
        "reachable r3: g == 3;",
        "reachable r1: g == 1;",
      ),
      { maxStates: 3 },
    );
    expect(r.complete).toBe(false);
    expect(r.stopReason).toMatch(/--max-states 3/);
    expect(verdicts(r)).toEqual({
      i: "INCOMPLETE",
      r3: "INCOMPLETE",
      r1: "REACHED",
      deadlock: "INCOMPLETE",
      assertions: "INCOMPLETE",
      runtime_errors: "INCOMPLETE",
    });
  });

  it("liveness properties are checked: with no cycle, every execution ends in g == 1", () => {
    const r = run(
      M(
        "shared { int 0..3 g; }",
        "thread a { g = 1; }",
        "liveness l: g == 0 leads_to g == 1;",
        "liveness ae: always eventually g == 1;",
      ),
    );
    expect(verdicts(r)).toEqual({ l: "HOLDS", ae: "HOLDS", ...BUILTIN_OK });
    expect(r.complete).toBe(true);
  });
});

describe("lost wake-ups", () => {
  // waiter: [enter], [atomic: re-check, enqueue], [await] (queued), then once woken [if], [sysret], [exit],
  // [die], gone. waker: [enter], [atomic: wake], [sysret], [exit], [die], gone.
  it("a waiter that can sleep forever in futex_wait is a deadlock naming the futex word", () => {
    // The waker never changes f, so a wake before the waiter is queued is lost. Waker before its wake (2
    // positions) × waiter at [enter], [atomic], [await]: 6; after a lost wake (4 positions) × the same 3: 12;
    // after a wake that found the waiter queued: 4 × 6 waiter positions (woken at [await], [if] … gone): 24.
    // Total 42. Shortest deadlock: the waker's [enter], [wake]; the waiter's [enter], [enqueue]; the waker's
    // [sysret], [exit], [die]: 7 steps.
    const r = run(
      M(
        'import "futex";',
        "shared { word f = 0; }",
        "thread waiter { futex_wait(&f, 0); }",
        "thread waker { futex_wake(&f, 1); }",
      ),
    );
    expect(r.stats.states).toBe(42);
    expect(verdicts(r)).toEqual({ ...BUILTIN_OK, deadlock: "VIOLATED" });
    const dl = result(r, "deadlock");
    expect(dl.message).toBe("no thread can move: waiter sleeps forever in futex_wait on &f (lost wake-up)");
    expect(dl.message).toMatch(/futex_wait/);
    expect(dl.trace!.steps).toHaveLength(7);
  });

  it("no lost wake-up when the waker changes the word first", () => {
    // waker: [f = 1] first (7 positions). f = 0: waiter at 3 positions; f = 1 before the wake (2 waker
    // positions) × waiter [enter], [atomic], [await] queued, or past an EAGAIN return ([sysret] … gone): 7 → 14;
    // after the wake (4) × waiter [enter], [atomic], woken [await], [if], [sysret], [exit], [die], gone: 32.
    // Total 3 + 14 + 32 = 49.
    const r = run(
      M(
        'import "futex";',
        "shared { word f = 0; }",
        "thread waiter { futex_wait(&f, 0); }",
        "thread waker { f = 1; futex_wake(&f, 1); }",
      ),
    );
    expect(r.stats.states).toBe(49);
    expect(verdicts(r)).toEqual(BUILTIN_OK);
  });
});

describe("named versions and source references", () => {
  const VERSIONED = M(
    'enum K { OLD = "1.0", NEW = "2.0" }',
    "param V: K = NEW;",
    "shared { int 0..3 g; }",
    "thread a { if (V >= NEW) { g = 1; } g = 2; }",
  );

  it("an enum param is a constant: its branch is decided before the search, in declaration order", () => {
    // NEW: [g = 1], [g = 2], [exit], [die], gone: 5 states. OLD (by label or by name): the branch is not
    // taken and the `if` reads no shared state, so [g = 2], [exit], [die], gone: 4 states.
    expect(states(VERSIONED)).toBe(5);
    expect(states(VERSIONED, { overrides: { V: "1.0" } })).toBe(4);
    expect(states(VERSIONED, { overrides: { V: "OLD" } })).toBe(4);
    expect(states(VERSIONED, { overrides: { V: "2.0" } })).toBe(5);
    expect(run(VERSIONED, { overrides: { V: "1.0" } }).params).toEqual({ V: "1.0" });
  });

  it("source references change no state and no verdict, and each step shows its nearest ones", () => {
    const plain = M("shared { int 0..3 g; }", "proc p() { g = 2; }", "thread a { g = 1; p(); assert g == 3; }");
    const linked = M(
      'follows proj "1.0";',
      "shared { int 0..3 g; }",
      "proc p() { g = 2; }",
      '@proj "t.c:1"',
      'thread a { @proj "t.c:2" g = 1; @proj "0.9" "t.c:3-4" p(); assert g == 3; }',
    );
    // [g = 1], [g = 2], [assert: fails]: 3 states (and the failing step).
    expect(states(plain)).toBe(3);
    expect(states(linked)).toBe(3);
    expect(verdicts(run(linked))).toEqual(verdicts(run(plain)));
    const steps = result(run(linked), "assertions").trace!.steps;
    // A statement's own, then a routine without references shows its call's, then the body's.
    expect(steps.map((s) => s.refs.map((r) => r.text))).toEqual([["proj t.c:2"], ["proj 0.9 t.c:3-4"], ["proj t.c:1"]]);
    expect(steps[0].refs[0]).toEqual({ project: "proj", version: "1.0", location: "t.c:2", text: "proj t.c:2" });
    expect(steps[1].refs[0].version).toBe("0.9");
  });

  it("docs/semantics.md's versioned exit path: the wake-up is lost before 5.5 only", () => {
    const src = M(
      'follows linux "5.5";',
      'enum Kernel { BEFORE_5_5 = "4.19", V5_5 = "5.5" }',
      "param KVER: Kernel = V5_5;",
      "shared { word lock = 1; }",
      "kernel { bool asleep = false; }",
      "syscall wait_for_unlock() { atomic { if (get_user(&lock) == 0) { return; } asleep = true; } await !asleep; }",
      "syscall wake() { asleep = false; }",
      "thread unlocker killable { lock = 0; wake(); }",
      "on exit {",
      "  if (get_user(&lock) == 1) { put_user(&lock, 0); asleep = false; }",
      '  else { @linux "kernel/futex.c:3595-3600" if (KVER >= V5_5) { asleep = false; } }',
      "}",
      "thread waiter { wait_for_unlock(); }",
    );
    const old = run(src, { kills: 1, overrides: { KVER: "4.19" } });
    const fixed = run(src, { kills: 1, overrides: { KVER: "5.5" } });
    expect([old.stats.states, result(old, "deadlock").verdict, result(old, "deadlock").trace!.steps.length]).toEqual([
      100,
      "VIOLATED",
      6,
    ]);
    expect([fixed.stats.states, verdicts(fixed)]).toEqual([128, BUILTIN_OK]);
  });
});
