// Compiles a checked model into a transition system: lowers every thread template, decides which
// instructions are steps, lays out the packed state, generates JavaScript for the steps and properties,
// and wraps it with the runtime the generated code calls (faults, queues, addresses, thread predicates).
import type { CheckedModel, GlobalVar, ThreadInstance } from "../grammar/model.js";
import { markVisible } from "./analysis.js";
import { analyse, type Dataflow } from "./dataflow.js";
import { CodeGen, isTransient } from "./codegen.js";
import type { Instruction, TemplateProgram } from "./ir.js";
import { mask, readField, writeField, type Field } from "./layout.js";
import { lowerTemplate } from "./lower.js";
import { independentSteps, NOT_INDEPENDENT, observedOf } from "./por.js";
import { layoutState, localKey, type StateLayout } from "./state-layout.js";
import { ModelFault, type TransitionSystem } from "./system.js";

export interface CompileOptions {
  kills: number; // how many SIGKILLs the environment may send in one execution
  signals: number; // how many asynchronous signals
  deadReset?: boolean; // default true; off only to measure what resetting dead locals saves
  /** The properties that will be checked (default: all): only what they observe makes a step visible to
   *  partial-order reduction. */
  properties?: readonly string[];
}

/** What produced a successor: a thread's step from a pc, or an injected fault. */
export interface TransitionLabel {
  kind: "step" | "kill" | "signal";
  thread: number;
  pc: number; // the pc the step started from
}

type RunFn = (w: Uint32Array, t: number, pc: number, n: number, lvl: number) => void;

export class CompiledModel implements TransitionSystem {
  readonly stateWords: number;
  readonly predicates = new Map<string, (s: Uint32Array) => boolean>();
  readonly leadsTo = new Map<string, (s: Uint32Array) => [boolean, boolean]>();
  readonly programs: TemplateProgram[];
  readonly layout: StateLayout;
  readonly threads: ThreadInstance[];
  /** The label of the successor being emitted; read by the trace builder inside `emit`. */
  readonly current: TransitionLabel = { kind: "step", thread: 0, pc: 0 };
  readonly source: string; // the generated JavaScript, for debugging (--dump-js)

  private readonly progOf: TemplateProgram[]; // by thread
  private readonly flows: Map<TemplateProgram, Dataflow>;
  private readonly runOf: RunFn[]; // by thread
  private readonly bufs: Uint32Array[] = [];
  private readonly fieldW: Int32Array;
  private readonly fieldS: Int32Array;
  private readonly fieldM: Float64Array;
  private readonly fieldL: Float64Array;
  private readonly addrField: Int32Array;
  private readonly addrVar: GlobalVar[];
  private sink: (next: Uint32Array) => void = () => undefined;
  private faultSink: (f: ModelFault) => void = () => undefined;
  private readonly stepAll: (s: Uint32Array) => void;
  private threadSteps = 0;
  readonly cpuOf: Int32Array;
  /** By thread, by pc: whether the step from that pc is independent (partial-order reduction, por.ts). */
  private readonly independent: Uint8Array[];

  constructor(
    readonly model: CheckedModel,
    readonly options: CompileOptions,
    sources: ReadonlyMap<string, string>,
  ) {
    this.threads = model.threads;
    this.programs = model.templates.map((t) => lowerTemplate(model, t));
    for (const p of this.programs) markVisible(model, p);
    const usesPreempt = this.programs.some((p) => p.code.some((i) => i.op.k === "preempt"));
    const flows = this.programs.map((p) => analyse(model, p));
    this.flows = new Map(this.programs.map((p, i) => [p, flows[i]]));
    this.layout = layoutState(model, this.programs, flows, {
      kills: options.kills,
      signals: options.signals,
      usesPreempt,
      deadReset: options.deadReset ?? true,
    });
    this.stateWords = this.layout.words;
    const gen = new CodeGen(
      model,
      this.layout,
      this.threads.map((t) => this.programs[model.templates.indexOf(t.template)]),
      sources,
    );
    this.source = gen.generate();
    const ids = gen.layoutFieldIds();
    const fields: Field[] = [];
    for (const [f, id] of ids) fields[id] = f;
    this.fieldW = Int32Array.from(fields, (f) => f.word);
    this.fieldS = Int32Array.from(fields, (f) => f.shift);
    this.fieldM = Float64Array.from(fields, (f) => mask(f));
    this.fieldL = Float64Array.from(fields, (f) => f.lo);
    this.addrField = Int32Array.from([-1, ...this.layout.addrs.map((a) => ids.get(a.field)!)]);
    this.addrVar = this.layout.addrs.map((a) => a.v);
    this.cpuOf = Int32Array.from(this.threads, (t) => t.cpu);
    const built = new Function("R", this.source)(this) as {
      run: RunFn[];
      steps: (s: Uint32Array) => void;
      props: ((s: Uint32Array) => unknown)[];
    };
    this.stepAll = built.steps;
    this.progOf = this.threads.map((t) => this.programs[model.templates.indexOf(t.template)]);
    this.runOf = built.run;
    this.independent = this.independentByThread(usesPreempt);
    model.properties.forEach((p, i) => {
      const f = built.props[i];
      if (p.kind === "leads_to") this.leadsTo.set(p.name, f as (s: Uint32Array) => [boolean, boolean]);
      else this.predicates.set(p.name, f as (s: Uint32Array) => boolean);
    });
  }

