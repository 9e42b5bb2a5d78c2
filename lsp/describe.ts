// What hover shows: one Markdown text per kind of name, read from the checked model.
import type { Decl } from "../grammar/ast.js";
import type { Builtin } from "../grammar/builtins.js";
import { format } from "../grammar/fmt.js";
import type { CheckedModel, GlobalVar, LocalVar, Type } from "../grammar/model.js";

const fence = (code: string) => "```fxp\n" + code + "\n```";

/** A type and the values it holds. */
export function typeText(t: Type, model: CheckedModel): string {
  switch (t.kind) {
    case "bool":
      return "bool (false, true)";
    case "int":
      return `int ${t.lo}..${t.hi}`;
    case "word":
      return "word (0..0xffffffff, wrapping)";
    case "tid":
      return `tid (0, or a thread's TID 1..${model.threads.length})`;
    case "addr":
      return "addr (null, or the address of a user word)";
    case "enum":
      return `enum ${t.name} { ${t.members.join(", ")} }`;
    case "tidset":
      return `tidset (a set of the ${model.threads.length} threads' TIDs)`;
    case "tidqueue":
      return `tidqueue<${t.capacity}> (a FIFO of at most ${t.capacity} TIDs)`;
  }
}

function sized(name: string, size: number | null): string {
  return size === null ? name : `${name}[${size}]`;
}

function initText(values: number[] | null): string {
  if (values === null || values.length === 0) return "";
  const distinct = new Set(values);
  return distinct.size === 1 ? `, initially ${values[0]}` : `, initially {${values.join(", ")}}`;
}

export function describeGlobal(g: GlobalVar, model: CheckedModel): string {
  const per = g.space === "percpu" ? " (one per CPU)" : "";
  return `${g.space} variable \`${sized(g.name, g.size)}\`${per}: ${typeText(g.type, model)}${initText(g.init)}`;
}

export function describeLocal(v: LocalVar, model: CheckedModel): string {
  const role = v.body.params.includes(v) ? "parameter" : "local";
  return `${role} \`${sized(v.name, v.size)}\` of ${v.body.kind} ${v.body.name}: ${typeText(v.type, model)}${initText(v.init)}`;
}

export function describeBuiltin(name: string, b: Builtin): string {
  const where = b.sides === "property" ? "properties only" : b.sides.join(" and ") + " code";
  const effect = b.effect ? "; changes state (a statement, or `x = …`)" : "";
  return `${fence(`${name}(${b.names.join(", ")}): ${b.result}`)}\nbuiltin (${where}${effect}): ${b.doc}`;
}

const PROPERTY_KINDS: Record<string, string> = {
  invariant: "invariant: checked in every reachable state",
  reachable: "reachability: some reachable state satisfies it (a witness trace is shown)",
  leads_to: "liveness: whenever the left side holds, the right side holds later, under fairness",
  always_eventually: "liveness: from every state, a state satisfying it is reached, under fairness",
};

/** A declaration's first printed line (its header), and what it is. */
export function describeDecl(d: Decl, model: CheckedModel | null): string {
  const header = format({ kind: "program", decls: [{ ...d, comments: undefined }], span: d.span }).split("\n")[0];
  const code = fence(header.endsWith(" {") ? header.slice(0, -2) : header);
  switch (d.kind) {
    case "param":
      return `${code}\nparam = ${model?.params.get(d.name.name) ?? "?"} (override with --set ${d.name.name}=N)`;
    case "const": {
      const value = model?.constValues.get(d.value);
      return value === undefined ? code : `${code}\n= ${numberText(value)}`;
    }
    case "invariant":
    case "reachable":
    case "leads_to":
    case "always_eventually":
      return `${code}\n${PROPERTY_KINDS[d.kind]}`;
    default:
      return code;
  }
}

/** A number and, when it is large, its hexadecimal spelling (flags and masks). */
function numberText(value: number): string {
  return value > 9 ? `${value} (0x${value.toString(16)})` : String(value);
}

export function describeValue(name: string, value: number): string {
  return `\`${name}\` = ${numberText(value)}`;
}
