// Bodies and threads: every body of code (routines, handlers, the exit path, thread templates) and the layout
// of the threads (how many per template, their numbering and CPUs). NTHREADS is known once this pass is done.
import type { Block, Decl, Expr, Span } from "../ast.js";
import type { BodyInfo, Side, TemplateInfo, ThreadInstance } from "../model.js";
import type { Constants } from "./constants.js";
import type { CheckContext } from "./context.js";
import type { Scope } from "./scope.js";

type ThreadDecl = Decl & { kind: "thread" | "kthread" };

export class Bodies {
  readonly all: BodyInfo[] = [];
  readonly routines = new Map<string, BodyInfo>();
  readonly handlers = new Map<string, BodyInfo>();
  readonly templates: TemplateInfo[] = [];
  /** The labels of each body, with where they are declared (filled with its locals). */
  readonly labels = new Map<BodyInfo, Map<string, Span>>();
  onExit: BodyInfo | null = null;

  constructor(private readonly ctx: CheckContext) {}

  add(kind: BodyInfo["kind"], name: string, side: Side, block: Block): BodyInfo {
    const body: BodyInfo = { kind, name, side, block, locals: [], params: [], returns: null };
    this.all.push(body);
    this.ctx.tables.bodyOf.set(block, body);
    this.labels.set(body, new Map());
    return body;
  }

  templateOf(body: BodyInfo): TemplateInfo | undefined {
    return this.templates.find((t) => t.body === body);
  }

  isRoutine(name: string): boolean {
    return this.routines.has(name) || this.handlers.has(name);
  }
}

/** Routines, handlers and the exit path (their parameters are resolved later, once NTHREADS is known). */
export function declareBodies(ctx: CheckContext, scope: Scope): Bodies {
  const bodies = new Bodies(ctx);
  for (const d of ctx.decls) {
    if (d.kind === "routine") {
      if (!scope.declare(d.name)) continue;
      const side: Side = d.routine === "proc" ? "user" : "kernel";
      bodies.routines.set(d.name.name, bodies.add(d.routine, d.name.name, side, d.body));
    } else if (d.kind === "handler") {
      if (!scope.declare(d.name)) continue;
      bodies.handlers.set(d.name.name, bodies.add("handler", d.name.name, "user", d.body));
    } else if (d.kind === "on_exit") {
      if (bodies.onExit !== null) ctx.err("FX121", "`on exit` is declared more than once", d.span);
      else bodies.onExit = bodies.add("on_exit", "exit", "kernel", d.body);
    }
  }
  return bodies;
}

/** Lays out the thread templates: user threads first, then kernel threads; sets `consts.nthreads`. */
export function layoutThreads(ctx: CheckContext, scope: Scope, consts: Constants, bodies: Bodies): void {
  let next = 0;
  const kthreads: (Decl & { kind: "kthread" })[] = [];
  for (const d of ctx.decls) {
    if (d.kind === "kthread") {
      kthreads.push(d);
      continue;
    }
    if (d.kind !== "thread" || !scope.declare(d.name)) continue;
    const body = bodies.add("thread", d.name.name, "user", d.body);
    let lo = 0;
    let count = 1;
    if (d.index !== null) {
      const a = consts.constant(d.index.lo);
      const b = consts.constant(d.index.hi);
      if (a === null || b === null) continue;
      if (b < a || b - a + 1 > 64) {
        ctx.err("FX105", `a thread template has 1 to 64 threads, ${a}..${b} gives ${b - a + 1}`, d.index.hi.span);
        continue;
      }
      lo = a;
      count = b - a + 1;
    }
    if (template(ctx, consts, bodies, "thread", d, body, next, count, lo)) next += count;
  }
  for (const d of kthreads) {
    if (!scope.declare(d.name)) continue;
    const body = bodies.add("kthread", d.name.name, "kernel", d.body);
    const count = d.perCpu ? consts.cpus : 1;
    if (template(ctx, consts, bodies, "kthread", d, body, next, count, 0)) next += count;
  }
  consts.nthreads = next;
}

function template(
  ctx: CheckContext,
  consts: Constants,
  bodies: Bodies,
  kind: "thread" | "kthread",
  d: ThreadDecl,
  body: BodyInfo,
  first: number,
  count: number,
  indexLo: number,
): boolean {
  const t: TemplateInfo = {
    kind,
    name: d.name.name,
    body,
    killable: false,
    fair: false,
    handler: null,
    first,
    count,
    indexLo,
    cpuOf: [],
    decl: d,
  };
  let cpuExpr: Expr | null = null;
  for (const a of d.attrs) {
    if (a.kind === "killable" || a.kind === "handler") {
      if (kind === "kthread") {
        ctx.err("FX120", `kernel threads cannot be ${a.kind === "killable" ? "killed" : "signalled"}`, a.span);
        continue;
      }
    }
    if (a.kind === "killable") t.killable = true;
    else if (a.kind === "fair") t.fair = true;
    else if (a.kind === "on_cpu") cpuExpr = a.cpu;
    else if (a.kind === "handler") {
      const h = bodies.handlers.get(a.name.name);
      if (h === undefined) ctx.err("FX101", `unknown signal handler '${a.name.name}'`, a.name.span);
      else t.handler = h;
    }
  }
  for (let k = 0; k < count; k++) {
    let cpu = 0;
    if (d.kind === "kthread" && d.perCpu) cpu = k;
    else if (cpuExpr !== null) {
      const v = consts.evalWithIndex(cpuExpr, d.kind === "thread" ? d.index?.variable.name : undefined, indexLo + k);
      if (v === null) return false;
      if (v < 0 || v >= consts.cpus) {
        ctx.err(
          "FX124",
          `thread ${d.name.name}${count > 1 ? `[${indexLo + k}]` : ""} is placed on cpu ${v}, but the model has ${consts.cpus} (cpus 0..${consts.cpus - 1})`,
          cpuExpr.span,
        );
        return false;
      }
      cpu = v;
    }
    t.cpuOf.push(cpu);
  }
  bodies.templates.push(t);
  return true;
}

export function threadInstances(templates: readonly TemplateInfo[]): ThreadInstance[] {
  const out: ThreadInstance[] = [];
  for (const t of [...templates].sort((a, b) => a.first - b.first)) {
    for (let k = 0; k < t.count; k++) {
      const name =
        t.kind === "kthread" && t.count > 1
          ? `${t.name}/${k}`
          : t.count > 1 || (t.decl as { index?: unknown }).index
            ? `${t.name}[${t.indexLo + k}]`
            : t.name;
      out.push({ index: t.first + k, template: t, local: k, cpu: t.cpuOf[k], name });
    }
  }
  return out;
}
