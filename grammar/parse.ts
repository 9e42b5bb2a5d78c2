// The thin wrapper around the nearley parser: text in, a Program or located diagnostics out.
// It never throws on bad input: lexical errors, syntax errors, ambiguity and resource limits all become diagnostics.
import nearley from "nearley";
import type moo from "moo";
import type { Program, Span } from "./ast.js";
import { error, type Diagnostic } from "./diagnostics.js";
import grammar from "./futexcheck.js";
import { allTokens } from "./lexer.js";

export const MAX_SOURCE_BYTES = 1 << 20;

export type ParseResult = { ok: true; program: Program } | { ok: false; diagnostics: Diagnostic[] };

const compiled = nearley.Grammar.fromCompiled(grammar);

// Keywords that start a top-level declaration: after a syntax error, parsing resumes at the next one of
// these found outside any braces, so that one run reports the errors of every declaration.
const DECL_STARTS = new Set([
  "model", "param", "const", "cpus", "import", "enum", "shared", "kernel", "percpu", "ghost", "proc", "kproc",
  "syscall", "handler", "on", "thread", "kthread", "invariant", "reachable", "liveness", "fairness", "counter",
]);

export function parse(text: string, file: string): ParseResult {
  if (text.length > MAX_SOURCE_BYTES) {
    return fail([error("FX005", `file is larger than ${MAX_SOURCE_BYTES} bytes`, pointSpan(file, 1, 1, 0))]);
  }
  const lexical = lexicalErrors(text, file);
  if (lexical.length > 0) return fail(lexical);
  const whole = parseChunk(text, file);
  if (whole.ok) return whole;
  return fail(recover(text, file));
}

function fail(diagnostics: Diagnostic[]): ParseResult {
  return { ok: false, diagnostics };
}

function pointSpan(file: string, line: number, col: number, offset: number, length = 1): Span {
  return { file, line, col, endLine: line, endCol: col + length, offset, endOffset: offset + length };
}

function tokenSpan(file: string, t: moo.Token): Span {
  const firstLine = t.text.split("\n")[0];
  return pointSpan(file, t.line, t.col, t.offset, Math.max(1, firstLine.length));
}

function lexicalErrors(text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of allTokens(text)) {
    if (t.type !== "error") continue;
    const ch = t.text.codePointAt(0) ?? 0;
    const shown = ch >= 0x20 && ch < 0x7f ? `'${String.fromCodePoint(ch)}'` : `U+${ch.toString(16).toUpperCase().padStart(4, "0")}`;
    const what = t.text.startsWith("/*") ? "unterminated comment" : t.text.startsWith('"') ? "unterminated string" : `unexpected character ${shown}`;
    out.push(error("FX001", what, pointSpan(file, t.line, t.col, t.offset)));
  }
  return out;
}

function parseChunk(text: string, file: string): ParseResult {
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(text);
  } catch (e) {
    return fail([syntaxError(e, parser, text, file)]);
  }
  if (parser.results.length === 0) {
    return fail([error("FX003", "unexpected end of file: a declaration or block is not finished", endSpan(text, file))]);
  }
  if (parser.results.length > 1) {
    return fail([error("FX004", `internal error: the grammar is ambiguous here (${parser.results.length} parses)`, endSpan(text, file))]);
  }
  const program = parser.results[0] as Program;
  try {
    setFile(program, file);
  } catch (e) {
    if (e instanceof RangeError) return fail([error("FX006", "expression or block nested too deeply", pointSpan(file, 1, 1, 0))]);
    throw e;
  }
  return { ok: true, program };
}

function syntaxError(e: unknown, parser: nearley.Parser, text: string, file: string): Diagnostic {
  if (e instanceof RangeError) return error("FX006", "expression or block nested too deeply", pointSpan(file, 1, 1, 0));
  const token = (e as { token?: moo.Token }).token;
  if (token === undefined) return error("FX002", "syntax error", endSpan(text, file));
  const expected = expectedTokens(parser);
  const list = expected.length > 0 ? `; expected ${expected.length === 1 ? "" : "one of "}${expected.join(", ")}` : "";
  return error("FX002", `unexpected ${describeToken(token)}${list}`, tokenSpan(file, token));
}

function describeToken(t: moo.Token): string {
  if (t.type === "ident") return `name '${t.text}'`;
  if (t.type === "number") return `number ${t.text}`;
  if (t.type === "string") return `string ${t.text}`;
  return `'${t.text}'`;
}

// The terminals that the parser could have accepted where it failed, read off the last Earley column as
// nearley's own report does.
function expectedTokens(parser: nearley.Parser): string[] {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table;
  const column = table[table.length - 2];
  if (column === undefined) return [];
  const names = new Set<string>();
  for (const state of column.states) {
    const next = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (next === undefined || typeof next === "string") continue;
    if (next.literal !== undefined) names.add(`'${next.literal}'`);
    else if (next.type !== undefined) names.add(next.type === "ident" ? "a name" : `a ${next.type}`);
  }
  return [...names].sort();
}

function endSpan(text: string, file: string): Span {
  const lines = text.split("\n");
  const line = lines.length;
  const col = lines[lines.length - 1].length + 1;
  return pointSpan(file, line, col, text.length, 0);
}

// After a syntax error: cut the file at each top-level declaration keyword outside braces and parse every
// piece on its own (blanked elsewhere, so that lines and columns stay true). Each failing piece gives one error.
function recover(text: string, file: string): Diagnostic[] {
  const starts: number[] = [];
  let depth = 0;
  const tokens = allTokens(text).filter((t) => t.type !== "ws" && t.type !== "comment");
  tokens.forEach((t, i) => {
    if (t.text === "{") depth++;
    else if (t.text === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0 && t.type?.startsWith("kw_") && DECL_STARTS.has(t.text)) {
      // `on` starts a declaration only as `on exit`; `on cpu` belongs to a thread header.
      if (t.text !== "on" || tokens[i + 1]?.text === "exit") starts.push(t.offset);
    }
  });
  if (starts.length === 0 || starts[0] !== 0) starts.unshift(0);
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < starts.length && diagnostics.length < 50; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const piece = blank(text.slice(0, starts[i])) + text.slice(starts[i], end);
    const result = parseChunk(piece, file);
    if (!result.ok) diagnostics.push(...result.diagnostics);
  }
  // A piece may parse alone while the whole does not (an unclosed brace swallowing the rest): say so.
  return diagnostics.length > 0 ? diagnostics : (parseChunk(text, file) as { diagnostics: Diagnostic[] }).diagnostics;
}

function blank(s: string): string {
  return s.replace(/[^\n]/g, " ");
}

// Spans are built without a file name; stamp it on every node once the tree is complete.
function setFile(node: unknown, file: string): void {
  if (Array.isArray(node)) {
    for (const x of node) setFile(x, file);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "span") (value as Span).file = file;
    else if (typeof value === "object") setFile(value, file);
  }
}