  private independentByThread(usesPreempt: boolean): Uint8Array[] {
    const faults = this.options.kills > 0 || this.options.signals > 0;
    const obs = observedOf(this.model, this.programs, faults, this.options.properties);
    const byProgram = new Map(this.programs.map((p) => [p, independentSteps(this.model, p, obs)]));
    return this.threads.map((th, t) => {
      // Another thread of the CPU that can turn preemption off can disable this thread's steps.
      const gated =
        usesPreempt &&
        this.threads.some((u, i) => i !== t && u.cpu === th.cpu && this.layout.threads[i].preempt !== null);
      return gated ? new Uint8Array(this.progOf[t].code.length) : byProgram.get(this.progOf[t])!;
    });
  }

  // ---------- TransitionSystem ----------
  initial(): Uint32Array {
    const s = new Uint32Array(this.stateWords);
    for (const [v, vl] of this.layout.globals) {
      vl.fields.forEach((f, i) =>
        writeField(s, f, v.type.kind === "tidqueue" || v.type.kind === "tidset" ? 0 : v.init[Math.floor(i / vl.slots)]),
      );
    }
    for (const th of this.threads) {
      const tl = this.layout.threads[th.index];
      const prog = this.progOf[th.index];
      writeField(s, tl.pc, prog.entry);
      for (const [frame, bodies] of prog.bodies) {
        for (const body of bodies) {
          for (const v of body.locals) {
            const vl = tl.locals.get(localKey(v, frame))!;
            // Locals start at their type's first value; initialisers run where they are declared.
            const floor = v.type.kind === "int" ? v.type.lo : 0;
            vl.fields.forEach((f) => writeField(s, f, floor));
          }
        }
      }
    }
    // A thread's leading thread-local instructions run as part of the initial state, so that the initial
    // state is not an extra state nothing else can reach. (Level -1 tells the generated code to stop before
    // the first visible instruction.) If they fail, the thread stays at its entry and its first step reports it.
    for (const th of this.threads) {
      const prog = this.progOf[th.index];
      if (!isTransient(prog.code[prog.entry])) continue;
      const [sink, steps] = [this.sink, this.threadSteps];
      let next: Uint32Array | null = null;
      this.sink = (w) => (next = Uint32Array.from(w));
      try {
        this.runOf[th.index](Uint32Array.from(s), th.index, prog.entry, 0, -1);
      } catch (e) {
        if (!(e instanceof ModelFault)) throw e;
        next = null;
      }
      [this.sink, this.threadSteps] = [sink, steps];
      if (next !== null) s.set(next);
    }
    return s;
  }

  successors(s: Uint32Array, emit: (next: Uint32Array) => void, fault: (f: ModelFault) => void): number {
    this.sink = emit;
    this.faultSink = fault;
    this.threadSteps = 0;
    this.stepAll(s);
    const steps = this.threadSteps;
    if (this.options.kills > 0 || this.options.signals > 0) this.faults(s);
    return steps;
  }

  /** Called by the generated code when a thread's step fails. */
  stepFailed(e: unknown): void {
    if (!(e instanceof ModelFault)) throw e;
    this.threadSteps++; // the thread could move: its step failed, which is not a deadlock
    this.faultSink(e);
  }

  isValidEnd(s: Uint32Array): boolean {
    for (let t = 0; t < this.threads.length; t++) {
      const pc = this.pcOf(s, t);
      if (pc !== 0 && !this.progOf[t].code[pc].label?.startsWith("end")) return false;
    }
    return true;
  }

