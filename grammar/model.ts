// What the semantic checks hand to the compiler: the program with every name resolved, every constant
// evaluated, every expression typed, and the threads laid out. The compiler never resolves a name itself.
import type { Block, Decl, Expr, Ident, MemorySpace, Program, SourceRef, Span, Stmt, VarDecl } from "./ast.js";
import type { Follows } from "./sources.js";
import type { EnumParam } from "./versions.js";

export type Type =
  | { kind: "bool" }
  | { kind: "int"; lo: number; hi: number }
  | { kind: "word" }
  | { kind: "tid" }
  | { kind: "addr" }
  | { kind: "enum"; name: string; members: string[] }
  | { kind: "tidset" }
  | { kind: "tidqueue"; capacity: number };

/** The type of an expression's value. Numbers are one kind; `word` marks 32-bit wrapping arithmetic. */
export type ValueType =
  | { kind: "bool" }
  | { kind: "num"; word: boolean; tid: boolean }
  | { kind: "addr" }
  | { kind: "enum"; name: string }
  | { kind: "tidset" }
  | { kind: "tidqueue" }
  | { kind: "ref" } // `&x` of a kernel or ghost variable: only as the location argument of a builtin
  | { kind: "void" };

export type Side = "user" | "kernel";

export interface GlobalVar {
  name: string;
  space: MemorySpace;
  type: Type;
  size: number | null; // array length; percpu variables are arrays over CPUs
  init: number[]; // one value per element
  decl: VarDecl;
}

export interface LocalVar {
  name: string;
  type: Type;
  size: number | null;
  init: number[] | null; // null: no initializer (the variable starts at its type's first value)
  body: BodyInfo;
  span: Span;
}

/** A body of code with its own locals: a thread template, a routine, a handler, the exit path, a kthread. */
export interface BodyInfo {
  kind: "thread" | "kthread" | "proc" | "kproc" | "syscall" | "handler" | "on_exit";
  name: string;
  side: Side;
  block: Block;
  locals: LocalVar[]; // parameters first, then declared locals, then `for` variables
  params: LocalVar[];
  returns: Type | null;
}

export type Resolution =
  | { kind: "const"; value: number; type: ValueType }
  | { kind: "global"; v: GlobalVar }
  | { kind: "local"; v: LocalVar }
  | { kind: "bound"; name: string } // a quantifier variable
  | { kind: "thread_index"; template: TemplateInfo }; // `i` of `thread worker[i in …]`

export type Callee = { kind: "routine"; body: BodyInfo } | { kind: "builtin"; name: string };

export interface TemplateInfo {
  kind: "thread" | "kthread";
  name: string;
  body: BodyInfo;
  killable: boolean;
  fair: boolean;
  handler: BodyInfo | null;
  first: number; // index of its first thread
  count: number;
  indexLo: number; // value of the index variable for the first thread
  cpuOf: number[]; // the CPU of each of its threads
  decl: Decl;
}

export interface ThreadInstance {
  index: number; // 0-based; the thread's TID is index + 1
  template: TemplateInfo;
  local: number; // position within the template
  cpu: number;
  name: string; // e.g. worker[1]
}

export type Property =
  | { kind: "invariant"; name: string; expr: Expr; span: Span }
  | { kind: "reachable"; name: string; expr: Expr; span: Span }
  | { kind: "leads_to"; name: string; from: Expr; to: Expr; span: Span }
  | { kind: "always_eventually"; name: string; expr: Expr; span: Span };

export interface CheckedModel {
  name: string;
  program: Program;
  params: Map<string, number>;
  cpus: number;
  globals: GlobalVar[];
  bodies: BodyInfo[];
  routines: Map<string, BodyInfo>;
  onExit: BodyInfo | null;
  templates: TemplateInfo[];
  threads: ThreadInstance[];
  properties: Property[];
  counters: string[];
  fairAll: boolean;
  labels: Set<string>;
  // Side tables, keyed by node identity.
  resolutions: Map<Expr | Ident, Resolution>;
  callees: Map<Expr, Callee>;
  types: Map<Expr, ValueType>;
  constValues: Map<Expr, number>; // array sizes, type bounds, ranges, …
  bodyOf: Map<Block, BodyInfo>;
  stmtLocals: Map<Stmt, LocalVar>; // VarDecl and `for` statements → their local
  enumParams: Map<string, EnumParam>; // params of an enum type (named versions), by name
  follows: Follows[]; // what each file's real-code models follow (`follows glibc "2.41";`)
  bodyRefs: Map<Block, SourceRef[]>; // the source references written before a routine, handler or thread
}
