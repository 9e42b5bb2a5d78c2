// The open documents and their analyses. A change schedules a new analysis after a short pause (typing
// coalesces); a request for a document analyses it at once if its text changed since, so answers always
// match the text the client has.
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { CheckedModel } from "../grammar/model.js";
import { analyze, type Analysis } from "./analyze.js";
import { fileOf } from "./positions.js";
import type { SymbolIndex } from "./symbol-index.js";

interface Entry {
  version: number;
  analysis: Analysis;
}

export class Workspace {
  private readonly analyses = new Map<string, Entry>();
  private readonly lastGood = new Map<string, { model: CheckedModel; index: SymbolIndex }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly documents: { get(uri: string): TextDocument | undefined; all(): TextDocument[] },
    private readonly publish: (uri: string, analysis: Analysis) => void,
    private readonly debounceMs: number,
  ) {}

  changed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        const analysis = this.analysis(uri);
        if (analysis !== null) this.publish(uri, analysis);
      }, this.debounceMs),
    );
  }

  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.analyses.delete(uri);
    this.lastGood.delete(uri);
  }

  /** The analysis of the document's current text (null for a document that is not a file). */
  analysis(uri: string): Analysis | null {
    const doc = this.documents.get(uri);
    const file = fileOf(uri);
    if (doc === undefined || file === null) return null;
    const cached = this.analyses.get(uri);
    if (cached !== undefined && cached.version === doc.version) return cached.analysis;
    const analysis = analyze(file, this.overlay());
    this.analyses.set(uri, { version: doc.version, analysis });
    if (analysis.loaded.model !== null && analysis.index !== null)
      this.lastGood.set(uri, { model: analysis.loaded.model, index: analysis.index });
    return analysis;
  }

  /** The last analysis of the document that checked without errors (completion while the text is broken). */
  lastChecked(uri: string): { model: CheckedModel; index: SymbolIndex } | null {
    return this.lastGood.get(uri) ?? null;
  }

  /** The open documents' texts stand in for their files, so that an unsaved import is seen as it is. */
  private overlay(): Map<string, string> {
    const texts = new Map<string, string>();
    for (const doc of this.documents.all()) {
      const file = fileOf(doc.uri);
      if (file !== null) texts.set(file, doc.getText());
    }
    return texts;
  }
}