  // ---------- injected faults ----------
  private faults(s: Uint32Array): void {
    const L = this.layout;
    // most states of a long search have used up the fault budgets: no thread needs a look then
    const killsLeft = this.killsLeft(s);
    const signalsLeft = this.signalsLeft(s);
    if (!killsLeft && !signalsLeft) return;
    for (let t = 0; t < this.threads.length; t++) {
      const tl = L.threads[t];
      const prog = this.progOf[t];
      const pc = readField(s, tl.pc);
      if (pc === 0) continue;
      const ins = prog.code[pc];
      if (killsLeft && this.killable(s, t, ins)) {
        const w = this.buf(0);
        w.set(s);
        writeField(w, L.kills!, readField(s, L.kills!, 0) + 1);
        writeField(w, tl.killed!, 1);
        if (ins.side === "user") {
          writeField(w, tl.pc, prog.exitEntry);
          if (tl.inHandler) writeField(w, tl.inHandler, 0);
          if (tl.retPc) writeField(w, tl.retPc, 0);
          this.resetDead(w, t, prog.exitEntry);
        } else writeField(w, tl.pendKill!, 1);
        this.label("kill", t, pc);
        this.sink(w);
      }
      if (signalsLeft && this.signalable(s, t, ins)) {
        const w = this.buf(0);
        w.set(s);
        writeField(w, L.signals!, readField(s, L.signals!, 0) + 1);
        if (ins.side === "user") {
          writeField(w, tl.retPc!, pc);
          writeField(w, tl.inHandler!, 1);
          writeField(w, tl.pc, prog.handlerEntry);
          this.resetDead(w, t, prog.handlerEntry);
        } else writeField(w, tl.pendSig!, 1);
        this.label("signal", t, pc);
        this.sink(w);
      }
    }
  }

  /** Whether the environment may still send a kill in `s` (its budget is not spent). */
  private killsLeft(s: Uint32Array): boolean {
    const L = this.layout;
    return L.kills !== null && readField(s, L.kills, 0) < this.options.kills;
  }

  /** Whether the environment may still send a signal in `s`. */
  private signalsLeft(s: Uint32Array): boolean {
    const L = this.layout;
    return L.signals !== null && readField(s, L.signals, 0) < this.options.signals;
  }

  /** Whether thread `t`, stopped at `ins`, can be killed in `s` if a kill is left. */
  private killable(s: Uint32Array, t: number, ins: Instruction): boolean {
    const tl = this.layout.threads[t];
    return tl.killed !== null && interruptible(ins) && readField(s, tl.killed) === 0;
  }

  /** Whether thread `t`, stopped at `ins`, can take a signal in `s` if a signal is left. */
  private signalable(s: Uint32Array, t: number, ins: Instruction): boolean {
    const tl = this.layout.threads[t];
    return (
      tl.inHandler !== null &&
      interruptible(ins) &&
      readField(s, tl.inHandler) === 0 &&
      readField(s, tl.sigBlocked!) === 0 &&
      readField(s, tl.pendSig!) === 0 &&
      (tl.pendKill === null || readField(s, tl.pendKill) === 0)
    );
  }

  // ---------- partial-order reduction ----------
  get threadCount(): number {
    return this.threads.length;
  }

  /** Whether thread `t`'s step from `s` is an ample set on its own (see por.ts and TransitionSystem): its
   *  step there is independent, and no fault of `t` can be injected (a fault of `t` that is disabled now stays
   *  disabled until `t` moves: only `t`'s own transitions change what enables it). */
  stepIndependent(s: Uint32Array, t: number): number {
    const tl = this.layout.threads[t];
    const pc = readField(s, tl.pc);
    if (pc === 0) return NOT_INDEPENDENT;
    const kind = this.independent[t][pc];
    if (kind === NOT_INDEPENDENT || (this.options.kills === 0 && this.options.signals === 0)) return kind;
    const ins = this.progOf[t].code[pc];
    const faultable =
      (this.killsLeft(s) && this.killable(s, t, ins)) || (this.signalsLeft(s) && this.signalable(s, t, ins));
    return faultable ? NOT_INDEPENDENT : kind;
  }

  /** The successors of thread `t`'s step alone (no faults); returns how many thread steps ran. */
  threadSuccessors(
    s: Uint32Array,
    t: number,
    emit: (next: Uint32Array) => void,
    fault: (f: ModelFault) => void,
  ): number {
    this.sink = emit;
    this.faultSink = fault;
    this.threadSteps = 0;
    const pc = readField(s, this.layout.threads[t].pc);
    if (pc === 0) return 0;
    const w = this.buf(0);
    w.set(s);
    this.label("step", t, pc);
    try {
      this.runOf[t](w, t, pc, 0, 0);
    } catch (e) {
      this.stepFailed(e);
    }
    return this.threadSteps;
  }

