// Semantic checks: names, types, ranges, constants, memory spaces and sides. Input: a parsed (and
// import-merged) Program; output: a CheckedModel for the compiler, or every error found, located.
import type { Block, Decl, Domain, Expr, Ident, Program, Span, Stmt, TypeExpr, VarDecl } from "./ast.js";
import { BUILTINS, type ArgKind } from "./builtins.js";
import { error, type Diagnostic } from "./diagnostics.js";
import { checkSources } from "./sources.js";
import { enumLabelErrors, enumOverride, type EnumParam } from "./versions.js";
import type {
  BodyInfo,
  Callee,
  CheckedModel,
  GlobalVar,
  LocalVar,
  Property,
  Resolution,
  Side,
  TemplateInfo,
  ThreadInstance,
  Type,
  ValueType,
} from "./model.js";

export interface CheckOptions {
  /** `--set NAME=VALUE`: values that replace a `param`'s default (text: a label or member of an enum param's
   *  type, or a number written as text). */
  overrides?: ReadonlyMap<string, number | string>;
}

export type CheckResult = { model: CheckedModel | null; diagnostics: Diagnostic[] };

const WORD_MAX = 0xffffffff;
const INT_LIMIT = 2 ** 31; // bounds of `int A..B` must lie within ±2^31
const MAX_ARRAY = 4096;

const T_BOOL: ValueType = { kind: "bool" };
const T_NUM: ValueType = { kind: "num", word: false, tid: false };
const T_WORD: ValueType = { kind: "num", word: true, tid: false };
const T_TID: ValueType = { kind: "num", word: false, tid: true };
const T_ADDR: ValueType = { kind: "addr" };
const T_VOID: ValueType = { kind: "void" };

class Abort extends Error {}

interface CodeContext {
  body: BodyInfo;
  side: Side;
  loops: number;
  inAtomic: boolean;
  bound: Map<string, true>; // quantifier variables in scope
}

type ExprContext = { code: CodeContext | null; top: boolean; underAddr: boolean };

