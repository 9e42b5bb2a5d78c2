// Static facts for partial-order reduction: for each pc of a template, whether the step that starts there is
// *independent* — it reads and writes only its own thread's locals and pc, and no property or other thread can
// observe the change. Such a step commutes with every transition of every other thread and neither enables nor
// disables any of them, so in a state where a thread's only enabled transition is an independent step, that
// step alone is an ample set (conditions C0–C2 of Clarke, Grumberg and Peled). The explorer adds the cycle
// proviso (C3) and the run-time conditions: no injected fault of the thread enabled, no preemption gate.
import type { Expr } from "../grammar/ast.js";
import type { CheckedModel } from "../grammar/model.js";
import { touchesShared } from "./analysis.js";
import { forChildren, successors, visitOp } from "./dataflow.js";
import { isTransient } from "./codegen.js";
import type { Instruction, TemplateProgram } from "./ir.js";

/** What the model's code and the checked properties can observe of a thread's control state from outside
 *  its own code. */
export interface Observed {
  labels: Set<string>; // labels named by `at(t, L)`: entering or leaving one is visible
  side: boolean; // `in_user` / `in_kernel` are used: a syscall entry or return is visible
  exits: boolean; // `alive` / `exited` are used: a thread's end is visible
  faults: boolean; // kills or signals are injected: a syscall return may run a pending one
}

/** What `programs` and the checked `properties` (default: all of the model's) observe. */
export function observedOf(
  model: CheckedModel,
  programs: TemplateProgram[],
  faults: boolean,
  properties?: readonly string[],
): Observed {
  const obs: Observed = { labels: new Set(), side: false, exits: false, faults };
  const visit = (e: Expr | null): void => {
    if (e === null) return;
    if (e.kind === "call") {
      if (e.callee.name === "at" && e.args[1]?.kind === "name") obs.labels.add(e.args[1].name);
      if (e.callee.name === "in_user" || e.callee.name === "in_kernel") obs.side = true;
      if (e.callee.name === "alive" || e.callee.name === "exited") obs.exits = true;
    }
    if (e.kind === "quant" && e.domain.kind === "range") {
      visit(e.domain.lo);
      visit(e.domain.hi);
    }
    forChildren(e, visit);
  };
  for (const p of model.properties) {
    if (properties !== undefined && !properties.includes(p.name)) continue;
    if (p.kind === "leads_to") {
      visit(p.from);
      visit(p.to);
    } else visit(p.expr);
  }
  for (const prog of programs) for (const ins of prog.code) visitOp(ins.op, visit, visit, () => undefined);
  return obs;
}

/** Whether one instruction touches only its thread's own state (ghost globals count as shared here: a
 *  property may read them). */
function isLocal(model: CheckedModel, ins: Instruction, obs: Observed): boolean {
  const global = (e: Expr | null) => e !== null && touchesShared(model, e, true);
  const op = ins.op;
  switch (op.k) {
    case "assign":
      return !global(op.target) && !global(op.value);
    case "branch":
    case "assert":
      return !global(op.cond);
    case "await":
      return !op.interruptible && !global(op.cond);
    case "choose":
      return !global(op.where);
    case "builtin":
      return (op.name === "tid" || op.name === "idx") && !op.args.some(global) && !global(op.dest);
    case "sysret":
      return !obs.faults; // with faults it may run a pending kill or signal
    case "exit":
      return !ins.inHandler; // from a handler it also leaves the handler, which `in_handler` sees
    case "die":
      return !obs.exits;
    case "either":
    case "enter":
    case "nop":
    case "jump":
      return true;
    default:
      return false; // sigreturn, preempt, sigmask change what other transitions or properties see
  }
}

/** `independentSteps`' verdict on a pc: the step from it is not independent, is, or is and may lie on a
 *  cycle of independent steps (then an ample set made of it must pass the cycle proviso). */
export const NOT_INDEPENDENT = 0;
export const INDEPENDENT = 1;
export const INDEPENDENT_ON_CYCLE = 2;

/**
 * For each pc of `prog`, one of the three values above. The step is followed through every instruction it may
 * run (the transient ones after it, the rest of its atomic block, and, for a step that starts at a transient
 * pc, on through the first visible one), exactly as the generated code decides where a step ends.
 *
 * The cycle proviso is needed only where the reduced graph can close a cycle of ample sets alone. Independent
 * steps change neither shared state nor other threads, so along such a cycle every thread's own state, its
 * pc included, comes back (up to a renaming of interchangeable threads, which run the same code): each step
 * of it lies on a cycle of this template's graph of independent steps (pc → where the step may end). A step
 * on no such cycle can skip the proviso.
 */
export function independentSteps(model: CheckedModel, prog: TemplateProgram, obs: Observed): Uint8Array {
  const code = prog.code;
  const local = code.map((ins) => ins.pc !== 0 && isLocal(model, ins, obs));
  const ends = code.map((_, pc) => (pc === 0 ? null : stepEnds(code, prog, pc, local, obs)));
  const out = new Uint8Array(code.length);
  for (let pc = 1; pc < code.length; pc++) {
    if (ends[pc] === null) continue;
    out[pc] = reachesItself(pc, ends) ? INDEPENDENT_ON_CYCLE : INDEPENDENT;
  }
  return out;
}

/** Whether `start` can come back to itself through independent steps only. */
function reachesItself(start: number, ends: (number[] | null)[]): boolean {
  const seen = new Set<number>();
  const work = [...ends[start]!];
  while (work.length > 0) {
    const pc = work.pop()!;
    if (pc === start) return true;
    if (seen.has(pc) || ends[pc] === null) continue;
    seen.add(pc);
    work.push(...ends[pc]!);
  }
  return false;
}

/** Where the step from `start` may end, or null when it is not independent. */
function stepEnds(
  code: Instruction[],
  prog: TemplateProgram,
  start: number,
  local: boolean[],
  obs: Observed,
): number[] | null {
  const first = code[start];
  if (first.label !== null && obs.labels.has(first.label)) return null;
  const ends = new Set<number>();
  const visited = new Set<number>(); // pc * 2 + seen
  const work: [number, boolean][] = [[start, false]];
  while (work.length > 0) {
    const [pc, seenBefore] = work.pop()!;
    const key = pc * 2 + (seenBefore ? 1 : 0);
    if (visited.has(key)) continue;
    visited.add(key);
    const ins = code[pc];
    if (!local[pc]) return null;
    const seen = seenBefore || !isTransient(ins);
    for (const to of successors(ins, prog)) {
      if (to === 0) return null; // the thread ends: `exited` and `alive` see it
      const target = code[to];
      const cont =
        (ins.atomic !== 0 && target.atomic === ins.atomic) || isTransient(target) || (isTransient(ins) && !seen);
      if (cont) {
        work.push([to, seen]);
        continue;
      }
      // the step ends at `to`
      if (target.label !== null && obs.labels.has(target.label)) return null;
      if (obs.side && target.side !== first.side) return null;
      if (target.inHandler !== first.inHandler) return null;
      ends.add(to);
    }
  }
  return [...ends];
}
