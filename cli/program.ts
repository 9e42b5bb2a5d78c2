// The futexcheck command line: commands, options, exit codes.
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { compile } from "../checker/compile.js";
import { BUILTIN_CHECKS, runCheck } from "../checker/run.js";
import { SymmetryRefused } from "../checker/symmetry.js";
import { render, type Diagnostic } from "../grammar/diagnostics.js";
import { format } from "../grammar/fmt.js";
import { loadModel, readSource } from "../grammar/load.js";
import { parse } from "../grammar/parse.js";
import { registerCompare } from "./compare.js";
import { htmlModelInfo, renderCheckHtml } from "./html.js";
import { outputPathProblem, writeOutputFile } from "./output.js";
import { hintKey, readHint, writeHint } from "./size-hint.js";
import { formatBytes, formatCount, renderReport } from "./render.js";

export const EXIT = { ok: 0, violated: 1, usage: 2, incomplete: 3, internal: 4 } as const;

class UsageError extends Error {}

function version(): string {
  // from dist/cli/ (installed) or cli/ (run from source)
  for (const rel of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version: string };
      if (pkg.name === "futexcheck") return pkg.version;
    } catch {
      // try the next place
    }
  }
  return "unknown";
}

function printDiagnostics(diagnostics: Diagnostic[], sources: ReadonlyMap<string, string>): void {
  for (const d of diagnostics) process.stderr.write(render(d, sources) + "\n");
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) process.stderr.write(`${errors} error${errors === 1 ? "" : "s"}\n`);
}

function parseInteger(name: string, text: string, min = 0): number {
  if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(text.trim())) throw new UsageError(`${name} needs a whole number, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${name}: ${text} is too large`);
  if (n < min) throw new UsageError(`${name} must be at least ${min}, got '${text}'`);
  return n;
}

// A value that is not a number is a named version (a label or member of an enum param's type), resolved by
// the checks, which report it located at the param when the model has no such value.
function parseSets(values: string[]): Map<string, number | string> {
  const out = new Map<string, number | string>();
  for (const v of values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(v);
    if (m === null) throw new UsageError(`--set takes NAME=VALUE, got '${v}'`);
    const number = /^-?(0x[0-9a-f]+|\d+)$/i.test(m[2].trim());
    out.set(m[1], number ? parseInteger(`--set ${m[1]}`, m[2], Number.MIN_SAFE_INTEGER) : m[2]);
  }
  return out;
}

export function parseMemory(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`--max-memory takes a size such as 512M or 4G, got '${text}'`);
  const unit = { "": 2 ** 20, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[
    m[2].toLowerCase() as "" | "k" | "m" | "g" | "t"
  ];
  return Number(m[1]) * unit;
}

