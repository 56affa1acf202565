/**
 * Starts one private redis-server for the whole test run on a free port (never the machine's
 * 6379) and hands its URL to the tests. Each test isolates itself with a fresh key prefix.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { startEmbeddedRedis } from "../../server/redis/embedded-redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    redisPort: number;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "session-hub-test-redis-"));
  const redis = await startEmbeddedRedis({ dir, appendOnly: false });
  project.provide("redisUrl", redis.url);
  project.provide("redisPort", redis.port);
  return async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
