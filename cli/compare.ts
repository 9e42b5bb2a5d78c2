// `futexcheck compare`: check several variants of a protocol on the same named properties with the same
// parameters, and put the verdicts, trace lengths, state counts, times and cost counters in one table.
//
// The work is split so that it can be tested without a terminal: `loadVariants` reads the files and expands
// the parameter sweep into runs, `compareRuns` checks every run and builds the table (a plain data
// structure), and `renderComparisonText` / `renderComparisonMarkdown` / JSON.stringify print it.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import {
  BUILTIN_CHECKS,
  COUNTER_MAX,
  runCheck,
  paramValues,
  type CheckOptions,
  type CheckReport,
  type PropertyResult,
} from "../checker/run.js";
import { SymmetryRefused } from "../checker/symmetry.js";
import { error, render, type Diagnostic } from "../grammar/diagnostics.js";
import { loadModel } from "../grammar/load.js";
import type { CheckedModel } from "../grammar/model.js";
import { enumRange } from "../grammar/versions.js";
import { nameTable } from "../grammar/names.js";
import type { Verdict } from "../properties/property.js";
import { outputPathProblem, writeOutputFile } from "./output.js";
import { htmlModelInfo, renderCompareHtml, type DiagramInput, type ModelInfo } from "./html.js";
import { renderTrace } from "./render.js";

// Exit codes, as for `check` (cli/program.ts).
const EXIT = { ok: 0, violated: 1, usage: 2, incomplete: 3 } as const;

export class CompareUsageError extends Error {}

/** One model to check, with the parameter values its row shows (null: the model has no such param). */
export interface CompareRun {
  file: string;
  params: Record<string, number | string | null>; // a named version by its label
  model: CheckedModel;
  sources: ReadonlyMap<string, string>;
}

export interface CompareOptions {
  kills: number;
  signals: number;
  /** The required properties by name; undefined: every invariant and reachable, and the built-in checks. */
  require?: string[];
  order?: "bfs" | "dfs";
  por?: boolean; // default true
  /** Symmetry reduction for each variant whose threads are interchangeable; a variant that refuses it (or
   *  has no interchangeable threads) is checked without, and its row says so. Default false. */
  symmetry?: boolean;
  maxStates?: number;
  maxDepth?: number;
  maxMemoryBytes?: number;
  /** Called before each run is checked (for a progress line). */
  onRun?: (run: CompareRun, index: number, total: number) => void;
  /** Keep the full state after every trace step (for HTML diagrams). */
  traceStates?: boolean;
}

export type PropertyKind = PropertyResult["kind"];

export interface ComparisonProperty {
  name: string;
  kind: PropertyKind; // as declared by the first variant that has it
  required: boolean;
}

export interface ComparisonCell {
  verdict: Verdict;
  steps: number | null; // length of the shortest trace (or witness); null when there is none
  required: boolean;
}

export interface ComparisonRow {
  variant: string; // the model's name
  file: string;
  params: Record<string, number | string | null>; // a named version by its label
  /** By property name; null when the variant has no property of that name. */
  cells: Record<string, ComparisonCell | null>;
  states: number;
  transitions: number;
  seconds: number;
  complete: boolean;
  stopReason: string | null;
  /** By counter name: the worst per-thread lifetime value; null when the variant declares no such counter. */
  costs: Record<string, number | null>;
  /** The required properties this variant violates (VIOLATED, or UNREACHABLE for a `reachable`). */
  failed: string[];
  /** Whether its states were stored up to symmetry (compare --symmetry); if not, why not (null without
   *  --symmetry). */
  symmetry: { applied: true } | { applied: false; reason: string } | null;
}

export interface Comparison {
  kills: number;
  signals: number;
  order: "bfs" | "dfs";
  por: boolean; // whether partial-order reduction was used in some run: its trace lengths are not always the shortest
  params: string[]; // the parameters set or swept on the command line
  properties: ComparisonProperty[]; // the union over the variants, in order of first appearance
  required: string[];
  counters: string[]; // the union of the declared cost counters
  counterMax: number; // counters saturate at this value
  rows: ComparisonRow[];
}

