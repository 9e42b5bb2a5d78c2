// Attaches the comments of a source file to the parsed program, so that the formatter can print them back.
// The places a comment can be kept ("slots") are the nodes the formatter prints on lines of their own —
// declarations, the variables of a memory space, the statements of a block — and each closing brace of a
// block or space (for comments after its last node). The walk finds blocks generically, so a new construct
// whose body is a `Block` keeps its comments without a change here.
//
// A comment goes, in this order of preference:
//  - after the node that ends last before it on the same line (`trailing`);
//  - before the first slot that starts after it (`leading`, or `closing` at a brace), unless that slot lies
//    outside the innermost node the comment is inside (a comment within an expression): then before that node;
//  - after the last declaration (the program's `closing`).
// A comment is moved at most to the start of its statement or declaration; none is dropped.
import type moo from "moo";
import type { Block, Commented, Comments, Program } from "./ast.js";

interface Slot {
  owner: Commented;
  place: "node" | "closing";
  offset: number;
  endOffset: number;
  endLine: number;
}

export function attachComments(program: Program, tokens: readonly moo.Token[]): void {
  const comments = tokens.filter((t) => t.type === "comment");
  if (comments.length === 0) return;
  const slots: Slot[] = [];
  for (const decl of program.decls) addNode(decl, slots);
  for (const c of comments) {
    const text = c.text.startsWith("//") ? c.text.trimEnd() : c.text;
    const [owner, where] = placeOf(c, slots) ?? [program, "closing"];
    const kept: Comments = (owner.comments ??= {});
    (kept[where] ??= []).push(text);
  }
}

type Spanned = Commented & { span: { offset: number; endOffset: number; endLine: number } };

function addNode(node: Spanned, slots: Slot[]): void {
  const { offset, endOffset, endLine } = node.span;
  slots.push({ owner: node, place: "node", offset, endOffset, endLine });
  addChildren(node, slots);
  // A memory space's variables are printed one a line, like statements.
  const vars = (node as { kind?: string; vars?: Spanned[] }).vars;
  if ((node as { kind?: string }).kind === "space" && vars !== undefined) {
    for (const v of vars) addNode(v, slots);
    slots.push({ owner: node, place: "closing", offset: endOffset - 1, endOffset, endLine });
  }
}

/** Every block found inside `node`'s fields, in field order (which is source order). */
function addChildren(node: object, slots: Slot[]): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || key === "comments" || value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const x of value) if (x !== null && typeof x === "object") visit(x as object, slots);
    } else visit(value as object, slots);
  }
}

function visit(value: object, slots: Slot[]): void {
  if ((value as { kind?: string }).kind !== "block") return addChildren(value, slots);
  const block = value as Block;
  const chained = elseIfOf(block);
  // `else if`: the wrapping block and its `if` print as part of the outer `if`, so only what is inside counts.
  if (chained !== null) return addChildren(chained, slots);
  for (const s of block.stmts) addNode(s, slots);
  const { endOffset, endLine } = block.span;
  slots.push({ owner: block, place: "closing", offset: endOffset - 1, endOffset, endLine });
}

function placeOf(c: moo.Token, slots: Slot[]): [Commented, keyof Comments] | null {
  let trailing: Slot | undefined;
  for (const s of slots)
    if (s.place === "node" && s.endOffset <= c.offset && s.endLine === c.line)
      if (trailing === undefined || s.endOffset > trailing.endOffset) trailing = s;
  if (trailing !== undefined) return [trailing.owner, "trailing"];
  const next = slots.find((s) => s.offset >= c.offset);
  let container: Slot | undefined;
  for (const s of slots) if (s.place === "node" && s.offset < c.offset && c.offset < s.endOffset) container = s;
  if (container !== undefined && (next === undefined || next.offset >= container.endOffset))
    return [container.owner, "leading"];
  if (next === undefined) return null;
  return [next.owner, next.place === "node" ? "leading" : "closing"];
}

/** The `if` of an `else if`: the parser builds it as an else block holding only that `if`, with its span. */
export function elseIfOf(b: Block): (Block["stmts"][number] & { kind: "if" }) | null {
  if (b.stmts.length !== 1) return null;
  const only = b.stmts[0];
  const same = only.span.offset === b.span.offset && only.span.endOffset === b.span.endOffset;
  return only.kind === "if" && same ? only : null;
}
