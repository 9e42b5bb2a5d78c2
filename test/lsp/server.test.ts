// The language server driven over stdio by a real LSP client library (vscode-jsonrpc), as an editor drives it:
// diagnostics as the text changes, hover, definition, references, outline, completion, formatting, a check
// in a child process, shutdown.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { positionOf, ROOT, TestClient, type Range } from "./client.js";

const DEMO = `// a model to point at
model demo;
param N = 2;
const MASK = 0x40000000;
enum st { IDLE, BUSY }

shared {
  word lock = 0; // the lock word
  st state = IDLE;
}

proc take(v: word) {
  word old;
  old = cmpxchg(&lock, 0, v | MASK);
  state = BUSY;
}

thread worker[i in 0..N - 1] {
  start: take(tid(self));
  goto start;
}

invariant small: lock != 1;
`;

let client: TestClient;
let temp: string;
const uriOf = (file: string) => pathToFileURL(file).href;
const doc = (uri: string) => ({ textDocument: { uri } });
const at = (uri: string, text: string, needle: string, nth = 0, delta = 0) => ({
  ...doc(uri),
  position: positionOf(text, needle, nth, delta),
});
const rangeOf = (text: string, needle: string, nth = 0): Range => ({
  start: positionOf(text, needle, nth),
  end: positionOf(text, needle, nth, needle.length),
});
/** The `length` characters from `skip` characters into the first occurrence of `needle`. */
const prefixRange = (text: string, needle: string, length: number, skip = 0): Range => ({
  start: positionOf(text, needle, 0, skip),
  end: positionOf(text, needle, 0, skip + length),
});

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "futexcheck-lsp-"));
  client = new TestClient();
  const init = await client.initialize();
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, codeLensProvider: {} });
}, 60_000);

afterAll(async () => {
  expect(await client.shutdown()).toBe(0);
  rmSync(temp, { recursive: true, force: true });
});

describe("diagnostics", () => {
  it("are published for a model with an error, with the FX code and the range of the name, and cleared when fixed", async () => {
    const file = join(temp, "broken.fxp");
    const uri = uriOf(file);
    const broken = DEMO.replace("lock != 1", "lok != 1");
    writeFileSync(file, broken);
    const first = client.nextDiagnostics(uri);
    await client.open(uri, broken);
    const diagnostics = await first;
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "FX101", message: "unknown name 'lok'", range: rangeOf(broken, "lok") }),
    ]);
    const fixed = client.nextDiagnostics(uri);
    await client.replace(uri, DEMO, 2);
    expect(await fixed).toEqual([]);
    const syntax = client.nextDiagnostics(uri);
    await client.replace(uri, DEMO.replace("word old;", "word old"), 3);
    expect(await syntax).toEqual([expect.objectContaining({ code: "FX002", range: rangeOf(DEMO, "old", 1) })]);
  });

  it("show an error in an imported file at the import, saying where it is", async () => {
    writeFileSync(join(temp, "badlib.fxp"), "shared {\n  word x = ;\n}\n");
    const text = 'model m;\nimport "badlib";\nthread t { skip; }\n';
    const uri = uriOf(join(temp, "imports.fxp"));
    const published = client.nextDiagnostics(uri);
    await client.open(uri, text);
    expect(await published).toEqual([
      expect.objectContaining({
        code: "FX002",
        message: expect.stringMatching(/^badlib\.fxp:2:12: unexpected ';'/),
        range: rangeOf(text, 'import "badlib";'),
      }),
    ]);
  });
});

