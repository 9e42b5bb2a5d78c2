// The checker's diagnostics as LSP diagnostics. One in an imported file is shown at the `import` of the open
// file through which that file was reached, its message saying where it is.
import { relative, dirname } from "node:path";
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Span } from "../grammar/ast.js";
import type { Diagnostic } from "../grammar/diagnostics.js";
import { rangeOf } from "./positions.js";

const START: Span = { file: "", line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };

export function toLspDiagnostics(file: string, found: Diagnostic[], via: ReadonlyMap<string, Span>): LspDiagnostic[] {
  return found.map((d) => {
    const here = d.span.file === file;
    const at = here ? d.span : (via.get(d.span.file) ?? START);
    const where = here ? "" : `${relative(dirname(file), d.span.file)}:${d.span.line}:${d.span.col}: `;
    return {
      range: rangeOf(at),
      severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: "futexcheck",
      message: where + d.message,
    };
  });
}
