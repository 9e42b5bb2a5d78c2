// Conversions between the checker's spans (1-based lines and columns, 0-based offsets) and LSP positions
// (0-based lines and UTF-16 columns: the same units as a JavaScript string, so as the lexer's columns).
import { pathToFileURL, fileURLToPath } from "node:url";
import type { Range } from "vscode-languageserver";
import type { Span } from "../grammar/ast.js";

export function rangeOf(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.col - 1 },
    end: { line: span.endLine - 1, character: span.endCol - 1 },
  };
}

export function contains(span: Span, file: string, offset: number): boolean {
  return span.file === file && span.offset <= offset && offset <= span.endOffset;
}

/** The span of a name that starts where `span` starts (a declaration's name, for a `name: type` span). */
export function nameSpan(span: Span, name: string): Span {
  return { ...span, endLine: span.line, endCol: span.col + name.length, endOffset: span.offset + name.length };
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The path of a `file:` URI, or null for other schemes (an untitled buffer has no folder to import from). */
export function fileOf(uri: string): string | null {
  return uri.startsWith("file:") ? fileURLToPath(uri) : null;
}
