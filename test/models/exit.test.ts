// The models of models/exit/ (issue 5), pinned: for each model, every property's verdict and the length of
// its shortest trace (or witness), and the number of states, for THREADS = 2 and 3, with and without one kill
// and one signal (and, for the stack models, with EXEC = 1: a worker may exec instead of exiting); the cost
// counters; and the shape of the counterexamples a kernel developer reads. models/exit/README.md gives the
// same verdicts with their reasons; the numbers were obtained with `futexcheck check` and cross-checked
// against the models:
//
// - user_free_flag: the flag is set in user space before exit(), so the thread still runs on a stack main may
//   already have handed on: no_stack_reuse VIOLATED in 9 steps (main creates worker[0], which frees its
//   stack; main creates worker[1] on it while worker[0] is still in user mode). A thread killed (or exec'ing)
//   before `release` never frees its stack: deadlock and stacks_returned VIOLATED in 8 steps.
// - exit_free: the kernel writes the flag after the last user instruction: no_stack_reuse HOLDS; but a killed
//   or exec'ing thread never calls exit_free: the same leak as user_free_flag.
// - release_vm: mm_release() writes the word on exit, kill and exec: every property HOLDS; with a kill the
//   shortest reuse is through the kill (10 steps instead of 11).
// - munmap_sigblock: HOLDS, but leaks on kill and exec (the munmap is the thread's own call).
// - munmap_nosigblock: a signal between munmap() and exit() runs its handler on the unmapped stack, which main
//   has mapped again for worker[1]: no_stack_reuse VIOLATED with --signals 1 (16 steps), HOLDS without.
// - child_cleartid: every property HOLDS, kills, signals and exec included.
// - parent_stores_tid: the child runs before its TID is stored (tid_visible VIOLATED in 3 steps), and can
//   exit before it is: the TID of a dead thread stays in the word and main waits forever (deadlock).
// - child_stores_tid: until the child runs, its TID word is 0: main reuses the stack (no_stack_reuse, 7
//   steps) and the join returns at once (join_safe).
// - kwaitd: every property HOLDS. kwaitd_lost_wakeup: all_reaped and reaped_eventually VIOLATED (a zombie
//   left on a sleeping kwaitd's queue). kwaitd_double_reap: a BUG() of release_task() fires (assertions, 5
//   steps) and a thread is released twice (reaped_once, 5 steps). sigchld_wait4: every property HOLDS.
//
// The state counts are pinned as the tool reports them (the rules they rest on are derived by hand on small
// models in test/checker/semantics.test.ts). Trace lengths are BFS-shortest, so they are the same at 2 and 3
// threads whenever the shortest counterexample involves only the first workers.
import { dirname, join, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCheck, type CheckReport, type PropertyResult } from "../../checker/run.js";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../models/exit");

