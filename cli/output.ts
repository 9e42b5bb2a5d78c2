// Where results go. Output files are vetted before a search starts (never an input, always writable), and a
// failure to write one, or the standard streams, is reported in one line without changing the exit code the
// verdicts decided: a result already computed is never lost to an output error.
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Why `path` may not be written by `flag` (it is one of `inputs`, a directory, or not writable), or null. */
export function outputPathProblem(flag: string, path: string, inputs: Iterable<string>): string | null {
  let target: ReturnType<typeof statSync> | undefined;
  try {
    target = statSync(path); // follows symlinks: a link to an input is that input
  } catch {
    target = undefined; // not there yet: its folder must take a new file
  }
  if (target !== undefined) {
    for (const input of inputs) {
      let same = false;
      try {
        const s = statSync(input);
        same = s.dev === target.dev && s.ino === target.ino; // also through `..`, symlinks and hard links
      } catch {
        same = resolve(input) === resolve(path);
      }
      if (same) return `${flag} ${path}: this is an input of the check (${input}); it is never overwritten`;
    }
    if (target.isDirectory()) return `${flag} ${path}: is a directory`;
  }
  try {
    accessSync(target === undefined ? dirname(resolve(path)) : path, constants.W_OK);
  } catch (e) {
    return `${flag}: cannot write ${path}: ${reason(e)}`;
  }
  return null;
}

/** Writes an output file; the one-line message of a failure, or null. */
export function writeOutputFile(flag: string, path: string, text: string): string | null {
  try {
    writeFileSync(path, text);
    return null;
  } catch (e) {
    return `${flag}: cannot write ${path}: ${reason(e)}`;
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: "no such directory",
    EACCES: "permission denied",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EISDIR: "is a directory",
  };
  return (err.code !== undefined ? known[err.code] : undefined) ?? err.message;
}

/** Makes a write error on standard output or standard error a one-line message (on standard error, while it
 *  still works) instead of an uncaught exception, so the exit code stays the one the verdicts set. A reader
 *  that closes the pipe early (`| head`) wanted no more: that is not an error and says nothing. Later writes
 *  to a failed stream are dropped. */
export function guardStandardStreams(): void {
  let stderrWorks = true;
  let stdoutWorks = true;
  process.stderr.on("error", () => {
    stderrWorks = false;
  });
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (stdoutWorks && stderrWorks && e.code !== "EPIPE")
      process.stderr.write(`futexcheck: cannot write the report to standard output: ${reason(e)}\n`);
    stdoutWorks = false;
  });
}
