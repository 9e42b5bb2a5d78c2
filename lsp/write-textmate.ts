// `npm run editor-grammar`: writes the TextMate grammar that lsp/textmate.ts makes into the VS Code extension.
import { writeFileSync } from "node:fs";
import { textMateGrammar } from "./textmate.js";

writeFileSync(
  new URL("../editors/vscode/syntaxes/fxp.tmLanguage.json", import.meta.url),
  JSON.stringify(textMateGrammar(), null, 2) + "\n",
);
