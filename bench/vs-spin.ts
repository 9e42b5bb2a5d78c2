// `npm run bench:spin`: futexcheck and SPIN side by side on the same protocol, in one run. For each case it runs
// futexcheck (a child process, `--json --quiet`) and SPIN on the Promela twin in bench/spin/ (`spin -a`, then
// gcc, then `./pan`) twice: with -DNOREDUCE (the full state graph, which must have exactly futexcheck's states)
// and with SPIN's default partial-order reduction. It prints one table: states, transitions, search time, speed,
// memory per state, peak memory, time to verdict, and the futexcheck/SPIN ratios. bench/README.md explains every
// column and records a run.
//
//   node dist/bench/vs-spin.js [--runs K] [--threads 4,5,6] [--max-memory SIZE]
//
// SPIN is installed from the distribution (apt-get install -y spin) when `spin` is not on the PATH.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatCount } from "../cli/render.js";

interface Case {
  name: string;
  model: string; // futexcheck model, relative to the repository root
  twin: string; // Promela twin, relative to the repository root
  threads: number;
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const MIB = 2 ** 20;

// ---------- arguments ----------
function argValue(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}
const runs = Math.max(1, Number(argValue("--runs") ?? "1"));
// 6 threads takes each tool about ten minutes and 6-9 GB here (bench/README.md): ask for it with --threads 4,5,6
const threadCounts = (argValue("--threads") ?? "4,5").split(",").map(Number);
if (threadCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) {
  console.error("--threads takes a comma-separated list of thread counts between 1 and 8");
  process.exit(2);
}
// futexcheck's default store bound is min(RAM/2, 8 GiB); the 6-thread mutex needs more than 4 GiB of store.
const maxMemory = argValue("--max-memory") ?? `${Math.floor((totalmem() * 0.75) / MIB)}M`;
// pan's own allocation limit (MB), set at compile time; its default is 2048.
const panMemLimitMb = Math.floor((totalmem() * 0.75) / MIB);

const CASES: Case[] = threadCounts.map((n) => ({
  name: `Drepper mutex 2, ${n} threads`,
  model: "models/futex/drepper_mutex2.fxp",
  twin: "bench/spin/drepper_mutex2.pml",
  threads: n,
}));

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
  note: string; // per-tool detail for the table's footnotes
}