/** The table, and the full report of each row (for its traces) with its model's threads and spaces. */
export interface ComparisonResult {
  comparison: Comparison;
  reports: CheckReport[];
  models: ModelInfo[];
}

const BUILTIN_KINDS: Record<string, PropertyKind> = {
  deadlock: "deadlock",
  assertions: "assert",
  runtime_errors: "runtime",
};

const isLiveness = (k: PropertyKind) => k === "leads_to" || k === "always_eventually";
const failing = (v: Verdict) => v === "VIOLATED" || v === "UNREACHABLE";

/** The property names a run declares, with their kinds, followed by the built-in checks. */
function declared(model: CheckedModel): [string, PropertyKind][] {
  return [
    ...model.properties.map((p): [string, PropertyKind] => [p.name, p.kind]),
    ...BUILTIN_CHECKS.map((n): [string, PropertyKind] => [n, BUILTIN_KINDS[n]]),
  ];
}

/** The properties required by default: every invariant and `reachable`, and the built-in checks (not liveness:
 *  a liveness property is required only when named with --require). */
function defaultRequired(runs: CompareRun[]): string[] {
  const out = new Set<string>();
  for (const r of runs) for (const [name, kind] of declared(r.model)) if (!isLiveness(kind)) out.add(name);
  return [...out];
}

/** Checks every run with the same options and builds the comparison table. Rows are in the order of `runs`. */
export function compareRuns(runs: CompareRun[], options: CompareOptions): ComparisonResult {
  const properties: ComparisonProperty[] = [];
  const seen = new Set<string>();
  const builtins: ComparisonProperty[] = [];
  for (const r of runs)
    for (const [name, kind] of declared(r.model)) {
      if (seen.has(name)) continue;
      seen.add(name);
      (BUILTIN_CHECKS.includes(name) ? builtins : properties).push({ name, kind, required: false });
    }
  properties.push(...builtins);
  if (options.require !== undefined)
    for (const n of options.require)
      if (!seen.has(n))
        throw new CompareUsageError(
          `--require ${n}: no variant has a property '${n}' (they have: ${[...seen].join(", ")})`,
        );
  const isRequired = new Set(options.require ?? defaultRequired(runs));
  for (const p of properties) p.required = isRequired.has(p.name);
  const required = properties.filter((p) => p.required).map((p) => p.name);
  const counters: string[] = [];
  for (const r of runs) for (const c of r.model.counters) if (!counters.includes(c)) counters.push(c);
  const params: string[] = [];
  for (const r of runs) for (const p of Object.keys(r.params)) if (!params.includes(p)) params.push(p);

  const rows: ComparisonRow[] = [];
  const reports: CheckReport[] = [];
  const models: ModelInfo[] = [];
  runs.forEach((run, i) => {
    options.onRun?.(run, i, runs.length);
    const checkOptions: CheckOptions = {
      traceStates: options.traceStates,
      kills: options.kills,
      signals: options.signals,
      order: options.order ?? "bfs",
      por: options.por,
      maxStates: options.maxStates,
      maxDepth: options.maxDepth,
      maxMemoryBytes: options.maxMemoryBytes,
    };
    let symmetry: ComparisonRow["symmetry"] = null;
    let checked: ReturnType<typeof runCheck> | null = null;
    if (options.symmetry === true) {
      try {
        checked = runCheck(run.model, run.sources, { ...checkOptions, symmetry: true });
        symmetry = checked.report.reductions.symmetry
          ? { applied: true }
          : { applied: false, reason: "no interchangeable threads" };
      } catch (e) {
        if (!(e instanceof SymmetryRefused)) throw e;
        symmetry = { applied: false, reason: `refused: ${e.diagnostics[0].message.replace(/^--symmetry: /, "")}` };
      }
    }
    const { report, compiled } = checked ?? runCheck(run.model, run.sources, checkOptions);
    const cells = nameTable<ComparisonCell | null>(properties.map((p) => [p.name, null]));
    const failed: string[] = [];
    for (const res of report.results) {
      const req = isRequired.has(res.name);
      cells[res.name] = { verdict: res.verdict, steps: res.trace?.steps.length ?? null, required: req };
      if (req && failing(res.verdict)) failed.push(res.name);
    }
    const costs = nameTable<number | null>();
    for (const c of counters) costs[c] = c in report.costs ? report.costs[c] : null;
    rows.push({
      variant: run.model.name,
      file: run.file,
      params: nameTable(params.map((p) => [p, run.params[p] ?? null])),
      cells,
      states: report.stats.states,
      transitions: report.stats.transitions,
      seconds: report.stats.seconds,
      complete: report.complete,
      stopReason: report.stopReason,
      costs,
      failed,
      symmetry,
    });
    reports.push(report);
    models.push(htmlModelInfo(compiled));
  });
  return {
    comparison: {
      kills: options.kills,
      signals: options.signals,
      order: options.order ?? "bfs",
      por: reports.some((r) => r.reductions.por),
      params,
      properties,
      required,
      counters,
      counterMax: COUNTER_MAX,
      rows,
    },
    reports,
    models,
  };
}

