// The text report of cli/render.ts: number formats, the header, the verdict lines, the statistics and costs
// lines, and the trace blocks (step numbers, thread, CPU, side, kill and signal markers, notes, changes with
// locals and ghosts on lines of their own, lassos). Reports come from real checks (runCheck) of the library's
// models; a few traces are made by hand for the cases no small model shows.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CheckReport, PropertyResult } from "../../checker/run.js";
import type { Trace, TraceStep } from "../../checker/trace.js";
import { formatBytes, formatCount, MAX_TRACE_STEPS, renderReport, renderTrace } from "../../cli/render.js";
import { lines, runFile, runSource, type RunOptions } from "../checker/helpers.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The report of a model of the library, by its path from the repository root. */
function report(model: string, options: RunOptions = {}): CheckReport {
  return runFile(join(ROOT, model), options).report;
}

/** The same report with fixed statistics, so that the whole text can be compared. */
function fixedStats(r: CheckReport): CheckReport {
  return {
    ...r,
    stats: {
      states: 1234567,
      transitions: 9876543,
      depth: 42,
      seconds: 1.5,
      statesPerSecond: 1234567 / 1.5,
      transitionsPerSecond: 9876543 / 1.5,
      stateBytes: 8,
      bytesPerState: 47.31,
      compressedFrom: null,
      peakMemoryBytes: Math.round(97.4 * 2 ** 20),
    },
  };
}

const STATS_LINE =
  "states 1 234 567 · transitions 9 876 543 · depth 42 · 1.50 s · 823 045 states/s · 8 bytes/state packed, 47.3 bytes/state stored · peak memory 97.4 MiB";

const text = (model: string, options: RunOptions = {}) => renderReport(model, report(model, options)).split("\n");

/** The block of lines from the one equal to `first` up to the next empty line. */
function block(all: string[], first: string): string[] {
  const start = all.indexOf(first);
  expect(start, `no line '${first}' in:\n${all.join("\n")}`).toBeGreaterThanOrEqual(0);
  const end = all.indexOf("", start);
  return all.slice(start, end < 0 ? all.length : end);
}

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [2 ** 20, "1.0 MiB"],
    [97.4 * 2 ** 20, "97.4 MiB"],
    [2 ** 30, "1.0 GiB"],
    [5.5 * 2 ** 30, "5.5 GiB"],
    [2 ** 40, "1024.0 GiB"],
  ])("%d bytes is %s", (n, s) => expect(formatBytes(n)).toBe(s));
});

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1 000"],
    [12345, "12 345"],
    [1234567, "1 234 567"],
    [1000000000, "1 000 000 000"],
    [12.4, "12"],
    [1234.5, "1 235"],
    [999.6, "1 000"],
  ])("%d is %s", (n, s) => expect(formatCount(n)).toBe(s));
});

