/**
 * Starts a private `redis-server` as a child process: for `npm start` without `REDIS_URL`, for the
 * test setup, and for the demo and cluster launchers. It never touches a Redis it did not start.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createConnection } from "node:net";

export interface EmbeddedRedisOptions {
  /** Folder for the AOF and RDB files. */
  dir: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Keep an append-only file (fsync every second), so data survives a restart. @default true */
  appendOnly?: boolean;
  /**
   * Run redis-server in its own process group, so a terminal's Ctrl-C reaches the hub nodes but
   * not Redis, which then outlives their final flush; the starter must stop it. @default false
   */
  ownProcessGroup?: boolean;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * What to tell a person whose machine has no `redis-server`: how to install it, and, where the
 * program can use an existing Redis instead, the command with REDIS_URL.
 */
export function redisMissingMessage(who: string, commandWithRedisUrl?: string): string {
  const install = "Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis";
  return commandWithRedisUrl
    ? `${who} needs Redis. Install it (${install}) so it can start a private one,\n` +
        `or point it at yours:\n  REDIS_URL=redis://host:6379 ${commandWithRedisUrl}`
    : `${who} needs redis-server on the PATH (${install}).`;
}

/** True when a `redis-server` binary is on the PATH. */
export function redisServerInstalled(): boolean {
  const result = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  return result.status === 0;
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`redis-server exited with code ${child.exitCode} before it listened`));
        return;
      }
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/** Starts redis-server with its data in `dir` and resolves once it accepts connections. */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const port = options.port || (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const appendOnly = options.appendOnly ?? true;
  const child = spawn(
    "redis-server",
    [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--dir", options.dir,
      "--appendonly", appendOnly ? "yes" : "no",
      "--appendfsync", "everysec",
      "--save", "",
      "--maxmemory-policy", "noeviction",
      "--daemonize", "no",
      "--logfile", "",
      "--loglevel", "warning",
    ],
    { stdio: ["ignore", "ignore", "inherit"], detached: options.ownProcessGroup ?? false },
  );
  await waitForPort(port, child, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
