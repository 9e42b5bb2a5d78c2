// `npm run bench`: checks a fixed set of models, each in a fresh process, and prints states, speed, memory
// per stored state and peak memory. `--runs N` repeats each and prints the best and the median time.
import { execFileSync } from "node:child_process";
import { formatBytes, formatCount } from "../cli/render.js";
import { cli, median, root } from "./common.js";

interface Case {
  name: string;
  file: string;
  args: string[];
}

const MUTEX2 = "models/futex/drepper_mutex2.fxp";

// Mutex 2 at 5 threads with each reduction, so that what each saves shows side by side: the full graph
// (--no-por), the same with tree-compressed storage, partial-order reduction (the default), and symmetry
// reduction on top; and at 4 threads with and without the dead-value reset.
const CASES: Case[] = [
  { name: "Drepper mutex 2, 3 threads, full graph", file: MUTEX2, args: ["--set", "N=3", "--no-por"] },
  { name: "Drepper mutex 2, 4 threads, full graph", file: MUTEX2, args: ["--set", "N=4", "--no-por"] },
  {
    name: "Drepper mutex 2, 4 threads, full graph, no dead-value reset",
    file: MUTEX2,
    args: ["--set", "N=4", "--no-por", "--no-dead-reset"],
  },
  { name: "Drepper mutex 2, 5 threads, full graph", file: MUTEX2, args: ["--set", "N=5", "--no-por"] },
  {
    name: "Drepper mutex 2, 5 threads, full graph, --compress",
    file: MUTEX2,
    args: ["--set", "N=5", "--no-por", "--compress"],
  },
  { name: "Drepper mutex 2, 5 threads, partial-order reduction", file: MUTEX2, args: ["--set", "N=5"] },
  { name: "Drepper mutex 2, 5 threads, POR + --symmetry", file: MUTEX2, args: ["--set", "N=5", "--symmetry"] },
  {
    name: "exit_free, 3 threads, 1 kill, 1 signal",
    file: "models/exit/exit_free.fxp",
    args: ["--set", "THREADS=3", "--kills", "1", "--signals", "1"],
  },
];

interface Report {
  stats: {
    states: number;
    transitions: number;
    seconds: number;
    bytesPerState: number;
    stateBytes: number;
    peakMemoryBytes: number;
  };
}

function runOnce(c: Case): Report {
  // exit code 1 (a violation) is a normal outcome for a benchmark model
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, "check", c.file, ...c.args, "--json", "--quiet"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    if (err.status !== 1 || err.stdout === undefined) throw e;
    out = err.stdout;
  }
  return JSON.parse(out) as Report;
}

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg >= 0 ? Math.max(1, Number(process.argv[runsArg + 1])) : 1;
const only = process.argv.indexOf("--only");
const cases = only >= 0 ? CASES.filter((c) => c.name.includes(process.argv[only + 1])) : CASES;

console.log(
  `futexcheck benchmark — Node ${process.version}, ${runs} run${runs === 1 ? "" : "s"} each (best / median time)`,
);
const header = [
  "model",
  "states",
  "transitions",
  "s (best)",
  "s (median)",
  "states/s",
  "transitions/s",
  "B/state packed",
  "B/state stored",
  "peak memory",
];
const rows: string[][] = [];
for (const c of cases) {
  const reports = Array.from({ length: runs }, () => runOnce(c));
  const times = reports.map((r) => r.stats.seconds);
  const best = Math.min(...times);
  const r = reports[0].stats;
  rows.push([
    c.name,
    formatCount(r.states),
    formatCount(r.transitions),
    best.toFixed(2),
    median(times).toFixed(2),
    formatCount(r.states / best),
    formatCount(r.transitions / best),
    String(r.stateBytes),
    r.bytesPerState.toFixed(1),
    formatBytes(Math.max(...reports.map((x) => x.stats.peakMemoryBytes))),
  ]);
  process.stderr.write(`done: ${c.name}\n`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) =>
  cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
