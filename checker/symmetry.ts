// Symmetry reduction (`check --symmetry`). Threads of one template placed on one CPU run the same code and
// differ only in their number. When nothing in the model or its properties tells such threads apart, every
// permutation of them maps executions to executions and properties to themselves, so the search needs only
// one state per orbit: the explorer stores the canonical representative of each successor.
//
// Two parts:
// - `analyseSymmetry` decides, from the lowered code and the properties, which values are thread identities
//   (thread numbers, as `self`; TIDs, as `tid(self)`; tid sets and queues) and where they are stored. Every
//   use of an identity must be one a permutation commutes with: equality, indexing an array that has one
//   element per thread, the thread predicates, tid sets and queues, `tid()`/`idx()`. Anything else (a thread
//   named by a number, arithmetic or ordering on identities, an identity stored through an address, an
//   array indexed by thread whose size is not the thread count, liveness properties, …) is refused with
//   FX127 at the construct: the reduction is never applied where it could change a verdict.
// - `Canonicalizer` permutes states: per-thread fields move with their thread; thread-indexed arrays are
//   permuted; identity values, tid sets and queues are renamed. The representative of a state is the
//   lexicographically least state among those whose threads are sorted by an identity-free key (ties
//   broken by trying the orderings of the tied threads), which is a true canonical form: two states related
//   by a permutation get the same representative.
import type { Expr, Span } from "../grammar/ast.js";
import { error, type Diagnostic } from "../grammar/diagnostics.js";
import type { CheckedModel, GlobalVar, LocalVar, TemplateInfo } from "../grammar/model.js";
import { isTransient } from "./codegen.js";
import type { CompiledModel } from "./compile.js";
import { successors } from "./dataflow.js";
import type { Frame, Instruction, TemplateProgram } from "./ir.js";
import type { Field } from "./layout.js";
import { localKey, type VarLayout } from "./state-layout.js";
import type { TransitionSystem } from "./system.js";

export const SYMMETRY_ERROR = "FX127";

/** What a variable's values (or an array's indices) are: not known yet, plain numbers, thread numbers,
 *  TIDs, or a mix (refused). */
type Cls = "none" | "plain" | "idx" | "tid" | "conflict";
/** What an expression's value is; a constant is kept so that a thread it names can be checked. */
type Kind = Cls | { c: number };
type Var = GlobalVar | LocalVar;

const THREAD_PREDICATES = new Set(["alive", "exited", "in_user", "in_kernel", "in_handler", "killed", "at"]);
const ATOMICS = new Set(["cmpxchg", "xchg", "fetch_add", "fetch_sub", "fetch_or", "fetch_and", "put_user"]);

const isThread = (k: Kind): k is "idx" | "tid" => k === "idx" || k === "tid";
const isConst = (k: Kind): k is { c: number } => typeof k === "object";

function join(a: Cls, b: Cls): Cls {
  if (b === "none" || a === b) return a;
  if (a === "none") return b;
  return "conflict";
}

/** The sets of interchangeable threads: threads of one template on one CPU (only sets of two or more). */
export function symmetryGroups(model: CheckedModel): number[][] {
  const groups: number[][] = [];
  for (const t of model.templates) {
    const byCpu = new Map<number, number[]>();
    for (const th of model.threads) {
      if (th.template !== t) continue;
      byCpu.set(th.cpu, [...(byCpu.get(th.cpu) ?? []), th.index]);
    }
    for (const g of byCpu.values()) if (g.length >= 2) groups.push(g);
  }
  return groups;
}

export interface SymmetryAnalysis {
  groups: number[][];
  diagnostics: Diagnostic[];
  canonicalizer: Canonicalizer | null; // null when refused, or when no two threads are interchangeable
}

/**
 * Decides whether symmetry reduction is sound for the compiled model and the properties to be checked
 * (`wanted`), and builds the canonicalizer if it is.
 */
export function analyseSymmetry(m: CompiledModel, wanted: (name: string) => boolean = () => true): SymmetryAnalysis {
  const groups = symmetryGroups(m.model);
  if (groups.length === 0) return { groups, diagnostics: [], canonicalizer: null };
  const a = new Analysis(m, groups, wanted);
  const diagnostics = a.run();
  if (diagnostics.length > 0) return { groups, diagnostics, canonicalizer: null };
  return { groups, diagnostics, canonicalizer: new Canonicalizer(m, groups, a) };
}

// ---------------------------------------------------------------------------------------------------------
// The analysis: a fixpoint over the lowered code of every template and the properties. Classes only go up
// (none → plain/idx/tid → conflict), so it ends; a last pass with the final classes reports what is refused.

