// Labels and calls: calls to routines and builtins typed and placed (effectful calls only at statement
// level, arity, argument kinds, sides), labels that `at` and `goto` name, and the call graph: no recursion
// (calls are inlined), no call that may block inside `atomic`.
import type { Block, Expr, Span, Stmt } from "../ast.js";
import { BUILTINS, type ArgKind } from "../builtins.js";
import type { BodyInfo, ValueType } from "../model.js";
import type { CheckContext } from "./context.js";
import type { ExprContext } from "./expressions.js";
import type { Scope } from "./scope.js";
import { builtinPlace, kernelRefAllowed, routineCallSide } from "./sides.js";
import type { Bodies } from "./threads.js";
import { assignable, showType, showValue, T_BOOL, T_NUM, T_TID, T_VOID, T_WORD, valueOf } from "./values.js";

type TypeOf = (e: Expr, ectx: ExprContext) => ValueType | null;

/** Who calls whom, which bodies block, and the calls made inside `atomic`. */
export class CallGraph {
  private readonly calls = new Map<BodyInfo, Set<BodyInfo>>();
  private readonly blocking = new Set<BodyInfo>();
  // Calls made inside `atomic`: whether the callee may block is known only once every body has been checked.
  private readonly atomicCalls: { routine: BodyInfo; name: string; span: Span }[] = [];

  constructor(private readonly ctx: CheckContext) {}

  addCall(from: BodyInfo, to: BodyInfo): void {
    const set = this.calls.get(from) ?? new Set();
    set.add(to);
    this.calls.set(from, set);
  }

  addBlocking(body: BodyInfo): void {
    this.blocking.add(body);
  }

  addAtomicCall(routine: BodyInfo, name: string, span: Span): void {
    this.atomicCalls.push({ routine, name, span });
  }

  /** Once every body is checked: no call inside `atomic` may block. */
  checkAtomicCalls(): void {
    for (const c of this.atomicCalls) {
      if (this.mayBlock(c.routine))
        this.ctx.err("FX109", `${c.name} may block (await); it cannot be called inside atomic`, c.span);
    }
  }

  checkRecursion(bodies: readonly BodyInfo[]): void {
    const state = new Map<BodyInfo, "active" | "done">();
    const visit = (b: BodyInfo, path: BodyInfo[]): void => {
      if (state.get(b) === "done") return;
      if (state.get(b) === "active") {
        const cycle = path.slice(path.indexOf(b)).map((x) => x.name);
        this.ctx.err(
          "FX114",
          `recursion is not supported (calls are inlined): ${[...cycle, b.name].join(" → ")}`,
          b.block.span,
        );
        return;
      }
      state.set(b, "active");
      for (const c of this.calls.get(b) ?? []) visit(c, [...path, b]);
      state.set(b, "done");
    };
    for (const b of bodies) visit(b, []);
  }

  private mayBlock(body: BodyInfo, seen = new Set<BodyInfo>()): boolean {
    if (seen.has(body)) return false;
    seen.add(body);
    if (this.blocking.has(body) || containsAwait(body.block)) return true;
    for (const c of this.calls.get(body) ?? []) if (this.mayBlock(c, seen)) return true;
    return false;
  }
}

export class Calls {
  constructor(
    private readonly ctx: CheckContext,
    private readonly scope: Scope,
    private readonly bodies: Bodies,
    private readonly graph: CallGraph,
    private readonly typeOf: TypeOf,
  ) {}

  callType(e: Expr & { kind: "call" }, ectx: ExprContext): ValueType | null {
    const routine = this.bodies.routines.get(e.callee.name);
    if (routine !== undefined) return this.routineCall(e, routine, ectx);
    return this.builtinCall(e, ectx);
  }

  private routineCall(e: Expr & { kind: "call" }, routine: BodyInfo, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const name = e.callee.name;
    this.ctx.tables.callees.set(e, { kind: "routine", body: routine });
    if (code === null) {
      this.ctx.err("FX126", "properties cannot call routines", e.span);
      return null;
    }
    if (!ectx.top) {
      this.ctx.err("FX113", `a call to ${name} changes state: it can only stand alone or as 'x = ${name}(…)'`, e.span);
      return null;
    }
    routineCallSide(this.ctx, code, routine, name, e.callee.span);
    if (code.inAtomic) this.graph.addAtomicCall(routine, name, e.span);
    this.graph.addCall(code.body, routine);
    if (e.args.length !== routine.params.length) {
      this.arity(name, routine.params.length, e);
      return null;
    }
    e.args.forEach((arg, i) => {
      const t = this.typeOf(arg, { code, top: false, underAddr: false });
      const p = routine.params[i];
      if (t !== null && !assignable(p.type, t))
        this.ctx.err(
          "FX103",
          `argument ${i + 1} of ${name} ('${p.name}') is ${showType(p.type)}, got ${showValue(t)}`,
          arg.span,
        );
    });
    return routine.returns ? valueOf(routine.returns) : T_VOID;
  }

  private arity(name: string, expected: number, e: Expr & { kind: "call" }): void {
    this.ctx.err(
      "FX112",
      `${name} takes ${expected} argument${expected === 1 ? "" : "s"}, got ${e.args.length}`,
      e.span,
    );
  }

