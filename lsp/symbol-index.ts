// Every name in a checked model, declared or used, and what it stands for: the table behind hover, go to
// definition and find references. It is read off the checker's own results (`resolutions`, `callees`, the
// locals of each body) and the declarations' names, so a construct the checker learns shows up here by itself.
import type { Decl, Expr, Ident, Span } from "../grammar/ast.js";
import { BUILTINS } from "../grammar/builtins.js";
import type { CheckedModel, LocalVar, Resolution } from "../grammar/model.js";
import { describeBuiltin, describeDecl, describeValue, describeGlobal, describeLocal } from "./describe.js";
import { contains, nameSpan } from "./positions.js";

export interface Target {
  name: string;
  kind: string; // the declaration's kind: param, const, routine, thread, label, local, global, builtin, …
  span: Span | null; // where it is declared (null: builtins and NTHREADS/NCPUS)
  hover: () => string;
}

export interface Occurrence {
  span: Span;
  target: Target;
  declaration: boolean;
}

export class SymbolIndex {
  readonly occurrences: Occurrence[] = [];

  /** The name at `offset` of `file` (the innermost, should spans nest). */
  at(file: string, offset: number): Occurrence | undefined {
    let best: Occurrence | undefined;
    for (const o of this.occurrences)
      if (contains(o.span, file, offset) && (best === undefined || o.span.offset >= best.span.offset)) best = o;
    return best;
  }

  references(target: Target): Occurrence[] {
    return this.occurrences.filter((o) => o.target === target);
  }
}

type Named = Decl & { name: Ident };

/** Builds the index of a model that checked without errors. */
export function buildIndex(model: CheckedModel): SymbolIndex {
  const index = new SymbolIndex();
  const taken = new Set<string>(); // `file:offset` of every occurrence found so far
  const add = (span: Span, target: Target, declaration: boolean) => {
    const key = `${span.file}:${span.offset}`;
    if (taken.has(key)) return;
    taken.add(key);
    index.occurrences.push({ span, target, declaration });
  };
  const program = model.program;

  // Top-level names: declarations with a name, enum members, labels (a label name may repeat across bodies).
  const top = new Map<string, Target[]>();
  const declare = (id: Ident, kind: string, hover: () => string): Target => {
    const target: Target = { name: id.name, kind, span: id.span, hover };
    top.set(id.name, [...(top.get(id.name) ?? []), target]);
    add(id.span, target, true);
    return target;
  };
  const globals = new Map<object, Target>();
  for (const d of program.decls) {
    if (isNamed(d)) declare(d.name, d.kind === "routine" ? d.routine : d.kind, () => describeDecl(d, model));
    if (d.kind === "enum")
      d.members.forEach((m, i) => declare(m, "enum member", () => `enum member of ${d.name.name} = ${i}`));
    if (d.kind === "space")
      for (const v of d.vars) {
        const g = model.globals.find((x) => x.decl === v);
        const target = declare(v.name, "global", () => (g ? describeGlobal(g, model) : v.name.name));
        globals.set(v, target);
      }
  }
  walk(program, (node) => {
    if (node.kind === "label") {
      const label = node.label as Ident;
      declare(label, "label", () => `label \`${label.name}\` (a step of a trace; \`at(t, ${label.name})\`, \`goto\`)`);
    }
  });

  const locals = new Map<LocalVar, Target>();
  for (const body of model.bodies)
    for (const v of body.locals) {
      const span = nameSpan(v.span, v.name);
      const target: Target = { name: v.name, kind: "local", span, hover: () => describeLocal(v, model) };
      locals.set(v, target);
      add(span, target, true);
    }
  const indexes = new Map<object, Target>();
  for (const t of model.templates)
    if (t.decl.kind === "thread" && t.decl.index !== null) {
      const variable = t.decl.index.variable;
      const count = `${t.indexLo}..${t.indexLo + t.count - 1}`;
      const target: Target = {
        name: variable.name,
        kind: "thread index",
        span: variable.span,
        hover: () => `thread index \`${variable.name}\` of ${t.name}: ${count}`,
      };
      indexes.set(t, target);
      add(variable.span, target, true);
    }
  const quants: { quant: Expr & { kind: "quant" }; target: Target }[] = [];
  walk(program, (node) => {
    if (node.kind !== "quant") return;
    const quant = node as unknown as Expr & { kind: "quant" };
    const v = quant.variable;
    const target: Target = { name: v.name, kind: "bound", span: v.span, hover: () => `bound variable \`${v.name}\`` };
    quants.push({ quant, target });
    add(v.span, target, true);
  });

  const builtins = new Map<string, Target>();
  const builtin = (name: string): Target => {
    let t = builtins.get(name);
    if (t === undefined) {
      t = { name, kind: "builtin", span: null, hover: () => describeBuiltin(name, BUILTINS.get(name)!) };
      builtins.set(name, t);
    }
    return t;
  };
  const firstOf = (name: string, kinds?: string[]) =>
    top.get(name)?.find((t) => kinds === undefined || kinds.includes(t.kind));

  const targetOf = (node: Expr | Ident, r: Resolution): Target | undefined => {
    const name = (node as { name: string }).name;
    switch (r.kind) {
      case "global":
        return globals.get(r.v.decl);
      case "local":
        return locals.get(r.v);
      case "thread_index":
        return indexes.get(r.template);
      case "bound":
        return quants
          .filter((q) => q.target.name === name && within(node.span, q.quant.span))
          .sort((a, b) => b.quant.span.offset - a.quant.span.offset)[0]?.target;
      case "const": {
        const decl = firstOf(name, ["param", "const", "enum member"]);
        if (decl !== undefined) return decl;
        return { name, kind: "const", span: null, hover: () => describeValue(name, r.value) };
      }
    }
  };
  for (const [node, r] of model.resolutions) {
    const target = targetOf(node, r);
    if (target !== undefined) add(node.span, target, false);
  }
  for (const [call, callee] of model.callees) {
    if (call.kind !== "call") continue;
    const target = callee.kind === "builtin" ? builtin(callee.name) : firstOf(callee.body.name);
    if (target !== undefined) add(call.callee.span, target, false);
  }
  // What the checker does not record as a resolution: labels (`goto`, `at`), handler attributes, enum type
  // names, counters. These are top-level names; a label is looked for first in the body the use is in.
  walk(program, (node) => {
    const name = node.name;
    const span = node.span as Span | undefined;
    if (typeof name !== "string" || span === undefined || taken.has(`${span.file}:${span.offset}`)) return;
    const candidates = top.get(name);
    if (candidates === undefined) return;
    const body = model.bodies.find((b) => within(span, b.block.span));
    const local = body && candidates.find((t) => t.span !== null && within(t.span, body.block.span));
    add(span, local ?? candidates[0], false);
  });
  return index;
}

function within(inner: Span, outer: Span): boolean {
  return inner.file === outer.file && outer.offset <= inner.offset && inner.endOffset <= outer.endOffset;
}

function isNamed(d: Decl): d is Named {
  const name = (d as { name?: unknown }).name;
  return typeof name === "object" && name !== null && typeof (name as Ident).name === "string";
}

/** Calls `visit` on every AST node (objects with a `kind` or a `name`) below `root`, in source order. */
export function walk(root: object, visit: (node: Record<string, unknown>) => void): void {
  const go = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(go);
    if (x === null || typeof x !== "object") return;
    const node = x as Record<string, unknown>;
    if (typeof node.kind === "string" || typeof node.name === "string") visit(node);
    for (const [key, value] of Object.entries(node)) if (key !== "span" && key !== "comments") go(value);
  };
  go(root);
}
