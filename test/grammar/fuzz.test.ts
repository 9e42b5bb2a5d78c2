// Robustness of the parser: whatever the input, `parse` returns (never throws) either a program or located
// diagnostics with stable codes. Inputs are mutations of valid models: token deletions, duplications and swaps,
// random bytes (NUL, binary garbage, non-ASCII), truncation, stray braces and huge number literals.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allTokens } from "../../grammar/lexer.js";
import { MAX_SOURCE_BYTES, parse, type ParseResult } from "../../grammar/parse.js";

const FILE = "fuzz.fxp";
// FXFUZZ_RUNS / FXFUZZ_SEED run a longer or different campaign; the default is fixed, so runs are reproducible.
const RUNS = Number(process.env.FXFUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FXFUZZ_SEED ?? 0x5eed);

// ---------- seed models (each must parse) ----------

const EXIT_FREE = `model exit_free;
param THREADS = 2;
cpus 2;
const FUTEX_WAITERS = 0x80000000;
import "futex";
enum st { RUNNING, ZOMBIE }
shared { word stack_free[THREADS] = 1; addr head = null; word w[2] = {1, 2}; }
ghost  { tid runs_on[THREADS] = 0; }
kernel { tidqueue<THREADS> q; int 0..3 x = 0; tidset waiters; }
percpu { bool busy = false; }
syscall exit_free(a: addr, v: word) { put_user(a, v); exit(); }
kproc helper(a: addr): word { return get_user(a); }
handler on_sig { skip; }
on exit { x = 0; }
thread worker[i in 0..THREADS-1] on cpu i killable handler on_sig fair {
  int 0..THREADS-1 s;
  take:  atomic { choose s where stack_free[s] == 1; stack_free[s] = 0; runs_on[s] = tid(self); }
  if (s == 0) { skip; } else if (s == 1) { skip; } else { return; }
  either { s = 0; } or { s = 1; }
  choose s in 0..1 where s != 2;
  while (s < 1) { s = s + 1; break; }
  for (k in 0..2) { continue; }
  await interruptible x == 0;
  nopreempt { await busy[this_cpu] == false; }
  *head = 3;
  assert !(s > 3) && (FUTEX_WAITERS & 1) == 0;
  goto take;
  leave: exit_free(&stack_free[s], 1);
}
kthread kwaitd per cpu { end_idle: await x == 1; }
kthread reaper on cpu 0 fair { skip; }
invariant no_reuse: forall s in 0..THREADS-1: runs_on[s] == 0 || !in_user(runs_on[s]) || stack_free[s] == 0;
reachable r: exists t in threads: at(t, leave);
liveness l: x == 1 leads_to x == 0;
liveness m: always eventually x == 0;
fairness weak;
counter syscalls;
`;

const MUTEX = `// A three-state futex mutex (Drepper's "Futexes are tricky", mutex 2).
model mutex2;
param NTHREADS = 2;
import "futex";

shared {
  word lock = 0;   /* 0 unlocked, 1 locked, 2 contended */
  word inside = 0;
}

proc mutex_lock() {
  word c = cmpxchg(&lock, 0, 1);
  if (c != 0) {
    if (c != 2) { c = xchg(&lock, 2); }
    while (c != 0) {
      futex_wait(&lock, 2);
      c = xchg(&lock, 2);
    }
  }
}

proc mutex_unlock() {
  if (fetch_sub(&lock, 1) != 1) {
    lock = 0;
    futex_wake(&lock, 1);
  }
}

thread t[i in 0..NTHREADS - 1] {
  mutex_lock();
  cs: inside = inside + 1;
  inside = inside - 1;
  mutex_unlock();
}

invariant mutual_exclusion: inside <= 1;
liveness progress: forall t in threads: at(t, cs) => !exited(t) leads_to exists u in threads: at(u, cs);
`;

const ROBUST = `model robust_list;
param THREADS = 3;
cpus 2;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
enum phase { IDLE, LOCKING, HELD, }
kernel { int 0..THREADS word_owner[THREADS] = {0, 0, 0}; phase ph = IDLE; tidqueue<(THREADS + 1)> waitq; }
percpu { bool need_resched = false; }
ghost { word died = 0; }
kproc owner_of(v: word): int 0..THREADS { return (v & FUTEX_TID_MASK) % (THREADS + 1); }
syscall set_robust_list(head: addr) { skip; }
on exit {
  for (i in 0..THREADS - 1) {
    if (word_owner[i] == idx(self) + 1) { word_owner[i] = FUTEX_OWNER_DIED | word_owner[i]; died = died + 1; }
  }
}
thread owner on cpu 1 - 1 killable {
  set_robust_list(null);
  word_owner[0] = idx(self) << 1 >> 1 ^ 0;
  push(waitq, self);
  count(syscalls);
}
kthread tick per cpu fair { need_resched[this_cpu] = !need_resched[this_cpu]; }
counter syscalls;
invariant owner_ok: forall i in 0..THREADS-1: word_owner[i] == 0 || owner_of(word_owner[i]) < THREADS + 1 => died >= 0;
reachable died_once: died > 0 && (exists c in cpus: need_resched[c]);
fairness weak;
`;

