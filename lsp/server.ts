// `futexcheck lsp`: the language server over stdio. Each request is answered from the document's analysis
// (analyze.ts) by a module with one job: outline, completion, the symbol index (hover, definition,
// references), formatting, and the checks run in a child process (check-runner.ts).
import {
  createConnection,
  CodeLensRefreshRequest,
  ResponseError,
  ErrorCodes,
  TextDocuments,
  TextDocumentSyncKind,
  type Location,
} from "vscode-languageserver/node";
import { readFileSync } from "node:fs";
import { TextDocument } from "vscode-languageserver-textdocument";
import { format } from "../grammar/fmt.js";
import { parse } from "../grammar/parse.js";
import { startCheck, type CheckOutcome, type CheckSettings, type RunningCheck } from "./check-runner.js";
import { codeLenses, COMMANDS } from "./code-lens.js";
import { completions } from "./completion.js";
import { outline } from "./outline.js";
import { fileOf, rangeOf, uriOf } from "./positions.js";
import { Workspace } from "./workspace.js";

interface InitOptions {
  debounceMs?: number;
  kills?: number;
  signals?: number;
}

export function startServer(): void {
  const connection = createConnection(process.stdin, process.stdout);
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | null = null;
  let settings: CheckSettings = { kills: 0, signals: 0 };
  let lensRefresh = false;
  const running = new Map<string, RunningCheck>();
  const outcomes = new Map<string, CheckOutcome>();
  const ws = (): Workspace => workspace!;

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as InitOptions;
    settings = { kills: options.kills ?? 0, signals: options.signals ?? 0 };
    lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    workspace = new Workspace(
      documents,
      (uri, analysis) => void connection.sendDiagnostics({ uri, diagnostics: analysis.diagnostics }),
      options.debounceMs ?? 30,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        completionProvider: {},
        documentFormattingProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: Object.values(COMMANDS) },
      },
      serverInfo: { name: "futexcheck" },
    };
  });

  documents.onDidChangeContent((e) => ws().changed(e.document.uri));
  documents.onDidClose((e) => {
    ws().closed(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The name under the cursor, with the analysis it comes from. */
  const occurrenceAt = (uri: string, position: { line: number; character: number }) => {
    const analysis = ws().analysis(uri);
    const doc = documents.get(uri);
    if (analysis === null || analysis.index === null || doc === undefined) return null;
    return analysis.index.at(analysis.file, doc.offsetAt(position)) ?? null;
  };

  connection.onHover((p) => {
    const o = occurrenceAt(p.textDocument.uri, p.position);
    return o === null ? null : { contents: { kind: "markdown", value: o.target.hover() }, range: rangeOf(o.span) };
  });

  connection.onDefinition((p): Location | null => {
    const span = occurrenceAt(p.textDocument.uri, p.position)?.target.span;
    return span ? { uri: uriOf(span.file), range: rangeOf(span) } : null;
  });

  connection.onReferences((p): Location[] => {
    const o = occurrenceAt(p.textDocument.uri, p.position);
    const index = ws().analysis(p.textDocument.uri)?.index;
    if (o === null || !index) return [];
    return index
      .references(o.target)
      .filter((r) => p.context.includeDeclaration || !r.declaration)
      .map((r) => ({ uri: uriOf(r.span.file), range: rangeOf(r.span) }));
  });

  connection.onDocumentSymbol((p) => {
    const own = ws().analysis(p.textDocument.uri)?.own;
    return own ? outline(own) : [];
  });

  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    const file = fileOf(p.textDocument.uri);
    if (doc === undefined || file === null) return [];
    ws().analysis(p.textDocument.uri);
    return completions(ws().lastChecked(p.textDocument.uri), file, doc.offsetAt(p.position));
  });

  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (doc === undefined) return null;
    const parsed = parse(doc.getText(), fileOf(doc.uri) ?? doc.uri);
    if (!parsed.ok) throw new ResponseError(ErrorCodes.InvalidRequest, "fmt: the file has errors; fix them first");
    const end = doc.positionAt(doc.getText().length);
    return [{ range: { start: { line: 0, character: 0 }, end }, newText: format(parsed.program) }];
  });

  connection.onCodeLens((p) => {
    const own = ws().analysis(p.textDocument.uri)?.own;
    const uri = p.textDocument.uri;
    return own ? codeLenses(uri, own, running.has(uri), outcomes.get(uri) ?? null) : [];
  });

  const refreshLenses = () => {
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  };

  connection.onExecuteCommand(async (p, token) => {
    const [arg] = (p.arguments ?? []) as string[];
    if (p.command === COMMANDS.openTrace) {
      await connection.window.showDocument({ uri: uriOf(arg), external: true });
      return null;
    }
    if (p.command === COMMANDS.cancel) {
      running.get(arg)?.cancel();
      return null;
    }
    if (p.command !== COMMANDS.check) return null;
    const file = fileOf(arg);
    if (file === null) throw new ResponseError(ErrorCodes.InvalidParams, `not a file: ${arg}`);
    running.get(arg)?.cancel();
    const doc = documents.get(arg);
    if (doc !== undefined && ws().analysis(arg)?.loaded.sources.get(file) !== undefined && isDirty(doc, file))
      connection.window.showWarningMessage("futexcheck checks the saved file: save to check your changes");
    const check = startCheck(file, settings);
    running.set(arg, check);
    token.onCancellationRequested(() => check.cancel());
    refreshLenses();
    const outcome = await check.outcome;
    if (running.get(arg) === check) running.delete(arg);
    outcomes.set(arg, outcome);
    refreshLenses();
    return outcome;
  });

  documents.listen(connection);
  connection.listen();
}

/** Whether the editor's text differs from the file on disk (the check reads the file). */
function isDirty(doc: TextDocument, file: string): boolean {
  try {
    return readFileSync(file, "utf8") !== doc.getText();
  } catch {
    return true;
  }
}
