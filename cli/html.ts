// Self-contained HTML pages for traces: a sequence diagram per trace (one lane per thread, lanes grouped by
// CPU, kernel-mode steps shaded apart from user-mode steps, kill and signal events marked, the cycle of a
// lasso marked) with a state panel that shows the full state after the step under the pointer or selected.
//
// The writer is pure: plain data in (a check report, or a comparison table and its traces), one HTML string
// out. The page loads nothing: its style and script are inline and pinned by hash in its Content Security
// Policy, it uses the reader's system fonts, and it makes no network request. Every panel is rendered here,
// so the page's script only shows and hides them, and the page reads (and prints) without it.
import { createHash } from "node:crypto";
import type { CompiledModel } from "../checker/compile.js";
import type { CheckReport } from "../checker/run.js";
import { snapshot, type Change, type Trace, type TraceStep } from "../checker/trace.js";
import { nameTable } from "../grammar/names.js";
import { followsText } from "./render.js";

export type Space = Change["space"];

/** What the writer knows about a model beyond its traces: every thread with its CPU (so that threads that
 *  never take a step still get a lane) and the space of every variable (so that ghost variables are set
 *  apart even when a trace never changes them). Both are optional: without them, lanes come from the steps
 *  and spaces from the changes and the names. */
export interface ModelInfo {
  threads?: { name: string; cpu: number }[];
  spaces?: Record<string, Space>;
}

/** The property a trace belongs to, as in a check report. */
export interface TraceProperty {
  name: string;
  kind: string; // invariant, reachable, deadlock, assert, runtime, leads_to, always_eventually
  verdict: string;
  message: string | null;
}

/** One diagram: a trace and what it shows. */
export interface DiagramInput {
  id: string; // unique in the page; used for its anchor
  property: TraceProperty;
  trace: Trace;
  model?: ModelInfo;
  context?: string; // a line under the heading, e.g. the model and options of a comparison row
}

export interface CheckHtmlInput {
  file: string;
  report: CheckReport;
  model?: ModelInfo;
}

export interface CompareCell {
  verdict: string;
  message?: string | null;
  diagram?: string; // the id of one of the diagrams passed with the table
}

export interface CompareRow {
  name: string; // e.g. a model or configuration
  detail?: string; // e.g. its file and options
  cells: Record<string, CompareCell | null | undefined>; // by column
}

export interface CompareTable {
  title: string;
  subtitle?: string;
  columns: string[]; // property names
  rows: CompareRow[];
}

/** The threads and variable spaces of a compiled model, for the diagrams of its traces. */
export function htmlModelInfo(m: CompiledModel): ModelInfo {
  const spaces = nameTable([...snapshot(m, m.initial()).values()].map((v) => [v.name, v.space]));
  return { threads: m.threads.map((t) => ({ name: t.name, cpu: t.cpu })), spaces };
}

