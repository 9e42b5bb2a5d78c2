// The document outline: the file's own declarations, memory spaces with their variables and threads with
// their labels as children. A declaration kind this does not know is listed under its name or keyword.
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { Decl, Ident, Program } from "../grammar/ast.js";
import { rangeOf } from "./positions.js";
import { walk } from "./symbol-index.js";

const KINDS: Record<string, SymbolKind> = {
  model: SymbolKind.Module,
  param: SymbolKind.Constant,
  const: SymbolKind.Constant,
  import: SymbolKind.File,
  enum: SymbolKind.Enum,
  space: SymbolKind.Namespace,
  routine: SymbolKind.Function,
  handler: SymbolKind.Function,
  on_exit: SymbolKind.Function,
  thread: SymbolKind.Class,
  kthread: SymbolKind.Class,
  invariant: SymbolKind.Boolean,
  reachable: SymbolKind.Boolean,
  leads_to: SymbolKind.Event,
  always_eventually: SymbolKind.Event,
  counter: SymbolKind.Field,
};

export function outline(program: Program): DocumentSymbol[] {
  return program.decls.map((d) => {
    const name = nameOf(d);
    const symbol: DocumentSymbol = {
      name,
      detail: detailOf(d),
      kind: KINDS[d.kind] ?? SymbolKind.Object,
      range: rangeOf(d.span),
      selectionRange: rangeOf(identOf(d)?.span ?? d.span),
    };
    const children = childrenOf(d);
    if (children.length > 0) symbol.children = children;
    return symbol;
  });
}

function identOf(d: Decl): Ident | null {
  const name = (d as { name?: Ident }).name;
  return typeof name === "object" && name !== null && typeof name.name === "string" ? name : null;
}

function nameOf(d: Decl): string {
  if (d.kind === "space") return d.space;
  if (d.kind === "import") return `import "${d.path}"`;
  if (d.kind === "on_exit") return "on exit";
  return identOf(d)?.name ?? d.kind;
}

function detailOf(d: Decl): string {
  if (d.kind === "routine") return d.routine;
  if (d.kind === "leads_to" || d.kind === "always_eventually") return "liveness";
  return d.kind === "space" ? "" : d.kind;
}

function childrenOf(d: Decl): DocumentSymbol[] {
  if (d.kind === "space") return d.vars.map((v) => leaf(v.name, SymbolKind.Variable, rangeOf(v.span)));
  if (d.kind === "enum") return d.members.map((m) => leaf(m, SymbolKind.EnumMember, rangeOf(m.span)));
  const labels: DocumentSymbol[] = [];
  walk(d, (node) => {
    if (node.kind === "label") {
      const label = node.label as Ident;
      labels.push(leaf(label, SymbolKind.Key, rangeOf((node as { span: Decl["span"] }).span)));
    }
  });
  return labels;
}

function leaf(id: Ident, kind: SymbolKind, range: DocumentSymbol["range"]): DocumentSymbol {
  return { name: id.name, kind, range, selectionRange: rangeOf(id.span) };
}
