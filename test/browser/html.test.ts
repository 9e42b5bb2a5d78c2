// The HTML pages in a real browser: Debian's Chromium (/usr/bin/chromium), driven by playwright-core (which
// never downloads a browser of its own), opens the pages of a few library models from file:// URLs and checks
// that the lanes, the steps and the state panel are there and right, that clicking, hovering and the arrow
// keys move the panel, that the page loads nothing, and how it prints. Screenshots (and a PDF) go to
// test-output/browser/.
//
// Without /usr/bin/chromium the test is skipped, with a message — but only outside CI: with CI set (as
// .ci/run does) a missing browser is a failure. `.ci/run` installs Chromium when it is missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck, type CheckOptions, type CheckReport } from "../../checker/run.js";
import type { Trace } from "../../checker/trace.js";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";
import {
  htmlModelInfo,
  renderCheckHtml,
  renderCompareHtml,
  type DiagramInput,
  type ModelInfo,
} from "../../cli/html.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = join(ROOT, "test-output/browser");
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
const VIEWPORT = { width: 1366, height: 768 }; // a laptop screen

const SKIP =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `${CHROMIUM} is not installed (apt-get install chromium), so the pages are not opened in a browser; with CI set this is a failure`
    : null;
if (SKIP !== null) console.warn(`test/browser/html.test.ts skipped: ${SKIP}`);

it("Chromium is there (the browser test is skipped only outside CI)", (ctx) => {
  if (SKIP !== null) ctx.skip(SKIP);
  expect(existsSync(CHROMIUM), `CI is set but ${CHROMIUM} is missing: .ci/run installs it with apt-get`).toBe(true);
});

// ---------- the pages ----------

interface Generated {
  name: string;
  path: string;
  report: CheckReport;
  info: ModelInfo;
}

function check(file: string, options: CheckOptions, overrides = new Map<string, number>()) {
  const loaded = loadModel(file, { overrides });
  if (loaded.model === null)
    throw new Error(`${file} does not load:\n${loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n")}`);
  const { report, compiled } = runCheck(loaded.model, loaded.sources, { ...options, traceStates: true });
  return { report, info: htmlModelInfo(compiled) };
}

/** A check page, written by the writer in this process. */
function generate(
  name: string,
  file: string,
  options: CheckOptions,
  overrides?: Map<string, number | string>,
): Generated {
  const { report, info } = check(join(ROOT, file), options, overrides);
  const path = join(OUT, `${name}.html`);
  writeFileSync(path, renderCheckHtml({ file, report, model: info }));
  return { name, path, report, info };
}

const traced = (r: CheckReport) =>
  r.results.filter((p) => p.trace !== null && (p.verdict === "VIOLATED" || p.verdict === "REACHED"));

// A lost wake-up that is a cycle, not a deadlock (from test/checker/liveness.test.ts): a liveness lasso.
const LASSO = `model lost_wakeup_cycle;
import "futex";
fairness weak;
shared { word ready = 0; word fw = 0; bool stop = false; }
thread waiter { if (ready == 0) { futex_wait(&fw, 0); } done: skip; }
thread waker { ready = 1; futex_wake(&fw, 1); }
thread poller { while (!stop) { skip; } }
liveness woken: true leads_to exited(0);
`;

