/**
 * Multi-node tests: a private redis-server that can be restarted on its port, hub nodes as child
 * processes (as `npm run cluster` runs them), a tiny load balancer in front of them, and clients
 * that reconnect through it. Everything started here is stopped by `stopCluster`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket as NetSocket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io } from "socket.io-client";
import { startHubProcess, type HubProcess } from "../../scripts/cluster/hub-process.ts";
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from "../../server/redis/embedded-redis.ts";
import type { EndedRef, SessionsSnapshot } from "../../shared/events.ts";
import type { LicenseUsage, Session } from "../../shared/types.ts";
import { api } from "./api.ts";
import { ADMIN_PASSWORD } from "./hub.ts";
import type { AdminClientSocket, ClientSocket } from "./sockets.ts";

/** Short node heartbeat for tests: a dead node's sockets stop counting within TTL + heartbeat. */
export const NODE_HEARTBEAT_MS = 250;
export const NODE_TTL_MS = 1500;
/** The hub's default activity flush interval, which the nodes keep. */
export const ACTIVITY_FLUSH_MS = 250;

const cleanups: (() => Promise<unknown>)[] = [];

export interface RestartableRedis {
  url: string;
  /** Stops redis-server (SIGTERM: it writes its AOF and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data folder. */
  start(): Promise<void>;
}

/** A redis-server of the test's own, with AOF on, on a fixed free port so it can restart there. */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = mkdtempSync(join(tmpdir(), "session-hub-cluster-redis-"));
  const port = await freePort();
  let server: EmbeddedRedis | null = await startEmbeddedRedis({ dir, port, appendOnly: true });
  const redis: RestartableRedis = {
    url: server.url,
    stop: async () => {
      await server?.stop();
      server = null;
    },
    start: async () => {
      server ??= await startEmbeddedRedis({ dir, port, appendOnly: true });
    },
  };
  cleanups.push(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return redis;
}

export interface TestNode extends HubProcess {
  name: string;
  /** What the node wrote, for failure messages. */
  output: string[];
}

/** Starts `names.length` nodes of one cluster (a fresh key prefix) on `redisUrl`. */
export async function startNodes(redisUrl: string, names: string[]): Promise<TestNode[]> {
  const keyPrefix = `c${randomBytes(5).toString("hex")}`;
  return Promise.all(
    names.map(async (name) => {
      const output: string[] = [];
      const node = await startHubProcess({
        port: await freePort(),
        redisUrl,
        keyPrefix,
        env: {
          HUB_ADMIN_PASSWORD: ADMIN_PASSWORD,
          HUB_MIN_IDLE_TIMEOUT_SECONDS: "1",
          HUB_NODE_HEARTBEAT_MS: String(NODE_HEARTBEAT_MS),
          HUB_NODE_TTL_MS: String(NODE_TTL_MS),
          LOG_LEVEL: "warn",
        },
        onLine: (line) => output.push(line),
      });
      cleanups.push(() => node.kill());
      return Object.assign(node, { name, output });
    }),
  );
}

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

/**
 * A TCP load balancer with failover: each connection goes to the first target that accepts it,
 * so clients behind it start on `targets[0]` and move to the next one when it is gone.
 */
export async function startBalancer(targetUrls: string[]): Promise<Balancer> {
  const targets = targetUrls.map((url) => Number(new URL(url).port));
  const sockets = new Set<NetSocket>();
  const track = (socket: NetSocket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const tryTarget = (index: number) => {
      if (index >= targets.length || client.destroyed) return client.destroy();
      const upstream = connect(targets[index]!, "127.0.0.1");
      upstream.once("error", () => {
        upstream.destroy();
        tryTarget(index + 1);
      });
      upstream.once("connect", () => {
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.resume();
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const balancer: Balancer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  cleanups.push(() => balancer.close());
  return balancer;
}

/** A `/` socket that reconnects by itself (quickly), as the SDK does; resolves once connected. */
export async function connectReconnecting(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: { token },
    transports: ["websocket"],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    randomizationFactor: 0,
  });
  cleanups.push(async () => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Polls `check` until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves once `/readyz` of every node answers 200. */
export async function allReady(nodes: HubProcess[], timeoutMs = 15_000): Promise<void> {
  await eventually(
    "every node is ready",
    async () => (await Promise.all(nodes.map((node) => api(node.url, "GET", "/readyz")))).every((r) => r.status === 200),
    timeoutMs,
  );
}

/** Stops everything this module started: clients, balancers, nodes (SIGKILL), then Redis. */
export async function stopCluster(): Promise<void> {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) await cleanup().catch(() => undefined);
}

/** A dashboard's live view: its snapshot with every delta applied, and every end it was told of. */
export interface DashboardView {
  sessions: Map<string, Session>;
  ended: EndedRef[];
  usage: LicenseUsage;
  /** Resolves once `predicate` holds for the view (checked now and after every delta). */
  until(what: string, predicate: (view: DashboardView) => boolean, timeoutMs?: number): Promise<void>;
}

export function watchDashboard(socket: AdminClientSocket, snapshot: SessionsSnapshot): DashboardView {
  let seq = snapshot.seq;
  const waiters = new Set<() => void>();
  const view: DashboardView = {
    sessions: new Map(snapshot.sessions.map((s) => [s.id, s])),
    ended: [],
    usage: snapshot.usage,
    until: (what, predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (predicate(view)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`dashboard: timed out waiting until ${what}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(view)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
  };
  socket.on("sessions:delta", (delta) => {
    if (delta.fromSeq > seq + 1) throw new Error(`dashboard missed changes ${seq + 1}..${delta.fromSeq - 1}`);
    seq = delta.seq;
    for (const session of [...delta.started, ...delta.updated]) view.sessions.set(session.id, session);
    for (const ref of delta.ended) {
      view.sessions.delete(ref.id);
      view.ended.push(ref);
    }
    if (delta.usage) view.usage = delta.usage;
    for (const waiter of [...waiters]) waiter();
  });
  return view;
}