const SIGNALS = `model sigs;
param THREADS = 2;
kernel { tidset pending; bool blocked[THREADS] = false; word out = 0; }
handler h {
  block_signals();
  atomic { out = out + ~0 - -1; }
  unblock_signals();
}
kthread waker on cpu 0 handler h {
  again: choose v in 0..THREADS - 1;
  if (!blocked[v] && v in pending) { remove(pending, v); } else { goto again; }
}
thread user handler h fair {
  word r = 0;
  while (true) { r = r * 2 / 1 % 7; if (r >= 4) { break; } }
  return (r);
}
liveness drained: always eventually len(pending) == 0;
`;

const SEEDS: readonly string[] = [EXIT_FREE, MUTEX, ROBUST, SIGNALS];

// ---------- the property every result must have ----------

/** The 1-based line and column of a character offset. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf("\n");
  return { line: before.split("\n").length, col: offset - lastBreak };
}

function checkResult(text: string, result: ParseResult): void {
  if (result.ok) {
    expect(result.program.kind).toBe("program");
    return;
  }
  expect(result.diagnostics.length).toBeGreaterThan(0);
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^FX\d{3}$/);
    expect(d.severity).toBe("error");
    expect(d.message.length).toBeGreaterThan(0);
    const { span } = d;
    expect(span.file).toBe(FILE);
    expect(span.line).toBeGreaterThanOrEqual(1);
    expect(span.col).toBeGreaterThanOrEqual(1);
    expect(span.offset).toBeGreaterThanOrEqual(0);
    expect(span.offset).toBeLessThanOrEqual(text.length);
    expect(span.endOffset).toBeGreaterThanOrEqual(span.offset);
    // line:col names the same place as the offset (FX005 points at the start of a file it did not read).
    if (d.code !== "FX005") expect(position(text, span.offset)).toEqual({ line: span.line, col: span.col });
  }
}

function parseChecked(text: string): ParseResult {
  const result = parse(text, FILE);
  checkResult(text, result);
  return result;
}

// ---------- mutations ----------

type Mutation =
  | { kind: "delete" | "duplicate"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number }
  | { kind: "brace"; at: number; text: "{" | "}" | "(" | ")" | "[" | "]" }
  | { kind: "bigNumber"; at: number; text: string };

// prettier-ignore
const GARBAGE = [
  "\0", "\u0001", "\u007f", "\u00ff", "\ufffd", "\ufeff", "\u2028", "é", "\u{1d54f}", "\r", "\t",
  "@", "#", "$", "`", "'", "\\", '"', "/*", "*/", "//", ".", "..",
];

const arbInsertText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...GARBAGE),
  fc.string({ unit: "binary", minLength: 1, maxLength: 4 }),
  fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 6 }),
  fc.constantFrom(";", ":", ",", "=", "==", "=>", "<", ">", "-", "*", "&", "&&", "in", "..", "0x", "0"),
  fc.constantFrom("model", "thread", "on", "handler", "cpus", "else", "or", "forall", "if", "where", "per", "cpu"),
);

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const), at: fc.nat() }), weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.integer({ min: -3, max: 3 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: arbInsertText }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("brace" as const),
      at: fc.nat(),
      text: fc.constantFrom("{" as const, "}" as const, "(" as const, ")" as const, "[" as const, "]" as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("bigNumber" as const),
      at: fc.nat(),
      text: fc.oneof(
        fc.integer({ min: 20, max: 5000 }).map((n) => "9".repeat(n)),
        fc.integer({ min: 20, max: 2000 }).map((n) => "0x" + "f".repeat(n)),
      ),
    }),
    weight: 1,
  },
);

/** The tokens of `text`, whitespace and comments included (a bad character swallows the rest as one token). */
function tokens(text: string): string[] {
  return allTokens(text).map((t) => t.text);
}

