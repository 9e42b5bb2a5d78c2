// The semantic checks on valid models: what the CheckedModel holds (threads, params, constants, globals,
// locals, labels), and which type and side rules accept or reject a model. The exact text of every error
// message is in errors.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Expr } from "../../grammar/ast.js";
import { check } from "../../grammar/check.js";
import { render } from "../../grammar/diagnostics.js";
import { libraryDir, loadModel } from "../../grammar/load.js";
import type { BodyInfo, CheckedModel, GlobalVar } from "../../grammar/model.js";
import { parse } from "../../grammar/parse.js";

const FILE = "t.fxp";

function lines(...src: string[]): string {
  return src.join("\n") + "\n";
}

function run(src: string, overrides?: [string, number | string][]) {
  const parsed = parse(src, FILE);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return check(parsed.program, { overrides: overrides ? new Map(overrides) : undefined });
}

/** The checked model of `src`; fails the test with the rendered diagnostics if it has errors. */
function model(src: string, overrides?: [string, number | string][]): CheckedModel {
  const result = run(src, overrides);
  const sources = new Map([[FILE, src]]);
  if (result.model === null) throw new Error(result.diagnostics.map((d) => render(d, sources)).join("\n"));
  expect(result.diagnostics).toEqual([]);
  return result.model;
}

/** The codes of the errors of `src`, in the order reported; [] when it is accepted. */
function codes(src: string, overrides?: [string, number][]): string[] {
  const result = run(src, overrides);
  if (result.diagnostics.length === 0) expect(result.model).not.toBeNull();
  else expect(result.model).toBeNull();
  return result.diagnostics.map((d) => d.code);
}

/** Accepted or rejected code in one user thread, with a few declarations around it. */
function userCode(body: string, decls = ""): string[] {
  return codes(
    lines("model m;", "const M = 3;", "shared { word x = 0; addr p = null; }", decls, `thread w { ${body} }`),
  );
}

/** The same in kernel code: a kernel thread on CPU 0. */
function kernelCode(body: string, decls = ""): string[] {
  return codes(lines("model m;", "shared { word x = 0; addr p = null; }", decls, `kthread k on cpu 0 { ${body} }`));
}

function global(m: CheckedModel, name: string): GlobalVar {
  const g = m.globals.find((v) => v.name === name);
  if (g === undefined) throw new Error(`no global ${name}`);
  return g;
}

