// Source links: `follows glibc "2.41";` names a version of a project that a file's steps follow, and
// `@glibc "nptl/pthread_mutex_unlock.c:164"` before a statement or a body names the real code it models.
// Each file names its own versions: a reference's project must be followed by the file it is written in.
import type { Block, Decl, SourceRef, Stmt } from "./ast.js";
import { error, type Diagnostic } from "./diagnostics.js";

export interface Follows {
  project: string;
  version: string;
  file: string;
}

// path:line or path:line-line, the path relative to the project's tree.
const LOCATION = /^[^\s:]+:[1-9][0-9]*(-[1-9][0-9]*)?$/;

export function checkSources(decls: Decl[]): {
  follows: Follows[];
  bodyRefs: Map<Block, SourceRef[]>;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const follows: Follows[] = [];
  for (const d of decls) {
    if (d.kind !== "follows") continue;
    const file = d.span.file;
    if (follows.some((f) => f.file === file && f.project === d.project.name))
      diagnostics.push(error("FX130", `this file already says which version of ${d.project.name} it follows`, d.span));
    else follows.push({ project: d.project.name, version: d.version, file });
  }
  const checkRef = (r: SourceRef) => {
    if (!follows.some((f) => f.file === r.span.file && f.project === r.project.name))
      diagnostics.push(
        error(
          "FX130",
          `no \`follows ${r.project.name} "VERSION";\` in this file: say which version of ${r.project.name} it follows`,
          r.project.span,
        ),
      );
    if (!LOCATION.test(r.location))
      diagnostics.push(
        error("FX130", `a source location is "path:line" or "path:line-line", not "${r.location}"`, r.span),
      );
  };
  const bodyRefs = new Map<Block, SourceRef[]>();
  for (const d of decls) {
    if (
      d.kind !== "routine" &&
      d.kind !== "handler" &&
      d.kind !== "on_exit" &&
      d.kind !== "thread" &&
      d.kind !== "kthread"
    )
      continue;
    d.refs.forEach(checkRef);
    if (d.refs.length > 0) bodyRefs.set(d.body, d.refs);
    forEachStmt(d.body, (s) => {
      if (s.kind === "sourced") s.refs.forEach(checkRef);
    });
  }
  return { follows, bodyRefs, diagnostics };
}

/** Calls `visit` on every statement of a block, nested ones included. */
function forEachStmt(b: Block, visit: (s: Stmt) => void): void {
  for (const s of b.stmts) {
    visit(s);
    switch (s.kind) {
      case "sourced":
      case "label":
        forEachStmt({ kind: "block", stmts: [s.body], span: s.span }, visit);
        break;
      case "if":
        forEachStmt(s.then, visit);
        if (s.else) forEachStmt(s.else, visit);
        break;
      case "while":
      case "for":
      case "atomic":
      case "nopreempt":
        forEachStmt(s.body, visit);
        break;
      case "either":
        s.branches.forEach((branch) => forEachStmt(branch, visit));
        break;
      default:
        break;
    }
  }
}

/** What a trace shows for a reference: `glibc nptl/pthread_mutex_unlock.c:164`, with the version when the
 *  reference names its own (`linux 5.4 kernel/futex.c:3470`). */
export function refText(r: SourceRef): string {
  return r.version === null ? `${r.project.name} ${r.location}` : `${r.project.name} ${r.version} ${r.location}`;
}
