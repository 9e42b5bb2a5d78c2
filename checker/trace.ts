// Counterexample traces. A trace is rebuilt from the parent links of the state store by replay: each step
// is found again by running the compiled model from the previous state, so every printed trace is a real
// execution of the compiled model, never a reconstruction from stored labels.
import type { SourceRef } from "../grammar/ast.js";
import type { GlobalVar } from "../grammar/model.js";
import { refText } from "../grammar/sources.js";
import { nameTable } from "../grammar/names.js";
import type { CompiledModel, TransitionLabel } from "./compile.js";
import type { Instruction } from "./ir.js";
import { readField } from "./layout.js";
import { localKey } from "./state-layout.js";
import type { StateStore } from "./store.js";
import { ModelFault } from "./system.js";

export interface Change {
  space: "shared" | "kernel" | "percpu" | "ghost" | "local" | "thread" | "faults";
  name: string;
  before: string;
  after: string;
}

export interface TraceStep {
  step: number; // 1-based
  kind: "step" | "kill" | "signal" | "fail";
  thread: string;
  threadIndex: number;
  cpu: number;
  side: "user" | "kernel";
  label: string | null;
  routine: string | null;
  file: string;
  line: number;
  col: number;
  source: string; // the source line, trimmed
  note: string | null; // what the step does to the thread beyond its source line (enters the kernel, exits, …)
  refs: SourceLink[]; // the real code the statement models (its source references)
  changes: Change[];
  state?: Record<string, string>; // the full state after the step (filled on request)
}

/** A source reference as traces show it: the version is the reference's own or its file's `follows`. */
export interface SourceLink {
  project: string;
  version: string;
  location: string;
  text: string; // `glibc nptl/pthread_mutex_unlock.c:164`
}

export interface Trace {
  steps: TraceStep[];
  /** For a liveness counterexample (a lasso): the step number at which the cycle starts. The state after the
   *  last step is the state before this step, so the steps from here on repeat forever. */
  loopStart?: number;
  /** True when the trace is proven a shortest execution to its end (a breadth-first search of every
   *  interleaving found it); a report calls other traces just traces. */
  shortest?: boolean;
  initial: Record<string, string>; // the initial state, by variable
  final: Record<string, string>;
}

export class TraceError extends Error {}

/** The values of every variable and thread status in a state, for display, keyed `space:name`. */
export function snapshot(
  m: CompiledModel,
  s: Uint32Array,
): Map<string, { space: Change["space"]; name: string; value: string }> {
  const out = new Map<string, { space: Change["space"]; name: string; value: string }>();
  for (const [v, vl] of m.layout.globals) {
    const values = vl.fields.map((f) => readField(s, f));
    const elems = v.size ?? 1;
    for (let i = 0; i < elems; i++) {
      const name = v.size === null ? v.name : v.space === "percpu" ? `${v.name}[cpu${i}]` : `${v.name}[${i}]`;
      out.set(`${v.space}:${name}`, {
        space: v.space,
        name,
        value: show(m, v.type, values.slice(i * vl.slots, (i + 1) * vl.slots)),
      });
    }
  }
  if (m.layout.kills)
    out.set("faults:kills", { space: "faults", name: "kills sent", value: String(readField(s, m.layout.kills)) });
  if (m.layout.signals)
    out.set("faults:signals", { space: "faults", name: "signals sent", value: String(readField(s, m.layout.signals)) });
  for (const th of m.threads) {
    const tl = m.layout.threads[th.index];
    const prog = m.programOf(th.index);
    const pc = readField(s, tl.pc);
    const ins = pc === 0 ? null : prog.code[pc];
    let status = ins === null ? "exited" : ins.side === "user" ? "user" : "kernel";
    if (ins !== null && tl.inHandler && readField(s, tl.inHandler) === 1) status += ", in signal handler";
    if (tl.killed && readField(s, tl.killed) === 1) status += ", killed";
    if (tl.sigBlocked && readField(s, tl.sigBlocked) === 1 && ins !== null) status += ", signals blocked";
    out.set(`thread:${th.name}`, { space: "thread", name: th.name, value: status });
    if (ins === null) continue;
    for (const [frame, bodies] of prog.bodies) {
      for (const body of bodies) {
        for (const v of body.locals) {
          // Dead locals are reset and may share storage with live ones: only live values mean anything.
          if (!m.localIsLive(th.index, localKey(v, frame), pc)) continue;
          const vl = tl.locals.get(localKey(v, frame))!;
          const values = vl.fields.map((f) => readField(s, f));
          const where = frame === "main" ? "" : `${frame}:`;
          const owner = body.kind === "thread" || body.kind === "kthread" ? "" : `${body.name}.`;
          const name = `${th.name}.${where}${owner}${v.name}`;
          const value =
            v.size === null ? show(m, v.type, values) : `{${values.map((x) => show(m, v.type, [x])).join(", ")}}`;
          out.set(`local:${name}`, { space: "local", name, value });
        }
      }
    }
    for (const [i, c] of m.model.counters.entries()) {
      out.set(`local:${th.name}.#${c}`, {
        space: "local",
        name: `${th.name}.#${c}`,
        value: String(readField(s, tl.counters[i])),
      });
    }
  }
  return out;
}