export function check(program: Program, options: CheckOptions = {}): CheckResult {
  try {
    return new Checker(program, options).run();
  } catch (e) {
    // The checks recurse over expressions and blocks: a tree the parser accepted may still be too deep for them.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const { file, line, col, offset } = program.span;
      const span: Span = { file, line, col, endLine: line, endCol: col + 1, offset, endOffset: offset + 1 };
      return { model: null, diagnostics: [error("FX006", "expression or block nested too deeply", span)] };
    }
    throw e;
  }
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly decls: Decl[];
  private readonly constDecls = new Map<string, Decl & { kind: "param" | "const" }>();
  private readonly constCache = new Map<string, number | null>();
  private readonly evaluating = new Set<string>();
  private readonly enums = new Map<string, string[]>();
  private readonly enumTypes = new Map<string, EnumParam>();
  private readonly enumParams = new Map<string, EnumParam>(); // params declared `param P: ENUM = …`
  private readonly enumMembers = new Map<string, { enumName: string; value: number }>();
  private readonly globals = new Map<string, GlobalVar>();
  private readonly routines = new Map<string, BodyInfo>();
  private readonly handlers = new Map<string, BodyInfo>();
  private readonly bodies: BodyInfo[] = [];
  private readonly templates: TemplateInfo[] = [];
  private readonly topNames = new Map<string, Span>();
  private readonly resolutions = new Map<Expr | Ident, Resolution>();
  private readonly callees = new Map<Expr, Callee>();
  private readonly types = new Map<Expr, ValueType>();
  private readonly constValues = new Map<Expr, number>();
  private readonly bodyOf = new Map<Block, BodyInfo>();
  private readonly stmtLocals = new Map<Stmt, LocalVar>();
  private readonly labelsByBody = new Map<BodyInfo, Map<string, Span>>();
  private readonly calls = new Map<BodyInfo, Set<BodyInfo>>();
  private readonly blocking = new Set<BodyInfo>();
  // Calls made inside `atomic`: whether the callee may block is known only once every body has been checked.
  private readonly atomicCalls: { routine: BodyInfo; name: string; span: Span }[] = [];
  private readonly counters: string[] = [];
  private onExit: BodyInfo | null = null;
  private cpus = 1;
  private nthreads: number | null = null;

  constructor(
    private readonly program: Program,
    private readonly options: CheckOptions,
  ) {
    this.decls = program.decls;
  }

  private err(code: string, message: string, span: Span): void {
    this.diagnostics.push(error(code, message, span));
  }

  run(): CheckResult {
    this.declareNames();
    this.declareEnumParams();
    this.checkOverrides();
    const sources = checkSources(this.decls);
    this.diagnostics.push(...sources.diagnostics);
    const modelDecls = this.decls.filter((d) => d.kind === "model");
    const name = modelDecls.length > 0 ? (modelDecls[0] as { name: Ident }).name.name : "";
    if (modelDecls.length === 0) this.err("FX118", "missing `model NAME;` declaration", this.program.span);
    for (const d of modelDecls.slice(1)) this.err("FX121", "a file has one `model` declaration", d.span);
    const cpuDecls = this.decls.filter((d) => d.kind === "cpus");
    for (const d of cpuDecls.slice(1)) this.err("FX121", "`cpus` is declared more than once", d.span);
    if (cpuDecls.length > 0) {
      const d = cpuDecls[0] as Decl & { kind: "cpus" };
      const n = this.constant(d.count);
      if (n !== null && (n < 1 || n > 64)) this.err("FX105", `cpus must be between 1 and 64, got ${n}`, d.count.span);
      else if (n !== null) this.cpus = n;
    }
    this.declareBodies();
    this.layoutThreads();
    // Constants are evaluated on demand (thread counts and `cpus` may use them); the rest, now that
    // NTHREADS is known.
    for (const d of this.decls) if (d.kind === "param" || d.kind === "const") this.constOf(d.name.name);
    this.declareParams();
    this.declareGlobals();
    for (const body of this.bodies) this.collectLocals(body);
    for (const body of this.bodies) this.checkBody(body);
    for (const c of this.atomicCalls) {
      if (this.mayBlock(c.routine))
        this.err("FX109", `${c.name} may block (await); it cannot be called inside atomic`, c.span);
    }
    this.checkRecursion();
    const properties = this.checkProperties();
    const threads = this.threadInstances();
    if (!this.decls.some((d) => d.kind === "thread" || d.kind === "kthread"))
      this.err("FX118", "the model has no threads (`thread` or `kthread`)", this.program.span);
    if (this.diagnostics.length > 0) return { model: null, diagnostics: this.diagnostics };
    const labels = new Set<string>();
    for (const m of this.labelsByBody.values()) for (const l of m.keys()) labels.add(l);
    const params = new Map<string, number>();
    for (const d of this.decls) if (d.kind === "param") params.set(d.name.name, this.constOf(d.name.name) ?? 0);
    const model: CheckedModel = {
      name,
      program: this.program,
      params,
      cpus: this.cpus,
      globals: [...this.globals.values()],
      bodies: this.bodies,
      routines: this.routines,
      onExit: this.onExit,
      templates: this.templates,
      threads,
      properties,
      counters: this.counters,
      fairAll: this.decls.some((d) => d.kind === "fairness"),
      labels,
      resolutions: this.resolutions,
      callees: this.callees,
      types: this.types,
      constValues: this.constValues,
      bodyOf: this.bodyOf,
      stmtLocals: this.stmtLocals,
      enumParams: this.enumParams,
      follows: sources.follows,
      bodyRefs: sources.bodyRefs,
    };
    return { model, diagnostics: this.diagnostics };
  }

  // ---------- top-level names ----------
  private declareTop(id: Ident): boolean {
    const prev = this.topNames.get(id.name);
    if (prev !== undefined) {
      this.err("FX102", `'${id.name}' is already declared at line ${prev.line}`, id.span);
      return false;
    }
    if (id.name === "NTHREADS" || id.name === "NCPUS" || BUILTINS[id.name] !== undefined) {
      this.err("FX102", `'${id.name}' is a builtin name`, id.span);
      return false;
    }
    this.topNames.set(id.name, id.span);
    return true;
  }

  private declareNames(): void {
    for (const d of this.decls) {
      switch (d.kind) {
        case "param":
        case "const":
          if (this.declareTop(d.name)) this.constDecls.set(d.name.name, d);
          break;
        case "enum": {
          if (!this.declareTop(d.name)) break;
          const members = d.members.map((m) => m.name);
          this.enums.set(d.name.name, members);
          this.enumTypes.set(d.name.name, { enumName: d.name.name, members, labels: d.labels });
          this.diagnostics.push(...enumLabelErrors(d));
          d.members.forEach((m, value) => {
            if (this.declareTop(m)) this.enumMembers.set(m.name, { enumName: d.name.name, value });
          });
          break;
        }
        case "counter":
          if (this.declareTop(d.name)) this.counters.push(d.name.name);
          break;
        default:
          break;
      }
    }
  }

  private declareEnumParams(): void {
    for (const d of this.decls) {
      if (d.kind !== "param" || d.type === null || this.constDecls.get(d.name.name) !== d) continue;
      const e = this.enumTypes.get(d.type.name);
      if (e === undefined)
        this.err("FX131", `the type of a param is an enum; '${d.type.name}' is not an enum of this model`, d.type.span);
      else this.enumParams.set(d.name.name, e);
    }
  }

  /** A param's value: its `--set` override or its default, of its enum when it has one. A bad override is
   *  reported and the default used, so that one mistake gives one error. */
  private paramValue(d: Decl & { kind: "param" }): number | null {
    const name = d.name.name;
    const override = this.options.overrides?.get(name);
    const e = this.enumParams.get(name);
    if (e === undefined && d.type !== null) return null; // its type was reported
    if (e === undefined) {
      if (typeof override === "number") return override;
      if (override !== undefined) this.err("FX131", `--set ${name} needs a whole number, got '${override}'`, d.span);
      return this.constant(d.value);
    }
    if (override !== undefined) {
      const r = enumOverride(e, name, override, d.span);
      if ("value" in r) return r.value;
      this.diagnostics.push(r.diagnostic);
    }
    const m = d.value.kind === "name" ? this.enumMembers.get(d.value.name) : undefined;
    if (m === undefined || m.enumName !== e.enumName) {
      this.err("FX131", `the default of ${name} must be a member of enum ${e.enumName}`, d.value.span);
      return null;
    }
    this.constValues.set(d.value, m.value);
    return m.value;
  }

  private checkOverrides(): void {
    for (const [name] of this.options.overrides ?? []) {
      const d = this.constDecls.get(name);
      if (d === undefined || d.kind !== "param") {
        const known = [...this.constDecls.values()].filter((x) => x.kind === "param").map((x) => x.name.name);
        this.err(
          "FX123",
          `--set ${name}: the model has no param '${name}'${known.length ? ` (params: ${known.join(", ")})` : ""}`,
          this.program.span,
        );
      }
    }
  }

  // ---------- constants ----------
  private constOf(name: string): number | null {
    if (this.constCache.has(name)) return this.constCache.get(name)!;
    const d = this.constDecls.get(name);
    if (d === undefined) return null;
    if (this.evaluating.has(name)) {
      this.err("FX104", `'${name}' is defined in terms of itself`, d.name.span);
      this.constCache.set(name, null);
      return null;
    }
    this.evaluating.add(name);
    const value = d.kind === "param" ? this.paramValue(d) : this.constant(d.value);
    this.evaluating.delete(name);
    this.constCache.set(name, value);
    return value;
  }

  /** Evaluates a compile-time constant expression; reports and returns null when it is not one. */
  private constant(e: Expr): number | null {
    try {
      const v = this.evalConst(e);
      if (v < -(2n ** 53n) || v > 2n ** 53n) {
        this.err("FX105", `constant ${v} is too large`, e.span);
        return null;
      }
      const n = Number(v);
      this.constValues.set(e, n);
      return n;
    } catch (x) {
      if (x instanceof Abort) return null;
      throw x;
    }
  }

  private evalConst(e: Expr): bigint {
    switch (e.kind) {
      case "num":
        return e.value;
      case "bool":
        return e.value ? 1n : 0n;
      case "paren":
        return this.evalConst(e.inner);
      case "name": {
        if (e.name === "NTHREADS" || e.name === "NCPUS") {
          const n = e.name === "NCPUS" ? this.cpus : this.threadCount(e.span);
          if (n === null) throw new Abort();
          return BigInt(n);
        }
        if (this.constDecls.has(e.name)) {
          const v = this.constOf(e.name);
          if (v === null) throw new Abort();
          this.resolutions.set(e, { kind: "const", value: v, type: T_NUM });
          return BigInt(v);
        }
        const m = this.enumMembers.get(e.name);
        if (m !== undefined) return BigInt(m.value);
        const declared = this.topNames.has(e.name) || this.globals.has(e.name) || this.declaredLater(e.name);
        this.err(
          declared ? "FX104" : "FX101",
          declared ? `'${e.name}' is not a constant` : `unknown name '${e.name}'`,
          e.span,
        );
        throw new Abort();
      }
      case "unary": {
        const v = this.evalConst(e.operand);
        if (e.op === "-") return -v;
        if (e.op === "!") return v === 0n ? 1n : 0n;
        if (e.op === "~") return ~v & 0xffffffffn;
        break;
      }
      case "binary": {
        const a = this.evalConst(e.left);
        const b = this.evalConst(e.right);
        switch (e.op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "/":
          case "%":
            if (b === 0n) {
              this.err("FX104", "division by zero in a constant", e.span);
              throw new Abort();
            }
            return e.op === "/" ? a / b : a % b;
          case "<<":
          case ">>":
            if (b < 0n) {
              this.err("FX104", "negative shift count in a constant", e.span);
              throw new Abort();
            }
            if (e.op === "<<") return b > 64n ? 0n : (a << b) & 0xffffffffn;
            return b > 64n ? 0n : a >> b;
          case "&":
            return a & b;
          case "|":
            return a | b;
          case "^":
            return a ^ b;
          case "==":
            return a === b ? 1n : 0n;
          case "!=":
            return a !== b ? 1n : 0n;
          case "<":
            return a < b ? 1n : 0n;
          case "<=":
            return a <= b ? 1n : 0n;
          case ">":
            return a > b ? 1n : 0n;
          case ">=":
            return a >= b ? 1n : 0n;
          case "&&":
            return a !== 0n && b !== 0n ? 1n : 0n;
          case "||":
            return a !== 0n || b !== 0n ? 1n : 0n;
          default:
            break;
        }
        break;
      }
      default:
        break;
    }
    this.err("FX104", "expected a constant expression", e.span);
    throw new Abort();
  }

  // Constants are evaluated before variables, routines and threads are declared: look those up in the source.
  private declaredLater(name: string): boolean {
    return this.decls.some((d) =>
      d.kind === "space"
        ? d.vars.some((v) => v.name.name === name)
        : (d.kind === "routine" || d.kind === "handler" || d.kind === "thread" || d.kind === "kthread") &&
          d.name.name === name,
    );
  }

  private threadCount(span: Span): number | null {
    if (this.nthreads !== null) return this.nthreads;
    this.err("FX104", "NTHREADS cannot be used here: the number of threads depends on this value", span);
    return null;
  }

  // ---------- types ----------
  private resolveType(t: TypeExpr): Type | null {
    switch (t.kind) {
      case "bool":
      case "word":
      case "tid":
      case "addr":
      case "tidset":
        return { kind: t.kind };
      case "int": {
        const lo = this.constant(t.lo);
        const hi = this.constant(t.hi);
        if (lo === null || hi === null) return null;
        if (lo > hi) {
          this.err("FX105", `empty range ${lo}..${hi}`, t.span);
          return null;
        }
        if (lo < -INT_LIMIT || hi > WORD_MAX) {
          this.err("FX105", `int bounds must lie within -2^31..2^32-1`, t.span);
          return null;
        }
        return { kind: "int", lo, hi };
      }
      case "tidqueue": {
        const c = this.constant(t.capacity);
        if (c === null) return null;
        if (c < 1 || c > 64) {
          this.err("FX105", `queue capacity must be between 1 and 64, got ${c}`, t.capacity.span);
          return null;
        }
        return { kind: "tidqueue", capacity: c };
      }
      case "named": {
        const members = this.enums.get(t.name.name);
        if (members === undefined) {
          this.err("FX101", `unknown type '${t.name.name}'`, t.name.span);
          return null;
        }
        return { kind: "enum", name: t.name.name, members };
      }
    }
  }

  private arraySize(e: Expr | null, extra?: string): number | null | "bad" {
    if (e === null) return null;
    const n = this.constant(e);
    if (n === null) return "bad";
    if (n < 1 || n > MAX_ARRAY) {
      this.err("FX105", `array size must be between 1 and ${MAX_ARRAY}${extra ?? ""}, got ${n}`, e.span);
      return "bad";
    }
    return n;
  }

  /** Initial values of a variable: one per element. */
  private initValues(
    v: VarDecl,
    type: Type,
    size: number | null,
    allowed: (e: Expr) => ValueType | null,
  ): number[] | null {
    const count = size ?? 1;
    if (v.init === null) return null;
    const inits = Array.isArray(v.init) ? v.init : [v.init];
    if (Array.isArray(v.init) && size === null) {
      this.err("FX103", `'${v.name.name}' is not an array; give one initial value`, v.span);
      return null;
    }
    if (Array.isArray(v.init) && inits.length !== count) {
      this.err("FX105", `'${v.name.name}' has ${count} elements but ${inits.length} initial values`, v.span);
      return null;
    }
    const values: number[] = [];
    for (const e of inits) {
      const vt = allowed(e);
      if (vt === null) return null;
      if (!this.assignable(type, vt)) {
        this.err("FX103", `cannot initialise ${showType(type)} '${v.name.name}' with ${showValue(vt)}`, e.span);
        return null;
      }
      const n = e.kind === "null" ? 0 : this.constant(e);
      if (n === null) return null;
      if (!inRange(type, n)) {
        this.err("FX105", `initial value ${n} is outside ${showType(type)}`, e.span);
        return null;
      }
      values.push(n);
    }
    return Array.isArray(v.init) ? values : new Array<number>(count).fill(values[0]);
  }

  private constInitType(e: Expr): ValueType | null {
    if (e.kind === "null") return T_ADDR;
    if (e.kind === "bool") return T_BOOL;
    if (e.kind === "name") {
      const m = this.enumMembers.get(e.name);
      if (m !== undefined) {
        this.types.set(e, { kind: "enum", name: m.enumName });
        return { kind: "enum", name: m.enumName };
      }
    }
    return T_NUM;
  }

  private assignable(target: Type, v: ValueType): boolean {
    switch (target.kind) {
      case "bool":
        return v.kind === "bool";
      case "int":
      case "word":
      case "tid":
        return v.kind === "num";
      case "addr":
        return v.kind === "addr";
      case "enum":
        return v.kind === "enum" && v.name === target.name;
      case "tidset":
      case "tidqueue":
        return false;
    }
  }

  // ---------- globals ----------
  private declareGlobals(): void {
    for (const d of this.decls) {
      if (d.kind !== "space") continue;
      for (const v of d.vars) {
        if (!this.declareTop(v.name)) continue;
        const type = this.resolveType(v.type);
        let size: number | null | "bad";
        if (d.space === "percpu") {
          if (v.size !== null)
            this.err("FX103", "percpu variables are one per CPU already; arrays are not supported here", v.size.span);
          size = this.cpus;
        } else size = this.arraySize(v.size);
        if (type === null || size === "bad") continue;
        if (d.space === "shared" && (type.kind === "tidset" || type.kind === "tidqueue")) {
          this.err(
            "FX103",
            "tid sets and queues are kernel objects; declare them in `kernel` or `percpu`",
            v.type.span,
          );
          continue;
        }
        const init =
          this.initValues(v, type, size, (e) => this.constInitType(e)) ??
          new Array<number>(size ?? 1).fill(typeFloor(type));
        this.globals.set(v.name.name, { name: v.name.name, space: d.space, type, size, init, decl: v });
      }
    }
  }

  // ---------- bodies ----------
  private newBody(kind: BodyInfo["kind"], name: string, side: Side, block: Block): BodyInfo {
    const body: BodyInfo = { kind, name, side, block, locals: [], params: [], returns: null };
    this.bodies.push(body);
    this.bodyOf.set(block, body);
    this.labelsByBody.set(body, new Map());
    this.calls.set(body, new Set());
    return body;
  }

  private declareBodies(): void {
    for (const d of this.decls) {
      if (d.kind === "routine") {
        if (!this.declareTop(d.name)) continue;
        const side: Side = d.routine === "proc" ? "user" : "kernel";
        const body = this.newBody(d.routine, d.name.name, side, d.body);
        this.routines.set(d.name.name, body);
      } else if (d.kind === "handler") {
        if (!this.declareTop(d.name)) continue;
        this.handlers.set(d.name.name, this.newBody("handler", d.name.name, "user", d.body));
      } else if (d.kind === "on_exit") {
        if (this.onExit !== null) this.err("FX121", "`on exit` is declared more than once", d.span);
        else this.onExit = this.newBody("on_exit", "exit", "kernel", d.body);
      }
    }
  }

  // Parameter and return types may use NTHREADS, so they are resolved once the threads are laid out.
  private declareParams(): void {
    for (const d of this.decls) {
      if (d.kind !== "routine") continue;
      const body = this.routines.get(d.name.name);
      if (body === undefined || body.block !== d.body) continue;
      for (const p of d.params) {
        const type = this.resolveType(p.type);
        if (type === null) continue;
        if (type.kind === "tidset" || type.kind === "tidqueue") {
          this.err("FX103", "parameters cannot be tid sets or queues", p.type.span);
          continue;
        }
        if (body.params.some((q) => q.name === p.name.name)) {
          this.err("FX102", `duplicate parameter '${p.name.name}'`, p.name.span);
          continue;
        }
        const local: LocalVar = { name: p.name.name, type, size: null, init: null, body, span: p.span };
        body.params.push(local);
        body.locals.push(local);
      }
      body.returns = d.returns ? this.resolveType(d.returns) : null;
    }
  }

  private layoutThreads(): void {
    let next = 0;
    const kthreads: (Decl & { kind: "kthread" })[] = [];
    for (const d of this.decls) {
      if (d.kind === "kthread") {
        kthreads.push(d);
        continue;
      }
      if (d.kind !== "thread" || !this.declareTop(d.name)) continue;
      const body = this.newBody("thread", d.name.name, "user", d.body);
      let lo = 0;
      let count = 1;
      if (d.index !== null) {
        const a = this.constant(d.index.lo);
        const b = this.constant(d.index.hi);
        if (a === null || b === null) continue;
        if (b < a || b - a + 1 > 64) {
          this.err("FX105", `a thread template has 1 to 64 threads, ${a}..${b} gives ${b - a + 1}`, d.index.hi.span);
          continue;
        }
        lo = a;
        count = b - a + 1;
      }
      const t = this.template("thread", d, body, next, count, lo);
      if (t !== null) next += count;
    }
    for (const d of kthreads) {
      if (!this.declareTop(d.name)) continue;
      const body = this.newBody("kthread", d.name.name, "kernel", d.body);
      const count = d.perCpu ? this.cpus : 1;
      const t = this.template("kthread", d, body, next, count, 0);
      if (t !== null) next += count;
    }
    this.nthreads = next;
  }

  private template(
    kind: "thread" | "kthread",
    d: Decl & { kind: "thread" | "kthread" },
    body: BodyInfo,
    first: number,
    count: number,
    indexLo: number,
  ): TemplateInfo | null {
    const t: TemplateInfo = {
      kind,
      name: d.name.name,
      body,
      killable: false,
      fair: false,
      handler: null,
      first,
      count,
      indexLo,
      cpuOf: [],
      decl: d,
    };
    let cpuExpr: Expr | null = null;
    for (const a of d.attrs) {
      if (a.kind === "killable" || a.kind === "handler") {
        if (kind === "kthread") {
          this.err("FX120", `kernel threads cannot be ${a.kind === "killable" ? "killed" : "signalled"}`, a.span);
          continue;
        }
      }
      if (a.kind === "killable") t.killable = true;
      else if (a.kind === "fair") t.fair = true;
      else if (a.kind === "on_cpu") cpuExpr = a.cpu;
      else if (a.kind === "handler") {
        const h = this.handlers.get(a.name.name);
        if (h === undefined) this.err("FX101", `unknown signal handler '${a.name.name}'`, a.name.span);
        else t.handler = h;
      }
    }
    for (let k = 0; k < count; k++) {
      let cpu = 0;
      if (kind === "kthread" && (d as { perCpu: boolean }).perCpu) cpu = k;
      else if (cpuExpr !== null) {
        const v = this.evalWithIndex(cpuExpr, d.kind === "thread" ? d.index?.variable.name : undefined, indexLo + k);
        if (v === null) return null;
        if (v < 0 || v >= this.cpus) {
          this.err(
            "FX124",
            `thread ${d.name.name}${count > 1 ? `[${indexLo + k}]` : ""} is placed on cpu ${v}, but the model has ${this.cpus} (cpus 0..${this.cpus - 1})`,
            cpuExpr.span,
          );
          return null;
        }
        cpu = v;
      }
      t.cpuOf.push(cpu);
    }
    this.templates.push(t);
    return t;
  }

  // The CPU placement may mention the template's index variable: evaluate it once per thread.
  private evalWithIndex(e: Expr, variable: string | undefined, value: number): number | null {
    if (variable === undefined) return this.constant(e);
    const saved = this.constDecls.get(variable);
    const fake: Decl & { kind: "const" } = {
      kind: "const",
      name: { name: variable, span: e.span },
      value: { kind: "num", value: BigInt(value), text: String(value), span: e.span },
      span: e.span,
    };
    this.constDecls.set(variable, fake);
    this.constCache.delete(variable);
    const v = this.constant(e);
    this.constCache.delete(variable);
    if (saved) this.constDecls.set(variable, saved);
    else this.constDecls.delete(variable);
    return v;
  }

  private threadInstances(): ThreadInstance[] {
    const out: ThreadInstance[] = [];
    for (const t of [...this.templates].sort((a, b) => a.first - b.first)) {
      for (let k = 0; k < t.count; k++) {
        const name =
          t.kind === "kthread" && t.count > 1
            ? `${t.name}/${k}`
            : t.count > 1 || (t.decl as { index?: unknown }).index
              ? `${t.name}[${t.indexLo + k}]`
              : t.name;
        out.push({ index: t.first + k, template: t, local: k, cpu: t.cpuOf[k], name });
      }
    }
    return out;
  }

  // ---------- locals ----------
  private collectLocals(body: BodyInfo): void {
    const names = new Map<string, Span>(body.params.map((p) => [p.name, p.span]));
    const addLocal = (stmt: Stmt, name: Ident, local: Omit<LocalVar, "body" | "span">) => {
      const prev = names.get(name.name);
      if (prev !== undefined) {
        this.err("FX102", `'${name.name}' is already declared in ${body.name} at line ${prev.line}`, name.span);
        return;
      }
      if (this.hidesGlobal(name)) {
        this.err("FX102", `local '${name.name}' hides the global '${name.name}'`, name.span);
        return;
      }
      names.set(name.name, name.span);
      const v: LocalVar = { ...local, body, span: name.span };
      body.locals.push(v);
      this.stmtLocals.set(stmt, v);
    };
    const labels = this.labelsByBody.get(body)!;
    const visit = (s: Stmt): void => {
      switch (s.kind) {
        case "var": {
          const type = this.resolveType(s.type);
          const size = this.arraySize(s.size);
          if (type === null || size === "bad") return;
          if (type.kind === "tidset" || type.kind === "tidqueue") {
            this.err(
              "FX103",
              "tid sets and queues are kernel objects; declare them in `kernel` or `percpu`",
              s.type.span,
            );
            return;
          }
          const init = this.initValues(s, type, size, (e) => this.constInitType(e));
          addLocal(s, s.name, { name: s.name.name, type, size, init });
          return;
        }
        case "for": {
          const lo = this.constant(s.lo);
          const hi = this.constant(s.hi);
          if (lo !== null && hi !== null)
            addLocal(s, s.variable, {
              name: s.variable.name,
              type: { kind: "int", lo, hi: Math.max(lo, hi + 1) },
              size: null,
              init: null,
            });
          visitBlock(s.body);
          return;
        }
        case "sourced":
          visit(s.body);
          return;
        case "label": {
          const prev = labels.get(s.label.name);
          if (prev !== undefined)
            this.err(
              "FX110",
              `label '${s.label.name}' is already used in ${body.name} at line ${prev.line}`,
              s.label.span,
            );
          else labels.set(s.label.name, s.label.span);
          visit(s.body);
          return;
        }
        case "if":
          visitBlock(s.then);
          if (s.else) visitBlock(s.else);
          return;
        case "while":
        case "atomic":
        case "nopreempt":
          visitBlock(s.body);
          return;
        case "either":
          s.branches.forEach(visitBlock);
          return;
        default:
          return;
      }
    };
    const visitBlock = (b: Block) => b.stmts.forEach(visit);
    visitBlock(body.block);
  }

  // Whether a local or quantifier variable hides a value that code of the same file could mean. Thread and
  // routine names are never values, and a library's locals must not clash with the names of the model that
  // imports it.
  private hidesGlobal(id: Ident): boolean {
    const hidden = this.topNames.get(id.name);
    const isValue = this.constDecls.has(id.name) || this.enumMembers.has(id.name) || this.globals.has(id.name);
    return hidden !== undefined && hidden.file === id.span.file && isValue;
  }

  // ---------- statements ----------
  private checkBody(body: BodyInfo): void {
    const ctx: CodeContext = { body, side: body.side, loops: 0, inAtomic: false, bound: new Map() };
    this.checkBlock(body.block, ctx);
  }

  private checkBlock(b: Block, ctx: CodeContext): void {
    for (const s of b.stmts) this.checkStmt(s, ctx);
  }

  private checkStmt(s: Stmt, ctx: CodeContext): void {
    const expr = (e: Expr, top = false) => this.typeOf(e, { code: ctx, top, underAddr: false });
    const cond = (e: Expr) => {
      const t = expr(e);
      if (t !== null && t.kind !== "bool" && t.kind !== "num")
        this.err("FX103", `a condition must be a bool or a number, not ${showValue(t)}`, e.span);
    };
    switch (s.kind) {
      case "var": {
        const local = this.stmtLocals.get(s);
        if (local && local.size !== null && local.init === null) return;
        return;
      }
      case "label":
      case "sourced":
        this.checkStmt(s.body, ctx);
        return;
      case "assign": {
        const target = this.lvalue(s.target, ctx);
        const value = expr(s.value, true);
        if (target !== null && value !== null) {
          if (value.kind === "void") this.err("FX103", "this call returns no value", s.value.span);
          else if (!this.assignable(target, value))
            this.err("FX103", `cannot assign ${showValue(value)} to ${showType(target)}`, s.value.span);
        }
        return;
      }
      case "expr":
        if (s.expr.kind !== "call") {
          this.err("FX103", "only a call can stand alone as a statement", s.span);
          return;
        }
        expr(s.expr, true);
        return;
      case "if":
        cond(s.cond);
        this.checkBlock(s.then, ctx);
        if (s.else) this.checkBlock(s.else, ctx);
        return;
      case "while":
        cond(s.cond);
        this.checkBlock(s.body, { ...ctx, loops: ctx.loops + 1 });
        return;
      case "for":
        this.checkBlock(s.body, { ...ctx, loops: ctx.loops + 1 });
        return;
      case "either":
        for (const b of s.branches) this.checkBlock(b, ctx);
        return;
      case "choose": {
        const local = this.lvalueLocal(s.variable, ctx);
        if (local === null) return;
        if (s.lo !== null && s.hi !== null) {
          this.constant(s.lo);
          this.constant(s.hi);
        } else if (
          local.type.kind !== "int" &&
          local.type.kind !== "bool" &&
          local.type.kind !== "enum" &&
          local.type.kind !== "tid"
        ) {
          this.err(
            "FX103",
            `choose … where needs a variable of a small type (int A..B, bool, enum, tid) to range over; '${local.name}' is ${showType(local.type)}`,
            s.variable.span,
          );
        }
        if (s.where) cond(s.where);
        return;
      }
      case "atomic": {
        if (ctx.inAtomic) {
          this.checkBlock(s.body, ctx);
          return;
        }
        const inner = { ...ctx, inAtomic: true };
        s.body.stmts.forEach((st, i) => {
          if (i === 0 && unlabel(st).kind === "await") {
            this.checkStmt(st, ctx); // outside the atomic's context: a first `await` is allowed
            return;
          }
          this.checkStmt(st, inner);
        });
        return;
      }
      case "nopreempt":
        if (ctx.side !== "kernel")
          this.err("FX122", "`nopreempt` is kernel code; user code cannot disable preemption", s.span);
        this.checkBlock(s.body, ctx);
        return;
      case "await":
        if (ctx.inAtomic) this.err("FX109", "`await` inside `atomic` must be its first statement", s.span);
        if (s.interruptible && ctx.side !== "kernel")
          this.err("FX122", "only kernel code sleeps interruptibly; user code uses plain `await`", s.span);
        this.blocking.add(ctx.body);
        cond(s.cond);
        return;
      case "assert":
        cond(s.cond);
        return;
      case "return": {
        const r = ctx.body.returns;
        if (s.value === null) {
          if (r !== null) this.err("FX117", `${ctx.body.name} must return ${showType(r)}`, s.span);
          return;
        }
        const v = expr(s.value, true);
        if (r === null) this.err("FX117", `${ctx.body.name} returns no value`, s.value.span);
        else if (v !== null && !this.assignable(r, v))
          this.err(
            "FX103",
            `cannot return ${showValue(v)} from ${ctx.body.name} (returns ${showType(r)})`,
            s.value.span,
          );
        return;
      }
      case "break":
      case "continue":
        if (ctx.loops === 0) this.err("FX116", `\`${s.kind}\` outside a loop`, s.span);
        return;
      case "goto":
        if (!this.labelsByBody.get(ctx.body)!.has(s.label.name))
          this.err("FX111", `no label '${s.label.name}' in ${ctx.body.name}`, s.label.span);
        return;
      case "skip":
        return;
    }
  }

  private lvalueLocal(id: Ident, ctx: CodeContext): LocalVar | null {
    const local = ctx.body.locals.find((l) => l.name === id.name);
    if (local === undefined) {
      this.err(
        this.topNames.has(id.name) ? "FX115" : "FX101",
        this.topNames.has(id.name)
          ? `choose needs a local variable; '${id.name}' is not one of ${ctx.body.name}`
          : `unknown name '${id.name}'`,
        id.span,
      );
      return null;
    }
    this.resolutions.set(id, { kind: "local", v: local });
    return local;
  }

  /** Checks an assignment target; returns the type stored there. */
  private lvalue(e: Expr, ctx: CodeContext): Type | null {
    if (e.kind === "unary" && e.op === "*") {
      const t = this.typeOf(e, { code: ctx, top: false, underAddr: false });
      return t === null ? null : { kind: "word" };
    }
    if (e.kind === "name" || e.kind === "index") {
      const t = this.typeOf(e, { code: ctx, top: false, underAddr: false });
      if (t === null) return null;
      const root = rootName(e);
      const r = root ? this.resolutions.get(root) : undefined;
      if (r === undefined || (r.kind !== "global" && r.kind !== "local")) {
        this.err("FX115", "this is not a variable and cannot be assigned", e.span);
        return null;
      }
      const v = r.v;
      if (v.size !== null && e.kind === "name") {
        this.err("FX115", `'${v.name}' is an array; assign its elements`, e.span);
        return null;
      }
      if (v.type.kind === "tidset" || v.type.kind === "tidqueue") {
        this.err("FX115", "tid sets and queues change through push, pop and remove", e.span);
        return null;
      }
      return v.type;
    }
    this.err("FX115", "this expression cannot be assigned", e.span);
    return null;
  }

  // ---------- expressions ----------
  private typeOf(e: Expr, ectx: ExprContext): ValueType | null {
    const t = this.typeOfInner(e, ectx);
    if (t !== null) this.types.set(e, t);
    return t;
  }

  private typeOfInner(e: Expr, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    switch (e.kind) {
      case "num":
        if (e.value > BigInt(WORD_MAX)) {
          this.err("FX105", `number ${e.text} does not fit in 32 bits`, e.span);
          return null;
        }
        this.constValues.set(e, Number(e.value));
        return e.value > 0x7fffffffn ? T_WORD : T_NUM;
      case "bool":
        return T_BOOL;
      case "null":
        return T_ADDR;
      case "self":
        if (code === null) {
          this.err("FX108", "`self` is only defined in code; properties quantify over threads instead", e.span);
          return null;
        }
        return T_NUM;
      case "this_cpu":
        if (code === null || code.side !== "kernel") {
          this.err("FX108", "`this_cpu` is only defined in kernel code", e.span);
          return null;
        }
        return T_NUM;
      case "paren":
        return this.typeOf(e.inner, { ...ectx, top: false });
      case "name":
        return this.nameType(e, ectx);
      case "index": {
        const base = this.typeOf(e.base, { ...ectx, top: false });
        const it = sub(e.index);
        if (base === null || it === null) return null;
        const root = e.base.kind === "name" ? (this.resolutions.get(e) ?? this.resolutions.get(e.base)) : undefined;
        if (root === undefined || (root.kind !== "global" && root.kind !== "local") || root.v.size === null) {
          this.err("FX103", "only array variables can be indexed", e.base.span);
          return null;
        }
        if (it.kind !== "num") {
          this.err("FX103", `an index must be a number, not ${showValue(it)}`, e.index.span);
          return null;
        }
        return valueOf(root.v.type);
      }
      case "call":
        return this.callType(e, ectx);
      case "unary": {
        if (e.op === "&") return this.addressOf(e, ectx);
        const t = sub(e.operand);
        if (t === null) return null;
        if (e.op === "!") {
          if (t.kind !== "bool" && t.kind !== "num") return this.typeError(e, "!", t);
          return T_BOOL;
        }
        if (e.op === "*") {
          if (t.kind !== "addr") return this.typeError(e, "*", t);
          if (code !== null && code.side === "kernel") {
            this.err("FX107", "kernel code reads user memory with get_user(a), not *a", e.span);
            return null;
          }
          return T_WORD;
        }
        if (t.kind !== "num") return this.typeError(e, e.op, t);
        return e.op === "~" ? T_WORD : { kind: "num", word: t.word, tid: false };
      }
      case "binary":
        return this.binaryType(e, ectx);
      case "quant": {
        this.domain(e.domain, ectx);
        const bound = code ? code.bound : this.propertyBound;
        if (bound.has(e.variable.name) || this.hidesGlobal(e.variable)) {
          this.err("FX102", `'${e.variable.name}' is already defined here`, e.variable.span);
          return null;
        }
        bound.set(e.variable.name, true);
        const b = sub(e.body);
        bound.delete(e.variable.name);
        if (b !== null && b.kind !== "bool" && b.kind !== "num") return this.typeError(e.body, e.quantifier, b);
        return T_BOOL;
      }
    }
  }

  private readonly propertyBound = new Map<string, true>();

  private domain(d: Domain, ectx: ExprContext): void {
    if (d.kind !== "range") return;
    const lo = this.constant(d.lo);
    const hi = this.constant(d.hi);
    void ectx;
    if (lo !== null && hi !== null && hi - lo > 4096)
      this.err("FX105", `quantifier range ${lo}..${hi} is too large`, d.span);
  }

  private typeError(e: Expr, op: string, t: ValueType): null {
    this.err("FX103", `operator ${op} cannot be applied to ${showValue(t)}`, e.span);
    return null;
  }

  private nameType(e: Expr & { kind: "name" }, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const bound = code ? code.bound : this.propertyBound;
    if (bound.has(e.name)) {
      this.resolutions.set(e, { kind: "bound", name: e.name });
      return T_NUM;
    }
    if (code !== null) {
      const local = code.body.locals.find((l) => l.name === e.name);
      if (local !== undefined) {
        this.resolutions.set(e, { kind: "local", v: local });
        return valueOf(local.type);
      }
      const tmpl = this.templates.find((t) => t.body === code.body);
      if (tmpl && tmpl.decl.kind === "thread" && tmpl.decl.index?.variable.name === e.name) {
        this.resolutions.set(e, { kind: "thread_index", template: tmpl });
        return T_NUM;
      }
    }
    if (e.name === "NTHREADS" || e.name === "NCPUS") {
      const value = e.name === "NCPUS" ? this.cpus : (this.nthreads ?? 0);
      this.resolutions.set(e, { kind: "const", value, type: T_NUM });
      this.constValues.set(e, value);
      return T_NUM;
    }
    if (this.constDecls.has(e.name)) {
      const v = this.constOf(e.name);
      if (v === null) return null;
      const enumParam = this.enumParams.get(e.name);
      const type: ValueType = enumParam ? { kind: "enum", name: enumParam.enumName } : v > 0x7fffffff ? T_WORD : T_NUM;
      this.resolutions.set(e, { kind: "const", value: v, type });
      this.constValues.set(e, v);
      return type;
    }
    const m = this.enumMembers.get(e.name);
    if (m !== undefined) {
      const type: ValueType = { kind: "enum", name: m.enumName };
      this.resolutions.set(e, { kind: "const", value: m.value, type });
      this.constValues.set(e, m.value);
      return type;
    }
    const g = this.globals.get(e.name);
    if (g !== undefined) {
      if (code !== null) {
        if (code.side === "user" && (g.space === "kernel" || g.space === "percpu")) {
          this.err(
            "FX106",
            `user code cannot touch kernel state '${g.name}'; it reaches the kernel only through syscalls`,
            e.span,
          );
          return null;
        }
        if (code.side === "kernel" && g.space === "shared" && !ectx.underAddr) {
          this.err(
            "FX107",
            `kernel code reaches user memory '${g.name}' only through get_user(&${g.name}), put_user or an atomic on &${g.name}`,
            e.span,
          );
          return null;
        }
      }
      this.resolutions.set(e, { kind: "global", v: g });
      return valueOf(g.type);
    }
    if (this.routines.has(e.name) || this.handlers.has(e.name)) {
      this.err("FX103", `'${e.name}' is a routine; call it with ()`, e.span);
      return null;
    }
    this.err("FX101", `unknown name '${e.name}'`, e.span);
    return null;
  }

  private addressOf(e: Expr & { kind: "unary" }, ectx: ExprContext): ValueType | null {
    const target = e.operand;
    if (target.kind !== "name" && target.kind !== "index") {
      this.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    const base = target.kind === "index" ? target.base : target;
    if (base.kind !== "name") {
      this.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    const bt = this.typeOf(base, { ...ectx, top: false, underAddr: true });
    if (target.kind === "index") {
      const it = this.typeOf(target.index, { ...ectx, top: false, underAddr: false });
      if (it !== null && it.kind !== "num") this.err("FX103", "an index must be a number", target.index.span);
      if (bt !== null) this.types.set(target, bt);
    }
    if (bt === null) return null;
    const r = this.resolutions.get(base);
    if (r === undefined || (r.kind !== "global" && r.kind !== "local")) {
      this.err("FX103", "& takes a variable or an array element", e.span);
      return null;
    }
    if (target.kind === "name" && r.v.size !== null) {
      this.err("FX103", `'${r.v.name}' is an array: take the address of an element, &${r.v.name}[i]`, e.span);
      return null;
    }
    if (target.kind === "index" && r.v.size === null) {
      this.err("FX103", "only array variables can be indexed", base.span);
      return null;
    }
    if (r.kind === "global" && r.v.space === "shared") return T_ADDR;
    return { kind: "ref" };
  }

  private binaryType(e: Expr & { kind: "binary" }, ectx: ExprContext): ValueType | null {
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    const a = sub(e.left);
    const b = sub(e.right);
    if (a === null || b === null) return null;
    const truthy = (t: ValueType) => t.kind === "bool" || t.kind === "num";
    switch (e.op) {
      case "=>":
      case "||":
      case "&&":
        if (!truthy(a)) return this.typeError(e.left, e.op, a);
        if (!truthy(b)) return this.typeError(e.right, e.op, b);
        return T_BOOL;
      case "==":
      case "!=":
        if (!comparable(a, b)) {
          this.err("FX103", `cannot compare ${showValue(a)} with ${showValue(b)}`, e.span);
          return null;
        }
        return T_BOOL;
      case "<":
      case "<=":
      case ">":
      case ">=":
        // Members of one enum are ordered as declared (named versions: `KVER >= V6_2`).
        if (a.kind === "enum" && b.kind === "enum" && a.name === b.name) return T_BOOL;
        if (a.kind !== "num") return this.typeError(e.left, e.op, a);
        if (b.kind !== "num") return this.typeError(e.right, e.op, b);
        return T_BOOL;
      case "in":
        if (a.kind !== "num") return this.typeError(e.left, "in", a);
        if (b.kind !== "tidset" && b.kind !== "tidqueue") {
          this.err("FX103", `the right side of 'in' must be a tid set or queue, not ${showValue(b)}`, e.right.span);
          return null;
        }
        return T_BOOL;
      default: {
        if (a.kind !== "num") return this.typeError(e.left, e.op, a);
        if (b.kind !== "num") return this.typeError(e.right, e.op, b);
        const bitwise = e.op === "&" || e.op === "|" || e.op === "^" || e.op === "<<" || e.op === ">>";
        return { kind: "num", word: bitwise || a.word || b.word, tid: false };
      }
    }
  }

  private callType(e: Expr & { kind: "call" }, ectx: ExprContext): ValueType | null {
    const code = ectx.code;
    const name = e.callee.name;
    const routine = this.routines.get(name);
    if (routine !== undefined) {
      this.callees.set(e, { kind: "routine", body: routine });
      if (code === null) {
        this.err("FX126", "properties cannot call routines", e.span);
        return null;
      }
      if (!ectx.top) {
        this.err("FX113", `a call to ${name} changes state: it can only stand alone or as 'x = ${name}(…)'`, e.span);
        return null;
      }
      if (code.side === "user" && routine.kind === "kproc")
        this.err(
          "FX119",
          `user code cannot call the kernel function ${name}; only syscalls enter the kernel`,
          e.callee.span,
        );
      if (code.side === "kernel" && routine.kind === "proc")
        this.err("FX119", `kernel code cannot call the user procedure ${name}`, e.callee.span);
      if (code.inAtomic) this.atomicCalls.push({ routine, name, span: e.span });
      this.calls.get(code.body)!.add(routine);
      if (e.args.length !== routine.params.length) {
        this.err(
          "FX112",
          `${name} takes ${routine.params.length} argument${routine.params.length === 1 ? "" : "s"}, got ${e.args.length}`,
          e.span,
        );
        return null;
      }
      e.args.forEach((arg, i) => {
        const t = this.typeOf(arg, { code, top: false, underAddr: false });
        const p = routine.params[i];
        if (t !== null && !this.assignable(p.type, t))
          this.err(
            "FX103",
            `argument ${i + 1} of ${name} ('${p.name}') is ${showType(p.type)}, got ${showValue(t)}`,
            arg.span,
          );
      });
      return routine.returns ? valueOf(routine.returns) : T_VOID;
    }
    const b = BUILTINS[name];
    if (b === undefined) {
      this.err("FX101", `unknown function '${name}'`, e.callee.span);
      return null;
    }
    this.callees.set(e, { kind: "builtin", name });
    if (code === null && b.sides !== "property" && !b.alsoInProperties) {
      this.err("FX126", `${name}() is code, not something a property can observe`, e.span);
      return null;
    }
    if (code !== null && b.sides === "property") {
      this.err("FX126", `${name}() is for properties only`, e.span);
      return null;
    }
    if (code !== null && b.sides !== "property" && !b.sides.includes(code.side)) {
      this.err("FX119", `${name}() is kernel code; user code cannot call it`, e.callee.span);
      return null;
    }
    if (b.effect && !ectx.top) {
      this.err("FX113", `${name}() changes state: it can only stand alone or as 'x = ${name}(…)'`, e.span);
      return null;
    }
    if (e.args.length !== b.args.length) {
      this.err(
        "FX112",
        `${name} takes ${b.args.length} argument${b.args.length === 1 ? "" : "s"}, got ${e.args.length}`,
        e.span,
      );
      return null;
    }
    let ok = true;
    e.args.forEach((arg, i) => {
      if (!this.builtinArg(name, b.args[i], arg, ectx)) ok = false;
    });
    if (!ok) return null;
    if (name === "count" && code === null) return null;
    switch (b.result) {
      case "void":
        return T_VOID;
      case "bool":
        return T_BOOL;
      case "word":
        return T_WORD;
      case "tid":
        return T_TID;
      default:
        return T_NUM;
    }
  }

  private builtinArg(fn: string, kind: ArgKind, arg: Expr, ectx: ExprContext): boolean {
    const sub = (x: Expr) => this.typeOf(x, { ...ectx, top: false, underAddr: false });
    switch (kind) {
      case "label": {
        if (arg.kind !== "name") {
          this.err("FX103", `the second argument of ${fn} is a label`, arg.span);
          return false;
        }
        const known = [...this.labelsByBody.values()].some((m) => m.has(arg.name));
        if (!known) this.err("FX111", `no label '${arg.name}' in the model`, arg.span);
        return known;
      }
      case "counter":
        if (arg.kind !== "name" || !this.counters.includes(arg.name)) {
          this.err(
            "FX101",
            `${arg.kind === "name" ? `'${arg.name}' is not a declared counter` : "count takes a counter name"} (declare it with 'counter NAME;')`,
            arg.span,
          );
          return false;
        }
        return true;
      case "lvalue": {
        const t = sub(arg);
        if (t === null) return false;
        const root = rootName(arg);
        const r = root ? this.resolutions.get(root) : undefined;
        if (
          r === undefined ||
          r.kind !== "global" ||
          (r.v.space !== "kernel" && r.v.space !== "percpu") ||
          (t.kind !== "bool" && t.kind !== "num")
        ) {
          this.err("FX103", `${fn} takes a kernel variable (bool or number) as the lock`, arg.span);
          return false;
        }
        if (r.v.size !== null && arg.kind === "name") {
          this.err("FX103", `'${r.v.name}' is an array; lock one element`, arg.span);
          return false;
        }
        return true;
      }
      case "queue": {
        const t = sub(arg);
        if (t === null) return false;
        if (t.kind !== "tidqueue" && t.kind !== "tidset") {
          this.err("FX103", `${fn} takes a tid queue or set, got ${showValue(t)}`, arg.span);
          return false;
        }
        if (fn === "pop" || fn === "head") {
          if (t.kind !== "tidqueue") {
            this.err("FX103", `${fn} takes a tid queue (sets have no order)`, arg.span);
            return false;
          }
        }
        return true;
      }
      case "loc": {
        const t = sub(arg);
        if (t === null) return false;
        if (t.kind === "addr") return true;
        if (t.kind === "ref") {
          if (ectx.code?.side === "user") {
            this.err("FX106", `${fn} in user code works on user memory (a shared variable)`, arg.span);
            return false;
          }
          return true;
        }
        this.err("FX103", `the first argument of ${fn} is a location (&x or an addr), got ${showValue(t)}`, arg.span);
        return false;
      }
      default: {
        const t = sub(arg);
        if (t === null) return false;
        const want = kind === "addr" ? "addr" : kind === "bool" ? "bool" : "num";
        if (t.kind !== want) {
          this.err(
            "FX103",
            `argument of ${fn} must be ${want === "num" ? "a number" : want === "addr" ? "an addr" : "a bool"}, got ${showValue(t)}`,
            arg.span,
          );
          return false;
        }
        return true;
      }
    }
  }

  private mayBlock(body: BodyInfo, seen = new Set<BodyInfo>()): boolean {
    if (seen.has(body)) return false;
    seen.add(body);
    if (this.blocking.has(body) || containsAwait(body.block)) return true;
    for (const c of this.calls.get(body) ?? []) if (this.mayBlock(c, seen)) return true;
    return false;
  }

  private checkRecursion(): void {
    const state = new Map<BodyInfo, "active" | "done">();
    const visit = (b: BodyInfo, path: BodyInfo[]): void => {
      if (state.get(b) === "done") return;
      if (state.get(b) === "active") {
        const cycle = path.slice(path.indexOf(b)).map((x) => x.name);
        this.err(
          "FX114",
          `recursion is not supported (calls are inlined): ${[...cycle, b.name].join(" → ")}`,
          b.block.span,
        );
        return;
      }
      state.set(b, "active");
      for (const c of this.calls.get(b) ?? []) visit(c, [...path, b]);
      state.set(b, "done");
    };
    for (const b of this.bodies) visit(b, []);
  }

  // ---------- properties ----------
  private checkProperties(): Property[] {
    const out: Property[] = [];
    const names = new Map<string, Span>();
    const boolExpr = (e: Expr) => {
      const t = this.typeOf(e, { code: null, top: false, underAddr: false });
      if (t !== null && t.kind !== "bool" && t.kind !== "num")
        this.err("FX103", `a property must be a bool, not ${showValue(t)}`, e.span);
    };
    for (const d of this.decls) {
      if (d.kind !== "invariant" && d.kind !== "reachable" && d.kind !== "leads_to" && d.kind !== "always_eventually")
        continue;
      const prev = names.get(d.name.name);
      if (prev !== undefined)
        this.err("FX102", `property '${d.name.name}' is already declared at line ${prev.line}`, d.name.span);
      names.set(d.name.name, d.span);
      if (d.kind === "leads_to") {
        boolExpr(d.from);
        boolExpr(d.to);
        out.push({ kind: "leads_to", name: d.name.name, from: d.from, to: d.to, span: d.span });
      } else {
        boolExpr(d.expr);
        out.push({ kind: d.kind, name: d.name.name, expr: d.expr, span: d.span });
      }
    }
    return out;
  }
}

// ---------- helpers ----------
function unlabel(s: Stmt): Stmt {
  return s.kind === "label" || s.kind === "sourced" ? unlabel(s.body) : s;
}

function containsAwait(b: Block): boolean {
  const inStmt = (s: Stmt): boolean => {
    switch (s.kind) {
      case "await":
        return true;
      case "label":
      case "sourced":
        return inStmt(s.body);
      case "if":
        return containsAwait(s.then) || (s.else !== null && containsAwait(s.else));
      case "while":
      case "for":
      case "atomic":
      case "nopreempt":
        return containsAwait(s.body);
      case "either":
        return s.branches.some(containsAwait);
      default:
        return false;
    }
  };
  return b.stmts.some(inStmt);
}

function rootName(e: Expr): Expr | null {
  if (e.kind === "name") return e;
  if (e.kind === "index") return rootName(e.base);
  if (e.kind === "paren") return rootName(e.inner);
  return null;
}

export function valueOf(t: Type): ValueType {
  switch (t.kind) {
    case "bool":
      return T_BOOL;
    case "int":
      return { kind: "num", word: t.hi > 0x7fffffff, tid: false };
    case "word":
      return T_WORD;
    case "tid":
      return T_TID;
    case "addr":
      return T_ADDR;
    case "enum":
      return { kind: "enum", name: t.name };
    case "tidset":
      return { kind: "tidset" };
    case "tidqueue":
      return { kind: "tidqueue" };
  }
}

function comparable(a: ValueType, b: ValueType): boolean {
  if (a.kind === "num" && b.kind === "num") return true;
  if (a.kind === "enum" && b.kind === "enum") return a.name === b.name;
  return a.kind === b.kind && (a.kind === "bool" || a.kind === "addr");
}

export function typeFloor(t: Type): number {
  return t.kind === "int" ? t.lo : 0;
}

export function inRange(t: Type, n: number): boolean {
  switch (t.kind) {
    case "bool":
      return n === 0 || n === 1;
    case "int":
      return n >= t.lo && n <= t.hi;
    case "word":
      return n >= 0 && n <= WORD_MAX;
    case "enum":
      return n >= 0 && n < t.members.length;
    default:
      return n >= 0;
  }
}

export function showType(t: Type): string {
  switch (t.kind) {
    case "int":
      return `int ${t.lo}..${t.hi}`;
    case "enum":
      return t.name;
    case "tidqueue":
      return `tidqueue<${t.capacity}>`;
    default:
      return t.kind;
  }
}

function showValue(t: ValueType): string {
  switch (t.kind) {
    case "num":
      return t.word ? "a word" : "a number";
    case "bool":
      return "a bool";
    case "addr":
      return "an addr";
    case "enum":
      return `enum ${t.name}`;
    case "tidset":
      return "a tid set";
    case "tidqueue":
      return "a tid queue";
    case "ref":
      return "the location of a kernel variable";
    case "void":
      return "no value";
  }
}
