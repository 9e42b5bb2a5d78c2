// Shared helpers for the checker tests: check a model given as source text (in memory, or through a temp
// file when it imports the library), run it, and pick out verdicts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../grammar/check.js";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";
import type { CheckedModel } from "../../grammar/model.js";
import { parse } from "../../grammar/parse.js";
import type { CompiledModel } from "../../checker/compile.js";
import { runCheck, type CheckOptions, type CheckReport, type PropertyResult } from "../../checker/run.js";

export const FILE = "t.fxp";

/** Joins source lines (keeps inline models readable). */
export function lines(...src: string[]): string {
  return src.join("\n") + "\n";
}

export interface Checked {
  model: CheckedModel;
  sources: Map<string, string>;
}

let tempDir: string | null = null;
let tempCount = 0;

function temp(): string {
  if (tempDir === null) {
    tempDir = mkdtempSync(join(tmpdir(), "futexcheck-test-"));
    process.on("exit", () => {
      if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
    });
  }
  return tempDir;
}

/** The diagnostics of `src` rendered, or null when it checks. */
export function tryCheck(src: string, overrides?: Record<string, number | string>): Checked | string {
  const opts = { overrides: overrides ? new Map(Object.entries(overrides)) : undefined };
  if (/^\s*import\b/m.test(src)) {
    const file = join(temp(), `m${tempCount++}.fxp`);
    writeFileSync(file, src);
    const loaded = loadModel(file, opts);
    if (loaded.model === null) return loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n");
    return { model: loaded.model, sources: loaded.sources };
  }
  const sources = new Map([[FILE, src]]);
  const parsed = parse(src, FILE);
  if (!parsed.ok) return parsed.diagnostics.map((d) => render(d, sources)).join("\n");
  const result = check(parsed.program, opts);
  if (result.model === null) return result.diagnostics.map((d) => render(d, sources)).join("\n");
  return { model: result.model, sources };
}

/** The checked model of `src`; throws with the rendered diagnostics when it does not check. */
export function checked(src: string, overrides?: Record<string, number | string>): Checked {
  const c = tryCheck(src, overrides);
  if (typeof c === "string") throw new Error(`the model does not check:\n${c}\n---\n${src}`);
  return c;
}

export type RunOptions = Partial<CheckOptions> & { overrides?: Record<string, number | string> };

/** Checks and explores `src` (kills and signals 0, and the full graph — no partial-order reduction — unless
 *  given: the pinned counts and shortest traces of these tests are the full graph's). */
export function runSource(src: string, options: RunOptions = {}): { report: CheckReport; compiled: CompiledModel } {
  const { overrides, ...rest } = options;
  const c = checked(src, overrides);
  return runCheck(c.model, c.sources, { kills: 0, signals: 0, por: false, ...rest });
}

