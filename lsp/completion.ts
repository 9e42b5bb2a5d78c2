// Completion: the language's keywords (the lexer's list), the builtins (with their signatures) and the names
// in scope at the cursor: the model's top-level names and the locals of the body the cursor is in.
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import { BUILTINS } from "../grammar/builtins.js";
import { KEYWORDS } from "../grammar/lexer.js";
import type { CheckedModel } from "../grammar/model.js";
import type { SymbolIndex } from "./symbol-index.js";

const KINDS: Record<string, CompletionItemKind> = {
  global: CompletionItemKind.Variable,
  local: CompletionItemKind.Variable,
  param: CompletionItemKind.Constant,
  const: CompletionItemKind.Constant,
  "enum member": CompletionItemKind.EnumMember,
  enum: CompletionItemKind.Enum,
  proc: CompletionItemKind.Function,
  kproc: CompletionItemKind.Function,
  syscall: CompletionItemKind.Function,
  label: CompletionItemKind.Reference,
  counter: CompletionItemKind.Field,
};

// Names that are in scope only within their own body or expression.
const SCOPED = new Set(["local", "thread index", "bound"]);

export function completions(
  known: { model: CheckedModel; index: SymbolIndex } | null,
  file: string,
  offset: number,
): CompletionItem[] {
  const items = new Map<string, CompletionItem>();
  for (const k of KEYWORDS) items.set(k, { label: k, kind: CompletionItemKind.Keyword });
  for (const [name, b] of BUILTINS)
    items.set(name, {
      label: name,
      kind: CompletionItemKind.Function,
      detail: `${name}(${b.names.join(", ")}): ${b.result}`,
      documentation: b.doc,
    });
  if (known === null) return [...items.values()];
  const body = known.model.bodies.find(
    (b) => b.block.span.file === file && b.block.span.offset <= offset && offset <= b.block.span.endOffset,
  );
  for (const v of body?.locals ?? [])
    items.set(v.name, { label: v.name, kind: CompletionItemKind.Variable, detail: "local" });
  const template = known.model.templates.find((t) => t.body === body);
  if (template?.decl.kind === "thread" && template.decl.index !== null) {
    const name = template.decl.index.variable.name;
    items.set(name, { label: name, kind: CompletionItemKind.Variable, detail: "thread index" });
  }
  for (const o of known.index.occurrences) {
    const kind = o.target.kind;
    if (!o.declaration || items.has(o.target.name) || SCOPED.has(kind)) continue;
    items.set(o.target.name, { label: o.target.name, kind: KINDS[kind] ?? CompletionItemKind.Text, detail: kind });
  }
  return [...items.values()];
}
