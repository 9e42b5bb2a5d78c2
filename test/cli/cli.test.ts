// The command line, run as a user runs it: `node dist/cli/main.js …` in a child process. The build runs once
// first (tsc into dist/), so that these tests never run a stale build. Pinned here: the exit codes, the
// messages for bad input (located, with a code, and never a stack trace), the `parse` summary, the JSON report
// against its schema in docs/json.md (the field names are read from the tables of that page), determinism,
// `--dfs`, `fmt`, `--quiet`, and a reader that closes the pipe early.
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckReport, PropertyResult } from "../../checker/run.js";
import type { Trace } from "../../checker/trace.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(ROOT, "dist", "cli", "main.js");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

const USER_FREE = "models/exit/minimal/user_free_flag.fxp"; // no_stack_reuse VIOLATED: exit code 1
const ALL_HOLD = "models/examples/kernel_syscall.fxp"; // every invariant HOLDS, every reachable REACHED: 0
const BIGGER = "models/examples/percpu_kthread.fxp"; // 324 states

/** A stack trace line of a Node program: `at f (file.js:12:3)`. No bad input may print one. */
const STACK = /at .*\.js:\d+/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As `run`, in the background (several at once). */
function runAsync(args: string[], command = process.execPath): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, command === process.execPath ? [MAIN, ...args] : args, { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

/** Runs a shell command line (for pipes and a pseudo-terminal). */
function sh(command: string, args: string[] = []): Run {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 2 ** 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const NODE_MAIN = `${quote(process.execPath)} ${quote(MAIN)}`;

function json(args: string[]): { status: number | null; report: Report } {
  const r = run([...args, "--json"]);
  expect(r.stderr).toBe("");
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}

// ---------- the JSON report, as read by a program ----------

// The report's own types: the JSON is the report as the checker builds it, plus the file name.
type Report = CheckReport & { file: string };
type Result = PropertyResult;

const DOC = readFileSync(join(ROOT, "docs", "json.md"), "utf8");

/** The names in the first column of the table(s) under the heading `heading` of docs/json.md. */
function documented(heading: string): string[] {
  const lines = DOC.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`docs/json.md has no heading '${heading}'`);
  const names: string[] = [];
  for (let i = start + 1; i < lines.length && !lines[i].startsWith("#"); i++) {
    const m = /^\|([^|]*)\|/.exec(lines[i]);
    if (m === null) continue;
    for (const n of m[1].matchAll(/`([^`]+)`/g)) names.push(n[1]);
  }
  return names;
}

const FIELDS = {
  report: documented("## The report"),
  stats: documented("### `stats`"),
  result: documented("## A result"),
  trace: documented("## A trace"),
  step: documented("## A step"),
  change: documented("## A change"),
};
const VERDICTS = documented("### Verdicts");
const OPTIONAL = { trace: ["loopStart"], step: ["state"] };

/** `o` has every documented field of its kind (but the optional ones) and no undocumented one. */
function hasFields(o: object, documentedFields: string[], optional: string[] = []): void {
  const keys = Object.keys(o);
  for (const k of keys) expect(documentedFields, `undocumented field '${k}'`).toContain(k);
  for (const f of documentedFields) if (!optional.includes(f)) expect(keys, `missing field '${f}'`).toContain(f);
}

const isInt = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x);
const isStringMap = (x: unknown) =>
  typeof x === "object" && x !== null && Object.values(x).every((v) => typeof v === "string");
const nullOr = (x: unknown, type: string) => x === null || typeof x === type;

/** Checks a report against docs/json.md: fields, types, and the rules tying verdicts, traces and steps. */
function checkSchema(r: Report, opts: { traceStates?: boolean } = {}): void {
  hasFields(r, FIELDS.report);
  expect(typeof r.file).toBe("string");
  expect(typeof r.model).toBe("string");
  for (const k of ["threads", "cpus", "kills", "signals"] as const) expect(isInt(r[k]), k).toBe(true);
  expect(Object.values(r.params).every(isInt)).toBe(true);
  expect(["bfs", "dfs"]).toContain(r.order);
  expect(typeof r.complete).toBe("boolean");
  expect(r.complete ? r.stopReason === null : typeof r.stopReason === "string").toBe(true);
  expect(Object.values(r.costs).every((v) => isInt(v) && v >= 0 && v <= 15)).toBe(true);
  hasFields(r.stats, FIELDS.stats);
  for (const [k, v] of Object.entries(r.stats))
    if (k !== "compressedFrom") expect(typeof v === "number" && v >= 0, k).toBe(true);
  const from = r.stats.compressedFrom;
  expect(from === null || (isInt(from) && from >= 1 && from <= r.stats.states), "compressedFrom").toBe(true);
  for (const k of ["states", "transitions", "depth", "stateBytes", "peakMemoryBytes"] as const)
    expect(isInt(r.stats[k]), k).toBe(true);

  // The built-in checks come last, in this order, without a location.
  const names = r.results.map((p) => p.name);
  expect(names.slice(-3)).toEqual(["deadlock", "assertions", "runtime_errors"]);
  expect(r.results.slice(-3).map((p) => p.kind)).toEqual(["deadlock", "assert", "runtime"]);
  expect(new Set(names).size).toBe(names.length);
  for (const p of r.results) {
    hasFields(p, FIELDS.result);
    expect(typeof p.name).toBe("string");
    expect(["invariant", "reachable", "leads_to", "always_eventually", "deadlock", "assert", "runtime"]).toContain(
      p.kind,
    );
    expect(VERDICTS).toContain(p.verdict);
    if (p.kind === "reachable") expect(["REACHED", "UNREACHABLE", "INCOMPLETE"]).toContain(p.verdict);
    else expect(["HOLDS", "VIOLATED", "INCOMPLETE"]).toContain(p.verdict);
    if (!r.complete) expect(["HOLDS", "UNREACHABLE"]).not.toContain(p.verdict);
    expect(nullOr(p.message, "string")).toBe(true);
    const builtin = ["deadlock", "assert", "runtime"].includes(p.kind);
    if (builtin) expect(p.location).toBeNull();
    else {
      expect(p.location).not.toBeNull();
      expect(Object.keys(p.location!).sort()).toEqual(["col", "file", "line"]);
      expect(isInt(p.location!.line) && isInt(p.location!.col)).toBe(true);
    }
    const traced = p.verdict === "VIOLATED" || p.verdict === "REACHED";
    expect(p.trace === null, `${p.name} ${p.verdict}: trace`).toBe(!traced);
    if (p.trace !== null) checkTrace(p, p.trace, opts.traceStates ?? false);
  }
}

function checkTrace(p: Result, t: Trace, traceStates: boolean): void {
  hasFields(t, FIELDS.trace, OPTIONAL.trace);
  expect(isStringMap(t.initial) && isStringMap(t.final)).toBe(true);
  const liveness = p.kind === "leads_to" || p.kind === "always_eventually";
  if (t.loopStart !== undefined) {
    expect(liveness).toBe(true);
    expect(t.loopStart >= 1 && t.loopStart <= t.steps.length).toBe(true);
  }
  t.steps.forEach((s, i) => {
    hasFields(s, FIELDS.step, traceStates ? [] : OPTIONAL.step);
    if (!traceStates) expect(s.state).toBeUndefined();
    else expect(isStringMap(s.state)).toBe(true);
    expect(s.step).toBe(i + 1);
    expect(["step", "kill", "signal", "fail"]).toContain(s.kind);
    // A failing step is the last one, of an assertion or runtime error, and changes nothing.
    if (s.kind === "fail") {
      expect(i).toBe(t.steps.length - 1);
      expect(["assert", "runtime"]).toContain(p.kind);
      expect(s.changes).toEqual([]);
    }
    expect(typeof s.thread).toBe("string");
    expect(isInt(s.threadIndex) && isInt(s.cpu) && isInt(s.line) && isInt(s.col)).toBe(true);
    expect(s.line >= 1 && s.col >= 1).toBe(true);
    expect(["user", "kernel"]).toContain(s.side);
    expect(nullOr(s.label, "string") && nullOr(s.routine, "string") && nullOr(s.note, "string")).toBe(true);
    expect(typeof s.file).toBe("string");
    expect(typeof s.source).toBe("string");
    expect(s.source).toBe(s.source.trim());
    for (const c of s.changes) {
      hasFields(c, FIELDS.change);
      expect(["shared", "kernel", "percpu", "ghost", "local", "thread", "faults"]).toContain(c.space);
      expect(typeof c.name === "string" && typeof c.before === "string" && typeof c.after === "string").toBe(true);
      expect(c.before).not.toBe(c.after);
      if (c.before === "") expect(c.space).toBe("local");
    }
  });
  if (p.kind === "assert" || p.kind === "runtime") expect(t.steps.at(-1)?.kind).toBe("fail");
  // With --trace-states, the state after the last step taken is `final`.
  const taken = t.steps.filter((s) => s.kind !== "fail");
  if (traceStates && taken.length > 0) expect(taken.at(-1)!.state).toEqual(t.final);
  if (taken.length === 0) expect(t.final).toEqual(t.initial);
}

/** A report without the fields that depend on timing or memory. */
function stable(r: Report): unknown {
  const { seconds: _s, statesPerSecond: _a, transitionsPerSecond: _b, peakMemoryBytes: _p, ...stats } = r.stats;
  return { ...r, stats };
}

const verdicts = (r: Report) => Object.fromEntries(r.results.map((p) => [p.name, p.verdict]));

// ---------- temporary models ----------

let temp = "";
const tempFile = (name: string, text: string): string => {
  const file = join(temp, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  // Build first: a test of the CLI must never run a stale dist/.
  const build = spawnSync(process.execPath, [TSC, "-p", "."], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (build.status !== 0) throw new Error(`tsc -p . failed:\n${build.stdout}${build.stderr}`);
  temp = mkdtempSync(join(tmpdir(), "futexcheck-cli-"));
}, 120_000);

afterAll(() => {
  if (temp !== "") rmSync(temp, { recursive: true, force: true });
});

// ---------- tests ----------

describe("version and help", () => {
  it("--version and -V print the version of package.json", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    for (const flag of ["--version", "-V"]) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.stderr).toBe("");
    }
  });

  it("--help lists the commands; check --help lists its options but not the hidden --dump-js", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["parse <files...>", "fmt <file>", "check [options] <file>"]) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/^Usage: futexcheck /);
    const c = run(["check", "--help"]);
    expect(c.status).toBe(0);
    for (const o of [
      "--set <NAME=VALUE>",
      "--kills <K>",
      "--signals <S>",
      "--dfs",
      "--property <NAME>",
      "--max-states <N>",
      "--max-depth <N>",
      "--max-memory <SIZE>",
      "--json",
      "--trace-states",
      "-q, --quiet",
    ])
      expect(c.stdout).toContain(o);
    expect(c.stdout).not.toContain("--dump-js");
  });

  it("no command prints the usage on stderr and exits 2", () => {
    const r = run([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: futexcheck /);
  });
});

describe("parse", () => {
  it("prints a summary line per good model and exits 0", () => {
    const r = run(["parse", USER_FREE, BIGGER, "models/examples/futex_wait_wake.fxp"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        `ok: ${USER_FREE} (model user_free_flag, 1 thread template, 2 properties)`,
        `ok: ${BIGGER} (model percpu_kthread, 2 thread templates, 3 properties)`,
        `ok: models/examples/futex_wait_wake.fxp (model futex_wait_wake, 2 thread templates, 1 property)`,
        "",
      ].join("\n"),
    );
  });

  it("parses every model of the library", () => {
    const files = ["examples", "exit", "futex"].flatMap((d) =>
      readdirSync(join(ROOT, "models", d))
        .filter((f) => f.endsWith(".fxp"))
        .map((f) => `models/${d}/${f}`),
    );
    const r = run(["parse", ...files]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(files.length);
  });

  it("a syntax error: file:line:col, code, the source line and a caret on stderr; exit 2", () => {
    const file = tempFile("syntax.fxp", "model m\nthread w { skip; }\n");
    const r = run(["parse", file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:1: error FX002: `));
    expect(lines[1]).toBe("  thread w { skip; }");
    expect(lines[2]).toBe("  ^^^^^^");
    expect(lines.at(-2)).toBe("1 error");
    expect(r.stderr).not.toMatch(STACK);
  });

  it("semantic errors: every one located, with a caret under the name, and counted", () => {
    const file = tempFile("names.fxp", "model m;\nshared { word x = 0; }\nthread w { y = 1; z = x; }\n");
    const r = run(["parse", file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        `${file}:3:12: error FX101: unknown name 'y'`,
        "  thread w { y = 1; z = x; }",
        "             ^",
        `${file}:3:19: error FX101: unknown name 'z'`,
        "  thread w { y = 1; z = x; }",
        "                    ^",
        "2 errors",
        "",
      ].join("\n"),
    );
  });

  it("good and bad files together: the good ones are summarized, the exit code is 2", () => {
    const bad = tempFile("bad.fxp", "model m;\n");
    const r = run(["parse", USER_FREE, bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`ok: ${USER_FREE} (model user_free_flag, 1 thread template, 2 properties)\n`);
    expect(r.stderr).toContain(`${bad}:1:1: error FX118: the model has no threads`);
  });

  it("a missing file is FX007, exit 2", () => {
    const r = run(["parse", "no/such/model.fxp"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("no/such/model.fxp:1:1: error FX007: cannot read no/such/model.fxp: no such file\n1 error\n");
  });
});

describe("bad usage: exit 2, a clear message on stderr, nothing on stdout, never a stack trace", () => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
    [["check", USER_FREE, "--frobnicate"], /unknown option '--frobnicate'/],
    [["check"], /missing required argument 'file'/],
    [["check", USER_FREE, "extra.fxp"], /too many arguments for 'check'/],
    [["check", USER_FREE, "--kills"], /option '--kills <K>' argument missing/],
    [["check", USER_FREE, "--kills", "x"], /^futexcheck: --kills needs a whole number, got 'x'$/m],
    [["check", USER_FREE, "--kills", "-1"], /^futexcheck: --kills must be at least 0, got '-1'$/m],
    [["check", USER_FREE, "--signals", "1.5"], /^futexcheck: --signals needs a whole number, got '1.5'$/m],
    [["check", USER_FREE, "--max-states", "0"], /^futexcheck: --max-states must be at least 1, got '0'$/m],
    [["check", USER_FREE, "--max-depth", "deep"], /--max-depth needs a whole number/],
    [["check", USER_FREE, "--max-memory", "lots"], /--max-memory takes a size such as 512M or 4G, got 'lots'/],
    [["check", USER_FREE, "--set", "THREADS"], /--set takes NAME=VALUE, got 'THREADS'/],
    [["check", USER_FREE, "--set", "THREADS=two"], /--set THREADS needs a whole number, got 'two'/],
    [
      ["check", USER_FREE, "--set", "NOPE=1"],
      /error FX123: --set NOPE: the model has no param 'NOPE' \(params: THREADS, STACKS\)/,
    ],
    [["check", USER_FREE, "--set", "THREADS=0"], /error FX105: /],
    [
      ["check", USER_FREE, "--property", "nope"],
      /--property nope: the model has no property 'nope' \(it has: no_stack_reuse, stack_reused, deadlock, assertions, runtime_errors\)/,
    ],
    [
      ["check", "no/such/model.fxp"],
      /no\/such\/model\.fxp:1:1: error FX007: cannot read no\/such\/model\.fxp: no such file/,
    ],
    [["check", "models"], /error FX007: cannot read models/],
    [["check", "package.json"], /package\.json:1:1: error FX002: /],
    [["fmt", "no/such/model.fxp"], /cannot read no\/such\/model\.fxp/],
    [["fmt", "package.json"], /package\.json:1:1: error FX002: /],
    [["fmt", USER_FREE, USER_FREE], /too many arguments for 'fmt'/],
    [["parse"], /missing required argument 'files'/],
  ];
  for (const [args, message] of cases)
    it(args.join(" ") || "(none)", () => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).not.toContain("internal error");
    });

  it("--json with a bad model prints no report, only the errors", () => {
    const r = run(["check", "no/such/model.fxp", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("FX007");
  });
});

