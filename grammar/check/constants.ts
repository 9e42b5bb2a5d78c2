// Compile-time constants: params (with `--set` overrides), consts, enum members, NTHREADS and NCPUS, evaluated
// lazily (thread counts and `cpus` may use them) with cycle detection. Each evaluated expression's value is
// recorded in the side table `constValues`.
import type { Decl, Expr, Span } from "../ast.js";
import { enumOverride } from "../versions.js";
import type { CheckContext } from "./context.js";
import type { Scope } from "./scope.js";
import { T_NUM } from "./values.js";

class Abort extends Error {}

export class Constants {
  private readonly cache = new Map<string, number | null>();
  private readonly evaluating = new Set<string>();
  /** The model's CPUs, once `cpus` is evaluated. */
  cpus = 1;
  /** The number of threads, once they are laid out (NTHREADS is unavailable before). */
  nthreads: number | null = null;

  constructor(
    private readonly ctx: CheckContext,
    private readonly scope: Scope,
  ) {}

  constOf(name: string): number | null {
    if (this.cache.has(name)) return this.cache.get(name)!;
    const d = this.scope.constDecls.get(name);
    if (d === undefined) return null;
    if (this.evaluating.has(name)) {
      this.ctx.err("FX104", `'${name}' is defined in terms of itself`, d.name.span);
      this.cache.set(name, null);
      return null;
    }
    this.evaluating.add(name);
    const value = d.kind === "param" ? this.paramValue(d) : this.constant(d.value);
    this.evaluating.delete(name);
    this.cache.set(name, value);
    return value;
  }

  /** A param's value: its `--set` override or its default, of its enum when it has one. A bad override is
   *  reported and the default used, so that one mistake gives one error. */
  private paramValue(d: Decl & { kind: "param" }): number | null {
    const name = d.name.name;
    const override = this.ctx.options.overrides?.get(name);
    const e = this.scope.enumParams.get(name);
    if (e === undefined && d.type !== null) return null; // its type was reported
    if (e === undefined) {
      if (typeof override === "number") return override;
      if (override !== undefined)
        this.ctx.err("FX131", `--set ${name} needs a whole number, got '${override}'`, d.span);
      return this.constant(d.value);
    }
    if (override !== undefined) {
      const r = enumOverride(e, name, override, d.span);
      if ("value" in r) return r.value;
      this.ctx.diagnostics.push(r.diagnostic);
    }
    const m = d.value.kind === "name" ? this.scope.enumMembers.get(d.value.name) : undefined;
    if (m === undefined || m.enumName !== e.enumName) {
      this.ctx.err("FX131", `the default of ${name} must be a member of enum ${e.enumName}`, d.value.span);
      return null;
    }
    this.ctx.tables.constValues.set(d.value, m.value);
    return m.value;
  }

  /** Evaluates a compile-time constant expression; reports and returns null when it is not one. */
  constant(e: Expr): number | null {
    try {
      const v = this.evalConst(e);
      if (v < -(2n ** 53n) || v > 2n ** 53n) {
        this.ctx.err("FX105", `constant ${v} is too large`, e.span);
        return null;
      }
      const n = Number(v);
      this.ctx.tables.constValues.set(e, n);
      return n;
    } catch (x) {
      if (x instanceof Abort) return null;
      throw x;
    }
  }

  // The CPU placement may mention the template's index variable: evaluate it once per thread.
  evalWithIndex(e: Expr, variable: string | undefined, value: number): number | null {
    if (variable === undefined) return this.constant(e);
    const decls = this.scope.constDecls;
    const saved = decls.get(variable);
    const fake: Decl & { kind: "const" } = {
      kind: "const",
      name: { name: variable, span: e.span },
      value: { kind: "num", value: BigInt(value), text: String(value), span: e.span },
      span: e.span,
    };
    decls.set(variable, fake);
    this.cache.delete(variable);
    const v = this.constant(e);
    this.cache.delete(variable);
    if (saved) decls.set(variable, saved);
    else decls.delete(variable);
    return v;
  }

  private fail(code: string, message: string, span: Span): never {
    this.ctx.err(code, message, span);
    throw new Abort();
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
        if (this.scope.constDecls.has(e.name)) {
          const v = this.constOf(e.name);
          if (v === null) throw new Abort();
          this.ctx.tables.resolutions.set(e, { kind: "const", value: v, type: T_NUM });
          return BigInt(v);
        }
        const m = this.scope.enumMembers.get(e.name);
        if (m !== undefined) return BigInt(m.value);
        const declared =
          this.scope.topNames.has(e.name) || this.scope.globals.has(e.name) || this.scope.declaredLater(e.name);
        if (declared) this.fail("FX104", `'${e.name}' is not a constant`, e.span);
        return this.fail("FX101", `unknown name '${e.name}'`, e.span);
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
            if (b === 0n) this.fail("FX104", "division by zero in a constant", e.span);
            return e.op === "/" ? a / b : a % b;
          case "<<":
          case ">>":
            if (b < 0n) this.fail("FX104", "negative shift count in a constant", e.span);
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
    return this.fail("FX104", "expected a constant expression", e.span);
  }

  private threadCount(span: Span): number | null {
    if (this.nthreads !== null) return this.nthreads;
    this.ctx.err("FX104", "NTHREADS cannot be used here: the number of threads depends on this value", span);
    return null;
  }
}
