// Text rendering of check reports and traces for the terminal.
import { COUNTER_MAX, type CheckReport, type PropertyResult } from "../checker/run.js";
import type { Trace, TraceStep } from "../checker/trace.js";

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** `glibc 2.41, linux 6.12`: what the model's files follow; a project followed by several files (a library
 *  following another version) names each file. */
export function followsText(r: CheckReport): string {
  const several = (project: string) => r.follows.filter((f) => f.project === project).length > 1;
  return r.follows
    .map((f) => `${f.project} ${f.version}${several(f.project) ? ` (${f.file.split("/").pop()})` : ""}`)
    .join(", ");
}

export function renderReport(file: string, r: CheckReport): string {
  const lines: string[] = [];
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  lines.push(
    `model ${r.model} (${file}): ${r.threads} thread${r.threads === 1 ? "" : "s"} on ${r.cpus} CPU${r.cpus === 1 ? "" : "s"}${params ? `, ${params}` : ""}, kills ${r.kills}, signals ${r.signals}, ${r.order === "bfs" ? "breadth-first" : "depth-first"}`,
  );
  if (r.follows.length > 0) lines.push(`  follows ${followsText(r)}`);
  const width = r.results.reduce((w, p) => Math.max(w, p.name.length), 8);
  for (const p of r.results) {
    const steps = p.trace
      ? ` (${p.verdict === "REACHED" ? "witness" : "trace"}: ${p.trace.steps.length} step${p.trace.steps.length === 1 ? "" : "s"})`
      : "";
    const msg = p.message ? `  ${p.message}` : "";
    lines.push(`  ${p.name.padEnd(width)}  ${p.verdict.padEnd(11)}${steps}${msg}`.trimEnd());
  }
  if (!r.complete && r.stopReason) lines.push(`  search incomplete: ${r.stopReason}`);
  const s = r.stats;
  lines.push(
    `states ${formatCount(s.states)} · transitions ${formatCount(s.transitions)} · depth ${s.depth} · ${s.seconds.toFixed(2)} s · ${formatCount(s.statesPerSecond)} states/s · ${s.stateBytes} bytes/state packed, ${s.bytesPerState.toFixed(1)} bytes/state stored · peak memory ${formatBytes(s.peakMemoryBytes)}`,
  );
  if (s.compressedFrom !== null)
    lines.push(
      `states stored tree-compressed after the first ${formatCount(s.compressedFrom)}, to stay within the memory bound (--compress does so from the start)`,
    );
  if (r.reductions.por)
    lines.push(
      `partial-order reduction: ${formatCount(r.reductions.porReducedStates)} of ${formatCount(s.states)} states expanded by one thread's independent step${r.order === "bfs" ? "; traces are real executions but may be longer than the shortest (--no-por gives the shortest)" : ""}`,
    );
  if (r.reductions.symmetry)
    lines.push(
      "symmetry reduction: states are counted up to renaming interchangeable threads; traces show the real threads",
    );
  const costs = Object.entries(r.costs);
  if (costs.length > 0)
    lines.push(
      `costs per thread lifetime (worst explored execution): ${costs.map(([k, v]) => `${k} ${v >= COUNTER_MAX ? `≥${v}` : v}`).join(", ")}`,
    );
  for (const p of r.results) {
    if (p.trace === null) continue;
    if (p.verdict !== "VIOLATED" && p.verdict !== "REACHED") continue;
    lines.push("");
    lines.push(renderTrace(p, p.trace));
  }
  return lines.join("\n");
}

function title(p: PropertyResult, t: Trace, shortest: boolean): string {
  const n = `${t.steps.length} step${t.steps.length === 1 ? "" : "s"}`;
  if (p.verdict === "REACHED") return `── ${p.name} reached: witness, ${n} ──`;
  if (p.kind === "leads_to" || p.kind === "always_eventually") {
    const shape =
      t.loopStart === undefined
        ? "a finite execution"
        : `a lasso: ${t.loopStart - 1} step${t.loopStart === 2 ? "" : "s"}, then a cycle of ${t.steps.length - t.loopStart + 1}`;
    return `── ${p.name} violated: ${shape} ──${p.message ? `\n   ${p.message}` : ""}`;
  }
  const what =
    p.kind === "deadlock"
      ? "deadlock"
      : p.kind === "assert"
        ? "assertion failed"
        : p.kind === "runtime"
          ? "runtime error"
          : `${p.name} violated`;
  return `── ${what}: ${shortest ? "shortest trace" : "trace"}, ${n} ──${p.message ? `\n   ${p.message}` : ""}`;
}

