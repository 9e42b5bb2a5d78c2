// The code lenses: "check this model" on the model's first line (or "cancel" while a check runs), and after a
// check each property's verdict at its declaration, the verdicts of the built-in checks on the first line.
import type { CodeLens } from "vscode-languageserver";
import type { Program } from "../grammar/ast.js";
import type { CheckOutcome, Verdict } from "./check-runner.js";
import { rangeOf } from "./positions.js";

export const COMMANDS = {
  check: "futexcheck.check",
  cancel: "futexcheck.cancelCheck",
  openTrace: "futexcheck.openTrace",
} as const;

export function verdictText(v: Verdict): string {
  const trace = v.steps === null ? "" : `, trace of ${v.steps} step${v.steps === 1 ? "" : "s"}`;
  return `${v.verdict}${trace}`;
}

export function codeLenses(uri: string, own: Program, running: boolean, last: CheckOutcome | null): CodeLens[] {
  const first = own.decls.find((d) => d.kind === "model") ?? own.decls[0];
  if (first === undefined) return [];
  const top = rangeOf(first.span);
  const lenses: CodeLens[] = [
    running
      ? { range: top, command: { title: "■ cancel the check", command: COMMANDS.cancel, arguments: [uri] } }
      : { range: top, command: { title: "▶ check this model", command: COMMANDS.check, arguments: [uri] } },
  ];
  if (last === null) return lenses;
  if (last.kind !== "done") {
    const title = last.kind === "cancelled" ? "check cancelled" : `check failed: ${last.message.split("\n")[0]}`;
    return [...lenses, { range: top, command: { title, command: "" } }];
  }
  const declared = new Map(own.decls.map((d) => [(d as { name?: { name: string } }).name?.name, d]));
  const states = `${last.states} states${last.complete ? "" : ", incomplete"}`;
  for (const v of last.verdicts) {
    const decl = declared.get(v.name);
    const range = decl === undefined ? top : rangeOf(decl.span);
    const title = `${decl === undefined ? `${v.name}: ` : ""}${verdictText(v)}`;
    const command =
      v.steps === null
        ? { title, command: "" }
        : { title: `${title} (open the trace)`, command: COMMANDS.openTrace, arguments: [last.html] };
    lenses.push({ range, command });
  }
  lenses.push({ range: top, command: { title: states, command: "" } });
  return lenses;
}
