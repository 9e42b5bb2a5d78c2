// One check of one model: compile, explore, and turn what the explorer found into a verdict per property,
// with a replayed trace for every violation and every reachability witness.
import type { CheckedModel, Property } from "../grammar/model.js";
import type { Follows } from "../grammar/sources.js";
import { enumText } from "../grammar/versions.js";
import { nameTable } from "../grammar/names.js";
import type { SafetyProperty, Verdict } from "../properties/property.js";
import { compile, type CompiledModel, type TransitionLabel } from "./compile.js";
import { explore, type ExploreOptions, type ExploreResult } from "./explore.js";
import { readField } from "./layout.js";
import { findLasso, MAX_FAIR_THREADS, type Expansion, type LabelledGraph } from "./liveness.js";
import type { StateStore } from "./store.js";
import { symmetryFor, withSymmetry } from "./symmetry.js";
import { buildTrace, replayPath, tracePath, type Trace } from "./trace.js";

export interface CheckOptions extends Partial<ExploreOptions> {
  kills: number;
  signals: number;
  properties?: string[]; // check only these (by name); the built-in checks are always run
  traceStates?: boolean; // include the full state after each step in traces
  deadReset?: boolean; // default true: reset dead locals at the end of each step
  por?: boolean; // default true: partial-order reduction (off by itself when liveness is checked)
  symmetry?: boolean; // default false: symmetry reduction (throws SymmetryRefused where it is unsound)
}

export interface PropertyResult {
  name: string;
  kind: "invariant" | "reachable" | "deadlock" | "assert" | "runtime" | "leads_to" | "always_eventually";
  verdict: Verdict;
  message: string | null;
  trace: Trace | null;
  location: { file: string; line: number; col: number } | null;
}

export interface CheckReport {
  model: string;
  threads: number;
  cpus: number;
  params: Record<string, number | string>; // a named-version param by its label (`KVER: "6.2"`)
  follows: Follows[]; // the versions of real code the model's files follow
  kills: number;
  signals: number;
  order: "bfs" | "dfs";
  results: PropertyResult[];
  stats: {
    states: number;
    transitions: number;
    depth: number;
    seconds: number;
    statesPerSecond: number;
    transitionsPerSecond: number;
    stateBytes: number; // bytes of one packed state
    bytesPerState: number; // memory held per stored state (state, parent link, hash slots)
    compressedFrom: number | null; // states stored when the store switched to tree compression (memory bound)
    peakMemoryBytes: number;
  };
  /** For each declared counter, the largest value one thread's counter reaches in any explored state: the
   *  cost of one thread's lifetime in the worst explored execution. Counters saturate at COUNTER_MAX. */
  costs: Record<string, number>;
  /** The reductions the search used. With partial-order reduction a breadth-first trace is the shortest in
   *  the reduced graph, which may be longer than the shortest execution (`--no-por` gives that). */
  reductions: {
    deadReset: boolean;
    por: boolean;
    porReducedStates: number; // states expanded with one thread's independent step only
    symmetry: boolean; // states stored up to renaming interchangeable threads (check --symmetry)
  };
  complete: boolean;
  stopReason: string | null;
}

export const COUNTER_MAX = 15;

export const BUILTIN_CHECKS = ["deadlock", "assertions", "runtime_errors"];

/** Checks `model`. `compiled` may be the result of an earlier run with the same options, to search the same
 *  generated code again (the benchmark measures searches after V8 has optimised it). */
export function runCheck(
  model: CheckedModel,
  sources: ReadonlyMap<string, string>,
  options: CheckOptions,
  compiled = compile(
    model,
    { kills: options.kills, signals: options.signals, deadReset: options.deadReset, properties: options.properties },
    sources,
  ),
): { report: CheckReport; compiled: CompiledModel } {
  const o = compiled.options;
  const same =
    o.kills === options.kills &&
    o.signals === options.signals &&
    o.deadReset === options.deadReset &&
    o.properties === options.properties;
  if (!same) throw new Error("internal: a model compiled with other options than the check's");
  const wanted = (name: string) => options.properties === undefined || options.properties.includes(name);
  const safety: SafetyProperty[] = [];
  for (const p of model.properties) {
    if (!wanted(p.name)) continue;
    const test = compiled.predicates.get(p.name);
    if (test === undefined) continue;
    safety.push({ kind: p.kind === "invariant" ? "always" : "sometimes", name: p.name, test });
  }
  // Symmetry reduction stores one state per class of states equal up to renaming interchangeable threads.
  const canonicalize = options.symmetry ? symmetryFor(compiled, wanted, sources) : undefined;
  let peak = process.memoryUsage().rss;
  const onProgress = options.onProgress;
  const liveness = model.properties.some(
    (p) => (p.kind === "leads_to" || p.kind === "always_eventually") && wanted(p.name),
  );
  const needsGraph = model.counters.length > 0 || liveness;
  // Partial-order reduction keeps every reachable valuation of what properties and counters read, but not
  // the cycles a liveness property is about. With symmetry it works on the quotient graph (its proviso looks
  // up representatives; docs/semantics.md).
  const por = (options.por ?? true) && !liveness;
  const result = explore(
    canonicalize ? withSymmetry(compiled, canonicalize) : compiled,
    safety,
    {
      ...options,
      exhaustive: needsGraph,
      por,
      onProgress: (p) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        onProgress?.(p);
      },
    },
    () => ({ ...compiled.current }),
  );
  peak = Math.max(peak, process.memoryUsage().rss);
  const results = verdicts(model, compiled, result, sources, { ...options, por }, canonicalize);
  const seconds = result.elapsedMs / 1000;
  const report: CheckReport = {
    model: model.name,
    threads: model.threads.length,
    cpus: model.cpus,
    params: paramValues(model),
    follows: model.follows,
    kills: options.kills,
    signals: options.signals,
    order: options.order ?? "bfs",
    results,
    stats: {
      states: result.states,
      transitions: result.transitions,
      depth: result.depth,
      seconds,
      statesPerSecond: seconds > 0 ? result.states / seconds : 0,
      transitionsPerSecond: seconds > 0 ? result.transitions / seconds : 0,
      stateBytes: compiled.stateWords * 4,
      bytesPerState: result.store.bytesPerState(),
      compressedFrom: result.compressedFrom,
      peakMemoryBytes: peak,
    },
    costs: maxCosts(compiled, result),
    reductions: {
      deadReset: options.deadReset ?? true,
      por,
      porReducedStates: result.reducedStates,
      symmetry: canonicalize !== undefined,
    },
    complete: result.complete,
    stopReason: result.stopReason,
  };
  return { report, compiled };
}

