// The grammar, construct by construct: the AST each one builds (spans aside), and that it builds exactly one.
import nearley from "nearley";
import { describe, expect, it } from "vitest";
import type { BinaryOp, Decl, Expr, Program, Stmt, TypeExpr } from "../../grammar/ast.js";
import grammar from "../../grammar/futexcheck.js";
import { parse } from "../../grammar/parse.js";
import { stripSpans } from "./arbitrary.js";

const compiled = nearley.Grammar.fromCompiled(grammar);

/** The number of parses nearley finds for `text` (0 if it is rejected). */
function parseCount(text: string): number {
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(text);
  } catch {
    return 0;
  }
  return parser.results.length;
}

/** The program of `text` without spans, after checking that the grammar has exactly one parse for it. */
function program(text: string): Program {
  expect(parseCount(text)).toBe(1);
  const result = parse(text, "test.fxp");
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return stripSpans(result.program);
}

function decl(text: string): Decl {
  const { decls } = program(text);
  expect(decls).toHaveLength(1);
  return decls[0];
}

function stmts(body: string): Stmt[] {
  const d = decl(`proc p() { ${body} }`);
  if (d.kind !== "routine") throw new Error("not a routine");
  return d.body.stmts;
}

function stmt(text: string): Stmt {
  const list = stmts(text);
  expect(list).toHaveLength(1);
  return list[0];
}

function expr(text: string): Expr {
  const d = decl(`const c = ${text};`);
  if (d.kind !== "const") throw new Error("not a const");
  return d.value;
}

function type(text: string): TypeExpr {
  const d = decl(`shared { ${text} v; }`);
  if (d.kind !== "space") throw new Error("not a space");
  return d.vars[0].type;
}

function errors(text: string): string[] {
  const result = parse(text, "err.fxp");
  if (result.ok) return [];
  return result.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);
}

// ---------- span-less node builders ----------

type NoSpan<T> = T extends unknown ? Omit<T, "span"> : never;
const id = (name: string) => ({ name });
const n = (name: string) => ({ kind: "name", name });
const num = (text: string) => ({ kind: "num", value: BigInt(text), text });
const bin = (op: BinaryOp, left: unknown, right: unknown) => ({ kind: "binary", op, left, right });
const un = (op: string, operand: unknown) => ({ kind: "unary", op, operand });
const paren = (inner: unknown) => ({ kind: "paren", inner });
const call = (callee: string, ...args: unknown[]) => ({ kind: "call", callee: id(callee), args });
const index = (base: unknown, i: unknown) => ({ kind: "index", base, index: i });
const block = (...list: unknown[]) => ({ kind: "block", stmts: list });
const skip = { kind: "skip" };
const ret = { kind: "return", value: null };
const range = (lo: unknown, hi: unknown) => ({ kind: "range", lo, hi });
const word: NoSpan<TypeExpr> = { kind: "word" };

// ---------- declarations ----------