/** The comparison as an HTML page: the table with coloured verdicts, each violated required property linked
 *  to the sequence diagram of its trace. */
export function renderComparisonHtml(result: ComparisonResult): string {
  const c = result.comparison;
  const diagrams: DiagramInput[] = [];
  const rows = c.rows.map((row, i) => {
    const cells = nameTable<{ verdict: string; message?: string | null; diagram?: string }>();
    for (const p of c.properties) {
      const cell = row.cells[p.name];
      if (cell === null) continue;
      const res = result.reports[i].results.find((r) => r.name === p.name);
      let diagram: string | undefined;
      if (res?.trace && row.failed.includes(p.name)) {
        diagram = `${i}-${p.name}`;
        diagrams.push({
          id: diagram,
          property: { name: res.name, kind: res.kind, verdict: res.verdict, message: res.message },
          trace: res.trace,
          model: result.models[i],
          context: `${row.variant} (${row.file})${rowParams(row)}`,
        });
      }
      cells[p.name] = { verdict: cell.verdict, message: res?.message ?? null, diagram };
    }
    return { name: row.variant, detail: `${row.file}${rowParams(row)} · ${row.states} states`, cells };
  });
  return renderCompareHtml(
    {
      title: `futexcheck compare: ${c.rows.length} variant${c.rows.length === 1 ? "" : "s"}`,
      subtitle: `kills ${c.kills}, signals ${c.signals}, ${c.order === "bfs" ? "breadth-first" : "depth-first"}`,
      columns: c.properties.map((p) => p.name),
      rows,
    },
    diagrams,
  );
}

function rowParams(row: ComparisonRow): string {
  const set = Object.entries(row.params).filter(([, v]) => v !== null);
  return set.length === 0 ? "" : ` ${set.map(([k, v]) => `${k}=${v}`).join(" ")}`;
}

/** 0 when every required property holds (or is reached) in every row, 1 when one is violated (or
 *  unreachable), 3 when none is but the search was incomplete for one — as for `check`. */
export function comparisonExitCode(c: Comparison): number {
  if (c.rows.some((r) => r.failed.length > 0)) return EXIT.violated;
  const incomplete = c.rows.some((r) =>
    Object.values(r.cells).some((cell) => cell !== null && cell.required && cell.verdict === "INCOMPLETE"),
  );
  return incomplete ? EXIT.incomplete : EXIT.ok;
}

// ---------- loading ----------

