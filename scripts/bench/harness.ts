/**
 * What every scenario stands on: a private redis-server on a free loopback port with its data in
 * a temporary folder (never the machine's 6379), the hub and baseline as child processes, load
 * generators as more children, and a `close()` that stops them all and removes the folder.
 * BENCH_CPU_PROF=1 writes a CPU profile of each hub process into data/bench-profiles/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from "../../server/redis/embedded-redis.ts";
import type { BenchHubOptions } from "./hub-process.ts";
import { spawnChild, type BenchChild } from "./ipc.ts";
import { connectStats, type StatsClient } from "./redis-stats.ts";

export const KEY_PREFIX = "bench";
/** Licensed seats generous enough that no scenario is refused by the license. */
const LICENSE = { namedUsers: 1000, concurrentUsers: 100_000 };

export interface ServerChild extends BenchChild {
  url: string;
}

export class Harness {
  private readonly children: BenchChild[] = [];
  private readonly redisServers: { redis: EmbeddedRedis; dir: string; stats: StatsClient }[] = [];

  /** Starts a private redis-server (AOF on, as in production) and returns its URL and a stats client. */
  async startRedis(): Promise<{ url: string; stats: StatsClient }> {
    const dir = mkdtempSync(join(tmpdir(), "session-hub-bench-"));
    const redis = await startEmbeddedRedis({ dir, appendOnly: true });
    const stats = await connectStats(redis.url);
    this.redisServers.push({ redis, dir, stats });
    return { url: redis.url, stats };
  }

  /** Starts a hub node as a child process on `redisUrl`. */
  async startHub(redisUrl: string, options: Partial<BenchHubOptions> = {}, name = "hub"): Promise<ServerChild> {
    const hubOptions: BenchHubOptions = {
      redisUrl,
      keyPrefix: KEY_PREFIX,
      port: 0,
      initialLicense: LICENSE,
      ...options,
    };
    const nodeArgs = ["--expose-gc"];
    if (process.env.BENCH_CPU_PROF) nodeArgs.push("--cpu-prof", "--cpu-prof-dir=data/bench-profiles");
    const child = await spawnChild(name, "hub-process.ts", { nodeArgs, env: { BENCH_HUB: JSON.stringify(hubOptions) } });
    this.children.push(child);
    return Object.assign(child, { url: await child.call<string>("hub:url") });
  }

  /** Starts the bare Socket.IO baseline as a child process. */
  async startBaseline(port = 0): Promise<ServerChild> {
    const child = await spawnChild("baseline", "baseline-server.ts", {
      nodeArgs: ["--expose-gc"],
      env: { BENCH_PORT: String(port) },
    });
    this.children.push(child);
    return Object.assign(child, { url: await child.call<string>("baseline:url") });
  }

  /** Starts `count` load generators. */
  async startLoad(count: number): Promise<BenchChild[]> {
    const loads = await Promise.all(
      Array.from({ length: count }, (_, i) => spawnChild(`load${i + 1}`, "load-client.ts")),
    );
    this.children.push(...loads);
    return loads;
  }

  /** Starts any other bench child. */
  async startChild(name: string, file: string, env: Record<string, string> = {}): Promise<BenchChild> {
    const child = await spawnChild(name, file, { env });
    this.children.push(child);
    return child;
  }

  /** A free loopback port, for a node that must come back on the same one. */
  freePort(): Promise<number> {
    return freePort();
  }

  async close(): Promise<void> {
    await Promise.all(this.children.splice(0).map((child) => child.stop(5_000)));
    for (const { redis, dir, stats } of this.redisServers.splice(0)) {
      await stats.quit().catch(() => undefined);
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Splits `items` into `parts` nearly equal slices. */
export function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.filter((_item, k) => k % parts === i));
}
