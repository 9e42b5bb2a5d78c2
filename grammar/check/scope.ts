// Scopes and name resolution, first pass: the model's top-level names (one namespace for constants, enums and
// their members, counters, variables, routines, handlers and threads) and the tables later passes look names
// up in. Every table indexed by a user's name is a Map, so a name such as `constructor` or `__proto__` is
// just a name.
import type { Decl, Ident, Span } from "../ast.js";
import { BUILTINS } from "../builtins.js";
import type { GlobalVar } from "../model.js";
import { enumLabelErrors, type EnumParam } from "../versions.js";
import type { CheckContext } from "./context.js";

export type ConstDecl = Decl & { kind: "param" | "const" };

export class Scope {
  readonly topNames = new Map<string, Span>();
  readonly constDecls = new Map<string, ConstDecl>();
  readonly enums = new Map<string, string[]>();
  readonly enumMembers = new Map<string, { enumName: string; value: number }>();
  readonly enumTypes = new Map<string, EnumParam>(); // every enum, with its labels
  readonly enumParams = new Map<string, EnumParam>(); // params declared `param P: ENUM = …`, by name
  readonly counters: string[] = [];
  readonly globals = new Map<string, GlobalVar>(); // filled by declareGlobals

  constructor(private readonly ctx: CheckContext) {}

  /** Declares a top-level name; reports a clash with another or with a builtin. */
  declare(id: Ident): boolean {
    const prev = this.topNames.get(id.name);
    if (prev !== undefined) {
      this.ctx.err("FX102", `'${id.name}' is already declared at line ${prev.line}`, id.span);
      return false;
    }
    if (id.name === "NTHREADS" || id.name === "NCPUS" || BUILTINS.has(id.name)) {
      this.ctx.err("FX102", `'${id.name}' is a builtin name`, id.span);
      return false;
    }
    this.topNames.set(id.name, id.span);
    return true;
  }

  // Whether a local or quantifier variable hides a value that code of the same file could mean. Thread and
  // routine names are never values, and a library's locals must not clash with the names of the model that
  // imports it.
  hidesGlobal(id: Ident): boolean {
    const hidden = this.topNames.get(id.name);
    const isValue = this.constDecls.has(id.name) || this.enumMembers.has(id.name) || this.globals.has(id.name);
    return hidden !== undefined && hidden.file === id.span.file && isValue;
  }

  // Constants are evaluated before variables, routines and threads are declared: look those up in the source.
  declaredLater(name: string): boolean {
    return this.ctx.decls.some((d) =>
      d.kind === "space"
        ? d.vars.some((v) => v.name.name === name)
        : (d.kind === "routine" || d.kind === "handler" || d.kind === "thread" || d.kind === "kthread") &&
          d.name.name === name,
    );
  }
}

/** The names of constants, params, enums and counters, known before anything is evaluated. */
export function declareNames(ctx: CheckContext): Scope {
  const scope = new Scope(ctx);
  for (const d of ctx.decls) {
    switch (d.kind) {
      case "param":
      case "const":
        if (scope.declare(d.name)) scope.constDecls.set(d.name.name, d);
        break;
      case "enum": {
        if (!scope.declare(d.name)) break;
        const members = d.members.map((m) => m.name);
        scope.enums.set(d.name.name, members);
        scope.enumTypes.set(d.name.name, { enumName: d.name.name, members, labels: d.labels });
        ctx.diagnostics.push(...enumLabelErrors(d));
        d.members.forEach((m, value) => {
          if (scope.declare(m)) scope.enumMembers.set(m.name, { enumName: d.name.name, value });
        });
        break;
      }
      case "counter":
        if (scope.declare(d.name)) scope.counters.push(d.name.name);
        break;
      default:
        break;
    }
  }
  for (const d of ctx.decls) {
    if (d.kind !== "param" || d.type === null || scope.constDecls.get(d.name.name) !== d) continue;
    const e = scope.enumTypes.get(d.type.name);
    if (e === undefined)
      ctx.err("FX131", `the type of a param is an enum; '${d.type.name}' is not an enum of this model`, d.type.span);
    else scope.enumParams.set(d.name.name, e);
  }
  return scope;
}

/** Every `--set NAME=…` names a param of the model. */
export function checkOverrides(ctx: CheckContext, scope: Scope): void {
  for (const [name] of ctx.options.overrides ?? []) {
    const d = scope.constDecls.get(name);
    if (d === undefined || d.kind !== "param") {
      const known = [...scope.constDecls.values()].filter((x) => x.kind === "param").map((x) => x.name.name);
      ctx.err(
        "FX123",
        `--set ${name}: the model has no param '${name}'${known.length ? ` (params: ${known.join(", ")})` : ""}`,
        ctx.program.span,
      );
    }
  }
}