describe("renderReport", () => {
  it("user_free_flag: header, verdicts, statistics and both traces, exactly", () => {
    const file = "models/exit/minimal/user_free_flag.fxp";
    const take0 = [
      "   1  cpu0  worker[0]  user   user_free_flag.fxp:26 take: choose s where stack_free[s] == 1;",
      "                       stack_free[0] 1 → 0",
      "                       locals: worker[0].s = 0",
      "                       ghost: stack_of[0] 0 → 1",
      "   2  cpu0  worker[0]  user   user_free_flag.fxp:30 work: skip;",
      "   3  cpu0  worker[0]  user   user_free_flag.fxp:31 release: stack_free[s] = 1;      // the flag is set in user space ...",
      "                       stack_free[0] 0 → 1",
      "   4  cpu1  worker[1]  user   user_free_flag.fxp:26 take: choose s where stack_free[s] == 1;",
      "                       stack_free[0] 1 → 0",
      "                       locals: worker[1].s = 0",
      "                       ghost: stack_of[1] 0 → 1",
    ];
    expect(renderReport(file, fixedStats(report(file))).split("\n")).toEqual([
      "model user_free_flag (models/exit/minimal/user_free_flag.fxp): 2 threads on 2 CPUs, THREADS=2 STACKS=1, kills 0, signals 0, breadth-first",
      "  no_stack_reuse  VIOLATED    (trace: 4 steps)",
      "  stack_reused    REACHED     (witness: 4 steps)",
      "  deadlock        HOLDS",
      "  assertions      HOLDS",
      "  runtime_errors  HOLDS",
      STATS_LINE,
      "",
      "── no_stack_reuse violated: shortest trace, 4 steps ──",
      ...take0,
      "   ✗ no_stack_reuse does not hold in the state after step 4",
      "",
      "── stack_reused reached: witness, 4 steps ──",
      ...take0,
    ]);
  });

  it("the statistics line of a real run: counts, time, rates and memory in their formats", () => {
    const r = report("models/exit/minimal/user_free_flag.fxp");
    const stats = renderReport("f", r)
      .split("\n")
      .find((l) => l.startsWith("states "));
    expect(stats).toMatch(
      /^states 32 · transitions 48 · depth 10 · \d+\.\d\d s · \d[\d ]* states\/s · 8 bytes\/state packed, \d+\.\d bytes\/state stored · peak memory \d+\.\d (MiB|GiB)$/,
    );
  });

  it("a SIGKILL, a deadlock with its message, and params in the header", () => {
    const all = text("models/examples/exit_path.fxp", { kills: 1, overrides: { ROBUST: 0 } });
    expect(all[0]).toBe(
      "model exit_path (models/examples/exit_path.fxp): 2 threads on 1 CPU, ROBUST=0, kills 1, signals 0, breadth-first",
    );
    expect(all).toContain(
      "  deadlock        VIOLATED    (trace: 3 steps)  no thread can move: waiter is blocked at exit_path.fxp:43",
    );
    expect(block(all, "── deadlock: shortest trace, 3 steps ──")).toEqual([
      "── deadlock: shortest trace, 3 steps ──",
      "   no thread can move: waiter is blocked at exit_path.fxp:43",
      "   1  cpu0  owner   user   exit_path.fxp:37 atomic { await lock == 0; lock = tid(self); }",
      "                    lock 0 → 1",
      "   2  cpu0  owner   ⚡ SIGKILL arrives (in user mode at exit_path.fxp:38)",
      "                    kills sent 0 → 1; owner user → kernel, killed",
      "   3  cpu0  owner   kernel exit_path.fxp:31 if (ROBUST == 1) {",
      "                    owner kernel, killed → exited, killed",
    ]);
  });

  it("a signal: the marker, the handler's steps and locals, the handler's return", () => {
    const all = text("models/examples/signal_handler.fxp", { signals: 1 });
    expect(all).toContain("  handler_ran     REACHED     (witness: 1 step)");
    expect(block(all, "── careless_ok violated: shortest trace, 8 steps ──")).toEqual([
      "── careless_ok violated: shortest trace, 8 steps ──",
      "   1  cpu0  careless  user   signal_handler.fxp:41 v = data[1];",
      "                      locals: careless.v = 0",
      "   2  cpu0  careless  ⚡ signal arrives (in user mode at signal_handler.fxp:42)",
      "                      signals sent 0 → 1; careless user → user, in signal handler",
      "   3  cpu0  careless  user   signal_handler.fxp:26 h = data[self];",
      "                      locals: careless.handler:on_sig.h = 0",
      "   4  cpu0  careless  user   signal_handler.fxp:27 data[self] = h + 1;",
      "                      data[1] 0 → 1",
      "                      ghost: runs[1] 0 → 1",
      "   5  cpu0  careless  user   signal_handler.fxp:29 }   — the signal handler returns",
      "                      careless user, in signal handler → user",
      "   6  cpu0  careless  user   signal_handler.fxp:42 data[1] = v + 1;",
      "   7  cpu0  careless  user   signal_handler.fxp:43 }   — exit(): enters the kernel exit path",
      "                      careless user → kernel",
      "   8  cpu0  careless  kernel signal_handler.fxp:43 }   — the thread is gone",
      "                      careless kernel → exited",
      "   ✗ careless_ok does not hold in the state after step 8",
    ]);
    expect(block(all, "── handler_ran reached: witness, 1 step ──")[1]).toBe(
      "   1  cpu0  guarded  ⚡ signal arrives (in user mode at signal_handler.fxp:33)",
    );
  });

  it("kernel steps: the side, the library file, the routine, enter and return notes", () => {
    const all = text("models/examples/futex_lost_wakeup.fxp");
    const dl = block(all, "── deadlock: shortest trace, 9 steps ──");
    expect(dl[1]).toBe("   no thread can move: waiter sleeps forever in futex_wait on &flag (lost wake-up)");
    expect(dl).toContain(
      "   2  cpu0  waiter  user   futex_lost_wakeup.fxp:21 r = futex_wait(&flag, 0);   — enters the kernel: futex_wait()",
    );
    expect(dl).toContain("                    locals: waiter.futex_wait.a = &flag; waiter.futex_wait.val = 0");
    // Kernel steps of the futex library show the lines of Linux they model.
    expect(dl).toContain(
      "   5  cpu0  waiter  kernel futex.fxp:28     if (get_user(a) != val) {   [in futex_wait]   @linux kernel/futex/waitwake.c:607-627, @linux kernel/futex/waitwake.c:338",
    );
    expect(dl).toContain("                    futex_key[0] null → &flag");
    expect(dl).toContain(
      "   6  cpu0  waker   kernel futex.fxp:57     }   — returns to user mode from futex_wake()   @linux kernel/futex/waitwake.c:143",
    );
    // No "✗ … does not hold" line after a deadlock.
    expect(dl.at(-1)).toBe("                    waker kernel → exited");
  });

  it("an unreachable check, and no trace blocks for verdicts without a trace", () => {
    const all = text("models/examples/signal_handler.fxp");
    expect(all).toContain(
      "  handler_ran     UNREACHABLE  no reachable state satisfies it: the other verdicts may be vacuous",
    );
    expect(all.filter((l) => l.startsWith("──"))).toEqual([]);
  });

  it("an incomplete search: every verdict INCOMPLETE and the bound, before the statistics", () => {
    const r = report("models/examples/percpu_kthread.fxp", { maxStates: 5 });
    const all = renderReport("p.fxp", fixedStats(r)).split("\n");
    expect(all).toEqual([
      "model percpu_kthread (p.fxp): 4 threads on 2 CPUs, kills 0, signals 0, breadth-first",
      "  own_cpu         INCOMPLETE",
      "  cpu0_first      INCOMPLETE",
      "  all_served      INCOMPLETE",
      "  deadlock        INCOMPLETE",
      "  assertions      INCOMPLETE",
      "  runtime_errors  INCOMPLETE",
      "  search incomplete: the state bound was reached (--max-states 5)",
      STATS_LINE,
    ]);
  });

  it("an assertion: the failing step marked ✗, the message under the title", () => {
    const src = lines(
      "model asrt;",
      "shared { int 0..3 x = 0; }",
      "thread t[i in 0..1] {",
      "  x = x + 1;",
      "  check: assert x < 2;",
      "}",
    );
    const all = renderReport("t.fxp", runSource(src).report).split("\n");
    expect(all[0]).toBe("model asrt (t.fxp): 2 threads on 1 CPU, kills 0, signals 0, breadth-first");
    expect(all).toContain("  assertions      VIOLATED    (trace: 3 steps)  assertion failed: x < 2");
    expect(block(all, "── assertion failed: shortest trace, 3 steps ──")).toEqual([
      "── assertion failed: shortest trace, 3 steps ──",
      "   assertion failed: x < 2",
      "   1  cpu0  t[0]    user   t.fxp:4          x = x + 1;",
      "                    x 0 → 1",
      "   2  cpu0  t[1]    user   t.fxp:4          x = x + 1;",
      "                    x 1 → 2",
      "   3  cpu0  t[0]    ✗ user   t.fxp:5          check: assert x < 2;",
    ]);
  });

  it("a runtime error has its own title", () => {
    const src = lines("model rt;", "shared { word a[2] = 0; int 0..3 i = 2; }", "thread t { a[i] = 1; }");
    const all = renderReport("t.fxp", runSource(src).report).split("\n");
    expect(block(all, "── runtime error: shortest trace, 1 step ──").slice(0, 3)).toEqual([
      "── runtime error: shortest trace, 1 step ──",
      "   index 2 is out of bounds for a[2]",
      "   1  cpu0  t       ✗ user   t.fxp:3          thread t { a[i] = 1; }",
    ]);
  });

  it("cost counters: a line after the statistics, saturated values shown as ≥", () => {
    const src = lines(
      "model counters;",
      "counter syscalls;",
      "kernel { word k = 0; }",
      "syscall touch() { count(syscalls); k = k + 1; }",
      "thread main { touch(); touch(); }",
      "invariant bounded: k <= 1;",
    );
    const r = runSource(src).report;
    const all = renderReport("c.fxp", r).split("\n");
    const stats = all.findIndex((l) => l.startsWith("states "));
    expect(all[stats + 1]).toBe("costs per thread lifetime (worst explored execution): syscalls 2");
    expect(all).toContain("                    locals: main.#syscalls 0 → 1");
    const saturated = renderReport("c.fxp", { ...r, costs: { syscalls: 15, wakeups: 3 } }).split("\n");
    expect(saturated[stats + 1]).toBe("costs per thread lifetime (worst explored execution): syscalls ≥15, wakeups 3");
    // Without counters, no costs line.
    expect(text("models/exit/minimal/user_free_flag.fxp").some((l) => l.startsWith("costs"))).toBe(false);
  });

  it("depth-first: the header says so and a trace is not called the shortest", () => {
    const all = text("models/examples/futex_lost_wakeup.fxp", { order: "dfs" });
    expect(all[0]).toMatch(/, depth-first$/);
    expect(all.some((l) => /^── deadlock: trace, \d+ steps ──$/.test(l))).toBe(true);
    expect(all.join("\n")).not.toContain("shortest");
  });

  it("a liveness lasso: the shape in the title, the cycle's start and end", () => {
    const src = lines(
      "model spinwait;",
      "shared { bool flag = false; }",
      "thread spinner fair { while (!flag) { skip; } done: skip; }",
      "thread setter { flag = true; }",
      "liveness finishes: true leads_to exited(0);",
    );
    const all = renderReport("s.fxp", runSource(src).report).split("\n");
    expect(all).toContain(
      "  finishes        VIOLATED    (trace: 1 step)  a fair cycle never reaches it, under weak fairness of spinner",
    );
    expect(block(all, "── finishes violated: a lasso: 0 steps, then a cycle of 1 ──")).toEqual([
      "── finishes violated: a lasso: 0 steps, then a cycle of 1 ──",
      "   a fair cycle never reaches it, under weak fairness of spinner",
      "   ↻ from here on the steps repeat forever (a cycle of 1)",
      "   1  cpu0  spinner  user   t.fxp:3          thread spinner fair { while (!flag) { skip; } done: skip; }",
      "   ↻ back to the state before step 1",
    ]);
  });

  it("a liveness violation that is a finite execution ends with ■", () => {
    const src = lines(
      "model ends;",
      "shared { bool flag = false; }",
      "thread t { either { flag = true; } or { skip; } }",
      "liveness set: always eventually flag;",
    );
    const all = renderReport("e.fxp", runSource(src).report).split("\n");
    const b = block(all, "── set violated: a finite execution ──");
    expect(b[1]).toBe("   the execution can end without reaching it, without fairness: no thread is declared fair");
    expect(b.at(-1)).toBe("   ■ the execution ends here");
  });

  it("the name column widens to the longest name (at least 8)", () => {
    const r = report("models/exit/minimal/user_free_flag.fxp");
    const short: CheckReport = {
      ...r,
      results: [{ name: "x", kind: "invariant", verdict: "HOLDS", message: null, trace: null, location: null }],
    };
    expect(renderReport("f", short).split("\n")[1]).toBe("  x         HOLDS");
    const long: CheckReport = { ...short, results: [{ ...short.results[0], name: "a_rather_long_name" }] };
    expect(renderReport("f", long).split("\n")[1]).toBe("  a_rather_long_name  HOLDS");
  });
});

