// The seed-000 stack-cache models, pinned: verdicts, exact state and transition counts, and traces, for
// kills/signals 0/0, 1/0, 0/1, 1/1 and THREADS = 2 and 3.
//
// Why these verdicts (STACKS = 1, so every thread takes the one stack in turn):
// - user_free_flag: a thread frees its stack in user space (`release: stack_free[s] = 1`) and only then
//   leaves it (`leave: exit()`). In between it still runs user code on that stack, and another thread may
//   already have taken it: no_stack_reuse is VIOLATED, shortest trace 4 steps (worker[0] take, work, release;
//   worker[1] take). stack_reused is REACHED by the same 4 steps.
// - exit_free: the kernel frees the stack (put_user in the exit_free syscall) after the thread's last user
//   instruction, so no_stack_reuse HOLDS; stack_reused is REACHED in 5 steps (worker[0] take, work, enter
//   exit_free, put_user; worker[1] take).
// - With a kill (both models): a thread killed while it holds the stack goes through the kernel's exit path
//   and never frees it, so the next thread waits at `take` forever: deadlock VIOLATED in 3 steps (worker[0]
//   take, the kill, the exit path's last step).
// - Signals change no verdict: the handler runs on the thread's stack, in user mode, which is no worse than
//   the thread's own user code.
//
// Hand counts (THREADS = 2, 0/0): each worker has 6 positions (take, work, release or the syscall, …, die,
// gone); the stack is held between take and its release (user_free_flag: work and release, 2 positions;
// exit_free: work, the syscall entry and put_user, 3 positions), and never by two threads at once:
// user_free_flag 6·6 − 2·2 = 32, exit_free 6·6 − 3·3 = 27; THREADS = 3: 4³ + 3·2·4² = 160 and
// 3³ + 3·3·3² = 108. With a kill (exit_free, THREADS = 2): a thread killed before taking ([die], gone) leaves
// the other free (2·6), one killed holding the stack leaves the other at take or finished before (2·3):
// 27 + 2·(12 + 6) = 63. The rows with a signal are pinned as the tool reports them: the rules they rest on
// (handler positions per interrupted position, the return pc cleared once used) are derived by hand on
// smaller models in semantics.test.ts.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { result, runFile } from "./helpers.js";
import type { CheckReport } from "../../checker/run.js";

const file = (name: string) => fileURLToPath(new URL(`../../models/exit/minimal/${name}.fxp`, import.meta.url));

type Row = [threads: number, kills: number, signals: number, states: number, transitions: number];

// prettier-ignore
const USER_FREE_FLAG: Row[] = [
  [2, 0, 0, 32, 48], [2, 1, 0, 96, 168], [2, 0, 1, 144, 272], [2, 1, 1, 352, 800],
  [3, 0, 0, 160, 336], [3, 1, 0, 640, 1536], [3, 0, 1, 896, 2304], [3, 1, 1, 3008, 9024],
];
// prettier-ignore
const EXIT_FREE: Row[] = [
  [2, 0, 0, 27, 36], [2, 1, 0, 63, 102], [2, 0, 1, 102, 172], [2, 1, 1, 206, 436],
  [3, 0, 0, 108, 189], [3, 1, 0, 324, 684], [3, 0, 1, 486, 1071], [3, 1, 1, 1278, 3459],
];

const steps = (r: ReturnType<typeof result>) => r.trace!.steps.map((s) => [s.kind, s.thread, s.label]);

/** Without kills no deadlock; with one, worker[0] killed holding the stack leaves the others waiting at `take`. */
function expectLeakWhenKilled(report: CheckReport, threads: number, kills: number, take: string): void {
  const dl = result(report, "deadlock");
  if (kills === 0) {
    expect(dl.verdict).toBe("HOLDS");
    return;
  }
  expect(dl.verdict).toBe("VIOLATED");
  expect(dl.message).toBe(
    `no thread can move: ${Array.from({ length: threads - 1 }, (_, i) => `worker[${i + 1}] is blocked at ${take}`).join("; ")}`,
  );
  expect(steps(dl)).toEqual([
    ["step", "worker[0]", "take"],
    ["kill", "worker[0]", "work"],
    ["step", "worker[0]", null],
  ]);
  expect(dl.trace!.final).toMatchObject({ "worker[0]": "exited, killed", "stack_free[0]": "0" });
}

