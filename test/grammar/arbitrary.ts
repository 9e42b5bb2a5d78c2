// fast-check arbitraries for futexcheck ASTs. They generate only trees the parser can produce: a `paren` node
// is inserted exactly where the grammar's precedence needs one (the formatter never adds parentheses of its own),
// identifiers are never keywords, and every node carries the same dummy span.
import fc from "fast-check";
import type {
  BinaryOp,
  Block,
  Commented,
  Comments,
  Decl,
  Domain,
  Expr,
  Ident,
  MemorySpace,
  Param,
  Program,
  RoutineKind,
  SourceRef,
  Span,
  Stmt,
  ThreadAttr,
  TypeExpr,
  UnaryOp,
  VarDecl,
} from "../../grammar/ast.js";

export const SPAN: Span = { file: "", line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };

/** A deep copy of `x` without any `span` key, for comparing trees whatever their source positions. */
export function stripSpans<T>(x: T): T {
  if (Array.isArray(x)) return x.map((v: unknown) => stripSpans(v)) as T;
  if (x === null || typeof x !== "object") return x;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(x)) if (key !== "span") out[key] = stripSpans(value);
  return out as T;
}

// ---------- precedence ----------

export const BINARY_OPS = "=> || && | ^ & == != < <= > >= in << >> + - * / %".split(" ") as readonly BinaryOp[];
export const UNARY_OPS: readonly UnaryOp[] = ["!", "~", "-", "&", "*"];

// Binding strength of each grammar level: quant 0 … primary 14.
export const LEVEL = { expr: 0, implies: 1, additive: 10, unary: 12, postfix: 13, primary: 14 } as const;
// prettier-ignore
const BINARY_LEVEL: Record<BinaryOp, number> = {
  "=>": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6, "==": 7, "!=": 7,
  "<": 8, "<=": 8, ">": 8, ">=": 8, in: 8, "<<": 9, ">>": 9, "+": 10, "-": 10, "*": 11, "/": 11, "%": 11,
};

/** The grammar level an expression is at when printed without added parentheses. */
export function level(e: Expr): number {
  switch (e.kind) {
    case "quant":
      return LEVEL.expr;
    case "binary":
      return BINARY_LEVEL[e.op];
    case "unary":
      return LEVEL.unary;
    case "index":
    case "call":
      return LEVEL.postfix;
    default:
      return LEVEL.primary;
  }
}

/** `e` itself if it can stand where the grammar wants level `min`, else `e` in parentheses. */
export function fit(e: Expr, min: number): Expr {
  return level(e) >= min ? e : { kind: "paren", inner: e, span: SPAN };
}

/** A binary node, its operands parenthesised as the grammar needs (`=>` is right-associative, the rest left). */
export function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  const l = BINARY_LEVEL[op];
  const [leftMin, rightMin] = op === "=>" ? [l + 1, l] : [l, l + 1];
  return { kind: "binary", op, left: fit(left, leftMin), right: fit(right, rightMin), span: SPAN };
}

// ---------- leaves ----------

// Short names, none of them a keyword.
export const IDENTS = ["a", "b", "x", "y", "s", "t", "q", "w", "lock", "head", "n0", "_t1", "Waiters"] as const;

export const arbName: fc.Arbitrary<string> = fc.constantFrom(...IDENTS);
export const arbIdent: fc.Arbitrary<Ident> = arbName.map((name) => ({ name, span: SPAN }));

/** A nonnegative number literal whose text (decimal, or hex in either case) spells its value. */
export const arbNum: fc.Arbitrary<Expr> = fc
  .tuple(
    fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: (1n << 70n) - 1n })),
    fc.constantFrom("dec", "dec0", "hex", "HEX"),
  )
  .map(([value, style]): Expr => {
    const text =
      style === "dec"
        ? value.toString()
        : style === "dec0"
          ? "0" + value.toString()
          : style === "hex"
            ? "0x" + value.toString(16)
            : "0X" + value.toString(16).toUpperCase();
    return { kind: "num", value, text, span: SPAN };
  });

const arbPrimaryLeaf: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: arbNum, weight: 3 },
  { arbitrary: arbName.map((name): Expr => ({ kind: "name", name, span: SPAN })), weight: 4 },
  fc.boolean().map((value): Expr => ({ kind: "bool", value, span: SPAN })),
  fc.constantFrom<Expr>({ kind: "null", span: SPAN }, { kind: "self", span: SPAN }, { kind: "this_cpu", span: SPAN }),
);