/** A longer trace is printed with its middle left out (--json and --html have every step). */
export const MAX_TRACE_STEPS = 200;

export function renderTrace(p: PropertyResult, t: Trace): string {
  const lines = [title(p, t, t.shortest === true)];
  const tw = t.steps.reduce((w, s) => Math.max(w, s.thread.length), 6);
  const n = t.steps.length;
  const keep = MAX_TRACE_STEPS / 2;
  for (let k = 0; k < n; k++) {
    if (n > MAX_TRACE_STEPS && k === keep) {
      const skipped = n - 2 * keep;
      lines.push(`   ⋮ ${formatCount(skipped)} steps left out (every step: --json or --html)`);
      if (t.loopStart !== undefined && t.loopStart > k + 1 && t.loopStart <= k + skipped)
        lines.push(`   ↻ from step ${t.loopStart} on the steps repeat forever (a cycle of ${n - t.loopStart + 1})`);
      k += skipped - 1;
      continue;
    }
    const s = t.steps[k];
    if (t.loopStart === s.step)
      lines.push(`   ↻ from here on the steps repeat forever (a cycle of ${t.steps.length - s.step + 1})`);
    for (const line of renderStep(s, tw)) lines.push(line);
  }
  if (t.loopStart !== undefined) lines.push(`   ↻ back to the state before step ${t.loopStart}`);
  else if (p.kind === "leads_to" || p.kind === "always_eventually") lines.push(`   ■ the execution ends here`);
  if (p.kind === "invariant") lines.push(`   ✗ ${p.name} does not hold in the state after step ${t.steps.length}`);
  return lines.join("\n");
}

function renderStep(s: TraceStep, tw: number): string[] {
  const where = `${s.file.split("/").pop()}:${s.line}`;
  const head = `${String(s.step).padStart(4)}  cpu${s.cpu}  ${s.thread.padEnd(tw)}  `;
  let what: string;
  const refs = s.refs.length > 0 ? `   @${s.refs.map((r) => r.text).join(", @")}` : "";
  if (s.kind === "kill")
    what = `⚡ SIGKILL arrives (${s.side === "user" ? "in user mode" : "asleep in the kernel"} at ${where})`;
  else if (s.kind === "signal")
    what = `⚡ signal arrives (${s.side === "user" ? "in user mode" : "asleep in the kernel"} at ${where})`;
  else {
    const label = s.label && !s.source.startsWith(`${s.label}:`) ? `${s.label}: ` : "";
    const fail = s.kind === "fail" ? "✗ " : "";
    const note = s.note ? `   — ${s.note}` : s.routine ? `   [in ${s.routine}]` : "";
    what = `${fail}${s.side.padEnd(6)} ${where.padEnd(16)} ${label}${s.source}${note}`;
  }
  const out = [head + what + refs];
  const real = s.changes.filter((c) => c.space !== "ghost" && c.space !== "local");
  const locals = s.changes.filter((c) => c.space === "local");
  const ghosts = s.changes.filter((c) => c.space === "ghost");
  const fmt = (cs: typeof s.changes) =>
    cs.map((c) => `${c.name} ${c.before === "" ? "=" : `${c.before} →`} ${c.after}`).join("; ");
  const pad = " ".repeat(head.length);
  if (real.length > 0) out.push(`${pad}${fmt(real)}`);
  if (locals.length > 0) out.push(`${pad}locals: ${fmt(locals)}`);
  if (ghosts.length > 0) out.push(`${pad}ghost: ${fmt(ghosts)}`);
  return out;
}
