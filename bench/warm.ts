// `node dist/bench/warm.js MODEL [--set N=V]... [--kills K] [--signals S] [--property P]... [--no-por]
// [--symmetry] [--max-memory SIZE] [--repeat R]`: checks MODEL R times (default 4) in one process, on the same
// generated code, and prints the reports' stats as a JSON array (an error if a search hits a bound). The
// first search runs while V8 is still compiling and re-optimising the generated step functions; the later
// ones show the speed once it has (bench:spin's "warm" rows, bench/README.md).
import type { CompiledModel } from "../checker/compile.js";
import { runCheck, type CheckReport } from "../checker/run.js";
import { parseMemory } from "../cli/program.js";
import { loadModel } from "../grammar/load.js";

const [file, ...rest] = process.argv.slice(2);
const overrides = new Map<string, number>();
const properties: string[] = [];
let kills = 0;
let signals = 0;
let por = true;
let symmetry = false;
let repeat = 4;
let maxMemoryBytes: number | undefined;
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  if (a === "--no-por") por = false;
  else if (a === "--symmetry") symmetry = true;
  else {
    const v = rest[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (a === "--set") {
      const [name, value] = v.split("=");
      overrides.set(name, Number(value));
    } else if (a === "--kills") kills = Number(v);
    else if (a === "--signals") signals = Number(v);
    else if (a === "--property") properties.push(v);
    else if (a === "--repeat") repeat = Number(v);
    else if (a === "--max-memory") maxMemoryBytes = parseMemory(v);
    else throw new Error(`unknown argument ${a}`);
  }
}
const loaded = loadModel(file, { overrides });
if (loaded.model === null) throw new Error(`${file} does not check`);
const options = {
  kills,
  signals,
  por,
  symmetry,
  maxMemoryBytes,
  properties: properties.length > 0 ? properties : undefined,
};
const stats: CheckReport["stats"][] = [];
let compiled: CompiledModel | undefined;
for (let r = 0; r < repeat; r++) {
  const run = runCheck(loaded.model, loaded.sources, options, compiled);
  if (!run.report.complete) throw new Error(`search ${r + 1} stopped: ${run.report.stopReason}`);
  compiled = run.compiled;
  stats.push(run.report.stats);
}
console.log(JSON.stringify(stats));
