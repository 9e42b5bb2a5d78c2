// Generates JavaScript for a compiled model: per thread, a run function that executes one step (a loop over a
// switch on the program counter, merging thread-local instructions and atomic blocks; split into several
// functions for a large template), helper functions for dynamic array access and quantifiers, and one
// function per property.
import type { Expr } from "../grammar/ast.js";
import type { CheckedModel, GlobalVar, LocalVar, Resolution, Type, ValueType } from "../grammar/model.js";
import type { Frame, Instruction, TemplateProgram } from "./ir.js";
import { mask, readSource, writeSource, type Field } from "./layout.js";
import { localKey, type StateLayout, type VarLayout } from "./state-layout.js";

/** Where the expression being compiled runs: in a template's code (with its locals) or in a property. */
interface Where {
  prog: TemplateProgram | null;
  thread: number; // the thread whose code this is (-1 in properties)
  frame: Frame;
  bound: string[]; // quantifier variables in scope (JS names)
}

export const MAX_STEP_INSTRUCTIONS = 100_000;
/** Instructions per generated function (see runFunction). */
const CHUNK_INSTRUCTIONS = 12;
/** States of at most this many words are copied word by word. */
const SCALAR_COPY_WORDS = 8;

export class CodeGen {
  private readonly helpers: string[] = [];
  private helperCount = 0;
  private readonly arrayHelpers = new Map<string, string>();
  private steps = new UnionFind(0); // the template being generated: pcs one step can run through together

  constructor(
    private readonly model: CheckedModel,
    private readonly layout: StateLayout,
    /** The program of each thread (threads of one template share it); code is generated per thread. */
    private readonly programs: TemplateProgram[],
    private readonly sources: ReadonlyMap<string, string>,
  ) {}

  /** The whole module: `new Function("R", source)` returns { run: [...per template], props: [...] }. */
  generate(): string {
    const runs = this.programs.map((p, thread) => this.runFunction(p, thread));
    const props = this.model.properties.map((p, i) => {
      const where: Where = { prog: null, thread: -1, frame: "main", bound: [] };
      const body =
        p.kind === "leads_to" ? `[${this.cond(p.from, where)}, ${this.cond(p.to, where)}]` : this.cond(p.expr, where);
      return `function prop_${i}(w) { return ${body}; }`;
    });
    return [
      `"use strict";`,
      `const current = R.current;`,
      ...this.helpers,
      ...runs,
      this.stepsFunction(),
      ...props,
      `return { run: [${this.programs.map((_, i) => `run_${i}`).join(", ")}], steps, props: [${this.model.properties.map((_, i) => `prop_${i}`).join(", ")}] };`,
    ].join("\n");
  }

  /** Every thread's steps from state `s`. A thread whose CPU has another thread with preemption off waits. */
  private stepsFunction(): string {
    const threads = this.layout.threads;
    const preempting = threads.some((tl) => tl.preempt !== null);
    const lines: string[] = [`function steps(s) {`, `  const w = R.buf(0);`, `  let pc;`];
    if (preempting) {
      for (let c = 0; c < this.model.cpus; c++) lines.push(`  let h${c} = -1;`);
      threads.forEach((tl, t) => {
        lines.push(
          `  if (${readSource("s", tl.pc)} !== 0 && ${readSource("s", tl.preempt!)} > 0) h${this.model.threads[t].cpu} = ${t};`,
        );
      });
    }
    threads.forEach((tl, t) => {
      const c = this.model.threads[t].cpu;
      const gate = preempting ? ` && (h${c} < 0 || h${c} === ${t})` : "";
      lines.push(`  pc = ${readSource("s", tl.pc)};`);
      lines.push(
        `  if (pc !== 0${gate}) { ${this.copy("w", "s")} current.kind = "step"; current.thread = ${t}; current.pc = pc; try { run_${t}(w, ${t}, pc, 0, 0); } catch (e) { R.stepFailed(e); } }`,
      );
    });
    lines.push(`}`);
    return lines.join("\n");
  }

  /** Copies state `src` into `dst`: word by word for a short state (a call to `set` costs more than the
   *  copy). */
  private copy(dst: string, src: string): string {
    const words = this.layout.words;
    if (words > SCALAR_COPY_WORDS) return `${dst}.set(${src});`;
    return Array.from({ length: words }, (_, i) => `${dst}[${i}] = ${src}[${i}];`).join(" ");
  }

