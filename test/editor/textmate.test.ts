// The VS Code extension's TextMate grammar, run by vscode-textmate (the engine VS Code itself uses, with its
// Oniguruma regular expressions) over every library model: each keyword and builtin the project's own lexer
// finds gets a keyword, type, constant or builtin scope, and comments are comments. The committed grammar is
// the one lsp/textmate.ts makes from the lexer and the builtins table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTINS } from "../../grammar/builtins.js";
import { allTokens } from "../../grammar/lexer.js";
import { textMateGrammar } from "../../lsp/textmate.js";
import { libraryFiles } from "../models/library.js";

const ROOT = join(import.meta.dirname, "../..");
const GRAMMAR_FILE = join(ROOT, "editors/vscode/syntaxes/fxp.tmLanguage.json");
const MODELS = libraryFiles();
const KEYWORD_SCOPE = /^(keyword|storage|constant\.language|support\.function\.builtin)\./; // `tid(…)`, `exit()`: keywords called as builtins

let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(ROOT, "node_modules/vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(GRAMMAR_FILE, "utf8"), GRAMMAR_FILE),
  });
  const loaded = await registry.loadGrammar("source.fxp");
  if (loaded === null) throw new Error("the grammar did not load");
  grammar = loaded;
});

/** The scopes at every character of `text`, line by line as an editor tokenizes it. */
function scopesAt(text: string): (offset: number) => string[] {
  const lines = text.split("\n");
  const starts: number[] = [];
  const tokens: textmate.IToken[][] = [];
  let state = textmate.INITIAL;
  let offset = 0;
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, state);
    starts.push(offset);
    tokens.push(result.tokens);
    state = result.ruleStack;
    offset += line.length + 1;
  }
  return (at) => {
    let line = starts.length - 1;
    while (starts[line] > at) line--;
    const col = at - starts[line];
    return tokens[line].find((t) => t.startIndex <= col && col < t.endIndex)?.scopes ?? [];
  };
}

describe("the TextMate grammar", () => {
  it("is the one made from the lexer's keywords and the builtins (npm run editor-grammar)", () => {
    expect(JSON.parse(readFileSync(GRAMMAR_FILE, "utf8"))).toEqual(textMateGrammar());
  });

  it.each(MODELS)("scopes every keyword, builtin, comment and number of %s", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const scopes = scopesAt(text);
    const unscoped: string[] = [];
    const expect1 = (t: { text: string; line: number; col: number; offset: number }, wanted: RegExp) => {
      if (!scopes(t.offset).some((s) => wanted.test(s)))
        unscoped.push(`${t.line}:${t.col} ${t.text} ${scopes(t.offset).join(" ")}`);
    };
    let keywords = 0;
    const tokens = allTokens(text).filter((t) => t.type !== "ws");
    for (const [i, t] of tokens.entries()) {
      if (t.type?.startsWith("kw_")) {
        keywords++;
        expect1(t, KEYWORD_SCOPE);
      } else if (t.type === "ident" && BUILTINS.has(t.text) && tokens[i + 1]?.text === "(")
        // a call: a local may be named like a builtin (`word head;`)
        expect1(t, /^support\.function\.builtin\./);
      else if (t.type === "comment") expect1(t, /^comment\./);
      else if (t.type === "number") expect1(t, /^constant\.numeric\./);
    }
    expect(keywords).toBeGreaterThan(0);
    expect(unscoped).toEqual([]);
  });

  it("scopes labels where they are declared and where goto names them", () => {
    const text = "thread t {\n  take: skip;\n  goto take;\n}\n";
    const scopes = scopesAt(text);
    expect(scopes(text.indexOf("take"))).toContain("entity.name.label.fxp");
    expect(scopes(text.lastIndexOf("take"))).toContain("entity.name.label.fxp");
  });
});