describe.skipIf(SKIP !== null)("HTML pages in Chromium", () => {
  let profile: string;
  let context: BrowserContext;
  const pages: Generated[] = [];
  let compare: { path: string; diagrams: DiagramInput[] };
  const seen = { user: 0, kernel: 0, kill: 0, signal: 0, fail: 0 }; // steps checked, by kind

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run installs it`);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // The stack cache, through the command line: check --html.
    const uffFile = "models/exit/user_free_flag.fxp";
    const uff = join(OUT, "user_free_flag.html");
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", "cli/main.ts", "check", uffFile, "--kills", "1", "--signals", "1", "--html", uff, "-q"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(cli.stderr).toBe("");
    expect(cli.status).toBe(1);
    pages.push({ name: "user_free_flag", path: uff, ...check(join(ROOT, uffFile), { kills: 1, signals: 1 }) });
    pages.push(generate("exit_free", "models/exit/exit_free.fxp", { kills: 1, signals: 1 }));
    pages.push(generate("exit_path", "models/examples/exit_path.fxp", { kills: 1, signals: 0 }));
    pages.push(
      generate(
        "exit_path_not_robust",
        "models/examples/exit_path.fxp",
        { kills: 1, signals: 0 },
        new Map([["ROBUST", 0]]),
      ),
    );
    pages.push(generate("signal_handler", "models/examples/signal_handler.fxp", { kills: 0, signals: 1 }));
    const lasso = join(OUT, "lost_wakeup_cycle.fxp");
    writeFileSync(lasso, LASSO);
    const lassoCheck = check(lasso, { kills: 0, signals: 0 });
    const lassoPage = join(OUT, "lost_wakeup_cycle.html");
    writeFileSync(lassoPage, renderCheckHtml({ file: "lost_wakeup_cycle.fxp", ...lassoCheck, model: lassoCheck.info }));
    pages.push({ name: "lost_wakeup_cycle", path: lassoPage, ...lassoCheck });
    // The futex library models, those with a violation (with one kill, within a bound).
    for (const f of readdirSync(join(ROOT, "models/futex"))
      .filter((x) => x.endsWith(".fxp"))
      .sort()) {
      const name = `futex_${f.replace(/\.fxp$/, "")}`;
      const { report, info } = check(join(ROOT, "models/futex", f), { kills: 1, signals: 0, maxStates: 300_000 });
      if (!report.complete || !report.results.some((p) => p.verdict === "VIOLATED" && p.trace !== null)) continue;
      const path = join(OUT, `${name}.html`);
      writeFileSync(path, renderCheckHtml({ file: `models/futex/${f}`, report, model: info }));
      pages.push({ name, path, report, info });
    }
    // The robust-futex counterexamples: glibc without list_op_pending, and Linux 4.19 (before the 5.5 rule).
    const robust = "models/futex/robust_mutex.fxp";
    if (existsSync(join(ROOT, robust))) {
      for (const [name, param, value] of [
        ["robust_mutex_no_pending", "PENDING", 0],
        ["robust_mutex_linux_4_19", "KVER", "4.19"],
      ] as const) {
        const g = generate(name, robust, { kills: 1, signals: 0 }, new Map<string, number | string>([[param, value]]));
        expect(g.report.results.filter((r) => r.verdict === "VIOLATED").length).toBeGreaterThan(0);
        pages.push(g);
      }
    } else console.warn(`test/browser: ${robust} is missing: no robust-futex page`);
    // A comparison of the two stack-cache variants.
    const rows = pages.filter((p) => p.name === "user_free_flag" || p.name === "exit_free");
    const columns = [...new Set(rows.flatMap((p) => p.report.results.map((r) => r.name)))];
    const diagrams: DiagramInput[] = [];
    const table = {
      title: "Thread-stack cache: freed in user space vs. by exit_free()",
      subtitle: "--kills 1 --signals 1",
      columns,
      rows: rows.map((p) => ({
        name: p.report.model,
        detail: `models/exit/${p.report.model}.fxp`,
        cells: Object.fromEntries(
          p.report.results.map((r) => {
            let diagram: string | undefined;
            if (r.trace !== null && r.verdict === "VIOLATED") {
              diagram = `${p.report.model}/${r.name}`;
              diagrams.push({ id: diagram, property: r, trace: r.trace, model: p.info, context: p.report.model });
            }
            return [r.name, { verdict: r.verdict, message: r.message, diagram }];
          }),
        ),
      })),
    };
    compare = { path: join(OUT, "compare.html"), diagrams };
    writeFileSync(compare.path, renderCompareHtml(table, diagrams));

    profile = mkdtempSync(join(tmpdir(), "futexcheck-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: VIEWPORT,
      offline: true,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a page; fails on any request but the page itself, any console error (a CSP violation is one) and
   *  any script error. */
  async function open(path: string): Promise<{ page: Page; problems: string[]; blocked: string[] }> {
    const page = await context.newPage();
    const url = pathToFileURL(path).href;
    const problems: string[] = [];
    const blocked: string[] = [];
    page.on("request", (r) => {
      if (r.url() !== url) problems.push(`request: ${r.url()}`);
    });
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText === "csp") blocked.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url, { waitUntil: "load" });
    return { page, problems, blocked };
  }

  interface Panel {
    step: number;
    groups: Record<string, { name: string; value: string; changed: boolean }[]>;
    visible: boolean;
    selected: string | null;
  }

  /** Runs in the page (in one round trip: driving the page is slow): the visible state panels of a section
   *  (one, if all is well — step, variables by group, on screen, its row selected) and, with `all`, its lane
   *  headers, its step rows, and the panels after a click on each step row in turn. */
  function survey(sec: Element, all: boolean) {
    const read = (): Panel[] =>
      [...sec.querySelectorAll<HTMLElement>(".state-panel .state")]
        .filter((p) => !p.hidden)
        .map((p) => ({
          step: Number(p.dataset.step),
          groups: Object.fromEntries(
            [...p.querySelectorAll<HTMLElement>(".group")].map((g) => [
              g.dataset.space!,
              [...g.querySelectorAll<HTMLElement>("tr.var")].map((r) => ({
                name: r.querySelector("th")!.textContent!,
                value: r.dataset.value!,
                changed: r.classList.contains("changed"),
              })),
            ]),
          ),
          visible: p.getBoundingClientRect().height > 0 && getComputedStyle(p).visibility === "visible",
          selected: sec.querySelector(`tr.step[data-step="${p.dataset.step}"]`)!.getAttribute("aria-selected"),
        }));
    const now = read();
    if (!all) return { now, heads: [], cpus: [], rows: [], clicked: [] };
    const heads = [...sec.querySelectorAll<HTMLElement>("thead th.thread")].map((th) => ({
      name: th.textContent,
      left: th.getBoundingClientRect().left,
      right: th.getBoundingClientRect().right,
    }));
    const cpus = [...sec.querySelectorAll<HTMLTableCellElement>("thead th.cpu")].map((th) => [
      th.textContent,
      th.colSpan,
    ]);
    const steps = [...sec.querySelectorAll<HTMLElement>("tbody tr.step")];
    const rows = steps.map((tr) => {
      const cells = [...tr.querySelectorAll<HTMLElement>("td.lane")];
      const actor = cells.findIndex((c) => c.querySelector(".box") !== null);
      const box = actor < 0 ? null : cells[actor].querySelector<HTMLElement>(".box")!;
      const r = box?.getBoundingClientRect();
      return {
        step: Number(tr.dataset.step),
        actor,
        thread: actor < 0 ? null : cells[actor].dataset.thread,
        boxX: r === undefined ? 0 : r.x + r.width / 2,
        text: box?.textContent ?? "",
        cls: box?.className ?? "",
        cycle: tr.classList.contains("cycle"),
      };
    });
    const clicked = steps.map((row) => {
      row.click();
      return read();
    });
    return { now, heads, cpus, rows, clicked };
  }
  const visiblePanel = async (page: Page, section: string) => (await page.$eval(section, survey, false)).now;

  /** Checks one diagram against its trace: lanes, steps, markers, and the panel after every step; with
   *  `interact`, the mouse and the keyboard too. */
  async function checkDiagram(page: Page, anchor: string, t: Trace, info: ModelInfo, interact = true): Promise<void> {
    const sec = `section#${anchor}`;
    const { now, heads, cpus, rows, clicked } = await page.$eval(sec, survey, true);
    const lanes = [...info.threads!].map((x, i) => ({ ...x, i })).sort((a, b) => a.cpu - b.cpu || a.i - b.i);
    expect(heads.map((h) => h.name)).toEqual(lanes.map((l) => l.name));
    const cpuList = [...new Set(lanes.map((l) => l.cpu))];
    expect(cpus).toEqual(cpuList.map((c) => [`CPU ${c}`, lanes.filter((l) => l.cpu === c).length]));
    // every step: its box in its thread's lane (the same column as the lane's header), with its line
    expect(rows.map((r) => r.step)).toEqual([0, ...t.steps.map((s) => s.step)]);
    expect(rows[0].actor).toBe(-1);
    for (const s of t.steps) {
      const row = rows[s.step];
      const lane = lanes.findIndex((l) => l.name === s.thread);
      expect(row.thread).toBe(s.thread);
      expect(row.actor).toBe(lane);
      // drawn under its lane's header
      expect(row.boxX).toBeGreaterThan(heads[lane].left);
      expect(row.boxX).toBeLessThan(heads[lane].right);
      expect(row.text).toContain(`${s.file.split("/").pop()}:${s.line}`);
      if (s.kind === "step" && s.label) expect(row.text).toContain(s.label);
      if (s.kind === "kill") expect(row.text).toContain("⚡ SIGKILL");
      if (s.kind === "signal") expect(row.text).toContain("⚡ signal");
      expect(row.cls).toContain(`s-${s.side}`);
      expect(row.cycle).toBe(t.loopStart !== undefined && s.step >= t.loopStart);
      seen[s.kind === "step" ? s.side : s.kind]++;
    }
    // the panel: the last state at first; then, for every step, a click shows the state after it
    expect(now.map((p) => p.step)).toEqual([t.steps.length]);
    const stateAt = (k: number): Record<string, string> =>
      k === 0 ? t.initial : (t.steps[k - 1].state ?? stateAt(k - 1));
    const ghosts = new Set(
      Object.entries(info.spaces!)
        .filter(([, sp]) => sp === "ghost")
        .map(([n]) => n),
    );
    expect(clicked.map((ps) => ps.length)).toEqual(clicked.map(() => 1));
    for (let k = 0; k <= t.steps.length; k++) {
      const [p] = clicked[k];
      expect(p.step).toBe(k);
      expect(p.visible).toBe(true);
      expect(p.selected).toBe("true");
      const vars = Object.values(p.groups).flat();
      expect(Object.fromEntries(vars.map((v) => [v.name, v.value]))).toEqual(stateAt(k));
      const changes = k === 0 ? [] : t.steps[k - 1].changes.map((c) => c.name);
      expect(
        vars
          .filter((v) => v.changed)
          .map((v) => v.name)
          .sort(),
      ).toEqual([...changes].sort());
      expect((p.groups.ghost ?? []).map((v) => v.name).sort()).toEqual(
        Object.keys(stateAt(k))
          .filter((n) => ghosts.has(n))
          .sort(),
      );
    }
    if (!interact) return;
    // and with the mouse, a real click
    await page.click(`${sec} tr.step[data-step="0"] td.num`);
    expect((await visiblePanel(page, sec)).map((p) => [p.step, p.selected])).toEqual([[0, "true"]]);
    // hovering shows a step without selecting it; leaving the rows goes back to the selected one
    if (t.steps.length >= 2) {
      await page.click(`${sec} tr.step[data-step="1"] td.num`);
      await page.hover(`${sec} tr.step[data-step="2"] td.num`);
      expect((await visiblePanel(page, sec)).map((p) => p.step)).toEqual([2]);
      await page.hover(`${sec} h2`);
      expect((await visiblePanel(page, sec)).map((p) => p.step)).toEqual([1]);
      // the keyboard: ↓ selects the next step, End the last
      await page.focus(`${sec} tr.step[data-step="1"]`);
      await page.keyboard.press("ArrowDown");
      expect((await visiblePanel(page, sec)).map((p) => p.step)).toEqual([2]);
      await page.keyboard.press("End");
      expect((await visiblePanel(page, sec)).map((p) => p.step)).toEqual([t.steps.length]);
      // the panel stays in view next to the step (it is sticky)
      const panel = await page.$eval(`${sec} .state-panel`, (e) => e.getBoundingClientRect().toJSON() as DOMRect);
      expect(panel.top).toBeGreaterThanOrEqual(0);
      expect(panel.top).toBeLessThan(VIEWPORT.height);
    }
  }

  it("shows every trace of every page: lanes, steps, markers, and the state after each step", async () => {
    for (const g of pages) {
      const { page, problems } = await open(g.path);
      expect(await page.title()).toContain(g.report.model);
      // the verdict table: one row per result, each trace linked
      const table = await page.$$eval("table.verdicts tbody tr", (trs) =>
        trs.map((tr) => [(tr as HTMLElement).dataset.property, tr.querySelector(".verdict")!.textContent]),
      );
      expect(table).toEqual(g.report.results.map((r) => [r.name, r.verdict]));
      const sections = await page.$$eval("section.trace", (ss) =>
        ss.map((s) => [s.id, (s as HTMLElement).dataset.property]),
      );
      expect(sections.map((s) => s[1])).toEqual(traced(g.report).map((r) => r.name));
      // (the mouse and the keyboard, slow to drive, only in the first diagram of the stack-cache pages: the
      // script is the same on every page)
      for (const [i, r] of traced(g.report).entries())
        await checkDiagram(page, `trace-${r.name}`, r.trace!, g.info, i === 0 && g.name.includes("free"));
      // a laptop screen: the page does not scroll sideways
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUT, `${g.name}.png`) });
      if (g.name === "user_free_flag" || g.name.startsWith("robust"))
        await page.screenshot({ path: join(OUT, `${g.name}-full.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    }
    // between them, the pages have user-mode and kernel-mode steps, kills and signals
    expect(seen.user * seen.kernel * seen.kill * seen.signal).toBeGreaterThan(0);
    expect(pages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "user_free_flag",
        "exit_free",
        "exit_path_not_robust",
        "signal_handler",
        "lost_wakeup_cycle",
      ]),
    );
  }, 60_000);

  it("user_free_flag: the stack-cache counterexample, the kill, the ghost variables apart, and print", async () => {
    // (the expectations come from the trace: the model is free to change, as long as no_stack_reuse is
    // violated and a kill shows up in some trace with --kills 1)
    const g = pages.find((p) => p.name === "user_free_flag")!;
    const t = g.report.results.find((r) => r.name === "no_stack_reuse" && r.verdict === "VIOLATED")?.trace;
    expect(t, "no_stack_reuse is no longer violated in user_free_flag --kills 1 --signals 1").toBeDefined();
    const { page, problems } = await open(g.path);
    const nsr = "section#trace-no_stack_reuse";
    // the threads in turn, and the source labels
    expect(
      await page.$$eval(`${nsr} tbody tr.step td.actor`, (tds) => tds.map((td) => (td as HTMLElement).dataset.thread)),
    ).toEqual(t!.steps.map((s) => s.thread));
    expect(await page.$$eval(`${nsr} tbody tr.step .lbl`, (ls) => ls.map((l) => l.textContent))).toEqual(
      t!.steps.filter((s) => s.kind === "step" && s.label !== null).map((s) => s.label),
    );
    const n = t!.steps.length;
    expect(await page.textContent(`${nsr} tr.marker.violated`)).toBe(
      `✗ no_stack_reuse does not hold in the state after step ${n}`,
    );
    // the state after the last step, as the page opens: the changes highlighted, the ghosts in their group
    const [last] = await visiblePanel(page, nsr);
    expect(last.step).toBe(n);
    const ghosts = Object.keys(t!.final).filter((k) => g.info.spaces![k] === "ghost");
    expect(ghosts.length).toBeGreaterThan(0);
    expect(last.groups.ghost.map((v) => v.name).sort()).toEqual(ghosts.sort());
    expect(
      Object.values(last.groups)
        .flat()
        .filter((v) => v.changed)
        .map((v) => v.name)
        .sort(),
    ).toEqual(t!.steps[n - 1].changes.map((c) => c.name).sort());
    // the ghost group is set apart: after the others, with its own border
    const box = await page.$eval(`${nsr} .state:not([hidden]) .group.ghost`, (e) => ({
      style: getComputedStyle(e).borderTopStyle,
      last: e.nextElementSibling === null,
    }));
    expect(box).toEqual({ style: "dashed", last: true });
    // a trace with a kill: the SIGKILL box, and user, kernel and kill steps look different
    const killed = traced(g.report).find((r) => r.trace!.steps.some((s) => s.kind === "kill"));
    expect(killed, "no trace of user_free_flag --kills 1 has a kill").toBeDefined();
    const ks = `section#trace-${killed!.name}`;
    expect(await page.textContent(`${ks} .box.ev-kill`)).toContain("⚡ SIGKILL");
    const colours = await page.evaluate((sec) => {
      const bg = (sel: string) => getComputedStyle(document.querySelector(`${sec} ${sel}`)!).backgroundColor;
      return { user: bg(".box.s-user:not(.event)"), kernel: bg(".box.s-kernel"), kill: bg(".box.ev-kill") };
    }, ks);
    expect(new Set(Object.values(colours)).size).toBe(3);
    // after the kill the thread is on the exit path: a red band for its lifeline in the other threads' rows
    const k = killed!.trace!.steps.find((s) => s.kind === "kill")!;
    const after = killed!.trace!.steps.find((s) => s.step > k.step && s.thread !== k.thread);
    if (after !== undefined)
      expect(
        await page.$eval(
          `${ks} tr.step[data-step="${after.step}"] td.lane[data-thread="${k.thread}"]`,
          (td) => td.className,
        ),
      ).toMatch(/ll-killed|ll-exited/);
    // printing: the panel below the diagram, the hints gone, one trace a page
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => ({
      panel: getComputedStyle(document.querySelector(".state-panel")!).position,
      hint: getComputedStyle(document.querySelector(".hint")!).display,
      hidden: getComputedStyle(document.querySelector(".state[hidden]")!).display,
      breaks: [...document.querySelectorAll("section.trace")].map((s) => getComputedStyle(s).breakBefore),
    }));
    const sections = traced(g.report).length;
    expect(print).toEqual({
      panel: "static",
      hint: "none",
      hidden: "none",
      breaks: ["auto", ...Array(sections - 1).fill("page")],
    });
    const pdf = await page.pdf({ path: join(OUT, "user_free_flag.pdf"), format: "A4", landscape: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });
    // the screenshot for the README: the trace with the kill, the state after the kill selected
    await page.click(`${ks} tr.step[data-step="${k.step}"] td.num`);
    await page.mouse.move(0, 0);
    await page.evaluate((sec) => document.querySelector(sec)!.scrollIntoView(), ks);
    await page.screenshot({ path: join(OUT, "readme.png") });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the lasso of a lost wake-up: the cycle is marked", async () => {
    const g = pages.find((p) => p.name === "lost_wakeup_cycle")!;
    const t = g.report.results.find((r) => r.name === "woken")!.trace!;
    expect(t.loopStart).toBeDefined();
    const { page, problems } = await open(g.path);
    const sec = "section#trace-woken";
    expect(await page.getAttribute(sec, "data-loop-start")).toBe(String(t.loopStart));
    expect(
      await page.$$eval(`${sec} tr.step.cycle`, (trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.step))),
    ).toEqual(t.steps.filter((s) => s.step >= t.loopStart!).map((s) => s.step));
    expect(await page.isVisible(`${sec} tr.loop-start`)).toBe(true);
    expect(await page.textContent(`${sec} tr.loop-end`)).toBe(
      `↻ back to the state before step ${t.loopStart}: the cycle repeats forever`,
    );
    // the marker row comes right before the first step of the cycle
    expect(await page.$eval(`${sec} tr.loop-start`, (tr) => (tr.nextElementSibling as HTMLElement).dataset.step)).toBe(
      String(t.loopStart),
    );
    const cycleEdge = await page.$eval(`${sec} tr.step.cycle td.num`, (td) => getComputedStyle(td).borderLeftColor);
    expect(cycleEdge).toBe("rgb(15, 118, 110)");
    // the waiter sleeps in futex_wait for ever: its lifeline is a kernel band in the cycle
    expect(await page.$eval(`${sec} tr.step.cycle td.lane[data-thread="waiter"]`, (td) => td.className)).toContain(
      "ll-kernel",
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the comparison page: verdicts coloured, each counterexample linked to its diagram", async () => {
    const { page, problems } = await open(compare.path);
    const chips = await page.$$eval("table.compare td.cell[data-verdict]", (tds) =>
      tds.map((td) => [
        (td as HTMLElement).dataset.verdict,
        getComputedStyle(td.querySelector(".verdict")!).backgroundColor,
      ]),
    );
    const colour = new Map<string, Set<string>>();
    for (const [v, c] of chips) colour.set(v!, (colour.get(v!) ?? new Set<string>()).add(c!));
    for (const cs of colour.values()) expect(cs.size).toBe(1); // one colour a verdict
    expect(new Set([...colour.values()].map((cs) => [...cs][0])).size).toBe(colour.size); // and verdicts apart
    const links = await page.$$eval("a.to-trace", (as) => as.map((a) => a.getAttribute("href")!));
    expect(links.length).toBe(compare.diagrams.length);
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.click(`a.to-trace[href="${href}"]`);
      expect(await page.evaluate(() => location.hash)).toBe(href);
      // scrolled to the diagram (or as far as the page goes)
      const where = await page.$eval(href, (s) => ({
        top: s.getBoundingClientRect().top,
        bottom: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1,
      }));
      expect(Math.abs(where.top) < 5 || (where.bottom && where.top > 0 && where.top < VIEWPORT.height / 2)).toBe(true);
    }
    for (const [i, d] of compare.diagrams.entries())
      await checkDiagram(page, `trace-${d.id.replace(/[^A-Za-z0-9_-]+/g, "-")}`, d.trace, d.model!, i === 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, "compare.png") });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the pages load nothing else: the Content Security Policy blocks what they do not carry", async () => {
    // A page with an injected external image and script: both are blocked, and nothing leaves the page.
    const html = readFileSync(pages[0].path, "utf8").replace(
      "</main>",
      `<img src="http://example.invalid/x.png"><script src="https://example.invalid/x.js"></script></main>`,
    );
    const path = join(OUT, "csp-probe.html");
    writeFileSync(path, html);
    const { page, problems, blocked } = await open(path);
    // Chromium reports the two requests and fails both, for the policy, before they reach the network
    expect(problems.filter((p) => p.startsWith("request: "))).toEqual([
      "request: http://example.invalid/x.png",
      "request: https://example.invalid/x.js",
    ]);
    expect(blocked).toEqual(["http://example.invalid/x.png", "https://example.invalid/x.js"]);
    expect(problems.filter((p) => p.includes("violates the following Content Security Policy")).length).toBe(2);
    await page.close();
    rmSync(path);
  }, 60_000);
});
