// One analysis of an open document: the same loading and checking as `futexcheck parse` (the editor's text
// stands in for the file on disk), its diagnostics, and the index of its names.
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Program } from "../grammar/ast.js";
import { loadModel, type Loaded, type Overlay } from "../grammar/load.js";
import { parse } from "../grammar/parse.js";
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
  const text = loaded.sources.get(file);
  const parsed = text === undefined ? null : parse(text, file);
  return {
    file,
    loaded,
    own: parsed?.ok ? parsed.program : null,
    index: loaded.model === null ? null : buildIndex(loaded.model),
    diagnostics: toLspDiagnostics(file, loaded.diagnostics, loaded.via),
  };
}
