/**
 * connections: N bare sockets on the baseline, then N authenticated sockets on one hub node.
 * Memory per socket is the server's RSS after a full GC with the sockets open, minus the same
 * before they connected, over N (the JS heap's share is shown too: RSS moves in allocator-sized
 * steps); the connect rate is N over the time from the first connect to the last, with
 * `CONCURRENCY` handshakes in flight.
 */
import { Harness, split } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import type { ConnectResult } from "../load-client.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import type { ProbeStats } from "../server-probe.ts";
import { openSeeder } from "../seed.ts";
import { sleep, summarize } from "../stats.ts";
import { fileLimit, type Mode } from "./mode.ts";

const TARGET_SOCKETS = 20_000;
const LOAD_PROCESSES = 4;
const CONCURRENCY = 200;
const WARMUP_SOCKETS = 2000;
/** File descriptors a server process needs besides its sockets (Redis, stdio, epoll, ...). */
const FD_RESERVE = 100;

interface Measured {
  connected: number;
  failed: number;
  firstError: string | null;
  bytesPerSocket: number;
  heapBytesPerSocket: number;
  perSecond: number;
  latencies: number[];
}

async function measure(server: BenchChild & { url: string }, loads: BenchChild[], tokens: (string | undefined)[]): Promise<Measured> {
  const before = await server.call<ProbeStats>("probe:settle");
  const parts = split(tokens, loads.length);
  const results = await Promise.all(
    loads.map((load, i) => {
      const mine = parts[i]!;
      const withTokens = mine.every((token) => token !== undefined);
      return load.call<ConnectResult>("connect", {
        url: server.url,
        ...(withTokens ? { tokens: mine } : { count: mine.length }),
        concurrency: CONCURRENCY / loads.length,
      });
    }),
  );
  // Let the last attach scripts and presence writes finish before reading memory.
  await sleep(1000);
  const after = await server.call<ProbeStats>("probe:settle");
  const connected = results.reduce((sum, r) => sum + r.connected, 0);
  const started = Math.min(...results.map((r) => r.startedAt));
  const finished = Math.max(...results.map((r) => r.finishedAt));
  await Promise.all(loads.map((load) => load.call("close-all")));
  return {
    connected,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    bytesPerSocket: connected ? (after.rssBytes - before.rssBytes) / connected : 0,
    heapBytesPerSocket: connected ? (after.heapUsedBytes - before.heapUsedBytes) / connected : 0,
    perSecond: connected / Math.max(0.001, (finished - started) / 1000),
    latencies: results.flatMap((r) => r.latencies),
  };
}

export async function connections(mode: Mode): Promise<ScenarioResult> {
  const limit = fileLimit();
  const wanted = mode.n ?? (mode.quick ? 400 : TARGET_SOCKETS);
  const n = Math.min(wanted, limit - FD_RESERVE);
  const notes: string[] = [];
  // A process cannot hold more sockets than its open-files limit allows; when that is below the
  // target, the target is checked against what the machine allows and the table says so.
  const reachable = Math.min(TARGET_SOCKETS, limit - FD_RESERVE);
  if (n < wanted) {
    notes.push(
      `the open-files limit here is ${limit} per process (hard limit; ulimit -n cannot raise it): ` +
        `${n} sockets, not ${wanted}; the socket target is checked against ${reachable}`,
    );
  }

  const harness = new Harness();
  try {
    const loads = await harness.startLoad(LOAD_PROCESSES);

    // Warm the load generators up (JIT, sockets) on a throwaway server, so neither side pays for it.
    const warmup = await harness.startBaseline();
    await measure(warmup, loads, Array.from({ length: Math.min(n, WARMUP_SOCKETS) }, () => undefined));
    await warmup.stop();

    const baselineServer = await harness.startBaseline();
    const base = await measure(baselineServer, loads, Array.from({ length: n }, () => undefined));
    await baselineServer.stop();

    const { url: redisUrl } = await harness.startRedis();
    const hubServer = await harness.startHub(redisUrl);
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("tech", 20, "named");
    const tokens = await seeder.openSessions(usernames, n);
    await seeder.close();
    const hub = await measure(hubServer, loads, tokens);

    for (const [name, m] of [["hub", hub], ["baseline", base]] as const) {
      if (m.failed > 0) notes.push(`${name}: ${m.failed} sockets failed to connect (first: ${m.firstError})`);
    }
    const hubLatency = summarize(hub.latencies);
    const baseLatency = summarize(base.latencies);
    return {
      scenario: "connections",
      params: { sockets: n, loadProcesses: LOAD_PROCESSES, inFlight: CONCURRENCY },
      figures: [
        {
          metric: "sockets held",
          unit: "sockets",
          hub: hub.connected,
          baseline: base.connected,
          target: `≥ ${TARGET_SOCKETS.toLocaleString("en-US")}${reachable < TARGET_SOCKETS ? ` (fd limit: ${reachable.toLocaleString("en-US")})` : ""}`,
          verdict: verdict(hub.connected >= reachable),
        },
        {
          metric: "memory per socket",
          unit: "KB",
          hub: hub.bytesPerSocket / 1024,
          baseline: base.bytesPerSocket / 1024,
          target: "≤ 1.25× baseline",
          verdict: verdict(hub.bytesPerSocket <= 1.25 * base.bytesPerSocket),
        },
        { metric: "JS heap per socket", unit: "KB", hub: hub.heapBytesPerSocket / 1024, baseline: base.heapBytesPerSocket / 1024 },
        { metric: "connect rate", unit: "sockets/s", hub: hub.perSecond, baseline: base.perSecond },
        { metric: "connect latency p50", unit: "ms", hub: hubLatency.p50, baseline: baseLatency.p50 },
        { metric: "connect latency p99", unit: "ms", hub: hubLatency.p99, baseline: baseLatency.p99 },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