describe("check: exit codes", () => {
  it("0 when every property holds and every reachable check is reached", () => {
    const r = run(["check", ALL_HOLD]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ {2}mutual_exclusion +HOLDS$/m);
    expect(r.stdout).toMatch(/^ {2}both_done +REACHED +\(witness: 18 steps\)$/m);
  });

  it("1 when a property is violated", () => {
    const r = run(["check", USER_FREE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ {2}no_stack_reuse +VIOLATED +\(trace: 4 steps\)$/m);
    // partial-order reduction (the default) does not promise the shortest trace; --no-por does
    expect(r.stdout).toContain("── no_stack_reuse violated: trace, 4 steps ──");
    expect(r.stdout).toMatch(/^partial-order reduction: \d+ of 29 states expanded by one thread's independent step;/m);
    const full = run(["check", USER_FREE, "--no-por"]);
    expect(full.status).toBe(1);
    expect(full.stdout).toContain("── no_stack_reuse violated: shortest trace, 4 steps ──");
    expect(full.stdout).not.toContain("partial-order reduction");
  });

  it("1 when a reachable check is UNREACHABLE (the other verdicts may be vacuous)", () => {
    const r = run(["check", "models/examples/signal_handler.fxp"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}handler_ran +UNREACHABLE +no reachable state satisfies it/m);
  });

  it("3 when a bound stops the search: every verdict INCOMPLETE, none HOLDS", () => {
    const r = run(["check", BIGGER, "--max-states", "5"]);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain("search incomplete: the state bound was reached (--max-states 5)");
    expect(r.stdout).not.toContain("HOLDS");
    const { status, report } = json(["check", BIGGER, "--max-states", "5"]);
    expect(status).toBe(3);
    checkSchema(report);
    expect(report.complete).toBe(false);
    expect(report.stopReason).toBe("the state bound was reached (--max-states 5)");
    expect(report.results.every((p) => p.verdict === "INCOMPLETE")).toBe(true);
    expect(report.stats.states).toBe(5);
    // A depth bound too.
    const d = json(["check", BIGGER, "--max-depth", "1"]);
    expect(d.status).toBe(3);
    expect(d.report.stopReason).toBe("the depth bound was reached (--max-depth 1)");
  });

  it("1 wins over 3: a violation found before the bound is definite", () => {
    // user_free_flag's violation is 4 steps deep; a depth bound of 6 stops the search after it is found.
    const { status, report } = json(["check", USER_FREE, "--max-depth", "6"]);
    expect(report.complete).toBe(false);
    expect(verdicts(report)).toMatchObject({ no_stack_reuse: "VIOLATED", deadlock: "INCOMPLETE" });
    expect(status).toBe(1);
  });
});

describe("check --json", () => {
  it("the report of user_free_flag: fields, types and values as docs/json.md says", () => {
    const { status, report } = json(["check", USER_FREE]);
    expect(status).toBe(1);
    checkSchema(report);
    expect(report).toMatchObject({
      file: USER_FREE,
      model: "user_free_flag",
      threads: 2,
      cpus: 2,
      params: { THREADS: 2, STACKS: 1 },
      kills: 0,
      signals: 0,
      order: "bfs",
      costs: {},
      complete: true,
      stopReason: null,
    });
    expect(verdicts(report)).toEqual({
      no_stack_reuse: "VIOLATED",
      stack_reused: "REACHED",
      deadlock: "HOLDS",
      assertions: "HOLDS",
      runtime_errors: "HOLDS",
    });
    expect(report.stats).toMatchObject({ states: 29, transitions: 34, depth: 10, stateBytes: 8 });
    expect(report.reductions).toEqual({ deadReset: true, por: true, porReducedStates: 14, symmetry: false });
    const v = report.results[0];
    expect(v).toMatchObject({
      kind: "invariant",
      message: null,
      location: { file: USER_FREE, line: 36, col: 1 },
    });
    const t = v.trace!;
    expect(t.steps.map((s) => [s.thread, s.label])).toEqual([
      ["worker[0]", "take"],
      ["worker[0]", "work"],
      ["worker[0]", "release"],
      ["worker[1]", "take"],
    ]);
    expect(t.steps[0]).toEqual({
      step: 1,
      kind: "step",
      thread: "worker[0]",
      threadIndex: 0,
      cpu: 0,
      side: "user",
      label: "take",
      routine: null,
      file: USER_FREE,
      line: 26,
      col: 5,
      source: "choose s where stack_free[s] == 1;",
      note: null,
      refs: [],
      changes: [
        { space: "shared", name: "stack_free[0]", before: "1", after: "0" },
        { space: "ghost", name: "stack_of[0]", before: "0", after: "1" },
        { space: "local", name: "worker[0].s", before: "", after: "0" },
      ],
    });
    expect(t.steps[3]).toMatchObject({ thread: "worker[1]", threadIndex: 1, cpu: 1 });
    expect(t.initial).toEqual({
      "stack_free[0]": "1",
      "stack_of[0]": "0",
      "stack_of[1]": "0",
      "worker[0]": "user",
      "worker[1]": "user",
    });
    expect(t.final).toMatchObject({ "stack_of[0]": "1", "stack_of[1]": "1" });
  });

  it("the examples of docs/json.md are what the tool prints (but for timing and memory)", () => {
    const section = DOC.slice(DOC.indexOf("## Example"));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);
    expect(blocks).toHaveLength(2);
    const { status, report } = json(["check", USER_FREE, "--property", "no_stack_reuse"]);
    expect(status).toBe(1);
    checkSchema(blocks[0] as Report);
    expect(stable(report)).toEqual(stable(blocks[0] as Report));
    const kill = json(["check", "models/examples/exit_path.fxp", "--kills", "1", "--set", "ROBUST=0"]).report;
    expect(kill.results.find((p) => p.name === "killed_holding")!.trace!.steps[1]).toEqual(blocks[1]);
  });

  it("kill and signal steps, kernel steps in a library routine, a deadlock message", () => {
    const k = json(["check", "models/examples/exit_path.fxp", "--kills", "1", "--set", "ROBUST=0"]).report;
    checkSchema(k);
    expect(k.params).toEqual({ ROBUST: 0 });
    expect(k.kills).toBe(1);
    const kill = k.results.find((p) => p.name === "killed_holding")!.trace!.steps[1];
    expect(kill).toMatchObject({ kind: "kill", thread: "owner", side: "user", note: null });
    expect(kill.changes).toEqual([
      { space: "faults", name: "kills sent", before: "0", after: "1" },
      { space: "thread", name: "owner", before: "user", after: "kernel, killed" },
    ]);
    expect(k.results.find((p) => p.name === "deadlock")!.message).toBe(
      "no thread can move: waiter is blocked at exit_path.fxp:43",
    );

    const s = json(["check", "models/examples/signal_handler.fxp", "--signals", "1"]).report;
    checkSchema(s);
    const careless = s.results.find((p) => p.name === "careless_ok")!.trace!.steps;
    expect(careless[1]).toMatchObject({ kind: "signal", thread: "careless" });
    expect(careless.map((x) => x.note)).toContain("the signal handler returns");

    const f = json(["check", "models/examples/futex_lost_wakeup.fxp"]).report;
    checkSchema(f);
    const dl = f.results.find((p) => p.name === "deadlock")!;
    expect(dl.message).toBe("no thread can move: waiter sleeps forever in futex_wait on &flag (lost wake-up)");
    const kernelStep = dl.trace!.steps.find((x) => x.routine === "futex_wait")!;
    expect(kernelStep.side).toBe("kernel");
    expect(kernelStep.file.endsWith("futex.fxp")).toBe(true);
    expect(dl.trace!.steps.map((x) => x.note)).toContain("enters the kernel: futex_wait()");
  });

  it("a failing step ends the trace of an assertion; a counter shows in costs", () => {
    const file = tempFile(
      "assert.fxp",
      [
        "model asrt;",
        "counter bumps;",
        "shared { int 0..3 x = 0; }",
        "thread t[i in 0..1] {",
        "  x = x + 1;",
        "  count(bumps);",
        "  check: assert x < 2;",
        "}",
        "",
      ].join("\n"),
    );
    const { status, report } = json(["check", file]);
    expect(status).toBe(1);
    checkSchema(report);
    expect(report.costs).toEqual({ bumps: 1 });
    const a = report.results.find((p) => p.name === "assertions")!;
    expect(a.message).toBe("assertion failed: x < 2");
    expect(a.trace!.steps.at(-1)).toMatchObject({ kind: "fail", label: "check", line: 7 });
  });

  it("a liveness counterexample is a lasso with loopStart", () => {
    const file = tempFile(
      "spin.fxp",
      [
        "model spinwait;",
        "shared { bool flag = false; }",
        "thread spinner fair { while (!flag) { skip; } done: skip; }",
        "thread setter { flag = true; }",
        "liveness finishes: true leads_to exited(0);",
        "",
      ].join("\n"),
    );
    const { status, report } = json(["check", file]);
    expect(status).toBe(1);
    checkSchema(report);
    const l = report.results[0];
    expect(l).toMatchObject({ name: "finishes", kind: "leads_to", verdict: "VIOLATED" });
    expect(l.message).toBe("a fair cycle never reaches it, under weak fairness of spinner");
    expect(l.trace!.loopStart).toBe(1);
    // Safety traces have no loopStart.
    const plain = json(["check", USER_FREE]).report;
    expect(plain.results.every((p) => p.trace === null || !("loopStart" in p.trace))).toBe(true);
  });

  it("--trace-states adds the full state after every step, and only then", () => {
    const { report } = json(["check", USER_FREE, "--trace-states", "--kills", "1", "--signals", "1"]);
    checkSchema(report, { traceStates: true });
    const t = report.results[0].trace!;
    expect(t.steps[0].state).toEqual({
      "stack_free[0]": "0",
      "stack_of[0]": "1",
      "stack_of[1]": "0",
      "kills sent": "0",
      "signals sent": "0",
      "worker[0]": "user",
      "worker[1]": "user",
      "worker[0].s": "0",
    });
  });

  it("--property checks only the properties named (and the built-in checks)", () => {
    const { status, report } = json(["check", USER_FREE, "--property", "stack_reused"]);
    checkSchema(report);
    expect(report.results.map((p) => p.name)).toEqual(["stack_reused", "deadlock", "assertions", "runtime_errors"]);
    expect(status).toBe(0);
  });

  it("is deterministic: two runs are equal but for the timing and memory fields", () => {
    const args = ["check", USER_FREE, "--kills", "1", "--signals", "1", "--trace-states"];
    const a = json(args).report;
    const b = json(args).report;
    expect(stable(a)).toEqual(stable(b));
    // … and the text is byte-for-byte the same JSON once those fields are dropped.
    expect(JSON.stringify(stable(a))).toBe(JSON.stringify(stable(b)));
  });
});

describe("check --dfs", () => {
  const models: string[][] = [
    [USER_FREE, "--kills", "1", "--signals", "1"],
    ["models/examples/signal_handler.fxp", "--signals", "1"],
    ["models/examples/exit_path.fxp", "--kills", "1", "--set", "ROBUST=0"],
    ["models/examples/futex_lost_wakeup.fxp"],
    [ALL_HOLD],
  ];
  for (const m of models)
    it(`the same verdicts as breadth-first, traces no shorter: ${m.join(" ")}`, () => {
      const bfs = json(["check", ...m, "--no-por"]); // the shortest traces
      const dfs = json(["check", ...m, "--dfs"]);
      checkSchema(dfs.report);
      expect(dfs.report.order).toBe("dfs");
      expect(verdicts(dfs.report)).toEqual(verdicts(bfs.report));
      expect(dfs.status).toBe(bfs.status);
      bfs.report.results.forEach((p, i) => {
        const q = dfs.report.results[i];
        if (p.trace !== null) expect(q.trace!.steps.length).toBeGreaterThanOrEqual(p.trace.steps.length);
      });
    });

  it("does not call a depth-first trace the shortest", () => {
    const r = run(["check", "models/examples/futex_lost_wakeup.fxp", "--dfs"]);
    expect(r.stdout).toContain("depth-first");
    expect(r.stdout).toMatch(/^── deadlock: trace, \d+ steps ──$/m);
    expect(r.stdout).not.toContain("shortest");
  });
});

describe("check --compress", () => {
  // what it saves is measured by `npm run bench` (bench/run.ts), not here
  it("stores the same states, with the same verdicts and trace lengths", () => {
    const args = ["check", "models/futex/drepper_mutex2.fxp", "--set", "N=4", "--no-por"];
    const plain = json(args).report;
    const compressed = json([...args, "--compress"]).report;
    expect(verdicts(compressed)).toEqual(verdicts(plain));
    const lengths = (r: Report) => r.results.map((p) => p.trace?.steps.length ?? null);
    expect(lengths(compressed)).toEqual(lengths(plain));
    expect(compressed.stats.states).toBe(219345);
    expect(plain.stats.states).toBe(219345);
  });

  it("is what a search turns to at the memory bound, when the compressed states fit, and it says so", () => {
    // the robust mutex's 152-byte states: about 160 bytes per state plain, 31 tree-compressed
    const args = ["check", "models/futex/robust_mutex.fxp", "--set", "N=3", "--kills", "2", "--no-por"];
    const r = run([...args, "--max-memory", "20M"]);
    expect(r.stdout).toMatch(/^states 120 121 · /m);
    expect(r.stdout).toContain(
      "states stored tree-compressed after the first 98 304, to stay within the memory bound (--compress does so from the start)",
    );
    expect(r.stdout).not.toContain("search incomplete");
    const report = json([...args, "--max-memory", "20M"]).report;
    expect(report.stats.compressedFrom).toBe(98304);
    expect(report.complete).toBe(true);
    expect(json(args).report.stats.compressedFrom).toBe(null);
  });
});

describe("check --symmetry", () => {
  it("gives the verdicts of the full search with fewer states, and says so", () => {
    const full = run(["check", "models/futex/drepper_mutex2.fxp", "--no-por", "--json"]);
    const sym = run(["check", "models/futex/drepper_mutex2.fxp", "--symmetry", "--json"]);
    expect(sym.status).toBe(0);
    const [a, b] = [JSON.parse(full.stdout) as Report, JSON.parse(sym.stdout) as Report];
    expect(verdicts(b)).toEqual(verdicts(a));
    expect(b.stats.states).toBe(638); // with partial-order reduction, on by default
    expect(a.stats.states).toBe(7519);
    const symOnly = run(["check", "models/futex/drepper_mutex2.fxp", "--symmetry", "--no-por", "--json"]);
    expect((JSON.parse(symOnly.stdout) as Report).stats.states).toBe(1353);
    const text = run(["check", "models/futex/drepper_mutex2.fxp", "--symmetry"]);
    expect(text.stdout).toContain("symmetry reduction: states are counted up to renaming interchangeable threads");
  });

  it("a model that names a thread by its number: FX127 at the construct, exit 2, no report", () => {
    const file = tempFile(
      "named.fxp",
      [
        "model named;",
        "shared { bool go = false; }",
        "thread w[i in 0..1] { cs: skip; go = true; }",
        "invariant I: exited(0) => go;",
        "",
      ].join("\n"),
    );
    const r = run(["check", file, "--symmetry"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `${file}:4:21: error FX127: --symmetry: this names thread 0 (w[0]) by its number, which tells it apart from w[1]; quantify over threads instead`,
    );
    expect(r.stderr).not.toMatch(STACK);
    expect(run(["check", file]).status).toBe(0); // without --symmetry the model is fine
  });
});

describe("fmt", () => {
  const models = [
    USER_FREE,
    "models/exit/minimal/exit_free.fxp",
    "models/futex/drepper_mutex2.fxp",
    ...readdirSync(join(ROOT, "models", "examples"))
      .filter((f) => f.endsWith(".fxp"))
      .map((f) => `models/examples/${f}`),
  ];
  it("prints a canonical layout that parses back to the same model, and is a fixed point", async () => {
    const once = await Promise.all(models.map((m) => runAsync(["fmt", m])));
    const files = models.map((m, i) => {
      expect(once[i].status, m).toBe(0);
      expect(once[i].stderr, m).toBe("");
      expect(once[i].stdout.endsWith("\n"), m).toBe(true);
      // the comments are kept (test/grammar/roundtrip.test.ts checks each of them)
      expect(once[i].stdout.split("//").length, m).toBe(readFileSync(join(ROOT, m), "utf8").split("//").length);
      return tempFile(m.split("/").pop()!, once[i].stdout);
    });
    // The same summary (name, templates, properties) for the formatted file as for the original.
    const summaries = (fs: string[]) =>
      run(["parse", ...fs])
        .stdout.trim()
        .split("\n")
        .map((line, i) => line.replace(fs[i], "FILE"));
    expect(summaries(files)).toEqual(summaries(models));
    const twice = await Promise.all(files.map((f) => runAsync(["fmt", f])));
    models.forEach((m, i) => expect(twice[i].stdout, m).toBe(once[i].stdout));
  });

  it("the formatted model checks the same", () => {
    const file = tempFile("formatted_user_free_flag.fxp", run(["fmt", USER_FREE]).stdout);
    const a = json(["check", USER_FREE, "--kills", "1", "--signals", "1"]);
    const b = json(["check", file, "--kills", "1", "--signals", "1"]);
    expect(b.status).toBe(a.status);
    expect(verdicts(b.report)).toEqual(verdicts(a.report));
    expect(b.report.stats.states).toBe(a.report.stats.states);
  });
});

describe("output", () => {
  it("prints no progress line when stderr is not a terminal", () => {
    const r = run(["check", USER_FREE]);
    expect(r.stderr).toBe("");
  });

  // A pseudo-terminal (util-linux `script`) for stderr: there, a long check shows a progress line, and
  // --quiet / -q turns it off. shared_counter_atomic with N=10 has 4^10 states; half a million of them take
  // well over the 250 ms after which the first progress line appears.
  const hasScript = sh("sh", ["-c", "command -v script"]).status === 0;
  it.skipIf(!hasScript)(
    "--quiet and -q print no progress line on a terminal",
    async () => {
      const check = `${NODE_MAIN} check models/examples/shared_counter_atomic.fxp --set N=10 --max-states 500000`;
      const onTty = (extra: string) => runAsync(["-qec", `${check} ${extra} >/dev/null`, "/dev/null"], "script");
      // --json never shows progress either.
      const [loud, ...quiet] = await Promise.all(["", "--quiet", "-q", "--json"].map(onTty));
      expect(loud.stdout).toMatch(/\r[\d ]+ states, depth \d+, [\d ]+ states\/s, [\d.]+ (KiB|MiB|GiB)/);
      expect(loud.stdout).toContain("\r\x1b[K"); // the progress line is erased before the report
      for (const q of quiet) expect(q.stdout).toBe("");
    },
    60_000,
  );

  it("a reader that closes the pipe early (| head -1) is not an error", () => {
    // A witness of 12 steps over 400 array elements: with --trace-states the report is far larger than a
    // pipe's buffer, so the CLI is still writing when `head` exits.
    const writes = Array.from({ length: 12 }, (_, i) => `a[${i}] = 1;`).join(" ");
    const file = tempFile(
      "big.fxp",
      `model big;\nshared { word a[400] = 0; }\nthread w { ${writes} }\nreachable done: a[11] == 1;\n`,
    );
    const size = run(["check", file, "--json", "--trace-states"]).stdout.length;
    expect(size).toBeGreaterThan(128 * 1024);
    const r = sh("bash", [
      "-c",
      `${NODE_MAIN} check ${quote(file)} --json --trace-states | head -1; echo "status \${PIPESTATUS[0]}"`,
    ]);
    expect(r.stdout).toBe("{\nstatus 0\n");
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.stderr).toBe("");
    // The exit code of a violation survives a closed pipe.
    const v = sh("bash", ["-c", `${NODE_MAIN} check ${USER_FREE} | true; echo "status \${PIPESTATUS[0]}"`]);
    expect(v.stdout).toBe("status 1\n");
    expect(v.stderr).toBe("");
    const h = sh("bash", ["-c", `${NODE_MAIN} --help | head -1; echo "status \${PIPESTATUS[0]}"`]);
    expect(h.stdout).toMatch(/^Usage: futexcheck .*\nstatus 0\n$/);
  });
});