/** A page with the verdicts of one check and a diagram for every violation and every witness. */
export function renderCheckHtml(input: CheckHtmlInput): string {
  const { report: r, file } = input;
  const ids = new Ids();
  const diagrams: { input: DiagramInput; anchor: string }[] = [];
  for (const p of r.results) {
    if (p.trace === null || (p.verdict !== "VIOLATED" && p.verdict !== "REACHED")) continue;
    const d: DiagramInput = { id: p.name, property: p, trace: p.trace, model: input.model };
    diagrams.push({ input: d, anchor: ids.take(`trace-${p.name}`) });
  }
  const anchorOf = new Map(diagrams.map((d) => [d.input.property.name, d.anchor]));
  const violated = r.results.filter((p) => p.verdict === "VIOLATED" || p.verdict === "UNREACHABLE").length;
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`);
  const meta = [
    file,
    `${r.threads} thread${r.threads === 1 ? "" : "s"} on ${r.cpus} CPU${r.cpus === 1 ? "" : "s"}`,
    ...(params.length > 0 ? [params.join(" ")] : []),
    ...(r.follows.length > 0 ? [`follows ${followsText(r)}`] : []),
    `kills ${r.kills}`,
    `signals ${r.signals}`,
    r.order === "bfs" ? "breadth-first" : "depth-first",
    `${count(r.stats.states)} states`,
    `${count(r.stats.transitions)} transitions`,
  ];
  const rows = r.results.map((p) => {
    const anchor = anchorOf.get(p.name);
    const steps = p.trace ? `${p.trace.steps.length} step${p.trace.steps.length === 1 ? "" : "s"}` : "";
    const link =
      anchor === undefined
        ? ""
        : `<a href="#${anchor}">${p.verdict === "REACHED" ? "witness" : "trace"}, ${steps} ↓</a>`;
    return (
      `<tr data-property="${esc(p.name)}"><th scope="row">${esc(p.name)}</th><td class="kind">${esc(kindName(p.kind))}</td>` +
      `<td>${chip(p.verdict)}</td><td class="link">${link}</td><td class="msg">${esc(p.message ?? "")}</td></tr>`
    );
  });
  const body = [
    `<header class="page-head"><h1>model <span class="model">${esc(r.model)}</span></h1>`,
    `<p class="meta">${meta.map(esc).join(" · ")}</p>`,
    r.complete ? "" : `<p class="incomplete">search incomplete${r.stopReason ? `: ${esc(r.stopReason)}` : ""}</p>`,
    `</header>`,
    `<nav class="summary" aria-label="Verdicts"><table class="verdicts"><thead><tr><th scope="col">property</th><th scope="col">kind</th><th scope="col">verdict</th><th scope="col">trace</th><th scope="col">detail</th></tr></thead><tbody>${rows.join("")}</tbody></table></nav>`,
    diagrams.length === 0 ? `<p class="none">No trace: every property holds and nothing was reached.</p>` : "",
    ...diagrams.map((d, i) => renderDiagram(d.input, d.anchor, i > 0)),
  ];
  const title = `futexcheck: ${r.model} — ${violated === 0 ? "no violation" : `${violated} violated`}`;
  return page(title, body.join("\n"));
}

/** A page with a comparison table (verdicts coloured, each counterexample linked to its diagram) and the
 *  diagrams. A cell names its diagram by id. */
export function renderCompareHtml(table: CompareTable, diagrams: DiagramInput[] = []): string {
  const ids = new Ids();
  const anchors = new Map<string, string>();
  for (const d of diagrams) {
    if (anchors.has(d.id)) throw new Error(`renderCompareHtml: two diagrams have the id '${d.id}'`);
    anchors.set(d.id, ids.take(`trace-${d.id}`));
  }
  const head = `<tr><th scope="col">${esc(table.rows.length === 1 ? "model" : "models")}</th>${table.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join("")}</tr>`;
  const rows = table.rows.map((row) => {
    const cells = table.columns.map((col) => {
      const cell = row.cells[col];
      if (cell === null || cell === undefined) return `<td class="cell empty" data-column="${esc(col)}">—</td>`;
      let inner = chip(cell.verdict);
      if (cell.diagram !== undefined) {
        const anchor = anchors.get(cell.diagram);
        if (anchor === undefined) throw new Error(`renderCompareHtml: no diagram has the id '${cell.diagram}'`);
        const d = diagrams.find((x) => x.id === cell.diagram)!;
        const n = d.trace.steps.length;
        inner = `<a class="to-trace" href="#${anchor}">${inner}<span class="steps">${n} step${n === 1 ? "" : "s"} ↓</span></a>`;
      }
      const msg = cell.message ? `<div class="msg">${esc(cell.message)}</div>` : "";
      return `<td class="cell" data-column="${esc(col)}" data-verdict="${esc(cell.verdict)}">${inner}${msg}</td>`;
    });
    const detail = row.detail ? `<div class="detail">${esc(row.detail)}</div>` : "";
    return `<tr data-row="${esc(row.name)}"><th scope="row">${esc(row.name)}${detail}</th>${cells.join("")}</tr>`;
  });
  const body = [
    `<header class="page-head"><h1>${esc(table.title)}</h1>${table.subtitle ? `<p class="meta">${esc(table.subtitle)}</p>` : ""}</header>`,
    `<nav class="summary" aria-label="Comparison"><table class="verdicts compare"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></nav>`,
    ...diagrams.map((d, i) => renderDiagram(d, anchors.get(d.id)!, i > 0, true)),
  ];
  return page(`futexcheck: ${table.title}`, body.join("\n"));
}

// ---------- one diagram ----------

interface Lane {
  name: string;
  cpu: number;
}

function lanesOf(t: Trace, info: ModelInfo | undefined): Lane[] {
  const lanes: Lane[] = info?.threads?.map((x) => ({ ...x })) ?? [];
  const known = new Set(lanes.map((l) => l.name));
  const fromSteps = [...t.steps].sort((a, b) => a.threadIndex - b.threadIndex);
  for (const s of fromSteps) {
    if (known.has(s.thread)) continue;
    known.add(s.thread);
    lanes.push({ name: s.thread, cpu: s.cpu });
  }
  // grouped by CPU, in model order within a CPU (a stable sort keeps the order)
  return lanes
    .map((l, i) => ({ l, i }))
    .sort((a, b) => a.l.cpu - b.l.cpu || a.i - b.i)
    .map((x) => x.l);
}

type PanelSpace = Space | "global" | "counter";

/** Which space a state entry belongs to: from the model when known, else from the trace's changes, else
 *  from its name (thread statuses are named after threads, locals `thread.name`). */
function classifier(t: Trace, info: ModelInfo | undefined, lanes: Lane[]): (name: string) => PanelSpace {
  const seen = new Map<string, Space>();
  for (const s of t.steps) for (const c of s.changes) seen.set(c.name, c.space);
  const threads = new Set(lanes.map((l) => l.name));
  const space = (name: string): PanelSpace => {
    const known = info?.spaces?.[name] ?? seen.get(name);
    if (known !== undefined) return known;
    if (threads.has(name)) return "thread";
    if (name === "kills sent" || name === "signals sent") return "faults";
    for (const th of threads) if (name.startsWith(`${th}.`)) return "local";
    return info?.spaces === undefined ? "global" : "shared";
  };
  // a thread's cost counters (`thread.#name`) are locals, but apart from the program's own
  return (name) => {
    const sp = space(name);
    return sp === "local" && /\.#[^.]*$/.test(name) ? "counter" : sp;
  };
}

