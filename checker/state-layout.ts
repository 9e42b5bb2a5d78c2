// Where every part of a model's state lives: global variables, the fault budgets, and per thread its
// program counter, flags and locals. All positions are absolute fields of one packed state vector.
import type { CheckedModel, GlobalVar, LocalVar, Type } from "../grammar/model.js";
import type { Frame, TemplateProgram } from "./ir.js";
import type { Dataflow } from "./dataflow.js";
import { bitsFor, mask, Packer, type Field } from "./layout.js";

export interface VarLayout {
  /** One field per element; for tid queues `cap` consecutive slot fields per element. */
  fields: Field[];
  slots: number; // fields per element (queue capacity, else 1)
}

export interface ThreadLayout {
  pc: Field;
  killed: Field | null;
  pendKill: Field | null;
  pendSig: Field | null;
  inHandler: Field | null;
  retPc: Field | null;
  sigBlocked: Field | null;
  preempt: Field | null;
  counters: Field[];
  locals: Map<string, VarLayout>; // key: localKey(v, frame)
  /** The words holding this thread's locals, and per pc, per such word, the bits to keep when a step ends
   *  there: dead locals are cleared. */
  keepWords: Int32Array;
  keep: Uint32Array;
}

export interface StateLayout {
  words: number;
  globals: Map<GlobalVar, VarLayout>;
  kills: Field | null;
  signals: Field | null;
  threads: ThreadLayout[]; // by thread index
  /** addr value k (1-based) → the shared variable element it names. */
  addrs: { v: GlobalVar; index: number; field: Field }[];
  addrBase: Map<GlobalVar, number>; // addr value of element 0
}

export function localKey(v: LocalVar, frame: Frame): string {
  return `${frame}:${v.body.kind}:${v.body.name}:${v.name}`;
}

export function typeBits(t: Type, nthreads: number): { bits: number; lo: number } {
  switch (t.kind) {
    case "bool":
      return { bits: 1, lo: 0 };
    case "int":
      return { bits: bitsFor(t.hi - t.lo + 1), lo: t.lo };
    case "word":
      return { bits: 32, lo: 0 };
    case "tid":
      return { bits: bitsFor(nthreads + 1), lo: 0 };
    case "addr":
      return { bits: 16, lo: 0 }; // narrowed in layoutState once the number of addresses is known
    case "enum":
      return { bits: bitsFor(t.members.length), lo: 0 };
    case "tidset":
      return { bits: Math.max(1, nthreads), lo: 0 };
    case "tidqueue":
      return { bits: bitsFor(nthreads + 1), lo: 0 };
  }
}

export interface LayoutOptions {
  kills: number;
  signals: number;
  usesPreempt: boolean;
  deadReset: boolean; // clear dead locals at the end of each step (off: only to measure what it saves)
}

export function layoutState(
  model: CheckedModel,
  programs: TemplateProgram[],
  flows: Dataflow[],
  opts: LayoutOptions,
): StateLayout {
  const nthreads = model.threads.length;
  const addrCount = model.globals.filter((g) => g.space === "shared").reduce((n, g) => n + (g.size ?? 1), 0);
  const addrBits = bitsFor(addrCount + 1);
  const fieldFor = (p: Packer, t: Type) => {
    const { bits, lo } = t.kind === "addr" ? { bits: addrBits, lo: 0 } : typeBits(t, nthreads);
    return p.add(bits, lo);
  };
  const varFields = (p: Packer, t: Type, size: number | null): VarLayout => {
    const slots = t.kind === "tidqueue" ? t.capacity : 1;
    const fields: Field[] = [];
    for (let i = 0; i < (size ?? 1) * slots; i++) fields.push(fieldFor(p, t));
    return { fields, slots };
  };

  const g = new Packer(0);
  const globals = new Map<GlobalVar, VarLayout>();
  const addrs: StateLayout["addrs"] = [];
  const addrBase = new Map<GlobalVar, number>();
  // Wide fields first, so that narrow ones fill the gaps.
  const order = [...model.globals].sort((a, b) => typeBits(b.type, nthreads).bits - typeBits(a.type, nthreads).bits);
  for (const v of order) globals.set(v, varFields(g, v.type, v.size));
  for (const v of model.globals) {
    if (v.space !== "shared") continue;
    addrBase.set(v, addrs.length + 1);
    globals.get(v)!.fields.forEach((field, index) => addrs.push({ v, index, field }));
  }
  const kills = opts.kills > 0 ? g.add(bitsFor(opts.kills + 1)) : null;
  const signals = opts.signals > 0 ? g.add(bitsFor(opts.signals + 1)) : null;
  // Every thread's fields are packed into the same words as the globals: generated code is per thread, so
  // no thread needs its fields at the same offsets as another's.
  const threads: ThreadLayout[] = [];
  const flowOf = new Map(programs.map((p, i) => [p.template, flows[i]]));
  const progOf = new Map(programs.map((p) => [p.template, p]));
  for (const th of model.threads) {
    const t = th.template;
    const prog = progOf.get(t)!;
    const flow = flowOf.get(t)!;
    const pcBits = bitsFor(prog.code.length);
    const layout: Omit<ThreadLayout, "keep" | "keepWords"> = {
      pc: g.add(pcBits),
      killed: t.killable ? g.add(1) : null,
      pendKill: t.killable ? g.add(1) : null,
      pendSig: t.handler ? g.add(1) : null,
      inHandler: t.handler ? g.add(1) : null,
      retPc: t.handler ? g.add(pcBits) : null,
      sigBlocked: t.handler ? g.add(1) : null,
      preempt: opts.usesPreempt ? g.add(4) : null, // nesting depth of nopreempt and spin_lock, up to 15
      counters: model.counters.map(() => g.add(4)),
      locals: new Map(),
    };
    allocateLocals(g, flow, layout.locals, (v, key) => {
      const r = flow.wordRange.get(key);
      if (r !== undefined && r.hi < 0xffffffff) return { bits: bitsFor(r.hi + 1), lo: 0 };
      return v.type.kind === "addr" ? { bits: addrBits, lo: 0 } : typeBits(v.type, nthreads);
    });
    const masks = keepMasks(prog, flow, layout.locals);
    if (!opts.deadReset) masks.keep.fill(0xffffffff);
    threads[th.index] = { ...layout, ...masks };
  }
  const words = Math.max(1, g.words);
  return { words, globals, kills, signals, threads, addrs, addrBase };
}

