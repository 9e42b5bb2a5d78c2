// One analysis of an open document: the same loading and checking as `futexcheck parse` (the editor's text
// stands in for the file on disk), its diagnostics, and the index of its names.
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Program } from "../grammar/ast.js";
import { loadModel, resolveImport, type Loaded, type Overlay } from "../grammar/load.js";
import { toLspDiagnostics } from "./diagnostics.js";
import { buildIndex, type SymbolIndex } from "./symbol-index.js";

export interface Analysis {
  file: string;
  loaded: Loaded;
  /** The file's own declarations, imports included (null when it does not parse). */
  own: Program | null;
  index: SymbolIndex | null; // null unless the model checked without errors
  diagnostics: LspDiagnostic[];
}

export function analyze(file: string, overlay: Overlay): Analysis {
  const loaded = loadModel(file, {}, overlay);
  const own = loaded.own;
  const index = loaded.model === null ? null : buildIndex(loaded.model);
  if (index !== null && own !== null) addImports(index, own, file);
  return { file, loaded, own, index, diagnostics: toLspDiagnostics(file, loaded.diagnostics, loaded.via) };
}

/** Each `import` of the file leads to the start of the file it names (the merged program has no imports). */
function addImports(index: SymbolIndex, own: Program, file: string): void {
  for (const d of own.decls) {
    if (d.kind !== "import") continue;
    const target = resolveImport(d.path, file);
    if (target === null) continue;
    const start = { file: target, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
    index.occurrences.push({
      span: d.span,
      target: { name: d.path, kind: "import", span: start, hover: () => `import of \`${target}\`` },
      declaration: false,
    });
  }
}
