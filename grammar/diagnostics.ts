// Errors are data: a stable code, a message and a span. They are rendered once, here.
import type { Span } from "./ast.js";

export interface Diagnostic {
  code: string; // FX001 … (see docs/errors.md)
  message: string;
  span: Span;
  severity: "error" | "warning";
}

export function error(code: string, message: string, span: Span): Diagnostic {
  return { code, message, span, severity: "error" };
}

export function warning(code: string, message: string, span: Span): Diagnostic {
  return { code, message, span, severity: "warning" };
}

/** `file:line:col: error FX101: message`, the source line, and a caret under the span. */
export function render(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const { file, line, col } = d.span;
  const head = `${file}:${line}:${col}: ${d.severity} ${d.code}: ${d.message}`;
  const text = sources.get(file);
  if (text === undefined) return head;
  const lineText = sourceLine(text, line);
  if (lineText === undefined) return head;
  const shown = lineText.length > 200 ? lineText.slice(0, 200) + "…" : lineText;
  const caretStart = Math.min(col - 1, shown.length);
  const width = d.span.endLine === line ? Math.max(1, Math.min(d.span.endCol - col, shown.length - caretStart)) : 1;
  const pad = shown.slice(0, caretStart).replace(/[^\t]/g, " ");
  return `${head}\n  ${printable(shown)}\n  ${pad}${"^".repeat(width)}`;
}

function sourceLine(text: string, line: number): string | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    start = text.indexOf("\n", start);
    if (start < 0) return undefined;
    start++;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
}

// Control characters would garble a terminal; show them as U+FFFD so that the caret still lines up.
function printable(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "\ufffd");
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.span.file.localeCompare(b.span.file) || a.span.offset - b.span.offset || a.code.localeCompare(b.code);
}
