// The futexcheck AST: plain typed data. Every node carries the span of the source text it came from.

export interface Span {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  endLine: number;
  endCol: number; // column just past the last character
  offset: number; // 0-based character offsets into the file
  endOffset: number;
}

/** Comments kept for the formatter (attached by comments.ts): those on lines of their own before a node
 *  (`leading`), those after it on its last line (`trailing`), and those before a closing brace or the end of
 *  the file that no node follows (`closing`). Each is the comment's text, comment markers included. */
export interface Comments {
  leading?: string[];
  trailing?: string[];
  closing?: string[];
}

export interface Commented {
  comments?: Comments;
}

export interface Ident {
  name: string;
  span: Span;
}

// ---------- types ----------
export type TypeExpr =
  | { kind: "bool"; span: Span }
  | { kind: "word"; span: Span }
  | { kind: "tid"; span: Span }
  | { kind: "addr"; span: Span }
  | { kind: "int"; lo: Expr; hi: Expr; span: Span }
  | { kind: "named"; name: Ident; span: Span } // an enum
  | { kind: "tidset"; span: Span }
  | { kind: "tidqueue"; capacity: Expr; span: Span };

export interface VarDecl extends Commented {
  kind: "var";
  type: TypeExpr;
  name: Ident;
  size: Expr | null; // array length, null for a scalar
  init: Expr | Expr[] | null; // one value for every element, or one per element
  span: Span;
}

// ---------- expressions ----------
export type BinaryOp =
  | "=>"
  | "||"
  | "&&"
  | "|"
  | "^"
  | "&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "<<"
  | ">>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "in";
export type UnaryOp = "!" | "~" | "-" | "&" | "*";

export type Domain =
  | { kind: "range"; lo: Expr; hi: Expr; span: Span }
  | { kind: "threads"; span: Span }
  | { kind: "cpus"; span: Span };

export type Expr =
  | { kind: "num"; value: bigint; text: string; span: Span }
  | { kind: "bool"; value: boolean; span: Span }
  | { kind: "null"; span: Span }
  | { kind: "self"; span: Span }
  | { kind: "this_cpu"; span: Span }
  | { kind: "name"; name: string; span: Span }
  | { kind: "index"; base: Expr; index: Expr; span: Span }
  | { kind: "call"; callee: Ident; args: Expr[]; span: Span }
  | { kind: "unary"; op: UnaryOp; operand: Expr; span: Span }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: "quant"; quantifier: "forall" | "exists"; variable: Ident; domain: Domain; body: Expr; span: Span }
  | { kind: "paren"; inner: Expr; span: Span };

// ---------- source references ----------
/** `@glibc "nptl/pthread_mutex_unlock.c:164"`: the real code a step (or a body) models. The project is one
 *  that a `follows` declaration of the same file names; `version` is set when the reference names its own. */
export interface SourceRef {
  project: Ident;
  version: string | null;
  location: string; // path:line or path:line-line
  span: Span;
}

// ---------- statements ----------
export type Stmt = Commented &
  (
    | VarDecl
    | { kind: "sourced"; refs: SourceRef[]; body: Stmt; span: Span } // source references before a statement
    | { kind: "label"; label: Ident; body: Stmt; span: Span }
    | { kind: "assign"; target: Expr; value: Expr; span: Span }
    | { kind: "expr"; expr: Expr; span: Span } // a call used as a statement
    | { kind: "if"; cond: Expr; then: Block; else: Block | null; span: Span }
    | { kind: "while"; cond: Expr; body: Block; span: Span }
    | { kind: "for"; variable: Ident; lo: Expr; hi: Expr; body: Block; span: Span }
    | { kind: "either"; branches: Block[]; span: Span }
    | { kind: "choose"; variable: Ident; lo: Expr | null; hi: Expr | null; where: Expr | null; span: Span }
    | { kind: "atomic"; body: Block; span: Span }
    | { kind: "nopreempt"; body: Block; span: Span }
    | { kind: "await"; cond: Expr; interruptible: boolean; span: Span }
    | { kind: "assert"; cond: Expr; span: Span }
    | { kind: "return"; value: Expr | null; span: Span }
    | { kind: "skip"; span: Span }
    | { kind: "break"; span: Span }
    | { kind: "continue"; span: Span }
    | { kind: "goto"; label: Ident; span: Span }
  );

export interface Block extends Commented {
  kind: "block";
  stmts: Stmt[];
  span: Span;
}

// ---------- declarations ----------
export type MemorySpace = "shared" | "kernel" | "percpu" | "ghost";

export interface Param {
  name: Ident;
  type: TypeExpr;
  span: Span;
}

export type RoutineKind = "proc" | "kproc" | "syscall";

export type ThreadAttr =
  | { kind: "on_cpu"; cpu: Expr; span: Span }
  | { kind: "killable"; span: Span }
  | { kind: "handler"; name: Ident; span: Span }
  | { kind: "fair"; span: Span };

/** The declarations that hold code; `refs` are the source references written before one. */
export type CodeDecl =
  | {
      kind: "routine";
      routine: RoutineKind;
      name: Ident;
      params: Param[];
      returns: TypeExpr | null;
      body: Block;
      refs: SourceRef[];
      span: Span;
    }
  | { kind: "handler"; name: Ident; body: Block; refs: SourceRef[]; span: Span }
  | { kind: "on_exit"; body: Block; refs: SourceRef[]; span: Span }
  | {
      kind: "thread";
      name: Ident;
      index: { variable: Ident; lo: Expr; hi: Expr } | null;
      attrs: ThreadAttr[];
      body: Block;
      refs: SourceRef[];
      span: Span;
    }
  | { kind: "kthread"; name: Ident; perCpu: boolean; attrs: ThreadAttr[]; body: Block; refs: SourceRef[]; span: Span };

export type Decl = Commented &
  (
    | CodeDecl
    | { kind: "model"; name: Ident; span: Span }
    | { kind: "param"; name: Ident; type: Ident | null; value: Expr; span: Span } // type: an enum's name
    | { kind: "follows"; project: Ident; version: string; span: Span } // the version of a project the file follows
    | { kind: "const"; name: Ident; value: Expr; span: Span }
    | { kind: "cpus"; count: Expr; span: Span }
    | { kind: "import"; path: string; span: Span }
    | { kind: "enum"; name: Ident; members: Ident[]; labels: (string | null)[]; span: Span } // labels: one per member
    | { kind: "space"; space: MemorySpace; vars: VarDecl[]; span: Span }
    | { kind: "invariant"; name: Ident; expr: Expr; span: Span }
    | { kind: "reachable"; name: Ident; expr: Expr; span: Span }
    | { kind: "leads_to"; name: Ident; from: Expr; to: Expr; span: Span }
    | { kind: "always_eventually"; name: Ident; expr: Expr; span: Span }
    | { kind: "fairness"; span: Span }
    | { kind: "counter"; name: Ident; span: Span }
  );

export interface Program extends Commented {
  kind: "program";
  decls: Decl[];
  span: Span;
}
