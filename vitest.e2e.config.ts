import { defineConfig } from "vitest/config";

/**
 * End-to-end tests: the built dashboard in the system Chromium against real hubs on the run's
 * private redis-server. One file at a time: each test drives a browser and a hub on 2 cores.
 */
export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts", "test/support/build-client.ts"],
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