/** Without partial-order reduction unless `por`: the pinned trace lengths and shapes are the shortest. */
function check(model: string, threads: number, kills: number, signals: number, exec = 0, por = false): CheckReport {
  const overrides = new Map([["THREADS", threads]]);
  if (exec !== 0) overrides.set("EXEC", exec);
  const loaded = loadModel(join(DIR, `${model}.fxp`), { overrides });
  if (loaded.model === null) throw new Error(loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n"));
  return runCheck(loaded.model, loaded.sources, { kills, signals, por }).report;
}

/** A verdict in the tables below: H HOLDS, V<n> VIOLATED with an n-step shortest trace, R<n> REACHED with an
 *  n-step witness, U UNREACHABLE. */
function code(r: PropertyResult): string {
  const c = { HOLDS: "H", VIOLATED: "V", REACHED: "R", UNREACHABLE: "U", INCOMPLETE: "I" }[r.verdict];
  return `${c}${r.trace === null ? "" : r.trace.steps.length}`;
}

function result(report: CheckReport, name: string): PropertyResult {
  const r = report.results.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no result ${name}`);
  return r;
}

/** Each step as "thread side-or-fault label". */
function shape(r: PropertyResult): string[] {
  return r.trace!.steps.map((s) => `${s.thread} ${s.kind === "step" ? s.side : s.kind}${s.label ? ` ${s.label}` : ""}`);
}

/** `states` without reductions, `por` with partial-order reduction (same verdicts, traces no shorter). */
type Row = [threads: number, kills: number, signals: number, exec: number, states: number, por: number, verdicts: string];

interface Model {
  properties: string[]; // in report order, built-in checks last
  costs: Record<string, number>; // the same in every row
  rows: Row[];
}

const MODELS: Record<string, Model> = {
  user_free_flag: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 0, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    237,    237, "V9 R9 H H H H"],
      [2, 0, 1, 0,    814,    814, "V9 R9 H H H H"],
      [2, 1, 0, 0,    699,    699, "V9 R9 V8 V8 H H"],
      [2, 1, 1, 0,   2054,   2054, "V9 R9 V8 V8 H H"],
      [3, 0, 0, 0,   1197,   1197, "V9 R9 H H H H"],
      [3, 0, 1, 0,   4632,   4632, "V9 R9 H H H H"],
      [3, 1, 0, 0,   4494,   4494, "V9 R9 V8 V8 H H"],
      [3, 1, 1, 0,  15230,  15230, "V9 R9 V8 V8 H H"],
      [2, 0, 0, 1,    429,    429, "V10 R10 V10 V10 H H"],
      [2, 1, 0, 1,   1047,   1047, "V10 R10 V8 V8 H H"],
    ],
  },
  exit_free: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 0, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    193,    193, "H R10 H H H H"],
      [2, 0, 1, 0,    546,    546, "H R10 H H H H"],
      [2, 1, 0, 0,    325,    325, "H R10 V8 V8 H H"],
      [2, 1, 1, 0,    846,    846, "H R10 V8 V8 H H"],
      [3, 0, 0, 0,    785,    785, "H R10 H H H H"],
      [3, 0, 1, 0,   2276,   2276, "H R10 H H H H"],
      [3, 1, 0, 0,   1350,   1350, "H R10 V8 V8 H H"],
      [3, 1, 1, 0,   3674,   3674, "H R10 V8 V8 H H"],
      [2, 0, 0, 1,    349,    349, "H R11 V10 V10 H H"],
      [2, 1, 0, 1,    493,    493, "H R11 V8 V8 H H"],
    ],
  },
  release_vm: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 0, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,     91,     91, "H R11 H H H H"],
      [2, 0, 1, 0,    282,    282, "H R11 H H H H"],
      [2, 1, 0, 0,    245,    245, "H R10 H H H H"],
      [2, 1, 1, 0,    682,    682, "H R10 H H H H"],
      [3, 0, 0, 0,    195,    195, "H R11 H H H H"],
      [3, 0, 1, 0,    656,    656, "H R11 H H H H"],
      [3, 1, 0, 0,    720,    720, "H R10 H H H H"],
      [3, 1, 1, 0,   2206,   2206, "H R10 H H H H"],
      [2, 0, 0, 1,    209,    209, "H R11 H H H H"],
      [2, 1, 0, 1,    445,    445, "H R10 H H H H"],
    ],
  },
  munmap_sigblock: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 3, wakes: 0, signals: 0, locks: 0, munmaps: 1},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    491,    491, "H R17 H H H H"],
      [2, 0, 1, 0,   1266,   1266, "H R17 H H H H"],
      [2, 1, 0, 0,   1323,   1323, "H R17 V11 V11 H H"],
      [2, 1, 1, 0,   3154,   3154, "H R17 V11 V11 H H"],
      [3, 0, 0, 0,   2975,   2975, "H R17 H H H H"],
      [3, 0, 1, 0,   7792,   7792, "H R17 H H H H"],
      [3, 1, 0, 0,  10022,  10022, "H R17 V11 V11 H H"],
      [3, 1, 1, 0,  24658,  24658, "H R17 V11 V11 H H"],
      [2, 0, 0, 1,    725,    725, "H R18 V13 V13 H H"],
      [2, 1, 0, 1,   1719,   1719, "H R18 V11 V11 H H"],
    ],
  },
  munmap_nosigblock: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 2, wakes: 0, signals: 0, locks: 0, munmaps: 1},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    374,    374, "H R14 H H H H"],
      [2, 0, 1, 0,   1206,   1206, "V16 R14 H H H H"],
      [2, 1, 0, 0,    969,    969, "H R14 V11 V11 H H"],
      [2, 1, 1, 0,   2752,   2752, "V16 R14 V11 V11 H H"],
      [3, 0, 0, 0,   2264,   2264, "H R14 H H H H"],
      [3, 0, 1, 0,   8128,   8128, "V16 R14 H H H H"],
      [3, 1, 0, 0,   7391,   7391, "H R14 V11 V11 H H"],
      [3, 1, 1, 0,  23752,  23752, "V16 R14 V11 V11 H H"],
      [2, 0, 0, 1,    608,    608, "H R15 V13 V13 H H"],
      [2, 1, 0, 1,   1365,   1365, "H R15 V11 V11 H H"],
    ],
  },
  child_cleartid: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "join_safe", "join_returned", "tid_visible", "join_returns", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    225,    225, "H R11 H H R17 H H H H H"],
      [2, 0, 1, 0,    594,    594, "H R11 H H R17 H H H H H"],
      [2, 1, 0, 0,    629,    629, "H R10 H H R16 H H H H H"],
      [2, 1, 1, 0,   1538,   1538, "H R10 H H R16 H H H H H"],
      [3, 0, 0, 0,    717,    717, "H R11 H H R25 H H H H H"],
      [3, 0, 1, 0,   1960,   1960, "H R11 H H R25 H H H H H"],
      [3, 1, 0, 0,   2714,   2714, "H R10 H H R24 H H H H H"],
      [3, 1, 1, 0,   6966,   6966, "H R10 H H R24 H H H H H"],
      [2, 0, 0, 1,    602,    602, "H R11 H H R17 H H H H H"],
      [2, 1, 0, 1,   1266,   1266, "H R10 H H R16 H H H H H"],
    ],
  },
  parent_stores_tid: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "join_safe", "join_returned", "tid_visible", "join_returns", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    316,    316, "H R12 H H R19 V3 V11 V11 H H"],
      [2, 0, 1, 0,    812,    812, "H R12 H H R19 V3 V11 V11 H H"],
      [2, 1, 0, 0,    894,    894, "H R11 H H R18 V3 V10 V10 H H"],
      [2, 1, 1, 0,   2136,   2136, "H R11 H H R18 V3 V10 V10 H H"],
      [3, 0, 0, 0,   1006,   1006, "H R12 H H R28 V3 V11 V11 H H"],
      [3, 0, 1, 0,   2690,   2690, "H R12 H H R28 V3 V11 V11 H H"],
      [3, 1, 0, 0,   3844,   3844, "H R11 H H R27 V3 V10 V10 H H"],
      [3, 1, 1, 0,   9662,   9662, "H R11 H H R27 V3 V10 V10 H H"],
      [2, 0, 0, 1,    842,    842, "H R12 H H R19 V3 V12 V12 H H"],
      [2, 1, 0, 1,   1790,   1790, "H R11 H H R18 V3 V10 V10 H H"],
    ],
  },
  child_stores_tid: {
    properties: ["no_stack_reuse", "stack_reused", "stacks_returned", "join_safe", "join_returned", "tid_visible", "join_returns", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 0, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,   1111,   1111, "V7 R7 H V9 R9 V3 H H H H"],
      [2, 0, 1, 0,   3362,   3362, "V7 R7 H V9 R9 V3 H H H H"],
      [2, 1, 0, 0,   3879,   3879, "V7 R7 H V9 R9 V3 H H H H"],
      [2, 1, 1, 0,  10386,  10386, "V7 R7 H V9 R9 V3 H H H H"],
      [3, 0, 0, 0,  12120,  12120, "V7 R7 H V13 R13 V3 H H H H"],
      [3, 0, 1, 0,  43980,  43980, "V7 R7 H V13 R13 V3 H H H H"],
      [3, 1, 0, 0,  57963,  57963, "V7 R7 H V13 R13 V3 H H H H"],
      [3, 1, 1, 0, 186398, 186398, "V7 R7 H V13 R13 V3 H H H H"],
      [2, 0, 0, 1,   3496,   3496, "V7 R7 H V9 R9 V3 H H H H"],
      [2, 1, 0, 1,   8432,   8432, "V7 R7 H V9 R9 V3 H H H H"],
    ],
  },
  kwaitd: {
    properties: ["reaped_once", "all_reaped", "reaped", "reaped_eventually", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 2, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    784,    784, "H H R3 H H H H"],
      [2, 0, 1, 0,   1792,   1792, "H H R3 H H H H"],
      [2, 1, 0, 0,   2128,   2128, "H H R3 H H H H"],
      [2, 1, 1, 0,   4672,   4672, "H H R3 H H H H"],
      [3, 0, 0, 0,   5600,   5600, "H H R3 H H H H"],
      [3, 0, 1, 0,  13568,  13568, "H H R3 H H H H"],
      [3, 1, 0, 0,  20032,  20032, "H H R3 H H H H"],
      [3, 1, 1, 0,  46496,  46496, "H H R3 H H H H"],
    ],
  },
  kwaitd_lost_wakeup: {
    properties: ["reaped_once", "all_reaped", "reaped", "reaped_eventually", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 2, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,   1764,   1764, "H V13 R3 V13 H H H"],
      [2, 0, 1, 0,   4032,   4032, "H V13 R3 V13 H H H"],
      [2, 1, 0, 0,   4788,   4788, "H V13 R3 V13 H H H"],
      [2, 1, 1, 0,  10512,  10512, "H V13 R3 V13 H H H"],
      [3, 0, 0, 0,  12600,  12600, "H V16 R3 V16 H H H"],
      [3, 0, 1, 0,  30528,  30528, "H V16 R3 V16 H H H"],
      [3, 1, 0, 0,  45072,  45072, "H V16 R3 V16 H H H"],
      [3, 1, 1, 0, 104616, 104616, "H V16 R3 V16 H H H"],
    ],
  },
  kwaitd_double_reap: {
    properties: ["reaped_once", "all_reaped", "reaped", "reaped_eventually", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 0, locks: 2, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,   1456,   1456, "V5 V19 R3 H H V5 H"],
      [2, 0, 1, 0,   3232,   3232, "V5 V19 R3 H H V5 H"],
      [2, 1, 0, 0,   4048,   4048, "V5 V19 R3 H H V5 H"],
      [2, 1, 1, 0,   8704,   8704, "V5 V19 R3 H H V5 H"],
      [3, 0, 0, 0,  12480,  12480, "V5 V25 R3 H H V5 H"],
      [3, 0, 1, 0,  29312,  29312, "V5 V25 R3 H H V5 H"],
      [3, 1, 0, 0,  45568,  45568, "V5 V25 R3 H H V5 H"],
      [3, 1, 1, 0, 103232, 103232, "V5 V25 R3 H H V5 H"],
    ],
  },
  sigchld_wait4: {
    properties: ["reaped_once", "all_reaped", "reaped", "reaped_eventually", "deadlock", "assertions", "runtime_errors"],
    costs: {exit_syscalls: 1, wakes: 1, signals: 1, locks: 1, munmaps: 0},
    // prettier-ignore
    rows: [
      [2, 0, 0, 0,    392,    392, "H H R4 H H H H"],
      [2, 0, 1, 0,    904,    904, "H H R4 H H H H"],
      [2, 1, 0, 0,   1056,   1056, "H H R4 H H H H"],
      [2, 1, 1, 0,   2336,   2336, "H H R4 H H H H"],
      [3, 0, 0, 0,   2440,   2440, "H H R4 H H H H"],
      [3, 0, 1, 0,   6068,   6068, "H H R4 H H H H"],
      [3, 1, 0, 0,   8572,   8572, "H H R4 H H H H"],
      [3, 1, 1, 0,  20348,  20348, "H H R4 H H H H"],
    ],
  },
};

describe("models/exit: verdicts, trace lengths and state counts", () => {
  for (const [model, m] of Object.entries(MODELS))
    describe(model, () => {
      for (const [threads, kills, signals, exec, states, por, verdicts] of m.rows)
        it(`THREADS=${threads}${exec ? " EXEC=1" : ""}, kills ${kills}, signals ${signals}: ${states} states, ${verdicts}`, () => {
          const report = check(model, threads, kills, signals, exec);
          expect(report.complete).toBe(true);
          expect(report.results.map((r) => r.name)).toEqual(m.properties);
          expect(report.results.map(code).join(" ")).toBe(verdicts);
          expect(report.stats.states).toBe(states);
          expect(report.costs).toEqual(m.costs);

          const reduced = check(model, threads, kills, signals, exec, true);
          expect(reduced.complete).toBe(true);
          expect(reduced.results.map((r) => r.verdict)).toEqual(report.results.map((r) => r.verdict));
          reduced.results.forEach((r, i) =>
            expect(r.trace?.steps.length ?? 0).toBeGreaterThanOrEqual(report.results[i].trace?.steps.length ?? 0),
          );
          expect(reduced.costs).toEqual(m.costs);
          expect(reduced.stats.states).toBe(por);
        });
    });
});

describe("models/exit: the counterexamples", () => {
  it("user_free_flag: main hands the stack to worker[1] while worker[0], having freed it, still runs on it", () => {
    const r = result(check("user_free_flag", 2, 0, 0), "no_stack_reuse");
    expect(shape(r)).toEqual([
      "main user take",
      "main user", // enters clone()
      "main kernel", // clone: worker[0] starts on stack 0
      "worker[0] user born",
      "worker[0] user release", // stack_free[0] = 1, in user space
      "main kernel", // returns from clone()
      "main user take", // takes stack 0 again
      "main user",
      "main kernel", // clone: worker[1] starts on stack 0
    ]);
    expect(r.trace!.final).toMatchObject({
      "stack_of[0]": "1",
      "stack_of[1]": "1",
      "worker[0]": "user",
      "worker[1]": "user",
      "stack_free[0]": "0",
    });
  });

  it("exit_free: the flag is set in the kernel, after the thread's last user instruction", () => {
    const r = result(check("exit_free", 2, 0, 0), "stack_reused");
    expect(shape(r)).toEqual([
      "main user take",
      "main user",
      "main kernel",
      "worker[0] user born",
      "worker[0] user leave", // enters exit_free()
      "worker[0] kernel", // put_user(&stack_free[0], 1)
      "main kernel",
      "main user take",
      "main user",
      "main kernel",
    ]);
    expect(r.trace!.steps[4].note).toBe("enters the kernel: exit_free()");
    expect(r.trace!.steps[5].changes).toContainEqual({
      space: "shared",
      name: "stack_free[0]",
      before: "0",
      after: "1",
    });
  });

  it("exit_free: a killed thread never calls exit_free, and main waits for its stack forever", () => {
    const r = result(check("exit_free", 2, 1, 0), "deadlock");
    expect(r.message).toBe(
      "no thread can move: worker[1] is blocked at exit_free.fxp:93; main is blocked at exit_free.fxp:111",
    );
    expect(shape(r)).toEqual([
      "main user take",
      "main user",
      "main kernel",
      "main kernel", // returns from clone()
      "worker[0] kill born",
      "worker[0] kernel exit_mm",
      "worker[0] kernel", // mm_release(): nothing to write
      "worker[0] kernel", // gone
    ]);
    expect(r.trace!.final).toMatchObject({ "worker[0]": "exited, killed", "stack_free[0]": "0" });
    const leak = result(check("exit_free", 2, 1, 0), "stacks_returned");
    expect(leak.message).toContain("the execution can end without reaching it");
  });

  it("release_vm: the kill path frees the stack too — the shortest reuse goes through it", () => {
    const r = result(check("release_vm", 2, 1, 0), "stack_reused");
    expect(shape(r)).toEqual([
      "main user take",
      "main user",
      "main kernel",
      "main kernel",
      "worker[0] kill born",
      "worker[0] kernel exit_mm",
      "worker[0] kernel", // mm_release(): put_user(release_word, 1)
      "main user take",
      "main user",
      "main kernel",
    ]);
    expect(r.trace!.steps[6].changes).toContainEqual({
      space: "shared",
      name: "stack_free[0]",
      before: "0",
      after: "1",
    });
  });

  it("munmap_nosigblock: a handler runs on the unmapped stack, which worker[1] now has", () => {
    const r = result(check("munmap_nosigblock", 2, 0, 1), "no_stack_reuse");
    expect(shape(r)).toEqual([
      "main user take", // enters mmap()
      "main kernel",
      "main kernel", // returns stack 0
      "main user", // enters clone()
      "main kernel",
      "worker[0] user born",
      "worker[0] user unmap", // enters munmap()
      "worker[0] kernel", // stack 0 unmapped
      "worker[0] kernel", // back in the stub, signals not blocked
      "main kernel",
      "main user take",
      "main kernel", // mmap() finds stack 0 free
      "main kernel",
      "main user",
      "main kernel", // clone: worker[1] starts on stack 0
      "worker[0] signal leave", // the handler runs on stack 0
    ]);
    expect(r.trace!.final).toMatchObject({ "worker[0]": "user, in signal handler", "worker[1]": "user" });
  });

  it("parent_stores_tid: the child runs before its TID is stored, and can exit before it is", () => {
    expect(shape(result(check("parent_stores_tid", 2, 0, 0), "tid_visible"))).toEqual([
      "main user take",
      "main user",
      "main kernel", // clone without CLONE_PARENT_SETTID: worker[0] may run, TID word 0
    ]);
    const dl = result(check("parent_stores_tid", 2, 0, 0), "deadlock");
    expect(dl.message).toBe(
      "no thread can move: worker[1] is blocked at parent_stores_tid.fxp:103; main is blocked at parent_stores_tid.fxp:123",
    );
    expect(shape(dl)).toEqual([
      "main user take",
      "main user",
      "main kernel",
      "worker[0] user born",
      "worker[0] user leave",
      "worker[0] kernel exit_mm",
      "worker[0] kernel", // mm_release(): clears a word that is still 0
      "worker[0] kernel", // futex_wake: nobody waits
      "worker[0] kernel", // gone
      "main kernel",
      "main user settid", // the TID of a dead thread: the word never goes back to 0
    ]);
    expect(dl.trace!.final).toMatchObject({ "tid_word[0]": "1", "worker[0]": "exited" });
  });

  it("child_stores_tid: until the child runs, the stack looks free and the join returns at once", () => {
    const reuse = result(check("child_stores_tid", 2, 0, 0), "no_stack_reuse");
    expect(shape(reuse)).toEqual([
      "main user take",
      "main user",
      "main kernel",
      "main kernel",
      "main user take", // tid_word[0] is still 0: stack 0 again
      "main user",
      "main kernel",
    ]);
    const join = result(check("child_stores_tid", 2, 0, 0), "join_safe");
    expect(shape(join).at(-1)).toBe("main user join");
    expect(join.trace!.final).toMatchObject({ "joined[1]": "true", "tid_word[0]": "0", "worker[1]": "user" });
  });

  it("child_cleartid: the join returns once the kernel has cleared the TID word", () => {
    const r = result(check("child_cleartid", 2, 0, 0), "join_returned");
    expect(shape(r).slice(-6)).toEqual([
      "worker[1] user born",
      "worker[1] user leave",
      "worker[1] kernel exit_mm",
      "worker[1] kernel", // mm_release(): put_user(&tid_word[0], 0)
      "main kernel", // returns from clone()
      "main user join",
    ]);
  });

  it("kwaitd_lost_wakeup: each kwaitd checks its queue, the exiting thread queues itself, kwaitd sleeps", () => {
    const r = result(check("kwaitd_lost_wakeup", 2, 0, 0), "all_reaped");
    expect(shape(r)).toEqual([
      "worker[0] user leave",
      "worker[1] user leave",
      "main user reap",
      "main kernel",
      "main kernel",
      "kwaitd/0 kernel check", // empty: spin_unlock, but not asleep yet
      "worker[0] kernel exit_notify", // queued, wake_up_process: kwaitd/0 is still running
      "worker[0] kernel",
      "kwaitd/0 kernel sleep", // TASK_INTERRUPTIBLE, with worker[0] on its queue
      "kwaitd/1 kernel check",
      "worker[1] kernel exit_notify",
      "worker[1] kernel",
      "kwaitd/1 kernel sleep",
    ]);
    expect(r.trace!.final).toMatchObject({ "queue[cpu0]": "[1]", "queue[cpu1]": "[2]" });
  });

  it("kwaitd_double_reap: the parent's wait4 releases a zombie still on kwaitd's queue", () => {
    const report = check("kwaitd_double_reap", 2, 0, 0);
    const bug = result(report, "assertions");
    expect(bug.message).toBe("assertion failed: !on_list[idx(p)]");
    expect(shape(bug)).toEqual([
      "worker[0] user leave",
      "worker[0] kernel exit_notify", // queued for kwaitd/0, still a child of main
      "main user reap",
      "main kernel", // wait4 finds the zombie
      "main fail bug_checks", // if (!list_empty(&p->zombie_list)) BUG();
    ]);
    expect(shape(result(report, "reaped_once")).at(-1)).toBe("kwaitd/0 kernel check");
  });
});

describe("models/exit: the files", () => {
  it("each model says which seed it follows and what it expects", () => {
    for (const model of Object.keys(MODELS)) {
      const text = readFileSync(join(DIR, `${model}.fxp`), "utf8");
      expect(text, model).toMatch(/seed 00[0-2]/);
      expect(text, model).toMatch(/Expected \(README\.md\)/);
      expect(readFileSync(join(DIR, "README.md"), "utf8"), model).toContain(`${model}.fxp`);
    }
  });
});
