// Expressions: every expression typed (recorded in `types`), every name resolved (`resolutions`), in code of
// a body or in a property (no code context). Calls are typed by calls.ts.
import type { Domain, Expr } from "../ast.js";
import type { BodyInfo, ValueType } from "../model.js";
import { Calls, type CallGraph } from "./calls.js";
import type { Constants } from "./constants.js";
import type { CheckContext } from "./context.js";
import type { Scope } from "./scope.js";
import { derefAllowed, globalAccess, type Place } from "./sides.js";
import type { Bodies } from "./threads.js";
import { comparable, showValue, T_ADDR, T_BOOL, T_NUM, T_WORD, valueOf, WORD_MAX } from "./values.js";

/** Where a statement is checked: its body, side, loop depth, whether inside `atomic`, quantifiers in scope. */
export interface CodeContext extends Place {
  body: BodyInfo;
  loops: number;
  inAtomic: boolean;
  bound: Set<string>; // quantifier variables in scope
}

/** `code` is null in a property; `top`: the expression is a whole statement or an assignment's value. */
export type ExprContext = { code: CodeContext | null; top: boolean; underAddr: boolean };

export class Expressions {
  readonly calls: Calls;
  private readonly propertyBound = new Set<string>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly scope: Scope,
    private readonly consts: Constants,
    private readonly bodies: Bodies,
    graph: CallGraph,
  ) {
    this.calls = new Calls(ctx, scope, bodies, graph, (e, ectx) => this.typeOf(e, ectx));
  }

  typeOf(e: Expr, ectx: ExprContext): ValueType | null {
    const t = this.typeOfInner(e, ectx);
    if (t !== null) this.ctx.tables.types.set(e, t);
    return t;
  }

  private typeOfInner(e: Expr, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    switch (e.kind) {
      case "num":
        if (e.value > BigInt(WORD_MAX)) {
          this.ctx.err("FX105", `number ${e.text} does not fit in 32 bits`, e.span);
          return null;
        }
        this.ctx.tables.constValues.set(e, Number(e.value));
        return e.value > 0x7fffffffn ? T_WORD : T_NUM;
      case "bool":
        return T_BOOL;
      case "null":
        return T_ADDR;
      case "self":
        if (code === null) {
          this.ctx.err("FX108", "`self` is only defined in code; properties quantify over threads instead", e.span);
          return null;
        }
        return T_NUM;
      case "this_cpu":
        if (code === null || code.side !== "kernel") {
          this.ctx.err("FX108", "`this_cpu` is only defined in kernel code", e.span);
          return null;
        }
        return T_NUM;
      case "paren":
        return this.typeOf(e.inner, { ...ectx, top: false });
      case "name":
        return this.nameType(e, ectx);
      case "index": {
        const base = this.typeOf(e.base, { ...ectx, top: false });
        const it = sub(e.index);
        if (base === null || it === null) return null;
        const resolutions = this.ctx.tables.resolutions;
        const root = e.base.kind === "name" ? (resolutions.get(e) ?? resolutions.get(e.base)) : undefined;
        if (root === undefined || (root.kind !== "global" && root.kind !== "local") || root.v.size === null) {
          this.ctx.err("FX103", "only array variables can be indexed", e.base.span);
          return null;
        }
        if (it.kind !== "num") {
          this.ctx.err("FX103", `an index must be a number, not ${showValue(it)}`, e.index.span);
          return null;
        }
        return valueOf(root.v.type);
      }
      case "call":
        return this.calls.callType(e, ectx);
      case "unary": {
        if (e.op === "&") return this.addressOf(e, ectx);
        const t = sub(e.operand);
        if (t === null) return null;
        if (e.op === "!") {
          if (t.kind !== "bool" && t.kind !== "num") return this.typeError(e, "!", t);
          return T_BOOL;
        }
        if (e.op === "*") {
          if (t.kind !== "addr") return this.typeError(e, "*", t);
          return derefAllowed(this.ctx, code, e.span) ? T_WORD : null;
        }
        if (t.kind !== "num") return this.typeError(e, e.op, t);
        return e.op === "~" ? T_WORD : { kind: "num", word: t.word, tid: false };
      }
      case "binary":
        return this.binaryType(e, ectx);
      case "quant": {
        this.domain(e.domain);
        const bound = code ? code.bound : this.propertyBound;
        if (bound.has(e.variable.name) || this.scope.hidesGlobal(e.variable)) {
          this.ctx.err("FX102", `'${e.variable.name}' is already defined here`, e.variable.span);
          return null;
        }
        bound.add(e.variable.name);
        const b = sub(e.body);
        bound.delete(e.variable.name);
        if (b !== null && b.kind !== "bool" && b.kind !== "num") return this.typeError(e.body, e.quantifier, b);
        return T_BOOL;
      }
    }
  }

  private domain(d: Domain): void {
    if (d.kind !== "range") return;
    const lo = this.consts.constant(d.lo);
    const hi = this.consts.constant(d.hi);
    if (lo !== null && hi !== null && hi - lo > 4096)
      this.ctx.err("FX105", `quantifier range ${lo}..${hi} is too large`, d.span);
  }

  typeError(e: Expr, op: string, t: ValueType): null {
    this.ctx.err("FX103", `operator ${op} cannot be applied to ${showValue(t)}`, e.span);
    return null;
  }

  private nameType(e: Expr & { kind: "name" }, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const resolutions = this.ctx.tables.resolutions;
    const constValues = this.ctx.tables.constValues;
    const bound = code ? code.bound : this.propertyBound;
    if (bound.has(e.name)) {
      resolutions.set(e, { kind: "bound", name: e.name });
      return T_NUM;
    }
    if (code !== null) {
      const local = code.body.locals.find((l) => l.name === e.name);
      if (local !== undefined) {
        resolutions.set(e, { kind: "local", v: local });
        return valueOf(local.type);
      }
      const tmpl = this.bodies.templateOf(code.body);
      if (tmpl && tmpl.decl.kind === "thread" && tmpl.decl.index?.variable.name === e.name) {
        resolutions.set(e, { kind: "thread_index", template: tmpl });
        return T_NUM;
      }
    }
    if (e.name === "NTHREADS" || e.name === "NCPUS") {
      const value = e.name === "NCPUS" ? this.consts.cpus : (this.consts.nthreads ?? 0);
      resolutions.set(e, { kind: "const", value, type: T_NUM });
      constValues.set(e, value);
      return T_NUM;
    }
    if (this.scope.constDecls.has(e.name)) {
      const v = this.consts.constOf(e.name);
      if (v === null) return null;
      const enumParam = this.scope.enumParams.get(e.name);
      const type: ValueType = enumParam ? { kind: "enum", name: enumParam.enumName } : v > 0x7fffffff ? T_WORD : T_NUM;
      resolutions.set(e, { kind: "const", value: v, type });
      constValues.set(e, v);
      return type;
    }
    const m = this.scope.enumMembers.get(e.name);
    if (m !== undefined) {
      const type: ValueType = { kind: "enum", name: m.enumName };
      resolutions.set(e, { kind: "const", value: m.value, type });
      constValues.set(e, m.value);
      return type;
    }
    const g = this.scope.globals.get(e.name);
    if (g !== undefined) {
      if (code !== null && !globalAccess(this.ctx, g, code, ectx.underAddr, e.span)) return null;
      resolutions.set(e, { kind: "global", v: g });
      return valueOf(g.type);
    }
    if (this.bodies.isRoutine(e.name)) {
      this.ctx.err("FX103", `'${e.name}' is a routine; call it with ()`, e.span);
      return null;
    }
    this.ctx.err("FX101", `unknown name '${e.name}'`, e.span);
    return null;
  }

  private addressOf(e: Expr & { kind: "unary" }, ectx: ExprContext): ValueType | null {
    const target = e.operand;
    if (target.kind !== "name" && target.kind !== "index") {
      this.ctx.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    const base = target.kind === "index" ? target.base : target;
    if (base.kind !== "name") {
      this.ctx.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    const bt = this.typeOf(base, { ...ectx, top: false, underAddr: true });
    if (target.kind === "index") {
      const it = this.typeOf(target.index, { ...ectx, top: false, underAddr: false });
      if (it !== null && it.kind !== "num") this.ctx.err("FX103", "an index must be a number", target.index.span);
      if (bt !== null) this.ctx.tables.types.set(target, bt);
    }
    if (bt === null) return null;
    const r = this.ctx.tables.resolutions.get(base);
    if (r === undefined || (r.kind !== "global" && r.kind !== "local")) {
      this.ctx.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    if (target.kind === "name" && r.v.size !== null) {
      this.ctx.err("FX103", `'${r.v.name}' is an array: take the address of an element, &${r.v.name}[i]`, e.span);
      return null;
    }
    if (target.kind === "index" && r.v.size === null) {
      this.ctx.err("FX103", "only array variables can be indexed", base.span);
      return null;
    }
    if (r.kind === "global" && r.v.space === "shared") return T_ADDR;
    return { kind: "ref" };
  }

  private binaryType(e: Expr & { kind: "binary" }, ectx: ExprContext): ValueType | null {
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    const a = sub(e.left);
    const b = sub(e.right);
    if (a === null || b === null) return null;
    const truthy = (t: ValueType) => t.kind === "bool" || t.kind === "num";
    switch (e.op) {
      case "=>":
      case "||":
      case "&&":
        if (!truthy(a)) return this.typeError(e.left, e.op, a);
        if (!truthy(b)) return this.typeError(e.right, e.op, b);
        return T_BOOL;
      case "==":
      case "!=":
        if (!comparable(a, b)) {
          this.ctx.err("FX103", `cannot compare ${showValue(a)} with ${showValue(b)}`, e.span);
          return null;
        }
        return T_BOOL;
      case "<":
      case "<=":
      case ">":
      case ">=":
        // Members of one enum are ordered as declared (named versions: `KVER >= V6_2`).
        if (a.kind === "enum" && b.kind === "enum" && a.name === b.name) return T_BOOL;
        if (a.kind !== "num") return this.typeError(e.left, e.op, a);
        if (b.kind !== "num") return this.typeError(e.right, e.op, b);
        return T_BOOL;
      case "in":
        if (a.kind !== "num") return this.typeError(e.left, "in", a);
        if (b.kind !== "tidset" && b.kind !== "tidqueue") {
          this.ctx.err("FX103", `the right side of 'in' must be a tid set or queue, not ${showValue(b)}`, e.right.span);
          return null;
        }
        return T_BOOL;
      default: {
        if (a.kind !== "num") return this.typeError(e.left, e.op, a);
        if (b.kind !== "num") return this.typeError(e.right, e.op, b);
        const bitwise = e.op === "&" || e.op === "|" || e.op === "^" || e.op === "<<" || e.op === ">>";
        return { kind: "num", word: bitwise || a.word || b.word, tid: false };
      }
    }
  }
}
