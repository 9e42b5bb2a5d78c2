// Every ```fxp block of docs/language.md and docs/semantics.md is a complete model: it must parse and pass the semantic checks.
// Blocks tagged ```fxp-fragment are not tested. Each example is written to a file of its own, so that
// `import "futex"` resolves against the library as it does for a real model.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";

const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs");

interface Example {
  doc: string;
  line: number; // 1-based line of the opening fence
  source: string;
  name: string;
}

/** The ```fxp blocks of a Markdown text (exactly that tag: not fxp-fragment, not other languages). */
function fxpBlocks(markdown: string, doc = "language.md"): Example[] {
  const lines = markdown.split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trimEnd() !== "```fxp") continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trimEnd() !== "```"; i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`docs/${doc}:${start + 1}: unterminated fxp block`);
    const source = body.join("\n") + "\n";
    const name = /^\s*model\s+([A-Za-z_][A-Za-z0-9_]*)\s*;/m.exec(source)?.[1] ?? `line${start + 1}`;
    out.push({ doc, line: start + 1, source, name });
  }
  return out;
}

const examples = ["language.md", "semantics.md"].flatMap((doc) =>
  fxpBlocks(readFileSync(join(DOCS, doc), "utf8"), doc),
);
const dir = mkdtempSync(join(tmpdir(), "futexcheck-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/language.md and docs/semantics.md examples", () => {
  it("has at least 25 complete examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(25);
  });

  it("names every example model differently", () => {
    const names = examples.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("finds fences exactly: fxp-fragment blocks are not examples", () => {
    const md = ["```fxp", "model a;", "```", "```fxp-fragment", "thread t", "```", "```ts", "x", "```"].join("\n");
    expect(fxpBlocks(md).map((e) => e.name)).toEqual(["a"]);
  });

  for (const ex of examples) {
    it(`${ex.doc}:${ex.line}: model ${ex.name} parses and passes the checks`, () => {
      const file = join(dir, `${ex.name}.fxp`);
      writeFileSync(file, ex.source);
      const loaded = loadModel(file);
      const shown = loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n");
      expect(shown).toBe("");
      expect(loaded.model).not.toBeNull();
      expect(loaded.model!.name).toBe(ex.name);
    });
  }
});