// Scalar locals of one frame that are never live together share a slot (one field, as wide as the widest);
// arrays and locals of different frames get storage of their own.
function allocateLocals(
  p: Packer,
  flow: Dataflow,
  out: Map<string, VarLayout>,
  width: (v: LocalVar, key: string) => { bits: number; lo: number },
): void {
  const infos = [...flow.locals.values()].sort(
    (a, b) => width(b.v, b.key).bits - width(a.v, a.key).bits || a.key.localeCompare(b.key),
  );
  const slots: { frame: Frame; members: string[]; bits: number }[] = [];
  const slotOf = new Map<string, number>();
  for (const info of infos) {
    const w = width(info.v, info.key);
    if (info.v.size !== null) {
      out.set(info.key, { fields: Array.from({ length: info.v.size }, () => p.add(w.bits, w.lo)), slots: 1 });
      continue;
    }
    let slot = slots.findIndex((s) => s.frame === info.frame && s.members.every((m) => !flow.interferes(m, info.key)));
    if (slot < 0) {
      slot = slots.length;
      slots.push({ frame: info.frame, members: [], bits: w.bits });
    }
    slots[slot].members.push(info.key);
    slots[slot].bits = Math.max(slots[slot].bits, w.bits);
    slotOf.set(info.key, slot);
  }
  const fields = slots.map((s) => p.add(s.bits));
  for (const [key, slot] of slotOf) {
    const f = fields[slot];
    out.set(key, { fields: [{ ...f, lo: width(flow.locals.get(key)!.v, key).lo }], slots: 1 });
  }
}

// A local of frame F is kept at a pc of frame G when G = F and it is live there, or when G is the signal
// handler and F the code it interrupted (which resumes with its locals). Everything else is dead.
function keepMasks(
  prog: TemplateProgram,
  flow: Dataflow,
  locals: Map<string, VarLayout>,
): { keepWords: Int32Array; keep: Uint32Array } {
  const owners = [...locals].map(([key, vl]) => ({ key, frame: flow.locals.get(key)!.frame, fields: vl.fields }));
  const words = [...new Set(owners.flatMap((o) => o.fields.map((f) => f.word)))].sort((a, b) => a - b);
  const keep = new Uint32Array(prog.code.length * words.length).fill(0xffffffff);
  const fieldKey = (f: Field) => `${f.word}:${f.shift}`;
  for (let pc = 0; pc < prog.code.length; pc++) {
    const g = pc === 0 ? null : prog.code[pc].frame;
    // A field is cleared only if no local stored in it is alive here.
    const alive = new Set<string>();
    for (const o of owners) {
      const live =
        g !== null && ((g === o.frame && flow.liveIn[pc].has(o.key)) || (g === "handler" && o.frame === "main"));
      if (live) for (const f of o.fields) alive.add(fieldKey(f));
    }
    for (const o of owners) {
      for (const f of o.fields) {
        if (alive.has(fieldKey(f))) continue;
        keep[pc * words.length + words.indexOf(f.word)] &= ~(mask(f) << f.shift) >>> 0;
      }
    }
  }
  return { keepWords: Int32Array.from(words), keep };
}
