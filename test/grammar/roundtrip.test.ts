// The formatter and the parser agree: `parse(format(p))` is `p` again (spans aside), and formatting is idempotent.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expr, Program, Stmt } from "../../grammar/ast.js";
import { format, formatExpr } from "../../grammar/fmt.js";
import { allTokens } from "../../grammar/lexer.js";
import { libraryFiles } from "../models/library.js";
import { parse } from "../../grammar/parse.js";
import { arbExpr, arbProgram, arbStmt, SPAN, stripSpans } from "./arbitrary.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

function reparse(text: string): Program {
  const result = parse(text, "fmt.fxp");
  if (!result.ok) {
    const list = result.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join("\n");
    throw new Error(`formatted text does not parse:\n${list}\n---\n${text}`);
  }
  return result.program;
}

const words = (list: string) => list.split(" ");
const program = (decls: Program["decls"]): Program => ({ kind: "program", decls, span: SPAN });
const inProc = (stmts: Stmt[]): Program =>
  program([
    {
      kind: "routine",
      routine: "proc",
      name: { name: "p", span: SPAN },
      params: [],
      returns: null,
      body: { kind: "block", stmts, span: SPAN },
      refs: [],
      span: SPAN,
    },
  ]);
const asConst = (value: Expr): Program =>
  program([{ kind: "const", name: { name: "c", span: SPAN }, value, span: SPAN }]);