  // ---------- per template ----------
  private runFunction(prog: TemplateProgram, thread: number): string {
    this.steps = new UnionFind(prog.code.length);
    const cases = new Map<number, string>();
    for (const ins of prog.code)
      if (ins.pc !== 0) cases.set(ins.pc, `case ${ins.pc}: {\n${this.instruction(prog, thread, ins)}\n}`);
    // `seen`: whether this step has run a visible instruction yet. A step that starts at a thread-local
    // instruction (a thread's first, the exit path after a kill, a handler's entry) runs on into the next
    // visible one; forks (either, choose) are visible, so a recursive call has seen one.
    const loop = (
      name: string,
      params: string,
      prologue: string,
      pcs: number[],
      otherPc: string,
    ) => `function ${name}(${params}) {${prologue}
  for (;;) {
    if (++n > ${MAX_STEP_INSTRUCTIONS}) R.fail("a step of " + R.threadName(t) + " does not end: a loop without a shared access or inside atomic runs forever");
    switch (pc) {
${pcs.map((pc) => cases.get(pc)).join("\n")}
      default: ${otherPc}
    }
  }
}`;
    const chunks = this.chunks(prog);
    if (chunks.length === 1)
      return loop(
        `run_${thread}`,
        "w, t, pc, n, lvl",
        "\n  let seen = n > 0;",
        chunks[0],
        `R.fail("internal: bad pc " + pc);`,
      );
    // The optimising compiler's time grows faster than a function's size, and each first run of an
    // instruction that the optimised code has not seen throws it away: a large template would run
    // unoptimised for much of a short search. Its instructions are split into functions of about
    // CHUNK_INSTRUCTIONS instructions, keeping together the instructions a step runs through once it has
    // run a visible one (so a step changes function at most once, from a thread-local start: no deep calls).
    const chunkOf = new Array<number>(prog.code.length).fill(-1); // pc 0 and bad pcs: enter_t fails
    chunks.forEach((pcs, k) => pcs.forEach((pc) => (chunkOf[pc] = k)));
    const params = "w, t, pc, n, lvl, seen";
    return `${chunks.map((pcs, k) => loop(`run_${thread}_${k}`, params, "", pcs, `return enter_${thread}(${params});`)).join("\n")}
const chunk_${thread} = [${chunkOf.join(", ")}];
function enter_${thread}(${params}) {
  switch (chunk_${thread}[pc]) {
${chunks.map((_, k) => `    case ${k}: return run_${thread}_${k}(${params});`).join("\n")}
    default: R.fail("internal: bad pc " + pc);
  }
}
function run_${thread}(w, t, pc, n, lvl) {
  return enter_${thread}(w, t, pc, n, lvl, n > 0);
}`;
  }

