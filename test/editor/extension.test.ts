// The VS Code extension's manifest points at the grammar and language configuration it ships, for the
// language id and file extension the server is started on.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { textMateGrammar } from "../../lsp/textmate.js";

const EXTENSION = join(import.meta.dirname, "../../editors/vscode");
const read = (file: string) => JSON.parse(readFileSync(join(EXTENSION, file), "utf8")) as Record<string, unknown>;

describe("editors/vscode", () => {
  it("contributes the fxp language with its configuration and the generated grammar", () => {
    const manifest = read("package.json") as {
      contributes: {
        languages: { id: string; extensions: string[]; configuration: string }[];
        grammars: { language: string; scopeName: string; path: string }[];
      };
    };
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: "fxp", extensions: [".fxp"] });
    expect(read(language.configuration)).toMatchObject({
      comments: { lineComment: "//", blockComment: ["/*", "*/"] },
    });
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({
      language: "fxp",
      scopeName: (textMateGrammar() as { scopeName: string }).scopeName,
    });
    expect(existsSync(join(EXTENSION, grammar.path))).toBe(true);
    // the client's document selector names the same language
    expect(readFileSync(join(EXTENSION, "src/extension.ts"), "utf8")).toContain('language: "fxp"');
  });
});
