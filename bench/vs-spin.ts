// `npm run bench:spin`: futexcheck and SPIN side by side on the same protocols, in one run. Each case is a
// futexcheck model with its arguments and a Promela twin in bench/spin/ with its -D defines. For each case it runs
// futexcheck (a child process, `--json --quiet`) and SPIN on the twin (`spin -a`, then gcc, then `./pan`) in two
// pairings: futexcheck with `--no-por` (the full state graph) against pan with -DNOREDUCE, which must have exactly
// futexcheck's states, and futexcheck's default (its reductions on) against SPIN's default (partial-order
// reduction). It prints one table: states, transitions, search time, speed, memory per state, peak memory, time
// to verdict, and the futexcheck/SPIN ratios. bench/README.md explains every column, every case and its twin.
//
//   node dist/bench/vs-spin.js [--runs K] [--cases mutex2-4,robust-3k2,...] [--max-memory SIZE]
//
// SPIN is installed from the distribution (apt-get install -y spin) when `spin` is not on the PATH.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatCount } from "../cli/render.js";
import { cli, median, root } from "./common.js";

interface Case {
  id: string; // what --cases names
  name: string; // the protocol and its size, for the notes
  model: string; // futexcheck model, relative to the repository root
  args: string[]; // futexcheck arguments: params, faults, and the properties the twin checks too
  twin: string; // Promela twin, relative to the repository root
  defines: string[]; // spin -D defines
  spinFlags: string[]; // more `spin -a` options
  optIn: boolean; // only when named in --cases
  reductions: string[]; // futexcheck options of its "reductions on" run beyond its defaults (partial-order reduction)
  warm: boolean; // also time the full-graph search repeated in one process (bench/warm.ts)
}

const MIB = 2 ** 20;
const WARM_REPEAT = 5; // searches per warm measurement: the first one, then four on optimised code

const mutex2 = (n: number): Case => ({
  id: `mutex2-${n}`,
  name: `Drepper mutex 2, ${n} threads`,
  model: "models/futex/drepper_mutex2.fxp",
  args: ["--set", `N=${n}`],
  twin: "bench/spin/drepper_mutex2.pml",
  defines: [`-DN=${n}`],
  // the twin leaves the reset of its dead local `c` to SPIN's data-flow optimisation (bench/README.md)
  spinFlags: [],
  // 6 threads takes each tool about ten minutes and 6-9 GB here (bench/README.md); 3 is a quick check of the
  // twin, too small to time
  optIn: n <= 3 || n >= 6,
  // the workers are interchangeable (the symmetry analysis accepts the model)
  reductions: ["--symmetry"],
  warm: n <= 5,
});

// The twins of the faulty cases reset their dead locals themselves, where futexcheck does; SPIN's own data-flow
// optimisation (off with -o1) would also zero the killed flag after a kill, which futexcheck keeps for the
// thread's life, and split the states where the two disagree.
const CASES: Case[] = [
  mutex2(3),
  mutex2(4),
  mutex2(5),
  mutex2(6),
  {
    id: "robust-3k2",
    name: "robust mutex, 3 threads, 2 kills",
    model: "models/futex/robust_mutex.fxp",
    // lock_progress (liveness) is left out: the twin checks safety only, and futexcheck does not reduce a
    // search that a liveness property needs whole
    args: [
      ...["--set", "N=3", "--kills", "2"],
      ...["--property", "mutual_exclusion", "--property", "dead_owner_flagged"],
      ...["--property", "walk_bounded", "--property", "kernel_writes_only_locks"],
    ],
    twin: "bench/spin/robust_mutex.pml",
    defines: ["-DN=3", "-DKILLS=2"],
    spinFlags: ["-o1"],
    optIn: false,
    reductions: [], // --symmetry is refused (FX127): the robust list computes with thread identities
    warm: true,
  },
  {
    id: "exit-3ks",
    name: "munmap_sigblock exit, 3 threads (2 workers), 1 kill, 1 signal",
    model: "models/exit/munmap_sigblock.fxp",
    args: ["--set", "THREADS=2", "--kills", "1", "--signals", "1", "--property", "no_stack_reuse"],
    twin: "bench/spin/munmap_sigblock.pml",
    defines: ["-DTHREADS=2", "-DSTACKS=1", "-DKILLS=1", "-DSIGNALS=1"],
    spinFlags: ["-o1"],
    optIn: false,
    reductions: [], // --symmetry is refused (FX127): the stack_reuse template indexes stack_of by stack and thread
    warm: true,
  },
  {
    id: "exit-4ks",
    name: "munmap_sigblock exit, 4 threads (3 workers), 2 stacks, 1 kill, 1 signal",
    model: "models/exit/munmap_sigblock.fxp",
    args: [
      ...["--set", "THREADS=3", "--set", "STACKS=2", "--kills", "1", "--signals", "1"],
      ...["--property", "no_stack_reuse"],
    ],
    twin: "bench/spin/munmap_sigblock.pml",
    defines: ["-DTHREADS=3", "-DSTACKS=2", "-DKILLS=1", "-DSIGNALS=1"],
    spinFlags: ["-o1"],
    optIn: false,
    reductions: [], // as exit-3ks
    warm: true,
  },
];

