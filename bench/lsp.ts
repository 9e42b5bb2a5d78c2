// `npm run bench:lsp`: how long after a change the language server publishes diagnostics, for the largest
// library model, measured over stdio as an editor sees it (the built server, `futexcheck lsp`). Each change
// alternates between breaking one line and restoring it, so every change yields new diagnostics. Also the
// time of the analysis alone (load, parse, check, index) in this process, and the server's pause before it
// analyses (typing coalesces; the server's default).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { analyze } from "../lsp/analyze.js";
import { cli, median, root } from "./common.js";

const RUNS = 40;
const DEBOUNCE_MS = 30; // lsp/server.ts's default

function largestModel(): string {
  const files = ["models/examples", "models/exit", "models/futex"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".fxp"))
      .map((f) => join(root, dir, f)),
  );
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

async function main(): Promise<void> {
  const file = largestModel();
  const text = readFileSync(file, "utf8");
  const uri = pathToFileURL(file).href;
  // Break the last statement line of the first thread: an unknown name, a located FX101.
  const broken = text.replace(/\n(\s+)(\w+)(\s*=)/, "\n$1$2_typo$3");

  const analysis: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    analyze(file, new Map([[file, i % 2 === 0 ? broken : text]]));
    analysis.push(performance.now() - t0);
  }

  const child = spawn(process.execPath, [cli, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  let published: ((count: number) => void) | null = null;
  connection.onNotification("textDocument/publishDiagnostics", (p: { diagnostics: unknown[] }) => {
    published?.(p.diagnostics.length);
  });
  connection.listen();
  await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification("initialized", {});
  const next = () => new Promise<number>((done) => (published = done));
  const first = next();
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "fxp", version: 1, text },
  });
  if ((await first) !== 0) throw new Error(`${file} has errors`);

  const latency: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const isBroken = i % 2 === 0;
    const arrived = next();
    const t0 = performance.now();
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ text: isBroken ? broken : text }],
    });
    const count = await arrived;
    latency.push(performance.now() - t0);
    if (count > 0 !== isBroken) throw new Error(`change ${i}: ${count} diagnostics`);
  }
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  connection.dispose();

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const lines = text.split("\n").length;
  process.stdout.write(
    [
      `model: ${file.slice(root.length)} (${lines} lines, with its imports)`,
      `change → diagnostics over stdio: median ${ms(median(latency))}, max ${ms(Math.max(...latency))} (${RUNS} changes, ${DEBOUNCE_MS} ms pause included)`,
      `analysis alone (load, parse, check, index): median ${ms(median(analysis))}, max ${ms(Math.max(...analysis))}`,
    ].join("\n") + "\n",
  );
}

await main();
