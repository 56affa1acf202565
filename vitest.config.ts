import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests share one private redis-server; each test uses its own key prefix.
    fileParallelism: true,
    maxWorkers: 2,
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
  },
});
