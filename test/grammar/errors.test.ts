// Golden tests of the error messages: for every code that the parser, the loader and the checks emit, a tiny
// model that triggers it and the exact rendered diagnostic (file:line:col, code, message, source line, caret).
// docs/errors.md documents the same codes; the last tests keep the three in step.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Expr } from "../../grammar/ast.js";
import { compile } from "../../checker/compile.js";
import { analyseSymmetry } from "../../checker/symmetry.js";
import { check } from "../../grammar/check.js";
import { render, type Diagnostic } from "../../grammar/diagnostics.js";
import { libraryDir, propertiesDir, loadModel } from "../../grammar/load.js";
import { MAX_SOURCE_BYTES, parse } from "../../grammar/parse.js";

const root = mkdtempSync(join(tmpdir(), "futexcheck-errors-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder for one case, so that cases never see each other's files. */
function folder(): string {
  return mkdtempSync(join(root, "case-"));
}

/** Renders diagnostics with the case's folder (if any) removed from paths and the library folder shown as <lib>. */
function rendered(diagnostics: Diagnostic[], sources: ReadonlyMap<string, string>, dir = ""): string {
  const text = diagnostics.map((d) => render(d, sources)).join("\n");
  return (dir === "" ? text : text.replaceAll(dir + sep, ""))
    .replaceAll(libraryDir(), "<lib>")
    .replaceAll(propertiesDir(), "<properties>");
}

/** Writes `source` (lines, plus a final newline) to t.fxp, loads and checks it, and renders every error. */
function errorsOf(source: string[], overrides?: [string, number | string][]): string {
  const dir = folder();
  const file = join(dir, "t.fxp");
  writeFileSync(file, source.join("\n") + "\n");
  const loaded = loadModel(file, { overrides: overrides ? new Map(overrides) : undefined });
  expect(loaded.model).toBeNull();
  return rendered(loaded.diagnostics, loaded.sources, dir);
}

interface Case {
  code: string;
  title: string;
  source: string[];
  overrides?: [string, number | string][];
  expected: string[]; // the rendered diagnostics, line by line
}

// Not reformatted, so that each rendered line stays on a line of its own: the caret then stands under the
// token it points at, as in a terminal.
// prettier-ignore
const cases: Case[] = [
  {
    code: "FX001",
    title: "unexpected character",
    source: ["model m;", "shared { word x = 0 $; }"],
    expected: [
      "t.fxp:2:21: error FX001: unexpected character '$'",
      "  shared { word x = 0 $; }",
      "                      ^",
    ],
  },
  {
    code: "FX001",
    title: "a character outside ASCII",
    source: ["model m;", "shared { word x = 0; } // ok", "thread w { x = 1 é; }"],
    expected: [
      "t.fxp:3:18: error FX001: unexpected character U+00E9",
      "  thread w { x = 1 é; }",
      "                   ^",
    ],
  },
  {
    code: "FX001",
    title: "unterminated string",
    source: ["model m;", "import \"futex;"],
    expected: [
      "t.fxp:2:8: error FX001: unterminated string",
      "  import \"futex;",
      "         ^",
    ],
  },
  {
    code: "FX001",
    title: "unterminated comment",
    source: ["model m; /* no end", "thread w { skip; }"],
    expected: [
      "t.fxp:1:10: error FX001: unterminated comment",
      "  model m; /* no end",
      "           ^^",
    ],
  },
  {
    code: "FX001",
    title: "invalid string literal",
    source: ["model m;", "import \"a\\qb\";"],
    expected: [
      "t.fxp:2:8: error FX001: invalid string literal",
      "  import \"a\\qb\";",
      "         ^^^^^^",
    ],
  },
  {
    code: "FX002",
    title: "syntax error",
    source: ["model m", "thread w { skip; }"],
    expected: [
      "t.fxp:2:1: error FX002: unexpected 'thread'; expected ';'",
      "  thread w { skip; }",
      "  ^^^^^^",
    ],
  },
  {
    code: "FX002",
    title: "syntax error in an expression",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = 1 +; }"],
    expected: [
      "t.fxp:3:19: error FX002: unexpected ';'; expected one of '!', '&', '(', '*', '-', 'exit', 'false', 'null', 'self', 'this_cpu', 'tid', 'true', '~', a name, a number",
      "  thread w { x = 1 +; }",
      "                    ^",
    ],
  },
  {
    code: "FX003",
    title: "unexpected end of file",
    source: ["model m;", "thread w {", "  skip;"],
    expected: [
      "t.fxp:4:1: error FX003: unexpected end of file: a declaration or block is not finished",
      "  ",
      "  ^",
    ],
  },
  {
    code: "FX007",
    title: "import not found",
    source: ["model m;", "import \"nowhere\";", "thread w { skip; }"],
    expected: [
      "t.fxp:2:1: error FX007: cannot find import \"nowhere\" (looked beside t.fxp, in the library <lib> and in <properties>)",
      "  import \"nowhere\";",
      "  ^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX101",
    title: "unknown name",
    source: ["model m;", "thread w { x = 1; }"],
    expected: [
      "t.fxp:2:12: error FX101: unknown name 'x'",
      "  thread w { x = 1; }",
      "             ^",
    ],
  },
  {
    code: "FX101",
    title: "unknown type",
    source: ["model m;", "shared { colour c; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX101: unknown type 'colour'",
      "  shared { colour c; }",
      "           ^^^^^^",
    ],
  },
  {
    code: "FX101",
    title: "unknown function",
    source: ["model m;", "thread w { frob(1); }"],
    expected: [
      "t.fxp:2:12: error FX101: unknown function 'frob'",
      "  thread w { frob(1); }",
      "             ^^^^",
    ],
  },
  {
    code: "FX101",
    title: "unknown handler",
    source: ["model m;", "thread w handler h { skip; }"],
    expected: [
      "t.fxp:2:18: error FX101: unknown signal handler 'h'",
      "  thread w handler h { skip; }",
      "                   ^",
    ],
  },
  {
    code: "FX101",
    title: "unknown counter",
    source: ["model m;", "thread w { count(steps); }"],
    expected: [
      "t.fxp:2:18: error FX101: 'steps' is not a declared counter (declare it with 'counter NAME;')",
      "  thread w { count(steps); }",
      "                   ^^^^^",
    ],
  },
  {
    code: "FX101",
    title: "unknown name in a constant",
    source: ["model m;", "const C = D + 1;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:11: error FX101: unknown name 'D'",
      "  const C = D + 1;",
      "            ^",
    ],
  },
  {
    code: "FX102",
    title: "declared twice",
    source: ["model m;", "const A = 1;", "const A = 2;", "thread w { skip; }"],
    expected: [
      "t.fxp:3:7: error FX102: 'A' is already declared at line 2",
      "  const A = 2;",
      "        ^",
    ],
  },
  {
    code: "FX102",
    title: "builtin name",
    source: ["model m;", "const NTHREADS = 3;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:7: error FX102: 'NTHREADS' is a builtin name",
      "  const NTHREADS = 3;",
      "        ^^^^^^^^",
    ],
  },
  {
    code: "FX102",
    title: "duplicate parameter",
    source: ["model m;", "proc f(a: word, a: word) { skip; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:17: error FX102: duplicate parameter 'a'",
      "  proc f(a: word, a: word) { skip; }",
      "                  ^",
    ],
  },
  {
    code: "FX102",
    title: "local declared twice",
    source: ["model m;", "thread w {", "  word v;", "  bool v;", "}"],
    expected: [
      "t.fxp:4:8: error FX102: 'v' is already declared in w at line 3",
      "    bool v;",
      "         ^",
    ],
  },
  {
    code: "FX102",
    title: "local hides a global",
    source: ["model m;", "shared { word x = 0; }", "thread w { word x; }"],
    expected: [
      "t.fxp:3:17: error FX102: local 'x' hides the global 'x'",
      "  thread w { word x; }",
      "                  ^",
    ],
  },
  {
    code: "FX102",
    title: "quantifier variable redefined",
    source: ["model m;", "shared { word x = 0; }", "thread w { skip; }", "invariant I: forall x in 0..1: x == 0;"],
    expected: [
      "t.fxp:4:21: error FX102: 'x' is already defined here",
      "  invariant I: forall x in 0..1: x == 0;",
      "                      ^",
    ],
  },
  {
    code: "FX102",
    title: "property declared twice",
    source: ["model m;", "thread w { skip; }", "invariant I: true;", "reachable I: true;"],
    expected: [
      "t.fxp:4:11: error FX102: property 'I' is already declared at line 3",
      "  reachable I: true;",
      "            ^",
    ],
  },
  {
    code: "FX103",
    title: "assignment of the wrong type",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = true; }"],
    expected: [
      "t.fxp:3:16: error FX103: cannot assign a bool to word",
      "  thread w { x = true; }",
      "                 ^^^^",
    ],
  },
  {
    code: "FX103",
    title: "C precedence trap",
    source: ["model m;", "const M = 3;", "shared { word x = 0; }", "thread w { if (x & M == 1) { skip; } }"],
    expected: [
      "t.fxp:4:20: error FX103: operator & cannot be applied to a bool",
      "  thread w { if (x & M == 1) { skip; } }",
      "                     ^^^^^^",
    ],
  },
  {
    code: "FX103",
    title: "comparing two enums",
    source: ["model m;", "enum colour { RED, GREEN }", "enum size { SMALL, LARGE }", "thread w { assert RED == SMALL; }"],
    expected: [
      "t.fxp:4:19: error FX103: cannot compare enum colour with enum size",
      "  thread w { assert RED == SMALL; }",
      "                    ^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX103",
    title: "an addr as a condition",
    source: ["model m;", "shared { addr p = null; }", "thread w { if (p) { skip; } }"],
    expected: [
      "t.fxp:3:16: error FX103: a condition must be a bool or a number, not an addr",
      "  thread w { if (p) { skip; } }",
      "                 ^",
    ],
  },
  {
    code: "FX103",
    title: "initialiser of the wrong type",
    source: ["model m;", "shared { bool b = 1; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:19: error FX103: cannot initialise bool 'b' with a number",
      "  shared { bool b = 1; }",
      "                    ^",
    ],
  },
  {
    code: "FX103",
    title: "list initialiser for a scalar",
    source: ["model m;", "shared { word x = {1, 2}; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX103: 'x' is not an array; give one initial value",
      "  shared { word x = {1, 2}; }",
      "           ^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX103",
    title: "percpu array",
    source: ["model m;", "percpu { word a[2]; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:17: error FX103: percpu variables are one per CPU already; arrays are not supported here",
      "  percpu { word a[2]; }",
      "                  ^",
    ],
  },
  {
    code: "FX103",
    title: "tid queue in user memory",
    source: ["model m;", "shared { tidqueue<2> q; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX103: tid sets and queues are kernel objects; declare them in `kernel` or `percpu`",
      "  shared { tidqueue<2> q; }",
      "           ^^^^^^^^^^^",
    ],
  },
  {
    code: "FX103",
    title: "call without a value",
    source: ["model m;", "shared { word x = 0; }", "proc f() { skip; }", "thread w { x = f(); }"],
    expected: [
      "t.fxp:4:16: error FX103: this call returns no value",
      "  thread w { x = f(); }",
      "                 ^^^",
    ],
  },
  {
    code: "FX103",
    title: "indexing a scalar",
    source: ["model m;", "shared { word x = 0; }", "thread w { x[0] = 1; }"],
    expected: [
      "t.fxp:3:12: error FX103: only array variables can be indexed",
      "  thread w { x[0] = 1; }",
      "             ^",
    ],
  },
  {
    code: "FX103",
    title: "routine used as a value",
    source: ["model m;", "shared { word x = 0; }", "proc f(): word { return 1; }", "thread w { x = f; }"],
    expected: [
      "t.fxp:4:16: error FX103: 'f' is a routine; call it with ()",
      "  thread w { x = f; }",
      "                 ^",
    ],
  },
  {
    code: "FX103",
    title: "address of an expression",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = xchg(&(x + 1), 2); }"],
    expected: [
      "t.fxp:3:21: error FX103: & takes a variable or an array element",
      "  thread w { x = xchg(&(x + 1), 2); }",
      "                      ^^^^^^^^",
    ],
  },
  {
    code: "FX103",
    title: "argument of the wrong type",
    source: ["model m;", "proc f(a: addr) { skip; }", "thread w { f(1); }"],
    expected: [
      "t.fxp:3:14: error FX103: argument 1 of f ('a') is addr, got a number",
      "  thread w { f(1); }",
      "               ^",
    ],
  },
  {
    code: "FX103",
    title: "builtin argument of the wrong type",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = xchg(x, 1); }"],
    expected: [
      "t.fxp:3:21: error FX103: the first argument of xchg is a location (&x or an addr), got a word",
      "  thread w { x = xchg(x, 1); }",
      "                      ^",
    ],
  },
  {
    code: "FX103",
    title: "pop on a set",
    source: ["model m;", "kernel { tidset s; }", "kthread k on cpu 0 { tid t; t = pop(s); }"],
    expected: [
      "t.fxp:3:37: error FX103: pop takes a tid queue (sets have no order)",
      "  kthread k on cpu 0 { tid t; t = pop(s); }",
      "                                      ^",
    ],
  },
  {
    code: "FX103",
    title: "choose where over a word",
    source: ["model m;", "thread w { word v; choose v where v > 1; }"],
    expected: [
      "t.fxp:2:27: error FX103: choose … where needs a variable of a small type (int A..B, bool, enum, tid) to range over; 'v' is word",
      "  thread w { word v; choose v where v > 1; }",
      "                            ^",
    ],
  },
  {
    code: "FX103",
    title: "return of the wrong type",
    source: ["model m;", "proc f(): bool { return 1; }", "thread w { bool b; b = f(); }"],
    expected: [
      "t.fxp:2:25: error FX103: cannot return a number from f (returns bool)",
      "  proc f(): bool { return 1; }",
      "                          ^",
    ],
  },
  {
    code: "FX103",
    title: "property of the wrong type",
    source: ["model m;", "shared { addr p = null; }", "thread w { skip; }", "invariant I: p;"],
    expected: [
      "t.fxp:4:14: error FX103: a property must be a bool, not an addr",
      "  invariant I: p;",
      "               ^",
    ],
  },
  {
    code: "FX104",
    title: "defined in terms of itself",
    source: ["model m;", "const A = B + 1;", "const B = A;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:7: error FX104: 'A' is defined in terms of itself",
      "  const A = B + 1;",
      "        ^",
    ],
  },
  {
    code: "FX104",
    title: "variable in a constant",
    source: ["model m;", "shared { word x = 0; }", "const C = x;", "thread w { skip; }"],
    expected: [
      "t.fxp:3:11: error FX104: 'x' is not a constant",
      "  const C = x;",
      "            ^",
    ],
  },
  {
    code: "FX104",
    title: "division by zero",
    source: ["model m;", "const C = 4 / (2 - 2);", "thread w { skip; }"],
    expected: [
      "t.fxp:2:11: error FX104: division by zero in a constant",
      "  const C = 4 / (2 - 2);",
      "            ^^^^^^^^^^^",
    ],
  },
  {
    code: "FX104",
    title: "not a constant expression",
    source: ["model m;", "thread w { word v = self; }"],
    expected: [
      "t.fxp:2:21: error FX104: expected a constant expression",
      "  thread w { word v = self; }",
      "                      ^^^^",
    ],
  },
  {
    code: "FX104",
    title: "NTHREADS in a thread count",
    source: ["model m;", "thread w[i in 0..NTHREADS] { skip; }"],
    expected: [
      "t.fxp:2:18: error FX104: NTHREADS cannot be used here: the number of threads depends on this value",
      "  thread w[i in 0..NTHREADS] { skip; }",
      "                   ^^^^^^^^",
    ],
  },
  {
    code: "FX104",
    title: "negative shift",
    source: ["model m;", "const C = 1 << -1;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:11: error FX104: negative shift count in a constant",
      "  const C = 1 << -1;",
      "            ^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "cpus out of range",
    source: ["model m;", "cpus 0;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:6: error FX105: cpus must be between 1 and 64, got 0",
      "  cpus 0;",
      "       ^",
    ],
  },
  {
    code: "FX105",
    title: "constant too large",
    source: ["model m;", "const C = 0x100000000 * 0x100000000;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:11: error FX105: constant 18446744073709551616 is too large",
      "  const C = 0x100000000 * 0x100000000;",
      "            ^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "number too large for a word",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = 0x100000000; }"],
    expected: [
      "t.fxp:3:16: error FX105: number 0x100000000 does not fit in 32 bits",
      "  thread w { x = 0x100000000; }",
      "                 ^^^^^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "empty int range",
    source: ["model m;", "shared { int 3..1 x; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX105: empty range 3..1",
      "  shared { int 3..1 x; }",
      "           ^^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "int bounds too wide",
    source: ["model m;", "shared { int 0..0x100000000 x; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX105: int bounds must lie within -2^31..2^32-1",
      "  shared { int 0..0x100000000 x; }",
      "           ^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "queue capacity",
    source: ["model m;", "kernel { tidqueue<0> q; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:19: error FX105: queue capacity must be between 1 and 64, got 0",
      "  kernel { tidqueue<0> q; }",
      "                    ^",
    ],
  },
  {
    code: "FX105",
    title: "array size",
    source: ["model m;", "shared { word a[0]; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:17: error FX105: array size must be between 1 and 4096, got 0",
      "  shared { word a[0]; }",
      "                  ^",
    ],
  },
  {
    code: "FX105",
    title: "initialiser count",
    source: ["model m;", "shared { word a[3] = {1, 2}; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX105: 'a' has 3 elements but 2 initial values",
      "  shared { word a[3] = {1, 2}; }",
      "           ^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX105",
    title: "initial value out of range",
    source: ["model m;", "shared { int 0..3 x = 4; }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:23: error FX105: initial value 4 is outside int 0..3",
      "  shared { int 0..3 x = 4; }",
      "                        ^",
    ],
  },
  {
    code: "FX105",
    title: "thread count",
    source: ["model m;", "thread w[i in 1..0] { skip; }"],
    expected: [
      "t.fxp:2:18: error FX105: a thread template has 1 to 64 threads, 1..0 gives 0",
      "  thread w[i in 1..0] { skip; }",
      "                   ^",
    ],
  },
  {
    code: "FX105",
    title: "quantifier range",
    source: ["model m;", "thread w { skip; }", "invariant I: forall k in 0..5000: k >= 0;"],
    expected: [
      "t.fxp:3:26: error FX105: quantifier range 0..5000 is too large",
      "  invariant I: forall k in 0..5000: k >= 0;",
      "                           ^^^^^^^",
    ],
  },
  {
    code: "FX106",
    title: "user code reads kernel state",
    source: ["model m;", "kernel { word k = 0; }", "thread w { word v; v = k; }"],
    expected: [
      "t.fxp:3:24: error FX106: user code cannot touch kernel state 'k'; it reaches the kernel only through syscalls",
      "  thread w { word v; v = k; }",
      "                         ^",
    ],
  },
  {
    code: "FX106",
    title: "user atomic on a local",
    source: ["model m;", "thread w { word v; word old; old = xchg(&v, 1); }"],
    expected: [
      "t.fxp:2:41: error FX106: xchg in user code works on user memory (a shared variable)",
      "  thread w { word v; word old; old = xchg(&v, 1); }",
      "                                          ^^",
    ],
  },
  {
    code: "FX107",
    title: "kernel code names user memory",
    source: ["model m;", "shared { word x = 0; }", "kthread k on cpu 0 { x = 1; }"],
    expected: [
      "t.fxp:3:22: error FX107: kernel code reaches user memory 'x' only through get_user(&x), put_user or an atomic on &x",
      "  kthread k on cpu 0 { x = 1; }",
      "                       ^",
    ],
  },
  {
    code: "FX107",
    title: "kernel code dereferences",
    source: ["model m;", "shared { addr p = null; }", "syscall s(a: addr): word { return *a; }", "thread w { word v; v = s(p); }"],
    expected: [
      "t.fxp:3:35: error FX107: kernel code reads user memory with get_user(a), not *a",
      "  syscall s(a: addr): word { return *a; }",
      "                                    ^^",
    ],
  },
  {
    code: "FX108",
    title: "this_cpu in user code",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = this_cpu; }"],
    expected: [
      "t.fxp:3:16: error FX108: `this_cpu` is only defined in kernel code",
      "  thread w { x = this_cpu; }",
      "                 ^^^^^^^^",
    ],
  },
  {
    code: "FX108",
    title: "self in a property",
    source: ["model m;", "thread w { skip; }", "invariant I: self == 0;"],
    expected: [
      "t.fxp:3:14: error FX108: `self` is only defined in code; properties quantify over threads instead",
      "  invariant I: self == 0;",
      "               ^^^^",
    ],
  },
  {
    code: "FX109",
    title: "await not first in atomic",
    source: ["model m;", "shared { word x = 0; }", "thread w { atomic { x = 1; await x == 1; } }"],
    expected: [
      "t.fxp:3:28: error FX109: `await` inside `atomic` must be its first statement",
      "  thread w { atomic { x = 1; await x == 1; } }",
      "                             ^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX109",
    title: "blocking call in atomic",
    source: ["model m;", "proc f() { atomic { g(); } }", "proc g() { h(); }", "proc h() { await true; }", "thread w { f(); }"],
    expected: [
      "t.fxp:2:21: error FX109: g may block (await); it cannot be called inside atomic",
      "  proc f() { atomic { g(); } }",
      "                      ^^^",
    ],
  },
  {
    code: "FX110",
    title: "label used twice",
    source: ["model m;", "thread w {", "  L: skip;", "  L: skip;", "}"],
    expected: [
      "t.fxp:4:3: error FX110: label 'L' is already used in w at line 3",
      "    L: skip;",
      "    ^",
    ],
  },
  {
    code: "FX111",
    title: "goto to a missing label",
    source: ["model m;", "thread w { goto done; }"],
    expected: [
      "t.fxp:2:17: error FX111: no label 'done' in w",
      "  thread w { goto done; }",
      "                  ^^^^",
    ],
  },
  {
    code: "FX111",
    title: "at() of a missing label",
    source: ["model m;", "thread w { cs: skip; }", "reachable R: at(0, crit);"],
    expected: [
      "t.fxp:3:20: error FX111: no label 'crit' in the model",
      "  reachable R: at(0, crit);",
      "                     ^^^^",
    ],
  },
  {
    code: "FX112",
    title: "routine arity",
    source: ["model m;", "proc f(a: word) { skip; }", "thread w { f(); }"],
    expected: [
      "t.fxp:3:12: error FX112: f takes 1 argument, got 0",
      "  thread w { f(); }",
      "             ^^^",
    ],
  },
  {
    code: "FX112",
    title: "builtin arity",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = cmpxchg(&x, 1); }"],
    expected: [
      "t.fxp:3:16: error FX112: cmpxchg takes 3 arguments, got 2",
      "  thread w { x = cmpxchg(&x, 1); }",
      "                 ^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX113",
    title: "effectful builtin in an expression",
    source: ["model m;", "shared { word x = 0; }", "thread w { x = fetch_add(&x, 1) + 1; }"],
    expected: [
      "t.fxp:3:16: error FX113: fetch_add() changes state: it can only stand alone or as 'x = fetch_add(…)'",
      "  thread w { x = fetch_add(&x, 1) + 1; }",
      "                 ^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX113",
    title: "routine call in a condition",
    source: ["model m;", "proc f(): bool { return true; }", "thread w { if (f()) { skip; } }"],
    expected: [
      "t.fxp:3:16: error FX113: a call to f changes state: it can only stand alone or as 'x = f(…)'",
      "  thread w { if (f()) { skip; } }",
      "                 ^^^",
    ],
  },
  {
    code: "FX114",
    title: "recursion",
    source: ["model m;", "proc f() { g(); }", "proc g() { f(); }", "thread w { f(); }"],
    expected: [
      "t.fxp:2:10: error FX114: recursion is not supported (calls are inlined): f → g → f",
      "  proc f() { g(); }",
      "           ^^^^^^^^",
    ],
  },
  {
    code: "FX115",
    title: "choose on a global",
    source: ["model m;", "shared { word x = 0; }", "thread w { choose x in 0..1; }"],
    expected: [
      "t.fxp:3:19: error FX115: choose needs a local variable; 'x' is not one of w",
      "  thread w { choose x in 0..1; }",
      "                    ^",
    ],
  },
  {
    code: "FX115",
    title: "assigning a constant",
    source: ["model m;", "const C = 1;", "thread w { C = 2; }"],
    expected: [
      "t.fxp:3:12: error FX115: this is not a variable and cannot be assigned",
      "  thread w { C = 2; }",
      "             ^",
    ],
  },
  {
    code: "FX115",
    title: "assigning a whole array",
    source: ["model m;", "shared { word a[2]; }", "thread w { a = 0; }"],
    expected: [
      "t.fxp:3:12: error FX115: 'a' is an array; assign its elements",
      "  thread w { a = 0; }",
      "             ^",
    ],
  },
  {
    code: "FX115",
    title: "assigning a queue",
    source: ["model m;", "kernel { tidqueue<2> q; tidqueue<2> r; }", "kthread k on cpu 0 { q = r; }"],
    expected: [
      "t.fxp:3:22: error FX115: tid sets and queues change through push, pop and remove",
      "  kthread k on cpu 0 { q = r; }",
      "                       ^",
    ],
  },
  {
    code: "FX115",
    title: "assigning a number",
    source: ["model m;", "thread w { 1 = 2; }"],
    expected: [
      "t.fxp:2:12: error FX115: this expression cannot be assigned",
      "  thread w { 1 = 2; }",
      "             ^",
    ],
  },
  {
    code: "FX116",
    title: "break outside a loop",
    source: ["model m;", "thread w { break; }"],
    expected: [
      "t.fxp:2:12: error FX116: `break` outside a loop",
      "  thread w { break; }",
      "             ^^^^^^",
    ],
  },
  {
    code: "FX116",
    title: "continue outside a loop",
    source: ["model m;", "thread w { if (true) { continue; } }"],
    expected: [
      "t.fxp:2:24: error FX116: `continue` outside a loop",
      "  thread w { if (true) { continue; } }",
      "                         ^^^^^^^^^",
    ],
  },
  {
    code: "FX117",
    title: "return without a value",
    source: ["model m;", "proc f(): word { return; }", "thread w { word r; r = f(); }"],
    expected: [
      "t.fxp:2:18: error FX117: f must return word",
      "  proc f(): word { return; }",
      "                   ^^^^^^^",
    ],
  },
  {
    code: "FX117",
    title: "return with a value",
    source: ["model m;", "proc f() { return 1; }", "thread w { f(); }"],
    expected: [
      "t.fxp:2:19: error FX117: f returns no value",
      "  proc f() { return 1; }",
      "                    ^",
    ],
  },
  {
    code: "FX118",
    title: "no model declaration",
    source: ["thread w { skip; }"],
    expected: [
      "t.fxp:1:1: error FX118: missing `model NAME;` declaration",
      "  thread w { skip; }",
      "  ^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX118",
    title: "no threads",
    source: ["model m;", "shared { word x = 0; }"],
    expected: [
      "t.fxp:1:1: error FX118: the model has no threads (`thread` or `kthread`)",
      "  model m;",
      "  ^",
    ],
  },
  {
    code: "FX119",
    title: "user code calls a kproc",
    source: ["model m;", "kproc k() { skip; }", "thread w { k(); }"],
    expected: [
      "t.fxp:3:12: error FX119: user code cannot call the kernel function k; only syscalls enter the kernel",
      "  thread w { k(); }",
      "             ^",
    ],
  },
  {
    code: "FX119",
    title: "kernel code calls a proc",
    source: ["model m;", "proc p() { skip; }", "syscall s() { p(); }", "thread w { s(); }"],
    expected: [
      "t.fxp:3:15: error FX119: kernel code cannot call the user procedure p",
      "  syscall s() { p(); }",
      "                ^",
    ],
  },
  {
    code: "FX119",
    title: "user code calls a kernel builtin",
    source: ["model m;", "shared { word x = 0; }", "thread w { word v; v = get_user(&x); }"],
    expected: [
      "t.fxp:3:24: error FX119: get_user() is kernel code; user code cannot call it",
      "  thread w { word v; v = get_user(&x); }",
      "                         ^^^^^^^^",
    ],
  },
  {
    code: "FX120",
    title: "killable kthread",
    source: ["model m;", "kthread k on cpu 0 killable { skip; }"],
    expected: [
      "t.fxp:2:20: error FX120: kernel threads cannot be killed",
      "  kthread k on cpu 0 killable { skip; }",
      "                     ^^^^^^^^",
    ],
  },
  {
    code: "FX120",
    title: "kthread with a handler",
    source: ["model m;", "handler h { skip; }", "kthread k per cpu handler h { skip; }"],
    expected: [
      "t.fxp:3:19: error FX120: kernel threads cannot be signalled",
      "  kthread k per cpu handler h { skip; }",
      "                    ^^^^^^^^^",
    ],
  },
  {
    code: "FX121",
    title: "two model declarations",
    source: ["model m;", "model n;", "thread w { skip; }"],
    expected: [
      "t.fxp:2:1: error FX121: a file has one `model` declaration",
      "  model n;",
      "  ^^^^^^^^",
    ],
  },
  {
    code: "FX121",
    title: "two cpus declarations",
    source: ["model m;", "cpus 2;", "cpus 4;", "thread w { skip; }"],
    expected: [
      "t.fxp:3:1: error FX121: `cpus` is declared more than once",
      "  cpus 4;",
      "  ^^^^^^^",
    ],
  },
  {
    code: "FX121",
    title: "two exit paths",
    source: ["model m;", "on exit { skip; }", "on exit { skip; }", "thread w { skip; }"],
    expected: [
      "t.fxp:3:1: error FX121: `on exit` is declared more than once",
      "  on exit { skip; }",
      "  ^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX122",
    title: "nopreempt in user code",
    source: ["model m;", "thread w { nopreempt { skip; } }"],
    expected: [
      "t.fxp:2:12: error FX122: `nopreempt` is kernel code; user code cannot disable preemption",
      "  thread w { nopreempt { skip; } }",
      "             ^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX122",
    title: "interruptible await in user code",
    source: ["model m;", "shared { word x = 0; }", "thread w { atomic { await interruptible x == 1; x = 0; } }"],
    expected: [
      "t.fxp:3:21: error FX122: only kernel code sleeps interruptibly; user code uses plain `await`",
      "  thread w { atomic { await interruptible x == 1; x = 0; } }",
      "                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX123",
    title: "unknown --set",
    source: ["model m;", "param N = 2;", "thread w { skip; }"],
    overrides: [["M", 3]],
    expected: [
      "t.fxp:1:1: error FX123: --set M: the model has no param 'M' (params: N)",
      "  model m;",
      "  ^",
    ],
  },
  {
    code: "FX124",
    title: "thread on a missing cpu",
    source: ["model m;", "cpus 2;", "thread w[i in 0..2] on cpu i { skip; }"],
    expected: [
      "t.fxp:3:28: error FX124: thread w[2] is placed on cpu 2, but the model has 2 (cpus 0..1)",
      "  thread w[i in 0..2] on cpu i { skip; }",
      "                             ^",
    ],
  },
  {
    code: "FX126",
    title: "property calls a routine",
    source: ["model m;", "proc f(): bool { return true; }", "thread w { skip; }", "invariant I: f();"],
    expected: [
      "t.fxp:4:14: error FX126: properties cannot call routines",
      "  invariant I: f();",
      "               ^^^",
    ],
  },
  {
    code: "FX126",
    title: "property calls code",
    source: ["model m;", "thread w { skip; }", "invariant I: signal_pending();"],
    expected: [
      "t.fxp:3:14: error FX126: signal_pending() is code, not something a property can observe",
      "  invariant I: signal_pending();",
      "               ^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX126",
    title: "code calls at()",
    source: ["model m;", "thread w { L: assert at(0, L); }"],
    expected: [
      "t.fxp:2:22: error FX126: at() is for properties only",
      "  thread w { L: assert at(0, L); }",
      "                       ^^^^^^^^",
    ],
  },
  {
    code: "FX130",
    title: "a source reference to a project the file does not follow",
    source: ["model m;", "follows glibc \"2.41\";", "thread w { @linux \"kernel/futex/core.c:1\" skip; }"],
    expected: [
      "t.fxp:3:13: error FX130: no `follows linux \"VERSION\";` in this file: say which version of linux it follows",
      "  thread w { @linux \"kernel/futex/core.c:1\" skip; }",
      "              ^^^^^",
    ],
  },
  {
    code: "FX130",
    title: "a source location that is not path:line",
    source: ["model m;", "follows glibc \"2.41\";", "@glibc \"nptl/pthread_mutex_lock.c\"", "thread w { skip; }"],
    expected: [
      "t.fxp:3:1: error FX130: a source location is \"path:line\" or \"path:line-line\", not \"nptl/pthread_mutex_lock.c\"",
      "  @glibc \"nptl/pthread_mutex_lock.c\"",
      "  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX130",
    title: "a project followed twice",
    source: ["model m;", "follows glibc \"2.41\";", "follows glibc \"2.24\";", "thread w { skip; }"],
    expected: [
      "t.fxp:3:1: error FX130: this file already says which version of glibc it follows",
      "  follows glibc \"2.24\";",
      "  ^^^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX131",
    title: "an unknown named version",
    source: ["model m;", "enum K { OLD = \"4.19\", NEW = \"6.2\" }", "param KVER: K = NEW;", "thread w { skip; }"],
    overrides: [["KVER", "5.5"]],
    expected: [
      "t.fxp:3:1: error FX131: --set KVER=5.5: not a value of enum K (4.19 (OLD), 6.2 (NEW))",
      "  param KVER: K = NEW;",
      "  ^^^^^^^^^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX131",
    title: "a named version for a number param",
    source: ["model m;", "param N = 2;", "thread w { skip; }"],
    overrides: [["N", "two"]],
    expected: [
      "t.fxp:2:1: error FX131: --set N needs a whole number, got 'two'",
      "  param N = 2;",
      "  ^^^^^^^^^^^^",
    ],
  },
  {
    code: "FX131",
    title: "a param's type is not an enum",
    source: ["model m;", "const X = 1;", "param N: X = 2;", "thread w { skip; }"],
    expected: [
      "t.fxp:3:10: error FX131: the type of a param is an enum; 'X' is not an enum of this model",
      "  param N: X = 2;",
      "           ^",
    ],
  },
  {
    code: "FX131",
    title: "an enum param's default of another type",
    source: ["model m;", "enum K { OLD, NEW }", "param KVER: K = 1;", "thread w { skip; }"],
    expected: [
      "t.fxp:3:17: error FX131: the default of KVER must be a member of enum K",
      "  param KVER: K = 1;",
      "                  ^",
    ],
  },
  {
    code: "FX131",
    title: "a label given twice",
    source: ["model m;", "enum K { OLD = \"4.19\", NEW = \"4.19\" }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:24: error FX131: the label \"4.19\" is already the label of OLD",
      "  enum K { OLD = \"4.19\", NEW = \"4.19\" }",
      "                         ^^^",
    ],
  },
  {
    code: "FX131",
    title: "a label a sweep would misread",
    source: ["model m;", "enum K { OLD = \"4..19\" }", "thread w { skip; }"],
    expected: [
      "t.fxp:2:10: error FX131: the label \"4..19\" of OLD must be non-empty, without spaces, ',' or '..'",
      "  enum K { OLD = \"4..19\" }",
      "           ^^^",
    ],
  },
];

describe("one golden diagnostic per error", () => {
  for (const c of cases) {
    it(`${c.code}: ${c.title}`, () => {
      expect(errorsOf(c.source, c.overrides)).toBe(c.expected.join("\n"));
    });
  }
});

describe("errors that need more than a small source", () => {
  it("FX005: a file larger than the limit (the loader does not read it)", () => {
    const dir = folder();
    const file = join(dir, "big.fxp");
    writeFileSync(file, "model m;\n" + " ".repeat(MAX_SOURCE_BYTES));
    const loaded = loadModel(file);
    expect(loaded.model).toBeNull();
    expect(rendered(loaded.diagnostics, loaded.sources, dir)).toBe(
      "big.fxp:1:1: error FX005: file is larger than 1048576 bytes",
    );
  });

  it("FX005: a text larger than the limit given to the parser", () => {
    const text = "model m;\n" + " ".repeat(MAX_SOURCE_BYTES);
    const parsed = parse(text, "t.fxp");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(rendered(parsed.diagnostics, new Map([["t.fxp", text]]))).toBe(
      ["t.fxp:1:1: error FX005: file is larger than 1048576 bytes", "  model m;", "  ^"].join("\n"),
    );
  });

  it("FX006: nesting too deep for the parser", () => {
    const depth = 30_000;
    const text = `model m;\nshared { word x = 0; }\nthread w {\n  x = ${"(".repeat(depth)}1${")".repeat(depth)};\n}\n`;
    const parsed = parse(text, "t.fxp");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // reported at the start of the declaration that holds the nesting
    expect(rendered(parsed.diagnostics, new Map([["t.fxp", text]]))).toBe(
      ["t.fxp:3:1: error FX006: expression or block nested too deeply", "  thread w {", "  ^^^^^^"].join("\n"),
    );
  });

  it("FX006: nesting that the parser accepts but that is too deep for the checks", () => {
    const text = "model m;\nshared { word x = 0; }\nthread w { x = 1; }\n";
    const parsed = parse(text, "t.fxp");
    if (!parsed.ok) throw new Error("does not parse");
    // Build `x = - - - … 1` directly: a tree deeper than any stack, without the parser's own limit.
    const thread = parsed.program.decls[2];
    if (thread.kind !== "thread" || thread.body.stmts[0].kind !== "assign") throw new Error("unexpected tree");
    const assign = thread.body.stmts[0];
    let value: Expr = assign.value;
    for (let i = 0; i < 200_000; i++) value = { kind: "unary", op: "-", operand: value, span: assign.value.span };
    assign.value = value;
    const checked = check(parsed.program);
    expect(checked.model).toBeNull();
    expect(rendered(checked.diagnostics, new Map([["t.fxp", text]]))).toBe(
      ["t.fxp:1:1: error FX006: expression or block nested too deeply", "  model m;", "  ^"].join("\n"),
    );
  });

  it("FX007: a model file that does not exist", () => {
    const dir = folder();
    const loaded = loadModel(join(dir, "missing.fxp"));
    expect(loaded.model).toBeNull();
    expect(rendered(loaded.diagnostics, loaded.sources, dir)).toBe(
      "missing.fxp:1:1: error FX007: cannot read missing.fxp: no such file",
    );
  });

  it("FX007: an import that cannot be read", () => {
    const dir = folder();
    mkdirSync(join(dir, "lib.fxp")); // a folder where the import expects a file
    writeFileSync(join(dir, "t.fxp"), 'model m;\nimport "lib";\nthread w { skip; }\n');
    const loaded = loadModel(join(dir, "t.fxp"));
    expect(loaded.model).toBeNull();
    expect(rendered(loaded.diagnostics, loaded.sources, dir)).toBe(
      [
        "t.fxp:2:1: error FX007: cannot read lib.fxp: EISDIR: illegal operation on a directory, read",
        '  import "lib";',
        "  ^^^^^^^^^^^^^",
      ].join("\n"),
    );
  });

  it("reports an error in an imported file at its own file and line", () => {
    const dir = folder();
    writeFileSync(join(dir, "lib.fxp"), "// a library\nkproc helper() { x = 1; }\n");
    writeFileSync(join(dir, "t.fxp"), 'model m;\nimport "lib";\nthread w { skip; }\n');
    const loaded = loadModel(join(dir, "t.fxp"));
    expect(rendered(loaded.diagnostics, loaded.sources, dir)).toBe(
      ["lib.fxp:2:18: error FX101: unknown name 'x'", "  kproc helper() { x = 1; }", "                   ^"].join("\n"),
    );
  });
});

describe("errors of an option applied to a model", () => {
  it("FX127: --symmetry where the model tells interchangeable threads apart", () => {
    const dir = folder();
    const file = join(dir, "t.fxp");
    writeFileSync(
      file,
      [
        "model m;",
        "shared { bool go = false; }",
        "thread w[i in 0..1] { cs: skip; go = true; }",
        "invariant I: at(1, cs) => go;",
      ].join("\n") + "\n",
    );
    const loaded = loadModel(file);
    const compiled = compile(loaded.model!, { kills: 0, signals: 0 }, loaded.sources);
    expect(rendered(analyseSymmetry(compiled).diagnostics, loaded.sources, dir)).toBe(
      [
        "t.fxp:4:17: error FX127: --symmetry: this names thread 1 (w[1]) by its number, which tells it apart from w[0]; quantify over threads instead",
        "  invariant I: at(1, cs) => go;",
        "                  ^",
      ].join("\n"),
    );
  });
});

describe("every error of a file in one run", () => {
  it("reports independent semantic errors together, sorted by position", () => {
    const source = [
      "model m;",
      "shared { word x = 0; }",
      "kernel { word k = 0; }",
      "thread w {",
      "  x = true;",
      "  x = k;",
      "  goto nowhere;",
      "}",
      "invariant I: self == 0;",
    ];
    expect(errorsOf(source)).toBe(
      [
        "t.fxp:5:7: error FX103: cannot assign a bool to word",
        "    x = true;",
        "        ^^^^",
        "t.fxp:6:7: error FX106: user code cannot touch kernel state 'k'; it reaches the kernel only through syscalls",
        "    x = k;",
        "        ^",
        "t.fxp:7:8: error FX111: no label 'nowhere' in w",
        "    goto nowhere;",
        "         ^^^^^^^",
        "t.fxp:9:14: error FX108: `self` is only defined in code; properties quantify over threads instead",
        "  invariant I: self == 0;",
        "               ^^^^",
      ].join("\n"),
    );
  });

  it("sorts errors found in different passes by position", () => {
    // The thread is checked after the constants and globals, but its error comes first in the file.
    const source = ["model m;", "thread w { y = 1; }", "shared { word a[0]; }", "const C = 1 / 0;"];
    const text = errorsOf(source);
    expect(text.split("\n").filter((l) => l.startsWith("t.fxp:"))).toEqual([
      "t.fxp:2:12: error FX101: unknown name 'y'",
      "t.fxp:3:17: error FX105: array size must be between 1 and 4096, got 0",
      "t.fxp:4:11: error FX104: division by zero in a constant",
    ]);
  });

  it("reports a syntax error in each declaration", () => {
    const source = ["model m", "shared { word x = 0; }", "thread w { x = ; }", "thread v { x = 1 }"];
    expect(
      errorsOf(source)
        .split("\n")
        .filter((l) => l.startsWith("t.fxp:")),
    ).toEqual([
      "t.fxp:2:1: error FX002: unexpected 'shared'; expected ';'",
      "t.fxp:3:16: error FX002: unexpected ';'; expected one of '!', '&', '(', '*', '-', 'exists', 'exit', 'false', 'forall', 'null', 'self', 'this_cpu', 'tid', 'true', '~', a name, a number",
      "t.fxp:4:18: error FX002: unexpected '}'; expected one of '!=', '%', '&&', '&', '*', '+', '-', '/', ';', '<', '<<', '<=', '==', '=>', '>', '>=', '>>', '[', '^', 'in', '|', '||'",
    ]);
  });
});

describe("codes, tests and docs in step", () => {
  const here = new URL(".", import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, here), "utf8");
  const emitted = new Set<string>();
  // Every module of the front end (the generated parser aside), and the symmetry analysis.
  const frontEnd = (readdirSync(new URL("../../grammar", here), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && f !== "futexcheck.ts")
    .map((f) => `grammar/${f}`);
  for (const file of [...frontEnd, "checker/symmetry.ts"]) {
    for (const m of read(`../../${file}`).matchAll(/"(FX\d{3})"/g)) emitted.add(m[1]);
  }
  // FX004 reports an ambiguous grammar, an internal error that no model can trigger while the grammar is
  // unambiguous (parse.test.ts checks that every construct has exactly one parse).
  const untriggerable = new Set(["FX004"]);
  const tested = new Set([...cases.map((c) => c.code), "FX005", "FX006", "FX007", "FX127"]);

  it("has a golden test for every code that can be emitted", () => {
    expect([...emitted].filter((c) => !untriggerable.has(c) && !tested.has(c)).sort()).toEqual([]);
    expect([...tested].filter((c) => !emitted.has(c)).sort()).toEqual([]);
  });

  it("documents every code in docs/errors.md, and no other", () => {
    const documented = new Set([...read("../../docs/errors.md").matchAll(/^\| (FX\d{3}) \|/gm)].map((m) => m[1]));
    expect([...emitted].sort()).toEqual([...documented].sort());
  });
});
