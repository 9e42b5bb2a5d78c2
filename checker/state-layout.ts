// Where every part of a model's state lives: global variables, the fault budgets, and per thread its
// program counter, flags and locals. All positions are absolute fields of one packed state vector.
import type { CheckedModel, GlobalVar, LocalVar, TemplateInfo, Type } from "../grammar/model.js";
import type { Frame, TemplateProgram } from "./ir.js";
import { bitsFor, Packer, type Field } from "./layout.js";

export interface VarLayout {
  /** One field per element; for tid queues `cap` consecutive slot fields per element. */
  fields: Field[];
  slots: number; // fields per element (queue capacity, else 1)
}

export interface ThreadLayout {
  base: number; // first word of the thread's block
  pc: Field; // relative to base
  killed: Field | null;
  pendKill: Field | null;
  pendSig: Field | null;
  inHandler: Field | null;
  retPc: Field | null;
  sigBlocked: Field | null;
  preempt: Field | null;
  counters: Field[];
  locals: Map<string, VarLayout>; // key: localKey(v, frame); fields relative to base
}

export interface StateLayout {
  words: number;
  globals: Map<GlobalVar, VarLayout>;
  kills: Field | null;
  signals: Field | null;
  threads: ThreadLayout[]; // by thread index
  blockWords: Map<TemplateInfo, number>;
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
}

export function layoutState(model: CheckedModel, programs: TemplateProgram[], opts: LayoutOptions): StateLayout {
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
  let words = g.words;

  const threads: ThreadLayout[] = [];
  const blockWords = new Map<TemplateInfo, number>();
  for (const prog of programs) {
    const t = prog.template;
    const p = new Packer(0);
    const pcBits = bitsFor(prog.code.length);
    const layout: Omit<ThreadLayout, "base"> = {
      pc: p.add(pcBits),
      killed: t.killable ? p.add(1) : null,
      pendKill: t.killable ? p.add(1) : null,
      pendSig: t.handler ? p.add(1) : null,
      inHandler: t.handler ? p.add(1) : null,
      retPc: t.handler ? p.add(pcBits) : null,
      sigBlocked: t.handler || t.kind === "thread" ? p.add(1) : null,
      preempt: opts.usesPreempt ? p.add(2) : null,
      counters: model.counters.map(() => p.add(4)),
      locals: new Map(),
    };
    for (const [frame, bodies] of prog.bodies) {
      const sorted = [...bodies].flatMap((b) => b.locals).sort((a, b) => typeBits(b.type, nthreads).bits - typeBits(a.type, nthreads).bits);
      for (const v of sorted) layout.locals.set(localKey(v, frame), varFields(p, v.type, v.size));
    }
    const bw = Math.max(1, p.words);
    blockWords.set(t, bw);
    for (let k = 0; k < t.count; k++) {
      threads[t.first + k] = { ...layout, base: words };
      words += bw;
    }
  }
  return { words, globals, kills, signals, threads, blockWords, addrs, addrBase };
}

