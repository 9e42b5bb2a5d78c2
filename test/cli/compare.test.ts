// `futexcheck compare` (cli/compare.ts): the table of models/exit at THREADS = 2 and 3, without and with one
// kill and one signal — every cell (verdict and shortest trace length), the state counts, the required
// properties each variant violates and the exit code — and the command itself: sweeps, params a variant lacks,
// --require, the text, Markdown and JSON outputs, the traces printed after the table, usage errors, and the two
// runs shown in README.md (which must match a fresh run, but for the times).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  cellText,
  collectFiles,
  compareRuns,
  comparisonExitCode,
  CompareUsageError,
  loadVariants,
  parseSetting,
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonText,
  renderFailedTraces,
  type CompareOptions,
  type ComparisonResult,
  type ParamSetting,
} from "../../cli/compare.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXIT_DIR = join(ROOT, "models/exit");
const model = (name: string) => join(EXIT_DIR, `${name}.fxp`);

function compare(paths: string[], settings: ParamSetting[], options: CompareOptions): ComparisonResult {
  const loaded = loadVariants(collectFiles(paths), settings);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  return compareRuns(loaded.runs, options);
}

/** Runs the command line from source, as `futexcheck …` (tsx: no build needed). */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The times are the only thing that changes from run to run. */
const untimed = (text: string) => text.replace(/\b\d+\.\d\d\b/g, "#.##");

const PROPERTIES = [
  "no_stack_reuse",
  "stack_reused",
  "stacks_returned",
  "join_safe",
  "join_returned",
  "tid_visible",
  "join_returns",
  "reaped_once",
  "all_reaped",
  "reaped",
  "reaped_eventually",
  "deadlock",
  "assertions",
  "runtime_errors",
];
const NOT_REQUIRED = ["stacks_returned", "join_returns", "reaped_eventually"]; // liveness

type Row = [variant: string, threads: number, states: number, cells: string];

