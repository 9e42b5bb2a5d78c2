// The cached state count that sizes the store of a check run again: keyed by the sources and the options,
// kept in the cache directory, harmless when missing or broken.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheDir, hintKey, readHint, writeHint } from "../../cli/size-hint.js";

describe("size hints", () => {
  let dir = "";
  const saved = { dir: process.env.FUTEXCHECK_CACHE_DIR, off: process.env.FUTEXCHECK_NO_CACHE };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fx-hint-"));
    process.env.FUTEXCHECK_CACHE_DIR = join(dir, "cache");
    delete process.env.FUTEXCHECK_NO_CACHE; // set for the other tests (vitest.config.ts)
  });
  afterEach(() => {
    for (const [name, value] of [
      ["FUTEXCHECK_CACHE_DIR", saved.dir],
      ["FUTEXCHECK_NO_CACHE", saved.off],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const sources = new Map([
    ["a.fxp", "model a;"],
    ["lib.fxp", "x"],
  ]);

  it("remembers the state count of a key, in the cache directory", () => {
    const key = hintKey(sources, { kills: 0 });
    expect(readHint(key)).toBeUndefined();
    writeHint(key, 5_682_547);
    expect(readHint(key)).toBe(5_682_547);
    expect(cacheDir()).toBe(join(dir, "cache"));
    expect(JSON.parse(readFileSync(join(dir, "cache", "expect-states.json"), "utf8"))).toEqual({ [key]: 5_682_547 });
  });

  it("keys differ with any source text or option, not with the order of the sources", () => {
    const key = hintKey(sources, { kills: 0 });
    expect(hintKey(new Map([...sources].reverse()), { kills: 0 })).toBe(key);
    expect(hintKey(new Map([...sources, ["lib.fxp", "y"]]), { kills: 0 })).not.toBe(key);
    expect(hintKey(sources, { kills: 1 })).not.toBe(key);
  });

  it("FUTEXCHECK_NO_CACHE turns the cache off: nothing read, nothing written", () => {
    writeHint("k", 10);
    process.env.FUTEXCHECK_NO_CACHE = "1";
    expect(cacheDir()).toBe(null);
    expect(readHint("k")).toBeUndefined();
    writeHint("k", 11);
    delete process.env.FUTEXCHECK_NO_CACHE;
    expect(readHint("k")).toBe(10);
  });

  it("a broken cache file is no hint, and is replaced by the next write", () => {
    writeHint("k", 10);
    writeFileSync(join(dir, "cache", "expect-states.json"), "{ not json");
    expect(readHint("k")).toBeUndefined();
    writeHint("k", 12);
    expect(readHint("k")).toBe(12);
  });
});