/** The state after every step (index 0: the initial state). A step without a recorded state (a failing step,
 *  or a trace made without states) gets the previous state with its changes applied. */
function statesOf(t: Trace): { states: Record<string, string>[]; rebuilt: boolean } {
  const states: Record<string, string>[] = [nameTable(Object.entries(t.initial))];
  let rebuilt = false;
  for (const s of t.steps) {
    if (s.state !== undefined) {
      states.push(s.state);
      continue;
    }
    const next = nameTable(Object.entries(states[states.length - 1]));
    for (const c of s.changes) next[c.name] = c.after;
    if (s.kind !== "fail" && s.changes.length > 0) rebuilt = true;
    states.push(next);
  }
  return { states, rebuilt };
}

type Mode = "user" | "kernel" | "handler" | "killed" | "exited" | "none";

function modeOf(status: string | undefined): Mode {
  if (status === undefined) return "none";
  if (status.startsWith("exited")) return "exited";
  if (status.includes("in signal handler")) return "handler";
  if (status.startsWith("kernel")) return status.includes("killed") ? "killed" : "kernel";
  return "user";
}

function renderDiagram(d: DiagramInput, anchor: string, breakBefore: boolean, backLink = false): string {
  const t = d.trace;
  const p = d.property;
  const lanes = lanesOf(t, d.model);
  const space = classifier(t, d.model, lanes);
  const { states, rebuilt } = statesOf(t);
  const laneIndex = new Map(lanes.map((l, i) => [l.name, i]));
  const cpuStart = lanes.map((l, i) => i === 0 || lanes[i - 1].cpu !== l.cpu);
  const loop = t.loopStart !== undefined && t.loopStart >= 1 && t.loopStart <= t.steps.length ? t.loopStart : null;
  const width = lanes.length + 1;
  const last = t.steps.length;

  // header: CPU groups, then threads
  const groups: { cpu: number; n: number }[] = [];
  for (const l of lanes) {
    const g = groups[groups.length - 1];
    if (g !== undefined && g.cpu === l.cpu) g.n++;
    else groups.push({ cpu: l.cpu, n: 1 });
  }
  const thead =
    `<thead><tr class="cpus"><th class="num" scope="col"></th>${groups.map((g) => `<th class="cpu cpu-start" colspan="${g.n}" scope="colgroup">CPU ${g.cpu}</th>`).join("")}</tr>` +
    `<tr class="threads"><th class="num" scope="col">step</th>${lanes.map((l, i) => `<th class="thread${cpuStart[i] ? " cpu-start" : ""}" scope="col" data-thread="${esc(l.name)}" data-cpu="${l.cpu}">${esc(l.name)}</th>`).join("")}</tr></thead>`;

  const rows: string[] = [];
  const laneCells = (k: number, actor: TraceStep | null, box: string): string =>
    lanes
      .map((l, i) => {
        const mine = actor !== null && actor.thread === l.name;
        const mode = mine
          ? actor.side === "kernel"
            ? "kernel"
            : modeOf(states[k - 1][l.name])
          : modeOf(states[k][l.name]);
        const cls = `lane ll-${mode}${cpuStart[i] ? " cpu-start" : ""}${mine ? " actor" : ""}`;
        return `<td class="${cls}" data-thread="${esc(l.name)}">${mine ? box : ""}</td>`;
      })
      .join("");
  // the initial state
  const start = lanes
    .map((l, i) => {
      const st = states[0][l.name];
      const cls = `lane ll-${modeOf(st)}${cpuStart[i] ? " cpu-start" : ""}`;
      return `<td class="${cls}" data-thread="${esc(l.name)}">${st === undefined ? "" : `<span class="status">${esc(st)}</span>`}</td>`;
    })
    .join("");
  rows.push(
    `<tr class="step initial${last === 0 ? " selected" : ""}" data-step="0" tabindex="0" aria-selected="${last === 0}"><td class="num">0</td>${start}</tr>`,
  );
  for (const s of t.steps) {
    if (loop !== null && s.step === loop)
      rows.push(
        `<tr class="marker loop-start"><td colspan="${width}">↻ from here on the steps repeat forever: a cycle of ${last - loop + 1} step${last - loop + 1 === 1 ? "" : "s"} (${loop === last ? `step ${loop}` : `steps ${loop}–${last}`})</td></tr>`,
      );
    const inCycle = loop !== null && s.step >= loop;
    const cls = [
      "step",
      `kind-${s.kind}`,
      `side-${s.side}`,
      ...(inCycle ? ["cycle"] : []),
      ...(s.step === last ? ["selected"] : []),
    ].join(" ");
    if (!laneIndex.has(s.thread)) throw new Error(`internal: no lane for ${s.thread}`);
    rows.push(
      `<tr class="${cls}" data-step="${s.step}" data-thread="${esc(s.thread)}" tabindex="0" aria-selected="${s.step === last}"><td class="num">${s.step}</td>${laneCells(s.step, s, stepBox(s, p, states[s.step - 1][s.thread]))}</tr>`,
    );
  }
  const end = endMarker(p, t, loop);
  if (end !== null) rows.push(`<tr class="marker ${end.cls}"><td colspan="${width}">${esc(end.text)}</td></tr>`);

  const panels = states.map((st, k) => statePanel(t, k, st, k === 0 ? null : t.steps[k - 1], space, k === last, loop));
  const heading = `${chip(p.verdict)} <span class="pname">${esc(p.name)}</span> <span class="shape">${esc(shape(p, t, loop))}</span>`;
  const context = d.context ? `<p class="context">${esc(d.context)}</p>` : "";
  const message = p.message ? `<p class="message">${esc(p.message)}</p>` : "";
  const note = rebuilt
    ? `<p class="rebuilt">The states between steps are rebuilt from the changes (the trace was made without states): locals that went dead may still be shown.</p>`
    : "";
  const back = backLink ? `<p class="back"><a href="#top">↑ back to the table</a></p>` : "";
  return [
    `<section class="trace${breakBefore ? " page-break" : ""}" id="${anchor}" data-property="${esc(p.name)}" data-verdict="${esc(p.verdict)}" data-kind="${esc(p.kind)}"${loop !== null ? ` data-loop-start="${loop}"` : ""}>`,
    `<h2>${heading}</h2>${context}${message}${note}`,
    `<div class="trace-body"><div class="diagram"><table class="seq lanes-${Math.min(lanes.length, MAX_LANE_CLASS)}" aria-label="sequence diagram of ${esc(p.name)}">${thead}<tbody>${rows.join("")}</tbody></table>`,
    `<p class="hint">Click a step (or hover over it) to see the state after it; ↑ ↓ move between steps.</p></div>`,
    `<aside class="state-panel" aria-label="state" aria-live="polite">${panels.join("")}</aside></div>${back}</section>`,
  ].join("\n");
}