/** A `--set NAME=V`, a list `NAME=V,W` or a sweep `NAME=A..B`. A value that is not a number is a named version
 *  (a label or member of an enum param's type). A sweep's values are known once the model is: `between` keeps
 *  its ends, and `values` holds them only when both are numbers. */
export interface ParamSetting {
  name: string;
  values: (number | string)[];
  between?: [string, string];
}

const INTEGER = /^-?(0x[0-9a-f]+|\d+)$/i;

function integer(what: string, text: string): number {
  if (!INTEGER.test(text.trim())) throw new CompareUsageError(`${what} needs a whole number, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new CompareUsageError(`${what}: ${text} is too large`);
  return n;
}

const MAX_SWEEP = 64;

/** Parses `NAME=V`, `NAME=V,W,…` or `NAME=A..B` (numbers: A ≤ B; at most 64 values). */
export function parseSetting(text: string): ParamSetting {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
  if (m === null) throw new CompareUsageError(`--set takes NAME=VALUE, NAME=V,W or NAME=A..B, got '${text}'`);
  const [, name, value] = m;
  const range = /^(.+?)\.\.(.+)$/.exec(value);
  if (range === null) {
    const items = value.split(",");
    if (items.some((v) => v.trim() === "")) throw new CompareUsageError(`--set ${name}=${value}: an empty value`);
    if (items.length > MAX_SWEEP) throw new CompareUsageError(`--set ${name}=${value}: at most ${MAX_SWEEP} values`);
    return { name, values: items.map((v) => (INTEGER.test(v.trim()) ? integer(`--set ${name}`, v) : v.trim())) };
  }
  const between: [string, string] = [range[1].trim(), range[2].trim()];
  if (!INTEGER.test(between[0]) || !INTEGER.test(between[1])) return { name, values: [], between };
  const lo = integer(`--set ${name}`, range[1]);
  const hi = integer(`--set ${name}`, range[2]);
  if (hi < lo) throw new CompareUsageError(`--set ${name}=${value}: the range is empty`);
  if (hi - lo >= MAX_SWEEP) throw new CompareUsageError(`--set ${name}=${value}: at most ${MAX_SWEEP} values`);
  return { name, values: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i), between };
}

/** The values a setting takes for a model: an enum param's sweep in its declaration order. A value the model
 *  has not is reported by the checks, located at the param; so is a sweep it cannot take. */
function settingValues(s: ParamSetting, model: CheckedModel): (number | string)[] | Diagnostic {
  if (s.between === undefined) return s.values;
  const decl = model.program.decls.find((d) => d.kind === "param" && d.name.name === s.name)!;
  const e = model.enumParams.get(s.name);
  if (e !== undefined) {
    const range = enumRange(e, s.name, s.between[0], s.between[1], decl.span);
    return Array.isArray(range) ? range.map((v) => e.members[v]) : range;
  }
  if (s.values.length > 0) return s.values;
  return error(
    "FX131",
    `--set ${s.name}=${s.between.join("..")}: a sweep of a number param needs whole numbers`,
    decl.span,
  );
}

/** The model files named: files as given, directories as their `.fxp` files in name order. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      out.push(p); // loadModel reports it
      continue;
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const files = readdirSync(p)
      .filter((f) => f.endsWith(".fxp"))
      .sort();
    if (files.length === 0) throw new CompareUsageError(`${p}: no .fxp files in this directory`);
    out.push(...files.map((f) => join(p, f)));
  }
  return out;
}

export type LoadOutcome =
  | { ok: true; runs: CompareRun[] }
  | { ok: false; diagnostics: Diagnostic[]; sources: ReadonlyMap<string, string> };

/** Loads each file once per combination of the settings it declares a `param` for (a setting for a param a
 *  variant lacks does not apply to it: its row shows "—"). A setting no variant declares is an error. */
export function loadVariants(files: string[], settings: ParamSetting[]): LoadOutcome {
  const runs: CompareRun[] = [];
  const used = new Set<string>();
  for (const file of files) {
    const plain = loadModel(file);
    if (plain.model === null) return { ok: false, diagnostics: plain.diagnostics, sources: plain.sources };
    const mine = settings.filter((s) => plain.model!.params.has(s.name));
    for (const s of mine) used.add(s.name);
    let combos: Map<string, number | string>[] = [new Map()];
    for (const s of mine) {
      const values = settingValues(s, plain.model);
      if (!Array.isArray(values)) return { ok: false, diagnostics: [values], sources: plain.sources };
      combos = combos.flatMap((c) => values.map((v) => new Map([...c, [s.name, v]])));
    }
    for (const overrides of combos) {
      const loaded = overrides.size === 0 ? plain : loadModel(file, { overrides });
      if (loaded.model === null) return { ok: false, diagnostics: loaded.diagnostics, sources: loaded.sources };
      const shown = paramValues(loaded.model);
      const params = nameTable<number | string | null>();
      for (const s of settings) params[s.name] = overrides.has(s.name) ? shown[s.name] : null;
      runs.push({ file, params, model: loaded.model, sources: loaded.sources });
    }
  }
  for (const s of settings)
    if (!used.has(s.name)) throw new CompareUsageError(`--set ${s.name}: no variant has a param '${s.name}'`);
  return { ok: true, runs };
}

// ---------- rendering ----------

/** A verdict cell as text: failures in capitals, the trace length after the verdict. */
export function cellText(cell: ComparisonCell | null): string {
  if (cell === null) return "—";
  const steps = cell.steps === null ? "" : ` ${cell.steps}`;
  switch (cell.verdict) {
    case "HOLDS":
      return "holds";
    case "REACHED":
      return `reached${steps}`;
    case "VIOLATED":
      return `VIOLATED${steps}`;
    case "UNREACHABLE":
      return "UNREACHABLE";
    case "INCOMPLETE":
      return "incomplete";
  }
}

function costText(v: number | null, max: number): string {
  if (v === null) return "—";
  return v >= max ? `≥${v}` : String(v);
}

/** The table as header + rows of cells (shared by the text and Markdown renderers). */
function cells(c: Comparison): { header: string[]; rows: string[][]; right: boolean[] } {
  const header = ["variant", ...c.params, ...c.properties.map((p) => p.name), "states", "seconds", ...c.counters];
  const right = [
    false,
    ...c.params.map(() => true),
    ...c.properties.map(() => false),
    true,
    true,
    ...c.counters.map(() => true),
  ];
  const rows = c.rows.map((r) => [
    r.variant,
    ...c.params.map((p) => (r.params[p] === null ? "—" : String(r.params[p]))),
    ...c.properties.map((p) => cellText(r.cells[p.name])),
    String(r.states),
    r.seconds.toFixed(2),
    ...c.counters.map((k) => costText(r.costs[k], c.counterMax)),
  ]);
  return { header, rows, right };
}

function settingsLine(c: Comparison): string {
  const variants = new Set(c.rows.map((r) => r.file)).size;
  return `${variants} variant${variants === 1 ? "" : "s"}, ${c.rows.length} run${c.rows.length === 1 ? "" : "s"}: kills ${c.kills}, signals ${c.signals}, ${c.order === "bfs" ? "breadth-first" : "depth-first"}`;
}

function footer(c: Comparison): string[] {
  const lines = [
    `required: ${c.required.join(", ")} — a VIOLATED (or UNREACHABLE) one makes the exit code 1`,
    c.por
      ? `cells: the verdict and the length of a trace (or witness) — partial-order reduction was on for some runs, so not always the shortest (--no-por); "—": the variant has no such property`
      : `cells: the verdict and the length of the shortest trace (or witness); "—": the variant has no such property`,
  ];
  if (c.counters.length > 0)
    lines.push(
      `costs (${c.counters.join(", ")}): per thread lifetime, the worst explored execution (saturate at ${c.counterMax})`,
    );
  const run = (r: ComparisonRow) => `${r.variant}${rowParams(r)}`;
  if (c.rows.some((r) => r.symmetry !== null)) {
    const applied = c.rows.filter((r) => r.symmetry?.applied === true).map(run);
    lines.push(
      `symmetry reduction (states stored up to renaming interchangeable threads): on for ${applied.length > 0 ? applied.join(", ") : "none"}`,
    );
    for (const r of c.rows)
      if (r.symmetry !== null && !r.symmetry.applied)
        lines.push(`${run(r)}: no symmetry reduction (${r.symmetry.reason})`);
  }
  for (const r of c.rows)
    if (!r.complete) lines.push(`${run(r)}: search incomplete: ${r.stopReason ?? "a bound was hit"}`);
  return lines;
}

/** The table for a terminal: aligned columns. */
export function renderComparisonText(c: Comparison): string {
  const { header, rows, right } = cells(c);
  const width = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (r: string[]) =>
    r
      .map((x, i) => (right[i] ? x.padStart(width[i]) : x.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  return [`compare ${settingsLine(c)}`, line(header), ...rows.map(line), ...footer(c)].join("\n");
}

/** The table as GitHub Markdown. */
export function renderComparisonMarkdown(c: Comparison): string {
  const { header, rows, right } = cells(c);
  const esc = (x: string) => x.replace(/\|/g, "\\|");
  const line = (r: string[]) => `| ${r.map(esc).join(" | ")} |`;
  const rule = `| ${right.map((r) => (r ? "---:" : "---")).join(" | ")} |`;
  return [
    `Compared ${settingsLine(c)}.`,
    "",
    line(header.map((h) => `\`${h}\``)),
    rule,
    ...rows.map(line),
    "",
    ...footer(c).map((l) => `- ${l}`),
  ].join("\n");
}