  private label(kind: TransitionLabel["kind"], thread: number, pc: number): void {
    this.current.kind = kind;
    this.current.thread = thread;
    this.current.pc = pc;
  }

  // ---------- the runtime the generated code calls (names are part of the codegen contract) ----------
  emit(w: Uint32Array): void {
    this.threadSteps++;
    this.sink(w);
  }

  /** Clears the locals that are dead at `pc` (where a step of thread `t` ends with a computed pc). */
  resetDead(w: Uint32Array, t: number, pc: number): void {
    const tl = this.layout.threads[t];
    const n = tl.keepWords.length;
    for (let i = 0; i < n; i++) w[tl.keepWords[i]] &= tl.keep[pc * n + i];
  }

  buf(level: number): Uint32Array {
    let b = this.bufs[level];
    if (b === undefined) {
      b = new Uint32Array(this.stateWords);
      this.bufs[level] = b;
    }
    return b;
  }

  fail(message: string): never {
    throw new ModelFault(message, "runtime");
  }

  assertFailed(message: string): never {
    throw new ModelFault(message, "assert");
  }

  outOfBounds(name: string, i: number, size: number): never {
    this.fail(`index ${i} is out of bounds for ${name}[${size}]`);
  }

  outOfRange(name: string, v: number, range: string): never {
    this.fail(`value ${v} does not fit in ${name} (${range})`);
  }

  threadName(t: number): string {
    return this.threads[t]?.name ?? `thread ${t}`;
  }

  shl(a: number, b: number): number {
    return b >= 32 ? 0 : (a << b) >>> 0;
  }

  shr(a: number, b: number): number {
    return b >= 32 ? 0 : a >>> b;
  }

  div(a: number, b: number): number {
    if (b === 0) this.fail("division by zero");
    return Math.trunc(a / b);
  }

  mod(a: number, b: number): number {
    if (b === 0) this.fail("division by zero");
    return a % b;
  }

  // fields by absolute id (global variables)
  private rf(s: Uint32Array, id: number): number {
    const m = this.fieldM[id];
    const w = s[this.fieldW[id]];
    return (m === 0xffffffff ? w : (w >>> this.fieldS[id]) & m) + this.fieldL[id];
  }

  private wf(s: Uint32Array, id: number, v: number): void {
    const m = this.fieldM[id];
    const word = this.fieldW[id];
    const x = v - this.fieldL[id];
    if (m === 0xffffffff) s[word] = x >>> 0;
    else s[word] = ((s[word] & ~(m << this.fieldS[id])) | ((x & m) << this.fieldS[id])) >>> 0;
  }

  addrOf(first: number, i: number, size: number, name: string): number {
    if (i < 0 || i >= size || i !== Math.floor(i)) this.outOfBounds(name, i, size);
    return first + i;
  }

  private checkAddr(a: number, what: string): number {
    if (a === 0) this.fail(`${what} through a null address`);
    const id = this.addrField[a];
    if (id === undefined || a < 0) this.fail(`${what} through a bad address ${a}`);
    return id;
  }

  readAddr(s: Uint32Array, a: number): number {
    return this.rf(s, this.checkAddr(a, "read"));
  }

  writeAddr(s: Uint32Array, a: number, v: number): void {
    const id = this.checkAddr(a, "write");
    const target = this.addrVar[a - 1];
    const t = target.type;
    const value = t.kind === "word" ? v >>> 0 : typeof v === "boolean" ? (v ? 1 : 0) : v;
    const lo = this.fieldL[id];
    if (
      value < lo ||
      value > lo + this.fieldM[id] ||
      (t.kind === "int" && (value < t.lo || value > t.hi)) ||
      (t.kind === "bool" && value > 1)
    ) {
      this.fail(`value ${v} does not fit in ${target.name} (written through an address)`);
    }
    this.wf(s, id, value);
  }

  elem(first: number, i: number, size: number, slots: number): number {
    if (i < 0 || i >= size || i !== Math.floor(i)) this.fail(`index ${i} is out of bounds (size ${size})`);
    return first + i * slots;
  }

  pushQueue(s: Uint32Array, first: number, slots: number, tid: number): void {
    for (let k = 0; k < slots; k++) {
      if (this.rf(s, first + k) === 0) {
        this.wf(s, first + k, tid);
        return;
      }
    }
    this.fail(`queue overflow: a tid queue of capacity ${slots} is full`);
  }

  popQueue(s: Uint32Array, first: number, slots: number): number {
    const head = this.rf(s, first);
    if (head === 0) this.fail("pop from an empty queue");
    for (let k = 0; k + 1 < slots; k++) this.wf(s, first + k, this.rf(s, first + k + 1));
    this.wf(s, first + slots - 1, 0);
    return head;
  }