const arbCallee: fc.Arbitrary<Ident> = fc.oneof(
  { arbitrary: arbIdent, weight: 4 },
  fc.constantFrom("tid", "exit").map((name) => ({ name, span: SPAN })),
);

// ---------- expressions ----------

const exprs = fc.letrec<{ expr: Expr; call: Expr; domain: Domain }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 4, depthSize: "small", depthIdentifier: "expr" },
    { arbitrary: arbPrimaryLeaf, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...UNARY_OPS), tie("expr")).map(([op, e]) => unary(op, e)), weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...BINARY_OPS), tie("expr"), tie("expr"))
        .map(([op, l, r]) => binary(op, l, r)),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(tie("expr"), tie("expr"))
        .map(([b, i]): Expr => ({ kind: "index", base: fit(b, LEVEL.postfix), index: i, span: SPAN })),
      weight: 1,
    },
    { arbitrary: tie("call"), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant("quant" as const),
        quantifier: fc.constantFrom("forall" as const, "exists" as const),
        variable: arbIdent,
        domain: tie("domain"),
        body: tie("expr"),
        span: fc.constant(SPAN),
      }),
      weight: 1,
    },
    { arbitrary: tie("expr").map((inner): Expr => ({ kind: "paren", inner, span: SPAN })), weight: 1 },
  ),
  call: fc.record({
    kind: fc.constant("call" as const),
    callee: arbCallee,
    args: fc.array(tie("expr"), { maxLength: 3, depthIdentifier: "expr" }),
    span: fc.constant(SPAN),
  }),
  domain: fc.oneof(
    fc
      .tuple(tie("expr"), tie("expr"))
      .map(
        ([lo, hi]): Domain => ({ kind: "range", lo: fit(lo, LEVEL.additive), hi: fit(hi, LEVEL.additive), span: SPAN }),
      ),
    fc.constantFrom<Domain>({ kind: "threads", span: SPAN }, { kind: "cpus", span: SPAN }),
  ),
}));

function unary(op: UnaryOp, operand: Expr): Expr {
  return { kind: "unary", op, operand: fit(operand, LEVEL.unary), span: SPAN };
}

/** Any expression (it may stand wherever the grammar says `expr`). */
export const arbExpr: fc.Arbitrary<Expr> = exprs.expr;
/** A call expression (the only expression that can be a statement). */
export const arbCall: fc.Arbitrary<Expr> = exprs.call;
export const arbDomain: fc.Arbitrary<Domain> = exprs.domain;
/** An expression the grammar accepts where it wants `additive` (bounds and ranges). */
export const arbAdditive: fc.Arbitrary<Expr> = arbExpr.map((e) => fit(e, LEVEL.additive));
/** An expression the grammar accepts where it wants `primary` (the `tidqueue` capacity). */
export const arbPrimary: fc.Arbitrary<Expr> = arbExpr.map((e) => fit(e, LEVEL.primary));
/** An assignment target: a postfix expression or `*unary`. */
export const arbLvalue: fc.Arbitrary<Expr> = arbExpr.map((e) =>
  e.kind === "unary" && e.op === "*" ? e : fit(e, LEVEL.postfix),
);

// ---------- types and variables ----------

export const arbType: fc.Arbitrary<TypeExpr> = fc.oneof(
  fc.constantFrom<TypeExpr>(
    { kind: "bool", span: SPAN },
    { kind: "word", span: SPAN },
    { kind: "tid", span: SPAN },
    { kind: "addr", span: SPAN },
    { kind: "tidset", span: SPAN },
  ),
  fc.tuple(arbAdditive, arbAdditive).map(([lo, hi]): TypeExpr => ({ kind: "int", lo, hi, span: SPAN })),
  arbIdent.map((name): TypeExpr => ({ kind: "named", name, span: SPAN })),
  arbPrimary.map((capacity): TypeExpr => ({ kind: "tidqueue", capacity, span: SPAN })),
);

