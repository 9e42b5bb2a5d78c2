// The HTML writer (cli/html.ts): pure, so tested on strings — synthetic traces for the shapes the checker
// does not produce yet or produces rarely (lassos, failing steps, traces without states), a real check for
// the rest, and `check --html` through the command line. test/browser/ opens the pages in Chromium.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck, type CheckReport } from "../../checker/run.js";
import type { Trace, TraceStep } from "../../checker/trace.js";
import { loadModel } from "../../grammar/load.js";
import { renderTrace } from "../../cli/render.js";
import {
  htmlModelInfo,
  renderCheckHtml,
  renderCompareHtml,
  type DiagramInput,
  type ModelInfo,
  type TraceProperty,
} from "../../cli/html.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

// ---------- synthetic traces ----------

let stepNo = 0;
function step(thread: string, cpu: number, over: Partial<TraceStep> = {}): TraceStep {
  stepNo++;
  return {
    step: stepNo,
    kind: "step",
    thread,
    threadIndex: thread === "a" ? 0 : thread === "b" ? 1 : 2,
    cpu,
    side: "user",
    label: null,
    routine: null,
    file: "models/t.fxp",
    line: 10 + stepNo,
    col: 3,
    source: `x = ${stepNo};`,
    note: null,
    refs: [],
    changes: [],
    ...over,
  };
}

/** A trace whose states are given in full; the steps get their `state` from `states[k]`. */
function trace(steps: TraceStep[], states: Record<string, string>[], loopStart?: number): Trace {
  steps.forEach((s, i) => {
    s.step = i + 1;
    if (s.kind !== "fail") s.state = states[i + 1];
  });
  stepNo = 0;
  const t: Trace = { steps, initial: states[0], final: states[states.length - 1] };
  if (loopStart !== undefined) t.loopStart = loopStart;
  return t;
}

const INFO: ModelInfo = {
  threads: [
    { name: "a", cpu: 1 },
    { name: "b", cpu: 0 },
    { name: "c", cpu: 1 },
  ],
  spaces: { a: "thread", b: "thread", c: "thread", x: "shared", k: "kernel", g: "ghost", "kills sent": "faults" },
};

const S0 = { a: "user", b: "user", c: "user", x: "0", k: "0", g: "0", "kills sent": "0" };

/** a: two user steps, the second entering the kernel; b: killed; a: a kernel step. */
function sample(): Trace {
  const s1 = { ...S0, x: "1", g: "1" };
  const s2 = { ...s1, a: "kernel", "a.v": "1" };
  const s3 = { ...s2, b: "kernel, killed", "kills sent": "1" };
  const s4 = { ...s3, k: "5" };
  return trace(
    [
      step("a", 1, {
        label: "take",
        source: "take: x = 1;",
        changes: [
          { space: "shared", name: "x", before: "0", after: "1" },
          { space: "ghost", name: "g", before: "0", after: "1" },
        ],
      }),
      step("a", 1, {
        note: "enters the kernel: sys()",
        changes: [
          { space: "thread", name: "a", before: "user", after: "kernel" },
          { space: "local", name: "a.v", before: "", after: "1" },
        ],
      }),
      step("b", 0, {
        kind: "kill",
        changes: [
          { space: "faults", name: "kills sent", before: "0", after: "1" },
          { space: "thread", name: "b", before: "user", after: "kernel, killed" },
        ],
      }),
      step("a", 1, {
        side: "kernel",
        routine: "sys",
        file: "lib/k.fxp",
        source: "k = 5; // in the kernel",
        changes: [{ space: "kernel", name: "k", before: "0", after: "5" }],
      }),
    ],
    [S0, s1, s2, s3, s4],
  );
}

const INVARIANT: TraceProperty = { name: "inv", kind: "invariant", verdict: "VIOLATED", message: null };

function compare(diagrams: DiagramInput[]): string {
  return renderCompareHtml(
    {
      title: "t",
      columns: ["inv"],
      rows: diagrams.map((d) => ({ name: d.id, cells: { inv: { verdict: "VIOLATED", diagram: d.id } } })),
    },
    diagrams,
  );
}

