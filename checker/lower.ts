// Lowers a checked thread template (its body, handler, exit path and every routine they call, inlined)
// to a flat instruction array. Jump targets are symbolic while lowering and resolved at the end.
import type { Block, Expr, SourceRef, Span, Stmt } from "../grammar/ast.js";
import type { BodyInfo, CheckedModel, Side, TemplateInfo } from "../grammar/model.js";
import type { Frame, Instruction, Op, TemplateProgram } from "./ir.js";

interface Ctx {
  frame: Frame;
  side: Side;
  atomic: number;
  inHandler: boolean;
  routine: string | null;
  body: BodyInfo;
  loop: { brk: number; cont: number; np: number } | null;
  ret: { dest: Expr | null; done: number; np: number } | null;
  labels: Map<string, number>; // goto targets of this inlined body
  np: number; // nopreempt depth inside this body
  refs: SourceRef[]; // the nearest source references: the statement's, an enclosing one's, or the body's
}

const NEXT_KEYS = ["next", "then", "else"] as const;

export function lowerTemplate(model: CheckedModel, template: TemplateInfo): TemplateProgram {
  return new Lowerer(model, template).run();
}

class Lowerer {
  private readonly code: Instruction[] = [];
  private readonly labelPc: number[] = []; // symbolic label → pc (-1 until placed)
  private atomicIds = 0;
  private readonly bodies = new Map<Frame, Set<BodyInfo>>();

  constructor(
    private readonly model: CheckedModel,
    private readonly template: TemplateInfo,
  ) {
    const placeholder: Instruction = {
      pc: 0,
      op: { k: "die" },
      side: "user",
      span: template.body.block.span,
      label: null,
      atomic: 0,
      frame: "main",
      routine: null,
      inHandler: false,
      visible: true,
      refs: [],
    };
    this.code.push(placeholder);
  }

  private newLabel(): number {
    this.labelPc.push(-1);
    return this.labelPc.length - 1;
  }

  private place(label: number): void {
    this.labelPc[label] = this.code.length;
  }

  private emit(ctx: Ctx, op: Op, span: Span, label: string | null = null): void {
    this.code.push({
      pc: this.code.length,
      op,
      side: ctx.side,
      span,
      label,
      atomic: ctx.atomic,
      frame: ctx.frame,
      routine: ctx.routine,
      inHandler: ctx.inHandler,
      visible: false,
      refs: ctx.refs,
    });
  }

  /** Emits an instruction that falls through to whatever comes next. */
  private emitNext(ctx: Ctx, make: (next: number) => Op, span: Span, label: string | null = null): void {
    const next = this.newLabel();
    this.emit(ctx, make(next), span, label);
    this.place(next);
  }

  run(): TemplateProgram {
    const t = this.template;
    const kernelThread = t.kind === "kthread";
    const mainCtx = this.context("main", kernelThread ? "kernel" : "user", t.body, null);
    const entry = this.code.length;
    this.lowerBlock(t.body.block, mainCtx);
    // Falling off the end of a thread body is exit().
    if (kernelThread) this.emit(mainCtx, { k: "die" }, endSpan(t.body.block.span));
    else this.emit(mainCtx, { k: "exit" }, endSpan(t.body.block.span));

    let handlerEntry = 0;
    if (t.handler !== null) {
      const hctx = { ...this.context("handler", "user", t.handler, null), inHandler: true };
      handlerEntry = this.code.length;
      this.lowerBlock(t.handler.block, hctx);
      this.emit(hctx, { k: "sigreturn" }, endSpan(t.handler.block.span));
    }

    const exitEntry = this.code.length;
    const onExit = this.model.onExit;
    if (!kernelThread && onExit !== null) {
      const ectx = this.context("exit", "kernel", onExit, null);
      this.lowerBlock(onExit.block, ectx);
      this.emit(ectx, { k: "die" }, endSpan(onExit.block.span));
    } else {
      this.emit(this.context("exit", "kernel", t.body, null), { k: "die" }, endSpan(t.body.block.span));
    }
    this.resolve();
    return { template: t, code: this.code, entry, handlerEntry, exitEntry, bodies: this.bodies };
  }

  private context(frame: Frame, side: Side, body: BodyInfo, routine: string | null): Ctx {
    this.useBody(frame, body);
    return {
      frame,
      side,
      atomic: 0,
      inHandler: frame === "handler",
      routine,
      body,
      loop: null,
      ret: null,
      labels: this.gotoLabels(body.block),
      np: 0,
      refs: this.model.bodyRefs.get(body.block) ?? [],
    };
  }