export const arbVarDecl: fc.Arbitrary<VarDecl> = fc.record({
  kind: fc.constant("var" as const),
  type: arbType,
  name: arbIdent,
  size: fc.option(arbExpr, { nil: null }),
  init: fc.oneof(fc.constant(null), arbExpr, fc.array(arbExpr, { minLength: 1, maxLength: 3 })) as fc.Arbitrary<
    Expr | Expr[] | null
  >,
  span: fc.constant(SPAN),
});

// ---------- comments ----------

// Line comments as the parser keeps them (no trailing blanks), block comments that may span lines.
const arbLineComment = fc
  .string({ unit: fc.constantFrom("a", " ", "*", "/", "\t", "\u00e9"), maxLength: 6 })
  .map((t) => `//${t}`.trimEnd());
const blockComment = (units: string[]) =>
  fc
    .string({ unit: fc.constantFrom(...units), maxLength: 6 })
    .filter((t) => !t.includes("*/"))
    .map((t) => `/*${t}*/`);
const arbComment: fc.Arbitrary<string> = fc.oneof(arbLineComment, blockComment(["a", " ", "*", "/", "\n", "\u00e9"]));
// After a node on its last line only one-line block comments can follow each other; the last may be any.
const arbTrailing = fc
  .tuple(fc.array(blockComment(["a", " ", "*", "/"]), { maxLength: 2 }), fc.option(arbComment, { nil: undefined }))
  .map(([inline, last]) => (last === undefined ? inline : [...inline, last]));

/** Mostly no comments; else some of the given kinds, each list nonempty (the form the parser builds). */
function arbComments(kinds: (keyof Comments)[]): fc.Arbitrary<Comments | undefined> {
  const lists = fc.tuple(
    ...kinds.map((kind) => (kind === "trailing" ? arbTrailing : fc.array(arbComment, { maxLength: 2 }))),
  );
  const some = lists.map((values) => {
    const out: Comments = {};
    kinds.forEach((kind, i) => {
      if (values[i].length > 0) out[kind] = values[i];
    });
    return Object.keys(out).length === 0 ? undefined : out;
  });
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: some, weight: 1 });
}

const arbAround = arbComments(["leading", "trailing"]);
const arbClosing = arbComments(["closing"]);

function withComments<T extends Commented>(node: T, comments: Comments | undefined): T {
  return comments === undefined ? node : { ...node, comments };
}

/** Nodes printed on lines of their own, each with its leading and trailing comments. */
function commentedList<T extends Commented>(
  item: fc.Arbitrary<T>,
  constraints: fc.ArrayConstraints & { depthIdentifier?: string },
): fc.Arbitrary<T[]> {
  return fc.array(fc.tuple(item, arbAround), constraints).map((xs) => xs.map(([x, c]) => withComments(x, c)));
}

// ---------- statements ----------

const simpleStmt: fc.Arbitrary<Stmt> = fc.oneof(
  { arbitrary: arbVarDecl, weight: 2 },
  {
    arbitrary: fc
      .tuple(arbLvalue, arbExpr)
      .map(([target, value]): Stmt => ({ kind: "assign", target, value, span: SPAN })),
    weight: 3,
  },
  { arbitrary: arbCall.map((expr): Stmt => ({ kind: "expr", expr, span: SPAN })), weight: 2 },
  fc
    .tuple(arbIdent, arbAdditive, arbAdditive, fc.option(arbExpr, { nil: null }))
    .map(([variable, lo, hi, where]): Stmt => ({ kind: "choose", variable, lo, hi, where, span: SPAN })),
  fc
    .tuple(arbIdent, arbExpr)
    .map(([variable, where]): Stmt => ({ kind: "choose", variable, lo: null, hi: null, where, span: SPAN })),
  fc
    .tuple(arbExpr, fc.boolean())
    .map(([cond, interruptible]): Stmt => ({ kind: "await", cond, interruptible, span: SPAN })),
  arbExpr.map((cond): Stmt => ({ kind: "assert", cond, span: SPAN })),
  fc.option(arbExpr, { nil: null }).map((value): Stmt => ({ kind: "return", value, span: SPAN })),
  fc.constantFrom<Stmt>({ kind: "skip", span: SPAN }, { kind: "break", span: SPAN }, { kind: "continue", span: SPAN }),
  arbIdent.map((label): Stmt => ({ kind: "goto", label, span: SPAN })),
);

