"use strict";
var __createBinding =
  (this && this.__createBinding) ||
  (Object.create
    ? function (o, m, k, k2) {
        if (k2 === undefined) k2 = k;
        var desc = Object.getOwnPropertyDescriptor(m, k);
        if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
          desc = {
            enumerable: true,
            get: function () {
              return m[k];
            },
          };
        }
        Object.defineProperty(o, k2, desc);
      }
    : function (o, m, k, k2) {
        if (k2 === undefined) k2 = k;
        o[k2] = m[k];
      });
var __setModuleDefault =
  (this && this.__setModuleDefault) ||
  (Object.create
    ? function (o, v) {
        Object.defineProperty(o, "default", { enumerable: true, value: v });
      }
    : function (o, v) {
        o["default"] = v;
      });
var __importStar =
  (this && this.__importStar) ||
  (function () {
    var ownKeys = function (o) {
      ownKeys =
        Object.getOwnPropertyNames ||
        function (o) {
          var ar = [];
          for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
          return ar;
        };
      return ownKeys(o);
    };
    return function (mod) {
      if (mod && mod.__esModule) return mod;
      var result = {};
      if (mod != null)
        for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
      __setModuleDefault(result, mod);
      return result;
    };
  })();
Object.defineProperty(exports, "__esModule", { value: true });
exports.activate = activate;
exports.deactivate = deactivate;
// The futexcheck extension: starts `futexcheck lsp` for .fxp files and lets vscode-languageclient carry the
// rest (diagnostics, hover, definition, references, outline, completion, formatting, code lenses and their
// commands, opening a trace page). Highlighting is the TextMate grammar in syntaxes/.
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const vscode = __importStar(require("vscode"));
const node_1 = require("vscode-languageclient/node");
let client;
/** The configured command, else the workspace's futexcheck (installed, or a checkout's build), else the PATH's. */
function serverExecutable() {
  const settings = vscode.workspace.getConfiguration("futexcheck");
  const configured = settings.get("path", "").trim();
  const candidates = configured !== "" ? [configured] : [];
  for (const folder of vscode.workspace.workspaceFolders ?? [])
    for (const rel of ["node_modules/.bin/futexcheck", "dist/cli/main.js"]) {
      const path = (0, node_path_1.join)(folder.uri.fsPath, rel);
      if ((0, node_fs_1.existsSync)(path)) candidates.push(path);
    }
  const command = candidates[0] ?? "futexcheck";
  // A script is run by node; the client adds --stdio itself.
  return command.endsWith(".js")
    ? { command: "node", args: [command, "lsp"], transport: node_1.TransportKind.stdio }
    : { command, args: ["lsp"], transport: node_1.TransportKind.stdio };
}
async function activate(context) {
  const settings = vscode.workspace.getConfiguration("futexcheck");
  const server = serverExecutable();
  const options = {
    documentSelector: [{ scheme: "file", language: "fxp" }],
    initializationOptions: { kills: settings.get("kills", 0), signals: settings.get("signals", 0) },
  };
  client = new node_1.LanguageClient("futexcheck", "futexcheck", { run: server, debug: server }, options);
  context.subscriptions.push(
    vscode.commands.registerCommand("futexcheck.checkActiveModel", async () => {
      const editor = vscode.window.activeTextEditor;
      if (client === undefined || editor === undefined || editor.document.languageId !== "fxp") return;
      await editor.document.save();
      const outcome = await client.sendRequest(node_1.ExecuteCommandRequest.type, {
        command: "futexcheck.check",
        arguments: [editor.document.uri.toString()],
      });
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
async function deactivate() {
  await client?.stop();
}