function show(m: CompiledModel, t: GlobalVar["type"], values: number[]): string {
  const v = values[0];
  switch (t.kind) {
    case "bool":
      return v ? "true" : "false";
    case "word":
      return v > 9 ? `0x${v.toString(16)}` : String(v);
    case "enum":
      return t.members[v] ?? String(v);
    case "addr": {
      if (v === 0) return "null";
      const a = m.layout.addrs[v - 1];
      return a === undefined ? `?${v}` : a.v.size === null ? `&${a.v.name}` : `&${a.v.name}[${a.index}]`;
    }
    case "tidqueue":
      return `[${values.filter((x) => x !== 0).join(", ")}]`;
    case "tidset": {
      const members: number[] = [];
      for (let k = 0; k < 32; k++) if (v & (2 ** k)) members.push(k + 1);
      return `{${members.join(", ")}}`;
    }
    default:
      return String(v);
  }
}

function record(snap: ReturnType<typeof snapshot>): Record<string, string> {
  return nameTable([...snap.values()].map((x) => [x.name, x.value]));
}

function diff(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>): Change[] {
  const out: Change[] = [];
  for (const [key, after] of b) {
    const before = a.get(key);
    if (before === undefined) {
      if (after.space === "local") out.push({ space: after.space, name: after.name, before: "", after: after.value });
      continue;
    }
    if (before.value !== after.value)
      out.push({ space: after.space, name: after.name, before: before.value, after: after.value });
  }
  return out;
}

function describe(
  m: CompiledModel,
  label: TransitionLabel,
  sources: ReadonlyMap<string, string>,
  step: number,
  kind: TraceStep["kind"],
): Omit<TraceStep, "changes"> {
  const th = m.threads[label.thread];
  const ins = m.programOf(label.thread).code[label.pc];
  const text = sources.get(ins.span.file)?.split("\n")[ins.span.line - 1]?.trim() ?? "";
  return {
    step,
    kind,
    thread: th.name,
    threadIndex: label.thread,
    cpu: th.cpu,
    side: ins.side,
    label: ins.label,
    routine: ins.routine,
    file: ins.span.file,
    line: ins.span.line,
    col: ins.span.col,
    source: text,
    note: kind === "step" ? stepNote(ins.op) : null,
    refs: ins.refs.map((r) => sourceLink(m, r)),
  };
}

function sourceLink(m: CompiledModel, r: SourceRef): SourceLink {
  const follows = m.model.follows.find((f) => f.file === r.span.file && f.project === r.project.name);
  return {
    project: r.project.name,
    version: r.version ?? follows?.version ?? "",
    location: r.location,
    text: refText(r),
  };
}

function stepNote(op: Instruction["op"]): string | null {
  switch (op.k) {
    case "enter":
      return `enters the kernel: ${op.routine}()`;
    case "sysret":
      return `returns to user mode from ${op.routine}()`;
    case "exit":
      return "exit(): enters the kernel exit path";
    case "die":
      return "the thread is gone";
    case "sigreturn":
      return "the signal handler returns";
    default:
      return null;
  }
}

/**
 * Finds, by running the model, a transition from `from` to `to`; prefers one by `preferThread`. With
 * `canonicalize` (symmetry reduction), `to` is a stored representative: a successor matches when its
 * representative is `to`, and the real successor is returned, so that the trace stays a real execution.
 */
