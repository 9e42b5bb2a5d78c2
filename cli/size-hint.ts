// The state count of the previous check of the same model with the same options, kept in the user's cache
// directory, so that a check run again sizes its state store for it from the start (--expect-states is the
// same by hand). A cache only: a missing, unreadable or stale file changes no result, only how often the
// store grows.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const MAX_ENTRIES = 256; // the oldest hints are dropped beyond this

/** `$FUTEXCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/futexcheck`, else `~/.cache/futexcheck`; null when
 *  `$FUTEXCHECK_NO_CACHE` is set (the tests: a hint changes where a memory bound is met). */
export function cacheDir(): string | null {
  if ((process.env.FUTEXCHECK_NO_CACHE ?? "") !== "") return null;
  const own = process.env.FUTEXCHECK_CACHE_DIR;
  if (own !== undefined && own !== "") return own;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache"), "futexcheck");
}

function hintFile(): string | null {
  const dir = cacheDir();
  return dir === null ? null : join(dir, "expect-states.json");
}

/** The key of a check: the text of every source file it read and every option that shapes its state graph. */
export function hintKey(sources: ReadonlyMap<string, string>, options: Record<string, unknown>): string {
  const h = createHash("sha256");
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(file).update("\0").update(text).update("\0");
  }
  h.update(JSON.stringify(options));
  return h.digest("hex");
}

function readHints(): Record<string, number> {
  const file = hintFile();
  if (file === null) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** The state count the last check with this key stored, if it is known. */
export function readHint(key: string): number | undefined {
  const n = readHints()[key];
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Remembers the state count of a check (the file is replaced whole, never left half written). */
export function writeHint(key: string, states: number): void {
  const dir = cacheDir();
  const file = hintFile();
  if (dir === null || file === null) return;
  try {
    const hints = readHints();
    delete hints[key];
    hints[key] = states; // last in insertion order: the newest
    const keys = Object.keys(hints);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete hints[k];
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(hints));
    renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs the next run some growth of its store
  }
}