/** What the analysis found, as the canonicalizer needs it. */
export interface SymmetryFacts {
  readonly elem: ReadonlyMap<Var, Cls>;
  readonly index: ReadonlyMap<Var, Cls>;
  readonly locals: ReadonlyMap<TemplateProgram, ReadonlyMap<string, { cls: "idx" | "tid"; gated: boolean }>>;
}

class Analysis implements SymmetryFacts {
  readonly elem = new Map<Var, Cls>(); // what the values of a variable (or its elements) are
  readonly index = new Map<Var, Cls>(); // what an array is indexed by
  private readonly addressed = new Map<Var, Span>();
  private readonly groupOf: Int32Array;
  private readonly n: number;
  private changed = false;
  private checking = false;
  private readonly found = new Map<string, Diagnostic>();
  /** Per template program, per local storage key: how the local is permuted (see `localPlans`). */
  readonly locals = new Map<TemplateProgram, Map<string, { cls: "idx" | "tid"; gated: boolean }>>();

  constructor(
    readonly m: CompiledModel,
    readonly groups: number[][],
    private readonly wanted: (name: string) => boolean,
  ) {
    this.n = m.threads.length;
    this.groupOf = new Int32Array(this.n).fill(-1);
    groups.forEach((g, i) => g.forEach((t) => (this.groupOf[t] = i)));
  }

  run(): Diagnostic[] {
    const model = this.m.model;
    for (const v of model.globals) if (v.type.kind === "tid") this.elem.set(v, "tid");
    for (const p of this.m.programs)
      for (const bodies of p.bodies.values())
        for (const b of bodies) for (const v of b.locals) if (v.type.kind === "tid") this.elem.set(v, "tid");
    do {
      this.changed = false;
      this.pass();
    } while (this.changed);
    this.checking = true;
    this.pass();
    this.checkVariables();
    for (const p of model.properties)
      if ((p.kind === "leads_to" || p.kind === "always_eventually") && this.wanted(p.name))
        this.bad(
          p.span,
          `liveness property '${p.name}' cannot be checked with --symmetry (the reduced graph does not keep the fairness of each thread); check it without --symmetry, or select safety properties with --property`,
        );
    if (this.m.options.deadReset === false)
      this.bad(
        model.program.decls.find((d) => d.kind === "model")?.span ?? model.program.span,
        "--symmetry needs dead locals reset (a dead local's stale thread identity could not be renamed); drop --no-dead-reset",
      );
    return [...this.found.values()].sort(
      (a, b) => a.span.file.localeCompare(b.span.file) || a.span.offset - b.span.offset,
    );
  }

  private bad(span: Span, message: string): void {
    if (!this.checking) return;
    const key = `${span.file}:${span.offset}:${message}`;
    if (!this.found.has(key)) this.found.set(key, error(SYMMETRY_ERROR, `--symmetry: ${message}`, span));
  }

  private raise(map: Map<Var, Cls>, v: Var, k: Kind): void {
    if (isConst(k) || k === "none") return;
    const before = map.get(v) ?? "none";
    const after = join(before, k === "conflict" ? "conflict" : k);
    if (after !== before) {
      map.set(v, after);
      this.changed = true;
    }
  }

  private cls(v: Var): Cls {
    if (v.type.kind === "tidset" || v.type.kind === "tidqueue") return "plain";
    return this.elem.get(v) ?? "none";
  }

  private threadName(t: number): string {
    return this.m.threads[t]?.name ?? `thread ${t}`;
  }

  /** Whether thread number `c` is one no permutation moves. */
  private fixed(c: number): boolean {
    return !Number.isInteger(c) || c < 0 || c >= this.n || this.groupOf[c] < 0;
  }

  /** A constant used as a thread number (`idx`) or a TID (`tid`) must name a thread no permutation moves. */
  private constant(c: number, as: "idx" | "tid", span: Span): void {
    const t = as === "tid" ? c - 1 : c;
    if (as === "tid" && c === 0) return; // TID 0 is "no thread"
    if (this.fixed(t)) return;
    const others = this.groups[this.groupOf[t]].filter((x) => x !== t).map((x) => this.threadName(x));
    this.bad(
      span,
      `this names thread ${t} (${this.threadName(t)}) by ${as === "tid" ? "its TID" : "its number"}, which tells it apart from ${others.join(", ")}; quantify over threads instead`,
    );
  }

  /** `e` is used where a thread is expected (a thread predicate, `tid()`, push/remove, `in`). */
  private threadArg(e: Expr, bound: Map<string, Kind>): void {
    const k = this.kind(e, bound);
    if (k === "none") this.demand(e, "idx");
    else if (isConst(k)) this.constant(k.c, this.numberIsTid(e) ? "tid" : "idx", e.span);
    else if (!isThread(k)) this.bad(e.span, "this names a thread by a computed number, which tells threads apart");
  }