/** Text for strings of the language (versions, source locations, labels): any characters, escapes included. */
const arbText: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom("a", "z", "/", ".", "-", "_", " ", '"', "\\", "\n", "\t", "\u00e9", "\u2028", "\u{1f600}"),
  maxLength: 8,
});

export const arbSourceRef: fc.Arbitrary<SourceRef> = fc.record({
  project: arbIdent,
  version: fc.option(arbText, { nil: null }),
  location: arbText,
  span: fc.constant(SPAN),
});
const arbRefs = fc.array(arbSourceRef, { maxLength: 2 });

function block(stmts: Stmt[], comments?: Comments): Block {
  return withComments({ kind: "block", stmts, span: SPAN }, comments);
}

const stmts = fc.letrec<{ stmt: Stmt; block: Block; ifStmt: Stmt }>((tie) => ({
  stmt: fc.oneof(
    { maxDepth: 3, depthSize: "small", depthIdentifier: "stmt" },
    { arbitrary: simpleStmt, weight: 6 },
    {
      arbitrary: fc
        .tuple(arbIdent, tie("stmt"))
        .map(([label, body]): Stmt => ({ kind: "label", label, body, span: SPAN })),
      weight: 1,
    },
    { arbitrary: tie("ifStmt"), weight: 2 },
    {
      // A statement's source references; the grammar gives them to the statement that follows, never nested.
      arbitrary: fc
        .tuple(fc.array(arbSourceRef, { minLength: 1, maxLength: 2 }), tie("stmt"))
        .filter(([, body]) => body.kind !== "sourced")
        .map(([refs, body]): Stmt => ({ kind: "sourced", refs, body, span: SPAN })),
      weight: 1,
    },
    fc.tuple(arbExpr, tie("block")).map(([cond, body]): Stmt => ({ kind: "while", cond, body, span: SPAN })),
    fc
      .tuple(arbIdent, arbAdditive, arbAdditive, tie("block"))
      .map(([variable, lo, hi, body]): Stmt => ({ kind: "for", variable, lo, hi, body, span: SPAN })),
    fc
      .array(tie("block"), { minLength: 2, maxLength: 3, depthIdentifier: "stmt" })
      .map((branches): Stmt => ({ kind: "either", branches, span: SPAN })),
    tie("block").map((body): Stmt => ({ kind: "atomic", body, span: SPAN })),
    tie("block").map((body): Stmt => ({ kind: "nopreempt", body, span: SPAN })),
  ),
  // A block of one `if` prints as `else if` after an `else` (the spans are all the same): no comments there.
  block: fc
    .tuple(commentedList(tie("stmt"), { maxLength: 3, depthIdentifier: "stmt" }), arbClosing)
    .map(([list, closing]) =>
      list.length === 1 && list[0].kind === "if" ? block([{ ...list[0], comments: undefined }]) : block(list, closing),
    ),
  // `else if` is an else block holding just the inner `if` (with the same span, as the parser builds it).
  ifStmt: fc
    .tuple(
      arbExpr,
      tie("block"),
      fc.oneof(
        { maxDepth: 3, depthIdentifier: "stmt" },
        fc.constant(null),
        tie("block"),
        tie("ifStmt").map((s) => block([s])),
      ),
    )
    .map(([cond, then, otherwise]): Stmt => ({ kind: "if", cond, then, else: otherwise, span: SPAN })),
}));

export const arbStmt: fc.Arbitrary<Stmt> = stmts.stmt;
export const arbBlock: fc.Arbitrary<Block> = stmts.block;

// ---------- declarations ----------

const arbThreadAttr: fc.Arbitrary<ThreadAttr> = fc.oneof(
  arbAdditive.map((cpu): ThreadAttr => ({ kind: "on_cpu", cpu, span: SPAN })),
  fc.constantFrom<ThreadAttr>({ kind: "killable", span: SPAN }, { kind: "fair", span: SPAN }),
  arbIdent.map((name): ThreadAttr => ({ kind: "handler", name, span: SPAN })),
);
const arbAttrs = fc.array(arbThreadAttr, { maxLength: 3 });

const arbParam: fc.Arbitrary<Param> = fc.record({ name: arbIdent, type: arbType, span: fc.constant(SPAN) });

