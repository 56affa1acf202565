/** Reads the process configuration (CONTRACT.md, "Process configuration") from the environment. */
export interface ProcessConfig {
  port: number;
  host: string;
  redisUrl: string | undefined;
  adminUsername: string;
  adminPassword: string | undefined;
  minIdleTimeoutSeconds: number;
  keyPrefix: string;
  /** HUB_ALLOWED_ORIGINS: comma-separated browser origins allowed besides the hub's own. */
  allowedOrigins: string[];
  /** HUB_SESSION_MAX_HOURS: absolute session lifetime. */
  sessionMaxHours: number;
  /** HUB_NODE_HEARTBEAT_MS / HUB_NODE_TTL_MS: undefined keeps the hub's defaults (2000 / 10000). */
  nodeHeartbeatMs: number | undefined;
  nodeTtlMs: number | undefined;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ProcessConfig {
  return {
    port: intFrom(env, "PORT", 3000),
    host: env.HOST || "127.0.0.1",
    redisUrl: env.REDIS_URL || undefined,
    adminUsername: env.HUB_ADMIN_USERNAME || "admin",
    adminPassword: env.HUB_ADMIN_PASSWORD || undefined,
    minIdleTimeoutSeconds: intFrom(env, "HUB_MIN_IDLE_TIMEOUT_SECONDS", 60),
    keyPrefix: env.HUB_KEY_PREFIX || "hub",
    allowedOrigins: (env.HUB_ALLOWED_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean),
    sessionMaxHours: intFrom(env, "HUB_SESSION_MAX_HOURS", 12),
    nodeHeartbeatMs: env.HUB_NODE_HEARTBEAT_MS ? intFrom(env, "HUB_NODE_HEARTBEAT_MS", 0) : undefined,
    nodeTtlMs: env.HUB_NODE_TTL_MS ? intFrom(env, "HUB_NODE_TTL_MS", 0) : undefined,
  };
}