  private numberIsTid(e: Expr): boolean {
    const t = this.m.model.types.get(e);
    return t?.kind === "num" && t.tid;
  }

  /** A variable read that is not classified yet gets the class its use needs. */
  private demand(e: Expr, k: "idx" | "tid"): void {
    if (e.kind === "paren") return this.demand(e.inner, k);
    const v = this.varOf(e.kind === "index" ? e.base : e);
    if (v !== null) this.raise(this.elem, v, k);
  }

  private varOf(e: Expr): Var | null {
    if (e.kind === "paren") return this.varOf(e.inner);
    const r = this.m.model.resolutions.get(e);
    return r?.kind === "global" || r?.kind === "local" ? r.v : null;
  }

  private cond(e: Expr, bound: Map<string, Kind>): void {
    const k = this.kind(e, bound);
    if (k === "idx")
      this.bad(e.span, `a thread number used as a condition is false only for thread 0, which tells it apart`);
  }

  private kind(e: Expr, bound: Map<string, Kind>): Kind {
    const model = this.m.model;
    switch (e.kind) {
      case "num":
        return { c: Number(e.value) };
      case "bool":
      case "null":
      case "this_cpu": // threads are interchangeable only on one CPU
        return "plain";
      case "self":
        return "idx";
      case "paren":
        return this.kind(e.inner, bound);
      case "name": {
        const r = model.resolutions.get(e);
        if (r === undefined) return "plain";
        switch (r.kind) {
          case "const":
            return { c: r.value };
          case "global":
          case "local":
            return this.cls(r.v);
          case "bound":
            return bound.get(r.name) ?? "plain";
          case "thread_index":
            return this.templateIndex(r.template, e.span);
        }
        return "plain";
      }
      case "index": {
        const v = this.varOf(e.base);
        const k = this.kind(e.index, bound);
        if (v === null) return "plain";
        this.indexUse(v, k, e.index);
        return this.cls(v);
      }
      case "call":
        return this.call(e.callee.name, e.args, bound, e.span);
      case "unary": {
        if (e.op === "&") {
          const v = this.varOf(e.operand.kind === "index" ? e.operand.base : e.operand);
          if (e.operand.kind === "index") this.kind(e.operand, bound);
          if (v !== null && !this.addressed.has(v)) this.addressed.set(v, e.span);
          return "plain";
        }
        const k = this.kind(e.operand, bound);
        if (e.op === "!") {
          if (k === "idx") this.cond(e.operand, bound);
          return "plain";
        }
        if (isThread(k)) this.bad(e.span, `'${e.op}' on a thread identity tells threads apart`);
        return e.op === "*" ? "plain" : isConst(k) && e.op === "-" ? { c: -k.c } : "plain";
      }
      case "binary":
        return this.binary(e, bound);
      case "quant": {
        const inner = new Map(bound);
        inner.set(e.variable.name, e.domain.kind === "threads" ? "idx" : "plain");
        if (e.domain.kind === "range") {
          this.kind(e.domain.lo, bound);
          this.kind(e.domain.hi, bound);
        }
        this.cond(e.body, inner);
        return "plain";
      }
    }
  }

  private binary(e: Expr & { kind: "binary" }, bound: Map<string, Kind>): Kind {
    const folded = this.m.model.constValues.get(e);
    if (e.op === "in") {
      this.threadArg(e.left, bound);
      this.kind(e.right, bound);
      return "plain";
    }
    if (e.op === "&&" || e.op === "||" || e.op === "=>") {
      this.cond(e.left, bound);
      this.cond(e.right, bound);
      return "plain";
    }
    const l = this.kind(e.left, bound);
    const r = this.kind(e.right, bound);
    if (e.op === "==" || e.op === "!=") {
      this.compare(e.left, l, e.right, r);
      return "plain";
    }
    if (isThread(l) || isThread(r)) {
      this.bad(e.span, `'${e.op}' on a thread identity tells threads apart (only == and != do not)`);
      return "plain";
    }
    if (folded !== undefined) return { c: folded };
    if (isConst(l) && isConst(r)) {
      const v = fold(e.op, l.c, r.c);
      if (v !== null) return { c: v };
    }
    return "plain";
  }