/** Lane-count classes give the diagram a minimum width of 13rem a lane (the page's style cannot be set per
 *  element: the Content Security Policy admits only the one style sheet). */
const MAX_LANE_CLASS = 12;

/** A source line with its trailing comment set apart. */
function sourceHtml(src: string): string {
  const m = /^(.*?)\s*(\/\/.*)$/.exec(src);
  return m === null || m[1] === "" ? esc(src) : `${esc(m[1])} <span class="cmt">${esc(m[2])}</span>`;
}

function stepBox(s: TraceStep, p: TraceProperty, before: string | undefined): string {
  const where = `${s.file.split("/").pop()}:${s.line}`;
  const loc = `<span class="loc" title="${esc(s.file)}:${s.line}:${s.col}">${esc(where)}</span>`;
  const label = s.label ? `<span class="lbl">${esc(s.label)}</span>` : "";
  const handler = s.kind !== "signal" && before?.includes("in signal handler") ? " · handler" : "";
  const mode = `<span class="mode">${s.side}${handler}</span>`;
  const changes = s.changes.filter((c) => c.space !== "faults");
  const chg =
    changes.length === 0
      ? ""
      : `<ul class="chg">${changes.map((c) => `<li class="sp-${c.space}">${c.space === "ghost" ? `<span class="gh">ghost</span> ` : ""}${esc(c.name)} ${c.before === "" ? "=" : `${esc(c.before)} →`} <b>${esc(c.after)}</b></li>`).join("")}</ul>`;
  const refs =
    s.refs.length === 0
      ? ""
      : `<div class="refs">${s.refs.map((r) => `<span class="ref" title="${esc(`${r.project} ${r.version} ${r.location}`)}">${esc(r.text)}</span>`).join(" ")}</div>`;
  if (s.kind === "kill" || s.kind === "signal") {
    const what = s.kind === "kill" ? "SIGKILL" : "signal";
    const how =
      s.side === "user"
        ? `arrives in user mode, before line ${s.line}`
        : `arrives while asleep in the kernel${s.routine ? ` in ${esc(s.routine)}()` : ""}`;
    const then = s.kind === "kill" ? "the thread goes down the exit path" : "the signal handler runs";
    return `<div class="box event ev-${s.kind} s-${s.side}"><div class="head"><span class="bolt">⚡ ${what}</span>${loc}</div><div class="note">${how}: ${then}</div>${refs}${chg}</div>`;
  }
  const src = s.label && s.source.startsWith(`${s.label}:`) ? s.source.slice(s.label.length + 1).trim() : s.source;
  const fail = s.kind === "fail" ? `<span class="fails">✗ fails</span>` : "";
  const note = s.note
    ? `<div class="note">${esc(s.note)}</div>`
    : s.routine
      ? `<div class="note">in ${esc(s.routine)}()</div>`
      : "";
  const msg = s.kind === "fail" && p.message ? `<div class="failmsg">${esc(p.message)}</div>` : "";
  return `<div class="box s-${s.side}${s.kind === "fail" ? " failing" : ""}"><div class="head">${fail}${label}${loc}${mode}</div><code class="src">${sourceHtml(src)}</code>${refs}${note}${msg}${chg}</div>`;
}

