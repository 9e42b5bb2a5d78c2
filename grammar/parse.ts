// The thin wrapper around the nearley parser: text in, a Program or located diagnostics out.
// It never throws on bad input: lexical errors, syntax errors, ambiguity and resource limits all become diagnostics.
import nearley from "nearley";
import type moo from "moo";
import type { Decl, Program, Span } from "./ast.js";
import { attachComments } from "./comments.js";
import { error, type Diagnostic } from "./diagnostics.js";
import grammar from "./futexcheck.js";
import { allTokens, DECLARATION_KEYWORDS } from "./lexer.js";

export const MAX_SOURCE_BYTES = 1 << 20;

export type ParseResult = { ok: true; program: Program } | { ok: false; diagnostics: Diagnostic[] };

const compiled = nearley.Grammar.fromCompiled(grammar);

// Keywords that start a top-level declaration: each declaration is parsed on its own, from one of these
// found outside any braces.
const DECL_STARTS = new Set<string>(DECLARATION_KEYWORDS);

export function parse(text: string, file: string): ParseResult {
  if (Buffer.byteLength(text, "utf8") > MAX_SOURCE_BYTES) {
    return fail([error("FX005", `file is larger than ${MAX_SOURCE_BYTES} bytes`, pointSpan(file, 1, 1, 0))]);
  }
  const all = allTokens(text);
  const lexical = lexicalErrors(all, file);
  if (lexical.length > 0) return fail(lexical);
  // Each top-level declaration is parsed on its own: an error in one does not hide the errors of the others,
  // and the parser's work stays proportional to the size of the file.
  const tokens = all.filter((t) => t.type !== "ws" && t.type !== "comment");
  const starts = declarationStarts(tokens);
  const decls: Decl[] = [];
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < starts.length; i++) {
    const first = tokens[starts[i]];
    const next = i + 1 < starts.length ? tokens[starts[i + 1]] : undefined;
    const result = parseChunk(text, file, first, next);
    if (result.ok) decls.push(...result.decls);
    else diagnostics.push(...result.diagnostics);
    if (diagnostics.length >= 50) break;
  }
  if (diagnostics.length > 0) return fail(diagnostics);
  const span: Span =
    decls.length === 0
      ? pointSpan(file, 1, 1, 0, 0)
      : {
          ...decls[0].span,
          endLine: decls[decls.length - 1].span.endLine,
          endCol: decls[decls.length - 1].span.endCol,
          endOffset: decls[decls.length - 1].span.endOffset,
        };
  const program: Program = { kind: "program", decls, span };
  attachComments(program, all);
  return { ok: true, program };
}

function fail(diagnostics: Diagnostic[]): ParseResult {
  return { ok: false, diagnostics };
}

function pointSpan(file: string, line: number, col: number, offset: number, length = 1): Span {
  return { file, line, col, endLine: line, endCol: col + length, offset, endOffset: offset + length };
}

function tokenSpan(file: string, t: moo.Token, base = 0): Span {
  const firstLine = t.text.split("\n")[0];
  return pointSpan(file, t.line, t.col, t.offset + base, Math.max(1, firstLine.length));
}

function lexicalErrors(tokens: moo.Token[], file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [i, t] of tokens.entries()) {
    // A `/*` without its `*/` does not match the comment rule: it lexes as the operators `/` and `*`.
    if (t.text === "/" && tokens[i + 1]?.text === "*" && tokens[i + 1].offset === t.offset + 1) {
      out.push(error("FX001", "unterminated comment", pointSpan(file, t.line, t.col, t.offset, 2)));
      break;
    }
    // The grammar decodes string literals with JSON.parse; reject here what it cannot decode (`\q`, a raw tab).
    if (t.type === "string" && !isJsonString(t.text)) {
      out.push(error("FX001", "invalid string literal", tokenSpan(file, t)));
      continue;
    }
    if (t.type !== "error") continue;
    const ch = t.text.codePointAt(0) ?? 0;
    const shown =
      ch >= 0x20 && ch < 0x7f ? `'${String.fromCodePoint(ch)}'` : `U+${ch.toString(16).toUpperCase().padStart(4, "0")}`;
    const what = t.text.startsWith("/*")
      ? "unterminated comment"
      : t.text.startsWith('"')
        ? "unterminated string"
        : `unexpected character ${shown}`;
    out.push(error("FX001", what, pointSpan(file, t.line, t.col, t.offset)));
  }
  return out;
}

function isJsonString(literal: string): boolean {
  try {
    JSON.parse(literal);
    return true;
  } catch {
    return false;
  }
}