/** The traces of the violated required properties, row by row. */
export function renderFailedTraces(result: ComparisonResult): string[] {
  const out: string[] = [];
  const { comparison: c, reports } = result;
  c.rows.forEach((row, i) => {
    for (const name of row.failed) {
      const res = reports[i].results.find((r) => r.name === name);
      if (res === undefined || res.trace === null) continue;
      const params = Object.entries(row.params)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => ` ${k}=${v}`)
        .join("");
      out.push(`${row.variant} (${row.file}${params}):\n${renderTrace(res, res.trace)}`);
    }
  });
  return out;
}

// ---------- the command ----------

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseMemory(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (m === null) throw new CompareUsageError(`--max-memory takes a size such as 512M or 4G, got '${text}'`);
  const unit = { "": 2 ** 20, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[
    m[2].toLowerCase() as "" | "k" | "m" | "g" | "t"
  ];
  return Number(m[1]) * unit;
}

function count(what: string, text: string, min: number): number {
  const n = integer(what, text);
  if (n < min) throw new CompareUsageError(`${what} must be at least ${min}, got '${text}'`);
  return n;
}

/** Adds `compare` to the program. `maxMemory` is the default for --max-memory. */
export function registerCompare(program: Command, maxMemory: () => number): void {
  program
    .command("compare")
    .description("check every variant on the same properties and parameters; print one table")
    .argument("<paths...>", "model files (.fxp) or directories of them")
    .option(
      "--set <NAME=VALUE>",
      "set a param in every variant that has it; NAME=A..B sweeps (a row per value), NAME=V,W lists; a named version by label or member (KVER=4.19..2026)",
      collect,
      [],
    )
    .option("--kills <K>", "SIGKILLs the environment may send to killable threads", "0")
    .option("--signals <S>", "asynchronous signals the environment may send", "0")
    .option(
      "--require <NAME>",
      "only these properties decide the exit code (repeatable; default: every invariant, reachable and built-in check)",
      collect,
      [],
    )
    .option("--dfs", "depth-first instead of breadth-first (traces are then not the shortest)")
    .option("--no-por", "no partial-order reduction: explore every interleaving (shortest traces, full counts)")
    .option(
      "--symmetry",
      "symmetry reduction for the variants whose threads are interchangeable (the others are checked without)",
    )
    .option("--max-states <N>", "stop each check after this many states (verdicts become INCOMPLETE)")
    .option("--max-depth <N>", "do not explore beyond this depth (verdicts become INCOMPLETE)")
    .option("--max-memory <SIZE>", "stop a check before its state store exceeds this")
    .option("--json", "print the table as JSON")
    .option("--markdown", "print the table as Markdown")
    .option("--html <OUT>", "also write the table and the diagrams of its counterexamples to an HTML page")
    .option("--no-traces", "do not print the traces of the violated required properties")
    .option("-q, --quiet", "no progress line")
    .action((paths: string[], o: Record<string, string | string[] | boolean | undefined>) => {
      try {
        process.exitCode = compareCommand(paths, o, maxMemory);
      } catch (e) {
        if (!(e instanceof CompareUsageError)) throw e;
        process.stderr.write(`futexcheck: ${e.message}\n`);
        process.exitCode = EXIT.usage;
      }
    });
}

function compareCommand(
  paths: string[],
  o: Record<string, string | string[] | boolean | undefined>,
  maxMemory: () => number,
): number {
  if (o.json && o.markdown) throw new CompareUsageError("--json and --markdown cannot be used together");
  const settings = (o.set as string[]).map(parseSetting);
  const names = settings.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new CompareUsageError(`--set ${twice} is given twice`);
  const kills = count("--kills", o.kills as string, 0);
  const signals = count("--signals", o.signals as string, 0);
  const maxStates = o.maxStates === undefined ? undefined : count("--max-states", o.maxStates as string, 1);
  const maxDepth = o.maxDepth === undefined ? undefined : count("--max-depth", o.maxDepth as string, 0);
  const maxMemoryBytes = o.maxMemory === undefined ? maxMemory() : parseMemory(o.maxMemory as string);
  const loaded = loadVariants(collectFiles(paths), settings);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) process.stderr.write(render(d, loaded.sources) + "\n");
    return EXIT.usage;
  }
  if (o.html !== undefined) {
    const problem = outputPathProblem("--html", o.html as string, [
      ...loaded.runs.flatMap((r) => [...r.sources.keys()]),
    ]);
    if (problem !== null) throw new CompareUsageError(problem);
  }
  const required = o.require as string[];
  const progress = process.stderr.isTTY && !o.quiet && !o.json;
  const result = compareRuns(loaded.runs, {
    kills,
    signals,
    require: required.length > 0 ? required : undefined,
    order: o.dfs ? "dfs" : "bfs",
    por: o.por !== false,
    symmetry: o.symmetry === true,
    maxStates,
    maxDepth,
    maxMemoryBytes,
    onRun: progress ? (run, i, total) => process.stderr.write(`\r\x1b[K[${i + 1}/${total}] ${run.file}`) : undefined,
    traceStates: o.html !== undefined,
  });
  if (progress) process.stderr.write("\r\x1b[K");
  const c = result.comparison;
  if (o.json) process.stdout.write(JSON.stringify(c, null, 2) + "\n");
  else {
    const table = o.markdown ? renderComparisonMarkdown(c) : renderComparisonText(c);
    const traces = o.traces === false ? [] : renderFailedTraces(result);
    const fence = (t: string) => (o.markdown ? "```text\n" + t + "\n```" : t);
    process.stdout.write([table, ...traces.map(fence)].join("\n\n") + "\n");
  }
  // after the table: a page that cannot be written loses nothing else, and the verdicts keep their exit code
  const failed =
    o.html === undefined ? null : writeOutputFile("--html", o.html as string, renderComparisonHtml(result));
  if (failed !== null) process.stderr.write(`futexcheck: ${failed}\n`);
  return comparisonExitCode(c);
}
