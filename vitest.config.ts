import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // no cached state counts (cli/size-hint.ts): where a memory bound is met must not depend on earlier runs
    env: { FUTEXCHECK_NO_CACHE: "1" },
  },
});
