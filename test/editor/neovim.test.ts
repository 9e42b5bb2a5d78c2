// A real editor as the client: Debian's Neovim (its built-in LSP client), headless, configured as a user
// would (nvim/init.lua) to start `futexcheck lsp --stdio` on `.fxp` files, opens a broken model; the test
// reads the diagnostics Neovim shows. Skipped where nvim is missing, except under CI (.ci/run installs it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, SERVER_COMMAND } from "../lsp/client.js";

const NVIM_DIR = join(import.meta.dirname, "nvim");
const NVIM = spawnSync("nvim", ["--version"], { encoding: "utf8" });
const found = NVIM.status === 0;
if (!found && process.env.CI) throw new Error("nvim is missing: .ci/run installs Debian's neovim for this test");

describe.skipIf(!found)("Neovim's LSP client", () => {
  it("starts the server on a .fxp file and shows its located, coded diagnostics", () => {
    const temp = mkdtempSync(join(tmpdir(), "futexcheck-nvim-"));
    try {
      const model = join(temp, "broken.fxp");
      const report = join(temp, "report.json");
      writeFileSync(
        model,
        'model broken;\nimport "futex";\nshared {\n  word lock = 0;\n}\nthread t {\n  lokc = 1;\n}\n',
      );
      const nvim = spawnSync(
        "nvim",
        [
          "--headless",
          "-n",
          "-i",
          "NONE",
          "-u",
          join(NVIM_DIR, "init.lua"),
          model,
          "-c",
          `luafile ${join(NVIM_DIR, "report.lua")}`,
        ],
        {
          cwd: ROOT,
          input: "",
          encoding: "utf8",
          timeout: 90_000,
          env: {
            ...process.env,
            FUTEXCHECK_LSP: JSON.stringify(SERVER_COMMAND),
            FUTEXCHECK_REPORT: report,
          },
        },
      );
      expect(nvim.error).toBeUndefined();
      expect(nvim.status, nvim.stderr).toBe(0);
      const shown = JSON.parse(readFileSync(report, "utf8")) as { filetype: string; diagnostics: unknown[] };
      expect(shown).toEqual({
        filetype: "fxp",
        diagnostics: [
          {
            lnum: 6,
            col: 2,
            end_col: 6,
            message: "unknown name 'lokc'",
            severity: 1,
            source: "futexcheck",
            code: "FX101",
          },
        ],
      });
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