  /** The template's pcs in groups of at most CHUNK_INSTRUCTIONS (unless one step runs through more): the
   *  instructions a step can pass through (joined in `this.steps` as its cases were generated) stay in one
   *  group. */
  private chunks(prog: TemplateProgram): number[][] {
    const members = new Map<number, number[]>();
    for (const ins of prog.code) {
      if (ins.pc === 0) continue;
      const root = this.steps.find(ins.pc);
      const m = members.get(root);
      if (m === undefined) members.set(root, [ins.pc]);
      else m.push(ins.pc);
    }
    const chunks: number[][] = [];
    let current: number[] = [];
    for (const group of members.values()) {
      if (current.length > 0 && current.length + group.length > CHUNK_INSTRUCTIONS) {
        chunks.push(current);
        current = [];
      }
      current.push(...group);
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /** Code that moves from instruction `from` to `to`: continue the step, or end it here and emit. */
  private goto(prog: TemplateProgram, thread: number, from: Instruction, to: number, w = "w"): string {
    const target = prog.code[to];
    const cont = to !== 0 && ((from.atomic !== 0 && target.atomic === from.atomic) || isTransient(target));
    if (cont && w === "w") this.steps.union(from.pc, to);
    if (cont) return w === "w" ? `pc = ${to}; continue;` : `run_${thread}(${w}, t, ${to}, n, lvl + 1);`;
    const tl = this.layout.threads[thread];
    const end = `${writeSource(w, tl.pc, String(to))} ${this.resetDead(thread, to, w)} R.emit(${w}); ${w === "w" ? "return;" : ""}`;
    return isTransient(from) && to !== 0 ? `if (!seen && lvl >= 0) { pc = ${to}; continue; } ${end}` : end;
  }

  /** Clears the locals that are dead at `pc`, so that states differing only in dead values coincide. */
  private resetDead(thread: number, pc: number, w: string): string {
    const tl = this.layout.threads[thread];
    const n = tl.keepWords.length;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = tl.keep[pc * n + i];
      if (k !== 0xffffffff) out.push(`${w}[${tl.keepWords[i]}] &= ${k};`);
    }
    return out.join(" ");
  }

  private instruction(prog: TemplateProgram, thread: number, ins: Instruction): string {
    const where: Where = { prog, thread, frame: ins.frame, bound: [] };
    const flag = (f: Field | null) => (f === null ? "0" : readSource("w", f));
    const setFlag = (f: Field | null, v: string) => (f === null ? "" : writeSource("w", f, v));
    const go = (to: number, w = "w") => this.goto(prog, thread, ins, to, w);
    // `first`: this instruction opens the step, so a guard that fails here blocks the step instead of failing
    return `${isTransient(ins) ? "" : "const first = !seen; seen = true; "}${this.operation(prog, thread, ins, where, flag, setFlag, go)}`;
  }

  private operation(
    prog: TemplateProgram,
    thread: number,
    ins: Instruction,
    where: Where,
    flag: (f: Field | null) => string,
    setFlag: (f: Field | null, v: string) => string,
    go: (to: number, w?: string) => string,
  ): string {
    const op = ins.op;
    const tl = this.layout.threads[thread];
    switch (op.k) {
      case "nop":
      case "jump":
      case "enter":
        return go(op.next);
      case "assign":
        return `${this.store(op.target, this.ex(op.value, where), where)}\n${go(op.next)}`;
      case "branch":
        return `if (${this.cond(op.cond, where)}) { ${go(op.then)} } else { ${go(op.else)} }`;
      case "await": {
        let cond = this.cond(op.cond, where);
        if (op.interruptible) cond = `(${cond}) || ${flag(tl.pendKill)} !== 0 || ${flag(tl.pendSig)} !== 0`;
        return `if (!(${cond})) { if (first) return; R.fail("await blocks in the middle of an atomic step"); }\n${go(op.next)}`;
      }
      case "assert":
        return `if (!(${this.cond(op.cond, where)})) R.assertFailed(${JSON.stringify(`assertion failed: ${sourceText(this.sources, op.cond)}`)});\n${go(op.next)}`;
      case "either":
        return `${op.targets.map((to) => `{ const w2 = R.buf(lvl + 1); ${this.copy("w2", "w")} ${go(to, "w2")} }`).join("\n")}\nreturn;`;
      case "choose": {
        const f = this.localField(op.local, ins.frame, thread);
        const stored = writeSource("w2", f, "v");
        // `where` is compiled against `w`: evaluate it in a block where `w` is the candidate state
        const test = op.where === null ? "" : `{ const w = w2; if (!(${this.cond(op.where, where)})) continue; }`;
        return `let found = false;
for (let v = ${op.lo}; v <= ${op.hi}; v++) {
  const w2 = R.buf(lvl + 1); ${this.copy("w2", "w")} ${stored}
  ${test}
  found = true;
  ${go(op.next, "w2")}
}
if (!found && !first) R.fail("choose has no candidate in the middle of an atomic step");
return;`;
      }
      case "exit":
        // exit() from a signal handler leaves the handler for good
        return `${setFlag(tl.inHandler, "0")} ${setFlag(tl.retPc, "0")} ${go(prog.exitEntry)}`;
      case "die":
        return `${setFlag(tl.pendKill, "0")} ${setFlag(tl.pendSig, "0")} ${setFlag(tl.inHandler, "0")} ${setFlag(tl.retPc, "0")} ${setFlag(tl.preempt, "0")} ${writeSource("w", tl.pc, "0")} ${this.resetDead(thread, 0, "w")} R.emit(w); return;`;
      case "sigreturn":
        return `${setFlag(tl.inHandler, "0")} pc = ${flag(tl.retPc)}; ${setFlag(tl.retPc, "0")} ${writeSource("w", tl.pc, "pc")} R.resetDead(w, t, pc); R.emit(w); return;`;
      case "sysret": {
        const kill = tl.pendKill
          ? `if (${flag(tl.pendKill)} !== 0) { ${setFlag(tl.pendKill, "0")} ${setFlag(tl.pendSig, "0")} ${setFlag(tl.inHandler, "0")} ${setFlag(tl.retPc, "0")} ${go(prog.exitEntry)} }`
          : "";
        const sig = tl.pendSig
          ? `if (${flag(tl.pendSig)} !== 0) { ${setFlag(tl.pendSig, "0")} ${setFlag(tl.inHandler, "1")} ${setFlag(tl.retPc, String(op.next))} ${go(prog.handlerEntry)} }`
          : "";
        return `${kill}\n${sig}\n${go(op.next)}`;
      }
      case "preempt": {
        // The count is a small field: nesting deeper than it holds would silently wrap to 0 (preemptible).
        const overflow =
          op.delta > 0 && tl.preempt
            ? `if (${flag(tl.preempt)} >= ${mask(tl.preempt)}) R.fail("preemption is disabled more than ${mask(tl.preempt)} levels deep (nopreempt and spin_lock)");\n`
            : "";
        return `${overflow}${setFlag(tl.preempt, `${flag(tl.preempt)} ${op.delta > 0 ? "+ 1" : "- 1"}`)}\n${go(op.next)}`;
      }
      case "sigmask":
        return `${setFlag(tl.sigBlocked, op.block ? "1" : "0")}\n${go(op.next)}`;
      case "builtin":
        return `${this.builtin(op.name, op.args, op.dest, where)}\n${go(op.next)}`;
    }
  }

  private builtin(name: string, args: Expr[], dest: Expr | null, where: Where): string {
    const tl = this.layout.threads[where.thread];
    const result = (v: string) => (dest === null ? `${v};` : this.store(dest, v, where));
    switch (name) {
      case "cmpxchg": {
        const loc = this.location(args[0], where);
        return `{ ${loc.prep} const old = +(${loc.get}); if (old === +(${this.ex(args[1], where)})) { ${loc.set(`${this.ex(args[2], where)}`)} } ${dest ? this.store(dest, "old", where) : ""} }`;
      }
      case "xchg":
      case "fetch_add":
      case "fetch_sub":
      case "fetch_or":
      case "fetch_and": {
        const loc = this.location(args[0], where);
        const v = this.ex(args[1], where);
        const next = {
          xchg: `${v}`,
          fetch_add: `(old + ${v}) >>> 0`,
          fetch_sub: `(old - ${v}) >>> 0`,
          fetch_or: `(old | ${v}) >>> 0`,
          fetch_and: `(old & ${v}) >>> 0`,
        }[name];
        return `{ ${loc.prep} const old = +(${loc.get}); ${loc.set(next)} ${dest ? this.store(dest, "old", where) : ""} }`;
      }
      case "put_user":
        return `R.writeAddr(w, ${this.ex(args[0], where)}, ${this.ex(args[1], where)});`;
      case "spin_lock":
      case "spin_unlock": {
        // The lock is a kernel variable named directly (not an address): 0 when free, else the holder's tid
        // (1 for a bool lock).
        const lock = args[0];
        const bool = this.model.types.get(lock)?.kind === "bool";
        const held = bool ? "1" : "t + 1";
        const raw = this.readVar(lock.kind === "paren" ? lock.inner : lock, where);
        if (name === "spin_lock")
          return `{ if (${raw} !== 0) { if (first) return; R.fail("spin_lock spins in the middle of an atomic step"); } ${this.store(lock, bool ? "true" : held, where)} }`;
        return `{ if (${raw} !== ${held}) R.assertFailed("BUG: spin_unlock of a lock this thread does not hold"); ${this.store(lock, bool ? "false" : "0", where)} }`;
      }
      case "count": {
        const i = this.model.counters.indexOf((args[0] as { name: string }).name);
        const f = tl.counters[i];
        return `{ const c = ${readSource("w", f)}; if (c < ${mask(f)}) { ${writeSource("w", f, "c + 1")} } }`;
      }
      case "push":
      case "remove": {
        const q = this.queueRef(args[0], where);
        const v = this.tidValue(args[1], where);
        return `R.${name}${q.set ? "Set" : "Queue"}(w, ${q.first}, ${q.slots}, ${v});`;
      }
      case "pop": {
        const q = this.queueRef(args[0], where);
        return result(`R.popQueue(w, ${q.first}, ${q.slots})`);
      }
      default:
        // an effect-free builtin used as `x = f(…)`
        return result(
          this.ex(
            { kind: "call", callee: { name, span: args[0]?.span ?? dummySpan }, args, span: dummySpan } as Expr,
            where,
            name,
          ),
        );
    }
  }

  // ---------- locations, queues ----------
  /** A read/write accessor for the location argument of an atomic builtin: `&x`, `&a[i]` or an addr value. */
  private location(e: Expr, where: Where): { prep: string; get: string; set: (v: string) => string } {
    const target = e.kind === "unary" && e.op === "&" ? e.operand : null;
    if (target === null) {
      const id = `a${this.helperCount++}`;
      return {
        prep: `const ${id} = ${this.ex(e, where)};`,
        get: `R.readAddr(w, ${id})`,
        set: (v) => `R.writeAddr(w, ${id}, ${v});`,
      };
    }
    return { prep: "", get: this.ex(target, where), set: (v) => this.store(target, v, where) };
  }

  private queueRef(e: Expr, where: Where): { first: string; slots: number; set: boolean } {
    const base = e.kind === "index" ? e.base : e;
    const r = this.model.resolutions.get(base) as Resolution & { kind: "global" };
    const vl = this.layout.globals.get(r.v)!;
    const firstField = this.fieldIndexOf(vl.fields[0]);
    const isSet = r.v.type.kind === "tidset";
    if (e.kind !== "index") return { first: String(firstField), slots: vl.slots, set: isSet };
    const idx = this.ex(e.index, where);
    return { first: `R.elem(${firstField}, ${idx}, ${r.v.size}, ${vl.slots})`, slots: vl.slots, set: isSet };
  }

  private fieldIndexOf(f: Field): number {
    return this.layoutFieldIds().get(f)!;
  }

  private fieldIds: Map<Field, number> | null = null;
  /** Absolute field numbering of all global fields (the runtime keeps word/shift/mask tables for them). */
  layoutFieldIds(): Map<Field, number> {
    if (this.fieldIds === null) {
      this.fieldIds = new Map();
      for (const vl of this.layout.globals.values())
        for (const f of vl.fields) this.fieldIds.set(f, this.fieldIds.size);
    }
    return this.fieldIds;
  }

  private tidValue(e: Expr, where: Where): string {
    const t = this.model.types.get(e);
    return t?.kind === "num" && t.tid ? this.ex(e, where) : `(${this.ex(e, where)}) + 1`;
  }

  private threadIndex(e: Expr, where: Where): string {
    const t = this.model.types.get(e);
    return t?.kind === "num" && t.tid ? `(${this.ex(e, where)}) - 1` : this.ex(e, where);
  }

  // ---------- variables ----------
  private localField(v: LocalVar, frame: Frame, thread: number): Field {
    const tl = this.layout.threads[thread];
    const vl = tl.locals.get(localKey(v, frame));
    if (vl === undefined) throw new Error(`internal: no storage for local ${v.name} in frame ${frame}`);
    return vl.fields[0];
  }

  private varOf(e: Expr, where: Where): { vl: VarLayout; v: GlobalVar | LocalVar; local: boolean } | null {
    const r = this.model.resolutions.get(e);
    if (r?.kind === "global") return { vl: this.layout.globals.get(r.v)!, v: r.v, local: false };
    if (r?.kind === "local") {
      const tl = this.layout.threads[where.thread];
      return { vl: tl.locals.get(localKey(r.v, where.frame))!, v: r.v, local: true };
    }
    return null;
  }

  /** JS reading a variable or array element (raw stored value, bools as 0/1). */
  private readVar(e: Expr, where: Where): string {
    const base = e.kind === "index" ? e.base : e;
    const info = this.varOf(base, where)!;
    if (e.kind !== "index") return readSource("w", info.vl.fields[0]);
    const idx = this.model.constValues.get(e.index);
    if (idx !== undefined && info.vl.slots === 1) {
      if (idx < 0 || idx >= info.v.size!)
        return `R.outOfBounds(${JSON.stringify(info.v.name)}, ${idx}, ${info.v.size})`;
      return readSource("w", info.vl.fields[idx]);
    }
    return `${this.arrayHelper(info, "rd")}(w, ${this.ex(e.index, where)})`;
  }

  private arrayHelper(info: { vl: VarLayout; v: GlobalVar | LocalVar; local: boolean }, kind: "rd" | "wr"): string {
    const key = `${kind}:${info.local ? "l" : "g"}:${(info.v as { body?: { name: string } }).body?.name ?? ""}:${info.v.name}:${info.vl.fields[0].word}:${info.vl.fields[0].shift}`;
    let name = this.arrayHelpers.get(key);
    if (name !== undefined) return name;
    name = `${kind}_${this.helperCount++}`;
    this.arrayHelpers.set(key, name);
    const cases = info.vl.fields.map((f, i) =>
      kind === "rd" ? `case ${i}: return ${readSource("s", f)};` : `case ${i}: ${writeSource("s", f, "v")} return;`,
    );
    const oob = `R.outOfBounds(${JSON.stringify(info.v.name)}, i, ${info.v.size})`;
    this.helpers.push(
      `function ${name}(s, i${kind === "wr" ? ", v" : ""}) { switch (i) { ${cases.join(" ")} default: ${kind === "rd" ? "return " : ""}${oob}; } }`,
    );
    return name;
  }

  /** JS statement storing `value` (a JS expression; bools as JS booleans) into an lvalue, range-checked. */
  private store(target: Expr, value: string, where: Where): string {
    if (target.kind === "paren") return this.store(target.inner, value, where);
    if (target.kind === "unary" && target.op === "*")
      return `R.writeAddr(w, ${this.ex(target.operand, where)}, ${value});`;
    const base = target.kind === "index" ? target.base : target;
    const info = this.varOf(base, where)!;
    const type = info.v.type;
    const v = `v${this.helperCount++}`;
    const narrowed = type.kind === "word" && info.vl.fields[0].bits < 32;
    const check = narrowed
      ? `if (${v} > ${mask(info.vl.fields[0])}) R.fail("internal: the value range computed for ${info.v.name} is wrong (" + ${v} + ")");`
      : rangeCheck(type, v, this.model.threads.length, info.v.name);
    const convert = type.kind === "bool" ? `(${value}) ? 1 : 0` : type.kind === "word" ? `(${value}) >>> 0` : value;
    let write: string;
    if (target.kind !== "index") write = writeSource("w", info.vl.fields[0], v);
    else {
      const idx = this.model.constValues.get(target.index);
      if (idx !== undefined && idx >= 0 && idx < info.v.size!) write = writeSource("w", info.vl.fields[idx], v);
      else write = `${this.arrayHelper(info, "wr")}(w, ${this.ex(target.index, where)}, ${v});`;
    }
    return `{ const ${v} = ${convert}; ${check} ${write} }`;
  }

  // ---------- expressions ----------
  /** A JS boolean. */
  cond(e: Expr, where: Where): string {
    const t = this.model.types.get(e);
    return t?.kind === "bool" ? this.ex(e, where) : `(${this.ex(e, where)}) !== 0`;
  }

  /** JS for an expression: bools are JS booleans, everything else a number. */
  ex(e: Expr, where: Where, builtinName?: string): string {
    const type = this.model.types.get(e);
    switch (e.kind) {
      case "num":
        return String(e.value);
      case "bool":
        return e.value ? "true" : "false";
      case "null":
        return "0";
      case "self":
        return String(where.thread);
      case "this_cpu":
        return String(this.model.threads[where.thread].cpu);
      case "paren":
        return this.ex(e.inner, where);
      case "name":
      case "index": {
        const r = this.model.resolutions.get(e);
        if (r?.kind === "const") return r.type.kind === "bool" ? (r.value ? "true" : "false") : String(r.value);
        if (r?.kind === "bound") return `q_${e.kind === "name" ? e.name : ""}`;
        if (r?.kind === "thread_index") return String(where.thread - r.template.first + r.template.indexLo);
        const raw = this.readVar(e, where);
        return type?.kind === "bool" ? `(${raw} !== 0)` : raw;
      }
      case "unary": {
        if (e.op === "&") return this.addressOf(e.operand, where);
        const a = this.ex(e.operand, where);
        switch (e.op) {
          case "!":
            return `!(${this.cond(e.operand, where)})`;
          case "~":
            return `(~(${a}) >>> 0)`;
          case "-":
            return type?.kind === "num" && type.word ? `((-(${a})) >>> 0)` : `(-(${a}))`;
          case "*":
            return `R.readAddr(w, ${a})`;
        }
        break;
      }
      case "binary":
        return this.binary(e, where, type);
      case "quant":
        return this.quantifier(e, where);
      case "call":
        return this.call(e, where, builtinName);
    }
    throw new Error("internal: cannot compile an expression");
  }

  private addressOf(target: Expr, where: Where): string {
    const base = target.kind === "index" ? target.base : target;
    const r = this.model.resolutions.get(base) as Resolution & { kind: "global" };
    const first = this.layout.addrBase.get(r.v)!;
    if (target.kind !== "index") return String(first);
    const idx = this.model.constValues.get(target.index);
    if (idx !== undefined && idx >= 0 && idx < r.v.size!) return String(first + idx);
    return `R.addrOf(${first}, ${this.ex(target.index, where)}, ${r.v.size}, ${JSON.stringify(r.v.name)})`;
  }

  private binary(e: Expr & { kind: "binary" }, where: Where, type: ValueType | undefined): string {
    const word = type?.kind === "num" && type.word;
    if (e.op === "&&" || e.op === "||") return `(${this.cond(e.left, where)} ${e.op} ${this.cond(e.right, where)})`;
    if (e.op === "=>") return `(!(${this.cond(e.left, where)}) || ${this.cond(e.right, where)})`;
    if (e.op === "in") {
      const q = this.queueRef(e.right, where);
      return `R.${q.set ? "inSet" : "inQueue"}(w, ${q.first}, ${q.slots}, ${this.tidValue(e.left, where)})`;
    }
    const a = this.ex(e.left, where);
    const b = this.ex(e.right, where);
    switch (e.op) {
      case "==":
        return `(${a} === ${b})`;
      case "!=":
        return `(${a} !== ${b})`;
      case "<":
      case "<=":
      case ">":
      case ">=":
        return `(${a} ${e.op} ${b})`;
      case "&":
      case "|":
      case "^":
        return `((${a} ${e.op} ${b}) >>> 0)`;
      case "<<":
        return `R.shl(${a}, ${b})`;
      case ">>":
        return `R.shr(${a}, ${b})`;
      case "+":
      case "-":
        return word ? `((${a} ${e.op} ${b}) >>> 0)` : `(${a} ${e.op} ${b})`;
      case "*":
        return word ? `(Math.imul(${a}, ${b}) >>> 0)` : `(${a} * ${b})`;
      case "/":
        return `R.div(${a}, ${b})`;
      case "%":
        return `R.mod(${a}, ${b})`;
    }
    throw new Error(`internal: operator ${e.op}`);
  }

  private quantifier(e: Expr & { kind: "quant" }, where: Where): string {
    const name = `quant_${this.helperCount++}`;
    const v = `q_${e.variable.name}`;
    const inner: Where = { ...where, bound: [...where.bound, v] };
    let lo = "0";
    let hi = "0";
    if (e.domain.kind === "range") {
      lo = String(this.model.constValues.get(e.domain.lo));
      hi = String(this.model.constValues.get(e.domain.hi));
    } else if (e.domain.kind === "threads") hi = String(this.model.threads.length - 1);
    else hi = String(this.model.cpus - 1);
    const body = this.cond(e.body, inner);
    const test = e.quantifier === "forall" ? `if (!(${body})) return false;` : `if (${body}) return true;`;
    const params = ["w", ...where.bound].join(", ");
    this.helpers.push(
      `function ${name}(${params}) { for (let ${v} = ${lo}; ${v} <= ${hi}; ${v}++) { ${test} } return ${e.quantifier === "forall"}; }`,
    );
    return `${name}(${params})`;
  }

  /** A generated function `(w, t) → boolean` for a thread predicate: a switch over the threads, each case
   *  reading that thread's fields directly. An index that names no thread gives false. */
  private predicate(name: string, label?: string): string {
    const key = `pred:${name}:${label ?? ""}`;
    const known = this.arrayHelpers.get(key);
    if (known !== undefined) return known;
    const fn = `${name}_${this.helperCount++}`;
    this.arrayHelpers.set(key, fn);
    const cases = this.layout.threads.map((tl, t) => {
      const prog = this.programs[t];
      const pc = readSource("w", tl.pc);
      const pcsWhere = (keep: (i: Instruction) => boolean) => {
        const pcs = prog.code.filter((i) => i.pc !== 0 && keep(i)).map((i) => i.pc);
        return pcs.length === 0 ? "false" : pcs.map((p) => `pc === ${p}`).join(" || ");
      };
      let test: string;
      switch (name) {
        case "alive":
          test = `${pc} !== 0`;
          break;
        case "exited":
          test = `${pc} === 0`;
          break;
        case "in_user":
          test = `{ const pc = ${pc}; return ${pcsWhere((i) => i.side === "user")}; }`;
          break;
        case "in_kernel":
          test = `{ const pc = ${pc}; return ${pcsWhere((i) => i.side === "kernel")}; }`;
          break;
        case "in_handler":
          test = tl.inHandler === null ? "false" : `${pc} !== 0 && ${readSource("w", tl.inHandler)} === 1`;
          break;
        case "killed":
          test = tl.killed === null ? "false" : `${readSource("w", tl.killed)} === 1`;
          break;
        default:
          test = `{ const pc = ${pc}; return ${pcsWhere((i) => i.label === label)}; }`;
          break;
      }
      return test.startsWith("{") ? `case ${t}: ${test}` : `case ${t}: return ${test};`;
    });
    this.helpers.push(`function ${fn}(w, t) { switch (t) { ${cases.join(" ")} default: return false; } }`);
    return fn;
  }

  private call(e: Expr & { kind: "call" }, where: Where, builtinName?: string): string {
    const name = builtinName ?? e.callee.name;
    const arg = (i: number) => this.ex(e.args[i], where);
    switch (name) {
      case "get_user":
        return `R.readAddr(w, ${arg(0)})`;
      case "signal_pending": {
        const tl = this.layout.threads[where.thread];
        const f = (x: Field | null) => (x === null ? "0" : readSource("w", x));
        return `(${f(tl.pendKill)} !== 0 || ${f(tl.pendSig)} !== 0)`;
      }
      case "tid":
        return `((${arg(0)}) + 1)`;
      case "idx":
        return `((${arg(0)}) - 1)`;
      case "len":
      case "head": {
        const q = this.queueRef(e.args[0], where);
        return `R.${name}${q.set ? "Set" : "Queue"}(w, ${q.first}, ${q.slots})`;
      }
      case "alive":
      case "exited":
      case "in_user":
      case "in_kernel":
      case "in_handler":
      case "killed":
        return `${this.predicate(name)}(w, ${this.threadIndex(e.args[0], where)})`;
      case "at":
        return `${this.predicate("at", (e.args[1] as { name: string }).name)}(w, ${this.threadIndex(e.args[0], where)})`;
    }
    throw new Error(`internal: builtin ${name} in an expression`);
  }
}

const dummySpan = { file: "", line: 0, col: 0, endLine: 0, endCol: 0, offset: 0, endOffset: 0 };

/** Disjoint sets of 0..n-1. */
class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) x = this.parent[x] = this.parent[this.parent[x]];
    return x;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** An instruction that is merged into the step before it: thread-local, deterministic, unnamed. */
export function isTransient(ins: Instruction): boolean {
  return !ins.visible && ins.label === null && ins.atomic === 0;
}

function rangeCheck(type: Type, v: string, nthreads: number, name: string): string {
  const fail = (range: string) => `R.outOfRange(${JSON.stringify(name)}, ${v}, ${JSON.stringify(range)});`;
  switch (type.kind) {
    case "int":
      return `if (${v} < ${type.lo} || ${v} > ${type.hi} || ${v} !== Math.floor(${v})) ${fail(`${type.lo}..${type.hi}`)}`;
    case "tid":
      return `if (${v} < 0 || ${v} > ${nthreads}) ${fail(`0..${nthreads} (a tid)`)}`;
    default:
      return "";
  }
}

function sourceText(sources: ReadonlyMap<string, string>, e: Expr): string {
  const text = sources.get(e.span.file);
  return text === undefined ? "" : text.slice(e.span.offset, e.span.endOffset);
}
