/**
 * idle: sessions of a concurrent account opened through SessionStore.open in the hub's process
 * (whose `opened` event arms each one's BullMQ job, as a login does) at a steady pace over
 * `SPREAD`, so their idle deadlines spread over the same span; nobody is active, so each expires
 * at its deadline. Then the same count of bare BullMQ delayed jobs with the same deadlines on a
 * Redis of their own. Lateness = end (or processor start) minus deadline; memory = Redis
 * used_memory after everything was armed minus before, over the count.
 */
import { Harness } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import { usedMemory, type StatsClient } from "../redis-stats.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import { openSeeder } from "../seed.ts";
import { sleep, summarize } from "../stats.ts";
import type { Mode } from "./mode.ts";

const TARGET_BYTES = 2048;
const OPEN_BATCH = 100;

interface Run {
  bytesPerItem: number;
  lateness: number[];
  pending: number;
  openSeconds: number;
}

/** Waits until nothing is pending, or `limitMs` has passed. */
async function drain(child: BenchChild, take: string, limitMs: number): Promise<{ pending: number; lateness: number[] }> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const state = await child.call<{ pending: number; lateness: number[] }>(take);
    if (state.pending === 0 || Date.now() > deadline) return state;
    await sleep(1000);
  }
}

async function measureMemory(stats: StatsClient, arm: () => Promise<unknown>): Promise<{ bytes: number; seconds: number }> {
  const before = await usedMemory(stats);
  const started = performance.now();
  await arm();
  const seconds = (performance.now() - started) / 1000;
  return { bytes: (await usedMemory(stats)) - before, seconds };
}

export async function idle(mode: Mode): Promise<ScenarioResult> {
  const n = mode.n ?? (mode.quick ? 2000 : 100_000);
  const spreadSeconds = mode.quick ? 5 : 60;
  // Deadlines start after the last session is open, so opening does not compete with expiring.
  const timeoutSeconds = spreadSeconds + (mode.quick ? 2 : 10);
  const perSecond = n / spreadSeconds;
  const drainLimitMs = (timeoutSeconds + 60) * 1000;
  const harness = new Harness();
  try {
    // Baseline first: bare BullMQ jobs with the same deadlines, on a Redis of their own.
    const baseRedis = await harness.startRedis();
    const bull = await harness.startChild("bullmq", "bullmq-baseline.ts", { BENCH_REDIS: baseRedis.url });
    const baseMemory = await measureMemory(baseRedis.stats, () =>
      bull.call("bull:add", { count: n, perSecond, delayMs: timeoutSeconds * 1000, batch: OPEN_BATCH }),
    );
    const baseDone = await drain(bull, "bull:take", drainLimitMs);
    await bull.stop();
    const base: Run = { bytesPerItem: baseMemory.bytes / n, openSeconds: baseMemory.seconds, ...baseDone };

    const { url: redisUrl, stats } = await harness.startRedis();
    const hubServer = await harness.startHub(redisUrl, { minIdleTimeoutSeconds: 1 });
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("idle", 10, "concurrent");
    await seeder.close();
    await hubServer.call("hub:idle-on", { timeoutMinutes: timeoutSeconds / 60 });
    const hubMemory = await measureMemory(stats, () =>
      hubServer.call("hub:open-sessions", { usernames, count: n, app: "mobile", perSecond, batch: OPEN_BATCH }),
    );
    const hubDone = await drain(hubServer, "hub:idle-take", drainLimitMs);
    const hub: Run = { bytesPerItem: hubMemory.bytes / n, openSeconds: hubMemory.seconds, ...hubDone };

    const h = summarize(hub.lateness);
    const b = summarize(base.lateness);
    const notes: string[] = [];
    for (const [name, run] of [["hub", hub], ["baseline", base]] as const) {
      if (run.pending > 0) notes.push(`${name}: ${run.pending} of ${n} had not ended ${drainLimitMs / 1000} s after the first deadline`);
      if (run.openSeconds > spreadSeconds * 1.1) {
        notes.push(`${name}: arming took ${run.openSeconds.toFixed(0)} s, longer than the ${spreadSeconds} s spread (deadlines bunch up)`);
      }
    }
    return {
      scenario: "idle",
      params: { sessions: n, spreadSeconds, timeoutSeconds },
      figures: [
        { metric: "ended", unit: "sessions", hub: h.count, baseline: b.count },
        { metric: "lateness p50", unit: "ms", hub: h.p50, baseline: b.p50 },
        {
          metric: "lateness p99",
          unit: "ms",
          hub: h.p99,
          baseline: b.p99,
          target: "≤ 1.3× baseline",
          verdict: verdict(h.count === n && h.p99 <= 1.3 * b.p99),
        },
        { metric: "lateness max", unit: "ms", hub: h.max, baseline: b.max },
        {
          metric: "Redis memory per session (incl. job)",
          unit: "bytes",
          hub: hub.bytesPerItem,
          baseline: base.bytesPerItem,
          target: `≤ ${TARGET_BYTES.toLocaleString("en-US")}`,
          verdict: verdict(hub.bytesPerItem <= TARGET_BYTES),
        },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