function one(t: Trace, p: TraceProperty = INVARIANT, model: ModelInfo | null = INFO): string {
  return compare([{ id: "d", property: p, trace: t, model: model ?? undefined }]);
}

// ---------- a little HTML reading ----------

interface Row {
  open: string; // the <tr …> tag
  html: string; // the whole row
}

/** The rows of the sequence diagram(s), in order. */
function seqRows(html: string): Row[] {
  const out: Row[] = [];
  for (const body of html.matchAll(/<table class="seq[^"]*"[^>]*>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/g))
    for (const m of body[1].matchAll(/(<tr[^>]*>)([\s\S]*?)<\/tr>/g)) out.push({ open: m[1], html: m[0] });
  return out;
}

const stepRows = (html: string) => seqRows(html).filter((r) => /class="step[ "]/.test(r.open));
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
/** The lane cells of a row: thread name and content. */
const cells = (row: Row) =>
  [...row.html.matchAll(/<td class="(lane[^"]*)" data-thread="([^"]*)">([\s\S]*?)<\/td>/g)].map((m) => ({
    cls: m[1],
    thread: m[2],
    inner: m[3],
  }));

/** The state panels: step → { visible, groups: space → rows }. */
function panels(html: string) {
  return [
    ...html.matchAll(
      /<div class="state" data-step="(\d+)"( hidden)?>([\s\S]*?)<\/div>(?=<div class="state"|<\/aside>)/g,
    ),
  ].map((m) => ({
    step: Number(m[1]),
    visible: m[2] === undefined,
    html: m[3],
    groups: Object.fromEntries(
      [...m[3].matchAll(/<div class="group[^"]*" data-space="([^"]*)">([\s\S]*?)<\/table><\/div>/g)].map((g) => [
        g[1],
        [...g[2].matchAll(/<tr class="var( changed)?" data-var="([^"]*)" data-value="([^"]*)">/g)].map((v) => ({
          name: v[2],
          value: v[3],
          changed: v[1] !== undefined,
        })),
      ]),
    ),
  }));
}

// ---------- tests ----------

describe("HTML pages: self-contained", () => {
  it("loads nothing: no external references, inline style and script pinned by hash", () => {
    const html = one(sample());
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|\ssrc=/i);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const hash = (s: string) => createHash("sha256").update(s, "utf8").digest("base64");
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    // the CSP admits no style attributes: there must be none
    expect(html).not.toMatch(/\sstyle="/);
  });

  it("escapes what comes from the model", () => {
    const t = sample();
    t.steps[0].source = `take: if (a < b && c > "d") { x = 1; } // <script>alert(1)</script>`;
    t.steps[0].state!["q<r"] = `"&'`;
    const html = one(t, { ...INVARIANT, name: `p"<x>`, message: "a <b> & c" });
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("if (a &lt; b &amp;&amp; c &gt; &quot;d&quot;)");
    expect(html).toContain(`data-var="q&lt;r" data-value="&quot;&amp;&#39;"`);
    expect(html).toContain("a &lt;b&gt; &amp; c");
    expect(html).toContain(`data-property="p&quot;&lt;x&gt;"`);
  });
});

describe("HTML pages: source references", () => {
  it("shows a step's source references beside its model line, and on a kill", () => {
    const t = sample();
    const ref = { project: "glibc", version: "2.41", location: "nptl/pthread_mutex_unlock.c:164" };
    t.steps[0].refs = [{ ...ref, text: "glibc nptl/pthread_mutex_unlock.c:164" }];
    t.steps[2].refs = [{ ...ref, version: "<2.24>", text: "glibc <2.24> nptl/pthread_mutex_unlock.c:164" }];
    const html = one(t);
    expect(html).toContain(
      `<div class="refs"><span class="ref" title="glibc 2.41 nptl/pthread_mutex_unlock.c:164">glibc nptl/pthread_mutex_unlock.c:164</span></div>`,
    );
    expect(html).toContain(`>glibc &lt;2.24&gt; nptl/pthread_mutex_unlock.c:164</span>`);
    expect(html.match(/<div class="refs">/g)).toHaveLength(2);
  });
});

describe("HTML pages: the sequence diagram", () => {
  it("has one lane per thread, grouped by CPU, including threads that never step", () => {
    const html = one(sample());
    const heads = [...html.matchAll(/<th class="thread[^"]*" scope="col" data-thread="([^"]*)" data-cpu="(\d+)">/g)];
    expect(heads.map((m) => [m[1], Number(m[2])])).toEqual([
      ["b", 0],
      ["a", 1],
      ["c", 1],
    ]);
    expect(
      [...html.matchAll(/<th class="cpu cpu-start" colspan="(\d+)" scope="colgroup">CPU (\d+)<\/th>/g)].map((m) => [
        m[2],
        m[1],
      ]),
    ).toEqual([
      ["0", "1"],
      ["1", "2"],
    ]);
    // without model information, the lanes are the threads that step, still grouped by CPU
    const bare = one(sample(), INVARIANT, null);
    expect([...bare.matchAll(/<th class="thread[^"]*" scope="col" data-thread="([^"]*)"/g)].map((m) => m[1])).toEqual([
      "b",
      "a",
    ]);
  });

  it("puts every step in its thread's lane, labelled with its source label and line", () => {
    const t = sample();
    const rows = stepRows(one(t));
    expect(rows.map((r) => attr(r.open, "data-step"))).toEqual(["0", "1", "2", "3", "4"]);
    for (const s of t.steps) {
      const row = rows[s.step];
      const lanes = cells(row);
      expect(lanes.map((c) => c.thread)).toEqual(["b", "a", "c"]);
      const actor = lanes.filter((c) => c.inner !== "");
      expect(actor.map((c) => c.thread)).toEqual([s.thread]);
      expect(actor[0].cls).toContain("actor");
      expect(actor[0].inner).toContain(`${s.file.split("/").pop()}:${s.line}`);
    }
    const first = cells(rows[1]).find((c) => c.thread === "a")!.inner;
    expect(first).toContain(`<span class="lbl">take</span>`);
    expect(first).toContain(`<code class="src">x = 1;</code>`); // the label is not repeated in the source
    expect(first).toContain("<b>1</b>"); // the changes, with the ghost one marked
    expect(first).toMatch(/class="sp-ghost"><span class="gh">ghost<\/span> g 0 →/);
    // the initial row shows each thread's status
    expect(cells(rows[0]).map((c) => c.inner)).toEqual(Array(3).fill(`<span class="status">user</span>`));
  });

  it("shades kernel-mode steps apart and draws kernel-mode lifelines as bands", () => {
    const rows = stepRows(one(sample()));
    expect(rows.map((r) => attr(r.open, "class"))).toEqual([
      "step initial",
      "step kind-step side-user",
      "step kind-step side-user",
      "step kind-kill side-user",
      "step kind-step side-kernel selected",
    ]);
    const kernelStep = cells(rows[4]).find((c) => c.thread === "a")!;
    expect(kernelStep.inner).toMatch(/^<div class="box s-kernel">/);
    expect(kernelStep.cls).toContain("ll-kernel");
    expect(kernelStep.inner).toContain(`<span class="cmt">// in the kernel</span>`);
    expect(kernelStep.inner).toContain("in sys()");
    // after step 2, a is in the kernel: its lifeline is a band in the rows of other threads' steps
    expect(cells(rows[3]).find((c) => c.thread === "a")!.cls).toContain("ll-kernel");
    expect(cells(rows[1]).find((c) => c.thread === "a")!.cls).toContain("ll-user");
    // b is killed at step 3: on the exit path from then on
    expect(cells(rows[4]).find((c) => c.thread === "b")!.cls).toContain("ll-killed");
  });

  it("marks kill and signal events", () => {
    const t = sample();
    const html = one(t);
    const kill = cells(stepRows(html)[3]).find((c) => c.thread === "b")!.inner;
    expect(kill).toMatch(/^<div class="box event ev-kill s-user">/);
    expect(kill).toContain("⚡ SIGKILL");
    expect(kill).toContain("arrives in user mode");
    expect(kill).not.toContain("kills sent"); // the fault counter is for the panel
    t.steps[2].kind = "signal";
    t.steps[2].side = "kernel";
    t.steps[2].routine = "futex_wait";
    const sig = cells(stepRows(one(t))[3]).find((c) => c.thread === "b")!.inner;
    expect(sig).toMatch(/^<div class="box event ev-signal s-kernel">/);
    expect(sig).toContain("⚡ signal");
    expect(sig).toContain("arrives while asleep in the kernel in futex_wait()");
  });

  it("marks the cycle of a lasso", () => {
    const t = sample();
    t.loopStart = 3;
    const p: TraceProperty = {
      name: "live",
      kind: "leads_to",
      verdict: "VIOLATED",
      message: "a fair cycle never reaches it",
    };
    const html = one(t, p);
    expect(html).toContain(`data-loop-start="3"`);
    expect(html).toContain("violated: a lasso, 2 steps then a cycle of 2");
    const rows = seqRows(html);
    expect(
      rows.map((r) =>
        attr(r.open, "class")!
          .split(" ")
          .filter((c) => c !== "selected")
          .join(" "),
      ),
    ).toEqual([
      "step initial",
      "step kind-step side-user",
      "step kind-step side-user",
      "marker loop-start",
      "step kind-kill side-user cycle",
      "step kind-step side-kernel cycle",
      "marker loop-end",
    ]);
    expect(rows[3].html).toContain("from here on the steps repeat forever: a cycle of 2 steps (steps 3–4)");
    expect(rows[6].html).toContain("back to the state before step 3: the cycle repeats forever");
    const last = panels(html).find((x) => x.step === 4)!;
    expect(last.html).toContain("This is the state before step 3: the cycle closes here.");
    // a cycle of one step
    t.loopStart = 4;
    expect(one(t, p)).toContain("a cycle of 1 step (step 4)");
    // a liveness counterexample that is a finite execution
    delete t.loopStart;
    const finite = one(t, p);
    expect(finite).toContain("violated: a finite execution, 4 steps");
    expect(finite).toContain("■ the execution ends here");
    expect(finite.split("</style>")[1]).not.toMatch(/loop-start|loop-end|data-loop-start|class="step[^"]* cycle/);
  });

  it("ends a trace with what it shows", () => {
    const t = sample();
    expect(one(t)).toContain(
      `<tr class="marker violated"><td colspan="4">✗ inv does not hold in the state after step 4</td></tr>`,
    );
    expect(one(t, { name: "r", kind: "reachable", verdict: "REACHED", message: null })).toContain(
      "✓ r holds in the state after step 4",
    );
    expect(
      one(t, { name: "deadlock", kind: "deadlock", verdict: "VIOLATED", message: "no thread can move: c is blocked" }),
    ).toContain("✗ deadlock after step 4: no thread can move: c is blocked");
  });

  it("shows a failing step and its message", () => {
    const t = sample();
    t.steps.push(step("c", 1, { kind: "fail", source: "assert x == 0;", label: "check" }));
    const html = one(trace(t.steps, [S0, ...t.steps.slice(0, 4).map((s) => s.state!)]), {
      name: "assertions",
      kind: "assert",
      verdict: "VIOLATED",
      message: "assertion failed: x == 0",
    });
    const row = stepRows(html)[5];
    expect(attr(row.open, "class")).toBe("step kind-fail side-user selected");
    const box = cells(row).find((c) => c.thread === "c")!.inner;
    expect(box).toContain(`<div class="box s-user failing">`);
    expect(box).toContain("✗ fails");
    expect(box).toContain("assertion failed: x == 0");
    const p = panels(html);
    expect(p[5].html).toContain("The step fails: the state is unchanged.");
    const values = (x: (typeof p)[number]) => Object.values(x.groups).flat();
    expect(values(p[5]).map((v) => [v.name, v.value])).toEqual(values(p[4]).map((v) => [v.name, v.value]));
    expect(values(p[5]).some((v) => v.changed)).toBe(false);
    expect(html).not.toContain("marker violated"); // the failing step is the end
  });
});

describe("HTML pages: the state panel", () => {
  it("has the full state after every step, the last one shown, changes highlighted, ghosts apart", () => {
    const t = sample();
    const p = panels(one(t));
    expect(p.map((x) => x.step)).toEqual([0, 1, 2, 3, 4]);
    expect(p.map((x) => x.visible)).toEqual([false, false, false, false, true]);
    expect(p[0].html).toContain("<h3>Initial state</h3>");
    expect(p[1].html).toContain("<h3>State after step 1</h3>");
    expect(p[1].html).toContain(`<p class="where">a · take · t.fxp:11</p>`);
    for (const x of p) {
      // every variable of the state, each in exactly one group
      const all = Object.values(x.groups).flat();
      const state = x.step === 0 ? t.initial : t.steps[x.step - 1].state!;
      expect(Object.fromEntries(all.map((v) => [v.name, v.value]))).toEqual(state);
      expect(all.length).toBe(Object.keys(state).length);
      // highlighted: exactly the changes of the step
      const changed = x.step === 0 ? [] : t.steps[x.step - 1].changes.map((c) => c.name);
      expect(
        all
          .filter((v) => v.changed)
          .map((v) => v.name)
          .sort(),
      ).toEqual([...changed].sort());
    }
    expect(Object.keys(p[2].groups)).toEqual(["thread", "shared", "kernel", "local", "faults", "ghost"]);
    expect(p[1].groups.ghost).toEqual([{ name: "g", value: "1", changed: true }]);
    expect(p[1].groups.shared).toEqual([{ name: "x", value: "1", changed: true }]);
    // the ghost group is set apart and comes last
    expect(p[1].html).toMatch(
      /<div class="group g-ghost ghost" data-space="ghost"><h4>ghost — [^<]*<\/h4><table>[\s\S]*<\/table><\/div>$/,
    );
    // a changed value shows its old value; a new local says it is new
    expect(p[1].html).toContain(
      `<tr class="var changed" data-var="x" data-value="1"><th scope="row">x</th><td><span class="before">0</span> → <span class="after">1</span></td></tr>`,
    );
    expect(p[2].html).toContain(
      `data-var="a.v" data-value="1"><th scope="row">a.v</th><td><span class="after">1</span> <span class="was">new</span>`,
    );
  });

  it("classifies variables without model information from the changes and the names", () => {
    const p = panels(one(sample(), INVARIANT, null));
    const groups = Object.fromEntries(Object.entries(p[4].groups).map(([k, v]) => [k, v.map((x) => x.name)]));
    // b and a are threads (they step); c never steps and is not known; x, k, g are known from the changes
    expect(groups).toEqual({
      thread: ["a", "b"],
      shared: ["x"],
      kernel: ["k"],
      global: ["c"],
      local: ["a.v"],
      faults: ["kills sent"],
      ghost: ["g"],
    });
  });

  it("folds the cost counters, unless the step changed one", () => {
    const t = sample();
    for (const s of t.steps) s.state = { ...s.state!, "a.#wakes": "0", "b.#wakes": "0" };
    t.steps[3].state!["a.#wakes"] = "1";
    t.steps[3].changes.push({ space: "local", name: "a.#wakes", before: "0", after: "1" });
    const html = one(t, INVARIANT, { ...INFO, spaces: { ...INFO.spaces, "a.#wakes": "local", "b.#wakes": "local" } });
    const folded = [
      ...html.matchAll(
        /<details class="group g-counter" data-space="counter"( open)?><summary>cost counters \((\d)\)<\/summary>/g,
      ),
    ];
    // (steps 1 to 4: the initial state of the sample has no counters)
    expect(folded.map((m) => [m[1] ?? "", m[2]])).toEqual([
      ["", "2"],
      ["", "2"],
      ["", "2"],
      [" open", "2"],
    ]);
    // and not among the locals
    expect(panels(html)[4].groups.local.map((v) => v.name)).toEqual(["a.v"]);
  });

  it("rebuilds the states of a trace made without states, and says so", () => {
    const t = sample();
    for (const s of t.steps) delete s.state;
    const html = one(t);
    expect(html).toContain(`<p class="rebuilt">`);
    const p = panels(html);
    expect(p[4].groups.kernel).toEqual([{ name: "k", value: "5", changed: true }]);
    expect(p[3].groups.thread.find((v) => v.name === "b")!.value).toBe("kernel, killed");
    expect(one(sample())).not.toContain(`<p class="rebuilt">`);
  });
});

describe("HTML pages: comparison", () => {
  it("colours the verdicts and links each counterexample to its diagram", () => {
    const html = renderCompareHtml(
      {
        title: "stack cache variants",
        subtitle: "--kills 1 --signals 1",
        columns: ["no_stack_reuse", "deadlock"],
        rows: [
          {
            name: "user_free_flag",
            detail: "models/exit/user_free_flag.fxp",
            cells: {
              no_stack_reuse: { verdict: "VIOLATED", diagram: "uff/nsr" },
              deadlock: { verdict: "VIOLATED", message: "no thread can move", diagram: "uff/dl" },
            },
          },
          { name: "exit_free", cells: { no_stack_reuse: { verdict: "HOLDS" }, deadlock: null } },
        ],
      },
      [
        { id: "uff/nsr", property: INVARIANT, trace: sample(), model: INFO, context: "user_free_flag" },
        {
          id: "uff/dl",
          property: { name: "deadlock", kind: "deadlock", verdict: "VIOLATED", message: null },
          trace: sample(),
          model: INFO,
        },
      ],
    );
    expect(html).toContain("<h1>stack cache variants</h1>");
    const links = [
      ...html.matchAll(
        /<a class="to-trace" href="#([^"]+)"><span class="verdict v-violated">VIOLATED<\/span><span class="steps">4 steps ↓<\/span><\/a>/g,
      ),
    ].map((m) => m[1]);
    expect(links).toEqual(["trace-uff-nsr", "trace-uff-dl"]);
    for (const id of links) expect(html).toMatch(new RegExp(`<section class="trace[^"]*" id="${id}"`));
    expect(html).toContain(
      `<td class="cell" data-column="no_stack_reuse" data-verdict="HOLDS"><span class="verdict v-holds">HOLDS</span></td>`,
    );
    expect(html).toContain(`<td class="cell empty" data-column="deadlock">—</td>`);
    expect(html).toContain(`<p class="context">user_free_flag</p>`);
    expect(html).toContain(`<a href="#top">↑ back to the table</a>`);
  });

  it("keeps anchors unique and refuses unknown or duplicate diagram ids", () => {
    const d = (id: string): DiagramInput => ({ id, property: INVARIANT, trace: sample(), model: INFO });
    const html = compare([d("a b"), d("a/b"), d("top")]);
    expect([...html.matchAll(/<section class="trace[^"]*" id="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "trace-a-b",
      "trace-a-b-2",
      "trace-top",
    ]);
    expect(() =>
      renderCompareHtml(
        { title: "t", columns: ["p"], rows: [{ name: "r", cells: { p: { verdict: "VIOLATED", diagram: "x" } } }] },
        [],
      ),
    ).toThrow("no diagram has the id 'x'");
    expect(() => compare([d("a"), d("a")])).toThrow("two diagrams have the id 'a'");
  });
});

