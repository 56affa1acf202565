/**
 * churn: sessions coming and going. Phase 1, password logins (each followed by its logout) over
 * HTTP in parallel loops, while a dashboard on another process notes how long each new session
 * took from its start in Redis (`startedAt`, same machine clock) to its `sessions:delta`. Phase 2,
 * socket connects with existing tokens, each closed once connected (a reconnecting client), against
 * the hub and against the bare baseline without a token.
 */
import { Harness, split, type ServerChild } from "../harness.ts";
import type { BenchChild } from "../ipc.ts";
import type { LoopResult } from "../load-client.ts";
import { verdict, type ScenarioResult } from "../report.ts";
import { openSeeder, SEED_PASSWORD } from "../seed.ts";
import { summarize } from "../stats.ts";
import type { Mode } from "./mode.ts";

const LOAD_PROCESSES = 2;
/** Logins in flight per load process: scrypt runs on libuv's 4 threads, more only queue. */
const LOGIN_LANES = 4;
const RECONNECT_LANES = 25;
const TARGET_PUSH_P99_MS = 100;

function combine(parts: LoopResult[]) {
  const done = parts.reduce((sum, part) => sum + part.done, 0);
  const seconds = Math.max(...parts.map((part) => part.durationMs)) / 1000;
  return {
    done,
    failed: parts.reduce((sum, part) => sum + part.failed, 0),
    firstError: parts.find((part) => part.firstError)?.firstError ?? null,
    perSecond: done / seconds,
    latency: summarize(parts.flatMap((part) => part.latencies)),
  };
}

async function reconnectLoops(server: ServerChild, loads: BenchChild[], tokens: string[] | null, durationMs: number) {
  const parts = tokens ? split(tokens, loads.length) : null;
  return combine(
    await Promise.all(
      loads.map((load, i) =>
        load.call<LoopResult>("reconnects", {
          url: server.url,
          ...(parts ? { tokens: parts[i] } : {}),
          concurrency: RECONNECT_LANES,
          durationMs,
        }),
      ),
    ),
  );
}

export async function churn(mode: Mode): Promise<ScenarioResult> {
  const durationMs = (mode.seconds ?? (mode.quick ? 3 : 15)) * 1000;
  const sessions = mode.n ?? (mode.quick ? 100 : 1000);
  const harness = new Harness();
  try {
    const loads = await harness.startLoad(LOAD_PROCESSES);
    const baselineServer = await harness.startBaseline();
    const baseReconnects = await reconnectLoops(baselineServer, loads, null, durationMs);
    await baselineServer.stop();

    const { url: redisUrl } = await harness.startRedis();
    const hub = await harness.startHub(redisUrl);
    const seeder = await openSeeder(redisUrl, "bench");
    const usernames = await seeder.createAccounts("tech", 20, "named");
    const tokens = await seeder.openSessions(usernames, sessions);
    const [adminToken] = await seeder.openSessions(["admin"], 1, "web");
    await seeder.close();

    // The dashboard sits on a process of its own, so its receive times are not held up by a login loop.
    const [dashboard] = await harness.startLoad(1);
    await dashboard!.call("admin:watch", { url: hub.url, token: adminToken });
    const logins = combine(
      await Promise.all(
        loads.map((load, i) =>
          load.call<LoopResult>("logins", {
            url: hub.url,
            usernames: split(usernames, loads.length)[i],
            password: SEED_PASSWORD,
            concurrency: LOGIN_LANES,
            durationMs,
          }),
        ),
      ),
    );
    const push = summarize((await dashboard!.call<{ latencies: number[] }>("admin:take")).latencies);
    const hubReconnects = await reconnectLoops(hub, loads, tokens, durationMs);

    const notes: string[] = [];
    for (const [name, result] of [["logins", logins], ["hub reconnects", hubReconnects], ["baseline reconnects", baseReconnects]] as const) {
      if (result.failed > 0) notes.push(`${name}: ${result.failed} failed (first: ${result.firstError})`);
    }
    if (push.count < logins.done) notes.push(`the dashboard saw ${push.count} of ${logins.done} logins as started sessions`);
    return {
      scenario: "churn",
      params: { windowSeconds: durationMs / 1000, loginLanes: LOGIN_LANES * LOAD_PROCESSES, reconnectLanes: RECONNECT_LANES * LOAD_PROCESSES, sessions },
      figures: [
        { metric: "password logins", unit: "logins/s", hub: logins.perSecond },
        { metric: "login latency p50", unit: "ms", hub: logins.latency.p50 },
        { metric: "login latency p99", unit: "ms", hub: logins.latency.p99 },
        { metric: "token reconnects", unit: "connects/s", hub: hubReconnects.perSecond, baseline: baseReconnects.perSecond },
        { metric: "reconnect latency p50", unit: "ms", hub: hubReconnects.latency.p50, baseline: baseReconnects.latency.p50 },
        { metric: "reconnect latency p99", unit: "ms", hub: hubReconnects.latency.p99, baseline: baseReconnects.latency.p99 },
        { metric: "change → dashboard p50", unit: "ms", hub: push.count ? push.p50 : null },
        {
          metric: "change → dashboard p99",
          unit: "ms",
          hub: push.count ? push.p99 : null,
          target: `≤ ${TARGET_PUSH_P99_MS}`,
          verdict: verdict(push.count ? push.p99 <= TARGET_PUSH_P99_MS : null),
        },
      ],
      notes,
    };
  } finally {
    await harness.close();
  }
}
