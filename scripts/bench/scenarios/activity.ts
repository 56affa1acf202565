/**
 * activity: N sockets each send `activity` at a steady rate under the hub's per-socket limit,
 * with N large enough that the offered total is more than either server can take on these cores;
 * what the server handles per second (counted in the server) is its sustained rate. The hub has
 * one dashboard connected, so activity also goes out as deltas. Measured over a window after a
 * warm-up: events/s, the server's event-loop delay, and the Redis commands the hub issued.
 */
import { Harness, split, type ServerChild } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import type { ConnectResult } from "../load-client.ts";
import { callsBetween, commandCalls, type StatsClient } from "../redis-stats.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import type { ProbeStats } from "../server-probe.ts";
import { openSeeder } from "../seed.ts";
import { sleep } from "../stats.ts";
import type { Mode } from "./mode.ts";

const LOAD_PROCESSES = 2;
/** Below the hub's default 20 events/s per socket, so no event is dropped by the socket guard. */
const RATE_PER_SOCKET = 10;
const FLUSH_MS = 250;
const WARMUP_MS = 3000;

interface Measured {
  sockets: number;
  stats: ProbeStats;
  offeredPerSecond: number;
  redis?: { total: number; delta: Map<string, number> };
}

async function flood(
  server: ServerChild,
  loads: BenchChild[],
  tokens: (string | undefined)[],
  windowMs: number,
  redis?: StatsClient,
): Promise<Measured> {
  const parts = split(tokens, loads.length);
  const connected = await Promise.all(
    loads.map((load, i) => {
      const mine = parts[i]!;
      return load.call<ConnectResult>("connect", {
        url: server.url,
        ...(mine[0] !== undefined ? { tokens: mine } : { count: mine.length }),
        concurrency: 100,
      });
    }),
  );
  const sockets = connected.reduce((sum, r) => sum + r.connected, 0);
  const sending = Promise.all(
    loads.map((load) => load.call<{ sent: number }>("flood", { ratePerSocket: RATE_PER_SOCKET, durationMs: WARMUP_MS + windowMs + 500 })),
  );
  await sleep(WARMUP_MS);
  await server.call("probe:reset");
  const before = redis ? await commandCalls(redis) : null;
  await sleep(windowMs);
  const stats = await server.call<ProbeStats>("probe:stats");
  const after = redis ? await commandCalls(redis) : null;
  await sending;
  await Promise.all(loads.map((load) => load.call("close-all")));
  return {
    sockets,
    stats,
    offeredPerSecond: sockets * RATE_PER_SOCKET,
    ...(before && after ? { redis: callsBetween(before, after) } : {}),
  };
}

export async function activity(mode: Mode): Promise<ScenarioResult> {
  const n = mode.n ?? (mode.quick ? 200 : 5000);
  const windowMs = (mode.seconds ?? (mode.quick ? 3 : 15)) * 1000;
  const harness = new Harness();
  try {
    const loads = await harness.startLoad(LOAD_PROCESSES);

    const baselineServer = await harness.startBaseline();
    const base = await flood(baselineServer, loads, Array.from({ length: n }, () => undefined), windowMs);
    await baselineServer.stop();

    const { url: redisUrl, stats: redis } = await harness.startRedis();
    const hubServer = await harness.startHub(redisUrl, { activityFlushMs: FLUSH_MS });
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("tech", 20, "named");
    const tokens = await seeder.openSessions(usernames, n);
    const [adminToken] = await seeder.openSessions(["admin"], 1, "web");
    await seeder.close();
    await loads[0]!.call("admin:watch", { url: hubServer.url, token: adminToken });
    const hub = await flood(hubServer, loads, tokens, windowMs, redis);

    const rate = (m: Measured) => m.stats.events / (m.stats.wallMs / 1000);
    const seconds = hub.stats.wallMs / 1000;
    const calls = hub.redis!;
    const flushes = seconds * (1000 / FLUSH_MS);
    const hsetPerSessionFlush = (calls.delta.get("hset") ?? 0) / (hub.sockets * flushes);
    const top = [...calls.delta].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const notes = [
      `offered ${hub.offeredPerSecond.toLocaleString("en-US")} events/s (${RATE_PER_SOCKET}/s on each socket); ` +
        `the servers handled what their core allowed`,
      `hub Redis commands in the window: ${top.map(([command, count]) => `${command} ${Math.round(count / seconds)}/s`).join(", ")}`,
      `server CPU: hub ${(hub.stats.cpuMs / hub.stats.wallMs * 100).toFixed(0)}%, baseline ${(base.stats.cpuMs / base.stats.wallMs * 100).toFixed(0)}% of one core`,
    ];
    return {
      scenario: "activity",
      params: { sockets: n, windowSeconds: windowMs / 1000, loadProcesses: LOAD_PROCESSES, flushMs: FLUSH_MS, dashboards: 1 },
      figures: [
        {
          metric: "sustained events",
          unit: "events/s",
          hub: rate(hub),
          baseline: rate(base),
          target: "≥ 0.9× baseline",
          verdict: verdict(rate(hub) >= 0.9 * rate(base)),
        },
        { metric: "event-loop delay p99", unit: "ms", hub: hub.stats.lagP99Ms, baseline: base.stats.lagP99Ms },
        { metric: "event-loop delay max", unit: "ms", hub: hub.stats.lagMaxMs, baseline: base.stats.lagMaxMs },
        { metric: "Redis commands", unit: "commands/s", hub: calls.total / seconds, baseline: null },
        {
          metric: "Redis writes (HSET) per session per flush",
          unit: "writes",
          hub: hsetPerSessionFlush,
          target: "≤ 1",
          verdict: verdict(hsetPerSessionFlush <= 1),
        },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
