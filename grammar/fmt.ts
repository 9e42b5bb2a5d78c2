// The canonical printer of futexcheck programs: 2-space indentation, one statement per line, C-like spacing.
// It never adds parentheses of its own: the AST keeps the source's `paren` nodes, and every tree the parser
// produces already has them exactly where precedence needs them. So `parse(format(p))` gives back `p` (spans
// aside), comments included: each is printed where comments.ts attached it.
import type {
  Block,
  Commented,
  Decl,
  Domain,
  Expr,
  Program,
  SourceRef,
  Stmt,
  ThreadAttr,
  TypeExpr,
  VarDecl,
} from "./ast.js";
import { elseIfOf } from "./comments.js";

const INDENT = "  ";

export function format(program: Program): string {
  const out: string[] = [];
  let previous: Decl | null = null;
  for (const decl of program.decls) {
    if (previous !== null && (isBig(previous) || isBig(decl))) out.push("");
    for (const line of commented(decl, declLines(decl))) out.push(line); // a spread of a huge body would overflow the stack
    previous = decl;
  }
  for (const line of program.comments?.closing ?? []) out.push(line);
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

/** A node's lines with its comments: the leading ones on lines before it, the trailing ones after its last line. */
function commented(node: Commented, lines: string[]): string[] {
  const trailing = node.comments?.trailing ?? [];
  const last = lines.length - 1;
  const tail = trailing.length === 0 ? lines : [...lines.slice(0, last), `${lines[last]} ${trailing.join(" ")}`];
  return [...(node.comments?.leading ?? []), ...tail];
}

/** `header {`, the lines indented, the closing comments indented, `}`; or `header {}` when all are empty. */
function braced(header: string, inner: string[], closing: string[] = []): string[] {
  if (inner.length === 0 && closing.length === 0) return [`${header} {}`];
  const indented = [...inner, ...closing].map((line) => (line === "" ? line : INDENT + line));
  return [`${header} {`, ...indented, "}"];
}

// Declarations with a body take several lines and are set apart by blank lines.
function isBig(d: Decl): boolean {
  switch (d.kind) {
    case "space":
    case "routine":
    case "handler":
    case "on_exit":
    case "thread":
    case "kthread":
      return true;
    default:
      return false;
  }
}

// ---------- declarations ----------

function declLines(d: Decl): string[] {
  switch (d.kind) {
    case "model":
      return [`model ${d.name.name};`];
    case "param":
      return [`param ${d.name.name}${d.type === null ? "" : `: ${d.type.name}`} = ${expr(d.value)};`];
    case "follows":
      return [`follows ${d.project.name} ${JSON.stringify(d.version)};`];
    case "const":
      return [`const ${d.name.name} = ${expr(d.value)};`];
    case "cpus":
      return [`cpus ${expr(d.count)};`];
    case "import":
      return [`import ${JSON.stringify(d.path)};`];
    case "enum":
      return [`enum ${d.name.name} { ${d.members.map((m, i) => member(m.name, d.labels[i])).join(", ")} }`];
    case "space":
      return braced(
        d.space,
        d.vars.flatMap((v) => commented(v, [varDecl(v)])),
        d.comments?.closing,
      );
    case "routine": {
      const params = d.params.map((p) => `${p.name.name}: ${type(p.type)}`).join(", ");
      const returns = d.returns === null ? "" : `: ${type(d.returns)}`;
      return refLines(d.refs, blockLines(`${d.routine} ${d.name.name}(${params})${returns}`, d.body));
    }
    case "handler":
      return refLines(d.refs, blockLines(`handler ${d.name.name}`, d.body));
    case "on_exit":
      return refLines(d.refs, blockLines("on exit", d.body));
    case "thread": {
      const index = d.index === null ? "" : `[${d.index.variable.name} in ${range(d.index.lo, d.index.hi)}]`;
      return refLines(d.refs, blockLines(`thread ${d.name.name}${index}${attrs(d.attrs)}`, d.body));
    }
    case "kthread":
      // Without `per cpu` the placement is the first attribute, an `on cpu`.
      return refLines(
        d.refs,
        blockLines(`kthread ${d.name.name}${d.perCpu ? " per cpu" : ""}${attrs(d.attrs)}`, d.body),
      );
    case "invariant":
      return [`invariant ${d.name.name}: ${expr(d.expr)};`];
    case "reachable":
      return [`reachable ${d.name.name}: ${expr(d.expr)};`];
    case "leads_to":
      return [`liveness ${d.name.name}: ${expr(d.from)} leads_to ${expr(d.to)};`];
    case "always_eventually":
      return [`liveness ${d.name.name}: always eventually ${expr(d.expr)};`];
    case "fairness":
      return ["fairness weak;"];
    case "counter":
      return [`counter ${d.name.name};`];
  }
}

function member(name: string, label: string | null): string {
  return label === null ? name : `${name} = ${JSON.stringify(label)}`;
}

/** Source references, one a line, before what they apply to. */
function refLines(refs: SourceRef[], lines: string[]): string[] {
  return [...refs.map(sourceRef), ...lines];
}

function sourceRef(r: SourceRef): string {
  const version = r.version === null ? "" : ` ${JSON.stringify(r.version)}`;
  return `@${r.project.name}${version} ${JSON.stringify(r.location)}`;
}

function attrs(list: ThreadAttr[]): string {
  return list.map((a) => " " + attr(a)).join("");
}

function attr(a: ThreadAttr): string {
  switch (a.kind) {
    case "on_cpu":
      return `on cpu ${expr(a.cpu)}`;
    case "killable":
      return "killable";
    case "fair":
      return "fair";
    case "handler":
      return `handler ${a.name.name}`;
  }
}

function type(t: TypeExpr): string {
  switch (t.kind) {
    case "bool":
    case "word":
    case "tid":
    case "addr":
    case "tidset":
      return t.kind;
    case "int":
      return `int ${range(t.lo, t.hi)}`;
    case "named":
      return t.name.name;
    case "tidqueue":
      return `tidqueue<${expr(t.capacity)}>`;
  }
}

function varDecl(v: VarDecl): string {
  const size = v.size === null ? "" : `[${expr(v.size)}]`;
  let init = "";
  if (Array.isArray(v.init)) init = ` = {${v.init.map(expr).join(", ")}}`;
  else if (v.init !== null) init = ` = ${expr(v.init)}`;
  return `${type(v.type)} ${v.name.name}${size}${init};`;
}

// ---------- statements ----------

/** `header {`, the statements indented, `}`; or `header {}` for an empty block. */
function blockLines(header: string, block: Block): string[] {
  return braced(
    header,
    block.stmts.flatMap((s) => commented(s, stmtLines(s))),
    block.comments?.closing,
  );
}

/** Appends `rest` to the last line of `lines` (for `} else {` and `} or {`). */
function glue(lines: string[], rest: string[]): string[] {
  const last = lines.length - 1;
  return [...lines.slice(0, last), lines[last] + rest[0], ...rest.slice(1)];
}

function stmtLines(s: Stmt): string[] {
  switch (s.kind) {
    case "var":
      return [varDecl(s)];
    case "label":
      return glue([`${s.label.name}: `], stmtLines(s.body));
    case "sourced":
      return refLines(s.refs, stmtLines(s.body));
    case "assign":
      return [`${expr(s.target)} = ${expr(s.value)};`];
    case "expr":
      return [`${expr(s.expr)};`];
    case "if": {
      const lines = blockLines(`if (${expr(s.cond)})`, s.then);
      if (s.else === null) return lines;
      const chained = elseIfOf(s.else);
      return glue(lines, chained !== null ? glue([" else "], stmtLines(chained)) : blockLines(" else", s.else));
    }
    case "while":
      return blockLines(`while (${expr(s.cond)})`, s.body);
    case "for":
      return blockLines(`for (${s.variable.name} in ${range(s.lo, s.hi)})`, s.body);
    case "either": {
      let lines = blockLines("either", s.branches[0]);
      for (const b of s.branches.slice(1)) lines = glue(lines, blockLines(" or", b));
      return lines;
    }
    case "choose": {
      const domain = s.lo !== null && s.hi !== null ? ` in ${range(s.lo, s.hi)}` : "";
      const where = s.where === null ? "" : ` where ${expr(s.where)}`;
      return [`choose ${s.variable.name}${domain}${where};`];
    }
    case "atomic":
      return blockLines("atomic", s.body);
    case "nopreempt":
      return blockLines("nopreempt", s.body);
    case "await":
      return [`await ${s.interruptible ? "interruptible " : ""}${expr(s.cond)};`];
    case "assert":
      return [`assert ${expr(s.cond)};`];
    case "return":
      return [s.value === null ? "return;" : `return ${expr(s.value)};`];
    case "skip":
    case "break":
    case "continue":
      return [`${s.kind};`];
    case "goto":
      return [`goto ${s.label.name};`];
  }
}

// ---------- expressions ----------

function range(lo: Expr, hi: Expr): string {
  return `${expr(lo)}..${expr(hi)}`;
}

function domain(d: Domain): string {
  return d.kind === "range" ? range(d.lo, d.hi) : d.kind;
}

/** One expression, printed as the parser would read it back. */
export function formatExpr(e: Expr): string {
  return expr(e);
}

function expr(e: Expr): string {
  switch (e.kind) {
    case "num":
      return e.text;
    case "bool":
      return e.value ? "true" : "false";
    case "null":
    case "self":
    case "this_cpu":
      return e.kind;
    case "name":
      return e.name;
    case "index":
      return `${expr(e.base)}[${expr(e.index)}]`;
    case "call":
      return `${e.callee.name}(${e.args.map(expr).join(", ")})`;
    case "unary": {
      const operand = expr(e.operand);
      // `& &x` and `- -x`: keep the two operators apart (`&&` is one token; `--` would read as C's decrement).
      const apart = (e.op === "&" || e.op === "-") && operand.startsWith(e.op);
      return e.op + (apart ? " " : "") + operand;
    }
    case "binary":
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case "quant":
      return `${e.quantifier} ${e.variable.name} in ${domain(e.domain)}: ${expr(e.body)}`;
    case "paren":
      return `(${expr(e.inner)})`;
  }
}
