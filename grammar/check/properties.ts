// Properties: each named once, each a condition over the state (no code context: no locals, no `self`, no
// routine calls).
import type { Expr, Span } from "../ast.js";
import type { Property } from "../model.js";
import type { CheckContext } from "./context.js";
import type { Expressions } from "./expressions.js";
import { showValue } from "./values.js";

export function checkProperties(ctx: CheckContext, exprs: Expressions): Property[] {
  const out: Property[] = [];
  const names = new Map<string, Span>();
  const boolExpr = (e: Expr) => {
    const t = exprs.typeOf(e, { code: null, top: false, underAddr: false });
    if (t !== null && t.kind !== "bool" && t.kind !== "num")
      ctx.err("FX103", `a property must be a bool, not ${showValue(t)}`, e.span);
  };
  for (const d of ctx.decls) {
    if (d.kind !== "invariant" && d.kind !== "reachable" && d.kind !== "leads_to" && d.kind !== "always_eventually")
      continue;
    const prev = names.get(d.name.name);
    if (prev !== undefined)
      ctx.err("FX102", `property '${d.name.name}' is already declared at line ${prev.line}`, d.name.span);
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
