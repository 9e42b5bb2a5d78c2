// Statements: each body's code checked in its context (side, loops, `atomic`), assignments typed against
// their targets, `return` against the routine, `goto` against the body's labels.
import type { Block, Expr, Ident, Stmt } from "../ast.js";
import type { BodyInfo, LocalVar, Type, ValueType } from "../model.js";
import { rootName, type CallGraph } from "./calls.js";
import type { Constants } from "./constants.js";
import type { CheckContext } from "./context.js";
import type { CodeContext, Expressions } from "./expressions.js";
import type { Scope } from "./scope.js";
import { kernelOnly } from "./sides.js";
import type { Bodies } from "./threads.js";
import { assignable, showType, showValue } from "./values.js";

export class Statements {
  constructor(
    private readonly ctx: CheckContext,
    private readonly scope: Scope,
    private readonly consts: Constants,
    private readonly bodies: Bodies,
    private readonly graph: CallGraph,
    private readonly exprs: Expressions,
  ) {}

  checkBody(body: BodyInfo): void {
    const code: CodeContext = { body, side: body.side, loops: 0, inAtomic: false, bound: new Set() };
    this.checkBlock(body.block, code);
  }

  private checkBlock(b: Block, code: CodeContext): void {
    for (const s of b.stmts) this.checkStmt(s, code);
  }

  private checkStmt(s: Stmt, code: CodeContext): void {
    const err = this.ctx.err.bind(this.ctx);
    const expr = (e: Expr, top = false) => this.exprs.typeOf(e, { code, top, underAddr: false });
    const cond = (e: Expr) => {
      const t = expr(e);
      if (t !== null && t.kind !== "bool" && t.kind !== "num")
        err("FX103", `a condition must be a bool or a number, not ${showValue(t)}`, e.span);
    };
    switch (s.kind) {
      case "var":
        return;
      case "label":
      case "sourced":
        this.checkStmt(s.body, code);
        return;
      case "assign": {
        const target = this.lvalue(s.target, code);
        const value = expr(s.value, true);
        if (target !== null && value !== null) this.assignment(target, value, s.value);
        return;
      }
      case "expr":
        if (s.expr.kind !== "call") {
          err("FX103", "only a call can stand alone as a statement", s.span);
          return;
        }
        expr(s.expr, true);
        return;
      case "if":
        cond(s.cond);
        this.checkBlock(s.then, code);
        if (s.else) this.checkBlock(s.else, code);
        return;
      case "while":
        cond(s.cond);
        this.checkBlock(s.body, { ...code, loops: code.loops + 1 });
        return;
      case "for":
        this.checkBlock(s.body, { ...code, loops: code.loops + 1 });
        return;
      case "either":
        for (const b of s.branches) this.checkBlock(b, code);
        return;
      case "choose": {
        const local = this.lvalueLocal(s.variable, code);
        if (local === null) return;
        if (s.lo !== null && s.hi !== null) {
          this.consts.constant(s.lo);
          this.consts.constant(s.hi);
        } else if (
          local.type.kind !== "int" &&
          local.type.kind !== "bool" &&
          local.type.kind !== "enum" &&
          local.type.kind !== "tid"
        ) {
          err(
            "FX103",
            `choose … where needs a variable of a small type (int A..B, bool, enum, tid) to range over; '${local.name}' is ${showType(local.type)}`,
            s.variable.span,
          );
        }
        if (s.where) cond(s.where);
        return;
      }
      case "atomic": {
        if (code.inAtomic) {
          this.checkBlock(s.body, code);
          return;
        }
        const inner = { ...code, inAtomic: true };
        s.body.stmts.forEach((st, i) => {
          // A first `await` is checked outside the atomic's context: it is allowed there.
          this.checkStmt(st, i === 0 && unlabel(st).kind === "await" ? code : inner);
        });
        return;
      }
      case "nopreempt":
        kernelOnly(this.ctx, code, "`nopreempt` is kernel code; user code cannot disable preemption", s.span);
        this.checkBlock(s.body, code);
        return;
      case "await":
        if (code.inAtomic) err("FX109", "`await` inside `atomic` must be its first statement", s.span);
        if (s.interruptible)
          kernelOnly(this.ctx, code, "only kernel code sleeps interruptibly; user code uses plain `await`", s.span);
        this.graph.addBlocking(code.body);
        cond(s.cond);
        return;
      case "assert":
        cond(s.cond);
        return;
      case "return": {
        const r = code.body.returns;
        if (s.value === null) {
          if (r !== null) err("FX117", `${code.body.name} must return ${showType(r)}`, s.span);
          return;
        }
        const v = expr(s.value, true);
        if (r === null) err("FX117", `${code.body.name} returns no value`, s.value.span);
        else if (v !== null && !assignable(r, v))
          err("FX103", `cannot return ${showValue(v)} from ${code.body.name} (returns ${showType(r)})`, s.value.span);
        return;
      }
      case "break":
      case "continue":
        if (code.loops === 0) err("FX116", `\`${s.kind}\` outside a loop`, s.span);
        return;
      case "goto":
        if (!this.bodies.labels.get(code.body)!.has(s.label.name))
          err("FX111", `no label '${s.label.name}' in ${code.body.name}`, s.label.span);
        return;
      case "skip":
        return;
    }
  }

  private assignment(target: Type, value: ValueType, at: Expr): void {
    if (value.kind === "void") this.ctx.err("FX103", "this call returns no value", at.span);
    else if (!assignable(target, value))
      this.ctx.err("FX103", `cannot assign ${showValue(value)} to ${showType(target)}`, at.span);
  }

  private lvalueLocal(id: Ident, code: CodeContext): LocalVar | null {
    const local = code.body.locals.find((l) => l.name === id.name);
    if (local === undefined) {
      const top = this.scope.topNames.has(id.name);
      this.ctx.err(
        top ? "FX115" : "FX101",
        top
          ? `choose needs a local variable; '${id.name}' is not one of ${code.body.name}`
          : `unknown name '${id.name}'`,
        id.span,
      );
      return null;
    }
    this.ctx.tables.resolutions.set(id, { kind: "local", v: local });
    return local;
  }

  /** Checks an assignment target; returns the type stored there. */
  private lvalue(e: Expr, code: CodeContext): Type | null {
    if (e.kind === "unary" && e.op === "*") {
      const t = this.exprs.typeOf(e, { code, top: false, underAddr: false });
      return t === null ? null : { kind: "word" };
    }
    if (e.kind === "name" || e.kind === "index") {
      const t = this.exprs.typeOf(e, { code, top: false, underAddr: false });
      if (t === null) return null;
      const root = rootName(e);
      const r = root ? this.ctx.tables.resolutions.get(root) : undefined;
      if (r === undefined || (r.kind !== "global" && r.kind !== "local")) {
        this.ctx.err("FX115", "this is not a variable and cannot be assigned", e.span);
        return null;
      }
      const v = r.v;
      if (v.size !== null && e.kind === "name") {
        this.ctx.err("FX115", `'${v.name}' is an array; assign its elements`, e.span);
        return null;
      }
      if (v.type.kind === "tidset" || v.type.kind === "tidqueue") {
        this.ctx.err("FX115", "tid sets and queues change through push, pop and remove", e.span);
        return null;
      }
      return v.type;
    }
    this.ctx.err("FX115", "this expression cannot be assigned", e.span);
    return null;
  }
}

function unlabel(s: Stmt): Stmt {
  return s.kind === "label" || s.kind === "sourced" ? unlabel(s.body) : s;
}