export function defaultMaxMemory(): number {
  return Math.min(totalmem() / 2, 8 * 2 ** 30);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("futexcheck")
    .description("A model checker for futex and thread-exit protocols between a C library and the Linux kernel.")
    .version(version(), "-V, --version")
    .showHelpAfterError("(run futexcheck --help for usage)")
    .exitOverride();

  program
    .command("parse")
    .description("parse and check model files; print a summary or every error with its location")
    .argument("<files...>", "model files (.fxp)")
    .action((files: string[]) => {
      let failed = false;
      for (const file of files) {
        const loaded = loadModel(file);
        if (loaded.model === null) {
          printDiagnostics(loaded.diagnostics, loaded.sources);
          failed = true;
          continue;
        }
        const m = loaded.model;
        const templates = m.templates.length;
        process.stdout.write(
          `ok: ${file} (model ${m.name}, ${templates} thread template${templates === 1 ? "" : "s"}, ${m.properties.length} propert${m.properties.length === 1 ? "y" : "ies"})\n`,
        );
      }
      process.exitCode = failed ? EXIT.usage : EXIT.ok;
    });

  program
    .command("fmt")
    .description("print a model in canonical layout (comments are kept)")
    .argument("<file>", "model file (.fxp)")
    .action((file: string) => {
      const sources = new Map<string, string>();
      const diagnostics: Diagnostic[] = [];
      const text = readSource(file, sources, diagnostics);
      if (text === null) {
        printDiagnostics(diagnostics, sources);
        process.exitCode = EXIT.usage;
        return;
      }
      const parsed = parse(text, file);
      if (!parsed.ok) {
        printDiagnostics(parsed.diagnostics, new Map([[file, text]]));
        process.exitCode = EXIT.usage;
        return;
      }
      process.stdout.write(format(parsed.program));
    });

  program
    .command("check")
    .description("explore every interleaving of a model and give a verdict per property")
    .argument("<file>", "model file (.fxp)")
    .option(
      "--set <NAME=VALUE>",
      "override a param (repeatable); a named version by label or member (KVER=6.2)",
      collect,
      [],
    )
    .option("--kills <K>", "SIGKILLs the environment may send to killable threads", "0")
    .option("--signals <S>", "asynchronous signals the environment may send", "0")
    .option("--dfs", "depth-first instead of breadth-first (traces are then not the shortest)")
    .option("--property <NAME>", "check only this property (repeatable); built-in checks always run", collect, [])
    .option("--max-states <N>", "stop after this many states (verdicts become INCOMPLETE)")
    .option("--max-depth <N>", "do not explore beyond this depth (verdicts become INCOMPLETE)")
    .option(
      "--max-memory <SIZE>",
      `stop before the state store exceeds this (default ${formatBytes(defaultMaxMemory())})`,
    )
    .option("--json", "print the report as JSON (schema: docs/json.md)")
    .option("--trace-states", "include the full state after every trace step (JSON)")
    .option("--html <OUT>", "also write the traces as sequence diagrams to a self-contained HTML page")
    .option("--no-dead-reset", "keep dead locals' values (to measure what resetting them saves)")
    .option("--no-por", "no partial-order reduction: explore every interleaving (shortest traces, full counts)")
    .option("--compress", "tree-compress stored states: about half the memory per state, a slower search")
    .option(
      "--expect-states <N>",
      "size the state store for N states from the start (default: the count of the last run of the same model and options, if cached)",
    )
    .option("--symmetry", "symmetry reduction: one state per renaming of interchangeable threads (no liveness)")
    .option("-q, --quiet", "no progress line")
    .addOption(new Option("--dump-js", "print the generated JavaScript and stop").hideHelp())
    .action((file: string, o: Record<string, string | string[] | boolean | undefined>) => {
      const overrides = parseSets(o.set as string[]);
      const kills = parseInteger("--kills", o.kills as string);
      const signals = parseInteger("--signals", o.signals as string);
      const maxStates = o.maxStates === undefined ? undefined : parseInteger("--max-states", o.maxStates as string, 1);
      const maxDepth = o.maxDepth === undefined ? undefined : parseInteger("--max-depth", o.maxDepth as string, 0);
      const maxMemoryBytes = o.maxMemory === undefined ? defaultMaxMemory() : parseMemory(o.maxMemory as string);
      const loaded = loadModel(file, { overrides });
      if (loaded.model === null) {
        printDiagnostics(loaded.diagnostics, loaded.sources);
        process.exitCode = EXIT.usage;
        return;
      }
      if (o.html !== undefined) {
        const problem = outputPathProblem("--html", o.html as string, loaded.sources.keys());
        if (problem !== null) throw new UsageError(problem);
      }
      const names = o.property as string[];
      const known = new Set([...loaded.model.properties.map((p) => p.name), ...BUILTIN_CHECKS]);
      for (const n of names)
        if (!known.has(n))
          throw new UsageError(
            `--property ${n}: the model has no property '${n}' (it has: ${[...known].join(", ") || "none"})`,
          );
      if (o.dumpJs) {
        process.stdout.write(compile(loaded.model, { kills, signals }, loaded.sources).source + "\n");
        return;
      }
      const progress = process.stderr.isTTY && !o.quiet && !o.json;
      const shape = {
        kills,
        signals,
        order: o.dfs ? ("dfs" as const) : ("bfs" as const),
        properties: names.length > 0 ? names : undefined,
        deadReset: o.deadReset !== false,
        por: o.por !== false,
        compressStates: Boolean(o.compress),
        symmetry: Boolean(o.symmetry),
      };
      const hint = hintKey(loaded.sources, { ...shape, params: [...loaded.model.params] });
      const expectStates =
        o.expectStates === undefined ? readHint(hint) : parseInteger("--expect-states", o.expectStates as string);
      const { report, compiled } = runCheck(loaded.model, loaded.sources, {
        ...shape,
        maxStates,
        maxDepth,
        maxMemoryBytes,
        expectStates,
        traceStates: Boolean(o.traceStates) || o.html !== undefined,
        onProgress: progress
          ? (p) =>
              process.stderr.write(
                `\r${formatCount(p.states)} states, depth ${p.depth}, ${formatCount(p.states / (p.elapsedMs / 1000))} states/s, ${formatBytes(p.bytes)}   `,
              )
          : undefined,
      });
      if (progress) process.stderr.write("\r\x1b[K");
      if (report.complete) writeHint(hint, report.stats.states);
      const html = o.html === undefined ? null : renderCheckHtml({ file, report, model: htmlModelInfo(compiled) });
      // the states were for the page: the other output has them only with --trace-states
      if (html !== null && !o.traceStates)
        for (const r of report.results) for (const s of r.trace?.steps ?? []) delete s.state;
      process.exitCode = exitCode(report.results.map((r) => r.verdict));
      process.stdout.write(
        o.json ? JSON.stringify({ file, ...report }, null, 2) + "\n" : renderReport(file, report) + "\n",
      );
      // after the report: a page that cannot be written loses nothing else, and the verdicts keep their exit code
      const failed = html === null ? null : writeOutputFile("--html", o.html as string, html);
      if (failed !== null) process.stderr.write(`futexcheck: ${failed}\n`);
    });
  program
    .command("lsp")
    .description("run the language server (Language Server Protocol over stdin and stdout, for editors)")
    .option("--stdio", "talk over stdin and stdout (the only transport; accepted for editors that pass it)")
    .action(async () => (await import("../lsp/server.js")).startServer());
  registerCompare(program, defaultMaxMemory);
  return program;
}

export function exitCode(verdicts: string[]): number {
  if (verdicts.some((v) => v === "VIOLATED" || v === "UNREACHABLE")) return EXIT.violated;
  if (verdicts.includes("INCOMPLETE")) return EXIT.incomplete;
  return EXIT.ok;
}

export function main(argv: string[]): void {
  const program = buildProgram();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof SymmetryRefused) {
      printDiagnostics(e.diagnostics, e.sources);
      process.exitCode = EXIT.usage;
      return;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`futexcheck: ${e.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`futexcheck: internal error: ${(e as Error).message}\n`);
    process.exitCode = EXIT.internal;
  }
}
