// Helpers the grammar's postprocessors use to build AST nodes with spans. The file name is filled in by
// parse.ts once the tree is built.
import type moo from "moo";
import type { Block, CodeDecl, Decl, Expr, Ident, Program, SourceRef, Span, Stmt } from "./ast.js";

type Spanned = { span: Span } | moo.Token;

function isToken(x: Spanned): x is moo.Token {
  return (x as moo.Token).offset !== undefined && (x as { span?: Span }).span === undefined;
}

/** The span of one token (tokens that reach the parser never contain line breaks). */
export function tok(t: moo.Token): Span {
  return {
    file: "",
    line: t.line,
    col: t.col,
    endLine: t.line,
    endCol: t.col + t.text.length,
    offset: t.offset,
    endOffset: t.offset + t.text.length,
  };
}

function spanOf(x: Spanned): Span {
  return isToken(x) ? tok(x) : x.span;
}

/** The span from the start of `first` to the end of `last`. */
export function join(first: Spanned, last: Spanned): Span {
  const a = spanOf(first);
  const b = spanOf(last);
  return { ...a, endLine: b.endLine, endCol: b.endCol, endOffset: b.endOffset };
}

/** A list as the grammar's list rules build it: each item linked to the list before it. */
export type Linked = { before: Linked; last: unknown } | null;

/** The postprocessor of `list -> list … item`: links the item (the rule's last symbol) to the list. */
export function link(d: unknown[]): Linked {
  return { before: d[0] as Linked, last: d[d.length - 1] };
}

/** The items of a linked list in order (one linear pass). */
export function items(list: Linked): never[] {
  const out: unknown[] = [];
  for (let l = list; l !== null; l = l.before) out.push(l.last);
  return out.reverse() as never[];
}

const EMPTY: Span = { file: "", line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };

export const mk = {
  program(decls: Decl[]): Program {
    const span = decls.length === 0 ? { ...EMPTY } : join(decls[0], decls[decls.length - 1]);
    return { kind: "program", decls, span };
  },
  importDecl(kw: moo.Token, path: moo.Token, semi: moo.Token): Decl {
    return { kind: "import", path: mk.str(path), span: join(kw, semi) };
  },
  /** The text of a string literal (the lexer and parse.ts admit only literals JSON can decode). */
  str(t: moo.Token): string {
    return JSON.parse(t.value) as string;
  },
  enumDecl(kw: moo.Token, name: Ident, members: { name: Ident; label: string | null }[], close: moo.Token): Decl {
    return {
      kind: "enum",
      name,
      members: members.map((m) => m.name),
      labels: members.map((m) => m.label),
      span: join(kw, close),
    };
  },
  /** A statement with the source references written before it (none: the statement itself). */
  sourcedStmt(refs: SourceRef[], body: Stmt): Stmt {
    return refs.length === 0 ? body : { kind: "sourced", refs, body, span: join(refs[0], body) };
  },
  /** A declaration with code, with the source references written before it. */
  sourced(refs: SourceRef[], decl: CodeDecl): Decl {
    return refs.length === 0 ? decl : { ...decl, refs, span: join(refs[0], decl) };
  },
  num(t: moo.Token): Expr {
    return { kind: "num", value: BigInt(t.value), text: t.value, span: tok(t) };
  },
  // d = [left, operator token or [operator token], right]
  binary(d: unknown[]): Expr {
    const left = d[0] as Expr;
    const opTok = (Array.isArray(d[1]) ? d[1][0] : d[1]) as moo.Token;
    const right = d[2] as Expr;
    return { kind: "binary", op: opTok.value as never, left, right, span: join(left, right) };
  },
  either(kw: moo.Token, branches: Block[]): Stmt {
    return { kind: "either", branches, span: join(kw, branches[branches.length - 1]) };
  },
  wrap(stmt: Stmt): Block {
    return { kind: "block", stmts: [stmt], span: stmt.span };
  },
};