describe("declarations", () => {
  it("model, param, const, cpus", () => {
    expect(decl("model exit_free;")).toEqual({ kind: "model", name: id("exit_free") });
    expect(decl("param THREADS = 2;")).toEqual({ kind: "param", name: id("THREADS"), type: null, value: num("2") });
    expect(decl("const W = 0x80000000;")).toEqual({ kind: "const", name: id("W"), value: num("0x80000000") });
    expect(decl("cpus N + 1;")).toEqual({ kind: "cpus", count: bin("+", n("N"), num("1")) });
  });

  it("import decodes its string", () => {
    expect(decl('import "futex";')).toEqual({ kind: "import", path: "futex" });
    expect(decl('import "a\\"b\\\\c\\u00e9";')).toEqual({ kind: "import", path: 'a"b\\c\u00e9' });
  });

  it("enum, with or without a trailing comma", () => {
    const expected = { kind: "enum", name: id("st"), members: [id("RUNNING"), id("ZOMBIE")], labels: [null, null] };
    expect(decl("enum st { RUNNING, ZOMBIE }")).toEqual(expected);
    expect(decl("enum st { RUNNING, ZOMBIE, }")).toEqual(expected);
    expect(decl("enum one { A }")).toEqual({ kind: "enum", name: id("one"), members: [id("A")], labels: [null] });
  });

  it("the four memory spaces and their variables", () => {
    expect(decl("shared { word stack_free[THREADS] = 1; addr head = null; word w[2] = {1, 2}; }")).toEqual({
      kind: "space",
      space: "shared",
      vars: [
        { kind: "var", type: word, name: id("stack_free"), size: n("THREADS"), init: num("1") },
        { kind: "var", type: { kind: "addr" }, name: id("head"), size: null, init: { kind: "null" } },
        { kind: "var", type: word, name: id("w"), size: num("2"), init: [num("1"), num("2")] },
      ],
    });
    expect(decl("ghost { tid t; }")).toEqual({
      kind: "space",
      space: "ghost",
      vars: [{ kind: "var", type: { kind: "tid" }, name: id("t"), size: null, init: null }],
    });
    expect(decl("kernel { }")).toEqual({ kind: "space", space: "kernel", vars: [] });
    // `= {x}` is a one-element list, `= x` a value for every element.
    const percpu = decl("percpu { bool busy[2] = {false}; }");
    expect(percpu).toMatchObject({ space: "percpu", vars: [{ init: [{ kind: "bool", value: false }] }] });
  });

  it("routines: proc, kproc with a return type, syscall with parameters", () => {
    expect(decl("proc p() { skip; }")).toEqual({
      kind: "routine",
      routine: "proc",
      name: id("p"),
      params: [],
      returns: null,
      body: block(skip),
      refs: [],
    });
    expect(decl("kproc helper(a: addr): int 0..3 { return get_user(a); }")).toEqual({
      kind: "routine",
      routine: "kproc",
      name: id("helper"),
      params: [{ name: id("a"), type: { kind: "addr" } }],
      returns: { kind: "int", lo: num("0"), hi: num("3") },
      body: block({ kind: "return", value: call("get_user", n("a")) }),
      refs: [],
    });
    expect(decl("syscall exit_free(a: addr, v: word, s: st) { }")).toEqual({
      kind: "routine",
      routine: "syscall",
      name: id("exit_free"),
      params: [
        { name: id("a"), type: { kind: "addr" } },
        { name: id("v"), type: word },
        { name: id("s"), type: { kind: "named", name: id("st") } },
      ],
      returns: null,
      body: block(),
      refs: [],
    });
  });

  it("handler and on exit", () => {
    expect(decl("handler on_sig { skip; }")).toEqual({
      kind: "handler",
      name: id("on_sig"),
      body: block(skip),
      refs: [],
    });
    expect(decl("on exit { return; }")).toEqual({ kind: "on_exit", body: block(ret), refs: [] });
  });

  it("threads: plain, indexed, with every attribute", () => {
    expect(decl("thread main { }")).toEqual({
      kind: "thread",
      name: id("main"),
      index: null,
      attrs: [],
      body: block(),
      refs: [],
    });
    expect(decl("thread worker[i in 0..THREADS-1] on cpu i % 2 killable handler on_sig fair { skip; }")).toEqual({
      kind: "thread",
      name: id("worker"),
      index: { variable: id("i"), lo: num("0"), hi: bin("-", n("THREADS"), num("1")) },
      attrs: [
        { kind: "on_cpu", cpu: bin("%", n("i"), num("2")) },
        { kind: "killable" },
        { kind: "handler", name: id("on_sig") },
        { kind: "fair" },
      ],
      body: block(skip),
      refs: [],
    });
  });

  it("kthreads: per cpu, or placed on a cpu (the placement is the first attribute)", () => {
    expect(decl("kthread kwaitd per cpu { skip; }")).toEqual({
      kind: "kthread",
      name: id("kwaitd"),
      perCpu: true,
      attrs: [],
      body: block(skip),
      refs: [],
    });
    expect(decl("kthread k per cpu fair handler h { }")).toMatchObject({
      perCpu: true,
      attrs: [{ kind: "fair" }, { kind: "handler", name: id("h") }],
    });
    expect(decl("kthread reaper on cpu 0 fair { skip; }")).toEqual({
      kind: "kthread",
      name: id("reaper"),
      perCpu: false,
      attrs: [{ kind: "on_cpu", cpu: num("0") }, { kind: "fair" }],
      body: block(skip),
      refs: [],
    });
  });

  it("follows, and source references before a declaration with code and before statements", () => {
    expect(decl('follows glibc "2.41";')).toEqual({ kind: "follows", project: id("glibc"), version: "2.41" });
    const ref = (project: string, location: string, version: string | null = null) => ({
      project: id(project),
      version,
      location,
    });
    expect(
      decl('@glibc "nptl/pthread_mutex_unlock.c:38" @linux "5.4" "kernel/futex.c:3470" proc p() { skip; }'),
    ).toEqual({
      ...decl("proc p() { skip; }"),
      refs: [ref("glibc", "nptl/pthread_mutex_unlock.c:38"), ref("linux", "kernel/futex.c:3470", "5.4")],
    });
    expect(decl('thread t { @glibc "a.c:1" L: @glibc "a.c:2-3" skip; }')).toMatchObject({
      body: block({
        kind: "sourced",
        refs: [ref("glibc", "a.c:1")],
        body: { kind: "label", label: id("L"), body: { kind: "sourced", refs: [ref("glibc", "a.c:2-3")], body: skip } },
      }),
    });
  });

  it("a declaration after one with source references starts at its `@`", () => {
    const r = parse('model m;\n@glibc "a.c:1"\nthread t { skip; }\n@glibc "a.c:2" on exit { skip; }\n', "f");
    expect(r.ok && r.program.decls.map((d) => d.kind)).toEqual(["model", "thread", "on_exit"]);
  });

  it("named versions: enum members with labels, a param of an enum type", () => {
    expect(decl('enum K { OLD = "4.19", V6_2 = "6.2", NEXT }')).toEqual({
      kind: "enum",
      name: id("K"),
      members: [id("OLD"), id("V6_2"), id("NEXT")],
      labels: ["4.19", "6.2", null],
    });
    expect(decl("param KVER: K = V6_2;")).toEqual({ kind: "param", name: id("KVER"), type: id("K"), value: n("V6_2") });
  });

  it("properties: invariant, reachable, leads_to, always eventually; fairness; counter", () => {
    expect(decl("invariant inv: x == 0;")).toEqual({
      kind: "invariant",
      name: id("inv"),
      expr: bin("==", n("x"), num("0")),
    });
    expect(decl("reachable r: at(t, leave);")).toEqual({
      kind: "reachable",
      name: id("r"),
      expr: call("at", n("t"), n("leave")),
    });
    expect(decl("liveness l: x == 1 leads_to x == 0;")).toEqual({
      kind: "leads_to",
      name: id("l"),
      from: bin("==", n("x"), num("1")),
      to: bin("==", n("x"), num("0")),
    });
    expect(decl("liveness m: always eventually x == 0;")).toEqual({
      kind: "always_eventually",
      name: id("m"),
      expr: bin("==", n("x"), num("0")),
    });
    expect(decl("fairness weak;")).toEqual({ kind: "fairness" });
    expect(decl("counter syscalls;")).toEqual({ kind: "counter", name: id("syscalls") });
  });

  it("a quantifier's body stops at leads_to", () => {
    expect(decl("liveness l: forall t in threads: a leads_to b;")).toMatchObject({
      from: { kind: "quant", body: n("a") },
      to: n("b"),
    });
  });

  it("an empty file is an empty program; comments are kept beside the nodes for the formatter", () => {
    expect(program("")).toEqual({ kind: "program", decls: [] });
    expect(program("// nothing  \n/* at\n all */  ")).toEqual({
      kind: "program",
      decls: [],
      comments: { closing: ["// nothing", "/* at\n all */"] },
    });
    expect(program("model /* here */ m; // there")).toEqual({
      kind: "program",
      decls: [{ kind: "model", name: id("m"), comments: { leading: ["/* here */"], trailing: ["// there"] } }],
    });
  });

  it("attaches each comment to the statement it stands beside, or to the closing brace", () => {
    const p = program(`thread t { // opens
  x = 1; /* one */ // two
  // before y
  y = 2 +
    // inside y
    3;
  if (x) {
    // only
  }
  // last
}
// end`);
    const thread = p.decls[0] as Extract<Decl, { kind: "thread" }>;
    const [x, y, ifStmt] = thread.body.stmts;
    expect(x.comments).toEqual({ leading: ["// opens"], trailing: ["/* one */", "// two"] });
    expect(y.comments).toEqual({ leading: ["// before y", "// inside y"] });
    expect(ifStmt.kind === "if" && ifStmt.then.comments).toEqual({ closing: ["// only"] });
    expect(thread.body.comments).toEqual({ closing: ["// last"] });
    expect(p.comments).toEqual({ closing: ["// end"] });
  });

  it("the reference model parses, one declaration per line", () => {
    const text = `model exit_free;
param THREADS = 2;
cpus 2;
import "futex";
shared { word stack_free[THREADS] = 1; }
kernel { tidqueue<THREADS> q; int 0..3 x = 0; tidset waiters; }
syscall exit_free(a: addr, v: word) { put_user(a, v); exit(); }
thread worker[i in 0..THREADS-1] on cpu i killable fair {
  int 0..THREADS-1 s;
  take: atomic { choose s where stack_free[s] == 1; stack_free[s] = 0; }
  leave: exit_free(&stack_free[s], 1);
}
kthread kwaitd per cpu { end_idle: await x == 1; }
invariant no_reuse: forall s in 0..THREADS-1: stack_free[s] == 0 || stack_free[s] == 1;
reachable r: exists t in threads: at(t, leave);
fairness weak;
`;
    const p = parse(text, "ref.fxp");
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const kinds = "model param cpus import space space routine thread kthread invariant reachable fairness";
    expect(p.program.decls.map((d) => d.kind)).toEqual(kinds.split(" "));
    expect(p.program.decls.map((d) => d.span.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16]);
    expect(p.program.decls[7].span).toMatchObject({ file: "ref.fxp", line: 8, col: 1, endLine: 12, endCol: 2 });
  });
});

