// The intermediate form: each thread template becomes a flat array of instructions indexed by program
// counter (pc 0 means the thread is gone). Routine calls are inlined, so every instruction knows which
// locals it means, on which side (user or kernel) it runs and which atomic block it belongs to.
import type { Expr, SourceRef, Span } from "../grammar/ast.js";
import type { BodyInfo, LocalVar, Side, TemplateInfo } from "../grammar/model.js";

/** Which copy of a routine's locals an inlined instruction uses: one per thread body context. */
export type Frame = "main" | "handler" | "exit";

export type Op =
  | { k: "assign"; target: Expr; value: Expr; next: number }
  | { k: "builtin"; name: string; args: Expr[]; dest: Expr | null; next: number }
  | { k: "branch"; cond: Expr; then: number; else: number }
  | { k: "jump"; next: number }
  | { k: "await"; cond: Expr; interruptible: boolean; next: number }
  | { k: "either"; targets: number[] }
  | { k: "choose"; local: LocalVar; lo: number; hi: number; where: Expr | null; next: number }
  | { k: "assert"; cond: Expr; next: number }
  | { k: "enter"; routine: string; next: number } // user → kernel: a syscall begins
  | { k: "sysret"; routine: string; next: number } // kernel → user; a pending kill or signal acts here
  | { k: "exit" } // start the exit path
  | { k: "die" } // the thread is gone
  | { k: "sigreturn" } // the signal handler returns to the interrupted code
  | { k: "preempt"; delta: 1 | -1; next: number }
  | { k: "sigmask"; block: boolean; next: number }
  | { k: "nop"; next: number };

export interface Instruction {
  pc: number;
  op: Op;
  side: Side;
  span: Span;
  label: string | null;
  atomic: number; // id of the outermost enclosing atomic block (0: none)
  frame: Frame; // whose copy of the locals the instruction uses
  routine: string | null; // the inlined routine this instruction comes from (for traces and lost wake-ups)
  inHandler: boolean;
  /** Set by the analysis: the instruction must be a step of its own (it touches shared state, blocks,
   *  chooses, changes mode, or changes what other transitions are enabled). */
  visible: boolean;
  refs: SourceRef[]; // the real code it models: the references of the nearest statement or body that has some
}

export interface TemplateProgram {
  template: TemplateInfo;
  code: Instruction[]; // code[0] is a placeholder for pc 0 (gone)
  entry: number; // first pc of the thread body
  handlerEntry: number; // 0 when the template has no handler
  exitEntry: number; // first pc of the exit path (kill and exit() go here)
  bodies: Map<Frame, Set<BodyInfo>>; // the bodies inlined into each frame: their locals need storage
}
