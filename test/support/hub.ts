/**
 * Test hubs: real hubs built by `createHub`, as the process builds them, on port 0 against the
 * run's private redis-server, each with a fresh key prefix so tests never see each other's data.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { inject } from "vitest";
import { createHub, type Hub } from "../../server/hub.ts";
import type { HubOptions } from "../../server/options.ts";

export const ADMIN_USERNAME = "admin";
export const ADMIN_PASSWORD = "admin-password-1";

export interface TestHub {
  url: string;
  hub: Hub;
  prefix: string;
  adminUsername: string;
  adminPassword: string;
  close(): Promise<void>;
}

export function freshPrefix(): string {
  return `t${randomBytes(5).toString("hex")}`;
}

/** Starts a hub on port 0. Pass `keyPrefix` to start another node of the same cluster. */
export async function startTestHub(options: Partial<HubOptions> = {}): Promise<TestHub> {
  const prefix = options.keyPrefix ?? freshPrefix();
  const hub = await createHub({
    redisUrl: inject("redisUrl"),
    keyPrefix: prefix,
    port: 0,
    adminUsername: ADMIN_USERNAME,
    adminPassword: ADMIN_PASSWORD,
    minIdleTimeoutSeconds: 1,
    staticDir: join(import.meta.dirname, "..", "..", "dist", "client"),
    activityFlushMs: 100,
    ...options,
  });
  const url = await hub.listen();
  return {
    url,
    hub,
    prefix,
    adminUsername: ADMIN_USERNAME,
    adminPassword: ADMIN_PASSWORD,
    close: () => hub.close(),
  };
}
