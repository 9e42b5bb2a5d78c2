// Names a JavaScript object already has (Object.prototype's members, `__proto__`) are ordinary names in the
// language: declared, they work like any other name; unknown, they get the ordinary located error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRuns, loadVariants } from "../../cli/compare.js";
import { lines, runSource, tryCheck } from "../checker/helpers.js";

const OBJECT_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "__proto__"];
const arbName = fc.constantFrom(...new Set(OBJECT_NAMES));

function errorOf(src: string): string {
  const c = tryCheck(src);
  if (typeof c !== "string") throw new Error("the model checks");
  return c.split("\n")[0];
}

describe("names of Object.prototype's members", () => {
  it("an unknown routine of such a name is an unknown function (FX101)", () => {
    const head = ["model m;", "shared { word x = 0; }"];
    expect(errorOf(lines(...head, "thread main { constructor(); }"))).toBe(
      "t.fxp:3:15: error FX101: unknown function 'constructor'",
    );
    expect(errorOf(lines(...head, "thread main { toString(1); }"))).toBe(
      "t.fxp:3:15: error FX101: unknown function 'toString'",
    );
    expect(errorOf(lines(...head, "thread main { valueOf(); }"))).toBe(
      "t.fxp:3:15: error FX101: unknown function 'valueOf'",
    );
    expect(errorOf(lines(...head, "thread main { __proto__(x); }"))).toBe(
      "t.fxp:3:15: error FX101: unknown function '__proto__'",
    );
    expect(errorOf(lines(...head, "thread main { skip; }", "invariant i: hasOwnProperty(x);"))).toBe(
      "t.fxp:4:14: error FX101: unknown function 'hasOwnProperty'",
    );
  });

  it("declaring such a name is allowed", () => {
    const { report } = runSource(lines("model m;", "proc toString() { skip; }", "thread main { toString(); }"));
    expect(report.stats.states).toBe(3);
    expect(report.results.every((r) => r.verdict === "HOLDS")).toBe(true);
  });

  // One model with every kind of user name; any choice of Object.prototype's names for them gives the same
  // search as plain names, and the names appear in the traces' states.
  const model = (n: string[]) =>
    lines(
      "model m;",
      `const ${n[0]} = 2;`,
      `counter ${n[1]};`,
      `enum E { ${n[2]}, B }`,
      `shared { word ${n[3]} = 0; E e = ${n[2]}; }`,
      `proc ${n[4]}() { ${n[3]} = ${n[3]} + 1; }`,
      `thread ${n[5]}[i in 0..1] { int 0..3 ${n[6]} = 0; ${n[6]} = ${n[0]}; ${n[4]}(); ${n[7]}: count(${n[1]}); }`,
      `invariant ${n[8]}: ${n[3]} <= 1;`,
      `reachable done: at(0, ${n[7]}) && e == ${n[2]};`,
    );
  const plain = ["C", "K", "A", "g", "p", "w", "l", "lab", "small"];
  const reference = runSource(model(plain)).report;

  it("any of them used for every kind of declaration checks and searches like plain names", () => {
    expect(reference.stats.states).toBeGreaterThan(1);
    fc.assert(
      fc.property(fc.uniqueArray(arbName, { minLength: plain.length, maxLength: plain.length }), (names) => {
        const { report } = runSource(model(names));
        expect(report.stats.states).toBe(reference.stats.states);
        expect(report.results.map((r) => r.verdict)).toEqual(reference.results.map((r) => r.verdict));
        const violated = report.results.find((r) => r.name === names[8])!;
        expect(violated.verdict).toBe("VIOLATED");
        expect(Object.keys(violated.trace!.final)).toContain(names[3]);
        expect(violated.trace!.final[names[3]]).toBe("2");
        expect(report.costs[names[1]]).toBe(reference.costs.K);
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it("any of them, unknown, is a located FX101", () => {
    fc.assert(
      fc.property(arbName, (name) => {
        const head = ["model m;", "shared { word x = 0; }"];
        expect(errorOf(lines(...head, `thread main { ${name}(x); }`))).toMatch(/^t\.fxp:3:15: error FX101: /);
        expect(errorOf(lines(...head, `thread main { x = ${name}; }`))).toBe(
          `t.fxp:3:19: error FX101: unknown name '${name}'`,
        );
        expect(errorOf(lines(...head, "thread main { skip; }", `invariant i: ${name}(x) > 0;`))).toBe(
          `t.fxp:4:14: error FX101: unknown function '${name}'`,
        );
      }),
    );
  });
});

describe("names of Object.prototype's members in compare's tables", () => {
  it("a property, a counter and a param so named are columns and values like any other", () => {
    const dir = mkdtempSync(join(tmpdir(), "futexcheck-names-"));
    const file = join(dir, "m.fxp");
    writeFileSync(
      file,
      lines(
        "model m;",
        "param __proto__ = 1;",
        "counter constructor;",
        "shared { word x = 0; }",
        "thread main { x = __proto__; count(constructor); }",
        "invariant toString: x != 2;",
      ),
    );
    try {
      const loaded = loadVariants([file], [{ name: "__proto__", values: [1, 2] }]);
      if (!loaded.ok) throw new Error("the variants do not load");
      const { comparison } = compareRuns(loaded.runs, {});
      const rows = JSON.parse(JSON.stringify(comparison.rows)) as typeof comparison.rows;
      expect(rows.map((r) => [r.params.__proto__, r.cells.toString?.verdict, r.costs.constructor])).toEqual([
        [1, "HOLDS", 1],
        [2, "VIOLATED", 1],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
