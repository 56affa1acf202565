/**
 * The composition root: builds a hub node from its options. `npm start`, the cluster launcher,
 * the demo and the tests all create hubs through `createHub`, then `listen()` and `close()`.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server } from "socket.io";
import { AccountStore } from "./accounts/account-store.ts";
import { ensureFirstAdmin } from "./accounts/first-admin.ts";
import { AuditLog } from "./audit/audit-log.ts";
import { SessionHistory } from "./audit/session-history.ts";
import type { HubContext } from "./context.ts";
import { createHttpApp } from "./http/http-app.ts";
import { IdleEngine } from "./idle/idle-engine.ts";
import { IdleSettingsStore } from "./idle/idle-settings-store.ts";
import { LicenseStore } from "./license/license-store.ts";
import { UsageHistory } from "./license/usage-history.ts";
import { HubMetrics } from "./metrics/hub-metrics.ts";
import { IdleQueueReader } from "./metrics/idle-queue-stats.ts";
import { resolveOptions, type HubOptions } from "./options.ts";
import { setupAdminNamespace } from "./realtime/admin-namespace.ts";
import { ChangeFeed } from "./realtime/change-feed.ts";
import { setupClientNamespace } from "./realtime/client-namespace.ts";
import { sessionRoom, type AdminNamespace, type HubServer } from "./realtime/io-types.ts";
import { Presence } from "./realtime/presence.ts";
import { createSessionNotifier } from "./realtime/session-notifier.ts";
import { connectRedis, type RedisClient } from "./redis/connection.ts";
import { redisKeys } from "./redis/keys.ts";
import { LoginGuard } from "./security/login-guard.ts";
import { LoginLimiter } from "./security/login-limiter.ts";
import { OriginPolicy } from "./security/origin-policy.ts";
import { guardSockets } from "./security/socket-guard.ts";
import type { HubServices } from "./services.ts";
import { ActivityBuffer } from "./sessions/activity-buffer.ts";
import { SessionEnder } from "./sessions/session-ender.ts";
import { SessionLifetime } from "./sessions/session-lifetime.ts";
import { SessionStore } from "./sessions/session-store.ts";

/** Socket.IO packets larger than this are refused (the contract's payloads are tiny). */
export const MAX_SOCKET_PACKET_BYTES = 64 * 1024;
const HISTORY_PRUNE_MS = 10 * 60_000;
const SOCKET_IO_PATH = "/socket.io/";

export interface Hub {
  /** Starts listening; resolves with the URL the node serves. */
  listen(): Promise<string>;
  /** Stops accepting, flushes activity, leaves the cluster and closes every connection. */
  close(): Promise<void>;
  readonly url: string;
  readonly services: HubServices;
  readonly io: HubServer;
  readonly ctx: HubContext;
}