// prettier-ignore
const NO_FAULTS: Row[] = [
  ["child_cleartid", 2, 225, "holds | reached 11 | holds | holds | reached 17 | holds | holds | — | — | — | — | holds | holds | holds"],
  ["child_cleartid", 3, 717, "holds | reached 11 | holds | holds | reached 25 | holds | holds | — | — | — | — | holds | holds | holds"],
  ["child_stores_tid", 2, 1111, "VIOLATED 7 | reached 7 | holds | VIOLATED 9 | reached 9 | VIOLATED 3 | holds | — | — | — | — | holds | holds | holds"],
  ["child_stores_tid", 3, 12120, "VIOLATED 7 | reached 7 | holds | VIOLATED 13 | reached 13 | VIOLATED 3 | holds | — | — | — | — | holds | holds | holds"],
  ["exit_free", 2, 193, "holds | reached 10 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["exit_free", 3, 785, "holds | reached 10 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["kwaitd", 2, 784, "— | — | — | — | — | — | — | holds | holds | reached 3 | holds | holds | holds | holds"],
  ["kwaitd", 3, 5600, "— | — | — | — | — | — | — | holds | holds | reached 3 | holds | holds | holds | holds"],
  ["kwaitd_double_reap", 2, 1456, "— | — | — | — | — | — | — | VIOLATED 5 | VIOLATED 19 | reached 3 | holds | holds | VIOLATED 5 | holds"],
  ["kwaitd_double_reap", 3, 12480, "— | — | — | — | — | — | — | VIOLATED 5 | VIOLATED 25 | reached 3 | holds | holds | VIOLATED 5 | holds"],
  ["kwaitd_lost_wakeup", 2, 1764, "— | — | — | — | — | — | — | holds | VIOLATED 13 | reached 3 | VIOLATED 13 | holds | holds | holds"],
  ["kwaitd_lost_wakeup", 3, 12600, "— | — | — | — | — | — | — | holds | VIOLATED 16 | reached 3 | VIOLATED 16 | holds | holds | holds"],
  ["munmap_nosigblock", 2, 374, "holds | reached 14 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["munmap_nosigblock", 3, 2264, "holds | reached 14 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["munmap_sigblock", 2, 491, "holds | reached 17 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["munmap_sigblock", 3, 2975, "holds | reached 17 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["parent_stores_tid", 2, 316, "holds | reached 12 | holds | holds | reached 19 | VIOLATED 3 | VIOLATED 11 | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["parent_stores_tid", 3, 1006, "holds | reached 12 | holds | holds | reached 28 | VIOLATED 3 | VIOLATED 11 | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["release_vm", 2, 91, "holds | reached 11 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["release_vm", 3, 195, "holds | reached 11 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["sigchld_wait4", 2, 392, "— | — | — | — | — | — | — | holds | holds | reached 4 | holds | holds | holds | holds"],
  ["sigchld_wait4", 3, 2440, "— | — | — | — | — | — | — | holds | holds | reached 4 | holds | holds | holds | holds"],
  ["user_free_flag", 2, 237, "VIOLATED 9 | reached 9 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["user_free_flag", 3, 1197, "VIOLATED 9 | reached 9 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
];

// prettier-ignore
const ONE_KILL_ONE_SIGNAL: Row[] = [
  ["child_cleartid", 2, 1538, "holds | reached 10 | holds | holds | reached 16 | holds | holds | — | — | — | — | holds | holds | holds"],
  ["child_cleartid", 3, 6966, "holds | reached 10 | holds | holds | reached 24 | holds | holds | — | — | — | — | holds | holds | holds"],
  ["child_stores_tid", 2, 10386, "VIOLATED 7 | reached 7 | holds | VIOLATED 9 | reached 9 | VIOLATED 3 | holds | — | — | — | — | holds | holds | holds"],
  ["child_stores_tid", 3, 186398, "VIOLATED 7 | reached 7 | holds | VIOLATED 13 | reached 13 | VIOLATED 3 | holds | — | — | — | — | holds | holds | holds"],
  ["exit_free", 2, 846, "holds | reached 10 | VIOLATED 8 | — | — | — | — | — | — | — | — | VIOLATED 8 | holds | holds"],
  ["exit_free", 3, 3674, "holds | reached 10 | VIOLATED 8 | — | — | — | — | — | — | — | — | VIOLATED 8 | holds | holds"],
  ["kwaitd", 2, 4672, "— | — | — | — | — | — | — | holds | holds | reached 3 | holds | holds | holds | holds"],
  ["kwaitd", 3, 46496, "— | — | — | — | — | — | — | holds | holds | reached 3 | holds | holds | holds | holds"],
  ["kwaitd_double_reap", 2, 8704, "— | — | — | — | — | — | — | VIOLATED 5 | VIOLATED 19 | reached 3 | holds | holds | VIOLATED 5 | holds"],
  ["kwaitd_double_reap", 3, 103232, "— | — | — | — | — | — | — | VIOLATED 5 | VIOLATED 25 | reached 3 | holds | holds | VIOLATED 5 | holds"],
  ["kwaitd_lost_wakeup", 2, 10512, "— | — | — | — | — | — | — | holds | VIOLATED 13 | reached 3 | VIOLATED 13 | holds | holds | holds"],
  ["kwaitd_lost_wakeup", 3, 104616, "— | — | — | — | — | — | — | holds | VIOLATED 16 | reached 3 | VIOLATED 16 | holds | holds | holds"],
  ["munmap_nosigblock", 2, 2752, "VIOLATED 16 | reached 14 | VIOLATED 11 | — | — | — | — | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["munmap_nosigblock", 3, 23752, "VIOLATED 16 | reached 14 | VIOLATED 11 | — | — | — | — | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["munmap_sigblock", 2, 3154, "holds | reached 17 | VIOLATED 11 | — | — | — | — | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["munmap_sigblock", 3, 24658, "holds | reached 17 | VIOLATED 11 | — | — | — | — | — | — | — | — | VIOLATED 11 | holds | holds"],
  ["parent_stores_tid", 2, 2136, "holds | reached 11 | holds | holds | reached 18 | VIOLATED 3 | VIOLATED 10 | — | — | — | — | VIOLATED 10 | holds | holds"],
  ["parent_stores_tid", 3, 9662, "holds | reached 11 | holds | holds | reached 27 | VIOLATED 3 | VIOLATED 10 | — | — | — | — | VIOLATED 10 | holds | holds"],
  ["release_vm", 2, 682, "holds | reached 10 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["release_vm", 3, 2206, "holds | reached 10 | holds | — | — | — | — | — | — | — | — | holds | holds | holds"],
  ["sigchld_wait4", 2, 2336, "— | — | — | — | — | — | — | holds | holds | reached 4 | holds | holds | holds | holds"],
  ["sigchld_wait4", 3, 20348, "— | — | — | — | — | — | — | holds | holds | reached 4 | holds | holds | holds | holds"],
  ["user_free_flag", 2, 2054, "VIOLATED 9 | reached 9 | VIOLATED 8 | — | — | — | — | — | — | — | — | VIOLATED 8 | holds | holds"],
  ["user_free_flag", 3, 15230, "VIOLATED 9 | reached 9 | VIOLATED 8 | — | — | — | — | — | — | — | — | VIOLATED 8 | holds | holds"],
];

/** The required properties a row violates: its VIOLATED cells, liveness aside. */
const failedOf = (cells: string) =>
  cells
    .split(" | ")
    .map((c, i) => [PROPERTIES[i], c] as const)
    .filter(([p, c]) => c.startsWith("VIOLATED") && !NOT_REQUIRED.includes(p))
    .map(([p]) => p);

const memo = new Map<string, ComparisonResult>();

/** models/exit at THREADS = 2 and 3 (each fault setting checked once for the tests that use it). */
function exitModels(kills: number, signals: number): ComparisonResult {
  const key = `${kills}/${signals}`;
  if (!memo.has(key)) memo.set(key, compare([EXIT_DIR], [{ name: "THREADS", values: [2, 3] }], { kills, signals }));
  return memo.get(key)!;
}

describe("compare models/exit --set THREADS=2..3", () => {
  for (const [label, kills, signals, expected] of [
    ["no faults", 0, 0, NO_FAULTS],
    ["--kills 1 --signals 1", 1, 1, ONE_KILL_ONE_SIGNAL],
  ] as const)
    it(label, () => {
      const { comparison: c, reports } = exitModels(kills, signals);
      expect(c.kills).toBe(kills);
      expect(c.signals).toBe(signals);
      expect(c.params).toEqual(["THREADS"]);
      expect(c.properties.map((p) => p.name)).toEqual(PROPERTIES);
      expect(c.properties.filter((p) => !p.required).map((p) => p.name)).toEqual(NOT_REQUIRED);
      expect(c.required).toEqual(PROPERTIES.filter((p) => !NOT_REQUIRED.includes(p)));
      expect(c.counters).toEqual(["exit_syscalls", "wakes", "signals", "locks", "munmaps"]);
      expect(
        c.rows.map(
          (r): Row => [r.variant, r.params.THREADS!, r.states, PROPERTIES.map((p) => cellText(r.cells[p])).join(" | ")],
        ),
      ).toEqual(expected);
      for (const [i, r] of c.rows.entries()) {
        expect(r.failed, r.variant).toEqual(failedOf(expected[i][3]));
        expect(r.complete).toBe(true);
        expect(r.file).toBe(join(EXIT_DIR, `${r.variant}.fxp`));
        expect(reports[i].stats.states).toBe(r.states);
      }
      expect(comparisonExitCode(c)).toBe(1);
    });

  it("costs: the same at 2 and 3 threads, per design", () => {
    const { comparison: c } = exitModels(1, 1);
    const costs = Object.fromEntries(
      c.rows.map((r) => [`${r.variant}/${r.params.THREADS}`, Object.values(r.costs).join(" ")]),
    );
    for (const v of new Set(c.rows.map((r) => r.variant))) expect(costs[`${v}/2`]).toBe(costs[`${v}/3`]);
    expect(costs["user_free_flag/2"]).toBe("1 0 0 0 0");
    expect(costs["exit_free/2"]).toBe("1 0 0 0 0");
    expect(costs["release_vm/2"]).toBe("1 0 0 0 0");
    expect(costs["munmap_sigblock/2"]).toBe("3 0 0 0 1");
    expect(costs["munmap_nosigblock/2"]).toBe("2 0 0 0 1");
    expect(costs["child_cleartid/2"]).toBe("1 1 0 0 0");
    expect(costs["kwaitd/2"]).toBe("1 1 0 2 0");
    expect(costs["sigchld_wait4/2"]).toBe("1 1 1 1 0");
  });
});

describe("required properties and the exit code", () => {
  const pair = [model("exit_free"), model("release_vm")];

  it("exit_free vs release_vm: both hold without faults; with a kill only exit_free deadlocks", () => {
    const calm = compare(pair, [], { kills: 0, signals: 0 }).comparison;
    expect(calm.rows.map((r) => r.failed)).toEqual([[], []]);
    expect(comparisonExitCode(calm)).toBe(0);
    const killed = compare(pair, [], { kills: 1, signals: 0 }).comparison;
    expect(killed.rows.map((r) => r.failed)).toEqual([["deadlock"], []]);
    expect(killed.rows[0].cells.stacks_returned).toEqual({ verdict: "VIOLATED", steps: 8, required: false });
    expect(comparisonExitCode(killed)).toBe(1);
  });

  it("--require restricts the properties that decide the exit code", () => {
    const c = compare(pair, [], { kills: 1, signals: 0, require: ["no_stack_reuse"] }).comparison;
    expect(c.required).toEqual(["no_stack_reuse"]);
    expect(c.rows.map((r) => r.failed)).toEqual([[], []]);
    expect(c.rows[0].cells.deadlock).toEqual({ verdict: "VIOLATED", steps: 8, required: false });
    expect(comparisonExitCode(c)).toBe(0);
  });

  it("a liveness property is required only when named", () => {
    const c = compare(pair, [], { kills: 1, signals: 0, require: ["stacks_returned"] }).comparison;
    expect(c.rows.map((r) => r.failed)).toEqual([["stacks_returned"], []]);
    expect(comparisonExitCode(c)).toBe(1);
  });

  it("--require of a property no variant has is a usage error", () => {
    expect(() => compare(pair, [], { kills: 0, signals: 0, require: ["join_safe"] })).toThrow(CompareUsageError);
  });

  it("a search cut short makes the exit code 3 when nothing required is violated", () => {
    const c = compare([model("release_vm")], [], { kills: 0, signals: 0, maxStates: 10 }).comparison;
    expect(c.rows[0].complete).toBe(false);
    expect(cellText(c.rows[0].cells.no_stack_reuse)).toBe("incomplete");
    expect(comparisonExitCode(c)).toBe(3);
  });
});

describe("sweeps and params", () => {
  it("parseSetting: a value, a range, and bad input", () => {
    expect(parseSetting("THREADS=3")).toEqual({ name: "THREADS", values: [3] });
    expect(parseSetting("THREADS=2..4")).toEqual({ name: "THREADS", values: [2, 3, 4], between: ["2", "4"] });
    expect(parseSetting("N=0x2..3")).toEqual({ name: "N", values: [2, 3], between: ["0x2", "3"] });
    expect(parseSetting("N=2,0x3")).toEqual({ name: "N", values: [2, 3] });
    // Named versions are resolved against the model: a label, a member's name, a list, a sweep of either.
    expect(parseSetting("KVER=6.2")).toEqual({ name: "KVER", values: ["6.2"] });
    expect(parseSetting("KVER=4.19,V6_2")).toEqual({ name: "KVER", values: ["4.19", "V6_2"] });
    expect(parseSetting("KVER=4.19..2026")).toEqual({ name: "KVER", values: [], between: ["4.19", "2026"] });
    for (const bad of ["THREADS", "=2", "THREADS=3..2", "THREADS=1..100", "THREADS=2,,3", "THREADS=2,"])
      expect(() => parseSetting(bad), bad).toThrow(CompareUsageError);
  });

  describe("named versions", () => {
    const dir = mkdtempSync(join(tmpdir(), "futexcheck-compare-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "versions.fxp");
    writeFileSync(
      file,
      [
        "model versions;",
        'enum Kernel { BEFORE_5_5 = "4.19", V5_5 = "5.5", V6_2 = "6.2", FIX = "2026" }',
        "param KVER: Kernel = V6_2;",
        "param N = 1;",
        "shared { int 0..3 g; }",
        "thread t[i in 0..N-1] { if (KVER >= V5_5) { g = 1; } assert KVER < V6_2; }",
      ].join("\n") + "\n",
    );
    const rows = (settings: ParamSetting[]) =>
      compare([file], settings, { kills: 0, signals: 0 }).comparison.rows.map((r) => [
        r.params.KVER,
        r.states,
        cellText(r.cells.assertions),
      ]);

    it("a sweep goes in declaration order, by labels or names, and rows show the labels", () => {
      // 4.19: the `if` and the assert read only constants and run in the initial state: [exit], [die], gone:
      // 3 states; from 5.5 on [g = 1] comes first: 4. From 6.2 on the assert fails in the first step (the
      // initial state is the only one stored).
      const expected = [
        ["4.19", 3, "holds"],
        ["5.5", 4, "holds"],
        ["6.2", 1, "VIOLATED 1"],
        ["2026", 1, "VIOLATED 1"],
      ];
      expect(rows([parseSetting("KVER=4.19..2026")])).toEqual(expected);
      expect(rows([parseSetting("KVER=BEFORE_5_5..FIX")])).toEqual(expected);
      expect(rows([parseSetting("KVER=2026,V5_5")])).toEqual([expected[3], expected[1]]);
    });

    it("a value or sweep the enum has not is FX131, located at the param", () => {
      const errors = (text: string) => {
        const loaded = loadVariants([file], [parseSetting(text)]);
        return loaded.ok ? [] : loaded.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`);
      };
      const choices = "4.19 (BEFORE_5_5), 5.5 (V5_5), 6.2 (V6_2), 2026 (FIX)";
      expect(errors("KVER=5.4")).toEqual([`FX131 3:1 --set KVER=5.4: not a value of enum Kernel (${choices})`]);
      expect(errors("KVER=6.2..5.5")).toEqual([
        "FX131 3:1 --set KVER=6.2..5.5: 5.5 comes before 6.2 in enum Kernel; a sweep goes in declaration order",
      ]);
      expect(errors("KVER=4.19..7")).toEqual([
        `FX131 3:1 --set KVER=4.19..7: '7' is not a value of enum Kernel (${choices})`,
      ]);
      expect(errors("N=one..two")).toEqual([
        "FX131 4:1 --set N=one..two: a sweep of a number param needs whole numbers",
      ]);
      expect(errors("N=two")).toEqual(["FX131 4:1 --set N needs a whole number, got 'two'"]);
    });
  });

  it("collectFiles: a directory is its .fxp files in name order; files stay as given", () => {
    const files = collectFiles([EXIT_DIR]);
    expect(files.map((f) => f.slice(EXIT_DIR.length + 1))).toEqual([
      "child_cleartid.fxp",
      "child_stores_tid.fxp",
      "exit_free.fxp",
      "kwaitd.fxp",
      "kwaitd_double_reap.fxp",
      "kwaitd_lost_wakeup.fxp",
      "munmap_nosigblock.fxp",
      "munmap_sigblock.fxp",
      "parent_stores_tid.fxp",
      "release_vm.fxp",
      "sigchld_wait4.fxp",
      "user_free_flag.fxp",
    ]);
    expect(collectFiles([model("release_vm"), model("exit_free")])).toEqual([model("release_vm"), model("exit_free")]);
  });

  it("a variant without the swept param gets one row, with — in the param column", () => {
    const { comparison: c } = compare([model("release_vm"), model("kwaitd")], [{ name: "STACKS", values: [1, 2] }], {
      kills: 0,
      signals: 0,
    });
    expect(c.rows.map((r) => [r.variant, r.params.STACKS])).toEqual([
      ["release_vm", 1],
      ["release_vm", 2],
      ["kwaitd", null],
    ]);
    expect(c.rows[2].cells.no_stack_reuse).toBeNull();
    expect(c.rows[0].cells.reaped_once).toBeNull();
    expect(renderComparisonText(c).split("\n")[4]).toMatch(/^kwaitd +— +— /);
  });

  it("a param no variant has is a usage error", () => {
    expect(() => loadVariants([model("release_vm")], [{ name: "NOPE", values: [1] }])).toThrow(CompareUsageError);
  });
});

describe("rendering", () => {
  const result = compare([model("user_free_flag"), model("release_vm")], [{ name: "THREADS", values: [2] }], {
    kills: 0,
    signals: 0,
  });

  it("text: aligned columns, then what the cells and costs mean", () => {
    expect(untimed(renderComparisonText(result.comparison)).split("\n")).toEqual([
      "compare 2 variants, 2 runs: kills 0, signals 0, breadth-first",
      "variant         THREADS  no_stack_reuse  stack_reused  stacks_returned  deadlock  assertions  runtime_errors  states  seconds  exit_syscalls  wakes  signals  locks  munmaps",
      "user_free_flag        2  VIOLATED 9      reached 9     holds            holds     holds       holds              237     #.##              1      0        0      0        0",
      "release_vm            2  holds           reached 11    holds            holds     holds       holds               91     #.##              1      0        0      0        0",
      "required: no_stack_reuse, stack_reused, deadlock, assertions, runtime_errors — a VIOLATED (or UNREACHABLE) one makes the exit code 1",
      'cells: the verdict and the length of the shortest trace (or witness); "—": the variant has no such property',
      "costs (exit_syscalls, wakes, signals, locks, munmaps): per thread lifetime, the worst explored execution (saturate at 15)",
    ]);
  });

  it("Markdown: a table with numbers right-aligned", () => {
    const md = untimed(renderComparisonMarkdown(result.comparison)).split("\n");
    expect(md.slice(0, 6)).toEqual([
      "Compared 2 variants, 2 runs: kills 0, signals 0, breadth-first.",
      "",
      "| `variant` | `THREADS` | `no_stack_reuse` | `stack_reused` | `stacks_returned` | `deadlock` | `assertions` | `runtime_errors` | `states` | `seconds` | `exit_syscalls` | `wakes` | `signals` | `locks` | `munmaps` |",
      "| --- | ---: | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      "| user_free_flag | 2 | VIOLATED 9 | reached 9 | holds | holds | holds | holds | 237 | #.## | 1 | 0 | 0 | 0 | 0 |",
      "| release_vm | 2 | holds | reached 11 | holds | holds | holds | holds | 91 | #.## | 1 | 0 | 0 | 0 | 0 |",
    ]);
    expect(md[7]).toMatch(/^- required: no_stack_reuse, /);
  });

  it("the traces of the violated required properties, row by row", () => {
    const traces = renderFailedTraces(result);
    expect(traces).toHaveLength(1);
    const lines = traces[0].split("\n");
    expect(lines[0]).toBe(`user_free_flag (${model("user_free_flag")} THREADS=2):`);
    expect(lines[1]).toBe("── no_stack_reuse violated: shortest trace, 9 steps ──");
    expect(lines.at(-1)).toBe("   ✗ no_stack_reuse does not hold in the state after step 9");
  });

  it("JSON: the table is plain data", () => {
    const json = JSON.parse(JSON.stringify(result.comparison)) as typeof result.comparison;
    expect(Object.keys(json)).toEqual([
      "kills",
      "signals",
      "order",
      "por",
      "params",
      "properties",
      "required",
      "counters",
      "counterMax",
      "rows",
    ]);
    expect(Object.keys(json.rows[0])).toEqual([
      "variant",
      "file",
      "params",
      "cells",
      "states",
      "transitions",
      "seconds",
      "complete",
      "stopReason",
      "costs",
      "failed",
      "symmetry",
    ]);
    expect(json.rows[0].symmetry).toBe(null); // no --symmetry
    expect(json.rows[0].cells.no_stack_reuse).toEqual({ verdict: "VIOLATED", steps: 9, required: true });
    expect(json.properties[2]).toEqual({ name: "stacks_returned", kind: "always_eventually", required: false });
  });
});

describe("compare --symmetry", () => {
  const futex = (name: string) => join(ROOT, "models/futex", `${name}.fxp`);
  const files = ["drepper_mutex1", "drepper_mutex2", "drepper_mutex3", "robust_mutex"].map(futex);
  const settings = [{ name: "N", values: [3] }];
  const plain = compare(files, settings, { kills: 0, signals: 0 });
  const sym = compare(files, settings, { kills: 0, signals: 0, symmetry: true });

  it("stores the mutexes up to symmetry, with check --symmetry's counts and the same verdicts", () => {
    // the pins of test/models/futex.test.ts (symmetry and partial-order reduction, N = 3)
    expect(sym.comparison.rows.slice(0, 3).map((r) => r.states)).toEqual([552, 638, 433]);
    for (const r of sym.comparison.rows.slice(0, 3)) expect(r.symmetry).toEqual({ applied: true });
    const verdicts = (c: ComparisonResult) =>
      c.comparison.rows.map((r) => Object.values(r.cells).map((x) => x?.verdict ?? null));
    expect(verdicts(sym)).toEqual(verdicts(plain));
    expect(plain.comparison.rows.every((r) => r.symmetry === null)).toBe(true);
  });

  it("checks a variant that refuses it without, and says why", () => {
    const robust = sym.comparison.rows[3];
    expect(robust.symmetry).toMatchObject({ applied: false, reason: expect.stringMatching(/^refused: /) });
    expect(robust.states).toBe(plain.comparison.rows[3].states);
    const text = renderComparisonText(sym.comparison);
    expect(text).toContain(
      "symmetry reduction (states stored up to renaming interchangeable threads): on for drepper_mutex1 N=3, drepper_mutex2 N=3, drepper_mutex3 N=3",
    );
    expect(text).toMatch(/robust_mutex N=3: no symmetry reduction \(refused: [^-]/); // the FX127 message, without "--symmetry:"
    expect(renderComparisonText(plain.comparison)).not.toContain("symmetry");
  });
});

describe("the command", () => {
  it("prints the table, then the traces; exit code 1", () => {
    const r = cli(["compare", "models/exit/user_free_flag.fxp", "models/exit/release_vm.fxp", "-q"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^compare 2 variants, 2 runs: kills 0, signals 0, breadth-first\n/);
    expect(r.stdout).toContain(
      "\n\nuser_free_flag (models/exit/user_free_flag.fxp):\n── no_stack_reuse violated: shortest trace, 9 steps ──\n",
    );
    const quiet = cli(["compare", "models/exit/user_free_flag.fxp", "models/exit/release_vm.fxp", "--no-traces"]);
    expect(quiet.stdout).not.toContain("──");
    expect(quiet.stdout.trimEnd().split("\n")).toHaveLength(7);
  });

  it("--require, --json, --markdown, exit code 0", () => {
    const args = ["compare", "models/exit/exit_free.fxp", "models/exit/release_vm.fxp", "--kills", "1"];
    const json = cli([...args, "--require", "no_stack_reuse", "--json"]);
    expect(json.status).toBe(0);
    const c = JSON.parse(json.stdout) as ComparisonResult["comparison"];
    expect(c.rows.map((r) => [r.variant, cellText(r.cells.deadlock), r.failed])).toEqual([
      ["exit_free", "VIOLATED 8", []],
      ["release_vm", "holds", []],
    ]);
    const md = cli([...args, "--require", "deadlock", "--markdown"]);
    expect(md.status).toBe(1);
    expect(md.stdout).toMatch(/^Compared 2 variants, 2 runs: kills 1, signals 0, breadth-first\.\n\n\| `variant` \|/);
    expect(md.stdout).toContain(
      "\n```text\nexit_free (models/exit/exit_free.fxp):\n── deadlock: shortest trace, 8 steps ──\n",
    );
  });

  it("bad input: exit code 2, a message and no stack trace", () => {
    for (const [args, message] of [
      [["models/exit/release_vm.fxp", "--set", "NOPE=1"], "futexcheck: --set NOPE: no variant has a param 'NOPE'\n"],
      [["models/exit/release_vm.fxp", "--set", "THREADS=3..2"], "futexcheck: --set THREADS=3..2: the range is empty\n"],
      [
        ["models/exit/release_vm.fxp", "--set", "THREADS=2", "--set", "THREADS=3"],
        "futexcheck: --set THREADS is given twice\n",
      ],
      [
        ["models/exit/release_vm.fxp", "--require", "nope"],
        "futexcheck: --require nope: no variant has a property 'nope' (they have: no_stack_reuse, stack_reused, stacks_returned, deadlock, assertions, runtime_errors)\n",
      ],
      [
        ["models/exit/release_vm.fxp", "--json", "--markdown"],
        "futexcheck: --json and --markdown cannot be used together\n",
      ],
      [["models/exit/release_vm.fxp", "--kills", "-1"], "futexcheck: --kills must be at least 0, got '-1'\n"],
      [["test"], "futexcheck: test: no .fxp files in this directory\n"],
      [["no/such.fxp"], "no/such.fxp:1:1: error FX007: cannot read no/such.fxp: no such file\n"],
    ] as const) {
      const r = cli(["compare", ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toBe(message);
      expect(r.stdout).toBe("");
    }
  });
});

describe("README.md", () => {
  it("shows real compare runs: each matches a fresh run but for the times", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```\n\$ futexcheck (compare [^\n]+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [, command, output] of blocks) {
      const r = cli(command.split(" "));
      expect(r.status, command).toBe(1);
      expect(untimed(r.stdout), command).toBe(untimed(output));
    }
  });
});

describe("compare --html", () => {
  it("colours every verdict and links each violated required property to the diagram of its trace", () => {
    const result = compare([model("user_free_flag"), model("release_vm")], [], {
      kills: 0,
      signals: 0,
      traceStates: true,
    });
    const html = renderComparisonHtml(result);
    const c = result.comparison;
    // a row per variant, a cell per property it has
    for (const row of c.rows) expect(html).toContain(`data-row="${row.variant}"`);
    const violated = c.rows.flatMap((row) => row.failed.map((p) => `${c.rows.indexOf(row)}-${p}`));
    expect(violated.length).toBeGreaterThan(0);
    // each violated required property links to a diagram, which holds its trace's steps
    for (const id of violated) expect(html).toContain(`href="#trace-${id}"`);
    expect(html.match(/data-verdict="VIOLATED"/g)?.length).toBeGreaterThanOrEqual(violated.length);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});