  removeQueue(s: Uint32Array, first: number, slots: number, tid: number): void {
    for (let k = 0; k < slots; k++) {
      if (this.rf(s, first + k) !== tid) continue;
      for (let j = k; j + 1 < slots; j++) this.wf(s, first + j, this.rf(s, first + j + 1));
      this.wf(s, first + slots - 1, 0);
      return;
    }
  }

  inQueue(s: Uint32Array, first: number, slots: number, tid: number): boolean {
    for (let k = 0; k < slots; k++) if (this.rf(s, first + k) === tid && tid !== 0) return true;
    return false;
  }

  lenQueue(s: Uint32Array, first: number, slots: number): number {
    let k = 0;
    while (k < slots && this.rf(s, first + k) !== 0) k++;
    return k;
  }

  headQueue(s: Uint32Array, first: number): number {
    return this.rf(s, first);
  }

  private setBit(tid: number): number {
    if (tid < 1 || tid > this.threads.length) this.fail(`${tid} is not a thread's tid`);
    return 2 ** (tid - 1);
  }

  pushSet(s: Uint32Array, first: number, _slots: number, tid: number): void {
    this.wf(s, first, (this.rf(s, first) | this.setBit(tid)) >>> 0);
  }

  removeSet(s: Uint32Array, first: number, _slots: number, tid: number): void {
    this.wf(s, first, (this.rf(s, first) & ~this.setBit(tid)) >>> 0);
  }

  inSet(s: Uint32Array, first: number, _slots: number, tid: number): boolean {
    return tid >= 1 && tid <= this.threads.length && (this.rf(s, first) & (2 ** (tid - 1))) !== 0;
  }

  lenSet(s: Uint32Array, first: number): number {
    let v = this.rf(s, first);
    let n = 0;
    while (v !== 0) {
      n += v & 1;
      v >>>= 1;
    }
    return n;
  }

  // thread predicates; an index that names no thread (e.g. from tid 0) makes them false
  pcOf(s: Uint32Array, t: number): number {
    const tl = this.layout.threads[t];
    return readField(s, tl.pc);
  }

  private valid(t: number): boolean {
    return t >= 0 && t < this.threads.length && t === Math.floor(t);
  }

  alive(s: Uint32Array, t: number): boolean {
    return this.valid(t) && this.pcOf(s, t) !== 0;
  }

  exited(s: Uint32Array, t: number): boolean {
    return this.valid(t) && this.pcOf(s, t) === 0;
  }

  instructionAt(s: Uint32Array, t: number): Instruction | null {
    const pc = this.pcOf(s, t);
    return pc === 0 ? null : this.progOf[t].code[pc];
  }

  in_user(s: Uint32Array, t: number): boolean {
    return this.valid(t) && this.instructionAt(s, t)?.side === "user";
  }

  in_kernel(s: Uint32Array, t: number): boolean {
    return this.valid(t) && this.instructionAt(s, t)?.side === "kernel";
  }

  in_handler(s: Uint32Array, t: number): boolean {
    if (!this.valid(t)) return false;
    const tl = this.layout.threads[t];
    return tl.inHandler !== null && this.pcOf(s, t) !== 0 && readField(s, tl.inHandler) === 1;
  }

  killed(s: Uint32Array, t: number): boolean {
    if (!this.valid(t)) return false;
    const tl = this.layout.threads[t];
    return tl.killed !== null && readField(s, tl.killed) === 1;
  }

  at(s: Uint32Array, t: number, label: string): boolean {
    return this.valid(t) && this.instructionAt(s, t)?.label === label;
  }

  /** Whether thread `t`'s local `key` holds a value that matters at `pc` (else it is dead and reset). */
  localIsLive(t: number, key: string, pc: number): boolean {
    const prog = this.progOf[t];
    const flow = this.flows.get(prog)!;
    const frame = flow.locals.get(key)?.frame;
    const here = prog.code[pc]?.frame;
    return pc !== 0 && ((here === frame && flow.liveIn[pc].has(key)) || (here === "handler" && frame === "main"));
  }

  programOf(t: number): TemplateProgram {
    return this.progOf[t];
  }
}

export function compile(
  model: CheckedModel,
  options: CompileOptions,
  sources: ReadonlyMap<string, string>,
): CompiledModel {
  return new CompiledModel(model, options, sources);
}

/** A kill or a signal can hit a thread running user code or sleeping interruptibly in the kernel. */
function interruptible(ins: Instruction): boolean {
  return ins.side === "user" || (ins.op.k === "await" && ins.op.interruptible);
}
