// Types and ranges: type expressions resolved to types (bounds evaluated and checked), array sizes, and the
// initial values of variables (typed, evaluated, within the variable's range).
import type { Expr, TypeExpr, VarDecl } from "../ast.js";
import type { Type, ValueType } from "../model.js";
import type { Constants } from "./constants.js";
import type { CheckContext } from "./context.js";
import type { Scope } from "./scope.js";
import { assignable, inRange, showType, showValue, T_ADDR, T_BOOL, T_NUM, WORD_MAX } from "./values.js";

const INT_LIMIT = 2 ** 31; // bounds of `int A..B` must lie within ±2^31
const MAX_ARRAY = 4096;

export class Types {
  constructor(
    private readonly ctx: CheckContext,
    private readonly scope: Scope,
    private readonly consts: Constants,
  ) {}

  resolve(t: TypeExpr): Type | null {
    switch (t.kind) {
      case "bool":
      case "word":
      case "tid":
      case "addr":
      case "tidset":
        return { kind: t.kind };
      case "int": {
        const lo = this.consts.constant(t.lo);
        const hi = this.consts.constant(t.hi);
        if (lo === null || hi === null) return null;
        if (lo > hi) {
          this.ctx.err("FX105", `empty range ${lo}..${hi}`, t.span);
          return null;
        }
        if (lo < -INT_LIMIT || hi > WORD_MAX) {
          this.ctx.err("FX105", `int bounds must lie within -2^31..2^32-1`, t.span);
          return null;
        }
        return { kind: "int", lo, hi };
      }
      case "tidqueue": {
        const c = this.consts.constant(t.capacity);
        if (c === null) return null;
        if (c < 1 || c > 64) {
          this.ctx.err("FX105", `queue capacity must be between 1 and 64, got ${c}`, t.capacity.span);
          return null;
        }
        return { kind: "tidqueue", capacity: c };
      }
      case "named": {
        const members = this.scope.enums.get(t.name.name);
        if (members === undefined) {
          this.ctx.err("FX101", `unknown type '${t.name.name}'`, t.name.span);
          return null;
        }
        return { kind: "enum", name: t.name.name, members };
      }
    }
  }

  arraySize(e: Expr | null): number | null | "bad" {
    if (e === null) return null;
    const n = this.consts.constant(e);
    if (n === null) return "bad";
    if (n < 1 || n > MAX_ARRAY) {
      this.ctx.err("FX105", `array size must be between 1 and ${MAX_ARRAY}, got ${n}`, e.span);
      return "bad";
    }
    return n;
  }

  /** Initial values of a variable: one per element; null when it has no initializer or a bad one. */
  initValues(v: VarDecl, type: Type, size: number | null): number[] | null {
    const count = size ?? 1;
    if (v.init === null) return null;
    const inits = Array.isArray(v.init) ? v.init : [v.init];
    if (Array.isArray(v.init) && size === null) {
      this.ctx.err("FX103", `'${v.name.name}' is not an array; give one initial value`, v.span);
      return null;
    }
    if (Array.isArray(v.init) && inits.length !== count) {
      this.ctx.err("FX105", `'${v.name.name}' has ${count} elements but ${inits.length} initial values`, v.span);
      return null;
    }
    const values: number[] = [];
    for (const e of inits) {
      const vt = this.constInitType(e);
      if (!assignable(type, vt)) {
        this.ctx.err("FX103", `cannot initialise ${showType(type)} '${v.name.name}' with ${showValue(vt)}`, e.span);
        return null;
      }
      const n = e.kind === "null" ? 0 : this.consts.constant(e);
      if (n === null) return null;
      if (!inRange(type, n)) {
        this.ctx.err("FX105", `initial value ${n} is outside ${showType(type)}`, e.span);
        return null;
      }
      values.push(n);
    }
    return Array.isArray(v.init) ? values : new Array<number>(count).fill(values[0]);
  }

  private constInitType(e: Expr): ValueType {
    if (e.kind === "null") return T_ADDR;
    if (e.kind === "bool") return T_BOOL;
    if (e.kind === "name") {
      const m = this.scope.enumMembers.get(e.name);
      if (m !== undefined) {
        this.ctx.tables.types.set(e, { kind: "enum", name: m.enumName });
        return { kind: "enum", name: m.enumName };
      }
    }
    return T_NUM;
  }
}
