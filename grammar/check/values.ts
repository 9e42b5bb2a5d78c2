// The types of the language and of expressions' values: constants, conversions, ranges and how they read in
// messages. Pure functions, no diagnostics.
import type { Type, ValueType } from "../model.js";

export const WORD_MAX = 0xffffffff;

export const T_BOOL: ValueType = { kind: "bool" };
export const T_NUM: ValueType = { kind: "num", word: false, tid: false };
export const T_WORD: ValueType = { kind: "num", word: true, tid: false };
export const T_TID: ValueType = { kind: "num", word: false, tid: true };
export const T_ADDR: ValueType = { kind: "addr" };
export const T_VOID: ValueType = { kind: "void" };

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

export function assignable(target: Type, v: ValueType): boolean {
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

export function comparable(a: ValueType, b: ValueType): boolean {
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

export function showValue(t: ValueType): string {
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
