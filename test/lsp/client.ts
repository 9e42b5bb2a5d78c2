// A language client for the tests: starts `futexcheck lsp --stdio` from the sources (through tsx) and talks
// to it with vscode-jsonrpc, the protocol library VS Code's own client is built on.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface LspDiagnostic {
  range: Range;
  code: string;
  message: string;
  severity: number;
}
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** The command line that starts the server from the sources. */
export const SERVER_COMMAND = [process.execPath, "--import", "tsx", join(ROOT, "cli", "main.ts"), "lsp", "--stdio"];

export class TestClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly published = new Map<string, LspDiagnostic[][]>();
  private readonly waiting: { uri: string; done: (d: LspDiagnostic[]) => void }[] = [];
  readonly shown: unknown[] = []; // window/showDocument requests

  constructor() {
    const [command, ...args] = SERVER_COMMAND;
    this.child = spawn(command, args, { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification(
      "textDocument/publishDiagnostics",
      (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
        this.published.set(p.uri, [...(this.published.get(p.uri) ?? []), p.diagnostics]);
        const i = this.waiting.findIndex((w) => w.uri === p.uri);
        if (i >= 0) this.waiting.splice(i, 1)[0].done(p.diagnostics);
      },
    );
    this.connection.onRequest("window/showDocument", (p: unknown) => {
      this.shown.push(p);
      return { success: true };
    });
    this.connection.onNotification("window/showMessage", () => undefined);
    this.connection.listen();
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: { window: { showDocument: { support: true } } },
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  /** The next diagnostics published for `uri` (call before the change that causes them). */
  nextDiagnostics(uri: string): Promise<LspDiagnostic[]> {
    return new Promise((done) => this.waiting.push({ uri, done }));
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "fxp", version, text },
    });
  }

  replace(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((done) => this.child.on("exit", (code) => done(code)));
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

/** The position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, nth = 0, delta = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' occurs fewer than ${nth + 1} times`);
  }
  const before = text.slice(0, at + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}
