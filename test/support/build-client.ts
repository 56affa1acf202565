/**
 * Builds the dashboard and the Web App into dist/client before the browser tests, so a test hub
 * serves what the code says now and `vitest run -c vitest.e2e.config.ts` needs no other step.
 */
import { resolve } from "node:path";
import { build } from "vite";

export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, "..", "..");
  await build({ configFile: resolve(root, "vite.config.ts"), logLevel: "warn" });
}
