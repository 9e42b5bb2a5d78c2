// The TextMate grammar of `.fxp` files (editors/vscode/syntaxes/fxp.tmLanguage.json), made from the lexer's
// keyword list and the builtins table so that it never lags the language: `npm run editor-grammar` writes it,
// and a test fails when the committed file differs from what this makes.
import { BUILTINS } from "../grammar/builtins.js";
import { DECLARATION_KEYWORDS, KEYWORDS } from "../grammar/lexer.js";

// Keywords by the scope they get; the lexer's keywords in none of these groups are `keyword.other`.
const TYPES = ["bool", "word", "tid", "addr", "int", "tidset", "tidqueue"];
// The lexer lists the statement keywords together, from `if` to `goto`.
const CONTROL = KEYWORDS.slice(KEYWORDS.indexOf("if"), KEYWORDS.indexOf("goto") + 1);
const CONSTANTS = ["true", "false", "null", "self", "this_cpu"];

const words = (list: readonly string[]) => `\\b(?:${[...list].sort().join("|")})\\b`;
const NAME = "[A-Za-z_][A-Za-z0-9_]*";

export function textMateGrammar(): object {
  const grouped = new Set([...TYPES, ...CONTROL, ...CONSTANTS, ...DECLARATION_KEYWORDS]);
  const other = KEYWORDS.filter((k) => !grouped.has(k));
  return {
    name: "futexcheck",
    scopeName: "source.fxp",
    fileTypes: ["fxp"],
    patterns: [
      { include: "#comments" },
      { name: "string.quoted.double.fxp", match: '"(?:[^"\\\\\\n]|\\\\.)*"' },
      { name: "constant.numeric.hex.fxp", match: "\\b0[xX][0-9a-fA-F]+\\b" },
      { name: "constant.numeric.decimal.fxp", match: "\\b[0-9]+\\b" },
      {
        // a label at the start of a statement
        match: `(?:^|(?<=[;{}]))\\s*(${NAME})\\s*(:)(?!:)`,
        captures: { "1": { name: "entity.name.label.fxp" }, "2": { name: "punctuation.separator.label.fxp" } },
      },
      {
        match: `\\b(goto)\\s+(${NAME})`,
        captures: { "1": { name: "keyword.control.fxp" }, "2": { name: "entity.name.label.fxp" } },
      },
      {
        match: `\\b(proc|kproc|syscall)\\s+(${NAME})`,
        captures: { "1": { name: "storage.type.function.fxp" }, "2": { name: "entity.name.function.fxp" } },
      },
      {
        match: `\\b(thread|kthread|handler)\\s+(${NAME})`,
        captures: { "1": { name: "storage.type.thread.fxp" }, "2": { name: "entity.name.type.thread.fxp" } },
      },
      { name: "support.function.builtin.fxp", match: `${words([...BUILTINS.keys()])}(?=\\s*\\()` },
      { name: "storage.type.fxp", match: words(TYPES) },
      { name: "keyword.control.fxp", match: words(CONTROL) },
      { name: "constant.language.fxp", match: words(CONSTANTS) },
      { name: "storage.modifier.declaration.fxp", match: words(DECLARATION_KEYWORDS) },
      { name: "keyword.other.fxp", match: words(other) },
      { name: "keyword.operator.fxp", match: "=>|==|!=|<=|>=|<<|>>|&&|\\|\\||\\.\\.|[-+*/%&|^~!<>=]" },
    ],
    repository: {
      comments: {
        patterns: [
          { name: "comment.line.double-slash.fxp", match: "//.*$" },
          { name: "comment.block.fxp", begin: "/\\*", end: "\\*/" },
        ],
      },
    },
  };
}
