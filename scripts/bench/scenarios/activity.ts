/**
 * activity: N sockets send `activity`, in two phases, against the hub (with one dashboard
 * connected, so activity also goes out as deltas) and against the bare baseline.
 * - steady: 4 events/s on every socket, so every session is in every 250 ms flush: 20,000 events/s
 *   and 5,000 sessions a flush, as from a full node of 20,000 SDK clients at their most (one report
 *   a second): event-loop delay, Redis commands and CPU, writes per session per flush, and how old
 *   activity is when a dashboard gets it.
 * - flood: 19 events/s on every socket (under the hub's 20/s per-socket limit, so the socket guard
 *   drops nothing), more than the servers and generators can do on two cores together: events/s
 *   the server handled, counted inside it, and its CPU per event.
 * Each phase is measured over a window after a warm-up; every figure is taken in the server.
 */
import { Harness, split, type ServerChild } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import type { ConnectResult } from "../load-client.ts";
import { callsBetween, commandCalls, cpuSeconds, type StatsClient } from "../redis-stats.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import type { ProbeStats } from "../server-probe.ts";
import { openSeeder } from "../seed.ts";
import { sleep, summarize, type Summary } from "../stats.ts";
import type { Mode } from "./mode.ts";

const LOAD_PROCESSES = 2;
const STEADY_RATE = 4;
const FLOOD_RATE = 19;
const FLUSH_MS = 250;
const WARMUP_MS = 3000;

interface Phase {
  stats: ProbeStats;
  offered: number;
  /** What the generators managed to send, per second (below `offered` when they ran out of CPU). */
  sentPerSecond: number;
  /** Commands Redis ran, and the share of its one core it used. */
  redis?: { total: number; delta: Map<string, number>; cpuShare: number };
  /** From an event's time at the hub to a dashboard holding it. */
  toDashboard?: Summary;
}

interface Target {
  server: ServerChild;
  loads: BenchChild[];
  redis?: StatsClient;
  dashboard?: BenchChild;
}

async function phase({ server, loads, redis, dashboard }: Target, sockets: number, rate: number, windowMs: number): Promise<Phase> {
  const sending = Promise.all(
    loads.map((load) =>
      load.call<{ sent: number; durationMs: number }>("flood", { ratePerSocket: rate, durationMs: WARMUP_MS + windowMs + 500 }),
    ),
  );
  await sleep(WARMUP_MS);
  await server.call("probe:reset");
  await dashboard?.call("admin:take");
  const before = redis ? await commandCalls(redis) : null;
  const cpuBefore = redis ? await cpuSeconds(redis) : 0;
  await sleep(windowMs);
  const stats = await server.call<ProbeStats>("probe:stats");
  const after = redis ? await commandCalls(redis) : null;
  const redisCpu = redis ? (await cpuSeconds(redis)) - cpuBefore : 0;
  const seen = await dashboard?.call<{ activityLatencies: number[] }>("admin:take");
  const sent = await sending;
  // Let what the server still holds drain before the next phase.
  await sleep(1000);
  return {
    stats,
    offered: sockets * rate,
    sentPerSecond: sent.reduce((sum, part) => sum + part.sent / (part.durationMs / 1000), 0),
    ...(seen ? { toDashboard: summarize(seen.activityLatencies) } : {}),
    ...(before && after ? { redis: { ...callsBetween(before, after), cpuShare: redisCpu / (stats.wallMs / 1000) } } : {}),
  };
}

async function run(target: Target, tokens: (string | undefined)[], windowMs: number) {
  const parts = split(tokens, target.loads.length);
  const connected = await Promise.all(
    target.loads.map((load, i) => {
      const mine = parts[i]!;
      return load.call<ConnectResult>("connect", {
        url: target.server.url,
        ...(mine[0] !== undefined ? { tokens: mine } : { count: mine.length }),
        concurrency: 100,
      });
    }),
  );
  const sockets = connected.reduce((sum, r) => sum + r.connected, 0);
  const steady = await phase(target, sockets, STEADY_RATE, windowMs);
  const flood = await phase(target, sockets, FLOOD_RATE, windowMs);
  await Promise.all(target.loads.map((load) => load.call("close-all")));
  return { sockets, steady, flood };
}

const perSecond = (p: Phase) => p.stats.events / (p.stats.wallMs / 1000);
/** Server CPU per thousand events handled, ms. */
const cpuPerThousand = (p: Phase) => (p.stats.events ? (p.stats.cpuMs / p.stats.events) * 1000 : null);

