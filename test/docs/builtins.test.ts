// Each builtin's signature and doc line (grammar/builtins.ts, shown by the editor's hover and completion) is
// the row of the builtins table in docs/language.md, and the table lists no other.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../grammar/builtins.js";

const manual = readFileSync(join(import.meta.dirname, "../../docs/language.md"), "utf8");
const rows = [...manual.matchAll(/^\| `(\w+)\(([^)]*)\)`✱? *\| [^|]*\| (.*?) *\|$/gm)].map(([, name, args, doc]) => ({
  name,
  names: args
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== ""),
  doc,
}));

describe("builtins in the manual", () => {
  it("the table has one row per builtin, with its argument names and doc line", () => {
    expect(rows.map((r) => r.name).sort()).toEqual([...BUILTINS.keys()].sort());
    for (const r of rows) {
      const b = BUILTINS.get(r.name);
      expect({ name: r.name, names: b?.names, doc: b?.doc }).toEqual(r);
    }
  });
});
