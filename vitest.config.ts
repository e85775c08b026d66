import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["controller/**/*.test.ts", "federation/**/*.test.ts", "crds/**/*.test.ts", "e2e/demo/**/*.test.ts", "e2e/harness/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          environment: "node",
          // Starts three control planes and Redis once for all e2e files; see e2e/README.md.
          globalSetup: ["e2e/support/global-setup.ts"],
          setupFiles: ["e2e/support/print-logs-on-failure.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
