import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["controller/**/*.test.ts", "federation/**/*.test.ts", "crds/**/*.test.ts", "e2e/demo/**/*.test.ts", "e2e/harness/**/*.test.ts", "e2e/faults/support/**/*.test.ts"],
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
      {
        test: {
          name: "faults",
          // Each file is a fault case (or two) with servers of its own, so files run side by side: the
          // 60 s faults overlap. `npm run test:faults` sets how many at once. See e2e/faults/README.md.
          include: ["e2e/faults/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["e2e/faults/support/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
