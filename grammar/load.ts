// Reads a model file and its imports, parses them and runs the semantic checks.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Decl, Program, Span } from "./ast.js";
import { check, type CheckOptions } from "./check.js";
import { compareDiagnostics, error, type Diagnostic } from "./diagnostics.js";
import type { CheckedModel } from "./model.js";
import { MAX_SOURCE_BYTES, parse } from "./parse.js";

export interface Loaded {
  model: CheckedModel | null;
  program: Program | null;
  diagnostics: Diagnostic[];
  sources: Map<string, string>; // file → text, for rendering diagnostics and traces
  /** For each imported file, the `import` of the root file through which it was first reached. */
  via: Map<string, Span>;
  /** The root file's own declarations, its imports included (null when it does not parse). */
  own: Program | null;
}

/** What loading finds beside the merged program (for an editor). */
interface Found {
  via: Map<string, Span>;
  own: Program | null;
}

/** Texts that stand in for files on disk (an editor's unsaved buffers), by path. */
export type Overlay = ReadonlyMap<string, string>;

/** The folder of the standard library (`import "futex"` finds models/lib/futex.fxp). Property templates
 *  live in properties/ beside it (`import "stack_reuse"` finds properties/stack_reuse.fxp). */
export function libraryDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "models", "lib");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), "..", "models", "lib");
}

export function propertiesDir(): string {
  return join(dirname(dirname(libraryDir())), "properties");
}

function fileSpan(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
}

export function readSource(
  file: string,
  sources: Map<string, string>,
  diagnostics: Diagnostic[],
  at?: Span,
  overlay?: Overlay,
): string | null {
  const unsaved = overlay?.get(file);
  if (unsaved !== undefined) {
    sources.set(file, unsaved);
    return unsaved;
  }
  try {
    if (statSync(file).size > MAX_SOURCE_BYTES) {
      diagnostics.push(error("FX005", `file is larger than ${MAX_SOURCE_BYTES} bytes`, at ?? fileSpan(file)));
      return null;
    }
    const text = readFileSync(file, "utf8");
    sources.set(file, text);
    return text;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    diagnostics.push(error("FX007", `cannot read ${file}: ${reason}`, at ?? fileSpan(file)));
    return null;
  }
}

/** Parses a file and, recursively, the files it imports (each once). Imported declarations come first. */
export function loadProgram(
  file: string,
  sources: Map<string, string>,
  diagnostics: Diagnostic[],
  overlay?: Overlay,
  found?: Found,
): Program | null {
  const seen = new Set<string>();
  const decls: Decl[] = [];
  let root: Program | null = null;
  const visit = (path: string, at: Span | undefined, rootImport: Span | undefined): boolean => {
    const full = resolve(path);
    if (seen.has(full)) return true;
    seen.add(full);
    if (rootImport !== undefined) found?.via.set(path, rootImport);
    const text = readSource(path, sources, diagnostics, at, overlay);
    if (text === null) return false;
    const parsed = parse(text, path);
    if (!parsed.ok) {
      diagnostics.push(...parsed.diagnostics);
      return false;
    }
    let ok = true;
    for (const d of parsed.program.decls) {
      if (d.kind !== "import") continue;
      const target = resolveImport(d.path, path);
      if (target === null) {
        diagnostics.push(
          error(
            "FX007",
            `cannot find import "${d.path}" (looked beside ${path}, in the library ${libraryDir()} and in ${propertiesDir()})`,
            d.span,
          ),
        );
        ok = false;
      } else if (!visit(target, d.span, rootImport ?? d.span)) ok = false;
    }
    for (const d of parsed.program.decls) if (d.kind !== "import") decls.push(d); // no spread: a file may hold 100 000
    if (root === null || path === file) root = parsed.program;
    if (path === file && found !== undefined) found.own = parsed.program;
    return ok;
  };
  const ok = visit(file, undefined, undefined);
  if (!ok || root === null) return null;
  return { kind: "program", decls, span: (root as Program).span };
}

export function resolveImport(name: string, from: string): string | null {
  const file = name.endsWith(".fxp") ? name : `${name}.fxp`;
  for (const dir of [dirname(from), libraryDir(), propertiesDir()]) {
    const candidate = join(dir, file);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function loadModel(file: string, options: CheckOptions = {}, overlay?: Overlay): Loaded {
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const found: Found = { via: new Map(), own: null };
  const program = loadProgram(file, sources, diagnostics, overlay, found);
  if (program === null)
    return { model: null, program: null, diagnostics: diagnostics.sort(compareDiagnostics), sources, ...found };
  const checked = check(program, options);
  const sorted = checked.diagnostics.sort(compareDiagnostics);
  return { model: checked.model, program, diagnostics: sorted, sources, ...found };
}