/** Loads a model file and explores it (the same defaults as runSource). */
export function runFile(file: string, options: RunOptions = {}): { report: CheckReport; compiled: CompiledModel } {
  const { overrides, ...rest } = options;
  const loaded = loadModel(file, { overrides: overrides ? new Map(Object.entries(overrides)) : undefined });
  if (loaded.model === null) throw new Error(loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n"));
  return runCheck(loaded.model, loaded.sources, { kills: 0, signals: 0, por: false, ...rest });
}

/** The result of one property (or built-in check) by name. */
export function result(report: CheckReport, name: string): PropertyResult {
  const r = report.results.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no result named ${name} in ${report.results.map((x) => x.name).join(", ")}`);
  return r;
}

/** name → verdict, for every result of a report. */
export function verdicts(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.name, r.verdict]));
}

/** A report without the fields that depend on timing or memory, for comparing two runs. */
export function stable(report: CheckReport): unknown {
  const { seconds: _s, statesPerSecond: _a, transitionsPerSecond: _b, peakMemoryBytes: _p, ...stats } = report.stats;
  return { ...report, stats };
}

// ---------- random checkable models (for the laws) ----------

/** A statement of a generated thread body; rendered to source by `renderModel`. */
export type GenStmt =
  | { k: "assign"; target: string; value: string; label: boolean }
  | { k: "if"; cond: string; then: GenStmt[]; else: GenStmt[]; label: boolean }
  | { k: "either"; branches: GenStmt[][]; label: boolean }
  | { k: "await"; cond: string; end: boolean; label: boolean }
  | { k: "atomic"; guard: string | null; body: GenStmt[]; label: boolean }
  | { k: "while"; cond: string; body: GenStmt[]; label: boolean }
  | { k: "assert"; cond: string; label: boolean };

export interface GenThread {
  cpu: number;
  killable: boolean;
  handler: boolean;
  body: GenStmt[];
}

export interface GenModel {
  cpus: number;
  init: { a: number; b: number; f: boolean };
  threads: GenThread[];
  handler: GenStmt[] | null;
  invariant: string;
  reachable: string;
}

/** Renders a generated model: shared `int 0..3 a, b` and `bool f`, thread locals `int 0..3 x` and `bool y`
 *  (and `int 0..3 z` with `withZ`, for statements added by a test). With `withRefs`, every statement has a
 *  source reference of its own (`@gen "gen.c:N"`, N counting the statements). */
export function renderModel(g: GenModel, withZ = false, withRefs = false): string {
  let labels = 0;
  let refs = 0;
  const block = (ss: GenStmt[]): string => `{ ${ss.map(stmt).join(" ")} }`;
  const stmt = (s: GenStmt): string => {
    const ref = withRefs ? `@gen "gen.c:${++refs}" ` : "";
    return ref + unsourced(s);
  };
  const unsourced = (s: GenStmt): string => {
    const label = s.label || (s.k === "await" && s.end) ? `${s.k === "await" && s.end ? "end" : "l"}${labels++}: ` : "";
    switch (s.k) {
      case "assign":
        return `${label}${s.target} = ${s.value};`;
      case "if":
        return `${label}if (${s.cond}) ${block(s.then)}${s.else.length > 0 ? ` else ${block(s.else)}` : ""}`;
      case "either":
        return `${label}either ${s.branches.map(block).join(" or ")}`;
      case "await":
        return `${label}await ${s.cond};`;
      case "atomic":
        return `${label}atomic { ${s.guard === null ? "" : `await ${s.guard}; `}${s.body.map(stmt).join(" ")} }`;
      case "while":
        return `${label}while (${s.cond}) ${block(s.body)}`;
      case "assert":
        return `${label}assert ${s.cond};`;
    }
  };
  const out = [
    "model gen;",
    `cpus ${g.cpus};`,
    `shared { int 0..3 a = ${g.init.a}; int 0..3 b = ${g.init.b}; bool f = ${g.init.f}; }`,
  ];
  if (g.handler !== null) out.push(`handler h ${block(g.handler)}`);
  g.threads.forEach((t, i) => {
    const attrs = [`on cpu ${t.cpu}`, t.killable ? "killable" : "", t.handler && g.handler !== null ? "handler h" : ""]
      .filter((x) => x !== "")
      .join(" ");
    out.push(
      `thread t${i} ${attrs} { int 0..3 x; bool y; ${withZ ? "int 0..3 z; " : ""}${t.body.map(stmt).join(" ")} }`,
    );
  });
  out.push(`invariant inv: ${g.invariant};`, `reachable rch: ${g.reachable};`);
  if (withRefs) out.push('follows gen "1";'); // last, so that the other lines keep their numbers
  return out.join("\n") + "\n";
}

const SHARED_TERMS = ["a", "b"];
const LOCAL_TERMS = ["a", "b", "x"];

/** A small number-valued term: a variable or a constant (locals only where `local`). */
const term = (local: boolean) =>
  fc.oneof(fc.constantFrom(...(local ? LOCAL_TERMS : SHARED_TERMS)), fc.integer({ min: 0, max: 3 }).map(String));

/** A value in 0..3: a term, or a sum or product of two terms mod 4. */
const intValue = (local: boolean) =>
  fc.oneof(
    term(local),
    fc.tuple(term(local), fc.constantFrom("+", "*"), term(local)).map(([l, op, r]) => `(${l} ${op} ${r}) % 4`),
  );

/** A condition (locals only where `local`). */
export const genCond = (local: boolean) =>
  fc.oneof(
    fc.tuple(term(local), fc.constantFrom("==", "!=", "<"), term(local)).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.constantFrom("f", "!f", ...(local ? ["y", "!y"] : [])),
    fc
      .tuple(fc.constantFrom("a", "b"), fc.integer({ min: 0, max: 3 }), fc.constantFrom("f", "!f"))
      .map(([v, k, b]) => `${v} == ${k} || ${b}`),
  );

const genAssign = (local: boolean): fc.Arbitrary<GenStmt> =>
  fc
    .oneof(
      fc
        .tuple(fc.constantFrom(...(local ? ["a", "b", "x", "x"] : ["a", "b"])), intValue(local))
        .map(([target, value]) => ({ k: "assign" as const, target, value })),
      fc
        .tuple(fc.constantFrom(...(local ? ["f", "y"] : ["f"])), fc.oneof(genCond(local), fc.constantFrom("!f")))
        .map(([target, value]) => ({ k: "assign" as const, target, value })),
    )
    .chain((s) => fc.integer({ min: 0, max: 4 }).map((n) => ({ ...s, label: n === 0 }) as GenStmt));

/** Statements of a thread body (`local`: may use x and y) nested at most `depth` more levels. */
export function genStmts(depth: number, local: boolean, max = 3): fc.Arbitrary<GenStmt[]> {
  return fc.array(genStmt(depth, local), { minLength: 1, maxLength: max });
}

function genStmt(depth: number, local: boolean): fc.Arbitrary<GenStmt> {
  const labelled = <T extends object>(a: fc.Arbitrary<T>) =>
    fc.tuple(a, fc.integer({ min: 0, max: 4 })).map(([s, n]) => ({ ...s, label: n === 0 }));
  const leaves: fc.Arbitrary<GenStmt>[] = [
    genAssign(local),
    genAssign(local),
    labelled(
      fc
        .tuple(genCond(false), fc.integer({ min: 0, max: 2 }))
        .map(([cond, e]) => ({ k: "await" as const, cond, end: e === 0 })),
    ),
    labelled(genCond(false).map((cond) => ({ k: "assert" as const, cond: `${cond} || a != 3` }))),
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  const inner = genStmts(depth - 1, local, 2);
  const simple = fc.array(genAssign(local), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    ...leaves,
    labelled(
      fc
        .tuple(genCond(local), inner, fc.oneof(fc.constant([] as GenStmt[]), inner))
        .map(([cond, then, els]) => ({ k: "if" as const, cond, then, else: els })),
    ),
    labelled(fc.array(inner, { minLength: 2, maxLength: 3 }).map((branches) => ({ k: "either" as const, branches }))),
    labelled(
      fc
        .tuple(fc.option(genCond(false), { nil: null }), simple)
        .map(([guard, body]) => ({ k: "atomic" as const, guard, body })),
    ),
    labelled(
      fc
        .tuple(
          fc.constantFrom("a", "b"),
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom("a", "b"),
          fc.array(genAssign(local), { maxLength: 1 }),
        )
        .map(([v, k, w, rest]) => ({
          k: "while" as const,
          cond: `${v} != ${k}`,
          body: [{ k: "assign" as const, target: w, value: `(${w} + 1) % 4`, label: false }, ...rest],
        })),
    ),
  );
}

/** A random model that the checks accept: 1–3 threads on 1–2 CPUs. */
export const genModel: fc.Arbitrary<GenModel> = fc.integer({ min: 1, max: 2 }).chain((cpus) =>
  fc.record({
    cpus: fc.constant(cpus),
    init: fc.record({ a: fc.integer({ min: 0, max: 3 }), b: fc.integer({ min: 0, max: 3 }), f: fc.boolean() }),
    threads: fc.array(
      fc.record({
        cpu: fc.integer({ min: 0, max: cpus - 1 }),
        killable: fc.boolean(),
        handler: fc.boolean(),
        body: genStmts(1, true, 3),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    handler: fc.option(fc.array(genAssign(false), { minLength: 1, maxLength: 2 }), { nil: null }),
    invariant: genCond(false),
    reachable: genCond(false),
  }),
);