describe("names", () => {
  const uri = uriOf(join(ROOT, "demo.fxp")); // never written: the editor's text is all there is
  beforeAll(async () => {
    const published = client.nextDiagnostics(uri);
    await client.open(uri, DEMO);
    expect(await published).toEqual([]);
  });

  const hover = async (needle: string, nth = 0) =>
    (
      await client.request<{ contents: { value: string }; range: Range } | null>(
        "textDocument/hover",
        at(uri, DEMO, needle, nth),
      )
    )?.contents.value;

  it("hover: a variable's type and range, a param's value, a builtin's signature and doc, a property's kind", async () => {
    expect(await hover("lock !=")).toBe("shared variable `lock`: word (0..0xffffffff, wrapping), initially 0");
    expect(await hover("state", 1)).toBe("shared variable `state`: enum st { IDLE, BUSY }, initially 0");
    expect(await hover("old", 1)).toBe("local `old` of proc take: word (0..0xffffffff, wrapping)");
    expect(await hover("N - 1")).toBe("```fxp\nparam N = 2;\n```\nparam = 2 (override with --set N=N)");
    expect(await hover("MASK", 1)).toBe("```fxp\nconst MASK = 0x40000000;\n```\n= 1073741824 (0x40000000)");
    expect(await hover("cmpxchg")).toBe(
      "```fxp\ncmpxchg(loc, old, new): word\n```\nbuiltin (user and kernel code; changes state (a statement, or `x = …`)): " +
        "atomically: if the word at `loc` is `old`, store `new`; returns the previous value",
    );
    expect(await hover("small")).toBe(
      "```fxp\ninvariant small: lock != 1;\n```\ninvariant: checked in every reachable state",
    );
    expect(await hover("take", 1)).toBe("```fxp\nproc take(v: word)\n```");
    expect(await hover("i in")).toBe("thread index `i` of worker: 0..1");
    expect(await hover("BUSY", 1)).toBe("enum member of st = 1");
    expect(await hover("start", 1)).toMatch(/^label `start`/);
  });

  it("go to definition: variables, params, constants, routines, labels, enum members", async () => {
    const definition = (needle: string, nth: number) =>
      client.request<{ uri: string; range: Range } | null>("textDocument/definition", at(uri, DEMO, needle, nth));
    expect(await definition("lock !=", 0)).toEqual({ uri, range: rangeOf(DEMO, "lock") });
    expect(await definition("N - 1", 0)).toEqual({
      uri,
      range: prefixRange(DEMO, "N = 2", 1),
    });
    expect(await definition("MASK", 1)).toEqual({ uri, range: rangeOf(DEMO, "MASK") });
    expect(await definition("take", 1)).toEqual({ uri, range: rangeOf(DEMO, "take") });
    expect(await definition("start", 1)).toEqual({ uri, range: rangeOf(DEMO, "start") });
    expect(await definition("v |", 0)).toEqual({
      uri,
      range: prefixRange(DEMO, "v: word", 1),
    });
    expect(await definition("BUSY", 1)).toEqual({ uri, range: rangeOf(DEMO, "BUSY") });
  });

  it("go to definition reaches into the library: an import, a routine it declares", async () => {
    const file = join(ROOT, "models", "examples", "futex_lost_wakeup.fxp");
    const text = readFileSync(file, "utf8");
    const libUri = uriOf(join(ROOT, "models", "lib", "futex.fxp"));
    const published = client.nextDiagnostics(uriOf(file));
    await client.open(uriOf(file), text);
    expect(await published).toEqual([]);
    const found = await client.request<{ uri: string; range: Range }>(
      "textDocument/definition",
      at(uriOf(file), text, "futex_wait(&"),
    );
    const imported = await client.request<{ uri: string; range: Range }>(
      "textDocument/definition",
      at(uriOf(file), text, 'import "futex"'),
    );
    expect(imported).toEqual({
      uri: libUri,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    const lib = readFileSync(join(ROOT, "models", "lib", "futex.fxp"), "utf8");
    expect(found).toEqual({
      uri: libUri,
      range: prefixRange(lib, "syscall futex_wait(", "futex_wait".length, "syscall ".length),
    });
  });

  it("find references: the declaration and every use", async () => {
    const refs = await client.request<{ uri: string; range: Range }[]>("textDocument/references", {
      ...at(uri, DEMO, "lock", 0),
      context: { includeDeclaration: true },
    });
    expect(refs.map((r) => r.range)).toEqual([
      rangeOf(DEMO, "lock", 0),
      rangeOf(DEMO, "lock", 2),
      rangeOf(DEMO, "lock", 3),
    ]);
    const uses = await client.request<unknown[]>("textDocument/references", {
      ...at(uri, DEMO, "start", 0),
      context: { includeDeclaration: false },
    });
    expect(uses).toEqual([{ uri, range: rangeOf(DEMO, "start", 1) }]);
  });

  it("document symbols: the outline of declarations, spaces with their variables, threads with their labels", async () => {
    const symbols = await client.request<{ name: string; detail?: string; children?: { name: string }[] }[]>(
      "textDocument/documentSymbol",
      doc(uri),
    );
    expect(symbols.map((s) => s.name)).toEqual(["demo", "N", "MASK", "st", "shared", "take", "worker", "small"]);
    expect(symbols.find((s) => s.name === "shared")?.children?.map((c) => c.name)).toEqual(["lock", "state"]);
    expect(symbols.find((s) => s.name === "worker")?.children?.map((c) => c.name)).toEqual(["start"]);
    expect(symbols.find((s) => s.name === "st")?.children?.map((c) => c.name)).toEqual(["IDLE", "BUSY"]);
  });

  it("completion: keywords, builtins, globals and the locals of the body at the cursor", async () => {
    const labels = async (needle: string) =>
      (await client.request<{ label: string }[]>("textDocument/completion", at(uri, DEMO, needle))).map((c) => c.label);
    const inTake = await labels("state = BUSY");
    expect(inTake).toEqual(
      expect.arrayContaining(["atomic", "while", "cmpxchg", "push", "lock", "N", "MASK", "BUSY", "take", "old", "v"]),
    );
    const inWorker = await labels("goto start");
    expect(inWorker).toEqual(expect.arrayContaining(["i", "start", "lock"]));
    expect(inWorker).not.toContain("old");
  });

  it("formatting is fmt's, comments kept", async () => {
    const messy = DEMO.replace("word lock = 0; // the lock word", "word   lock=0;   // the lock word");
    await client.replace(uri, messy, 2);
    const edits = await client.request<{ newText: string }[]>("textDocument/formatting", {
      ...doc(uri),
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe(DEMO);
    await client.replace(uri, DEMO, 3);
  });
});

describe("check this model", () => {
  it("runs in a child process and gives each property's verdict and trace length at its declaration", async () => {
    const file = join(ROOT, "models", "examples", "futex_lost_wakeup.fxp");
    const text = readFileSync(file, "utf8");
    const uri = uriOf(file);
    const before = await client.request<{ command: { title: string; command: string } }[]>(
      "textDocument/codeLens",
      doc(uri),
    );
    expect(before.map((l) => l.command.title)).toEqual(["▶ check this model"]);
    const hoverWhileRunning = client.request("textDocument/hover", at(uri, text, "(flag == 0)", 0, 1));
    const outcome = await client.request<{
      kind: string;
      verdicts: { name: string; verdict: string; steps: number | null }[];
      states: number;
    }>("workspace/executeCommand", { command: before[0].command.command, arguments: [uri] });
    expect(await hoverWhileRunning).not.toBeNull();
    expect(outcome).toMatchObject({
      kind: "done",
      states: 34,
      verdicts: [
        { name: "waiter_slept", verdict: "REACHED", steps: 4 },
        { name: "deadlock", verdict: "VIOLATED", steps: 9 },
        { name: "assertions", verdict: "HOLDS", steps: null },
        { name: "runtime_errors", verdict: "HOLDS", steps: null },
      ],
    });
    const after = await client.request<
      { range: Range; command: { title: string; command: string; arguments?: string[] } }[]
    >("textDocument/codeLens", doc(uri));
    const property = after.find((l) => l.command.title.startsWith("REACHED"));
    expect(property?.range.start).toEqual(positionOf(text, "reachable waiter_slept"));
    expect(after.map((l) => l.command.title)).toEqual([
      "▶ check this model",
      "REACHED, trace of 4 steps (open the trace)",
      "deadlock: VIOLATED, trace of 9 steps (open the trace)",
      "assertions: HOLDS",
      "runtime_errors: HOLDS",
      "34 states",
    ]);
    const open = after[1].command;
    await client.request("workspace/executeCommand", { command: open.command, arguments: open.arguments });
    const page = client.shown.at(-1) as { uri: string; external: boolean };
    expect(page.external).toBe(true);
    expect(readFileSync(new URL(page.uri), "utf8")).toContain("waiter_slept");
  });

  it("can be cancelled: the child is stopped and the outcome says so", async () => {
    const file = join(ROOT, "models", "futex", "robust_mutex.fxp");
    const uri = uriOf(file);
    await client.open(uri, readFileSync(file, "utf8"));
    const outcome = client.request<{ kind: string }>("workspace/executeCommand", {
      command: "futexcheck.check",
      arguments: [uri],
    });
    await new Promise((done) => setTimeout(done, 300));
    await client.request("workspace/executeCommand", { command: "futexcheck.cancelCheck", arguments: [uri] });
    expect(await outcome).toEqual({ kind: "cancelled" });
  });
});
