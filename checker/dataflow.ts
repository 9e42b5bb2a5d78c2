// Data-flow facts about a template's locals, used to shrink states without changing behaviours:
// - liveness: a local whose value is never read again is dead; at the end of each step dead locals are reset
//   to their first value, so that states differing only in dead values are one state (as SPIN does);
// - interference: two scalar locals of one frame that are never live at once may share storage;
// - value ranges: a `word` local that only ever holds small values (e.g. futex_wait's `val` when every
//   call passes a constant) is stored in fewer bits. Stores into such a local are checked at run time, so
//   a wrong range would be an internal error, never a silent wrap.
import type { Expr } from "../grammar/ast.js";
import type { CheckedModel, LocalVar } from "../grammar/model.js";
import type { Frame, Instruction, Op, TemplateProgram } from "./ir.js";
import { localKey } from "./state-layout.js";

export interface LocalInfo {
  key: string;
  v: LocalVar;
  frame: Frame;
}

export interface Dataflow {
  locals: Map<string, LocalInfo>;
  liveIn: Set<string>[]; // by pc
  interferes(a: string, b: string): boolean;
  /** The values a scalar word local can hold, when narrower than 32 bits. */
  wordRange: Map<string, { lo: number; hi: number }>;
}

const FULL = { lo: 0, hi: 0xffffffff };

export function analyse(model: CheckedModel, prog: TemplateProgram): Dataflow {
  const locals = new Map<string, LocalInfo>();
  for (const [frame, bodies] of prog.bodies)
    for (const b of bodies)
      for (const v of b.locals) locals.set(localKey(v, frame), { key: localKey(v, frame), v, frame });

  const code = prog.code;
  const uses: Set<string>[] = [];
  const defs: Set<string>[] = [];
  for (const ins of code) {
    const u = new Set<string>();
    const d = new Set<string>();
    const local = (e: Expr) => {
      const r = model.resolutions.get(e);
      return r?.kind === "local" ? localKey(r.v, ins.frame) : null;
    };
    const read = (e: Expr | null): void => {
      if (e === null) return;
      const k = local(e);
      if (k !== null) u.add(k);
      forChildren(e, read);
    };
    const write = (e: Expr | null): void => {
      if (e === null) return;
      const k = e.kind === "name" ? local(e) : null;
      if (k !== null && locals.get(k)?.v.size === null) d.add(k);
      else read(e); // an element write keeps the rest of the array live; `*p` reads p
    };
    visitOp(ins.op, read, write, (v) => d.add(localKey(v, ins.frame)));
    // a choose's `where` reads the value it has just chosen, not the one before
    if (ins.op.k === "choose") u.delete(localKey(ins.op.local, ins.frame));
    uses.push(u);
    defs.push(d);
  }

  // Backward liveness within each frame (control never flows back from the exit path or a handler into
  // the code it interrupted in a way that would make a local live again: see the reset rule in layout).
  const succ = code.map((ins) => successors(ins, prog).filter((p) => p !== 0 && code[p].frame === ins.frame));
  const liveIn = code.map(() => new Set<string>());
  const liveOut = code.map(() => new Set<string>());
  for (let changed = true; changed; ) {
    changed = false;
    for (let pc = code.length - 1; pc >= 1; pc--) {
      const out = liveOut[pc];
      for (const s of succ[pc]) for (const k of liveIn[s]) out.add(k);
      const before = liveIn[pc].size;
      for (const k of out) if (!defs[pc].has(k)) liveIn[pc].add(k);
      for (const k of uses[pc]) liveIn[pc].add(k);
      if (liveIn[pc].size !== before) changed = true;
    }
  }

  const pairs = new Set<string>();
  const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  for (let pc = 1; pc < code.length; pc++) {
    const live = [...liveIn[pc]];
    for (let i = 0; i < live.length; i++) for (let j = i + 1; j < live.length; j++) pairs.add(pair(live[i], live[j]));
    for (const d of defs[pc]) for (const l of liveOut[pc]) if (l !== d) pairs.add(pair(d, l));
    // Locals written in the same instruction (a choose and its `where`) interfere too.
    for (const d of defs[pc]) for (const l of uses[pc]) if (l !== d) pairs.add(pair(d, l));
  }

  return { locals, liveIn, interferes: (a, b) => pairs.has(pair(a, b)), wordRange: wordRanges(model, prog, locals) };
}

export function successors(ins: Instruction, prog: TemplateProgram): number[] {
  const op = ins.op;
  switch (op.k) {
    case "branch":
      return [op.then, op.else];
    case "either":
      return op.targets;
    case "exit":
      return [prog.exitEntry];
    case "die":
    case "sigreturn":
      return [];
    default:
      return [op.next];
  }
}

/** Calls `f` on each direct subexpression of `e` (not a quantifier's domain bounds). */
export function forChildren(e: Expr, f: (x: Expr) => void): void {
  switch (e.kind) {
    case "index":
      f(e.base);
      f(e.index);
      break;
    case "call":
      e.args.forEach(f);
      break;
    case "unary":
      f(e.operand);
      break;
    case "binary":
      f(e.left);
      f(e.right);
      break;
    case "quant":
      f(e.body);
      break;
    case "paren":
      f(e.inner);
      break;
    default:
      break;
  }
}

/** Calls `read` / `write` on the expressions an instruction reads / writes, `defLocal` on a `choose`'s local. */
export function visitOp(
  op: Op,
  read: (e: Expr | null) => void,
  write: (e: Expr | null) => void,
  defLocal: (v: LocalVar) => void,
): void {
  switch (op.k) {
    case "assign":
      read(op.value);
      write(op.target);
      break;
    case "builtin":
      op.args.forEach(read);
      write(op.dest);
      break;
    case "branch":
    case "await":
    case "assert":
      read(op.cond);
      break;
    case "choose":
      defLocal(op.local);
      read(op.where);
      break;
    default:
      break;
  }
}