  /** Equality is kept by every permutation, between identities of the same kind. */
  private compare(le: Expr, l: Kind, re: Expr, r: Kind): void {
    for (const [a, b, be] of [
      [l, r, re],
      [r, l, le],
    ] as const) {
      if (!isThread(a)) continue;
      if (b === "none") this.demand(be, a);
      else if (isConst(b)) this.constant(b.c, a, be.span);
      else if (b !== a)
        this.bad(
          be.span,
          b === "idx" || b === "tid"
            ? "a thread number compared with a TID (convert one with tid() or idx())"
            : "a thread identity compared with a value that is not one",
        );
    }
  }

  private templateIndex(t: TemplateInfo, span: Span): Kind {
    const grouped = this.m.threads.some((th) => th.template === t && this.groupOf[th.index] >= 0);
    if (!grouped) return "plain"; // each of its threads stands alone: the index is just a number
    if (t.first === t.indexLo) return "idx"; // the index is the thread number
    this.bad(
      span,
      `the index of ${t.name} runs from ${t.indexLo} but its threads are numbers ${t.first}..${t.first + t.count - 1}, so it is not a thread number; use self`,
    );
    return "plain";
  }

  private indexUse(v: Var, k: Kind, index: Expr): void {
    if (k === "none") {
      if ((this.index.get(v) ?? "none") === "idx") this.demand(index, "idx");
      return;
    }
    this.raise(this.index, v, k);
    const ic = this.index.get(v) ?? "none";
    if (k === "tid") this.bad(index.span, "a TID used as an array index (index by a thread number: idx(t))");
    else if (ic === "idx" && isConst(k)) this.constant(k.c, "idx", index.span);
    else if (ic === "conflict")
      this.bad(index.span, `'${v.name}' is indexed both by thread numbers and by other numbers`);
  }

  /** `target = value` (also parameter passing and return values, which lowering made assignments). */
  private assign(target: Expr, k: Kind, value: Expr | null, valueSpan: Span, bound: Map<string, Kind>): void {
    if (target.kind === "unary" && target.op === "*") {
      this.kind(target.operand, bound);
      if (isThread(k)) this.bad(valueSpan, "a thread identity stored through an address");
      return;
    }
    const v = this.varOf(target.kind === "index" ? target.base : target);
    if (target.kind === "index") this.indexUse(v!, this.kind(target.index, bound), target.index);
    if (v === null) return;
    this.raise(this.elem, v, k);
    const c = this.cls(v);
    if (k === "none" && isThread(c) && value !== null) this.demand(value, c);
    if (!this.checking) return;
    if (isConst(k)) {
      if (c === "idx" || c === "tid") this.constant(k.c, c, valueSpan);
    } else if (c === "conflict" || (isThread(c) && k !== c && k !== "none"))
      this.bad(valueSpan, `'${v.name}' holds both thread identities and other values`);
  }

  private call(name: string, args: Expr[], bound: Map<string, Kind>, span: Span): Kind {
    if (THREAD_PREDICATES.has(name)) {
      this.threadArg(args[0], bound);
      return "plain";
    }
    switch (name) {
      case "tid": {
        const k = this.kind(args[0], bound);
        if (k === "none") this.demand(args[0], "idx");
        if (isConst(k)) return { c: k.c + 1 };
        if (k !== "idx" && k !== "none") this.bad(span, "tid() of a number that is not a thread number");
        return "tid";
      }
      case "idx": {
        const k = this.kind(args[0], bound);
        if (k === "none") this.demand(args[0], "tid");
        if (isConst(k)) return { c: k.c - 1 };
        if (k !== "tid" && k !== "none") this.bad(span, "idx() of a number that is not a TID");
        return "idx";
      }
      case "head":
      case "pop":
        this.kind(args[0], bound);
        return "tid";
      case "push":
      case "remove":
        this.kind(args[0], bound);
        this.threadArg(args[1], bound);
        return "plain";
      default:
        for (const a of args) {
          const k = this.kind(a, bound);
          if (ATOMICS.has(name) && isThread(k)) this.bad(a.span, "a thread identity stored through an address");
        }
        return "plain";
    }
  }

