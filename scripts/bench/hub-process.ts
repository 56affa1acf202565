/**
 * The hub under load: a child process that builds a hub with `createHub`, exactly as
 * `server/main.ts` does, plus the bench's probe (memory, event-loop delay, events handled) and a
 * few calls the idle scenario needs in-process. Nothing here changes how the hub works.
 * Its options come as JSON in BENCH_HUB; SIGTERM closes it the way `npm start` does.
 */
import { createHub } from "../../server/hub.ts";
import { createLogger } from "../../server/logger.ts";
import type { HubOptions } from "../../server/options.ts";
import type { App } from "../../shared/types.ts";
import { serveParent } from "./ipc.ts";
import { BENCH_ADMIN } from "./seed.ts";
import { ServerProbe } from "./server-probe.ts";
import { sleep } from "./stats.ts";

export type BenchHubOptions = Pick<
  HubOptions,
  "redisUrl" | "keyPrefix" | "port" | "minIdleTimeoutSeconds" | "activityFlushMs" | "initialLicense" | "nodeId"
>;

const options = JSON.parse(process.env.BENCH_HUB ?? "{}") as BenchHubOptions;
const probe = new ServerProbe();
const hub = await createHub({
  ...options,
  host: "127.0.0.1",
  logger: createLogger(process.env.LOG_LEVEL ?? "error"),
  adminUsername: BENCH_ADMIN.username,
  adminPassword: BENCH_ADMIN.password,
});
const url = await hub.listen();
hub.io.on("connection", (socket) => socket.onAny(probe.count));

const { sessions, accounts, ender, idle, idleSettings } = hub.services;

/** Idle bookkeeping: when each tracked session is due, and how late each one ended. */
const dueAt = new Map<string, number>();
let timeoutMs = 0;
let lateness: number[] = [];
ender.on("ended", ({ sessionId }) => {
  const due = dueAt.get(sessionId);
  if (due === undefined) return;
  dueAt.delete(sessionId);
  lateness.push(Date.now() - due);
});

interface OpenRequest {
  usernames: string[];
  count: number;
  app: App;
  /** Sessions opened per second, in steps of 100 ms; 0 = as fast as possible. */
  perSecond: number;
  /** Sessions opened at once. */
  batch: number;
}

/** Opens sessions through SessionStore.open, whose `opened` event arms each idle job. */
async function openSessions(request: OpenRequest) {
  const stored = await Promise.all(request.usernames.map((name) => accounts.findByUsername(name)));
  const start = performance.now();
  const open = async (i: number) => {
    const account = stored[i % stored.length]!;
    const { session } = await sessions.open({ account, app: request.app, device: "bench", ip: "127.0.0.1" });
    if (timeoutMs > 0) dueAt.set(session.id, session.lastActivityAt + timeoutMs);
  };
  let opened = 0;
  while (opened < request.count) {
    const allowed = request.perSecond > 0 ? Math.floor(((performance.now() - start) / 1000) * request.perSecond) : request.count;
    const until = Math.min(request.count, allowed);
    if (until <= opened) {
      await sleep(20);
      continue;
    }
    const end = Math.min(until, opened + request.batch);
    await Promise.all(Array.from({ length: end - opened }, (_, k) => open(opened + k)));
    opened = end;
  }
  return { opened, durationMs: performance.now() - start };
}

serveParent({
  ...probe.handlers(),
  "hub:url": () => url,
  "hub:idle-on": async ({ timeoutMinutes }: { timeoutMinutes: number }) => {
    const settings = { enabled: true, timeoutMinutes, promptSeconds: 30 };
    await idleSettings.set(settings);
    await idle.applySettings(settings);
    timeoutMs = Math.round(timeoutMinutes * 60_000);
  },
  "hub:open-sessions": openSessions,
  "hub:idle-take": () => ({ pending: dueAt.size, lateness }),
  "hub:idle-reset": () => {
    lateness = [];
  },
});

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  void hub.close().finally(() => process.exit(0));
});
