// Decides which instructions are steps of their own ("visible") and which are merged into the step before
// them. An instruction is merged only when nothing outside its thread could tell the difference: it reads
// and writes only the thread's locals (or ghosts), is deterministic, and changes neither the thread's mode
// nor what other transitions are enabled.
import type { Expr } from "../grammar/ast.js";
import type { CheckedModel } from "../grammar/model.js";
import type { TemplateProgram } from "./ir.js";

const SHARED_BUILTINS = new Set([
  "get_user",
  "alive",
  "exited",
  "in_user",
  "in_kernel",
  "in_handler",
  "killed",
  "len",
  "head",
  "signal_pending",
  "at",
]);
const LOCAL_BUILTINS = new Set(["count", "tid", "idx"]);

export function markVisible(model: CheckedModel, prog: TemplateProgram): void {
  const shared = (e: Expr | null): boolean => (e === null ? false : touchesShared(model, e));
  for (const ins of prog.code) {
    const op = ins.op;
    switch (op.k) {
      case "assign":
        ins.visible = shared(op.target) || shared(op.value);
        break;
      case "branch":
      case "assert":
        ins.visible = shared(op.cond);
        break;
      case "builtin":
        ins.visible = !LOCAL_BUILTINS.has(op.name) || op.args.some(shared) || shared(op.dest);
        break;
      case "exit":
        ins.visible = ins.side === "user"; // user → kernel
        break;
      case "preempt":
        ins.visible = op.delta > 0; // disabling preemption stops other threads of the CPU at once
        break;
      case "nop":
      case "jump":
        ins.visible = false;
        break;
      default:
        ins.visible = true;
    }
  }
}

/** Whether `e` reads or writes state outside its thread (ghost globals too, when `ghosts` is set). */
export function touchesShared(model: CheckedModel, e: Expr, ghosts = false): boolean {
  const r = model.resolutions.get(e);
  if (r?.kind === "global" && (ghosts || r.v.space !== "ghost")) return true;
  switch (e.kind) {
    case "index":
      return touchesShared(model, e.base, ghosts) || touchesShared(model, e.index, ghosts);
    case "unary":
      // an address is not an access
      if (e.op === "&") return e.operand.kind === "index" && touchesShared(model, e.operand.index, ghosts);
      return e.op === "*" || touchesShared(model, e.operand, ghosts);
    case "binary":
      return e.op === "in" || touchesShared(model, e.left, ghosts) || touchesShared(model, e.right, ghosts);
    case "paren":
      return touchesShared(model, e.inner, ghosts);
    case "quant":
      return touchesShared(model, e.body, ghosts);
    case "call":
      return SHARED_BUILTINS.has(e.callee.name) || e.args.some((a) => touchesShared(model, a, ghosts));
    default:
      return false;
  }
}