async function futexcheck(c: Case): Promise<Measure> {
  const args = [cli, "check", c.model, "--set", `N=${c.threads}`, "--json", "--quiet", "--max-memory", maxMemory];
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
    const spinA = await mustRun("spin", [`-DN=${c.threads}`, "-a", "model.pml"], dir);
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
    const pan = await run("./pan", ["-m100000", `-w${hashBits}`], dir);
    const out = pan.stdout + pan.stderr;
    const errors = panNumber(out, /errors: (\d+)/, "errors");
    const states = panNumber(out, /([\d.e+]+) states, stored/, "states, stored");
    const transitions = panNumber(out, /([\d.e+]+) transitions \(= stored\+matched\)/, "transitions");
    const memMb = panNumber(out, /([\d.]+)\s+total actual memory usage/, "total actual memory usage");
    // pan prints its elapsed time with 3 significant digits (0 for a fast run): time the pan process instead
    const panElapsed = panNumber(out, /pan: elapsed time ([\d.e+]+) seconds/, "elapsed time");
    const vector = panNumber(out, /State-vector (\d+) byte/, "State-vector");
    const incomplete = /out of memory|max search depth too small/.exec(out);
    const verdict =
      incomplete !== null ? `INCOMPLETE: ${incomplete[0]}` : errors === 0 ? "no errors" : `${errors} errors`;
    return {
      states,
      transitions,
      search: pan.seconds,
      verdictTime: spinA.seconds + cc.seconds + pan.seconds,
      bytesPerState: (memMb * MIB) / states,
      peakRss: pan.peakRss ?? memMb * MIB,
      verdict,
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
}

const min = (xs: number[]) => Math.min(...xs);
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function repeat(what: () => Promise<Measure>): Promise<Measure[]> {
  const ms: Measure[] = [];
  for (let i = 0; i < runs; i++) ms.push(await what());
  return ms;
}

async function main(): Promise<void> {
  const tools = ensureTools();
  const node = process.version;
  console.log(
    `futexcheck vs SPIN — ${new Date().toISOString().slice(0, 10)}, Node ${node}, ${tools.spin}, ${tools.gcc}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${formatBytes(totalmem())} RAM; ${runs} run${runs === 1 ? "" : "s"} each (min / median)`,
  );
  const rows: Row[] = [];
  for (const c of CASES) {
    const fc = await repeat(() => futexcheck(c));
    rows.push({ c, tool: "futexcheck", ms: fc });
    process.stderr.write(`done: futexcheck, ${c.name}\n`);
    // pan's hash table: at least one slot per state (futexcheck's count), as pan's own hint asks
    const hashBits = Math.min(32, Math.max(18, Math.ceil(Math.log2(fc[0].states))));
    rows.push({ c, tool: "SPIN -DNOREDUCE", ms: await repeat(() => spin(c, false, hashBits)) });
    process.stderr.write(`done: SPIN -DNOREDUCE, ${c.name}\n`);
    rows.push({ c, tool: "SPIN (POR)", ms: await repeat(() => spin(c, true, hashBits)) });
    process.stderr.write(`done: SPIN (POR), ${c.name}\n`);
  }

  const header = [
    "N",
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
    "fc÷SPIN verdict s",
    "verdict",
  ];
  const table: string[][] = [];
  const notes: string[] = [];
  for (const r of rows) {
    const fc = rows.find((x) => x.c === r.c && x.tool === "futexcheck")!;
    const best = min(r.ms.map((x) => x.search));
    const bestVerdict = min(r.ms.map((x) => x.verdictTime));
    const m = r.ms[0];
    const trPerS = m.transitions / best;
    const fcTrPerS = fc.ms[0].transitions / min(fc.ms.map((x) => x.search));
    const fcVerdict = min(fc.ms.map((x) => x.verdictTime));
    table.push([
      String(r.c.threads),
      r.tool,
      formatCount(m.states),
      formatCount(m.transitions),
      best.toFixed(2),
      median(r.ms.map((x) => x.search)).toFixed(2),
      formatCount(m.states / best),
      formatCount(trPerS),
      m.bytesPerState.toFixed(1),
      formatBytes(Math.max(...r.ms.map((x) => x.peakRss ?? 0))),
      bestVerdict.toFixed(2),
      median(r.ms.map((x) => x.verdictTime)).toFixed(2),
      r === fc ? "" : (fcTrPerS / trPerS).toFixed(2),
      r === fc ? "" : (fcVerdict / bestVerdict).toFixed(2),
      m.verdict,
    ]);
    const fastest = r.ms.find((x) => x.search === best)!;
    if (fastest.note !== "") notes.push(`${r.c.name}, ${r.tool} (fastest run): ${fastest.note}`);
    if (r.tool === "SPIN -DNOREDUCE") {
      const f = fc.ms[0];
      notes.push(
        `${r.c.name}: states: futexcheck ${formatCount(f.states)}, SPIN -DNOREDUCE ${formatCount(m.states)}: ${m.states === f.states ? "the same" : "DIFFERENT"}; transitions ${formatCount(f.transitions)} and ${formatCount(m.transitions)} (pan counts the initial state as one: stored + matched)`,
      );
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((x, i) => (i === 1 || i === cells.length - 1 ? x.padEnd(widths[i]) : x.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  for (const r of table) console.log(line(r));
  console.log(
    [
      "",
      "search s: the best run's search time (futexcheck: its own stats.seconds; SPIN: the wall time of the pan process).",
      "verdict s: wall clock from start to verdict (futexcheck: the whole node process; SPIN: spin -a + gcc -O2 + pan).",
      "B/state: futexcheck's bytesPerState (store, parent links, hash table); SPIN: pan's 'total actual memory usage' / states stored.",
      "peak RSS: the checking process's VmHWM, polled from /proc (futexcheck: node; SPIN: pan).",
      "fc÷SPIN: futexcheck's transitions/s over SPIN's (above 1: futexcheck faster), and futexcheck's verdict time over SPIN's (below 1: futexcheck sooner).",
      "",
    ].join("\n"),
  );
  for (const n of notes) console.log(`  ${n}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