// ---------- arguments ----------
function argValue(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}
const runs = Math.max(1, Number(argValue("--runs") ?? "1"));
const casesArg = argValue("--cases");
const selected = casesArg === null ? CASES.filter((c) => !c.optIn) : [];
for (const id of casesArg?.split(",") ?? []) {
  const c = CASES.find((x) => x.id === id);
  if (c === undefined) {
    console.error(`--cases: no case '${id}' (there are: ${CASES.map((x) => x.id).join(", ")})`);
    process.exit(2);
  }
  selected.push(c);
}
// futexcheck's default store bound is min(RAM/2, 8 GiB); the 6-thread mutex needs more than 4 GiB of store.
const maxMemory = argValue("--max-memory") ?? `${Math.floor((totalmem() * 0.75) / MIB)}M`;
// pan's own allocation limit (MB), set at compile time; its default is 2048.
const panMemLimitMb = Math.floor((totalmem() * 0.75) / MIB);

// ---------- running a child: wall time and peak resident memory ----------
interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number; // wall clock
  peakRss: number | null; // VmHWM from /proc, polled (null when /proc is not there)
}

function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peakRss: number | null = null;
    // VmHWM is the process's own high-water mark, so polling misses only growth in its last few milliseconds.
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m !== null) peakRss = Math.max(peakRss ?? 0, Number(m[1]) * 1024);
      } catch {
        // the process has ended, or this is not Linux
      }
    };
    const timer = setInterval(poll, 10);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ code, stdout, stderr, seconds, peakRss });
    });
  });
}

async function mustRun(cmd: string, args: string[], cwd: string): Promise<Ran> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  return r;
}

// ---------- tools ----------
function installed(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.error === undefined && r.status === 0 ? `${r.stdout}${r.stderr}`.trim().split("\n")[0] : null;
}

/** Installs a Debian package with apt-get (as root, or through sudo), saying what it does. */
function aptInstall(pkg: string, why: string): void {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  for (const args of [["update"], ["install", "-y", pkg]]) {
    const [cmd, argv] = asRoot ? ["apt-get", args] : ["sudo", ["apt-get", ...args]];
    const line = `${cmd} ${argv.join(" ")}`;
    console.log(`${why}: running \`${line}\``);
    const r = spawnSync(cmd, argv, {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.error !== undefined || r.status !== 0)
      throw new Error(`\`${line}\` failed; install ${pkg} by hand (Debian/Ubuntu: apt-get install -y ${pkg})`);
  }
}

function ensureTools(): { spin: string; gcc: string } {
  let spin = installed("spin", ["-V"]);
  if (spin === null) {
    aptInstall("spin", "spin is not on the PATH");
    spin = installed("spin", ["-V"]);
    if (spin === null) throw new Error("spin is still not on the PATH after apt-get install spin");
  }
  let gcc = installed("gcc", ["--version"]);
  if (gcc === null) {
    aptInstall("gcc", "gcc (needed to compile SPIN's pan.c) is not on the PATH");
    gcc = installed("gcc", ["--version"]);
    if (gcc === null) throw new Error("gcc is still not on the PATH after apt-get install gcc");
  }
  return { spin, gcc };
}

// ---------- one measurement ----------
interface Measure {
  states: number;
  transitions: number;
  search: number; // the tool's own search time, seconds
  verdictTime: number; // wall clock from start to verdict, seconds (SPIN: spin -a + gcc + pan)
  bytesPerState: number;
  peakRss: number | null;
  verdict: string;
  // the errors found, in SPIN's words: "invalid end state" (futexcheck: a deadlock), "assertion violated"
  // (futexcheck: a violated invariant or assertion; the twins check invariants with an assertion)
  errors: string[];
  note: string; // per-tool detail for the table's footnotes
}

async function futexcheck(c: Case, extra: string[]): Promise<Measure> {
  const args = [cli, "check", c.model, ...c.args, ...extra, "--json", "--quiet", "--max-memory", maxMemory];
  const r = await run(process.execPath, args, root);
  // exit codes 1 (a violation) and 3 (a bound was hit) still print a report
  type Report = {
    results: { name: string; verdict: string }[];
    stats: { states: number; transitions: number; seconds: number; bytesPerState: number; peakMemoryBytes: number };
    stopReason: string | null;
  };
  let rep: Report;
  try {
    if (r.code !== 0 && r.code !== 1 && r.code !== 3) throw new Error();
    rep = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`futexcheck failed (exit ${r.code}):\n${r.stderr}${r.stdout.slice(0, 2000)}`);
  }
  const bad = rep.results.filter((x) => x.verdict !== "HOLDS" && x.verdict !== "REACHED");
  const verdict =
    rep.stopReason !== null
      ? `INCOMPLETE: ${rep.stopReason}`
      : bad.length === 0
        ? "all hold"
        : bad.map((x) => `${x.name} ${x.verdict}`).join(", ");
  return {
    states: rep.stats.states,
    transitions: rep.stats.transitions,
    search: rep.stats.seconds,
    verdictTime: r.seconds,
    bytesPerState: rep.stats.bytesPerState,
    peakRss: r.peakRss ?? rep.stats.peakMemoryBytes,
    verdict,
    errors: [
      ...(bad.some((x) => x.name === "deadlock") ? ["invalid end state"] : []),
      ...(bad.some((x) => x.name !== "deadlock" && x.verdict === "VIOLATED") ? ["assertion violated"] : []),
    ],
    note: "",
  };
}