// ---------- types ----------

describe("types", () => {
  it("the simple types", () => {
    for (const k of ["bool", "word", "tid", "addr", "tidset"]) expect(type(k)).toEqual({ kind: k });
  });

  it("int bounds are additive expressions", () => {
    expect(type("int 0..THREADS-1")).toEqual({ kind: "int", lo: num("0"), hi: bin("-", n("THREADS"), num("1")) });
    expect(type("int -128..127")).toEqual({ kind: "int", lo: un("-", num("128")), hi: num("127") });
    expect(type("int (a << 1)..b[0] * 2")).toEqual({
      kind: "int",
      lo: paren(bin("<<", n("a"), num("1"))),
      hi: bin("*", index(n("b"), num("0")), num("2")),
    });
  });

  it("an enum type by name", () => {
    expect(type("st")).toEqual({ kind: "named", name: id("st") });
  });

  it("tidqueue capacities are primaries", () => {
    expect(type("tidqueue<THREADS>")).toEqual({ kind: "tidqueue", capacity: n("THREADS") });
    expect(type("tidqueue<4>")).toEqual({ kind: "tidqueue", capacity: num("4") });
    expect(type("tidqueue<(N > 1)>")).toEqual({ kind: "tidqueue", capacity: paren(bin(">", n("N"), num("1"))) });
    expect(errors("shared { tidqueue<N + 1> q; }")).toEqual(["FX002@1:21"]);
  });
});