function body(m: CheckedModel, name: string): BodyInfo {
  const b = m.bodies.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no body ${name}`);
  return b;
}

/** Every `name` expression called `name` under `node`, in source order. */
function namesIn(node: unknown, name: string): Expr[] {
  const out: Expr[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === "object") {
      const e = x as { kind?: string; name?: unknown };
      if (e.kind === "name" && e.name === name) out.push(x as Expr);
      for (const [key, value] of Object.entries(x)) if (key !== "span") walk(value);
    }
  };
  walk(node);
  return out;
}

describe("thread layout", () => {
  const src = lines(
    "model layout;",
    "param N = 3;",
    "cpus 3;",
    "kernel { word slots[NTHREADS]; }",
    "kthread k per cpu { skip; }",
    "thread w[i in 0..N-1] on cpu i { skip; }",
    "thread main on cpu 2 { skip; }",
    "kthread solo on cpu 1 { skip; }",
  );

  it("lays out user threads in declaration order, then kernel threads", () => {
    const m = model(src);
    expect(m.threads.map((t) => [t.index, t.name, t.cpu, t.local])).toEqual([
      [0, "w[0]", 0, 0],
      [1, "w[1]", 1, 1],
      [2, "w[2]", 2, 2],
      [3, "main", 2, 0],
      [4, "k/0", 0, 0],
      [5, "k/1", 1, 1],
      [6, "k/2", 2, 2],
      [7, "solo", 1, 0],
    ]);
    expect(m.cpus).toBe(3);
  });

  it("describes each template", () => {
    const m = model(src);
    expect(m.templates.map((t) => [t.kind, t.name, t.first, t.count, t.indexLo, t.cpuOf])).toEqual([
      ["thread", "w", 0, 3, 0, [0, 1, 2]],
      ["thread", "main", 3, 1, 0, [2]],
      ["kthread", "k", 4, 3, 0, [0, 1, 2]],
      ["kthread", "solo", 7, 1, 0, [1]],
    ]);
    for (const t of m.threads) expect(m.templates).toContain(t.template);
    expect(body(m, "w").side).toBe("user");
    expect(body(m, "k").side).toBe("kernel");
  });

  it("counts every thread, kernel threads included, in NTHREADS", () => {
    expect(global(model(src), "slots").size).toBe(8);
    const m = model(
      lines(
        "model m;",
        "cpus 2;",
        "thread w[i in 0..1] { int 0..NTHREADS n; n = NTHREADS; }",
        "kthread k per cpu { skip; }",
      ),
    );
    const uses = namesIn(body(m, "w").block, "NTHREADS"); // in the type of n, then in the assignment
    expect(uses).toHaveLength(2);
    expect(m.resolutions.get(uses[1])).toEqual({
      kind: "const",
      value: 4,
      type: { kind: "num", word: false, tid: false },
    });
    expect(body(m, "w").locals[0].type).toEqual({ kind: "int", lo: 0, hi: 4 });
  });

  it("names threads by the value of the index variable", () => {
    const m = model(
      lines("model m;", "cpus 4;", "thread w[j in 1..2] on cpu j + 1 { skip; }", "thread one[k in 0..0] { skip; }"),
    );
    expect(m.threads.map((t) => [t.name, t.cpu])).toEqual([
      ["w[1]", 2],
      ["w[2]", 3],
      ["one[0]", 0],
    ]);
    expect(m.templates[0].indexLo).toBe(1);
  });

  it("resolves the index variable in the thread body", () => {
    const m = model(lines("model m;", "shared { word a[2]; }", "thread w[i in 0..1] { a[i] = 1; }"));
    const [i] = namesIn(body(m, "w").block, "i");
    expect(m.resolutions.get(i)).toEqual({ kind: "thread_index", template: m.templates[0] });
  });

  it("defaults to one CPU and puts threads on CPU 0", () => {
    const m = model(lines("model m;", "thread a { skip; }", "thread b { skip; }", "kthread k per cpu { skip; }"));
    expect(m.cpus).toBe(1);
    expect(m.threads.map((t) => [t.name, t.cpu])).toEqual([
      ["a", 0],
      ["b", 0],
      ["k", 0],
    ]);
  });

  it("records the thread attributes", () => {
    const m = model(
      lines(
        "model m;",
        "handler h { skip; }",
        "thread w killable handler h fair { skip; }",
        "thread v { skip; }",
        "fairness weak;",
      ),
    );
    const [w, v] = m.templates;
    expect([w.killable, w.fair, w.handler?.name, w.handler?.kind]).toEqual([true, true, "h", "handler"]);
    expect([v.killable, v.fair, v.handler]).toEqual([false, false, null]);
    expect(m.fairAll).toBe(true);
    expect(model(lines("model m;", "thread w { skip; }")).fairAll).toBe(false);
  });
});

describe("params and constants", () => {
  const src = lines("model m;", "param N = 2;", "param K = N + 1;", "thread w[i in 0..N-1] { skip; }");

  it("uses a param's default", () => {
    const m = model(src);
    expect([...m.params]).toEqual([
      ["N", 2],
      ["K", 3],
    ]);
    expect(m.threads).toHaveLength(2);
  });

  it("replaces a param by an override, and what depends on it", () => {
    const m = model(src, [["N", 3]]);
    expect([...m.params]).toEqual([
      ["N", 3],
      ["K", 4],
    ]);
    expect(m.threads.map((t) => t.name)).toEqual(["w[0]", "w[1]", "w[2]"]);
  });

  it("rejects an override of a const or of an unknown name", () => {
    const consts = lines("model m;", "param N = 2;", "const C = 1;", "thread w { skip; }");
    expect(codes(consts, [["C", 3]])).toEqual(["FX123"]);
    expect(codes(consts, [["Q", 3]])).toEqual(["FX123"]);
  });

  it("evaluates hex numbers and constant expressions", () => {
    const m = model(
      lines(
        "model m;",
        "const FUTEX_WAITERS = 0x80000000;",
        "const TID_MASK = 0x3fffffff;",
        "const BOTH = FUTEX_WAITERS | TID_MASK;",
        "const NOT_WAITERS = ~FUTEX_WAITERS;",
        "const SHIFTED = (1 << 4) + 3 * 2 - 10 / 3 % 2;",
        "const CMP = (2 < 3) && (4 != 4 || 1 >= 1);",
        "const NEG = -(7 >> 1);",
        "enum colour { RED, GREEN, BLUE }",
        "const AFTER_GREEN = GREEN + 1;",
        "shared { word a[8] = {FUTEX_WAITERS, TID_MASK, BOTH, NOT_WAITERS, SHIFTED, CMP, AFTER_GREEN, 0x10}; int -3..0 n = NEG; }",
        "thread w { skip; }",
      ),
    );
    expect(global(m, "a").init).toEqual([0x80000000, 0x3fffffff, 0xbfffffff, 0x7fffffff, 21, 1, 2, 16]);
    expect(global(m, "n").init).toEqual([-3]);
  });

  it("types a constant above 2^31-1 as a word where code uses it", () => {
    const m = model(
      lines(
        "model m;",
        "const W = 0x80000000;",
        "const S = 5;",
        "shared { word x = 0; }",
        "thread w { x = W; x = S; }",
      ),
    );
    const [w] = namesIn(body(m, "w").block, "W");
    const [s] = namesIn(body(m, "w").block, "S");
    expect(m.resolutions.get(w)).toEqual({
      kind: "const",
      value: 0x80000000,
      type: { kind: "num", word: true, tid: false },
    });
    expect(m.types.get(w)).toEqual({ kind: "num", word: true, tid: false });
    expect(m.constValues.get(s)).toBe(5);
  });

  it("evaluates constants in any order", () => {
    const m = model(
      lines(
        "model m;",
        "const A = B * 2;",
        "const B = C + 1;",
        "const C = 1;",
        "shared { word x = A; }",
        "thread w { skip; }",
      ),
    );
    expect(global(m, "x").init).toEqual([4]);
  });

  it("sizes with cpus given by a param", () => {
    const m = model(lines("model m;", "param C = 2;", "cpus C;", "kthread k per cpu { skip; }"), [["C", 4]]);
    expect(m.cpus).toBe(4);
    expect(m.threads.map((t) => t.name)).toEqual(["k/0", "k/1", "k/2", "k/3"]);
  });
});

describe("enums", () => {
  const decls = lines(
    "model m;",
    "enum state { IDLE, BUSY, DONE }",
    "enum size { SMALL, LARGE }",
    "shared { state s = BUSY; }",
  );

  it("declares the type and its members", () => {
    const m = model(decls + lines("thread w { s = DONE; if (s == IDLE) { s = BUSY; } }"));
    const s = global(m, "s");
    expect(s.type).toEqual({ kind: "enum", name: "state", members: ["IDLE", "BUSY", "DONE"] });
    expect(s.init).toEqual([1]);
    const [done] = namesIn(body(m, "w").block, "DONE");
    expect(m.resolutions.get(done)).toEqual({ kind: "const", value: 2, type: { kind: "enum", name: "state" } });
  });

  it("does not mix an enum with numbers or with another enum", () => {
    expect(codes(decls + lines("thread w { s = 1; }"))).toEqual(["FX103"]);
    expect(codes(decls + lines("thread w { s = SMALL; }"))).toEqual(["FX103"]);
    expect(codes(decls + lines("thread w { assert s != LARGE; }"))).toEqual(["FX103"]);
    expect(codes(decls + lines("thread w { assert s < LARGE; }"))).toEqual(["FX103"]);
    expect(codes(decls + lines("thread w { assert s >= 1; }"))).toEqual(["FX103"]);
    expect(codes(lines("model m;", "enum e { A, B }", "shared { e v = 1; }", "thread w { skip; }"))).toEqual(["FX103"]);
  });
});

describe("named versions", () => {
  const decls = lines("model m;", 'enum K { OLD = "4.19", MID, NEW = "6.2" }', "param KVER: K = MID;");

  it("orders one enum's values as declared, and types an enum param as its enum", () => {
    expect(codes(decls + lines("shared { bool b; }", "thread w { b = KVER >= MID && OLD < NEW; }"))).toEqual([]);
    const m = model(decls + lines("thread w { assert KVER == MID; }"), [["KVER", "6.2"]]);
    expect(m.params.get("KVER")).toBe(2);
    expect(m.enumParams.get("KVER")).toEqual({
      enumName: "K",
      members: ["OLD", "MID", "NEW"],
      labels: ["4.19", null, "6.2"],
    });
    const [kver] = namesIn(body(m, "w").block, "KVER");
    expect(m.types.get(kver)).toEqual({ kind: "enum", name: "K" });
    // A member without a label is set by its name.
    expect(model(decls + lines("thread w { skip; }"), [["KVER", "MID"]]).params.get("KVER")).toBe(1);
  });

  it("keeps an enum param apart from numbers", () => {
    expect(codes(decls + lines("thread w { assert KVER > 0; }"))).toEqual(["FX103"]);
    expect(codes(decls + lines("shared { word x; }", "thread w { x = KVER; }"))).toEqual(["FX103"]);
  });
});

describe("globals", () => {
  it("fills arrays from a list or from one value, and starts uninitialised ones at their type's first value", () => {
    const m = model(
      lines(
        "model m;",
        "shared { word a[3] = {1, 2, 3}; word b[4] = 7; int 2..5 c[2]; bool d = true; addr p = null; }",
        "kernel { int -1..1 k = 0; tidqueue<4> q; tidset s; }",
        "ghost { tid owner = 0; }",
        "thread w { skip; }",
      ),
    );
    expect(m.globals.map((g) => [g.name, g.space, g.size, g.init])).toEqual([
      ["a", "shared", 3, [1, 2, 3]],
      ["b", "shared", 4, [7, 7, 7, 7]],
      ["c", "shared", 2, [2, 2]],
      ["d", "shared", null, [1]],
      ["p", "shared", null, [0]],
      ["k", "kernel", null, [0]],
      ["q", "kernel", null, [0]],
      ["s", "kernel", null, [0]],
      ["owner", "ghost", null, [0]],
    ]);
    expect(global(m, "c").type).toEqual({ kind: "int", lo: 2, hi: 5 });
    expect(global(m, "q").type).toEqual({ kind: "tidqueue", capacity: 4 });
    expect(global(m, "p").type).toEqual({ kind: "addr" });
  });

  it("makes a percpu variable an array over the CPUs", () => {
    const m = model(
      lines(
        "model m;",
        "cpus 3;",
        "percpu { bool busy = true; int 0..3 n; }",
        "kthread k per cpu { busy[this_cpu] = false; n[this_cpu] = n[this_cpu] + 1; }",
      ),
    );
    expect(global(m, "busy").size).toBe(3);
    expect(global(m, "busy").init).toEqual([1, 1, 1]);
    expect(global(m, "n").init).toEqual([0, 0, 0]);
  });

  it("rejects a list initialiser of the wrong length and values outside the type", () => {
    expect(codes(lines("model m;", "shared { word a[2] = {1, 2, 3}; }", "thread w { skip; }"))).toEqual(["FX105"]);
    expect(codes(lines("model m;", "shared { int 0..3 a[2] = {1, 4}; }", "thread w { skip; }"))).toEqual(["FX105"]);
    expect(codes(lines("model m;", "shared { word x = -1; }", "thread w { skip; }"))).toEqual(["FX105"]);
    expect(codes(lines("model m;", "shared { addr p = 0; }", "thread w { skip; }"))).toEqual(["FX103"]);
  });
});

describe("the futex library", () => {
  const dir = mkdtempSync(join(tmpdir(), "futexcheck-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const mutex = lines(
    "model mutex;",
    "param N = 2;",
    "cpus 2;",
    'import "futex";',
    "shared { word lock = 0; }",
    "ghost { int 0..N inside = 0; }",
    "proc mutex_lock() {",
    "  word c;",
    "  int -128..127 r;",
    "  c = cmpxchg(&lock, 0, 1);",
    "  while (c != 0) {",
    "    if (c != 2) {",
    "      c = cmpxchg(&lock, 1, 2);",
    "    }",
    "    if (c != 0) {",
    "      r = futex_wait(&lock, 2);",
    "    }",
    "    c = cmpxchg(&lock, 0, 2);",
    "  }",
    "}",
    "proc mutex_unlock() {",
    "  word old;",
    "  int 0..NTHREADS woken;",
    "  old = xchg(&lock, 0);",
    "  if (old & FUTEX_WAITERS) { skip; }",
    "  if (old == 2) { woken = futex_wake(&lock, 1); }",
    "}",
    "thread w[i in 0..N-1] on cpu i % 2 {",
    "  mutex_lock();",
    "  cs: inside = inside + 1;",
    "  inside = inside - 1;",
    "  mutex_unlock();",
    "}",
    "invariant mutual_exclusion: inside <= 1;",
    "reachable both_done: forall t in threads: exited(t);",
  );

  it('is found by `import "futex"`, and its routines and state join the model', () => {
    const file = join(dir, "mutex.fxp");
    writeFileSync(file, mutex);
    const loaded = loadModel(file, { overrides: new Map([["N", 3]]) });
    expect(loaded.diagnostics.map((d) => render(d, loaded.sources))).toEqual([]);
    const m = loaded.model!;
    expect(m.name).toBe("mutex");
    expect([...loaded.sources.keys()]).toEqual([file, join(libraryDir(), "futex.fxp")]);
    expect([...m.routines.keys()]).toEqual(["futex_wait", "futex_wake", "futex_requeue", "mutex_lock", "mutex_unlock"]);
    expect(m.routines.get("futex_wait")!.kind).toBe("syscall");
    expect(m.routines.get("futex_wait")!.side).toBe("kernel");
    expect(m.routines.get("futex_wait")!.returns).toEqual({ kind: "int", lo: -128, hi: 127 });
    expect(m.routines.get("futex_wake")!.params.map((p) => [p.name, p.type])).toEqual([
      ["a", { kind: "addr" }],
      ["n", { kind: "int", lo: 0, hi: 3 }],
    ]);
    expect(global(m, "futex_key")).toMatchObject({ space: "kernel", size: 3, init: [0, 0, 0] });
    expect(m.threads.map((t) => [t.name, t.cpu])).toEqual([
      ["w[0]", 0],
      ["w[1]", 1],
      ["w[2]", 0],
    ]);
    expect(m.properties.map((p) => [p.kind, p.name])).toEqual([
      ["invariant", "mutual_exclusion"],
      ["reachable", "both_done"],
    ]);
    expect(m.labels.has("cs")).toBe(true);
  });

  it("does not clash with the names that the importing model chooses for its own things", () => {
    // The library has locals `w` and `woken`, a parameter `n` and quantifiers over `t`.
    const file = join(dir, "names.fxp");
    writeFileSync(
      file,
      lines(
        "model names;",
        'import "futex";',
        "const n = 1;",
        "shared { word woken = 0; word w = 0; }",
        "thread t { int -128..127 r; r = futex_wait(&woken, n); }",
      ),
    );
    const loaded = loadModel(file);
    expect(loaded.diagnostics.map((d) => render(d, loaded.sources))).toEqual([]);
  });
});

describe("locals, for variables and labels", () => {
  it("lists parameters, then locals, then for variables", () => {
    const m = model(
      lines(
        "model m;",
        "shared { word x = 0; }",
        "proc f(a: addr, n: int 0..3): word {",
        "  word t;",
        "  int 0..3 c = 2;",
        "  word arr[2] = {5, 6};",
        "  for (k in 0..3) { skip; }",
        "  return 1;",
        "}",
        "thread w {",
        "  word r;",
        "  top: r = f(&x, 2);",
        "  for (j in 1..3) {",
        "    if (j == 2) { continue; }",
        "    inner: x = x + j;",
        "  }",
        "  goto top;",
        "}",
      ),
    );
    const f = m.routines.get("f")!;
    expect(f.kind).toBe("proc");
    expect(f.side).toBe("user");
    expect(f.returns).toEqual({ kind: "word" });
    expect(f.params.map((p) => p.name)).toEqual(["a", "n"]);
    expect(f.locals.map((l) => [l.name, l.type, l.size, l.init])).toEqual([
      ["a", { kind: "addr" }, null, null],
      ["n", { kind: "int", lo: 0, hi: 3 }, null, null],
      ["t", { kind: "word" }, null, null],
      ["c", { kind: "int", lo: 0, hi: 3 }, null, [2]],
      ["arr", { kind: "word" }, 2, [5, 6]],
      // a for variable also takes the value just past the range, when the loop is over
      ["k", { kind: "int", lo: 0, hi: 4 }, null, null],
    ]);
    for (const l of f.locals) expect(l.body).toBe(f);
    const w = body(m, "w");
    expect(w.locals.map((l) => [l.name, l.type])).toEqual([
      ["r", { kind: "word" }],
      ["j", { kind: "int", lo: 1, hi: 4 }],
    ]);
    const forStmt = w.block.stmts.find((s) => s.kind === "for")!;
    expect(m.stmtLocals.get(forStmt)).toBe(w.locals[1]);
    const [j] = namesIn(forStmt, "j");
    expect(m.resolutions.get(j)).toEqual({ kind: "local", v: w.locals[1] });
    expect(m.bodyOf.get(w.block)).toBe(w);
    expect([...m.labels].sort()).toEqual(["inner", "top"]);
    const call = w.block.stmts.find((s) => s.kind === "label")!;
    expect(call.kind === "label" && call.body.kind === "assign" && m.callees.get(call.body.value)).toEqual({
      kind: "routine",
      body: f,
    });
  });

  it("types the bodies of handlers, the exit path, syscalls and kprocs by side", () => {
    const m = model(
      lines(
        "model m;",
        "kernel { bool held = false; }",
        "handler h { skip; }",
        "on exit { held = false; }",
        "kproc helper() { held = true; }",
        "syscall enter() { helper(); }",
        "thread w handler h { enter(); }",
      ),
    );
    expect(m.bodies.map((b) => [b.kind, b.name, b.side])).toEqual([
      ["handler", "h", "user"],
      ["on_exit", "exit", "kernel"],
      ["kproc", "helper", "kernel"],
      ["syscall", "enter", "kernel"],
      ["thread", "w", "user"],
    ]);
    expect(m.onExit).toBe(m.bodies[1]);
  });

  it("keeps labels per body: the same label may be used in two bodies", () => {
    const m = model(lines("model m;", "proc f() { L: skip; goto L; }", "thread w { L: skip; f(); }"));
    expect([...m.labels]).toEqual(["L"]);
    expect(codes(lines("model m;", "proc f() { L: skip; }", "thread w { goto L; }"))).toEqual(["FX111"]);
  });

  it("records counters and properties", () => {
    const m = model(
      lines(
        "model m;",
        "counter steps;",
        "shared { word x = 0; }",
        "thread w[i in 0..1] { count(steps); L: x = 1; }",
        "invariant small: x <= 1;",
        "reachable there: exists t in threads: at(t, L);",
        "liveness done: x == 1 leads_to (forall t in threads: exited(t));",
        "liveness often: always eventually x == 0;",
      ),
    );
    expect(m.counters).toEqual(["steps"]);
    expect(m.properties.map((p) => [p.kind, p.name])).toEqual([
      ["invariant", "small"],
      ["reachable", "there"],
      ["leads_to", "done"],
      ["always_eventually", "often"],
    ]);
  });

  it("rejects what locals cannot be", () => {
    expect(codes(lines("model m;", "thread w { word v; word v; }"))).toEqual(["FX102"]);
    expect(codes(lines("model m;", "shared { word x = 0; }", "thread w { word x; }"))).toEqual(["FX102"]);
    expect(codes(lines("model m;", "thread w { tidset s; }"))).toEqual(["FX103"]);
    expect(codes(lines("model m;", "thread w { word v = {1, 2}; }"))).toEqual(["FX103"]);
  });

  it("lets a local share the name of a thread or routine, which are never values", () => {
    model(lines("model m;", "proc f() { word w; w = 1; }", "thread w { word f; f = 2; }"));
  });
});

describe("type rules", () => {
  it("takes numbers as conditions", () => {
    expect(userCode("if (x & M) { skip; } while (x) { x = x - 1; } assert !x;")).toEqual([]);
    expect(userCode("if (x & FUTEX_WAITERS) { skip; }", "const FUTEX_WAITERS = 0x80000000;")).toEqual([]);
  });

  it("rejects `w & M == x`: == binds tighter than &", () => {
    expect(userCode("if (x & M == 1) { skip; }")).toEqual(["FX103"]);
    expect(userCode("if ((x & M) == 1) { skip; }")).toEqual([]);
  });

  it("compares an addr with null and with another addr, but not with a number", () => {
    expect(userCode("if (p == null) { p = &x; } assert p != null; assert p == &x;")).toEqual([]);
    expect(userCode("assert p == 0;")).toEqual(["FX103"]);
    expect(userCode("if (p) { skip; }")).toEqual(["FX103"]);
  });

  it("keeps bools and numbers apart in assignments but not in conditions", () => {
    expect(userCode("bool b; b = x == 0; b = !x; b = true && x;")).toEqual([]);
    expect(userCode("bool b; b = x;")).toEqual(["FX103"]);
    expect(userCode("x = true;")).toEqual(["FX103"]);
    expect(userCode("assert x < true;")).toEqual(["FX103"]);
  });

  it("types the builtins' results", () => {
    const m = model(
      lines("model m;", "shared { word x = 0; }", "thread w { word old; tid t; old = cmpxchg(&x, 0, 1); t = tid(0); }"),
    );
    const stmts = body(m, "w").block.stmts.filter((s) => s.kind === "assign");
    expect(stmts.map((s) => s.kind === "assign" && m.types.get(s.value))).toEqual([
      { kind: "num", word: true, tid: false },
      { kind: "num", word: false, tid: true },
    ]);
  });

  it("accepts the tid queue and set operations in kernel code", () => {
    expect(
      kernelCode(
        "tid t; int 0..4 n; push(q, self); push(s, 0); if (self in q) { t = pop(q); } remove(s, 0); n = len(q); t = head(q);",
        "kernel { tidqueue<4> q; tidset s; }",
      ),
    ).toEqual([]);
    expect(kernelCode("tid t; t = pop(s);", "kernel { tidset s; }")).toEqual(["FX103"]);
  });

  it("checks the arguments of calls", () => {
    const decls = "proc f(a: addr, n: int 0..3) { skip; }";
    expect(userCode("f(&x, 2);", decls)).toEqual([]);
    expect(userCode("f(2, 2);", decls)).toEqual(["FX103"]);
    expect(userCode("f(&x);", decls)).toEqual(["FX112"]);
    expect(userCode("x = xchg(x, 1);")).toEqual(["FX103"]);
  });
});

describe("side rules", () => {
  it("keeps user code out of kernel and percpu state", () => {
    expect(userCode("x = k;", "kernel { word k = 0; }")).toEqual(["FX106"]);
    expect(userCode("x = b[0];", "percpu { word b; }")).toEqual(["FX106"]);
    expect(userCode("word old; old = xchg(&k, 1);", "kernel { word k = 0; }")).toEqual(["FX106"]);
    expect(userCode("x = g;", "ghost { word g = 0; }")).toEqual([]);
  });

  it("makes kernel code reach user memory through get_user, put_user and atomics", () => {
    expect(kernelCode("word v; v = x;")).toEqual(["FX107"]);
    expect(kernelCode("x = 1;")).toEqual(["FX107"]);
    expect(kernelCode("word v; v = get_user(&x); put_user(&x, v + 1); v = cmpxchg(&x, 0, 1);")).toEqual([]);
    expect(kernelCode("word v; v = get_user(p);")).toEqual(["FX107"]);
    const syscall = (body: string) => userCode("s(p);", `syscall s(a: addr) { word v; ${body} }`);
    expect(syscall("v = get_user(a); put_user(a, 1); v = fetch_or(a, 1);")).toEqual([]);
    expect(syscall("v = *a;")).toEqual(["FX107"]);
    expect(syscall("*a = 1;")).toEqual(["FX107"]);
  });

  it("defines this_cpu in kernel code only, and self in code only", () => {
    expect(userCode("x = this_cpu;")).toEqual(["FX108"]);
    expect(kernelCode("int 0..1 c; c = this_cpu; c = self;")).toEqual([]);
    expect(userCode("x = self;")).toEqual([]);
    expect(codes(lines("model m;", "thread w { skip; }", "invariant I: self == 0;"))).toEqual(["FX108"]);
  });

  it("lets user code enter the kernel only through syscalls", () => {
    expect(userCode("helper();", "kproc helper() { skip; }")).toEqual(["FX119"]);
    expect(userCode("enter();", "kproc helper() { skip; }\nsyscall enter() { helper(); }")).toEqual([]);
    expect(userCode("word v; v = get_user(&x);")).toEqual(["FX119"]);
    expect(kernelCode("f();", "proc f() { skip; }")).toEqual(["FX119"]);
  });

  it("allows nopreempt and interruptible sleeps in kernel code only", () => {
    expect(userCode("nopreempt { x = 1; }")).toEqual(["FX122"]);
    expect(userCode("await interruptible x == 1;")).toEqual(["FX122"]);
    expect(userCode("atomic { await interruptible x == 1; x = 0; }")).toEqual(["FX122"]);
    expect(kernelCode("nopreempt { skip; } await interruptible signal_pending();")).toEqual([]);
  });

  it("allows `await` in atomic only as its first statement", () => {
    expect(userCode("atomic { await x == 0; x = 1; }")).toEqual([]);
    expect(userCode("atomic { L: await x == 0; x = 1; }")).toEqual([]);
    expect(userCode("atomic { x = 1; await x == 0; }")).toEqual(["FX109"]);
    expect(userCode("atomic { if (x == 0) { await x == 1; } }")).toEqual(["FX109"]);
  });

  it("forbids calls that may block inside atomic, whatever the order of declarations", () => {
    const blocking = ["proc h() { await true; }", "proc g() { h(); }", "proc f() { atomic { g(); } }"];
    expect(codes(lines("model m;", ...blocking, "thread w { f(); }"))).toEqual(["FX109"]);
    expect(codes(lines("model m;", ...[...blocking].reverse(), "thread w { f(); }"))).toEqual(["FX109"]);
    expect(userCode("atomic { g(); }", "proc g() { x = 1; }")).toEqual([]);
  });

  it("lets a call with an effect stand only alone or as `x = call(…)`", () => {
    expect(userCode("word a; x = cmpxchg(&a, 0, 1) + 1;")).toEqual(["FX113"]);
    expect(userCode("x = cmpxchg(&x, 0, 1) + 1;")).toEqual(["FX113"]);
    expect(userCode("if (cmpxchg(&x, 0, 1) == 0) { skip; }")).toEqual(["FX113"]);
    expect(userCode("x = f() + 1;", "proc f(): word { return 1; }")).toEqual(["FX113"]);
    expect(
      userCode("word old; old = cmpxchg(&x, 0, 1); fetch_add(&x, 1); x = f();", "proc f(): word { return 1; }"),
    ).toEqual([]);
  });

  it("rejects recursion, direct or through other routines", () => {
    expect(codes(lines("model m;", "proc f() { f(); }", "thread w { f(); }"))).toEqual(["FX114"]);
    expect(codes(lines("model m;", "proc f() { g(); }", "proc g() { f(); }", "thread w { f(); }"))).toEqual(["FX114"]);
    expect(codes(lines("model m;", "proc f() { g(); g(); }", "proc g() { skip; }", "thread w { f(); g(); }"))).toEqual(
      [],
    );
  });

  it("keeps properties to observations", () => {
    const src = (p: string) =>
      lines("model m;", "shared { word x = 0; }", "proc f(): bool { return true; }", "thread w { L: skip; }", p);
    expect(codes(src("invariant I: forall t in threads: alive(t) || exited(t) || at(t, L);"))).toEqual([]);
    expect(codes(src("invariant I: f();"))).toEqual(["FX126"]);
    expect(codes(src("invariant I: signal_pending();"))).toEqual(["FX126"]);
    expect(codes(lines("model m;", "thread w { L: assert at(0, L); }"))).toEqual(["FX126"]);
  });
});