function maxCosts(m: CompiledModel, r: ExploreResult): Record<string, number> {
  const max = m.model.counters.map(() => 0);
  if (max.length > 0) {
    const s = new Uint32Array(m.stateWords);
    for (let k = 0; k < r.store.count; k++) {
      r.store.copyTo(k, s);
      for (const tl of m.layout.threads) tl.counters.forEach((f, c) => (max[c] = Math.max(max[c], readField(s, f))));
    }
  }
  return nameTable(m.model.counters.map((name, c) => [name, max[c]]));
}

function verdicts(
  model: CheckedModel,
  m: CompiledModel,
  r: ExploreResult,
  sources: ReadonlyMap<string, string>,
  options: CheckOptions,
  canonicalize?: (s: Uint32Array) => void,
): PropertyResult[] {
  const out: PropertyResult[] = [];
  // Breadth-first without partial-order reduction, the first violation found is a shortest one.
  const shortest = (options.order ?? "bfs") === "bfs" && !(options.por ?? true);
  const trace = (idx: number, fail?: { label: TransitionLabel; message: string }): Trace => ({
    ...buildTrace(m, r.store, idx, sources, fail, options.traceStates ?? false, canonicalize),
    shortest,
  });
  // With symmetry reduction a stored state is a representative: describe the real state the trace ends in.
  const real = (idx: number) =>
    canonicalize === undefined
      ? r.store.get(idx)
      : replayPath(
          m,
          r.store.path(idx).map((i) => r.store.get(i)),
          canonicalize,
        ).at(-1)!;
  const open: Verdict = r.complete ? "HOLDS" : "INCOMPLETE";
  for (const p of model.properties) {
    if (options.properties !== undefined && !options.properties.includes(p.name)) continue;
    const location = { file: p.span.file, line: p.span.line, col: p.span.col };
    if (p.kind === "leads_to" || p.kind === "always_eventually") {
      out.push(livenessResult(m, r, p, sources, options, location));
      continue;
    }
    const found = r.decided.get(p.name);
    if (p.kind === "invariant") {
      out.push({
        name: p.name,
        kind: "invariant",
        verdict: found === undefined ? open : "VIOLATED",
        message: null,
        trace: found === undefined ? null : trace(found),
        location,
      });
    } else {
      const verdict: Verdict = found !== undefined ? "REACHED" : r.complete ? "UNREACHABLE" : "INCOMPLETE";
      out.push({
        name: p.name,
        kind: "reachable",
        verdict,
        message:
          verdict === "UNREACHABLE" ? "no reachable state satisfies it: the other verdicts may be vacuous" : null,
        trace: found === undefined ? null : trace(found),
        location,
      });
    }
  }
  const dl = r.deadlock;
  out.push({
    name: "deadlock",
    kind: "deadlock",
    verdict: dl === null ? open : "VIOLATED",
    message: dl === null ? null : describeDeadlock(m, real(dl)),
    trace: dl === null ? null : trace(dl),
    location: null,
  });
  for (const kind of ["assert", "runtime"] as const) {
    const f = r.faults.find((x) => x.kind === kind);
    out.push({
      name: kind === "assert" ? "assertions" : "runtime_errors",
      kind,
      verdict: f === undefined ? open : "VIOLATED",
      message: f === undefined ? null : f.message,
      trace: f === undefined ? null : trace(f.parent, { label: f.label as TransitionLabel, message: f.message }),
      location: null,
    });
  }
  return out;
}

