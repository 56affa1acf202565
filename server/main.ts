/**
 * `npm start`: one hub node. With REDIS_URL it uses that Redis; without it, it starts a private
 * redis-server with its data under ./data (AOF on) and stops it with the hub.
 */
import { join } from "node:path";
import { readConfig } from "./config.ts";
import { createHub } from "./hub.ts";
import { createLogger } from "./logger.ts";
import {
  redisMissingMessage,
  redisServerInstalled,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from "./redis/embedded-redis.ts";

const projectRoot = join(import.meta.dirname, "..");

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger();
  let embedded: EmbeddedRedis | null = null;
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    if (!redisServerInstalled()) {
      console.error(redisMissingMessage("Session Hub", "npm start"));
      process.exit(1);
    }
    // Its own process group: a terminal's Ctrl-C reaches the hub only, which flushes and closes
    // before it stops Redis; the exit hook still takes Redis down if the hub dies of an error.
    embedded = await startEmbeddedRedis({ dir: join(projectRoot, "data", "redis"), port: 0, ownProcessGroup: true });
    const redisProcess = embedded.process;
    process.on("exit", () => redisProcess.kill());
    redisUrl = embedded.url;
    logger.info({ redisUrl, dir: "data/redis" }, "started a private redis-server (AOF on)");
  }

  const hub = await createHub({
    redisUrl,
    keyPrefix: config.keyPrefix,
    host: config.host,
    port: config.port,
    logger,
    minIdleTimeoutSeconds: config.minIdleTimeoutSeconds,
    allowedOrigins: config.allowedOrigins,
    sessionMaxHours: config.sessionMaxHours,
    ...(config.nodeHeartbeatMs ? { nodeHeartbeatMs: config.nodeHeartbeatMs } : {}),
    ...(config.nodeTtlMs ? { nodeTtlMs: config.nodeTtlMs } : {}),
    adminUsername: config.adminUsername,
    adminPassword: config.adminPassword,
    staticDir: join(projectRoot, "dist", "client"),
    onAdminCreated: (username, password, generated) => {
      if (generated) {
        console.log(`\nFirst admin created. Sign in as "${username}" with password: ${password}\n(shown once; change it under Accounts)\n`);
      } else {
        console.log(`\nFirst admin "${username}" created with the password from HUB_ADMIN_PASSWORD.\n`);
      }
    },
  });
  const url = await hub.listen();
  console.log(`Session Hub is running: dashboard ${url}/  Web App ${url}/app/`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    // A deploy must not wait on a stuck close (e.g. Redis unreachable while flushing).
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    let code = 0;
    try {
      await hub.close();
    } catch (error) {
      logger.error({ err: (error as Error).message }, "unclean stop");
      code = 1;
    }
    await embedded?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`Session Hub failed to start: ${(error as Error).message}`);
  process.exit(1);
});