// ---------- statements ----------

describe("statements", () => {
  it("local variables", () => {
    expect(stmt("int 0..THREADS-1 s;")).toEqual({
      kind: "var",
      type: { kind: "int", lo: num("0"), hi: bin("-", n("THREADS"), num("1")) },
      name: id("s"),
      size: null,
      init: null,
    });
    expect(stmt("st s[2] = {A, B};")).toEqual({
      kind: "var",
      type: { kind: "named", name: id("st") },
      name: id("s"),
      size: num("2"),
      init: [n("A"), n("B")],
    });
  });

  it("labels, nested and on any statement", () => {
    expect(stmt("take: skip;")).toEqual({ kind: "label", label: id("take"), body: skip });
    expect(stmt("a: b: atomic { }")).toEqual({
      kind: "label",
      label: id("a"),
      body: { kind: "label", label: id("b"), body: { kind: "atomic", body: block() } },
    });
    expect(stmt("l: word w;")).toMatchObject({ kind: "label", body: { kind: "var", name: id("w") } });
  });

  it("assignments to names, elements, results of calls, and through pointers", () => {
    expect(stmt("x = a + b;")).toEqual({ kind: "assign", target: n("x"), value: bin("+", n("a"), n("b")) });
    expect(stmt("a[i][j] = 0;")).toEqual({
      kind: "assign",
      target: index(index(n("a"), n("i")), n("j")),
      value: num("0"),
    });
    expect(stmt("*head = 3;")).toEqual({ kind: "assign", target: un("*", n("head")), value: num("3") });
    expect(stmt("**pp = 3;")).toEqual({ kind: "assign", target: un("*", un("*", n("pp"))), value: num("3") });
    expect(stmt("*a[1] = 3;")).toEqual({ kind: "assign", target: un("*", index(n("a"), num("1"))), value: num("3") });
    expect(stmt("(x) = 1;")).toEqual({ kind: "assign", target: paren(n("x")), value: num("1") });
    expect(stmt("x = cmpxchg(&lock, 0, 1);")).toEqual({
      kind: "assign",
      target: n("x"),
      value: call("cmpxchg", un("&", n("lock")), num("0"), num("1")),
    });
    expect(errors("proc p() { -x = 1; }")).toEqual(["FX002@1:12"]);
  });

  it("calls as statements, including tid and exit", () => {
    expect(stmt("put_user(a, v);")).toEqual({ kind: "expr", expr: call("put_user", n("a"), n("v")) });
    expect(stmt("exit();")).toEqual({ kind: "expr", expr: call("exit") });
    expect(stmt("tid(self);")).toEqual({ kind: "expr", expr: call("tid", { kind: "self" }) });
    // Only a call can be a statement.
    expect(errors("proc p() { x; }")).toEqual(["FX002@1:13"]);
    expect(errors("proc p() { f()[0]; }")).toEqual(["FX002@1:18"]);
  });

  it("if, if-else, and else-if chains", () => {
    expect(stmt("if (c) { skip; }")).toEqual({ kind: "if", cond: n("c"), then: block(skip), else: null });
    expect(stmt("if (c) { skip; } else { return; }")).toEqual({
      kind: "if",
      cond: n("c"),
      then: block(skip),
      else: block(ret),
    });
    const inner = { kind: "if", cond: n("d"), then: block(skip), else: block(ret) };
    expect(stmt("if (c) { } else if (d) { skip; } else { return; }")).toEqual({
      kind: "if",
      cond: n("c"),
      then: block(),
      else: block(inner),
    });
    // `else { if … }` has the same shape; only the spans tell the two apart.
    expect(stmt("if (c) { } else { if (d) { skip; } else { return; } }")).toEqual(
      stmt("if (c) { } else if (d) { skip; } else { return; }"),
    );
    const chained = parse("proc p() { if (c) { } else if (d) { } }", "f");
    const braced = parse("proc p() { if (c) { } else { if (d) { } } }", "f");
    if (!chained.ok || !braced.ok) throw new Error("parse failed");
    const elseOf = (p: Program) => {
      const r = p.decls[0];
      const s = r.kind === "routine" ? r.body.stmts[0] : null;
      if (s?.kind !== "if" || s.else === null) throw new Error("no else");
      return s.else;
    };
    expect(elseOf(chained.program).span).toEqual(elseOf(chained.program).stmts[0].span);
    expect(elseOf(braced.program).span).not.toEqual(elseOf(braced.program).stmts[0].span);
  });

  it("while and for", () => {
    expect(stmt("while (s < 1) { s = s + 1; break; }")).toEqual({
      kind: "while",
      cond: bin("<", n("s"), num("1")),
      body: block({ kind: "assign", target: n("s"), value: bin("+", n("s"), num("1")) }, { kind: "break" }),
    });
    expect(stmt("for (k in 0..N - 1) { continue; }")).toEqual({
      kind: "for",
      variable: id("k"),
      lo: num("0"),
      hi: bin("-", n("N"), num("1")),
      body: block({ kind: "continue" }),
    });
  });

  it("either with two or more branches", () => {
    expect(stmt("either { s = 0; } or { s = 1; } or { }")).toEqual({
      kind: "either",
      branches: [
        block({ kind: "assign", target: n("s"), value: num("0") }),
        block({ kind: "assign", target: n("s"), value: num("1") }),
        block(),
      ],
    });
    expect(errors("proc p() { either { } }")).toEqual(["FX002@1:23"]);
  });

  it("choose over a range, with or without where, or by condition alone", () => {
    expect(stmt("choose s in 0..1 where s != 2;")).toEqual({
      kind: "choose",
      variable: id("s"),
      lo: num("0"),
      hi: num("1"),
      where: bin("!=", n("s"), num("2")),
    });
    expect(stmt("choose s in a..b + 1;")).toEqual({
      kind: "choose",
      variable: id("s"),
      lo: n("a"),
      hi: bin("+", n("b"), num("1")),
      where: null,
    });
    expect(stmt("choose s where free[s] == 1;")).toEqual({
      kind: "choose",
      variable: id("s"),
      lo: null,
      hi: null,
      where: bin("==", index(n("free"), n("s")), num("1")),
    });
  });

  it("atomic, nopreempt, await, await interruptible, assert", () => {
    expect(stmt("atomic { skip; }")).toEqual({ kind: "atomic", body: block(skip) });
    expect(stmt("nopreempt { }")).toEqual({ kind: "nopreempt", body: block() });
    expect(stmt("await x == 0;")).toEqual({ kind: "await", cond: bin("==", n("x"), num("0")), interruptible: false });
    expect(stmt("await interruptible x;")).toEqual({ kind: "await", cond: n("x"), interruptible: true });
    expect(stmt("assert !(s > 3);")).toEqual({ kind: "assert", cond: un("!", paren(bin(">", n("s"), num("3")))) });
  });

  it("return, skip, break, continue, goto", () => {
    expect(stmt("return;")).toEqual(ret);
    expect(stmt("return x + 1;")).toEqual({ kind: "return", value: bin("+", n("x"), num("1")) });
    expect(stmt("return (x);")).toEqual({ kind: "return", value: paren(n("x")) });
    expect(stmt("return -EAGAIN;")).toEqual({ kind: "return", value: un("-", n("EAGAIN")) });
    expect(stmts("skip; break; continue; goto take;")).toEqual([
      skip,
      { kind: "break" },
      { kind: "continue" },
      { kind: "goto", label: id("take") },
    ]);
  });
});