  private useBody(frame: Frame, body: BodyInfo): void {
    if (!this.bodies.has(frame)) this.bodies.set(frame, new Set());
    this.bodies.get(frame)!.add(body);
  }

  private gotoLabels(block: Block): Map<string, number> {
    const m = new Map<string, number>();
    const visit = (s: Stmt): void => {
      if (s.kind === "label") {
        m.set(s.label.name, this.newLabel());
        visit(s.body);
      } else if (s.kind === "sourced") visit(s.body);
      else if (s.kind === "if") {
        s.then.stmts.forEach(visit);
        s.else?.stmts.forEach(visit);
      } else if (s.kind === "while" || s.kind === "for" || s.kind === "atomic" || s.kind === "nopreempt")
        s.body.stmts.forEach(visit);
      else if (s.kind === "either") s.branches.forEach((b) => b.stmts.forEach(visit));
    };
    block.stmts.forEach(visit);
    return m;
  }

  private resolve(): void {
    const pcOf = (label: number): number => {
      const pc = this.labelPc[label];
      if (pc < 0) throw new Error(`internal: label ${label} never placed`);
      return pc;
    };
    for (const ins of this.code) {
      const op = ins.op as unknown as Record<string, unknown>;
      for (const key of NEXT_KEYS) if (typeof op[key] === "number") op[key] = pcOf(op[key] as number);
      if (ins.op.k === "either") ins.op.targets = ins.op.targets.map(pcOf);
    }
  }

  private lowerBlock(b: Block, ctx: Ctx): void {
    for (const s of b.stmts) this.lowerStmt(s, ctx, null);
  }

