// Hostile input to the command line: files, options, names, sizes, signals, closed and full outputs. Every run
// must end without a stack trace, without an internal error (exit code 4), without losing a verdict it had
// computed and without overwriting an input. Each run stays small: a few seconds at most.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = ["--import", "tsx", join(ROOT, "cli", "main.ts")];
const STACK = /at .*\.[jt]s:\d+|^\s+at /m;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI and checks what every run must keep: no stack trace, no internal error. */
function fx(args: string[], options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 256 * 2 ** 20,
    ...options,
  });
  if (r.error) throw r.error;
  const run = { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
  expect(run.stderr).not.toMatch(STACK);
  expect(run.stderr).not.toContain("internal error");
  expect(run.status).not.toBe(4);
  return run;
}

/** Runs a bash command line with the CLI as the function `fx`. */
function bash(line: string): Run {
  const fxCommand = [process.execPath, ...CLI].map((s) => `'${s}'`).join(" ");
  const r = spawnSync("bash", ["-c", `fx() { ${fxCommand} "$@"; }; ${line}`], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toContain("internal error");
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const temp = mkdtempSync(join(tmpdir(), "futexcheck-hostile-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const tempFile = (name: string, text: string): string => {
  const file = join(temp, name);
  writeFileSync(file, text);
  return file;
};

const COUNTER = readFileSync(join(ROOT, "models/examples/shared_counter.fxp"), "utf8"); // final_total VIOLATED
const HOLDS = "models/examples/kernel_syscall.fxp"; // every property holds or is reached: exit 0

describe("output files never overwrite an input", () => {
  it("refuses --html naming the model, by its path, an absolute path, `..` or a symlink (exit 2, no search)", () => {
    const model = tempFile("v.fxp", COUNTER);
    symlinkSync(model, join(temp, "link.html"));
    const viaDotDot = `${temp}/../${basename(temp)}/v.fxp`; // join() would take the `..` out
    const outs = [model, relative(ROOT, model), viaDotDot, join(temp, "link.html")];
    const runs = [...outs.map((out) => ["check", out]), ["compare", viaDotDot], ["compare", join(temp, "link.html")]];
    for (const [command, out] of runs) {
      const r = fx([command, model, "--html", out, "-q"]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe(""); // refused before the search
      expect(r.stderr).toMatch(/^futexcheck: --html .*: this is an input of the check .*; it is never overwritten\n$/);
      expect(readFileSync(model, "utf8")).toBe(COUNTER);
    }
  });

  it("refuses --html naming an imported file", () => {
    const lib = tempFile("lib_part.fxp", "shared { word g = 0; }\n");
    const model = tempFile("imports.fxp", `model imports;\nimport "lib_part";\nthread t { g = 1; }\n`);
    const r = fx(["check", model, "--html", lib, "-q"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("this is an input of the check");
    expect(readFileSync(lib, "utf8")).toBe("shared { word g = 0; }\n");
  });

  it("refuses a directory or an unwritable place before the search", () => {
    const dir = fx(["check", HOLDS, "--html", temp, "-q"]);
    expect(dir.status).toBe(2);
    expect(dir.stdout).toBe("");
    expect(dir.stderr).toBe(`futexcheck: --html ${temp}: is a directory\n`);
    const missing = fx(["compare", HOLDS, "--html", "/nonexistent/x.html", "-q"]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe("futexcheck: --html: cannot write /nonexistent/x.html: no such directory\n");
  });

  it("a page that cannot be written after the search keeps the report and the verdicts' exit code", () => {
    const model = tempFile("w.fxp", COUNTER);
    for (const command of ["check", "compare"]) {
      const r = fx([command, model, "--html", "/dev/full", "-q"]);
      expect(r.status).toBe(1); // final_total is violated
      expect(r.stdout).toContain("VIOLATED");
      expect(r.stderr).toBe("futexcheck: --html: cannot write /dev/full: no space left on the device\n");
    }
  });
});

describe("full and closed outputs", () => {
  it("standard output on a full device: one line on standard error, the verdicts' exit code", () => {
    const full = openSync("/dev/full", "w");
    try {
      for (const [model, status] of [
        [HOLDS, 0],
        [tempFile("full.fxp", COUNTER), 1],
      ] as const) {
        const r = fx(["check", model, "-q"], { stdio: ["ignore", full, "pipe"] });
        expect(r.status).toBe(status);
        expect(r.stderr).toBe("futexcheck: cannot write the report to standard output: no space left on the device\n");
      }
    } finally {
      closeSync(full);
    }
  });

  it("standard error on a full device: a bad model still exits 2, a violation 1", () => {
    const bad = tempFile("bad.fxp", "thread main { x = ; }\n");
    const model = tempFile("full2.fxp", COUNTER);
    const r = bash(
      `fx check '${bad}' 2>/dev/full; echo "status $?"; fx check '${model}' >/dev/full 2>/dev/full; echo "status $?"`,
    );
    expect(r.stdout).toBe("status 2\nstatus 1\n");
  });

  it("a violated model piped into `head -c 10` still exits 1", () => {
    // a trace over a large array makes the report far larger than a pipe's buffer
    const writes = Array.from({ length: 12 }, (_, i) => `a[${i}] = 1;`).join(" ");
    const model = tempFile(
      "big.fxp",
      `model big;\nshared { word a[400] = 0; }\nthread w { ${writes} }\ninvariant small: a[11] == 0;\n`,
    );
    const r = bash(
      `fx check '${model}' --json --trace-states | head -c 10; s=\${PIPESTATUS[0]}; echo; echo "status $s"`,
    );
    expect(r.stdout).toBe('{\n  "file"\nstatus 1\n');
    expect(r.stderr).toBe("");
  });
});

describe("sizes", () => {
  it("parses 100 000 statements in one block, and 60 000 declarations (linear parsing)", () => {
    const block = tempFile("block.fxp", `model block;\nthread main {\n${"  skip;\n".repeat(100_000)}}\n`);
    expect(fx(["parse", block])).toMatchObject({
      status: 0,
      stdout: `ok: ${block} (model block, 1 thread template, 0 properties)\n`,
    });
    const formatted = fx(["fmt", block]);
    expect(formatted.status).toBe(0);
    expect(formatted.stdout.split("\n").filter((l) => l === "  skip;").length).toBe(100_000);
    const consts = Array.from({ length: 60_000 }, (_, i) => `const C${i}=1;`).join("\n");
    const decls = tempFile("decls.fxp", `model decls;\n${consts}\nthread main { skip; }\n`);
    expect(fx(["parse", decls]).status).toBe(0);
  });

  it("a long trace is printed with its middle left out; --json has every step", () => {
    const model = tempFile(
      "long.fxp",
      "model long;\nshared { word c = 0; }\nthread main { while (true) { c = c + 1; } }\ninvariant small: c != 1000;\n",
    );
    const text = fx(["check", model, "--max-states", "1200", "-q"]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("small           VIOLATED    (trace: 1000 steps)");
    expect(text.stdout).toContain("   ⋮ 800 steps left out (every step: --json or --html)\n");
    const json = fx(["check", model, "--max-states", "1200", "--json"]);
    const report = JSON.parse(json.stdout) as { results: { name: string; trace: { steps: unknown[] } | null }[] };
    expect(report.results.find((r) => r.name === "small")!.trace!.steps.length).toBe(1000);
  });
});
