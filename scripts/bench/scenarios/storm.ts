/**
 * storm: K clients connected to one node, which is restarted (SIGTERM, as a deploy does, then a
 * new process on the same port). The clients reconnect by themselves with the SDK's backoff
 * (500 ms doubling to 10 s, ±50 %). Back = connected again, counted from the SIGTERM. The bare
 * baseline is restarted the same way, so the part of the figure that is the clients' own backoff
 * and process start-up shows beside the hub's.
 */
import { Harness, split, type ServerChild } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import type { ConnectResult } from "../load-client.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import { openSeeder } from "../seed.ts";
import { sleep, summarize } from "../stats.ts";
import type { Mode } from "./mode.ts";

const LOAD_PROCESSES = 2;
const TARGET_P95_MS = 5000;

interface Storm {
  total: number;
  back: number[];
  /** From SIGTERM to the old process gone, and from there to the new one listening. */
  stopMs: number;
  startMs: number;
}

async function restartStorm(
  loads: BenchChild[],
  tokens: (string | undefined)[],
  start: () => Promise<ServerChild>,
  limitMs: number,
): Promise<Storm> {
  let server = await start();
  const parts = split(tokens, loads.length);
  const connected = await Promise.all(
    loads.map((load, i) => {
      const mine = parts[i]!;
      return load.call<ConnectResult>("connect", {
        url: server.url,
        ...(mine[0] !== undefined ? { tokens: mine } : { count: mine.length }),
        concurrency: 100,
        reconnection: true,
      });
    }),
  );
  const total = connected.reduce((sum, r) => sum + r.connected, 0);
  await Promise.all(loads.map((load) => load.call("storm:arm")));
  const restartAt = Date.now();
  await server.stop();
  const stopMs = Date.now() - restartAt;
  server = await start();
  const startMs = Date.now() - restartAt - stopMs;
  const deadline = restartAt + limitMs;
  let back: number[] = [];
  while (Date.now() < deadline) {
    const taken = await Promise.all(loads.map((load) => load.call<{ latencies: number[] }>("storm:take")));
    back = taken.flatMap((t) => t.latencies);
    if (back.length >= total) break;
    await sleep(250);
  }
  await Promise.all(loads.map((load) => load.call("close-all")));
  await server.stop();
  return { total, back, stopMs, startMs };
}

export async function storm(mode: Mode): Promise<ScenarioResult> {
  const k = mode.n ?? (mode.quick ? 100 : 5000);
  const limitMs = mode.quick ? 15_000 : 30_000;
  const harness = new Harness();
  try {
    const loads = await harness.startLoad(LOAD_PROCESSES);

    const basePort = await harness.freePort();
    const base = await restartStorm(
      loads,
      Array.from({ length: k }, () => undefined),
      () => harness.startBaseline(basePort),
      limitMs,
    );

    const { url: redisUrl } = await harness.startRedis();
    const hubPort = await harness.freePort();
    const startHub = () => harness.startHub(redisUrl, { port: hubPort });
    const first = await startHub();
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("tech", 20, "named");
    const tokens = await seeder.openSessions(usernames, k);
    await seeder.close();
    let started = false;
    const hub = await restartStorm(
      loads,
      tokens,
      async () => {
        if (started) return startHub();
        started = true;
        return first;
      },
      limitMs,
    );

    const h = summarize(hub.back);
    const b = summarize(base.back);
    const lost = hub.total - h.count;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const notes = [
      `restart, SIGTERM to exit + new process to listening: hub ${seconds(hub.stopMs)} + ${seconds(hub.startMs)}, ` +
        `baseline ${seconds(base.stopMs)} + ${seconds(base.startMs)}`,
    ];
    if (hub.total < k) notes.push(`only ${hub.total} of ${k} hub clients connected before the restart`);
    return {
      scenario: "storm",
      params: { clients: k, limitSeconds: limitMs / 1000 },
      figures: [
        { metric: "clients back", unit: "%", hub: (h.count / Math.max(1, hub.total)) * 100, baseline: (b.count / Math.max(1, base.total)) * 100 },
        { metric: "never came back", unit: "clients", hub: lost, baseline: base.total - b.count, target: "0", verdict: verdict(lost === 0) },
        { metric: "back p50", unit: "ms", hub: h.p50, baseline: b.p50 },
        {
          metric: "back p95",
          unit: "ms",
          hub: h.p95,
          baseline: b.p95,
          target: `≤ ${TARGET_P95_MS.toLocaleString("en-US")}`,
          verdict: verdict(h.count > 0 && h.p95 <= TARGET_P95_MS),
        },
        { metric: "all back", unit: "ms", hub: lost === 0 ? h.max : null, baseline: base.total - b.count === 0 ? b.max : null },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
