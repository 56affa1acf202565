import { randomBytes } from "node:crypto";
import type { License } from "../shared/types.ts";
import { systemClock, type Clock } from "./clock.ts";
import { silentLogger, type Logger } from "./logger.ts";

/** How a hub is built. Everything but `redisUrl` has a documented default. */
export interface HubOptions {
  /** The Redis every node of the cluster shares. */
  redisUrl: string;
  /** Prefix of every Redis key; hubs with the same URL and prefix form one cluster. @default "hub" */
  keyPrefix?: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 3000 */
  port?: number;
  /** @default the system clock */
  clock?: Clock;
  /** @default a silent logger */
  logger?: Logger;
  /** The smallest idle timeout the settings accept. @default 60 */
  minIdleTimeoutSeconds?: number;
  /** The first admin, created only when the store has no accounts. @default "admin" */
  adminUsername?: string;
  /** @default generated, and reported through `onAdminCreated` */
  adminPassword?: string;
  /** Called once when the first admin is created, with the password to print. */
  onAdminCreated?: (username: string, password: string, generated: boolean) => void;
  /** Folder of the built dashboard and Web App; null serves no pages. @default null */
  staticDir?: string | null;
  /** How often a node writes buffered activity to Redis. @default 250 */
  activityFlushMs?: number;
  /** How often a node renews its heartbeat. @default 2000 */
  nodeHeartbeatMs?: number;
  /** A node whose heartbeat is older than this is dead: its sockets stop counting. @default 10000 */
  nodeTtlMs?: number;
  /** How long the reason a session ended is kept for its token. @default 7 days */
  tombstoneTtlSeconds?: number;
  /** The license a new store starts with. @default { namedUsers: 5, concurrentUsers: 10 } */
  initialLicense?: License;
  /** This node's id in the cluster. @default random */
  nodeId?: string;
}

export type ResolvedHubOptions = Required<Omit<HubOptions, "adminPassword" | "onAdminCreated">> &
  Pick<HubOptions, "adminPassword" | "onAdminCreated">;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** Merges the defaults once and fails fast with a message that says what to fix. */
export function resolveOptions(options: HubOptions): ResolvedHubOptions {
  if (!options.redisUrl) throw new Error("redisUrl is required (set REDIS_URL)");
  const keyPrefix = options.keyPrefix ?? "hub";
  if (!/^[A-Za-z0-9_.-]+$/.test(keyPrefix)) {
    throw new Error(`keyPrefix may hold letters, digits and _ . - only, got "${keyPrefix}"`);
  }
  const nodeHeartbeatMs = positive("nodeHeartbeatMs", options.nodeHeartbeatMs ?? 2000);
  const nodeTtlMs = positive("nodeTtlMs", options.nodeTtlMs ?? 10_000);
  if (nodeTtlMs < 2 * nodeHeartbeatMs) {
    throw new Error(`nodeTtlMs (${nodeTtlMs}) must be at least twice nodeHeartbeatMs (${nodeHeartbeatMs}), or live nodes are taken for dead`);
  }
  return {
    redisUrl: options.redisUrl,
    keyPrefix,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 3000,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger(),
    minIdleTimeoutSeconds: positive("minIdleTimeoutSeconds", options.minIdleTimeoutSeconds ?? 60),
    adminUsername: options.adminUsername ?? "admin",
    adminPassword: options.adminPassword,
    onAdminCreated: options.onAdminCreated,
    staticDir: options.staticDir ?? null,
    activityFlushMs: positive("activityFlushMs", options.activityFlushMs ?? 250),
    nodeHeartbeatMs,
    nodeTtlMs,
    tombstoneTtlSeconds: positive("tombstoneTtlSeconds", options.tombstoneTtlSeconds ?? 7 * 86_400),
    initialLicense: options.initialLicense ?? { namedUsers: 5, concurrentUsers: 10 },
    nodeId: options.nodeId ?? randomBytes(6).toString("hex"),
  };
}