function findTransition(
  m: CompiledModel,
  from: Uint32Array,
  to: Uint32Array,
  preferThread: number,
  canonicalize?: (s: Uint32Array) => void,
): { label: TransitionLabel; next: Uint32Array } {
  const matches: { label: TransitionLabel; next: Uint32Array }[] = [];
  const canon = new Uint32Array(to.length);
  m.successors(
    from,
    (next) => {
      let seen = next;
      if (canonicalize !== undefined) {
        canon.set(next);
        canonicalize(canon);
        seen = canon;
      }
      for (let i = 0; i < seen.length; i++) if (seen[i] !== to[i]) return;
      matches.push({ label: { ...m.current }, next: Uint32Array.from(next) });
    },
    () => undefined,
  );
  if (matches.length === 0) throw new TraceError("internal: a trace step does not replay through the compiled model");
  return matches.find((x) => x.label.thread === preferThread) ?? matches[0];
}

/** The real execution along a path of stored states (the states themselves without symmetry reduction). */
export function replayPath(
  m: CompiledModel,
  path: Uint32Array[],
  canonicalize?: (s: Uint32Array) => void,
): Uint32Array[] {
  const out = [realInitial(m, path[0], canonicalize)];
  for (let k = 1; k < path.length; k++) out.push(findTransition(m, out[k - 1], path[k], -1, canonicalize).next);
  return out;
}

function realInitial(m: CompiledModel, first: Uint32Array, canonicalize?: (s: Uint32Array) => void): Uint32Array {
  const initial = m.initial();
  const seen = Uint32Array.from(initial);
  canonicalize?.(seen);
  if (first.some((x, i) => x !== seen[i]))
    throw new TraceError("internal: a trace does not start in the initial state");
  return initial;
}

/** The trace from an initial state to state `target`, optionally followed by a failing step. */
export function buildTrace(
  m: CompiledModel,
  store: StateStore,
  target: number,
  sources: ReadonlyMap<string, string>,
  fail?: { label: TransitionLabel; message: string },
  withStates = false,
  canonicalize?: (s: Uint32Array) => void,
): Trace {
  const path = store.path(target).map((i) => store.get(i));
  return tracePath(m, path, sources, { fail, withStates, canonicalize });
}

export interface PathOptions {
  fail?: { label: TransitionLabel; message: string };
  withStates?: boolean;
  /** The thread that should take each step, where several transitions lead to the same next state. */
  prefer?: number[];
  loopStart?: number;
  /** The path holds representatives of symmetric states (`check --symmetry`): see findTransition. */
  canonicalize?: (s: Uint32Array) => void;
}

/** A trace along a path of states, each step found again by running the model. */
export function tracePath(
  m: CompiledModel,
  path: Uint32Array[],
  sources: ReadonlyMap<string, string>,
  opts: PathOptions = {},
): Trace {
  let state = realInitial(m, path[0], opts.canonicalize);
  const first = state;
  const steps: TraceStep[] = [];
  let prev = snapshot(m, state);
  let lastThread = -1;
  for (let k = 1; k < path.length; k++) {
    const found = findTransition(m, state, path[k], opts.prefer?.[k - 1] ?? lastThread, opts.canonicalize);
    const label = found.label;
    state = found.next;
    lastThread = label.thread;
    const snap = snapshot(m, state);
    const step: TraceStep = { ...describe(m, label, sources, k, label.kind), changes: diff(prev, snap) };
    if (opts.withStates) step.state = record(snap);
    steps.push(step);
    prev = snap;
  }
  const fail = opts.fail;
  if (fail !== undefined) {
    // Replay the failing step too: it must fail again from the last state, with the same message.
    // With symmetry reduction the failing thread of the real state may be another thread of the same group:
    // the same step from the same pc, with its own name in the message.
    let again: TransitionLabel | null = null;
    const expected = fail.label.thread;
    m.successors(
      state,
      () => undefined,
      (f: ModelFault) => {
        const t = m.current.thread;
        const same =
          t === expected
            ? f.message === fail.message
            : opts.canonicalize !== undefined &&
              m.threads[t].template === m.threads[expected].template &&
              m.current.pc === fail.label.pc &&
              f.message.split(m.threadName(t)).join(m.threadName(expected)) === fail.message;
        if (same && (again === null || t === expected)) again = { ...m.current };
      },
    );
    if (again === null) throw new TraceError("internal: the failing step does not fail again on replay");
    steps.push({ ...describe(m, again, sources, path.length, "fail"), changes: [] });
  }
  const trace: Trace = { steps, initial: record(snapshot(m, first)), final: record(prev) };
  if (opts.loopStart !== undefined) trace.loopStart = opts.loopStart;
  return trace;
}