// ---------- expressions ----------

describe("expressions", () => {
  it("literals and names", () => {
    expect(expr("42")).toEqual(num("42"));
    expect(expr("0x80000000")).toEqual({ kind: "num", value: 0x80000000n, text: "0x80000000" });
    expect(expr("0XfF")).toEqual({ kind: "num", value: 255n, text: "0XfF" });
    expect(expr("007")).toEqual({ kind: "num", value: 7n, text: "007" });
    expect(expr("123456789012345678901234567890")).toEqual(num("123456789012345678901234567890"));
    expect(expr("true")).toEqual({ kind: "bool", value: true });
    expect(expr("false")).toEqual({ kind: "bool", value: false });
    expect(expr("null")).toEqual({ kind: "null" });
    expect(expr("self")).toEqual({ kind: "self" });
    expect(expr("this_cpu")).toEqual({ kind: "this_cpu" });
    expect(expr("FUTEX_WAITERS")).toEqual(n("FUTEX_WAITERS"));
  });

  it("every binary operator", () => {
    const ops = "=> || && | ^ & == != < <= > >= in << >> + - * / %".split(" ") as BinaryOp[];
    for (const op of ops) expect(expr(`a ${op} b`)).toEqual(bin(op, n("a"), n("b")));
  });

  it("every unary operator; a negative literal is a unary minus", () => {
    for (const op of ["!", "~", "-", "&", "*"]) expect(expr(`${op}a`)).toEqual(un(op, n("a")));
    expect(expr("-1")).toEqual(un("-", num("1")));
    expect(expr("- -x")).toEqual(un("-", un("-", n("x"))));
    expect(expr("--x")).toEqual(un("-", un("-", n("x"))));
    expect(expr("& &x")).toEqual(un("&", un("&", n("x"))));
    expect(expr("!~*&x")).toEqual(un("!", un("~", un("*", un("&", n("x"))))));
  });

  it("postfix: indexing and calls bind tighter than unary operators", () => {
    expect(expr("*p[0]")).toEqual(un("*", index(n("p"), num("0"))));
    expect(expr("&stack_free[s]")).toEqual(un("&", index(n("stack_free"), n("s"))));
    expect(expr("f(a, b)[0][1]")).toEqual(index(index(call("f", n("a"), n("b")), num("0")), num("1")));
    expect(expr("g()")).toEqual(call("g"));
    expect(expr("tid(i) + exit()")).toEqual(bin("+", call("tid", n("i")), call("exit")));
    expect(expr("-a * b")).toEqual(bin("*", un("-", n("a")), n("b")));
  });

  it("C precedence among the binary operators", () => {
    expect(expr("a | b & c")).toEqual(bin("|", n("a"), bin("&", n("b"), n("c"))));
    expect(expr("a & b | c")).toEqual(bin("|", bin("&", n("a"), n("b")), n("c")));
    expect(expr("a ^ b | c ^ d")).toEqual(bin("|", bin("^", n("a"), n("b")), bin("^", n("c"), n("d"))));
    expect(expr("a | b ^ c & d")).toEqual(bin("|", n("a"), bin("^", n("b"), bin("&", n("c"), n("d")))));
    expect(expr("a || b && c")).toEqual(bin("||", n("a"), bin("&&", n("b"), n("c"))));
    expect(expr("a && b | c")).toEqual(bin("&&", n("a"), bin("|", n("b"), n("c"))));
    // C's trap: `==` binds tighter than `&` (the checker rejects `w & M == x` as a type error).
    expect(expr("w & M == x")).toEqual(bin("&", n("w"), bin("==", n("M"), n("x"))));
    expect(expr("a == b < c")).toEqual(bin("==", n("a"), bin("<", n("b"), n("c"))));
    expect(expr("a < b << c")).toEqual(bin("<", n("a"), bin("<<", n("b"), n("c"))));
    expect(expr("a << b + c")).toEqual(bin("<<", n("a"), bin("+", n("b"), n("c"))));
    expect(expr("a + b * c")).toEqual(bin("+", n("a"), bin("*", n("b"), n("c"))));
    expect(expr("a * b % c / d")).toEqual(bin("/", bin("%", bin("*", n("a"), n("b")), n("c")), n("d")));
    expect(expr("x in s == ok")).toEqual(bin("==", bin("in", n("x"), n("s")), n("ok")));
    expect(expr("x in s << 1")).toEqual(bin("in", n("x"), bin("<<", n("s"), num("1"))));
  });

  it("left associativity", () => {
    expect(expr("a - b - c")).toEqual(bin("-", bin("-", n("a"), n("b")), n("c")));
    expect(expr("a / b / c")).toEqual(bin("/", bin("/", n("a"), n("b")), n("c")));
    expect(expr("a < b > c")).toEqual(bin(">", bin("<", n("a"), n("b")), n("c")));
    expect(expr("a || b || c")).toEqual(bin("||", bin("||", n("a"), n("b")), n("c")));
  });

  it("=> is right-associative and binds loosest", () => {
    expect(expr("a => b => c")).toEqual(bin("=>", n("a"), bin("=>", n("b"), n("c"))));
    expect(expr("a || b => c && d")).toEqual(bin("=>", bin("||", n("a"), n("b")), bin("&&", n("c"), n("d"))));
    expect(expr("(a => b) => c")).toEqual(bin("=>", paren(bin("=>", n("a"), n("b"))), n("c")));
  });

  it("parentheses are kept as nodes", () => {
    expect(expr("(a)")).toEqual(paren(n("a")));
    expect(expr("((1))")).toEqual(paren(paren(num("1"))));
    expect(expr("(a | b) & c")).toEqual(bin("&", paren(bin("|", n("a"), n("b"))), n("c")));
  });

  it("quantifiers: domains, and a body that extends as far as possible", () => {
    expect(expr("forall s in 0..N-1: a[s] == 0 || b")).toEqual({
      kind: "quant",
      quantifier: "forall",
      variable: id("s"),
      domain: range(num("0"), bin("-", n("N"), num("1"))),
      body: bin("||", bin("==", index(n("a"), n("s")), num("0")), n("b")),
    });
    expect(expr("exists t in threads: at(t, l)")).toEqual({
      kind: "quant",
      quantifier: "exists",
      variable: id("t"),
      domain: { kind: "threads" },
      body: call("at", n("t"), n("l")),
    });
    expect(expr("forall c in cpus: forall t in threads: c => t")).toEqual({
      kind: "quant",
      quantifier: "forall",
      variable: id("c"),
      domain: { kind: "cpus" },
      body: {
        kind: "quant",
        quantifier: "forall",
        variable: id("t"),
        domain: { kind: "threads" },
        body: bin("=>", n("c"), n("t")),
      },
    });
  });

  it("a quantifier inside an operator needs parentheses", () => {
    expect(expr("(forall t in threads: p(t)) || q")).toEqual(
      bin(
        "||",
        paren({
          kind: "quant",
          quantifier: "forall",
          variable: id("t"),
          domain: { kind: "threads" },
          body: call("p", n("t")),
        }),
        n("q"),
      ),
    );
    expect(errors("const c = q || forall t in threads: p(t);")).toEqual(["FX002@1:16"]);
    // …but not as an argument, an index or an initialiser element.
    expect(expr("f(exists t in threads: p(t), 1)")).toMatchObject({
      kind: "call",
      args: [{ kind: "quant" }, num("1")],
    });
    expect(expr("a[forall i in 0..1: b]")).toMatchObject({ kind: "index", index: { kind: "quant" } });
  });
});

