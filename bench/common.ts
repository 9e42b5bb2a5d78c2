// What both benchmark scripts share: where the repository and the built CLI are, and the median of runs.
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const cli = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/** The median of repeated measurements (the upper one of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