  private pass(): void {
    const none = new Map<string, Kind>();
    for (const prog of this.m.programs) {
      for (const ins of prog.code) {
        const op = ins.op;
        switch (op.k) {
          case "assign":
            this.assign(op.target, this.kind(op.value, none), op.value, op.value.span, none);
            break;
          case "builtin": {
            const k = this.call(op.name, op.args, none, ins.span);
            if (op.name === "spin_lock" || op.name === "spin_unlock") {
              // The lock holds the holder's TID (a bool lock holds 1).
              const v = this.varOf(op.args[0].kind === "index" ? op.args[0].base : op.args[0]);
              if (op.args[0].kind === "index") this.kind(op.args[0], none);
              if (v !== null && v.type.kind !== "bool") this.assign(op.args[0], "tid", null, op.args[0].span, none);
            }
            if (op.dest !== null) this.assign(op.dest, k, null, ins.span, none);
            break;
          }
          case "branch":
          case "assert":
          case "await":
            this.cond(op.cond, none);
            break;
          case "choose": {
            // A choice over every thread number is the same set under any permutation; any other range
            // is a plain number.
            const all =
              op.local.type.kind === "tid" ? op.lo === 0 && op.hi === this.n : op.lo === 0 && op.hi === this.n - 1;
            if (!all) this.raise(this.elem, op.local, "plain");
            if (op.where !== null) this.cond(op.where, none);
            break;
          }
          default:
            break;
        }
      }
    }
    for (const p of this.m.model.properties) {
      if (!this.wanted(p.name)) continue;
      if (p.kind === "leads_to") {
        this.cond(p.from, none);
        this.cond(p.to, none);
      } else this.cond(p.expr, none);
    }
  }

  private checkVariables(): void {
    const n = this.n;
    for (const v of this.m.model.globals) {
      const c = this.cls(v);
      const ic = this.index.get(v) ?? "none";
      const span = v.decl.span;
      if (ic === "idx" && (v.size !== n || v.space === "percpu"))
        this.bad(
          span,
          v.space === "percpu"
            ? `'${v.name}' is a percpu variable indexed by a thread number`
            : `'${v.name}' is indexed by thread numbers but has ${v.size ?? 1} elements, not one per thread (${n})`,
        );
      if (isThread(c) || c === "conflict" || ic === "idx" || ic === "conflict") {
        const at = this.addressed.get(v);
        if (at !== undefined)
          this.bad(at, `the address of '${v.name}' is taken, but it holds thread identities or is indexed by thread`);
      }
      if (isThread(c)) {
        if (v.type.kind === "int" && v.type.lo !== 0)
          this.bad(span, `'${v.name}' holds thread identities but its range does not start at 0`);
        for (const init of new Set(v.init)) this.constant(init, c, span);
      }
      if (c === "conflict") this.bad(span, `'${v.name}' holds both thread identities and other values`);
    }
    for (const prog of this.m.programs) this.localPlans(prog);
  }

  /**
   * Thread-identity locals. A TID local whose first value is 0 ("no thread") and that has storage of its
   * own is renamed at every pc (dead ones hold 0, which every permutation keeps). Any other identity local
   * is renamed only where it is live: its storage may be shared with other locals, and a dead one holds
   * its first value, which is not an identity. That needs the local never to be read before it is written
   * (else its first value would be read as thread 0), and no signal handler (which keeps the interrupted
   * code's locals without them being live). A local never live where a step ends needs nothing.
   */
  private localPlans(prog: TemplateProgram): void {
    const plans = new Map<string, { cls: "idx" | "tid"; gated: boolean }>();
    this.locals.set(prog, plans);
    const t = prog.template.first;
    const tl = this.m.layout.threads[t];
    const stands = standingPcs(prog);
    const entryOf: Record<Frame, number> = { main: prog.entry, handler: prog.handlerEntry, exit: prog.exitEntry };
    const fieldKey = (f: Field) => `${f.word}:${f.shift}`;
    const owners = new Map<string, number>();
    for (const vl of tl.locals.values())
      for (const f of vl.fields) owners.set(fieldKey(f), (owners.get(fieldKey(f)) ?? 0) + 1);
    for (const [frame, bodies] of prog.bodies) {
      for (const body of bodies) {
        for (const v of body.locals) {
          const c = this.cls(v);
          const ic = this.index.get(v) ?? "none";
          if (c === "conflict") this.bad(v.span, `'${v.name}' holds both thread identities and other values`);
          if (!isThread(c) && ic !== "idx" && ic !== "conflict") continue;
          if (v.size !== null) {
            this.bad(
              v.span,
              `the local array '${v.name}' holds thread identities or is indexed by thread; use a global array`,
            );
            continue;
          }
          if (!isThread(c)) continue;
          const key = localKey(v, frame);
          const vl = tl.locals.get(key);
          if (vl === undefined) continue;
          const liveAt = (pc: number) => prog.code[pc].frame === frame && this.m.localIsLive(t, key, pc);
          if (!stands.some(liveAt)) continue; // only ever holds an identity within one step
          const lo = v.type.kind === "int" ? v.type.lo : 0;
          if (lo !== 0) {
            this.bad(v.span, `'${v.name}' holds thread identities but its range does not start at 0`);
            continue;
          }
          const own = vl.fields.every((f) => owners.get(fieldKey(f)) === 1);
          if (c === "tid" && own) {
            plans.set(key, { cls: c, gated: false });
            continue;
          }
          const entry = entryOf[frame];
          if (entry !== 0 && this.m.localIsLive(t, key, entry))
            this.bad(
              v.span,
              `'${v.name}' holds a thread ${c === "idx" ? "number" : "identity"} but may be read before it is written${c === "idx" ? " (its first value would be thread 0)" : ""}`,
            );
          else if (prog.template.handler !== null && frame === "main")
            this.bad(
              v.span,
              `'${v.name}' keeps a thread ${c === "idx" ? "number" : "identity"} across steps in a thread with a signal handler; declare it 'tid'`,
            );
          else plans.set(key, { cls: c, gated: true });
        }
      }
    }
  }
}