export async function activity(mode: Mode): Promise<ScenarioResult> {
  const n = mode.n ?? (mode.quick ? 200 : 5000);
  const windowMs = (mode.seconds ?? (mode.quick ? 3 : 15)) * 1000;
  const harness = new Harness();
  try {
    const loads = await harness.startLoad(LOAD_PROCESSES);

    const baselineServer = await harness.startBaseline();
    const base = await run({ server: baselineServer, loads }, Array.from({ length: n }, () => undefined), windowMs);
    await baselineServer.stop();

    const { url: redisUrl, stats: redis } = await harness.startRedis();
    const hubServer = await harness.startHub(redisUrl, { activityFlushMs: FLUSH_MS });
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("tech", 20, "named");
    const tokens = await seeder.openSessions(usernames, n);
    const [adminToken] = await seeder.openSessions(["admin"], 1, "web");
    await seeder.close();
    // The dashboard sits on a process of its own, so a busy load generator does not delay it.
    const [dashboard] = await harness.startLoad(1);
    await dashboard!.call("admin:watch", { url: hubServer.url, token: adminToken });
    const hub = await run({ server: hubServer, loads, redis, dashboard }, tokens, windowMs);

    const seconds = hub.steady.stats.wallMs / 1000;
    const calls = hub.steady.redis!;
    const flushes = seconds * (1000 / FLUSH_MS);
    const hsetPerSessionFlush = (calls.delta.get("hset") ?? 0) / (hub.sockets * flushes);
    const top = [...calls.delta].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const cpu = (p: Phase) => `${((p.stats.cpuMs / p.stats.wallMs) * 100).toFixed(0)}%`;
    const notes = [
      `steady: ${STEADY_RATE}/s on each socket (${hub.steady.offered.toLocaleString("en-US")} events/s); ` +
        `flood: ${FLOOD_RATE}/s (${hub.flood.offered.toLocaleString("en-US")} events/s offered)`,
      `steady, hub Redis commands: ${top.map(([command, count]) => `${command} ${Math.round(count / seconds)}/s`).join(", ")}`,
      `server CPU (of one core), steady / flood: hub ${cpu(hub.steady)} / ${cpu(hub.flood)}, baseline ${cpu(base.steady)} / ${cpu(base.flood)}`,
    ];
    const dash = hub.steady.toDashboard;
    return {
      scenario: "activity",
      params: { sockets: n, windowSeconds: windowMs / 1000, loadProcesses: LOAD_PROCESSES, flushMs: FLUSH_MS, dashboards: 1 },
      figures: [
        {
          metric: "flood: events handled",
          unit: "events/s",
          hub: perSecond(hub.flood),
          baseline: perSecond(base.flood),
          target: "≥ 0.9× baseline",
          verdict: verdict(perSecond(hub.flood) >= 0.9 * perSecond(base.flood)),
        },
        { metric: "flood: events sent by the generators", unit: "events/s", hub: hub.flood.sentPerSecond, baseline: base.flood.sentPerSecond },
        { metric: "flood: server CPU per 1000 events", unit: "ms", hub: cpuPerThousand(hub.flood), baseline: cpuPerThousand(base.flood) },
        { metric: "flood: event-loop delay p99", unit: "ms", hub: hub.flood.stats.lagP99Ms, baseline: base.flood.stats.lagP99Ms },
        { metric: "steady: events handled", unit: "events/s", hub: perSecond(hub.steady), baseline: perSecond(base.steady) },
        { metric: "steady: event-loop delay p99", unit: "ms", hub: hub.steady.stats.lagP99Ms, baseline: base.steady.stats.lagP99Ms },
        { metric: "steady: event-loop delay max", unit: "ms", hub: hub.steady.stats.lagMaxMs, baseline: base.steady.stats.lagMaxMs },
        { metric: "steady: Redis commands", unit: "commands/s", hub: calls.total / seconds, baseline: null },
        { metric: "steady: Redis CPU (its one core)", unit: "%", hub: calls.cpuShare * 100, baseline: null },
        {
          metric: "steady: Redis writes (HSET) per session per flush",
          unit: "writes",
          hub: hsetPerSessionFlush,
          target: "≤ 1",
          verdict: verdict(hsetPerSessionFlush <= 1),
        },
        { metric: "steady: activity → dashboard p50", unit: "ms", hub: dash?.count ? dash.p50 : null },
        { metric: "steady: activity → dashboard p99", unit: "ms", hub: dash?.count ? dash.p99 : null },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