export async function createHub(hubOptions: HubOptions): Promise<Hub> {
  const options = resolveOptions(hubOptions);
  const { logger, clock } = options;
  const redis = await connectRedis(options.redisUrl, logger, "main");
  const opened: RedisClient[] = [redis];
  const open = async (name: string, offlineQueue = true) => {
    const client = await connectRedis(options.redisUrl, logger, name, { offlineQueue });
    opened.push(client);
    return client;
  };

  const ctx: HubContext = { options, redis, keys: redisKeys(options.keyPrefix), clock, logger };
  const accounts = new AccountStore(ctx);
  const license = new LicenseStore(ctx);
  const sessions = new SessionStore(ctx);
  const ender = new SessionEnder(ctx);
  const activity = new ActivityBuffer(ctx);
  const idleSettings = new IdleSettingsStore(ctx);
  const history = new UsageHistory(ctx);
  // Sessions that ended while this node could not hear the broadcast: drop their sockets, whose
  // reconnect is then refused with the reason (DESIGN.md, hard part 5).
  const presence = new Presence(ctx, (ids) => io.local.in(ids.map(sessionRoom)).disconnectSockets(true));
  const feed = new ChangeFeed(ctx, await open("change-feed", false), () => license.usage());
  const audit = new AuditLog(ctx);
  const sessionHistory = new SessionHistory(ctx);
  const loginLimiter = new LoginLimiter(ctx);
  const logins = new LoginGuard({ accounts, sessions, limiter: loginLimiter, audit });
  const origins = new OriginPolicy(options.allowedOrigins);
  const lifetime = new SessionLifetime(ctx, ender);
  audit.recordEndingsOf(ender);
  sessionHistory.recordEndingsOf(ender);
  sessions.enforceLifetime((session) => lifetime.enforce(session));

  const httpServer: HttpServer = createServer();
  const io: HubServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_PACKET_BYTES,
    serveClient: false,
    allowRequest: origins.socket,
    adapter: createAdapter(await open("adapter-pub"), await open("adapter-sub"), {
      key: `${ctx.keys.prefix}:socket.io`,
    }),
  });
  const adminNs: AdminNamespace = io.of("/admin");
  const idleQueue = new IdleQueueReader(ctx);
  const metrics = new HubMetrics({ ctx, license, ender, logins, io, adminNs, idleQueue });
  for (const client of opened) client.on("ready", () => presence.resync());
  const idle = new IdleEngine({
    ctx,
    sessions,
    ender,
    activity,
    io,
    onDeadline: (latenessMs) => metrics.idleJobLateness.observe(Math.max(0, latenessMs) / 1000),
  });

  const services: HubServices = {
    ctx,
    accounts,
    license,
    history,
    sessions,
    ender,
    activity,
    idleSettings,
    idle,
    broadcastSettings: (settings) => adminNs.emit("settings:changed", settings),
    audit,
    sessionHistory,
    loginLimiter,
    logins,
    origins,
    lifetime,
    metrics,
    redisReady: () => opened.every((client) => client.isReady) && idle.redisReady(),
  };
  ender.attachNotifier(createSessionNotifier(io));
  // Socket.IO wrapped the server's request listeners when it attached; one added later sees its
  // polling requests too, and answering them as well crashes the process (headers sent twice).
  const httpApp = createHttpApp(services);
  httpServer.on("request", (req, res) => {
    if (!req.url?.startsWith(SOCKET_IO_PATH)) httpApp(req, res);
  });
  setupClientNamespace(io, {
    sessions,
    presence,
    activity,
    prompts: idle,
    logger,
    maxSocketsPerSession: options.socketLimits.maxSocketsPerSession,
  });
  guardSockets(io, adminNs, ctx, { onDropped: () => metrics.socketEventsDropped.inc() });
  const unsubscribeAdmin = setupAdminNamespace(adminNs, {
    sessions,
    feed,
    readUsage: () => license.usage(),
    readSettings: () => idleSettings.get(),
    clock,
    logger,
  });

  await license.ensure(options.initialLicense);
  await ensureFirstAdmin(accounts, options);
  await feed.start();
  await presence.start();
  await idle.start();
  activity.start();
  lifetime.start();
  const pruneTimer = setInterval(() => void history.prune().catch(() => undefined), HISTORY_PRUNE_MS);
  pruneTimer.unref();

  let url = "";
  let closed: Promise<void> | null = null;

  async function shutdown(): Promise<void> {
    clearInterval(pruneTimer);
    lifetime.stop();
    httpServer.close();
    // Close every transport without a disconnect packet: socket.io-client reconnects by itself
    // after a transport close (through the load balancer, to another node, with the same token);
    // after a server disconnect it would not. No session ends because a node stops.
    presence.leave();
    io.engine.close();
    await activity.stop();
    unsubscribeAdmin();
    // Independent (their own connections), so a restart waits for the longer one only.
    await Promise.all([idle.close(), presence.stop().catch(() => undefined)]);
    await feed.stop();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    httpServer.closeAllConnections();
    await idleQueue.close();
    await Promise.all(opened.map((client) => client.close().catch(() => client.destroy())));
    logger.info({ node: options.nodeId }, "hub stopped");
  }

  return {
    ctx,
    io,
    services,
    get url() {
      return url;
    },
    listen: () =>
      new Promise<string>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(options.port, options.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
          logger.info({ url, node: options.nodeId }, "hub listening");
          resolve(url);
        });
      }),
    close: () => (closed ??= shutdown()),
  };
}