function fold(op: string, a: number, b: number): number | null {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    default:
      return null;
  }
}

/** The pcs where a thread can stand between steps: where a step ends, and the entry points. */
function standingPcs(prog: TemplateProgram): number[] {
  const out = new Set<number>([prog.entry, prog.handlerEntry, prog.exitEntry].filter((p) => p !== 0));
  for (const from of prog.code.slice(1)) {
    for (const to of successors(from, prog)) {
      if (to === 0) continue;
      const target: Instruction = prog.code[to];
      const cont = (from.atomic !== 0 && target.atomic === from.atomic) || isTransient(target);
      if (!cont) out.add(to);
    }
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------
// Permuting and canonicalising states.

interface Slot {
  word: number;
  shift: number;
  mask: number;
}

const slotOf = (f: Field): Slot => ({ word: f.word, shift: f.shift, mask: f.mask });
const rd = (s: Uint32Array, f: Slot): number => (f.mask === 0xffffffff ? s[f.word] : (s[f.word] >>> f.shift) & f.mask);
const wr = (s: Uint32Array, f: Slot, v: number): void => {
  if (f.mask === 0xffffffff) s[f.word] = v >>> 0;
  else s[f.word] = ((s[f.word] & ~(f.mask << f.shift)) | ((v & f.mask) << f.shift)) >>> 0;
};

const RAW = 0;
const IDX = 1;
const TID = 2;
const SET = 3;

interface ThreadEntry {
  slot: Slot;
  /** How the value is renamed: RAW, IDX or TID for every pc, or per pc (renamed only where live). */
  cls: number;
  byPc: Uint8Array | null;
}

interface ArrayPlan {
  fields: Slot[]; // n elements × slots
  slots: number;
  cls: number;
}

export class Canonicalizer {
  private readonly n: number;
  private readonly pcs: Slot[];
  private readonly entries: ThreadEntry[][]; // by thread; the same order for threads of one template
  private readonly values: { slot: Slot; cls: number }[] = []; // global identity fields, tid sets, queue slots
  private readonly queues: Slot[][] = [];
  private readonly arrays: ArrayPlan[] = [];
  private readonly groupOf: Int32Array;
  private readonly sigma: Int32Array;
  private readonly tmp: Uint32Array;
  private readonly best: Uint32Array;
  private readonly work: Uint32Array;

  constructor(
    m: CompiledModel,
    readonly groups: number[][],
    a: SymmetryFacts,
  ) {
    this.n = m.threads.length;
    this.groupOf = new Int32Array(this.n).fill(-1);
    groups.forEach((g, i) => g.forEach((t) => (this.groupOf[t] = i)));
    this.sigma = new Int32Array(this.n);
    this.tmp = new Uint32Array(m.stateWords);
    this.best = new Uint32Array(m.stateWords);
    this.work = new Uint32Array(m.stateWords);
    const L = m.layout;
    this.pcs = L.threads.map((tl) => slotOf(tl.pc));
    this.entries = m.threads.map((th) => {
      const tl = L.threads[th.index];
      const prog = m.programOf(th.index);
      const plans = a.locals.get(prog)!;
      const out: ThreadEntry[] = [];
      for (const f of [tl.pc, tl.killed, tl.pendKill, tl.pendSig, tl.inHandler, tl.retPc, tl.sigBlocked, tl.preempt])
        if (f !== null) out.push({ slot: slotOf(f), cls: RAW, byPc: null });
      for (const f of tl.counters) out.push({ slot: slotOf(f), cls: RAW, byPc: null });
      // Locals, one entry per storage field (locals that never live together share one).
      const byField = new Map<string, { slot: Slot; keys: string[] }>();
      for (const key of [...tl.locals.keys()].sort()) {
        for (const f of tl.locals.get(key)!.fields) {
          const k = `${f.word}:${f.shift}`;
          if (!byField.has(k)) byField.set(k, { slot: slotOf(f), keys: [] });
          byField.get(k)!.keys.push(key);
        }
      }
      for (const { slot, keys } of byField.values()) {
        let cls = RAW;
        let byPc: Uint8Array | null = null;
        for (const key of keys) {
          const p = plans.get(key);
          if (p === undefined) continue;
          const c = p.cls === "idx" ? IDX : TID;
          if (!p.gated) cls = c;
          else {
            byPc ??= new Uint8Array(prog.code.length);
            const frame = key.slice(0, key.indexOf(":")) as Frame;
            for (let pc = 1; pc < prog.code.length; pc++)
              if (prog.code[pc].frame === frame && m.localIsLive(th.index, key, pc)) byPc[pc] = c;
          }
        }
        out.push({ slot, cls, byPc });
      }
      return out;
    });
    for (const [v, vl] of L.globals) {
      const c = a.elem.get(v) ?? "none";
      const cls =
        v.type.kind === "tidset" ? SET : v.type.kind === "tidqueue" || c === "tid" ? TID : c === "idx" ? IDX : RAW;
      if ((a.index.get(v) ?? "none") === "idx") {
        this.arrays.push({ fields: vl.fields.map(slotOf), slots: vl.slots, cls });
        continue;
      }
      if (cls !== RAW) for (const f of vl.fields) this.values.push({ slot: slotOf(f), cls });
      if (v.type.kind === "tidqueue") queuesOf(vl).forEach((q) => this.queues.push(q));
    }
  }

  /** `dst` = the state `src` with thread t renamed sigma[t]. */
  private apply(sigma: Int32Array, src: Uint32Array, dst: Uint32Array): void {
    dst.set(src);
    const n = this.n;
    for (let t = 0; t < n; t++) {
      const from = this.entries[t];
      const to = this.entries[sigma[t]];
      const pc = rd(src, this.pcs[t]);
      for (let k = 0; k < from.length; k++) {
        const e = from[k];
        let v = rd(src, e.slot);
        const cls = e.byPc === null ? e.cls : e.byPc[pc];
        if (cls !== RAW) v = this.rename(sigma, v, cls);
        wr(dst, to[k].slot, v);
      }
    }
    for (const { slot, cls } of this.values) wr(dst, slot, this.rename(sigma, rd(src, slot), cls));
    for (const a of this.arrays) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < a.slots; k++) {
          const v = rd(src, a.fields[j * a.slots + k]);
          wr(dst, a.fields[sigma[j] * a.slots + k], a.cls === RAW ? v : this.rename(sigma, v, a.cls));
        }
      }
    }
  }

  private rename(sigma: Int32Array, v: number, cls: number): number {
    switch (cls) {
      case IDX:
        return v >= 0 && v < this.n ? sigma[v] : v;
      case TID:
        return v >= 1 && v <= this.n ? sigma[v - 1] + 1 : v;
      case SET: {
        let out = 0;
        for (let k = 0; k < this.n; k++) if (v & (2 ** k)) out += 2 ** sigma[k];
        return out;
      }
      default:
        return v;
    }
  }

  /** What a renamed value says about thread t without naming any thread a permutation moves. */
  private abstract(v: number, cls: number, t: number): number {
    if (cls === TID) {
      if (v === 0) return 0;
      v -= 1;
    }
    if (v === t) return 1;
    if (v < 0 || v >= this.n) return 1_000_000 + v;
    const g = this.groupOf[v];
    return g >= 0 ? 2 + g : 2 + this.groups.length + v;
  }

  /** An identity-free description of thread t in s: equal for t in s and for π(t) in π(s). */
  private key(s: Uint32Array, t: number): number[] {
    const out: number[] = [];
    const pc = rd(s, this.pcs[t]);
    for (const e of this.entries[t]) {
      const v = rd(s, e.slot);
      const cls = e.byPc === null ? e.cls : e.byPc[pc];
      out.push(cls === RAW ? v : this.abstract(v, cls, t));
    }
    for (const a of this.arrays) {
      for (let k = 0; k < a.slots; k++) {
        const v = rd(s, a.fields[t * a.slots + k]);
        if (a.cls === SET) out.push((v & (2 ** t)) !== 0 ? 1 : 0, popcount(v));
        else out.push(a.cls === RAW ? v : this.abstract(v, a.cls, t));
      }
    }
    for (const { slot, cls } of this.values) {
      const v = rd(s, slot);
      if (cls === SET) out.push((v & (2 ** t)) !== 0 ? 1 : 0);
      else if (cls === TID) out.push(v === t + 1 ? 1 : 0);
      else out.push(v === t ? 1 : 0);
    }
    for (const q of this.queues) {
      let pos = 0;
      for (let k = 0; k < q.length; k++) if (rd(s, q[k]) === t + 1) pos = k + 1;
      out.push(pos);
    }
    return out;
  }

  /** Replaces `s` by the representative of its orbit. */
  readonly canonicalize = (s: Uint32Array): void => {
    const sigma = this.sigma;
    for (let t = 0; t < this.n; t++) sigma[t] = t;
    const ties: number[][] = []; // blocks of slots whose threads have equal keys (after sorting)
    for (const g of this.groups) {
      const keyed = g.map((t) => ({ t, k: this.key(s, t) }));
      keyed.sort((a, b) => compareKeys(a.k, b.k));
      keyed.forEach((x, r) => (sigma[x.t] = g[r]));
      for (let r = 0; r < keyed.length; ) {
        let e = r + 1;
        while (e < keyed.length && compareKeys(keyed[r].k, keyed[e].k) === 0) e++;
        if (e - r > 1) ties.push(g.slice(r, e));
        r = e;
      }
    }
    const x = this.tmp;
    this.apply(sigma, s, x);
    // A block whose every transposition leaves x unchanged gives x in every order: nothing to try.
    const open = ties.filter((block) => block.slice(1).some((b) => !this.swapFixes(x, block[0], b)));
    if (open.length === 0) {
      s.set(x);
      return;
    }
    this.best.set(x);
    const perm = new Int32Array(this.n);
    const rec = (i: number): void => {
      if (i === open.length) {
        this.apply(perm, x, this.work);
        if (compareStates(this.work, this.best) < 0) this.best.set(this.work);
        return;
      }
      const block = open[i];
      permutations(block, (p) => {
        block.forEach((b, j) => (perm[b] = p[j]));
        rec(i + 1);
      });
      block.forEach((b) => (perm[b] = b));
    };
    for (let t = 0; t < this.n; t++) perm[t] = t;
    rec(0);
    s.set(this.best);
  };

  private swapFixes(x: Uint32Array, a: number, b: number): boolean {
    const perm = new Int32Array(this.n);
    for (let t = 0; t < this.n; t++) perm[t] = t;
    perm[a] = b;
    perm[b] = a;
    this.apply(perm, x, this.work);
    return compareStates(this.work, x) === 0;
  }

  /** The state `s` with thread t renamed `sigma[t]` (for tests). */
  permute(s: Uint32Array, sigma: ArrayLike<number>): Uint32Array {
    const out = new Uint32Array(s.length);
    this.apply(Int32Array.from(sigma), s, out);
    return out;
  }
}