  private lowerStmt(s: Stmt, ctx: Ctx, label: string | null): void {
    switch (s.kind) {
      case "sourced":
        this.lowerStmt(s.body, { ...ctx, refs: s.refs }, label);
        return;
      case "label": {
        this.place(ctx.labels.get(s.label.name)!);
        // A labelled statement is a place traces and properties can name, so it gets an instruction.
        if (s.body.kind === "label" || s.body.kind === "var") {
          this.emitNext(ctx, (next) => ({ k: "nop", next }), s.span, s.label.name);
          this.lowerStmt(s.body, ctx, null);
        } else this.lowerStmt(s.body, ctx, s.label.name);
        return;
      }
      case "var": {
        // An initialiser is assigned when control reaches the declaration, as in C.
        const local = this.model.stmtLocals.get(s);
        if (local?.init) {
          const target = nameOf(s.name.name, s.name.span, this.model, local);
          local.init.forEach((v, i) => {
            const value = this.literal(v, local.type.kind === "bool", s.span);
            const element: Expr =
              local.size === null
                ? target
                : { kind: "index", base: target, index: this.literal(i, false, s.span), span: s.span };
            this.emitNext(
              ctx,
              (next) => ({ k: "assign", target: element, value, next }),
              s.span,
              i === 0 ? label : null,
            );
          });
        } else if (label !== null) this.emitNext(ctx, (next) => ({ k: "nop", next }), s.span, label);
        return;
      }
      case "assign":
        if (s.value.kind === "call") {
          this.lowerCall(s.value, s.target, ctx, label, s.span);
          return;
        }
        this.emitNext(ctx, (next) => ({ k: "assign", target: s.target, value: s.value, next }), s.span, label);
        return;
      case "expr":
        if (s.expr.kind === "call") this.lowerCall(s.expr, null, ctx, label, s.span);
        return;
      case "skip":
        this.emitNext(ctx, (next) => ({ k: "nop", next }), s.span, label);
        return;
      case "if": {
        const then = this.newLabel();
        const other = this.newLabel();
        const end = this.newLabel();
        this.emit(ctx, { k: "branch", cond: s.cond, then, else: other }, s.cond.span, label);
        this.place(then);
        this.lowerBlock(s.then, ctx);
        this.emit(ctx, { k: "jump", next: end }, endSpan(s.then.span));
        this.place(other);
        if (s.else) this.lowerBlock(s.else, ctx);
        this.place(end);
        return;
      }
      case "while": {
        const head = this.newLabel();
        const body = this.newLabel();
        const end = this.newLabel();
        this.place(head);
        this.emit(ctx, { k: "branch", cond: s.cond, then: body, else: end }, s.cond.span, label);
        this.place(body);
        this.lowerBlock(s.body, { ...ctx, loop: { brk: end, cont: head, np: ctx.np } });
        this.emit(ctx, { k: "jump", next: head }, endSpan(s.body.span));
        this.place(end);
        return;
      }
      case "for": {
        const local = this.model.stmtLocals.get(s)!;
        const v = nameOf(s.variable.name, s.variable.span, this.model, local);
        const num = (n: bigint): Expr => this.literal(Number(n), false, s.span);
        const head = this.newLabel();
        const body = this.newLabel();
        const step = this.newLabel();
        const end = this.newLabel();
        const lo = BigInt(this.model.constValues.get(s.lo)!);
        const hi = BigInt(this.model.constValues.get(s.hi)!);
        this.emitNext(ctx, (next) => ({ k: "assign", target: v, value: num(lo), next }), s.span, label);
        this.place(head);
        const cond: Expr = { kind: "binary", op: "<=", left: v, right: num(hi), span: s.span };
        this.model.types.set(cond, { kind: "bool" });
        this.emit(ctx, { k: "branch", cond, then: body, else: end }, s.span);
        this.place(body);
        this.lowerBlock(s.body, { ...ctx, loop: { brk: end, cont: step, np: ctx.np } });
        this.place(step);
        const inc: Expr = { kind: "binary", op: "+", left: v, right: num(1n), span: s.span };
        this.model.types.set(inc, { kind: "num", word: false, tid: false });
        this.emit(ctx, { k: "assign", target: v, value: inc, next: head }, s.span);
        this.place(end);
        return;
      }
      case "either": {
        const targets = s.branches.map(() => this.newLabel());
        const end = this.newLabel();
        this.emit(ctx, { k: "either", targets }, s.span, label);
        s.branches.forEach((b, i) => {
          this.place(targets[i]);
          this.lowerBlock(b, ctx);
          this.emit(ctx, { k: "jump", next: end }, endSpan(b.span));
        });
        this.place(end);
        return;
      }
      case "choose": {
        const local = this.model.resolutions.get(s.variable) as {
          kind: "local";
          v: import("../grammar/model.js").LocalVar;
        };
        const t = local.v.type;
        let lo: number;
        let hi: number;
        if (s.lo !== null && s.hi !== null) {
          lo = this.model.constValues.get(s.lo)!;
          hi = this.model.constValues.get(s.hi)!;
        } else if (t.kind === "int") [lo, hi] = [t.lo, t.hi];
        else if (t.kind === "bool") [lo, hi] = [0, 1];
        else if (t.kind === "enum") [lo, hi] = [0, t.members.length - 1];
        else [lo, hi] = [0, this.model.threads.length];
        this.emitNext(ctx, (next) => ({ k: "choose", local: local.v, lo, hi, where: s.where, next }), s.span, label);
        return;
      }
      case "atomic": {
        const inner = ctx.atomic === 0 ? { ...ctx, atomic: ++this.atomicIds } : ctx;
        // The label names the block's first instruction, so that a guard there still blocks the whole step.
        if (s.body.stmts.length === 0) this.emitNext(inner, (next) => ({ k: "nop", next }), s.span, label);
        s.body.stmts.forEach((st, i) => this.lowerStmt(st, inner, i === 0 ? label : null));
        return;
      }
      case "nopreempt": {
        this.emitNext(ctx, (next) => ({ k: "preempt", delta: 1, next }), s.span, label);
        this.lowerBlock(s.body, { ...ctx, np: ctx.np + 1 });
        this.emitNext(ctx, (next) => ({ k: "preempt", delta: -1, next }), endSpan(s.body.span));
        return;
      }
      case "await":
        this.emitNext(
          ctx,
          (next) => ({ k: "await", cond: s.cond, interruptible: s.interruptible, next }),
          s.span,
          label,
        );
        return;
      case "assert":
        this.emitNext(ctx, (next) => ({ k: "assert", cond: s.cond, next }), s.span, label);
        return;
      case "return": {
        this.leaveNopreempt(ctx, ctx.ret ? ctx.ret.np : 0, s.span);
        if (ctx.ret === null) {
          // `return` in a thread body ends the thread (exit), in a handler returns from the signal.
          this.emit(
            ctx,
            ctx.inHandler && ctx.body.kind === "handler"
              ? { k: "sigreturn" }
              : ctx.side === "kernel" && ctx.frame === "exit"
                ? { k: "die" }
                : ctx.body.kind === "kthread"
                  ? { k: "die" }
                  : { k: "exit" },
            s.span,
            label,
          );
          return;
        }
        const r = ctx.ret;
        if (s.value !== null && r.dest !== null) {
          this.emit(ctx, { k: "assign", target: r.dest, value: s.value, next: r.done }, s.span, label);
        } else this.emit(ctx, { k: "jump", next: r.done }, s.span, label);
        return;
      }
      case "break":
      case "continue": {
        const loop = ctx.loop!;
        this.leaveNopreempt(ctx, loop.np, s.span);
        this.emit(ctx, { k: "jump", next: s.kind === "break" ? loop.brk : loop.cont }, s.span, label);
        return;
      }
      case "goto":
        this.emit(ctx, { k: "jump", next: ctx.labels.get(s.label.name)! }, s.span, label);
        return;
    }
  }

