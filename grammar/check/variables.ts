// Variables: globals in their memory spaces, routine parameters and return types, and every body's locals
// and labels. Runs once the threads are laid out (types may use NTHREADS).
import type { Ident, Span, Stmt, Block } from "../ast.js";
import type { BodyInfo, LocalVar } from "../model.js";
import type { Constants } from "./constants.js";
import type { CheckContext } from "./context.js";
import type { Scope } from "./scope.js";
import type { Bodies } from "./threads.js";
import type { Types } from "./types.js";
import { typeFloor } from "./values.js";

const KERNEL_OBJECTS = "tid sets and queues are kernel objects; declare them in `kernel` or `percpu`";

export function declareGlobals(ctx: CheckContext, scope: Scope, consts: Constants, types: Types): void {
  for (const d of ctx.decls) {
    if (d.kind !== "space") continue;
    for (const v of d.vars) {
      if (!scope.declare(v.name)) continue;
      const type = types.resolve(v.type);
      let size: number | null | "bad";
      if (d.space === "percpu") {
        if (v.size !== null)
          ctx.err("FX103", "percpu variables are one per CPU already; arrays are not supported here", v.size.span);
        size = consts.cpus;
      } else size = types.arraySize(v.size);
      if (type === null || size === "bad") continue;
      if (d.space === "shared" && (type.kind === "tidset" || type.kind === "tidqueue")) {
        ctx.err("FX103", KERNEL_OBJECTS, v.type.span);
        continue;
      }
      const init = types.initValues(v, type, size) ?? new Array<number>(size ?? 1).fill(typeFloor(type));
      scope.globals.set(v.name.name, { name: v.name.name, space: d.space, type, size, init, decl: v });
    }
  }
}

// Parameter and return types may use NTHREADS, so they are resolved once the threads are laid out.
export function declareParams(ctx: CheckContext, bodies: Bodies, types: Types): void {
  for (const d of ctx.decls) {
    if (d.kind !== "routine") continue;
    const body = bodies.routines.get(d.name.name);
    if (body === undefined || body.block !== d.body) continue;
    for (const p of d.params) {
      const type = types.resolve(p.type);
      if (type === null) continue;
      if (type.kind === "tidset" || type.kind === "tidqueue") {
        ctx.err("FX103", "parameters cannot be tid sets or queues", p.type.span);
        continue;
      }
      if (body.params.some((q) => q.name === p.name.name)) {
        ctx.err("FX102", `duplicate parameter '${p.name.name}'`, p.name.span);
        continue;
      }
      const local: LocalVar = { name: p.name.name, type, size: null, init: null, body, span: p.span };
      body.params.push(local);
      body.locals.push(local);
    }
    body.returns = d.returns ? types.resolve(d.returns) : null;
  }
}

/** A body's declared locals and `for` variables (after its parameters), and its labels. */
export function collectLocals(
  ctx: CheckContext,
  scope: Scope,
  consts: Constants,
  types: Types,
  bodies: Bodies,
  body: BodyInfo,
): void {
  const names = new Map<string, Span>(body.params.map((p) => [p.name, p.span]));
  const addLocal = (stmt: Stmt, name: Ident, local: Omit<LocalVar, "body" | "span">) => {
    const prev = names.get(name.name);
    if (prev !== undefined) {
      ctx.err("FX102", `'${name.name}' is already declared in ${body.name} at line ${prev.line}`, name.span);
      return;
    }
    if (scope.hidesGlobal(name)) {
      ctx.err("FX102", `local '${name.name}' hides the global '${name.name}'`, name.span);
      return;
    }
    names.set(name.name, name.span);
    const v: LocalVar = { ...local, body, span: name.span };
    body.locals.push(v);
    ctx.tables.stmtLocals.set(stmt, v);
  };
  const labels = bodies.labels.get(body)!;
  const visit = (s: Stmt): void => {
    switch (s.kind) {
      case "var": {
        const type = types.resolve(s.type);
        const size = types.arraySize(s.size);
        if (type === null || size === "bad") return;
        if (type.kind === "tidset" || type.kind === "tidqueue") {
          ctx.err("FX103", KERNEL_OBJECTS, s.type.span);
          return;
        }
        const init = types.initValues(s, type, size);
        addLocal(s, s.name, { name: s.name.name, type, size, init });
        return;
      }
      case "for": {
        const lo = consts.constant(s.lo);
        const hi = consts.constant(s.hi);
        if (lo !== null && hi !== null)
          addLocal(s, s.variable, {
            name: s.variable.name,
            type: { kind: "int", lo, hi: Math.max(lo, hi + 1) },
            size: null,
            init: null,
          });
        visitBlock(s.body);
        return;
      }
      case "sourced":
        visit(s.body);
        return;
      case "label": {
        const prev = labels.get(s.label.name);
        if (prev !== undefined)
          ctx.err(
            "FX110",
            `label '${s.label.name}' is already used in ${body.name} at line ${prev.line}`,
            s.label.span,
          );
        else labels.set(s.label.name, s.label.span);
        visit(s.body);
        return;
      }
      case "if":
        visitBlock(s.then);
        if (s.else) visitBlock(s.else);
        return;
      case "while":
      case "atomic":
      case "nopreempt":
        visitBlock(s.body);
        return;
      case "either":
        s.branches.forEach(visitBlock);
        return;
      default:
        return;
    }
  };
  const visitBlock = (b: Block) => b.stmts.forEach(visit);
  visitBlock(body.block);
}