describe("HTML pages: a real check", () => {
  // The example models, whose verdicts and traces test/models/examples.test.ts pins.
  const run = (file: string, kills: number, signals: number, set: Record<string, number> = {}) => {
    const loaded = loadModel(join(ROOT, file), { overrides: new Map(Object.entries(set)) });
    if (loaded.model === null) throw new Error(`${file} does not load`);
    const { report, compiled } = runCheck(loaded.model, loaded.sources, { kills, signals, traceStates: true });
    const info = htmlModelInfo(compiled);
    return { report, info, html: renderCheckHtml({ file, report, model: info }) };
  };
  const sectionsOf = (html: string) =>
    [...html.matchAll(/<section class="trace[^"]*" id="([^"]+)" data-property="([^"]+)"/g)].map((m) => [m[1], m[2]]);

  it("signal_handler: verdicts, one diagram per trace, panels equal to the recorded states, ghosts apart", () => {
    const { report, info, html } = run("models/examples/signal_handler.fxp", 0, 1);
    expect(info.threads).toEqual([
      { name: "guarded", cpu: 0 },
      { name: "careless", cpu: 0 },
    ]);
    expect(info.spaces!["runs[1]"]).toBe("ghost");
    expect(info.spaces!["data[1]"]).toBe("shared");
    expect(html).toContain("<title>futexcheck: signal_handler — 1 violated</title>");
    const verdicts = [
      ...html.matchAll(
        /<tr data-property="([^"]+)"><th scope="row">[^<]*<\/th><td class="kind">[^<]*<\/td><td><span class="verdict v-([a-z]+)">/g,
      ),
    ].map((m) => [m[1], m[2]]);
    expect(verdicts).toEqual([
      ["guarded_ok", "holds"],
      ["careless_ok", "violated"],
      ["handler_ran", "reached"],
      ["deadlock", "holds"],
      ["assertions", "holds"],
      ["runtime_errors", "holds"],
    ]);
    const sections = sectionsOf(html);
    expect(sections).toEqual([
      ["trace-careless_ok", "careless_ok"],
      ["trace-handler_ran", "handler_ran"],
    ]);
    for (const [id] of sections) expect(html).toContain(`href="#${id}"`);
    // each diagram: a row per step and a panel per state, holding exactly the recorded state
    const parts = html.split(/<section class="trace/).slice(1);
    const traces = report.results.filter((r) => r.trace !== null).map((r) => r.trace!);
    parts.forEach((part, i) => {
      const t = traces[i];
      expect(stepRows(part).length).toBe(t.steps.length + 1);
      const p = panels(part);
      expect(p.length).toBe(t.steps.length + 1);
      for (const x of p) {
        const want = x.step === 0 ? t.initial : t.steps[x.step - 1].state!;
        expect(
          Object.fromEntries(
            Object.values(x.groups)
              .flat()
              .map((v) => [v.name, v.value]),
          ),
        ).toEqual(want);
        expect(x.groups.ghost.map((v) => v.name)).toEqual(["runs[0]", "runs[1]"]);
      }
    });
    // careless_ok: the signal arrives between careless's load and store; the handler's update is lost
    const careless = parts[0];
    const rows = stepRows(careless);
    expect(rows.map((r) => attr(r.open, "data-thread") ?? "")).toEqual(["", ...Array(8).fill("careless")]);
    expect(attr(rows[2].open, "class")).toBe("step kind-signal side-user");
    expect(cells(rows[2]).find((c) => c.thread === "careless")!.inner).toContain("⚡ signal");
    // in the handler: the lifeline is dotted, and its steps say so
    expect(cells(rows[3]).find((c) => c.thread === "careless")!.inner).toContain(
      `<span class="mode">user · handler</span>`,
    );
    expect(cells(rows[3]).find((c) => c.thread === "careless")!.cls).toContain("ll-handler");
    expect(panels(careless)[4].groups.ghost).toEqual([
      { name: "runs[0]", value: "0", changed: false },
      { name: "runs[1]", value: "1", changed: true },
    ]);
    expect(careless).toContain("✗ careless_ok does not hold in the state after step 8");
  });

  it("exit_path without the robust exit path: the kill, and the thread gone", () => {
    const { report, html } = run("models/examples/exit_path.fxp", 1, 0, { ROBUST: 0 });
    expect(sectionsOf(html).map((s) => s[1])).toEqual(["no_dead_owner", "killed_holding", "deadlock"]);
    const dl = html.split(/<section class="trace/)[3];
    const rows = stepRows(dl);
    expect(rows.map((r) => attr(r.open, "class"))).toEqual([
      "step initial",
      "step kind-step side-user",
      "step kind-kill side-user",
      "step kind-step side-kernel selected",
    ]);
    expect(cells(rows[2]).find((c) => c.thread === "owner")!.inner).toContain("⚡ SIGKILL");
    // after the kill the owner is on the exit path, then gone; the waiter never steps but has its lane
    expect(cells(rows[3]).map((c) => [c.thread, c.cls])).toEqual([
      ["owner", "lane ll-kernel cpu-start actor"],
      ["waiter", "lane ll-user"],
    ]);
    expect(panels(dl)[3].groups.thread).toEqual([
      { name: "owner", value: "exited, killed", changed: true },
      { name: "waiter", value: "user", changed: false },
    ]);
    expect(dl).toContain(`✗ deadlock after step 3: ${report.results.find((r) => r.name === "deadlock")!.message}`);
  });

  it("names a trace as the text report does: shortest only when it is proven so", () => {
    const loaded = loadModel(join(ROOT, "models/examples/percpu_kthread.fxp"));
    if (loaded.model === null) throw new Error("percpu_kthread does not load");
    const seen = new Set<string>();
    for (const options of [{}, { order: "dfs" as const }, { por: false }]) {
      const { report, compiled } = runCheck(loaded.model, loaded.sources, { kills: 0, signals: 0, ...options });
      const html = renderCheckHtml({ file: "percpu_kthread.fxp", report, model: htmlModelInfo(compiled) });
      const p = report.results.find((r) => r.name === "cpu0_first")!;
      const text = /^── cpu0_first violated: (.*) ──$/.exec(renderTrace(p, p.trace!).split("\n")[0])![1];
      expect(html).toContain(`<span class="shape">violated: ${text}</span>`);
      seen.add(text.replace(/, \d+ steps$/, ""));
    }
    expect([...seen].sort()).toEqual(["shortest trace", "trace"]);
  });

  it("a check with no trace says so", () => {
    const { report, info } = run("models/examples/exit_path.fxp", 0, 0);
    const r: CheckReport = { ...report, results: report.results.filter((x) => x.verdict === "HOLDS") };
    const html = renderCheckHtml({ file: "exit_path.fxp", report: r, model: info });
    expect(html).toContain("No trace: every property holds and nothing was reached.");
    expect(html).toContain("<title>futexcheck: exit_path — no violation</title>");
  });
});

describe("check --html", () => {
  const dir = mkdtempSync(join(tmpdir(), "futexcheck-html-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });

  it("writes the page and keeps the states out of the other output unless asked for", () => {
    const out = join(dir, "sig.html");
    const args = ["check", "models/examples/signal_handler.fxp", "--signals", "1", "--html", out, "--json", "-q"];
    const r = cli(...args);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as CheckReport;
    const traces = json.results.filter((x) => x.trace !== null).map((x) => x.trace!);
    expect(traces.length).toBe(2);
    for (const t of traces) for (const s of t.steps) expect(s.state).toBeUndefined();
    const html = readFileSync(out, "utf8");
    expect(html).toContain(`id="trace-careless_ok"`);
    expect(panels(html).length).toBe(traces.reduce((n, t) => n + t.steps.length + 1, 0));
    expect(html).not.toContain(`<p class="rebuilt">`); // the page had the states
    const withStates = JSON.parse(cli(...args, "--trace-states").stdout) as CheckReport;
    expect(withStates.results.find((x) => x.trace !== null)!.trace!.steps[0].state).toBeDefined();
  });

  it("reports a page it cannot write as a usage error", () => {
    const r = cli("check", "models/examples/signal_handler.fxp", "--html", join(dir, "no/such/dir/x.html"), "-q");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^futexcheck: --html: cannot write .*no\/such\/dir\/x\.html/);
  });
});