function queuesOf(vl: VarLayout): Slot[][] {
  const out: Slot[][] = [];
  for (let i = 0; i < vl.fields.length; i += vl.slots) out.push(vl.fields.slice(i, i + vl.slots).map(slotOf));
  return out;
}

function popcount(v: number): number {
  let c = 0;
  for (let x = v >>> 0; x !== 0; x >>>= 1) c += x & 1;
  return c;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function compareStates(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Calls `f` with every ordering of `items` (Heap's algorithm; `f` must not keep the array). */
function permutations(items: number[], f: (p: number[]) => void): void {
  const a = [...items];
  const c = new Array<number>(a.length).fill(0);
  f(a);
  for (let i = 1; i < a.length; ) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [a[j], a[i]] = [a[i], a[j]];
      f(a);
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/** `--symmetry` refused: the model or its properties can tell interchangeable threads apart. */
export class SymmetryRefused extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  }
}

/**
 * The canonicalising function for `check --symmetry`, or undefined when no two threads are interchangeable
 * (the reduction is then the identity). Throws SymmetryRefused when the reduction would be unsound.
 */
export function symmetryFor(
  m: CompiledModel,
  wanted: (name: string) => boolean = () => true,
  sources?: ReadonlyMap<string, string>,
): ((s: Uint32Array) => void) | undefined {
  const a = analyseSymmetry(m, wanted);
  if (a.diagnostics.length > 0) throw new SymmetryRefused(a.diagnostics, sources);
  return a.canonicalizer?.canonicalize;
}

/** The compiled model as a transition system whose successors are stored as representatives. */
export function withSymmetry(m: CompiledModel, canonicalize: (s: Uint32Array) => void): TransitionSystem {
  return {
    stateWords: m.stateWords,
    predicates: m.predicates,
    initial: () => m.initial(),
    successors: (s, emit, fault) => m.successors(s, emit, fault),
    isValidEnd: (s) => m.isValidEnd(s),
    threadCount: m.threadCount,
    stepIndependent: (s, t) => m.stepIndependent(s, t),
    threadSuccessors: (s, t, emit, fault) => m.threadSuccessors(s, t, emit, fault),
    canonicalize,
  };
}