function mutate(text: string, m: Mutation): string {
  const toks = tokens(text);
  if (toks.length === 0) return m.kind === "insert" || m.kind === "brace" || m.kind === "bigNumber" ? m.text : text;
  const i = m.at % toks.length;
  switch (m.kind) {
    case "delete":
      return [...toks.slice(0, i), ...toks.slice(i + 1)].join("");
    case "duplicate":
      return [...toks.slice(0, i + 1), toks[i], ...toks.slice(i + 1)].join("");
    case "swap": {
      const j = Math.min(toks.length - 1, Math.max(0, i + m.with));
      const out = [...toks];
      [out[i], out[j]] = [out[j], out[i]];
      return out.join("");
    }
    case "insert": {
      // In the middle of a token as often as between two.
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "brace":
      return [...toks.slice(0, i), m.text, " ", ...toks.slice(i)].join("");
    case "bigNumber": {
      // Replace a number literal if there is one, else put the literal in front of a token.
      const numbers = allTokens(text).filter((t) => t.type === "number");
      if (numbers.length === 0) return [...toks.slice(0, i), m.text, " ", ...toks.slice(i)].join("");
      const t = numbers[m.at % numbers.length];
      return text.slice(0, t.offset) + m.text + text.slice(t.offset + t.text.length);
    }
  }
}

// ---------- tests ----------

describe("parser fuzzing", () => {
  it("parses every seed model", () => {
    for (const seed of SEEDS) {
      const result = parse(seed, FILE);
      expect(result.ok ? [] : result.diagnostics).toEqual([]);
    }
  });

  it(
    "never throws on 10 000 mutated models, and locates every diagnostic",
    () => {
      let failures = 0;
      fc.assert(
        fc.property(
          fc.nat({ max: SEEDS.length - 1 }),
          fc.array(arbMutation, { minLength: 1, maxLength: 3 }),
          (seedIndex, mutations) => {
            const text = mutations.reduce(mutate, SEEDS[seedIndex]);
            if (!parseChecked(text).ok) failures++;
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      // The mutations break most models (and not all: deleting a comment keeps one valid).
      expect(failures).toBeGreaterThan(RUNS / 2);
    },
    Math.max(120_000, RUNS * 20),
  );

  it("handles every mutation kind on its own", () => {
    const kinds: Mutation[] = [
      { kind: "delete", at: 7 },
      { kind: "duplicate", at: 11 },
      { kind: "swap", at: 5, with: 1 },
      { kind: "insert", at: 40, text: "\0\u00ff\ufffd" },
      { kind: "truncate", at: 100 },
      { kind: "brace", at: 30, text: "{" },
      { kind: "brace", at: 30, text: "}" },
      { kind: "bigNumber", at: 0, text: "9".repeat(10_000) },
    ];
    for (const seed of SEEDS) for (const m of kinds) parseChecked(mutate(seed, m));
  });

  it("reports a bad character at its line and column", () => {
    const text = MUTEX.replace("inside <= 1", "inside <= \u00001");
    const result = parseChecked(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => d.code)).toEqual(["FX001"]);
  });

  it("accepts a huge number literal as a bigint", () => {
    const digits = "1" + "0".repeat(5000);
    const result = parseChecked(`const BIG = ${digits};`);
    expect(result.ok).toBe(true);
    if (result.ok) {
      const decl = result.program.decls[0];
      expect(decl.kind === "const" && decl.value.kind === "num" && decl.value.value === 10n ** 5000n).toBe(true);
    }
  });

  it("rejects a 2 MB input quickly with FX005", () => {
    const text = "model m;\n" + "const C = 1; // padding padding padding\n".repeat(Math.ceil((2 << 20) / 40));
    expect(text.length).toBeGreaterThan(MAX_SOURCE_BYTES);
    const start = performance.now();
    const result = parseChecked(text);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => d.code)).toEqual(["FX005"]);
  });

  it("survives an expression nested 5000 levels deep", () => {
    const depth = 5000;
    const text = `model deep;\nconst C = ${"(".repeat(depth)}1${")".repeat(depth)};\n`;
    const result = parseChecked(text);
    if (!result.ok) expect(result.diagnostics.every((d) => /^FX00[56]$/.test(d.code))).toBe(true);
    // And the unbalanced variants.
    parseChecked(`model deep;\nconst C = ${"(".repeat(depth)}1${")".repeat(depth - 1)};\n`);
    parseChecked(`model deep;\nconst C = ${"(".repeat(depth)}1${")".repeat(depth + 1)};\n`);
  });

  it("survives statements nested deeply", () => {
    const depth = 500;
    parseChecked(`proc p() {${"atomic {".repeat(depth)} skip; ${"}".repeat(depth)}}`);
    parseChecked(`proc p() {${"atomic {".repeat(depth)} skip; ${"}".repeat(depth - 1)}}`);
  });
});