function endMarker(p: TraceProperty, t: Trace, loop: number | null): { cls: string; text: string } | null {
  const n = t.steps.length;
  if (p.kind === "leads_to" || p.kind === "always_eventually")
    return loop !== null
      ? { cls: "loop-end", text: `↻ back to the state before step ${loop}: the cycle repeats forever` }
      : { cls: "ends", text: "■ the execution ends here" };
  if (loop !== null) return { cls: "loop-end", text: `↻ back to the state before step ${loop}` };
  if (p.verdict === "REACHED") return { cls: "reached", text: `✓ ${p.name} holds in the state after step ${n}` };
  if (p.kind === "invariant")
    return { cls: "violated", text: `✗ ${p.name} does not hold in the state after step ${n}` };
  if (p.kind === "deadlock")
    return { cls: "violated", text: `✗ deadlock after step ${n}${p.message ? `: ${p.message}` : ""}` };
  return null; // an assertion or runtime error: the failing step is the last row
}

function shape(p: TraceProperty, t: Trace, loop: number | null): string {
  const n = `${t.steps.length} step${t.steps.length === 1 ? "" : "s"}`;
  if (p.verdict === "REACHED") return `reached: witness, ${n}`;
  if (p.kind === "leads_to" || p.kind === "always_eventually")
    return loop === null
      ? `violated: a finite execution, ${n}`
      : `violated: a lasso, ${loop - 1} step${loop - 1 === 1 ? "" : "s"} then a cycle of ${t.steps.length - loop + 1}`;
  const what = t.shortest === true ? "shortest trace" : "trace"; // as the text report says
  if (p.kind === "deadlock") return `deadlock: ${what}, ${n}`;
  if (p.kind === "assert") return `assertion failed: ${what}, ${n}`;
  if (p.kind === "runtime") return `runtime error: ${what}, ${n}`;
  return `violated: ${what}, ${n}`;
}

const GROUPS: [PanelSpace, string][] = [
  ["thread", "threads"],
  ["shared", "shared (user memory)"],
  ["kernel", "kernel"],
  ["percpu", "per-CPU"],
  ["global", "variables"],
  ["local", "thread locals"],
  ["counter", "cost counters"],
  ["faults", "sent by the environment"],
  ["ghost", "ghost — bookkeeping for the properties, not part of the system"],
];

function statePanel(
  t: Trace,
  k: number,
  state: Record<string, string>,
  s: TraceStep | null,
  space: (name: string) => PanelSpace,
  shown: boolean,
  loop: number | null,
): string {
  const changed = new Map((s?.changes ?? []).map((c) => [c.name, c]));
  const bySpace = new Map<PanelSpace, string[]>();
  for (const name of Object.keys(state)) {
    const sp = space(name);
    if (!bySpace.has(sp)) bySpace.set(sp, []);
    bySpace.get(sp)!.push(name);
  }
  const groups = GROUPS.filter(([sp]) => bySpace.has(sp)).map(([sp, title]) => {
    const rows = bySpace.get(sp)!.map((name) => {
      const c = changed.get(name);
      const value = state[name];
      const shownValue =
        c === undefined
          ? `<span class="after">${esc(value)}</span>`
          : c.before === ""
            ? `<span class="after">${esc(value)}</span> <span class="was">new</span>`
            : `<span class="before">${esc(c.before)}</span> → <span class="after">${esc(value)}</span>`;
      return `<tr class="var${c ? " changed" : ""}" data-var="${esc(name)}" data-value="${esc(value)}"><th scope="row">${esc(name)}</th><td>${shownValue}</td></tr>`;
    });
    const table = `<table>${rows.join("")}</table>`;
    // cost counters are many and seldom the point: folded, unless this step changed one
    if (sp === "counter")
      return `<details class="group g-counter" data-space="counter"${rows.some((r) => r.includes(" changed")) ? " open" : ""}><summary>${esc(title)} (${rows.length})</summary>${table}</details>`;
    return `<div class="group g-${sp}${sp === "ghost" ? " ghost" : ""}" data-space="${sp}"><h4>${esc(title)}</h4>${table}</div>`;
  });
  let title: string;
  let sub = "";
  if (s === null) title = "Initial state";
  else {
    title = `State after step ${k}`;
    const where = `${s.file.split("/").pop()}:${s.line}`;
    const what = s.kind === "kill" ? "⚡ SIGKILL" : s.kind === "signal" ? "⚡ signal" : (s.label ?? "");
    sub = [s.thread, what, where].filter((x) => x !== "").join(" · ");
  }
  const notes: string[] = [];
  if (s?.kind === "fail") notes.push("The step fails: the state is unchanged.");
  if (loop !== null && k === t.steps.length)
    notes.push(`This is the state before step ${loop}: the cycle closes here.`);
  if (s !== null && s.changes.length > 0) notes.push("Highlighted: changed by this step.");
  return (
    `<div class="state" data-step="${k}"${shown ? "" : " hidden"}><h3>${esc(title)}</h3>` +
    (sub ? `<p class="where">${esc(sub)}</p>` : "") +
    notes.map((n) => `<p class="pnote">${esc(n)}</p>`).join("") +
    groups.join("") +
    `</div>`
  );
}

// ---------- the page ----------

function kindName(kind: string): string {
  return kind === "leads_to" ? "leads to" : kind === "always_eventually" ? "always eventually" : kind;
}

