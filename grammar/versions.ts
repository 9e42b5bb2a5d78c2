// Named-version params: an enum whose members carry display labels (`enum Kernel { V5_5 = "5.5", … }`), a
// param of that enum (`param KVER: Kernel = V5_5;`), set from the command line by label or member name and
// shown by its label. The checks that need only the enum's declaration live here; check.ts calls them.
import type { Decl, Span } from "./ast.js";
import { error, type Diagnostic } from "./diagnostics.js";

/** An enum as a param's type: its members in declaration order and the label of each (null: none). */
export interface EnumParam {
  enumName: string;
  members: string[];
  labels: (string | null)[];
}

/** What a value of an enum param is shown as: its label, or the member's name when it has none. */
export function enumText(e: EnumParam, value: number): string {
  return e.labels[value] ?? e.members[value];
}

/** The member a `--set` value names: a label first (labels may look like numbers: "2026"), then a name. */
export function enumValueOf(e: EnumParam, text: string): number | null {
  const byLabel = e.labels.indexOf(text);
  if (byLabel >= 0) return byLabel;
  const byName = e.members.indexOf(text);
  return byName >= 0 ? byName : null;
}

/** Every value of the enum as `--set` accepts it, for error messages. */
export function enumChoices(e: EnumParam): string {
  return e.members.map((m, i) => (e.labels[i] === null ? m : `${e.labels[i]} (${m})`)).join(", ");
}

/** Labels must name one member each and must not be read as a sweep (`..`) or a list (`,`) by `--set`. */
export function enumLabelErrors(d: Decl & { kind: "enum" }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  d.labels.forEach((label, i) => {
    if (label === null) return;
    const member = d.members[i];
    const bad = (message: string) => out.push(error("FX131", message, member.span));
    if (label === "" || label.includes("..") || label.includes(",") || /\s/.test(label))
      bad(`the label "${label}" of ${member.name} must be non-empty, without spaces, ',' or '..'`);
    else if (seen.has(label)) bad(`the label "${label}" is already the label of ${seen.get(label)}`);
    else if (d.members.some((m, j) => j !== i && m.name === label))
      bad(`the label "${label}" of ${member.name} is the name of another member`);
    seen.set(label, member.name);
  });
  return out;
}

/** A `--set` value for an enum param, resolved or reported at the param's declaration. */
export function enumOverride(
  e: EnumParam,
  param: string,
  value: number | string,
  span: Span,
): { value: number } | { diagnostic: Diagnostic } {
  const v = enumValueOf(e, String(value));
  if (v !== null) return { value: v };
  return {
    diagnostic: error("FX131", `--set ${param}=${value}: not a value of enum ${e.enumName} (${enumChoices(e)})`, span),
  };
}

/** The values a sweep `A..B` of an enum param covers, in declaration order; or what is wrong with it, reported
 *  at the param. */
export function enumRange(e: EnumParam, param: string, lo: string, hi: string, span: Span): number[] | Diagnostic {
  const a = enumValueOf(e, lo);
  const b = enumValueOf(e, hi);
  const sweep = `--set ${param}=${lo}..${hi}`;
  if (a === null || b === null)
    return error(
      "FX131",
      `${sweep}: '${a === null ? lo : hi}' is not a value of enum ${e.enumName} (${enumChoices(e)})`,
      span,
    );
  if (b < a)
    return error(
      "FX131",
      `${sweep}: ${hi} comes before ${lo} in enum ${e.enumName}; a sweep goes in declaration order`,
      span,
    );
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
