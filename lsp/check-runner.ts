// "Check this model": the checker runs in a child process (the same `futexcheck check --json --html`), so that
// the server keeps answering while it explores and a check can be stopped by killing the child.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Verdict {
  name: string;
  kind: string;
  verdict: string;
  steps: number | null; // the length of the trace or witness, if there is one
  message: string | null;
}

export type CheckOutcome =
  | { kind: "done"; verdicts: Verdict[]; states: number; complete: boolean; html: string }
  | { kind: "failed"; message: string } // the model has errors, or the checker stopped abnormally
  | { kind: "cancelled" };

export interface RunningCheck {
  outcome: Promise<CheckOutcome>;
  cancel(): void;
}

export interface CheckSettings {
  kills: number;
  signals: number;
}

interface ReportJson {
  results: {
    name: string;
    kind: string;
    verdict: string;
    message: string | null;
    trace: { steps: unknown[] } | null;
  }[];
  stats: { states: number };
  complete: boolean;
}

/** Starts `futexcheck check` on the saved file, through the same entry point (and Node options) as this server. */
export function startCheck(file: string, settings: CheckSettings): RunningCheck {
  const html = join(mkdtempSync(join(tmpdir(), "futexcheck-lsp-")), "trace.html");
  const args = [...process.execArgv, process.argv[1], "check", file, "--json", "--quiet", "--html", html];
  args.push("--kills", String(settings.kills), "--signals", String(settings.signals));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let cancelled = false;
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const outcome = new Promise<CheckOutcome>((done) => {
    child.on("error", (e) => done({ kind: "failed", message: e.message }));
    child.on("close", (status) => {
      if (cancelled) return done({ kind: "cancelled" });
      // 0 all hold, 1 a violation, 3 incomplete: each has a report; 2 and 4 have only a message.
      if (status !== 0 && status !== 1 && status !== 3)
        return done({ kind: "failed", message: stderr.trim() || `futexcheck check exited with ${status}` });
      const report = JSON.parse(stdout) as ReportJson;
      done({
        kind: "done",
        verdicts: report.results.map((r) => ({
          name: r.name,
          kind: r.kind,
          verdict: r.verdict,
          steps: r.trace === null ? null : r.trace.steps.length,
          message: r.message,
        })),
        states: report.stats.states,
        complete: report.complete,
        html,
      });
    });
  });
  return {
    outcome,
    cancel() {
      cancelled = true;
      child.kill("SIGTERM");
    },
  };
}
