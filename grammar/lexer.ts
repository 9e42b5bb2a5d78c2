// The moo lexer of the futexcheck language. Keywords are listed once here; the grammar refers to them by text.
// The first group are those that start a top-level declaration.
import moo from "moo";

export const DECLARATION_KEYWORDS = [
  "model",
  "param",
  "const",
  "cpus",
  "import",
  "enum",
  "shared",
  "kernel",
  "percpu",
  "ghost",
  "proc",
  "kproc",
  "syscall",
  "handler",
  "on",
  "thread",
  "kthread",
  "invariant",
  "reachable",
  "liveness",
  "fairness",
  "counter",
  "follows",
] as const;

export const KEYWORDS = [
  ...DECLARATION_KEYWORDS,
  "exit",
  "per",
  "cpu",
  "killable",
  "fair",
  "leads_to",
  "always",
  "eventually",
  "weak",
  "bool",
  "word",
  "tid",
  "addr",
  "int",
  "tidset",
  "tidqueue",
  "if",
  "else",
  "while",
  "for",
  "in",
  "either",
  "or",
  "choose",
  "where",
  "atomic",
  "nopreempt",
  "await",
  "interruptible",
  "assert",
  "return",
  "skip",
  "break",
  "continue",
  "goto",
  "forall",
  "exists",
  "threads",
  "true",
  "false",
  "null",
  "self",
  "this_cpu",
] as const;

const rawLexer = moo.compile({
  ws: { match: /[ \t\r\n\f\v]+/, lineBreaks: true },
  comment: { match: /\/\/[^\n]*|\/\*[\s\S]*?\*\//, lineBreaks: true },
  number: /0[xX][0-9a-fA-F]+|[0-9]+/,
  string: /"(?:[^"\\\n]|\\.)*"/,
  ident: {
    match: /[A-Za-z_][A-Za-z0-9_]*/,
    type: moo.keywords(Object.fromEntries(KEYWORDS.map((k) => ["kw_" + k, k]))),
  },
  op: [
    "..",
    "=>",
    "==",
    "!=",
    "<=",
    ">=",
    "<<",
    ">>",
    "&&",
    "||",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "|",
    "^",
    "~",
    "!",
    "<",
    ">",
    "=",
  ],
  punct: ["(", ")", "{", "}", "[", "]", ",", ";", ":", "@"],
  // Anything else is one bad character: the parser wrapper reports it with its location.
  error: moo.error,
});

// Whitespace and comments are dropped here so that the grammar never has to mention them (and so cannot
// become ambiguous about where they belong).
const skipped = new Set(["ws", "comment"]);

export const lexer = {
  reset(chunk: string, info?: moo.LexerState) {
    rawLexer.reset(chunk, info);
    return this;
  },
  next(): moo.Token | undefined {
    let token = rawLexer.next();
    while (token !== undefined && skipped.has(token.type ?? "")) token = rawLexer.next();
    return token;
  },
  save: () => rawLexer.save(),
  formatError: (token: moo.Token, message?: string) => rawLexer.formatError(token, message),
  has: (name: string) => rawLexer.has(name),
};

/** Every token, whitespace and comments included, in order (for the formatter and for error recovery). */
export function allTokens(text: string): moo.Token[] {
  rawLexer.reset(text);
  return Array.from(rawLexer);
}