describe("renderTrace on traces made by hand", () => {
  const step = (over: Partial<TraceStep>): TraceStep => ({
    step: 1,
    kind: "step",
    thread: "t",
    threadIndex: 0,
    cpu: 0,
    side: "user",
    label: null,
    routine: null,
    file: "dir/m.fxp",
    line: 7,
    col: 3,
    source: "x = 1;",
    note: null,
    refs: [],
    changes: [],
    ...over,
  });
  const result = (over: Partial<PropertyResult> = {}): PropertyResult => ({
    name: "inv",
    kind: "invariant",
    verdict: "VIOLATED",
    message: null,
    trace: null,
    location: null,
    ...over,
  });
  const trace = (steps: TraceStep[], loopStart?: number): Trace => ({
    steps,
    shortest: true,
    initial: {},
    final: {},
    ...(loopStart === undefined ? {} : { loopStart }),
  });

  it("step numbers, CPU, thread column, side and location columns, a label not repeated", () => {
    const t = trace([
      step({ step: 1, label: "go", source: "x = 1;" }),
      step({ step: 12, cpu: 3, thread: "a_long_thread[12]", label: "go", source: "go: x = 1;" }),
      step({ step: 123, side: "kernel", line: 1234, routine: "futex_wait" }),
    ]);
    expect(renderTrace(result(), t).split("\n")).toEqual([
      "── inv violated: shortest trace, 3 steps ──",
      "   1  cpu0  t                  user   m.fxp:7          go: x = 1;",
      "  12  cpu3  a_long_thread[12]  user   m.fxp:7          go: x = 1;",
      " 123  cpu0  t                  kernel m.fxp:1234       x = 1;   [in futex_wait]",
      "   ✗ inv does not hold in the state after step 3",
    ]);
  });

  it("source references beside the model line, after the routine; on a kill too", () => {
    const ref = (text: string) => ({ project: "glibc", version: "2.41", location: "a.c:1", text });
    const t = trace([
      step({ step: 1, routine: "unlock", refs: [ref("glibc a.c:164"), ref("linux 5.4 kernel/futex.c:3470")] }),
      step({ step: 2, kind: "kill", refs: [ref("glibc a.c:165")] }),
    ]);
    expect(renderTrace(result(), t).split("\n").slice(1, 3)).toEqual([
      "   1  cpu0  t       user   m.fxp:7          x = 1;   [in unlock]   @glibc a.c:164, @linux 5.4 kernel/futex.c:3470",
      "   2  cpu0  t       ⚡ SIGKILL arrives (in user mode at m.fxp:7)   @glibc a.c:165",
    ]);
  });

  it("kill and signal markers, in user mode and asleep in the kernel", () => {
    const t = trace([
      step({ step: 1, kind: "kill", side: "user" }),
      step({ step: 2, kind: "kill", side: "kernel" }),
      step({ step: 3, kind: "signal", side: "user" }),
      step({ step: 4, kind: "signal", side: "kernel" }),
    ]);
    expect(renderTrace(result({ kind: "reachable", verdict: "REACHED", name: "r" }), t).split("\n")).toEqual([
      "── r reached: witness, 4 steps ──",
      "   1  cpu0  t       ⚡ SIGKILL arrives (in user mode at m.fxp:7)",
      "   2  cpu0  t       ⚡ SIGKILL arrives (asleep in the kernel at m.fxp:7)",
      "   3  cpu0  t       ⚡ signal arrives (in user mode at m.fxp:7)",
      "   4  cpu0  t       ⚡ signal arrives (asleep in the kernel at m.fxp:7)",
    ]);
  });

  it("changes: real ones first, then locals, then ghosts, each on its own line; a new local is shown with =", () => {
    const t = trace([
      step({
        note: "enters the kernel: bump()",
        changes: [
          { space: "ghost", name: "owner", before: "0", after: "1" },
          { space: "shared", name: "x", before: "0", after: "1" },
          { space: "local", name: "t.v", before: "", after: "5" },
          { space: "kernel", name: "k[1]", before: "null", after: "&x" },
          { space: "ghost", name: "seen[0]", before: "false", after: "true" },
          { space: "local", name: "t.w", before: "1", after: "2" },
          { space: "percpu", name: "q[cpu1]", before: "[]", after: "[1]" },
          { space: "thread", name: "t", before: "user", after: "kernel" },
          { space: "faults", name: "kills sent", before: "0", after: "1" },
        ],
      }),
    ]);
    expect(renderTrace(result(), t).split("\n")).toEqual([
      "── inv violated: shortest trace, 1 step ──",
      "   1  cpu0  t       user   m.fxp:7          x = 1;   — enters the kernel: bump()",
      "                    x 0 → 1; k[1] null → &x; q[cpu1] [] → [1]; t user → kernel; kills sent 0 → 1",
      "                    locals: t.v = 5; t.w 1 → 2",
      "                    ghost: owner 0 → 1; seen[0] false → true",
      "   ✗ inv does not hold in the state after step 1",
    ]);
  });

  it("a lasso after a prefix; plural and singular step counts", () => {
    const steps = [1, 2, 3, 4].map((n) => step({ step: n }));
    const live = result({ kind: "leads_to", name: "live", message: "a fair cycle never reaches it (x)" });
    expect(renderTrace(live, trace(steps, 2)).split("\n")).toEqual([
      "── live violated: a lasso: 1 step, then a cycle of 3 ──",
      "   a fair cycle never reaches it (x)",
      "   1  cpu0  t       user   m.fxp:7          x = 1;",
      "   ↻ from here on the steps repeat forever (a cycle of 3)",
      "   2  cpu0  t       user   m.fxp:7          x = 1;",
      "   3  cpu0  t       user   m.fxp:7          x = 1;",
      "   4  cpu0  t       user   m.fxp:7          x = 1;",
      "   ↻ back to the state before step 2",
    ]);
    expect(renderTrace(live, trace(steps, 4)).split("\n")[0]).toBe(
      "── live violated: a lasso: 3 steps, then a cycle of 1 ──",
    );
  });

  it("a long trace: the first and last steps, the middle left out with a count; 200 000 steps do not crash", () => {
    const n = 200_000;
    const steps = Array.from({ length: n }, (_, k) => step({ step: k + 1 }));
    steps[n - 1].thread = "a_long_name"; // the thread column is as wide as the widest thread name
    const lines = renderTrace(result(), trace(steps)).split("\n");
    const half = MAX_TRACE_STEPS / 2;
    expect(lines.length).toBe(1 + MAX_TRACE_STEPS + 2);
    expect(lines[0]).toBe("── inv violated: shortest trace, 200000 steps ──");
    expect(lines[1]).toBe("   1  cpu0  t            user   m.fxp:7          x = 1;");
    expect(lines[half]).toMatch(/^ 100  cpu0  t  /);
    expect(lines[half + 1]).toBe("   ⋮ 199 800 steps left out (every step: --json or --html)");
    expect(lines[half + 2]).toMatch(/^199901  cpu0  t  /);
    expect(lines.at(-2)).toMatch(/^200000  cpu0  a_long_name  user /);
    expect(lines.at(-1)).toBe(`   ✗ inv does not hold in the state after step ${n}`);
    // a lasso whose cycle starts in the part left out still says where
    const live = result({ kind: "leads_to", name: "live", message: null });
    const lasso = renderTrace(live, trace(steps.slice(0, 1000), 500)).split("\n");
    expect(lasso).toContain("   ↻ from step 500 on the steps repeat forever (a cycle of 501)");
    expect(lasso.at(-1)).toBe("   ↻ back to the state before step 500");
    // a trace at the limit is printed in full
    expect(renderTrace(result(), trace(steps.slice(0, MAX_TRACE_STEPS))).split("\n").length).toBe(MAX_TRACE_STEPS + 2);
  });

  it("a trace proven shortest is called so; any other is only a trace", () => {
    const t = trace([step({})]);
    const dl = result({ kind: "deadlock", name: "deadlock", message: "no thread can move" });
    expect(renderTrace(dl, t).split("\n")[0]).toBe("── deadlock: shortest trace, 1 step ──");
    expect(
      renderTrace(dl, { ...t, shortest: false })
        .split("\n")
        .slice(0, 2),
    ).toEqual(["── deadlock: trace, 1 step ──", "   no thread can move"]);
  });
});