  /** A synthetic constant, typed and evaluated like the checks would have done. */
  private literal(value: number, bool: boolean, span: Span): Expr {
    const e: Expr = bool
      ? { kind: "bool", value: value !== 0, span }
      : { kind: "num", value: BigInt(value), text: String(value), span };
    this.model.types.set(e, bool ? { kind: "bool" } : { kind: "num", word: false, tid: false });
    if (!bool) this.model.constValues.set(e, value);
    return e;
  }

  private leaveNopreempt(ctx: Ctx, downTo: number, span: Span): void {
    for (let d = ctx.np; d > downTo; d--) this.emitNext(ctx, (next) => ({ k: "preempt", delta: -1, next }), span);
  }

  private lowerCall(
    call: Expr & { kind: "call" },
    dest: Expr | null,
    ctx: Ctx,
    label: string | null,
    span: Span,
  ): void {
    const callee = this.model.callees.get(call)!;
    if (callee.kind === "builtin") {
      const name = callee.name;
      if (name === "exit") this.emit(ctx, { k: "exit" }, span, label);
      else if (name === "block_signals" || name === "unblock_signals")
        this.emitNext(ctx, (next) => ({ k: "sigmask", block: name === "block_signals", next }), span, label);
      else if (name === "spin_lock") {
        // Preemption goes off first, then the thread spins on the lock: a holder on the same CPU deadlocks it.
        this.emitNext(ctx, (next) => ({ k: "preempt", delta: 1, next }), span, label);
        this.emitNext(ctx, (next) => ({ k: "builtin", name, args: call.args, dest: null, next }), span);
      } else if (name === "spin_unlock") {
        this.emitNext(ctx, (next) => ({ k: "builtin", name, args: call.args, dest: null, next }), span, label);
        this.emitNext(ctx, (next) => ({ k: "preempt", delta: -1, next }), span);
      } else this.emitNext(ctx, (next) => ({ k: "builtin", name, args: call.args, dest, next }), span, label);
      return;
    }
    const body = callee.body;
    const entersKernel = body.kind === "syscall" && ctx.side === "user";
    this.useBody(ctx.frame, body);
    const inner: Ctx = {
      ...ctx,
      side: body.side,
      routine: body.name,
      body,
      loop: null,
      labels: this.gotoLabels(body.block),
      np: 0,
      ret: null,
      // A routine without references of its own shows those of its call.
      refs: this.model.bodyRefs.get(body.block) ?? ctx.refs,
    };
    if (entersKernel) this.emitNext(ctx, (next) => ({ k: "enter", routine: body.name, next }), span, label);
    else if (label !== null) this.emitNext(ctx, (next) => ({ k: "nop", next }), span, label);
    const done = this.newLabel();
    inner.ret = { dest, done, np: 0 };
    body.params.forEach((p, i) => {
      const target = nameOf(p.name, call.args[i].span, this.model, p);
      this.emitNext(inner, (next) => ({ k: "assign", target, value: call.args[i], next }), call.args[i].span);
    });
    this.lowerBlock(body.block, inner);
    this.emit(inner, { k: "jump", next: done }, endSpan(body.block.span));
    this.place(done);
    if (entersKernel)
      this.emitNext(
        { ...inner, routine: body.name },
        (next) => ({ k: "sysret", routine: body.name, next }),
        endSpan(body.block.span),
      );
  }
}

// A synthetic name expression that resolves to a given local (for parameters, `for` variables, initialisers).
function nameOf(name: string, span: Span, model: CheckedModel, v: import("../grammar/model.js").LocalVar): Expr {
  const e: Expr = { kind: "name", name, span };
  model.resolutions.set(e, { kind: "local", v });
  model.types.set(
    e,
    v.type.kind === "bool"
      ? { kind: "bool" }
      : v.type.kind === "addr"
        ? { kind: "addr" }
        : v.type.kind === "enum"
          ? { kind: "enum", name: v.type.name }
          : { kind: "num", word: v.type.kind === "word", tid: v.type.kind === "tid" },
  );
  return e;
}

function endSpan(s: Span): Span {
  return { ...s, line: s.endLine, col: Math.max(1, s.endCol - 1), offset: Math.max(0, s.endOffset - 1) };
}