function chip(verdict: string): string {
  return `<span class="verdict v-${esc(verdict.toLowerCase())}">${esc(verdict)}</span>`;
}

function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

class Ids {
  private used = new Set<string>(["top"]);
  take(want: string): string {
    const base = want.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "trace";
    let id = base;
    for (let i = 2; this.used.has(id); i++) id = `${base}-${i}`;
    this.used.add(id);
    return id;
  }
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

function page(title: string, body: string): string {
  const csp = `default-src 'none'; style-src 'sha256-${sha256(STYLE)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="futexcheck">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body id="top">
<main>
${body}
</main>
<footer><p>Made by futexcheck. This page is self-contained: it loads nothing from the network or from other files.</p>
<p class="legend"><span class="key k-user">user-mode step</span> <span class="key k-kernel">kernel-mode step</span> <span class="key k-kill">⚡ SIGKILL</span> <span class="key k-signal">⚡ signal</span> <span class="key k-fail">✗ failing step</span> <span class="key k-cycle">cycle of a lasso</span> <span class="key k-ghost">ghost variable</span> · lifelines: thin user mode, wide band kernel mode, dotted in a signal handler, none once gone</p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

// Shows the panel of the step under the pointer, or else of the selected step; a click or Enter selects;
// arrow keys, Home and End move the selection. While the keyboard moves the selection, rows that come under
// a resting pointer as the page scrolls are not shown: only a real move of the pointer brings hovering back.
const SCRIPT = `
(function () {
  var keyboard = false, px = -1, py = -1;
  document.addEventListener("mousemove", function (e) {
    if (e.screenX !== px || e.screenY !== py) keyboard = false;
    px = e.screenX;
    py = e.screenY;
  });
  var sections = document.querySelectorAll("section.trace");
  Array.prototype.forEach.call(sections, function (sec) {
    var rows = Array.prototype.slice.call(sec.querySelectorAll("tr.step"));
    var panels = Array.prototype.slice.call(sec.querySelectorAll(".state-panel .state"));
    var selected = sec.querySelector("tr.step.selected") || rows[rows.length - 1];
    function show(row) {
      var k = row.getAttribute("data-step");
      panels.forEach(function (p) { p.hidden = p.getAttribute("data-step") !== k; });
      rows.forEach(function (r) { r.classList.toggle("shown", r === row); });
    }
    function select(row) {
      selected.classList.remove("selected");
      selected.setAttribute("aria-selected", "false");
      selected = row;
      row.classList.add("selected");
      row.setAttribute("aria-selected", "true");
      show(row);
    }
    rows.forEach(function (row, i) {
      row.addEventListener("click", function () { select(row); });
      row.addEventListener("mouseenter", function () { if (!keyboard) show(row); });
      row.addEventListener("mouseleave", function () { if (!keyboard) show(selected); });
      row.addEventListener("keydown", function (e) {
        var j = e.key === "ArrowDown" ? i + 1 : e.key === "ArrowUp" ? i - 1 : e.key === "Home" ? 0 :
          e.key === "End" ? rows.length - 1 : e.key === "Enter" || e.key === " " ? i : null;
        if (j === null) return;
        e.preventDefault();
        keyboard = true;
        j = Math.max(0, Math.min(rows.length - 1, j));
        select(rows[j]);
        // the least scrolling that shows the row (focus alone would centre it, and a tall sticky panel,
        // held by the bottom of its trace, would then leave the page's top)
        rows[j].focus({ preventScroll: true });
        rows[j].scrollIntoView({ block: "nearest" });
      });
    });
    show(selected);
  });
})();
`;

const STYLE = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #cbd2d9; --paper: #ffffff; --bg: #f5f7fa;
  --user: #ffffff; --user-edge: #9aa5b1;
  --kernel: #dfe7f7; --kernel-edge: #2f4f9e; --kernel-band: #a9bbe3; --killed-band: #eab0ae;
  --kill: #c62828; --kill-bg: #fdecea; --signal: #b45309; --signal-bg: #fff4e0;
  --cycle: #0f766e; --cycle-bg: #e0f5f1; --ghost: #6d28d9; --ghost-bg: #f4effd;
  --sel: #fff3bf; --changed: #fde68a;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { padding: 12px 20px 4px; }
footer { padding: 4px 20px 16px; color: var(--muted); font-size: 12px; }
footer p { margin: 4px 0; }
h1 { font-size: 20px; margin: 0 0 2px; }
h1 .model { font-family: var(--mono); }
h2 { font-size: 16px; margin: 0 0 4px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
h2 .pname { font-family: var(--mono); }
h2 .shape { font-weight: normal; color: var(--muted); }
.meta, .context { color: var(--muted); margin: 0 0 8px; }
.message { margin: 0 0 8px; }
.incomplete, .rebuilt { color: #8a2c0d; margin: 0 0 8px; }
a { color: #1d4ed8; }
.verdict { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; font-weight: 600;
  letter-spacing: 0.02em; border: 1px solid transparent; white-space: nowrap; }
.v-violated { background: #fde2e1; color: #9b1c1c; border-color: #f8b4b4; }
.v-holds { background: #def7ec; color: #03543f; border-color: #84e1bc; }
.v-reached { background: #e1effe; color: #1e429f; border-color: #a4cafe; }
.v-unreachable { background: #feecdc; color: #8a2c0d; border-color: #fdba8c; }
.v-incomplete { background: #f3f4f6; color: #374151; border-color: #d2d6dc; }
table.verdicts { border-collapse: collapse; background: var(--paper); margin: 4px 0 16px; font-size: 13px;
  border: 1px solid var(--line); }
table.verdicts th, table.verdicts td { padding: 4px 10px; text-align: left; border-bottom: 1px solid #e4e7eb;
  vertical-align: top; }
table.verdicts thead th { background: #eef1f5; font-weight: 600; }
table.verdicts tbody th { font-family: var(--mono); font-weight: 600; }
table.verdicts .msg { color: var(--muted); font-size: 12px; }
table.compare td.cell .msg { max-width: 22em; }
table.compare .detail { font-family: inherit; font-weight: normal; color: var(--muted); font-size: 12px; }
a.to-trace { text-decoration: none; display: inline-flex; gap: 6px; align-items: center; }
a.to-trace .steps { text-decoration: underline; font-size: 12px; }
section.trace { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 8px;
  margin: 0 0 16px; }
.trace-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(16rem, 24rem); gap: 14px; align-items: start; }
.diagram { overflow-x: auto; }
.hint { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
.back { margin: 6px 0 0; font-size: 12px; }
table.seq { border-collapse: separate; border-spacing: 0; width: 100%; table-layout: fixed; }
${Array.from({ length: MAX_LANE_CLASS }, (_, i) => `table.seq.lanes-${i + 1} { min-width: calc(2.6rem + ${i + 1} * 13rem); }`).join("\n")}
table.seq th, table.seq td { padding: 0; }
table.seq thead th { font-weight: 600; text-align: center; padding: 3px 6px; }
table.seq tr.cpus th.cpu { background: #eef1f5; color: var(--muted); font-size: 12px; font-weight: 600;
  border-bottom: 1px solid var(--line); }
table.seq tr.threads th.thread { font-family: var(--mono); font-size: 13px; border-bottom: 2px solid var(--line); }
table.seq .cpu-start { border-left: 2px solid var(--line); }
table.seq th.num, table.seq td.num { width: 2.6rem; text-align: right; padding: 4px 6px 4px 0; color: var(--muted);
  font-variant-numeric: tabular-nums; font-size: 12px; vertical-align: top; }
table.seq td.lane { vertical-align: top; padding: 3px 8px; background-repeat: no-repeat; }
td.ll-user { background-image: linear-gradient(90deg, transparent calc(50% - 1px), var(--user-edge) calc(50% - 1px),
  var(--user-edge) calc(50% + 1px), transparent calc(50% + 1px)); }
td.ll-kernel { background-image: linear-gradient(90deg, transparent calc(50% - 6px), var(--kernel-band) calc(50% - 6px),
  var(--kernel-band) calc(50% + 6px), transparent calc(50% + 6px)); }
td.ll-killed { background-image: linear-gradient(90deg, transparent calc(50% - 6px), var(--killed-band) calc(50% - 6px),
  var(--killed-band) calc(50% + 6px), transparent calc(50% + 6px)); }
td.ll-handler { background-image: repeating-linear-gradient(180deg, var(--signal) 0 4px, transparent 4px 8px);
  background-size: 2px 100%; background-position: 50% 0; }
tr.step { cursor: pointer; }
tr.step:focus-visible { outline: 2px solid #1d4ed8; outline-offset: -2px; }
tr.step.cycle td { background-color: #f2faf8; }
tr.step.selected td { background-color: var(--sel); }
tr.step.shown:not(.selected) td { background-color: #fffbe6; }
tr.step.cycle td.num { background-color: var(--cycle-bg); border-left: 4px solid var(--cycle); color: var(--cycle);
  font-weight: 600; }
tr.step.cycle.selected td.num { background-color: var(--sel); }
tr.marker td { font-size: 12px; padding: 3px 8px; }
tr.loop-start td, tr.loop-end td { color: var(--cycle); background: var(--cycle-bg); font-weight: 600;
  border-left: 4px solid var(--cycle); }
tr.violated td { color: #9b1c1c; background: #fdf2f2; font-weight: 600; }
tr.reached td { color: #1e429f; background: #ebf5ff; font-weight: 600; }
tr.ends td { color: var(--muted); font-weight: 600; }
.status { display: inline-block; font-size: 11px; color: var(--muted); background: var(--paper);
  border: 1px solid var(--line); border-radius: 8px; padding: 0 6px; margin: 3px 0; position: relative; left: 50%;
  transform: translateX(-50%); white-space: nowrap; }
.box { position: relative; margin: 3px 0; padding: 3px 7px 4px; border: 1px solid var(--user-edge);
  border-left: 5px solid var(--user-edge); border-radius: 4px; background: var(--user); font-size: 12.5px; }
.box.s-kernel { background: var(--kernel); border-color: #9fb3dd; border-left-color: var(--kernel-edge); }
.box .head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
.box .lbl { font-family: var(--mono); font-weight: 700; }
.box .loc { font-family: var(--mono); color: var(--muted); font-size: 11.5px; }
.box .mode { margin-left: auto; font-size: 10.5px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.box.s-kernel .mode { color: var(--kernel-edge); font-weight: 700; }
.box code.src { display: block; font-family: var(--mono); font-size: 12px; white-space: pre-wrap; word-break: break-word; }
.box code.src .cmt { color: var(--muted); }
.box .note { color: var(--muted); font-style: italic; font-size: 12px; }
.box .refs { font-family: var(--mono); font-size: 11px; color: #1d4ed8; }
.box .refs .ref::before { content: "@"; }
.box ul.chg { list-style: none; margin: 2px 0 0; padding: 2px 0 0; border-top: 1px dashed #d9dee4;
  font-family: var(--mono); font-size: 11.5px; }
.box ul.chg li.sp-local, .box ul.chg li.sp-thread { color: var(--muted); }
.box ul.chg li.sp-ghost { color: var(--ghost); }
.box ul.chg .gh { font-family: inherit; font-size: 10px; text-transform: uppercase; }
.box.event { border-style: solid; }
.box.ev-kill { background: var(--kill-bg); border-color: #f2b8b5; border-left-color: var(--kill); }
.box.ev-signal { background: var(--signal-bg); border-color: #f6d19b; border-left-color: var(--signal); }
.box .bolt { font-weight: 700; }
.box.ev-kill .bolt { color: var(--kill); }
.box.ev-signal .bolt { color: var(--signal); }
.box.failing { border-color: #f2b8b5; border-left-color: var(--kill); box-shadow: 0 0 0 1px var(--kill) inset; }
.box .fails { color: var(--kill); font-weight: 700; }
.box .failmsg { color: var(--kill); font-size: 12px; }
.state-panel { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; border: 1px solid var(--line);
  border-radius: 6px; background: #fbfcfd; padding: 6px 10px 8px; font-size: 12.5px; }
/* every panel in the same cell, the hidden ones invisible but still taking room: the panel is as tall as the
   tallest state, so showing another step never changes the page's height (nor scrolls it under the pointer) */
.state-panel { display: grid; }
.state-panel > .state { grid-area: 1 / 1; min-width: 0; }
.state-panel > .state[hidden] { display: block; visibility: hidden; }
.state h3 { font-size: 14px; margin: 0; }
.state .where { margin: 0 0 4px; color: var(--muted); font-family: var(--mono); font-size: 12px; }
.state .pnote { margin: 0 0 4px; color: var(--muted); font-size: 12px; }
.group { margin: 6px 0 0; }
.group summary { cursor: pointer; font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  font-weight: 700; }
.group h4 { margin: 0 0 2px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.group table { border-collapse: collapse; width: 100%; font-family: var(--mono); font-size: 12px; }
.group th, .group td { text-align: left; padding: 1px 4px; border-bottom: 1px solid #eef1f4; vertical-align: top; }
.group th { font-weight: normal; width: 55%; word-break: break-word; }
.group tr.changed th, .group tr.changed td { background: var(--changed); font-weight: 700; }
.group .before { text-decoration: line-through; color: var(--muted); font-weight: normal; }
.group .was { color: var(--muted); font-weight: normal; font-style: italic; }
.group.ghost { margin-top: 10px; padding: 4px 6px; border: 1px dashed var(--ghost); border-radius: 4px;
  background: var(--ghost-bg); }
.group.ghost h4 { color: var(--ghost); text-transform: none; letter-spacing: 0; font-size: 11.5px; }
.legend .key { display: inline-block; padding: 0 6px; margin: 2px 2px 2px 0; border: 1px solid var(--line);
  border-left-width: 4px; border-radius: 3px; background: var(--paper); color: var(--ink); }
.legend .k-kernel { background: var(--kernel); border-left-color: var(--kernel-edge); }
.legend .k-kill { background: var(--kill-bg); border-left-color: var(--kill); }
.legend .k-signal { background: var(--signal-bg); border-left-color: var(--signal); }
.legend .k-fail { border-left-color: var(--kill); }
.legend .k-cycle { background: var(--cycle-bg); border-left-color: var(--cycle); }
.legend .k-ghost { background: var(--ghost-bg); border: 1px dashed var(--ghost); }
@media (max-width: 900px) {
  .trace-body { grid-template-columns: minmax(0, 1fr); }
  .state-panel { position: static; max-height: none; }
}
@media print {
  body { background: #fff; font-size: 10pt; }
  main { padding: 0; }
  section.trace { border: none; padding: 0; margin: 0 0 12pt; }
  section.trace.page-break { break-before: page; }
  .trace-body { display: block; }
  .diagram { overflow: visible; }
  .state-panel { position: static; max-height: none; overflow: visible; margin-top: 8pt; break-inside: avoid; }
  .state-panel > .state[hidden] { display: none; }
  table.seq tr, .group tr { break-inside: avoid; }
  table.seq thead { display: table-header-group; }
  table.seq { min-width: 0 !important; }
  tr.step.selected td, tr.step.shown td { background-color: transparent; }
  tr.step.cycle td.num { background-color: var(--cycle-bg); }
  .hint, .back { display: none; }
  a { color: inherit; text-decoration: none; }
}
`;