type ChunkResult = { ok: true; decls: Decl[] } | { ok: false; diagnostics: Diagnostic[] };

/** Parses the declaration(s) from token `first` up to token `next` (exclusive; the end of the file if none). */
function parseChunk(text: string, file: string, first: moo.Token, next: moo.Token | undefined): ChunkResult {
  const base = first.offset;
  const chunk = text.slice(base, next === undefined ? text.length : next.offset);
  const parser = new nearley.Parser(compiled);
  // Lines and columns continue from where the chunk starts; offsets are shifted back below.
  (parser as unknown as { lexerState: unknown }).lexerState = { line: first.line, col: first.col };
  try {
    parser.feed(chunk);
  } catch (e) {
    return { ok: false, diagnostics: [syntaxError(e, parser, file, base)] };
  }
  if (parser.results.length === 0) {
    if (next !== undefined) {
      // The declaration is not finished where the next one seems to start: that token cannot follow.
      const expected = expectedTokens(parser, 1);
      return {
        ok: false,
        diagnostics: [
          error("FX002", `unexpected ${describeToken(next)}${expectedList(expected)}`, tokenSpan(file, next, 0)),
        ],
      };
    }
    return {
      ok: false,
      diagnostics: [
        error("FX003", "unexpected end of file: a declaration or block is not finished", endSpan(text, file)),
      ],
    };
  }
  if (parser.results.length > 1) {
    return {
      ok: false,
      diagnostics: [
        error(
          "FX004",
          `internal error: the grammar is ambiguous here (${parser.results.length} parses)`,
          tokenSpan(file, first, 0),
        ),
      ],
    };
  }
  const program = parser.results[0] as Program;
  try {
    stamp(program, file, base);
  } catch (e) {
    if (e instanceof RangeError)
      return {
        ok: false,
        diagnostics: [error("FX006", "expression or block nested too deeply", tokenSpan(file, first, 0))],
      };
    throw e;
  }
  return { ok: true, decls: program.decls };
}

function syntaxError(e: unknown, parser: nearley.Parser, file: string, base: number): Diagnostic {
  const token = (e as { token?: moo.Token }).token;
  if (e instanceof RangeError || token === undefined) {
    return error("FX006", "expression or block nested too deeply", pointSpan(file, 1, 1, base));
  }
  return error(
    "FX002",
    `unexpected ${describeToken(token)}${expectedList(expectedTokens(parser, 2))}`,
    tokenSpan(file, token, base),
  );
}

function expectedList(expected: string[]): string {
  return expected.length > 0 ? `; expected ${expected.length === 1 ? "" : "one of "}${expected.join(", ")}` : "";
}

function describeToken(t: moo.Token): string {
  if (t.type === "ident") return `name '${t.text}'`;
  if (t.type === "number") return `number ${t.text}`;
  if (t.type === "string") return `string ${t.text}`;
  return `'${t.text}'`;
}

// The terminals that the parser could have accepted next, read off an Earley column as nearley's own report
// does: the last column (`back` 1) after a chunk that ended early, the one before it (`back` 2) after a
// token that was rejected.
function expectedTokens(parser: nearley.Parser, back: number): string[] {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table;
  const column = table[table.length - back];
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

// Where each top-level declaration starts (token indexes): a declaration keyword, or the `@` of a source
// reference before one, outside braces, at the start of the file or right after a `;` or `}`. (`on`,
// `handler` and `cpus` also occur inside declarations.)
function declarationStarts(tokens: moo.Token[]): number[] {
  const starts: number[] = [];
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.text === "{") depth++;
    else if (t.text === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0 && ((t.type?.startsWith("kw_") && DECL_STARTS.has(t.text)) || t.text === "@")) {
      const boundary = i === 0 || tokens[i - 1].text === ";" || tokens[i - 1].text === "}";
      if (boundary && (t.text !== "on" || tokens[i + 1]?.text === "exit")) starts.push(i);
    }
  });
  if (tokens.length > 0 && starts[0] !== 0) starts.unshift(0);
  return starts;
}

// Spans are built without a file name and with offsets relative to the chunk: fix both on every node.
function stamp(node: unknown, file: string, base: number): void {
  if (Array.isArray(node)) {
    for (const x of node) stamp(x, file, base);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "span") {
      const span = value as Span;
      if (span.file === "") {
        span.file = file;
        span.offset += base;
        span.endOffset += base;
      }
    } else if (typeof value === "object") stamp(value, file, base);
  }
}