describe("models/exit/minimal/user_free_flag.fxp", () => {
  for (const [threads, kills, signals, states, transitions] of USER_FREE_FLAG) {
    it(`THREADS=${threads}, kills ${kills}, signals ${signals}: ${states} states`, () => {
      const { report } = runFile(file("user_free_flag"), { kills, signals, overrides: { THREADS: threads } });
      expect(report.threads).toBe(threads);
      expect(report.complete).toBe(true);
      expect(report.stats.states).toBe(states);
      expect(report.stats.transitions).toBe(transitions);
      const reuse = result(report, "no_stack_reuse");
      expect(reuse.verdict).toBe("VIOLATED");
      expect(steps(reuse)).toEqual([
        ["step", "worker[0]", "take"],
        ["step", "worker[0]", "work"],
        ["step", "worker[0]", "release"],
        ["step", "worker[1]", "take"],
      ]);
      expect(reuse.trace!.final).toMatchObject({
        "stack_of[0]": "1",
        "stack_of[1]": "1",
        "worker[0]": "user",
        "worker[1]": "user",
      });
      const reused = result(report, "stack_reused");
      expect(reused.verdict).toBe("REACHED");
      expect(reused.trace!.steps).toHaveLength(4);
      expect(result(report, "assertions").verdict).toBe("HOLDS");
      expect(result(report, "runtime_errors").verdict).toBe("HOLDS");
      expectLeakWhenKilled(report, threads, kills, "user_free_flag.fxp:26");
    });
  }
});

describe("models/exit/minimal/exit_free.fxp", () => {
  for (const [threads, kills, signals, states, transitions] of EXIT_FREE) {
    it(`THREADS=${threads}, kills ${kills}, signals ${signals}: ${states} states`, () => {
      const { report } = runFile(file("exit_free"), { kills, signals, overrides: { THREADS: threads } });
      expect(report.complete).toBe(true);
      expect(report.stats.states).toBe(states);
      expect(report.stats.transitions).toBe(transitions);
      expect(result(report, "no_stack_reuse")).toMatchObject({ verdict: "HOLDS", trace: null });
      const reused = result(report, "stack_reused");
      expect(reused.verdict).toBe("REACHED");
      expect(reused.trace!.steps.map((s) => [s.thread, s.side, s.label])).toEqual([
        ["worker[0]", "user", "take"],
        ["worker[0]", "user", "work"],
        ["worker[0]", "user", "leave"],
        ["worker[0]", "kernel", null], // put_user: the stack is free, and worker[0] runs no more user code
        ["worker[1]", "user", "take"],
      ]);
      expect(reused.trace!.steps[2].note).toBe("enters the kernel: exit_free()");
      expect(result(report, "assertions").verdict).toBe("HOLDS");
      expect(result(report, "runtime_errors").verdict).toBe("HOLDS");
      // the killed thread never frees its stack (in exit_free: it never calls exit_free)
      expectLeakWhenKilled(report, threads, kills, "exit_free.fxp:32");
    });
  }

  it("depth-first search finds the same number of states and the same verdicts", () => {
    for (const [threads, kills, signals, states] of EXIT_FREE.filter((r) => r[0] === 2)) {
      const { report } = runFile(file("exit_free"), { kills, signals, order: "dfs", overrides: { THREADS: threads } });
      expect(report.stats.states).toBe(states);
      expect(result(report, "no_stack_reuse").verdict).toBe("HOLDS");
      expect(result(report, "deadlock").verdict).toBe(kills === 0 ? "HOLDS" : "VIOLATED");
    }
  });
});
