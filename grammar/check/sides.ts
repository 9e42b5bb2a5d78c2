// Memory spaces and sides: user code never names kernel state and enters the kernel only through syscalls;
// kernel code reaches user memory only through get_user/put_user/atomics on an address; some builtins and
// statements belong to one side. Each rule reports its own error and says whether the use is allowed.
import type { Span } from "../ast.js";
import type { Builtin } from "../builtins.js";
import type { BodyInfo, GlobalVar, Side } from "../model.js";
import type { CheckContext } from "./context.js";

/** Where code runs; null in a property. */
export interface Place {
  side: Side;
}

export function globalAccess(ctx: CheckContext, g: GlobalVar, code: Place, underAddr: boolean, span: Span): boolean {
  if (code.side === "user" && (g.space === "kernel" || g.space === "percpu")) {
    ctx.err(
      "FX106",
      `user code cannot touch kernel state '${g.name}'; it reaches the kernel only through syscalls`,
      span,
    );
    return false;
  }
  if (code.side === "kernel" && g.space === "shared" && !underAddr) {
    ctx.err(
      "FX107",
      `kernel code reaches user memory '${g.name}' only through get_user(&${g.name}), put_user or an atomic on &${g.name}`,
      span,
    );
    return false;
  }
  return true;
}

export function derefAllowed(ctx: CheckContext, code: Place | null, span: Span): boolean {
  if (code !== null && code.side === "kernel") {
    ctx.err("FX107", "kernel code reads user memory with get_user(a), not *a", span);
    return false;
  }
  return true;
}

/** A reference to a kernel variable (`&k`) as a builtin's location: kernel code only. */
export function kernelRefAllowed(ctx: CheckContext, fn: string, code: Place | null, span: Span): boolean {
  if (code?.side === "user") {
    ctx.err("FX106", `${fn} in user code works on user memory (a shared variable)`, span);
    return false;
  }
  return true;
}

export function routineCallSide(ctx: CheckContext, code: Place, routine: BodyInfo, name: string, span: Span): void {
  if (code.side === "user" && routine.kind === "kproc")
    ctx.err("FX119", `user code cannot call the kernel function ${name}; only syscalls enter the kernel`, span);
  if (code.side === "kernel" && routine.kind === "proc")
    ctx.err("FX119", `kernel code cannot call the user procedure ${name}`, span);
}

/** Whether a builtin may be called here: in code of its side, or in a property if it observes. */
export function builtinPlace(
  ctx: CheckContext,
  name: string,
  b: Builtin,
  code: Place | null,
  span: Span,
  calleeSpan: Span,
): boolean {
  if (code === null && b.sides !== "property" && !b.alsoInProperties) {
    ctx.err("FX126", `${name}() is code, not something a property can observe`, span);
    return false;
  }
  if (code !== null && b.sides === "property") {
    ctx.err("FX126", `${name}() is for properties only`, span);
    return false;
  }
  if (code !== null && b.sides !== "property" && !b.sides.includes(code.side)) {
    ctx.err("FX119", `${name}() is kernel code; user code cannot call it`, calleeSpan);
    return false;
  }
  return true;
}

/** `nopreempt` and interruptible sleeps are kernel code. */
export function kernelOnly(ctx: CheckContext, code: Place, message: string, span: Span): void {
  if (code.side !== "kernel") ctx.err("FX122", message, span);
}