// ---------- syntax errors ----------

describe("syntax errors", () => {
  it("FX001: a bad character, at its line and column", () => {
    const result = parse("model m;\nconst C = a $ b;\n", "bad.fxp");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      code: "FX001",
      severity: "error",
      message: "unexpected character '$'",
      span: { file: "bad.fxp", line: 2, col: 13, offset: 21 },
    });
    expect(parse("model m\0;", "f")).toMatchObject({
      ok: false,
      diagnostics: [{ code: "FX001", message: "unexpected character U+0000" }],
    });
  });

  it("FX001: unterminated strings and comments, and undecodable string literals", () => {
    expect(parse('import "futex;\n', "f")).toMatchObject({
      ok: false,
      diagnostics: [{ code: "FX001", message: "unterminated string" }],
    });
    expect(parse("model m; /* never closed\n", "f")).toMatchObject({
      ok: false,
      diagnostics: [{ code: "FX001", message: "unterminated comment" }],
    });
    expect(errors('model m;\nimport "a\\qb";')).toEqual(["FX001@2:8"]);
  });

  it("FX002: an unexpected token, with its line and column and what was expected", () => {
    const result = parse("model m;\nparam N = 1 2;\n", "bad.fxp");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toHaveLength(1);
    const d = result.diagnostics[0];
    expect(d).toMatchObject({ code: "FX002", span: { file: "bad.fxp", line: 2, col: 13, endLine: 2, endCol: 14 } });
    expect(d.message).toMatch(/^unexpected number 2; expected one of .*';'/);
    expect(errors("model while;")).toEqual(["FX002@1:7"]); // a keyword is not a name
    expect(errors("proc p() { if c { } }")).toEqual(["FX002@1:15"]);
  });

  it("FX003: unexpected end of file", () => {
    const result = parse("model m;\nthread t {\n  skip;\n", "eof.fxp");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toEqual([
      {
        code: "FX003",
        severity: "error",
        message: expect.stringContaining("unexpected end of file"),
        span: { file: "eof.fxp", line: 4, col: 1, endLine: 4, endCol: 1, offset: 28, endOffset: 28 },
      },
    ]);
    expect(errors("const c = (1 +")).toEqual(["FX003@1:15"]);
  });

  it("reports the errors of two separate declarations", () => {
    const text = "model m;\nconst A = 1 +;\nshared { word w = 0; }\nconst B = (2;\ncounter c;\n";
    expect(errors(text)).toEqual(["FX002@2:14", "FX002@4:13"]);
  });

  it("recovery does not cut declarations at `on cpu`, `handler` attributes or `in cpus`", () => {
    const text = [
      "thread t[i in 0..1] on cpu i handler h fair { skip; }",
      "kthread k on cpu 0 handler h { skip; }",
      "kthread j per cpu handler h { skip; }",
      "invariant i: forall c in cpus: c == 0;",
      "const A = ;",
      "handler h { skip; }",
      "cpus 2 2;",
      "on exit { skip; }",
    ].join("\n");
    expect(errors(text)).toEqual(["FX002@5:11", "FX002@7:8"]);
  });

  it("an error inside a block is reported once, and the next declaration is still checked", () => {
    const text = "proc p() {\n  x = ;\n}\nthread t { skip }\nmodel m;\n";
    expect(errors(text)).toEqual(["FX002@2:7", "FX002@4:17"]);
  });
});
