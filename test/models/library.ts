// Shared by the tests that pin a model library folder: one case per checked configuration, with every
// verdict, the trace lengths and the number of states, as `futexcheck check` reports them.
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runCheck, type CheckReport } from "../../checker/run.js";
import { SymmetryRefused } from "../../checker/symmetry.js";
import { render } from "../../grammar/diagnostics.js";
import { loadModel } from "../../grammar/load.js";

/** A verdict and, when there is a trace or witness, its number of steps. */
export type Expected = [verdict: string, steps: number | null];

export const HOLDS: Expected = ["HOLDS", null];

export interface Case {
  file: string;
  kills?: number;
  signals?: number;
  set?: Record<string, number | string>; // a named version by its label (`KVER: "6.2"`)
  states: number; // without reductions other than the dead-value reset (--no-por)
  por: number; // with partial-order reduction (the default)
  symmetry?: number; // with --symmetry (and partial-order reduction): only where threads are interchangeable
  results: Record<string, Expected>; // every property and built-in check, in report order, without reductions
}

/** Every model of the library and every property template, as paths from the repository's root. */
export function libraryFiles(): string[] {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  return ["models", "properties"].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".fxp"))
      .map((f) => join(dir, f))
      .sort(),
  );
}

export function modelsDir(folder: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../models", folder);
}

export function title(c: Pick<Case, "file" | "kills" | "signals" | "set">): string {
  const opts = [
    c.kills ? `--kills ${c.kills}` : "",
    c.signals ? `--signals ${c.signals}` : "",
    ...Object.entries(c.set ?? {}).map(([k, v]) => `--set ${k}=${v}`),
  ].filter((s) => s !== "");
  return [c.file, ...opts].join(" ");
}

export function checkCase(
  dir: string,
  c: Pick<Case, "file" | "kills" | "signals" | "set">,
  reductions: { por: boolean; symmetry?: boolean; maxStates?: number } = { por: true },
): CheckReport {
  const loaded = loadModel(join(dir, c.file), { overrides: new Map(Object.entries(c.set ?? {})) });
  if (loaded.model === null) throw new Error(loaded.diagnostics.map((d) => render(d, loaded.sources)).join("\n"));
  return runCheck(loaded.model, loaded.sources, { kills: c.kills ?? 0, signals: c.signals ?? 0, ...reductions })
    .report;
}

/** A test that every model of the folder has a case, and a test per case pinning its report. */
export function pinCases(dir: string, cases: Case[], minFiles: number): void {
  it("has a case for every model", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".fxp"));
    expect(files.length).toBeGreaterThanOrEqual(minFiles);
    expect(new Set(cases.map((c) => c.file))).toEqual(new Set(files));
  });
  for (const c of cases) {
    // Without reductions a breadth-first trace is a shortest one: the pinned lengths are the true minimum.
    // Partial-order reduction keeps every verdict; its traces are real executions, never shorter.
    it(title(c), () => {
      const full = checkCase(dir, c, { por: false });
      expect(full.complete).toBe(true);
      const got = Object.fromEntries(full.results.map((r) => [r.name, [r.verdict, r.trace?.steps.length ?? null]]));
      expect(got).toEqual(c.results);
      expect(full.results.map((r) => r.name)).toEqual(Object.keys(c.results));
      expect(full.stats.states).toBe(c.states);

      const reduced = checkCase(dir, c, { por: true });
      expect(reduced.complete).toBe(true);
      expect(reduced.results.map((r) => [r.name, r.verdict])).toEqual(full.results.map((r) => [r.name, r.verdict]));
      reduced.results.forEach((r, i) => {
        const shortest = full.results[i].trace?.steps.length;
        if (shortest !== undefined) expect(r.trace!.steps.length).toBeGreaterThanOrEqual(shortest);
      });
      expect(reduced.stats.states).toBe(c.por);
      expect(reduced.stats.states).toBeLessThanOrEqual(full.stats.states);

      // Symmetry reduction: pinned where some threads are interchangeable; elsewhere the model is refused
      // (FX127) or the reduction is the identity (seen on the first state alone).
      if (c.symmetry === undefined) {
        let sym: CheckReport | null = null;
        try {
          sym = checkCase(dir, c, { por: true, symmetry: true, maxStates: 1 });
        } catch (e) {
          if (!(e instanceof SymmetryRefused)) throw e;
        }
        expect(sym?.reductions.symmetry ?? false).toBe(false);
      } else {
        const sym = checkCase(dir, c, { por: true, symmetry: true });
        expect(sym.reductions.symmetry).toBe(true);
        expect(sym.complete).toBe(true);
        expect(sym.results.map((r) => [r.name, r.verdict])).toEqual(full.results.map((r) => [r.name, r.verdict]));
        expect(sym.stats.states).toBe(c.symmetry);
      }
    });
  }
}