// ---------- value ranges of word locals ----------
function wordRanges(
  model: CheckedModel,
  prog: TemplateProgram,
  locals: Map<string, LocalInfo>,
): Map<string, { lo: number; hi: number }> {
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const [k, info] of locals)
    if (info.v.type.kind === "word" && info.v.size === null) ranges.set(k, { lo: 0, hi: 0 });
  if (ranges.size === 0) return ranges;
  const nthreads = model.threads.length;
  const rangeOf = (e: Expr, frame: Frame): { lo: number; hi: number } => {
    const r = model.resolutions.get(e);
    const t = model.types.get(e);
    if (t?.kind === "bool") return { lo: 0, hi: 1 };
    if (r?.kind === "const") return { lo: r.value, hi: r.value };
    if (r?.kind === "local") {
      const k = localKey(r.v, frame);
      const known = ranges.get(k);
      if (known) return known;
      return typeRange(r.v.type, nthreads);
    }
    if (r?.kind === "global") return typeRange(r.v.type, nthreads);
    switch (e.kind) {
      case "num":
        return { lo: Number(e.value), hi: Number(e.value) };
      case "null":
        return { lo: 0, hi: 0 };
      case "self":
        return { lo: 0, hi: nthreads - 1 };
      case "this_cpu":
        return { lo: 0, hi: model.cpus - 1 };
      case "paren":
        return rangeOf(e.inner, frame);
      case "index": {
        const b = model.resolutions.get(e.base);
        return b?.kind === "global" || b?.kind === "local" ? typeRange(b.v.type, nthreads) : FULL;
      }
      case "binary": {
        const a = rangeOf(e.left, frame);
        const b = rangeOf(e.right, frame);
        switch (e.op) {
          case "+":
            return clamp(a.lo + b.lo, a.hi + b.hi);
          case "-":
            return clamp(a.lo - b.hi, a.hi - b.lo);
          case "&":
            return a.lo >= 0 && b.lo >= 0 ? { lo: 0, hi: Math.min(a.hi, b.hi) } : FULL;
          case "|":
          case "^":
            return a.lo >= 0 && b.lo >= 0
              ? { lo: 0, hi: 2 ** Math.ceil(Math.log2(Math.max(a.hi, b.hi) + 1)) - 1 }
              : FULL;
          case ">>":
            return a.lo >= 0 ? { lo: 0, hi: a.hi } : FULL;
          default:
            return FULL;
        }
      }
      case "call": {
        switch (e.callee.name) {
          case "tid":
            return { lo: 0, hi: nthreads };
          case "head":
            return { lo: 0, hi: nthreads };
          default:
            return FULL;
        }
      }
      default:
        return FULL;
    }
  };
  const builtinResult = (name: string, args: Expr[], frame: Frame): { lo: number; hi: number } => {
    if (name === "pop") return { lo: 0, hi: nthreads };
    if (["cmpxchg", "xchg", "fetch_add", "fetch_sub", "fetch_or", "fetch_and"].includes(name)) {
      const loc = args[0];
      // the old value of `&x` is a value of x; through an addr it could be any word
      if (loc.kind === "unary" && loc.op === "&") return rangeOf(loc.operand, frame);
    }
    return FULL;
  };
  for (let round = 0; round < 64; round++) {
    let changed = false;
    const widen = (k: string, r: { lo: number; hi: number }) => {
      const cur = ranges.get(k);
      if (cur === undefined) return;
      const lo = Math.min(cur.lo, r.lo);
      const hi = Math.max(cur.hi, r.hi);
      if (lo !== cur.lo || hi !== cur.hi) {
        ranges.set(k, round > 48 ? FULL : { lo, hi });
        changed = true;
      }
    };
    for (const ins of prog.code) {
      const op = ins.op;
      if (op.k === "choose") {
        const k = localKey(op.local, ins.frame);
        if (ranges.has(k)) widen(k, { lo: op.lo, hi: op.hi });
        continue;
      }
      // an atomic on `&local` writes the local through its location
      if (op.k === "builtin" && op.args.length > 0 && op.args[0].kind === "unary" && op.args[0].op === "&") {
        const r = model.resolutions.get(op.args[0].operand);
        if (r?.kind === "local" && ranges.has(localKey(r.v, ins.frame))) widen(localKey(r.v, ins.frame), FULL);
      }
      const target = op.k === "assign" ? op.target : op.k === "builtin" ? op.dest : null;
      if (target === null || target.kind !== "name") continue;
      const r = model.resolutions.get(target);
      if (r?.kind !== "local") continue;
      const k = localKey(r.v, ins.frame);
      if (!ranges.has(k)) continue;
      if (op.k === "assign") widen(k, rangeOf(op.value, ins.frame));
      else if (op.k === "builtin") widen(k, builtinResult(op.name, op.args, ins.frame));
    }
    if (!changed) break;
  }
  for (const [k, r] of ranges) if (r.lo < 0 || r.hi > 0xffffffff) ranges.set(k, FULL);
  return ranges;
}

function clamp(lo: number, hi: number): { lo: number; hi: number } {
  return lo < 0 || hi > 0xffffffff ? FULL : { lo, hi };
}

function typeRange(t: LocalVar["type"], nthreads: number): { lo: number; hi: number } {
  switch (t.kind) {
    case "bool":
      return { lo: 0, hi: 1 };
    case "int":
      return { lo: t.lo, hi: t.hi };
    case "tid":
      return { lo: 0, hi: nthreads };
    case "enum":
      return { lo: 0, hi: t.members.length - 1 };
    default:
      return FULL;
  }
}