  private builtinCall(e: Expr & { kind: "call" }, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const name = e.callee.name;
    const b = BUILTINS.get(name);
    if (b === undefined) {
      this.ctx.err("FX101", `unknown function '${name}'`, e.callee.span);
      return null;
    }
    this.ctx.tables.callees.set(e, { kind: "builtin", name });
    if (!builtinPlace(this.ctx, name, b, code, e.span, e.callee.span)) return null;
    if (b.effect && !ectx.top) {
      this.ctx.err("FX113", `${name}() changes state: it can only stand alone or as 'x = ${name}(…)'`, e.span);
      return null;
    }
    if (e.args.length !== b.args.length) {
      this.arity(name, b.args.length, e);
      return null;
    }
    let ok = true;
    e.args.forEach((arg, i) => {
      if (!this.builtinArg(name, b.args[i], arg, ectx)) ok = false;
    });
    if (!ok) return null;
    if (name === "count" && code === null) return null;
    switch (b.result) {
      case "void":
        return T_VOID;
      case "bool":
        return T_BOOL;
      case "word":
        return T_WORD;
      case "tid":
        return T_TID;
      default:
        return T_NUM;
    }
  }

  private builtinArg(fn: string, kind: ArgKind, arg: Expr, ectx: ExprContext): boolean {
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    switch (kind) {
      case "label": {
        if (arg.kind !== "name") {
          this.ctx.err("FX103", `the second argument of ${fn} is a label`, arg.span);
          return false;
        }
        const known = [...this.bodies.labels.values()].some((m) => m.has(arg.name));
        if (!known) this.ctx.err("FX111", `no label '${arg.name}' in the model`, arg.span);
        return known;
      }
      case "counter":
        if (arg.kind !== "name" || !this.scope.counters.includes(arg.name)) {
          this.ctx.err(
            "FX101",
            `${arg.kind === "name" ? `'${arg.name}' is not a declared counter` : "count takes a counter name"} (declare it with 'counter NAME;')`,
            arg.span,
          );
          return false;
        }
        return true;
      case "lvalue": {
        const t = sub(arg);
        if (t === null) return false;
        const root = rootName(arg);
        const r = root ? this.ctx.tables.resolutions.get(root) : undefined;
        if (
          r === undefined ||
          r.kind !== "global" ||
          (r.v.space !== "kernel" && r.v.space !== "percpu") ||
          (t.kind !== "bool" && t.kind !== "num")
        ) {
          this.ctx.err("FX103", `${fn} takes a kernel variable (bool or number) as the lock`, arg.span);
          return false;
        }
        if (r.v.size !== null && arg.kind === "name") {
          this.ctx.err("FX103", `'${r.v.name}' is an array; lock one element`, arg.span);
          return false;
        }
        return true;
      }
      case "queue": {
        const t = sub(arg);
        if (t === null) return false;
        if (t.kind !== "tidqueue" && t.kind !== "tidset") {
          this.ctx.err("FX103", `${fn} takes a tid queue or set, got ${showValue(t)}`, arg.span);
          return false;
        }
        if ((fn === "pop" || fn === "head") && t.kind !== "tidqueue") {
          this.ctx.err("FX103", `${fn} takes a tid queue (sets have no order)`, arg.span);
          return false;
        }
        return true;
      }
      case "loc": {
        const t = sub(arg);
        if (t === null) return false;
        if (t.kind === "addr") return true;
        if (t.kind === "ref") return kernelRefAllowed(this.ctx, fn, ectx.code, arg.span);
        this.ctx.err(
          "FX103",
          `the first argument of ${fn} is a location (&x or an addr), got ${showValue(t)}`,
          arg.span,
        );
        return false;
      }
      default: {
        const t = sub(arg);
        if (t === null) return false;
        const want = kind === "addr" ? "addr" : kind === "bool" ? "bool" : "num";
        if (t.kind !== want) {
          this.ctx.err(
            "FX103",
            `argument of ${fn} must be ${want === "num" ? "a number" : want === "addr" ? "an addr" : "a bool"}, got ${showValue(t)}`,
            arg.span,
          );
          return false;
        }
        return true;
      }
    }
  }
}

/** The variable an lvalue (`x`, `a[i]`, `(x)`) names. */
export function rootName(e: Expr): Expr | null {
  if (e.kind === "name") return e;
  if (e.kind === "index") return rootName(e.base);
  if (e.kind === "paren") return rootName(e.inner);
  return null;
}

function containsAwait(b: Block): boolean {
  const inStmt = (s: Stmt): boolean => {
    switch (s.kind) {
      case "await":
        return true;
      case "label":
      case "sourced":
        return inStmt(s.body);
      case "if":
        return containsAwait(s.then) || (s.else !== null && containsAwait(s.else));
      case "while":
      case "for":
      case "atomic":
      case "nopreempt":
        return containsAwait(s.body);
      case "either":
        return s.branches.some(containsAwait);
      default:
        return false;
    }
  };
  return b.stmts.some(inStmt);
}