/** The threads that weak fairness applies to: every user thread under `fairness weak;`, and those of
 *  templates marked `fair`. Kernel threads and the fault injector are fair only when marked. */
export function fairThreads(m: CompiledModel): number[] {
  return m.threads
    .filter((t) => t.template.fair || (m.model.fairAll && t.template.kind === "thread"))
    .map((t) => t.index);
}

function livenessResult(
  m: CompiledModel,
  r: ExploreResult,
  p: Property & { kind: "leads_to" | "always_eventually" },
  sources: ReadonlyMap<string, string>,
  options: CheckOptions,
  location: PropertyResult["location"],
): PropertyResult {
  const fair = fairThreads(m);
  const fairness =
    fair.length === 0
      ? "without fairness: no thread is declared fair"
      : `under weak fairness of ${fair.map((t) => m.threads[t].name).join(", ")}`;
  const base = { name: p.name, kind: p.kind, location };
  if (!r.complete)
    return {
      ...base,
      verdict: "INCOMPLETE",
      message: `not checked: the state space was not explored completely; ${fairness}`,
      trace: null,
    };
  const store = r.store;
  const scratch = new Uint32Array(m.stateWords);
  const test = (f: (s: Uint32Array) => boolean) => (i: number) => {
    store.copyTo(i, scratch);
    return f(scratch);
  };
  let trigger: (i: number) => boolean;
  let goal: (i: number) => boolean;
  if (p.kind === "leads_to") {
    const both = m.leadsTo.get(p.name)!;
    trigger = test((s) => both(s)[0]);
    goal = test((s) => both(s)[1]);
  } else {
    const holds = m.predicates.get(p.name)!;
    trigger = () => true;
    goal = test(holds);
  }
  const lasso = findLasso(storeGraph(m, store), trigger, goal, fair);
  if (lasso === null) return { ...base, verdict: "HOLDS", message: fairness, trace: null };
  const prefix = store.path(lasso.trigger);
  const states = [...prefix, ...lasso.stem.slice(1), ...lasso.cycle.slice(1)].map((i) => store.get(i));
  const prefer = [...prefix.slice(1).map(() => -1), ...lasso.stemBy, ...lasso.cycleBy];
  const loops = lasso.cycle.length > 0;
  const trace: Trace = {
    ...tracePath(m, states, sources, {
      prefer,
      withStates: options.traceStates ?? false,
      loopStart: loops ? prefix.length + lasso.stem.length - 1 : undefined,
    }),
    shortest: false, // a lasso is a counterexample, not a shortest one
  };
  const why = loops ? "a fair cycle never reaches it" : "the execution can end without reaching it";
  return { ...base, verdict: "VIOLATED", message: `${why}, ${fairness}`, trace };
}

/** The stored state graph, expanded on demand by running the model. */
function storeGraph(m: CompiledModel, store: StateStore): LabelledGraph {
  const s = new Uint32Array(m.stateWords);
  return {
    count: store.count,
    expand(i: number): Expansion {
      const succ: number[] = [];
      const by: number[] = [];
      let enabled = 0;
      store.copyTo(i, s);
      const threadSteps = m.successors(
        s,
        (next) => {
          const j = store.lookup(next);
          if (j < 0) throw new Error("internal: a successor is missing from the state store");
          succ.push(j);
          const step = m.current.kind === "step";
          by.push(step ? m.current.thread : -1);
          if (step && m.current.thread <= MAX_FAIR_THREADS) enabled |= 1 << m.current.thread;
        },
        () => undefined,
      );
      return { succ, by, threadSteps, enabled };
    },
  };
}

/** Which threads are stuck where; a thread asleep in futex_wait is a lost wake-up, naming the futex. */
export function describeDeadlock(m: CompiledModel, s: Uint32Array): string {
  const futexKey = m.model.globals.find((g) => g.name === "futex_key" && g.space === "kernel");
  const parts: string[] = [];
  for (const th of m.threads) {
    const ins = m.instructionAt(s, th.index);
    if (ins === null || ins.label?.startsWith("end")) continue;
    const where = `${ins.span.file.split("/").pop()}:${ins.span.line}`;
    let what = `${th.name} is blocked at ${where}${ins.routine ? ` in ${ins.routine}` : ""}`;
    if (futexKey !== undefined && ins.routine === "futex_wait") {
      const field = m.layout.globals.get(futexKey)!.fields[th.index];
      const a = readField(s, field);
      const target = m.layout.addrs[a - 1];
      if (target !== undefined)
        what = `${th.name} sleeps forever in futex_wait on &${target.v.name}${target.v.size === null ? "" : `[${target.index}]`} (lost wake-up)`;
    }
    parts.push(what);
  }
  return parts.length > 0 ? `no thread can move: ${parts.join("; ")}` : "no thread can move";
}

/** The params' values as reports show them: numbers, and an enum param's value by its label or name. */
export function paramValues(model: CheckedModel): Record<string, number | string> {
  return nameTable(
    [...model.params].map(([name, v]) => {
      const e = model.enumParams.get(name);
      return [name, e === undefined ? v : enumText(e, v)] as const;
    }),
  );
}