describe("format ∘ parse round trip", () => {
  it("parse(format(p)) equals p for generated programs", () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        expect(stripSpans(reparse(format(p)))).toEqual(stripSpans(p));
      }),
      { numRuns: 2500, seed: 20251123 },
    );
  });

  it("formatting is idempotent on text", () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        const text = format(p);
        expect(format(reparse(text))).toBe(text);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it("round-trips expressions on their own", () => {
    fc.assert(
      fc.property(arbExpr, (e) => {
        const text = format(asConst(e));
        expect(text).toBe(`const c = ${formatExpr(e)};\n`);
        expect(stripSpans(reparse(text))).toEqual(stripSpans(asConst(e)));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("round-trips statements on their own", () => {
    fc.assert(
      fc.property(fc.array(arbStmt, { minLength: 1, maxLength: 4 }), (stmts) => {
        expect(stripSpans(reparse(format(inProc(stmts))))).toEqual(stripSpans(inProc(stmts)));
      }),
      { numRuns: 1500, seed: 13 },
    );
  });
});

describe("the generators", () => {
  it("cover every node kind and every operator", () => {
    const seen = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) return x.forEach(walk);
      if (x === null || typeof x !== "object") return;
      const node = x as Record<string, unknown>;
      if (typeof node.kind === "string") {
        seen.add(node.kind);
        if (typeof node.op === "string") seen.add(`${node.kind} ${node.op}`);
      }
      if (node.kind === "kthread") seen.add(`kthread perCpu=${String(node.perCpu)}`);
      for (const place of Object.keys((node.comments as object | undefined) ?? {})) seen.add(`${place} comment`);
      if (Array.isArray(node.refs) && node.refs.length > 0 && node.kind !== "sourced")
        seen.add(`${node.kind} with refs`);
      if (node.kind === "param" && node.type !== null) seen.add("param of an enum");
      if (node.kind === "enum" && (node.labels as unknown[]).some((l) => l !== null)) seen.add("enum with labels");
      if (node.kind === "choose")
        seen.add(`choose ${node.lo === null ? "where" : node.where === null ? "range" : "range where"}`);
      if (node.kind === "if" && (node.else as { stmts?: { kind: string }[] } | null)?.stmts?.[0]?.kind === "if")
        seen.add("else if");
      for (const [key, value] of Object.entries(node)) if (key !== "span") walk(value);
    };
    fc.sample(arbProgram, { numRuns: 2000, seed: 1 }).forEach(walk);
    const expected = [
      ...words("num bool null self this_cpu name index call unary binary quant paren range threads cpus"),
      ...words("var label assign expr if while for either choose atomic nopreempt await assert return skip break"),
      ...words("continue goto block word tid addr int named tidset tidqueue on_cpu killable handler fair"),
      ...words("model param const import enum space routine on_exit thread kthread invariant reachable leads_to"),
      ...words("always_eventually fairness counter program follows sourced"),
      ...words("! ~ - & *").map((op) => `unary ${op}`),
      ...words("=> || && | ^ & == != < <= > >= in << >> + - * / %").map((op) => `binary ${op}`),
      ...words("routine handler on_exit thread kthread").map((k) => `${k} with refs`),
      "param of an enum",
      "enum with labels",
      "kthread perCpu=true",
      "kthread perCpu=false",
      "choose where",
      "choose range",
      "choose range where",
      "else if",
      "leading comment",
      "trailing comment",
      "closing comment",
    ];
    expect(expected.filter((k) => !seen.has(k))).toEqual([]);
  });
});

describe("canonical layout", () => {
  const source = `model exit_free;  param THREADS = 2; cpus 2;
const FUTEX_WAITERS = 0x80000000; import "futex"; enum st { RUNNING, ZOMBIE, }
shared { word stack_free[THREADS] = 1; addr head = null; word w[2] = {1,2}; }
kernel { tidqueue<THREADS> q; int 0..3 x = 0; tidset waiters; }
// a comment, which the formatter keeps
syscall exit_free(a: addr, v: word) { put_user(a, v); exit(); }
kproc helper(a: addr): word { return get_user(a); }
proc nothing() { }
thread worker[i in 0..THREADS-1] on cpu i killable handler on_sig fair {
  int 0..THREADS-1 s;
  take:  atomic { choose s where stack_free[s]==1; stack_free[s] = 0; }
  if (s == 0) { skip; } else if (s == 1) { skip; } else { if (s == 2) { return; } }
  either { s = 0; } or { s = 1; }
  choose s in 0..1 where s != 2;
  while (s < 1) { s = s+1; break; }
  for (k in 0..2) { continue; }
  await interruptible x == 0;
  nopreempt { await busy[this_cpu] == false; }
  *head = 3; ** head = - - 3 ; w[0] = & & x;
  assert !(s > 3) && (FUTEX_WAITERS & 1) == 0;
  goto take;
  leave: exit_free(&stack_free[s], 1);
}
kthread kwaitd per cpu { end_idle: await x == 1; }
kthread reaper on cpu 0 fair { skip; }
invariant no_reuse: forall s in 0..THREADS-1: (stack_free[s] == 0 || !in_user(s)) => x == 0;
liveness l: x == 1 leads_to x == 0;
liveness m: always eventually x == 0;
fairness weak;
counter syscalls;
`;

  const expected = `model exit_free;
param THREADS = 2;
cpus 2;
const FUTEX_WAITERS = 0x80000000;
import "futex";
enum st { RUNNING, ZOMBIE }

shared {
  word stack_free[THREADS] = 1;
  addr head = null;
  word w[2] = {1, 2};
}

kernel {
  tidqueue<THREADS> q;
  int 0..3 x = 0;
  tidset waiters;
}

// a comment, which the formatter keeps
syscall exit_free(a: addr, v: word) {
  put_user(a, v);
  exit();
}

kproc helper(a: addr): word {
  return get_user(a);
}

proc nothing() {}

thread worker[i in 0..THREADS - 1] on cpu i killable handler on_sig fair {
  int 0..THREADS - 1 s;
  take: atomic {
    choose s where stack_free[s] == 1;
    stack_free[s] = 0;
  }
  if (s == 0) {
    skip;
  } else if (s == 1) {
    skip;
  } else {
    if (s == 2) {
      return;
    }
  }
  either {
    s = 0;
  } or {
    s = 1;
  }
  choose s in 0..1 where s != 2;
  while (s < 1) {
    s = s + 1;
    break;
  }
  for (k in 0..2) {
    continue;
  }
  await interruptible x == 0;
  nopreempt {
    await busy[this_cpu] == false;
  }
  *head = 3;
  **head = - -3;
  w[0] = & &x;
  assert !(s > 3) && (FUTEX_WAITERS & 1) == 0;
  goto take;
  leave: exit_free(&stack_free[s], 1);
}

kthread kwaitd per cpu {
  end_idle: await x == 1;
}

kthread reaper on cpu 0 fair {
  skip;
}

invariant no_reuse: forall s in 0..THREADS - 1: (stack_free[s] == 0 || !in_user(s)) => x == 0;
liveness l: x == 1 leads_to x == 0;
liveness m: always eventually x == 0;
fairness weak;
counter syscalls;
`;

  it("prints a parsed model in the canonical layout", () => {
    expect(format(reparse(source))).toBe(expected);
  });

  it("keeps `else { if … }` apart from `else if`, and the layout is a fixed point", () => {
    const p = reparse(source);
    expect(stripSpans(reparse(format(p)))).toEqual(stripSpans(p));
    expect(format(reparse(expected))).toBe(expected);
  });

  it("prints an empty program as nothing", () => {
    expect(format(program([]))).toBe("");
    expect(reparse("").decls).toEqual([]);
  });

  it("prints import paths so that they decode back", () => {
    const path = 'a "quoted" \\ path\twith\ncontrol é 😀';
    const text = format(program([{ kind: "import", path, span: SPAN }]));
    const d = reparse(text).decls[0];
    expect(d.kind === "import" && d.path).toBe(path);
  });
});

describe("comments through fmt", () => {
  // Every comment of a library model, as the lexer finds it, is in the formatted text, in the same order.
  const files = libraryFiles();
  const commentsOf = (text: string) =>
    allTokens(text)
      .filter((t) => t.type === "comment")
      .map((t) => (t.text.startsWith("//") ? t.text.trimEnd() : t.text));

  it.each(files)("formatting %s keeps every comment, and formatting again changes nothing", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const formatted = format(reparse(text));
    expect(commentsOf(text).length).toBeGreaterThan(0);
    expect(commentsOf(formatted)).toEqual(commentsOf(text));
    expect(format(reparse(formatted))).toBe(formatted);
  });
});