/** futexcheck's search repeated in one process on the same generated code (bench/warm.ts): the best of the
 *  searches after the first, once V8 has optimised the step functions. No verdict time: the process did more. */
async function futexcheckWarm(c: Case, extra: string[]): Promise<Measure> {
  const warm = fileURLToPath(new URL("./warm.js", import.meta.url));
  const r = await mustRun(
    process.execPath,
    [warm, c.model, ...c.args, ...extra, "--repeat", String(WARM_REPEAT), "--max-memory", maxMemory],
    root,
  );
  const stats = (
    JSON.parse(r.stdout) as { states: number; transitions: number; seconds: number; bytesPerState: number }[]
  ).slice(1);
  const best = stats.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    states: best.states,
    transitions: best.transitions,
    search: best.seconds,
    verdictTime: Number.NaN,
    bytesPerState: best.bytesPerState,
    peakRss: r.peakRss,
    verdict: "",
    errors: [],
    note: "",
  };
}

/** A number from pan's report. */
function panNumber(out: string, re: RegExp, what: string): number {
  const m = re.exec(out);
  if (m === null) throw new Error(`cannot find "${what}" in pan's output:\n${out}`);
  return Number(m[1]);
}

async function spin(c: Case, reduce: boolean, hashBits: number): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), "futexcheck-vs-spin-"));
  try {
    copyFileSync(join(root, c.twin), join(dir, "model.pml"));
    const spinA = await mustRun("spin", [...c.defines, ...c.spinFlags, "-a", "model.pml"], dir);
    // pan prints its counts with %9.8g, which rounds above 10^8 states; print them whole (only the report changes)
    const panC = join(dir, "pan.c");
    const src = readFileSync(panC, "utf8");
    writeFileSync(
      panC,
      src.replace(/%9\.8g (states, stored|states, matched|transitions \(= stored\+matched\))/g, "%.0f $1"),
    );
    const flags = ["-O2", "-DSAFETY", `-DMEMLIM=${panMemLimitMb}`, "-DVECTORSZ=1024"];
    if (!reduce) flags.push("-DNOREDUCE");
    const cc = await mustRun("gcc", [...flags, "-o", "pan", "pan.c"], dir);
    // -c0: go on past errors, as futexcheck does, so that a model with a deadlock is still searched whole
    const pan = await run("./pan", ["-m100000", `-w${hashBits}`, "-c0"], dir);
    const out = pan.stdout + pan.stderr;
    const errors = panNumber(out, /errors: (\d+)/, "errors");
    const states = panNumber(out, /([\d.e+]+) states, stored/, "states, stored");
    const transitions = panNumber(out, /([\d.e+]+) transitions \(= stored\+matched\)/, "transitions");
    const memMb = panNumber(out, /([\d.]+)\s+total actual memory usage/, "total actual memory usage");
    // pan prints its elapsed time with 3 significant digits (0 for a fast run): time the pan process instead
    const panElapsed = panNumber(out, /pan: elapsed time ([\d.e+]+) seconds/, "elapsed time");
    const vector = panNumber(out, /State-vector (\d+) byte/, "State-vector");
    const incomplete = /out of memory|max search depth too small/.exec(out);
    // with -c0 pan prints the first errors ("pan:1: invalid end state (at depth 20)"), not all of them
    const kinds = ["invalid end state", "assertion violated"].filter((k) => new RegExp(`pan:\\d+: ${k}`).test(out));
    const verdict =
      incomplete !== null
        ? `INCOMPLETE: ${incomplete[0]}`
        : errors === 0
          ? "no errors"
          : `${errors} error${errors === 1 ? "" : "s"}: ${kinds.join(", ")}`;
    return {
      states,
      transitions,
      search: pan.seconds,
      verdictTime: spinA.seconds + cc.seconds + pan.seconds,
      bytesPerState: (memMb * MIB) / states,
      peakRss: pan.peakRss ?? memMb * MIB,
      verdict,
      errors: kinds,
      note: `state vector ${vector} B, -w${hashBits}, pan's total memory ${memMb.toFixed(1)} MiB, pan's elapsed time ${panElapsed} s, spin -a + gcc ${(spinA.seconds + cc.seconds).toFixed(2)} s`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- repeats, table ----------
interface Row {
  c: Case;
  tool: string;
  ms: Measure[];
  vs: Row | null; // for a SPIN row, the futexcheck row it is compared with
  args: string[]; // futexcheck's options beyond the case's
}

const min = (xs: number[]) => Math.min(...xs);

/** The transitions/s ratio of each round of an interleaved pair (futexcheck over SPIN), as "lo–hi". */
function roundRatios(fc: Row, sp: Row): string {
  const ratios = fc.ms.map((f, i) => f.transitions / f.search / (sp.ms[i].transitions / sp.ms[i].search));
  return ratios.length === 1 ? "" : `${min(ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
}

/** `runs` rounds of a futexcheck row and the SPIN row compared with it, the two interleaved (one run of
 *  each per round), so that both see the same load on a shared machine: the ratio of a round is the fair
 *  one. The SPIN runs get the futexcheck state count of the first round (pan's -w). */
async function interleaved(fc: Row, sp: (states: number) => Promise<Measure>, c: Case, tool: string): Promise<Row> {
  const row: Row = { c, tool, ms: [], vs: fc, args: [] };
  for (let i = 0; i < runs; i++) {
    fc.ms.push(await futexcheck(c, fc.args));
    row.ms.push(await sp(fc.ms[0].states));
  }
  return row;
}

async function main(): Promise<void> {
  const tools = ensureTools();
  const node = process.version;
  console.log(
    `futexcheck vs SPIN — ${new Date().toISOString().slice(0, 10)}, Node ${node}, ${tools.spin}, ${tools.gcc}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${formatBytes(totalmem())} RAM; ${runs} run${runs === 1 ? "" : "s"} each (min / median)`,
  );
  const rows: Row[] = [];
  const done = (tool: string, c: Case) => process.stderr.write(`done: ${tool}, ${c.id}\n`);
  for (const c of selected) {
    // the full graph: futexcheck --no-por against pan -DNOREDUCE, which must find the same states
    // pan's hash table: at least one slot per state (futexcheck's count), as pan's own hint asks
    const hashBits = (states: number) => Math.min(32, Math.max(18, Math.ceil(Math.log2(states))));
    const full: Row = { c, tool: "futexcheck --no-por", ms: [], vs: null, args: ["--no-por"] };
    const noReduce = await interleaved(full, (n) => spin(c, false, hashBits(n)), c, "SPIN -DNOREDUCE");
    rows.push(full);
    done(full.tool, c);
    // the same search again in one process, on optimised code (not for searches of minutes: they warm up early)
    if (c.warm) {
      const warm: Row = { c, tool: "  the same, warm", ms: [], vs: noReduce, args: ["--no-por"] };
      for (let i = 0; i < runs; i++) warm.ms.push(await futexcheckWarm(c, warm.args));
      rows.push(warm);
      done("futexcheck --no-por, warm", c);
    }
    rows.push(noReduce);
    done("SPIN -DNOREDUCE", c);
    // each tool's default: futexcheck's reductions against SPIN's partial-order reduction
    const tool = ["futexcheck", ...c.reductions].join(" ");
    const reduced: Row = { c, tool, ms: [], vs: null, args: c.reductions };
    const por = await interleaved(reduced, () => spin(c, true, hashBits(full.ms[0].states)), c, "SPIN (POR)");
    rows.push(reduced, por);
    done(`${tool}, SPIN (POR)`, c);
  }

  const header = [
    "case",
    "tool",
    "states",
    "transitions",
    "search s",
    "(median)",
    "states/s",
    "transitions/s",
    "B/state",
    "peak RSS",
    "verdict s",
    "(median)",
    "fc÷SPIN tr/s",
    "(per round)",
    "fc÷SPIN verdict s",
    "verdict",
  ];
  const table: string[][] = [];
  const notes: string[] = [];
  const bestSearch = (r: Row) => min(r.ms.map((x) => x.search));
  const bestVerdict = (r: Row) => min(r.ms.map((x) => x.verdictTime));
  const trPerS = (r: Row) => r.ms[0].transitions / bestSearch(r);
  const time = (x: number) => (Number.isNaN(x) ? "" : x.toFixed(2));
  for (const r of rows) {
    const m = r.ms[0];
    const best = bestSearch(r);
    const vs = r.vs;
    // a SPIN row is compared with the futexcheck row it names; the warm row with the SPIN row it names
    const [fc, sp] = r.tool.startsWith("SPIN") ? [vs, r] : [r, vs];
    table.push([
      r.c.id,
      r.tool,
      formatCount(m.states),
      formatCount(m.transitions),
      best.toFixed(2),
      median(r.ms.map((x) => x.search)).toFixed(2),
      formatCount(m.states / best),
      formatCount(trPerS(r)),
      m.bytesPerState.toFixed(1),
      formatBytes(Math.max(...r.ms.map((x) => x.peakRss ?? 0))),
      time(bestVerdict(r)),
      time(median(r.ms.map((x) => x.verdictTime))),
      fc === null || sp === null ? "" : (trPerS(fc) / trPerS(sp)).toFixed(2),
      fc === null || sp === null || r.tool.includes("warm") ? "" : roundRatios(fc, sp),
      fc === null || sp === null ? "" : time(bestVerdict(fc) / bestVerdict(sp)),
      m.verdict,
    ]);
    const fastest = r.ms.find((x) => x.search === best)!;
    if (fastest.note !== "") notes.push(`${r.c.id}, ${r.tool} (fastest run): ${fastest.note}`);
    if (vs === null || !r.tool.startsWith("SPIN")) continue;
    const f = vs.ms[0];
    const same = (a: string[], b: string[]) => a.join() === b.join();
    notes.push(
      `${r.c.id}: verdicts of ${vs.tool} and ${r.tool}: ${same(f.errors, m.errors) ? "the same" : "DIFFERENT"} (${f.errors.join(", ") || "no errors"})`,
    );
    if (r.tool === "SPIN -DNOREDUCE")
      notes.push(
        `${r.c.id}: states: ${vs.tool} ${formatCount(f.states)}, SPIN -DNOREDUCE ${formatCount(m.states)}: ${m.states === f.states ? "the same" : "DIFFERENT"}; transitions ${formatCount(f.transitions)} and ${formatCount(m.transitions)} (pan counts the initial state as one: stored + matched)`,
      );
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((x, i) => (i <= 1 || i === cells.length - 1 ? x.padEnd(widths[i]) : x.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  for (const r of table) console.log(line(r));
  console.log(
    [
      "",
      `cases: ${selected.map((c) => `${c.id} = ${c.name}`).join("; ")}.`,
      "search s: the best run's search time (futexcheck: its own stats.seconds; SPIN: the wall time of the pan process).",
      "verdict s: wall clock from start to verdict (futexcheck: the whole node process; SPIN: spin -a + gcc -O2 + pan).",
      "B/state: futexcheck's bytesPerState (store, parent links, hash table); SPIN: pan's 'total actual memory usage' / states stored.",
      "peak RSS: the checking process's VmHWM, polled from /proc (futexcheck: node; SPIN: pan).",
      "fc÷SPIN: the futexcheck row above it (SPIN -DNOREDUCE: futexcheck --no-por; SPIN (POR): futexcheck with its reductions — its default, plus --symmetry where the case allows it) over this one:",
      "  transitions/s (above 1: futexcheck faster) and verdict time (below 1: futexcheck sooner).",
      "  The two rows' runs are interleaved (one of each per round, both under the same load); (per round): the lowest and highest ratio of one round's transitions/s.",
      `the same, warm: futexcheck --no-por searching ${WARM_REPEAT} times in one process on the same generated code (bench/warm.ts), the best search after the first; its fc÷SPIN is over the SPIN -DNOREDUCE row below it.`,
      "",
    ].join("\n"),
  );
  for (const n of notes) console.log(`  ${n}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