export const arbDecl: fc.Arbitrary<Decl> = fc.oneof(
  arbIdent.map((name): Decl => ({ kind: "model", name, span: SPAN })),
  fc
    .tuple(arbIdent, fc.option(arbIdent, { nil: null }), arbExpr)
    .map(([name, type, value]): Decl => ({ kind: "param", name, type, value, span: SPAN })),
  fc.tuple(arbIdent, arbText).map(([project, version]): Decl => ({ kind: "follows", project, version, span: SPAN })),
  fc.tuple(arbIdent, arbExpr).map(([name, value]): Decl => ({ kind: "const", name, value, span: SPAN })),
  arbExpr.map((count): Decl => ({ kind: "cpus", count, span: SPAN })),
  arbText.map((path): Decl => ({ kind: "import", path, span: SPAN })),
  fc
    .tuple(arbIdent, fc.array(fc.tuple(arbIdent, fc.option(arbText, { nil: null })), { minLength: 1, maxLength: 4 }))
    .map(
      ([name, members]): Decl => ({
        kind: "enum",
        name,
        members: members.map(([m]) => m),
        labels: members.map(([, label]) => label),
        span: SPAN,
      }),
    ),
  fc
    .tuple(
      fc.constantFrom<MemorySpace>("shared", "kernel", "percpu", "ghost"),
      commentedList(arbVarDecl, { maxLength: 3 }),
      arbClosing,
    )
    .map(([space, vars, closing]): Decl => withComments({ kind: "space", space, vars, span: SPAN }, closing)),
  fc
    .tuple(
      fc.constantFrom<RoutineKind>("proc", "kproc", "syscall"),
      arbIdent,
      fc.array(arbParam, { maxLength: 3 }),
      fc.option(arbType, { nil: null }),
      arbBlock,
      arbRefs,
    )
    .map(
      ([routine, name, params, returns, body, refs]): Decl => ({
        kind: "routine",
        routine,
        name,
        params,
        returns,
        body,
        refs,
        span: SPAN,
      }),
    ),
  fc
    .tuple(arbIdent, arbBlock, arbRefs)
    .map(([name, body, refs]): Decl => ({ kind: "handler", name, body, refs, span: SPAN })),
  fc.tuple(arbBlock, arbRefs).map(([body, refs]): Decl => ({ kind: "on_exit", body, refs, span: SPAN })),
  fc
    .tuple(
      arbIdent,
      fc.option(fc.record({ variable: arbIdent, lo: arbAdditive, hi: arbAdditive }), { nil: null }),
      arbAttrs,
      arbBlock,
      arbRefs,
    )
    .map(([name, index, attrs, body, refs]): Decl => ({ kind: "thread", name, index, attrs, body, refs, span: SPAN })),
  // Without `per cpu`, the placement `on cpu E` is the kthread's first attribute.
  fc.tuple(arbIdent, fc.boolean(), arbAdditive, arbAttrs, arbBlock, arbRefs).map(
    ([name, perCpu, cpu, rest, body, refs]): Decl => ({
      kind: "kthread",
      name,
      perCpu,
      attrs: perCpu ? rest : [{ kind: "on_cpu", cpu, span: SPAN }, ...rest],
      body,
      refs,
      span: SPAN,
    }),
  ),
  fc.tuple(arbIdent, arbExpr).map(([name, expr]): Decl => ({ kind: "invariant", name, expr, span: SPAN })),
  fc.tuple(arbIdent, arbExpr).map(([name, expr]): Decl => ({ kind: "reachable", name, expr, span: SPAN })),
  fc
    .tuple(arbIdent, arbExpr, arbExpr)
    .map(([name, from, to]): Decl => ({ kind: "leads_to", name, from, to, span: SPAN })),
  fc.tuple(arbIdent, arbExpr).map(([name, expr]): Decl => ({ kind: "always_eventually", name, expr, span: SPAN })),
  fc.constant<Decl>({ kind: "fairness", span: SPAN }),
  arbIdent.map((name): Decl => ({ kind: "counter", name, span: SPAN })),
);

export const arbProgram: fc.Arbitrary<Program> = fc
  .tuple(commentedList(arbDecl, { maxLength: 6 }), arbClosing)
  .map(([decls, closing]): Program => withComments({ kind: "program", decls, span: SPAN }, closing));
