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
  /**
   * Browser origins (`scheme://host[:port]`) allowed besides the hub's own, for HTTP (CORS) and
   * Socket.IO. A request with any other Origin is refused. @default [] (same origin only)
   */
  allowedOrigins?: string[];
  /** Absolute session lifetime in hours, named sessions too; fractions allowed. @default 12 */
  sessionMaxHours?: number;
  /** How often each node sweeps for sessions past the absolute lifetime. @default 30000 */
  lifetimeSweepMs?: number;
  /** Failed-login limits, counted in Redis so they hold across nodes. */
  loginLimits?: Partial<LoginLimits>;
  /** Limits on each socket. */
  socketLimits?: Partial<SocketLimits>;
  /** Entries kept in the audit log and in the session history (each; trimmed approximately). @default 100000 */
  auditMaxEntries?: number;
  /**
   * How long an idle job's lock lasts without renewal: a worker that dies mid-job leaves its job
   * to another node's worker after this, plus at most a third of it (the stalled check). @default 15000
   */
  idleJobLockMs?: number;
}

export interface LoginLimits {
  /** Failed logins per username+IP within the window before 429. @default 5 */
  failuresPerUserIp: number;
  /** Failed logins per IP (any usernames) within the window before 429. @default 50 */
  failuresPerIp: number;
  /** The window, in seconds; a limited client waits until it ends. @default 900 */
  windowSeconds: number;
}

export interface SocketLimits {
  /** Events a socket may send per second, on average. @default 20 */
  eventsPerSecond: number;
  /** Events a socket may send at once after a quiet spell. @default 40 */
  burst: number;
  /** Dropped events after which the socket is disconnected. @default 200 */
  disconnectAfterDropped: number;
  /** Sockets one session may hold open across all nodes. @default 10 */
  maxSocketsPerSession: number;
}

export type ResolvedHubOptions = Required<
  Omit<HubOptions, "adminPassword" | "onAdminCreated" | "loginLimits" | "socketLimits">
> &
  Pick<HubOptions, "adminPassword" | "onAdminCreated"> & { loginLimits: LoginLimits; socketLimits: SocketLimits };

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
    allowedOrigins: (options.allowedOrigins ?? []).map(originOf),
    sessionMaxHours: positive("sessionMaxHours", options.sessionMaxHours ?? 12),
    lifetimeSweepMs: positive("lifetimeSweepMs", options.lifetimeSweepMs ?? 30_000),
    idleJobLockMs: positive("idleJobLockMs", options.idleJobLockMs ?? 15_000),
    loginLimits: {
      failuresPerUserIp: wholePositive("loginLimits.failuresPerUserIp", options.loginLimits?.failuresPerUserIp ?? 5),
      failuresPerIp: wholePositive("loginLimits.failuresPerIp", options.loginLimits?.failuresPerIp ?? 50),
      windowSeconds: wholePositive("loginLimits.windowSeconds", options.loginLimits?.windowSeconds ?? 900),
    },
    socketLimits: {
      eventsPerSecond: positive("socketLimits.eventsPerSecond", options.socketLimits?.eventsPerSecond ?? 20),
      burst: wholePositive("socketLimits.burst", options.socketLimits?.burst ?? 40),
      disconnectAfterDropped: wholePositive(
        "socketLimits.disconnectAfterDropped",
        options.socketLimits?.disconnectAfterDropped ?? 200,
      ),
      maxSocketsPerSession: wholePositive(
        "socketLimits.maxSocketsPerSession",
        options.socketLimits?.maxSocketsPerSession ?? 10,
      ),
    },
    auditMaxEntries: wholePositive("auditMaxEntries", options.auditMaxEntries ?? 100_000),
  };
}

function wholePositive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got ${value}`);
  return value;
}

/** Normalizes an allowed origin, failing fast on anything that is not `scheme://host[:port]`. */
function originOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`allowedOrigins: "${raw}" is not an origin like https://desk.example.com`);
  }
  if (!/^https?:$/.test(url.protocol) || url.origin === "null" || (url.pathname !== "/" && url.pathname !== "")) {
    throw new Error(`allowedOrigins: "${raw}" is not an origin like https://desk.example.com (no path)`);
  }
  return url.origin;
}
