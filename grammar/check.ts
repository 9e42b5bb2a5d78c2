// Semantic checks: names, types, ranges, constants, memory spaces and sides. Input: a parsed (and
// import-merged) Program; output: a CheckedModel for the compiler, or every error found, located. The passes
// live in check/, one module each; this file runs them in order and assembles their products.
import type { Decl, Ident, Program, Span } from "./ast.js";
import { CallGraph } from "./check/calls.js";
import { Constants } from "./check/constants.js";
import { CheckContext, type CheckOptions } from "./check/context.js";
import { Expressions } from "./check/expressions.js";
import { checkProperties } from "./check/properties.js";
import { checkOverrides, declareNames } from "./check/scope.js";
import { Statements } from "./check/statements.js";
import { declareBodies, layoutThreads, threadInstances } from "./check/threads.js";
import { Types } from "./check/types.js";
import { collectLocals, declareGlobals, declareParams } from "./check/variables.js";
import { error, type Diagnostic } from "./diagnostics.js";
import type { CheckedModel } from "./model.js";
import { checkSources } from "./sources.js";

export type { CheckOptions };

export type CheckResult = { model: CheckedModel | null; diagnostics: Diagnostic[] };

export function check(program: Program, options: CheckOptions = {}): CheckResult {
  try {
    return runPasses(new CheckContext(program, options));
  } catch (e) {
    // The checks recurse over expressions and blocks: a tree the parser accepted may still be too deep for them.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const { file, line, col, offset } = program.span;
      const span: Span = { file, line, col, endLine: line, endCol: col + 1, offset, endOffset: offset + 1 };
      return { model: null, diagnostics: [error("FX006", "expression or block nested too deeply", span)] };
    }
    throw e;
  }
}

function runPasses(ctx: CheckContext): CheckResult {
  const { decls, program } = ctx;
  const scope = declareNames(ctx);
  checkOverrides(ctx, scope);
  const sources = checkSources(decls);
  ctx.diagnostics.push(...sources.diagnostics);
  const consts = new Constants(ctx, scope);
  const modelDecls = decls.filter((d) => d.kind === "model");
  const name = modelDecls.length > 0 ? (modelDecls[0] as { name: Ident }).name.name : "";
  if (modelDecls.length === 0) ctx.err("FX118", "missing `model NAME;` declaration", program.span);
  for (const d of modelDecls.slice(1)) ctx.err("FX121", "a file has one `model` declaration", d.span);
  const cpuDecls = decls.filter((d) => d.kind === "cpus");
  for (const d of cpuDecls.slice(1)) ctx.err("FX121", "`cpus` is declared more than once", d.span);
  if (cpuDecls.length > 0) {
    const d = cpuDecls[0] as Decl & { kind: "cpus" };
    const n = consts.constant(d.count);
    if (n !== null && (n < 1 || n > 64)) ctx.err("FX105", `cpus must be between 1 and 64, got ${n}`, d.count.span);
    else if (n !== null) consts.cpus = n;
  }
  const bodies = declareBodies(ctx, scope);
  layoutThreads(ctx, scope, consts, bodies);
  // Constants are evaluated on demand (thread counts and `cpus` may use them); the rest, now that
  // NTHREADS is known.
  for (const d of decls) if (d.kind === "param" || d.kind === "const") consts.constOf(d.name.name);
  const types = new Types(ctx, scope, consts);
  declareParams(ctx, bodies, types);
  declareGlobals(ctx, scope, consts, types);
  for (const body of bodies.all) collectLocals(ctx, scope, consts, types, bodies, body);
  const graph = new CallGraph(ctx);
  const exprs = new Expressions(ctx, scope, consts, bodies, graph);
  const statements = new Statements(ctx, scope, consts, bodies, graph, exprs);
  for (const body of bodies.all) statements.checkBody(body);
  graph.checkAtomicCalls();
  graph.checkRecursion(bodies.all);
  const properties = checkProperties(ctx, exprs);
  const threads = threadInstances(bodies.templates);
  if (!decls.some((d) => d.kind === "thread" || d.kind === "kthread"))
    ctx.err("FX118", "the model has no threads (`thread` or `kthread`)", program.span);
  if (ctx.diagnostics.length > 0) return { model: null, diagnostics: ctx.diagnostics };
  const labels = new Set<string>();
  for (const m of bodies.labels.values()) for (const l of m.keys()) labels.add(l);
  const params = new Map<string, number>();
  for (const d of decls) if (d.kind === "param") params.set(d.name.name, consts.constOf(d.name.name) ?? 0);
  const model: CheckedModel = {
    name,
    program,
    params,
    cpus: consts.cpus,
    globals: [...scope.globals.values()],
    bodies: bodies.all,
    routines: bodies.routines,
    onExit: bodies.onExit,
    templates: bodies.templates,
    threads,
    properties,
    counters: scope.counters,
    fairAll: decls.some((d) => d.kind === "fairness"),
    labels,
    enumParams: scope.enumParams,
    follows: sources.follows,
    bodyRefs: sources.bodyRefs,
    ...ctx.tables,
  };
  return { model, diagnostics: ctx.diagnostics };
}
