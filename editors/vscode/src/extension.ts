// The futexcheck extension: starts `futexcheck lsp` for .fxp files and lets vscode-languageclient carry the
// rest (diagnostics, hover, definition, references, outline, completion, formatting, code lenses and their
// commands, opening a trace page). Highlighting is the TextMate grammar in syntaxes/.
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type Executable,
  type LanguageClientOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The configured command, else the workspace's futexcheck (installed, or a checkout's build), else the PATH's. */
function serverExecutable(): Executable {
  const settings = vscode.workspace.getConfiguration("futexcheck");
  const configured = settings.get<string>("path", "").trim();
  const candidates = configured !== "" ? [configured] : [];
  for (const folder of vscode.workspace.workspaceFolders ?? [])
    for (const rel of ["node_modules/.bin/futexcheck", "dist/cli/main.js"]) {
      const path = join(folder.uri.fsPath, rel);
      if (existsSync(path)) candidates.push(path);
    }
  const command = candidates[0] ?? "futexcheck";
  // A script is run by node; the client adds --stdio itself.
  return command.endsWith(".js")
    ? { command: "node", args: [command, "lsp"], transport: TransportKind.stdio }
    : { command, args: ["lsp"], transport: TransportKind.stdio };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const settings = vscode.workspace.getConfiguration("futexcheck");
  const server = serverExecutable();
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "fxp" }],
    initializationOptions: { kills: settings.get<number>("kills", 0), signals: settings.get<number>("signals", 0) },
  };
  client = new LanguageClient("futexcheck", "futexcheck", { run: server, debug: server }, options);
  context.subscriptions.push(
    vscode.commands.registerCommand("futexcheck.checkActiveModel", async () => {
      const editor = vscode.window.activeTextEditor;
      if (client === undefined || editor === undefined || editor.document.languageId !== "fxp") return;
      await editor.document.save();
      const outcome = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: "futexcheck.check",
        arguments: [editor.document.uri.toString()],
      })) as { kind: string; message?: string; verdicts?: { name: string; verdict: string }[] };
      const summary =
        outcome.kind === "done"
          ? (outcome.verdicts ?? []).map((v) => `${v.name}: ${v.verdict}`).join(", ")
          : outcome.kind === "failed"
            ? `check failed: ${outcome.message ?? ""}`
            : "check cancelled";
      void vscode.window.showInformationMessage(summary);
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
