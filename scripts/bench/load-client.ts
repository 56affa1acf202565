/**
 * A load generator: a child process that holds many socket.io-client sockets (or runs HTTP login
 * loops) for the runner, which starts several of them so the load is spread over processes. All
 * times are taken here, on the client side of loopback; the server's own figures come from its
 * probe.
 */
import { io, type Socket } from "socket.io-client";
import { serveParent } from "./ipc.ts";
import { sleep } from "./stats.ts";

/** The SDK's reconnect defaults (client/sdk/options.ts), so the storm sees what real clients do. */
const SDK_RECONNECT = { reconnectionDelay: 500, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 };
const FLOOD_TICK_MS = 20;
const MAX_CATCH_UP_S = 0.25;

interface ConnectRequest {
  url: string;
  /** One socket per token; without tokens, `count` sockets with no auth (the baseline). */
  tokens?: string[];
  count?: number;
  /** Sockets connecting at once. */
  concurrency: number;
  /** Reconnect by themselves like the SDK (storm) or not at all. */
  reconnection?: boolean;
  timeoutMs?: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
  latencies: number[];
  startedAt: number;
  finishedAt: number;
}

export interface LoopResult {
  done: number;
  failed: number;
  firstError: string | null;
  latencies: number[];
  durationMs: number;
}

const sockets: Socket[] = [];
/** Storm bookkeeping: when each socket came back after `storm:arm`. */
let stormArmedAt = 0;
const backAt = new Map<Socket, number>();
let admin: Socket | null = null;
let adminLatencies: number[] = [];
let adminActivityLatencies: number[] = [];

function openSocket(url: string, token: string | undefined, reconnection: boolean): Socket {
  return io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection,
    ...(reconnection ? SDK_RECONNECT : {}),
    ...(token ? { auth: { token } } : {}),
  });
}

function connectOne(url: string, token: string | undefined, reconnection: boolean, timeoutMs: number) {
  const socket = openSocket(url, token, reconnection);
  const started = performance.now();
  return new Promise<{ socket: Socket; ms: number | null; error: string | null }>((resolve) => {
    const timer = setTimeout(() => finish("timed out"), timeoutMs);
    const finish = (error: string | null) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      resolve({ socket, ms: error ? null : performance.now() - started, error });
    };
    const onConnect = () => finish(null);
    const onError = (err: Error) => {
      if (!reconnection) finish(err.message);
    };
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
async function pooled<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

async function connect(request: ConnectRequest): Promise<ConnectResult> {
  const items = request.tokens ?? Array.from({ length: request.count ?? 0 }, () => undefined);
  const result: ConnectResult = { connected: 0, failed: 0, firstError: null, latencies: [], startedAt: Date.now(), finishedAt: 0 };
  await pooled(items, request.concurrency, async (token) => {
    const { socket, ms, error } = await connectOne(request.url, token, request.reconnection ?? false, request.timeoutMs ?? 30_000);
    if (ms === null) {
      result.failed += 1;
      result.firstError ??= error;
      socket.close();
      return;
    }
    result.connected += 1;
    result.latencies.push(ms);
    sockets.push(socket);
  });
  result.finishedAt = Date.now();
  return result;
}

/** Every socket sends `event` at `ratePerSocket` per second for `durationMs`; returns how many were sent. */
async function flood({ ratePerSocket, durationMs, event = "activity" }: { ratePerSocket: number; durationMs: number; event?: string }) {
  const live = sockets.filter((socket) => socket.connected);
  let sent = 0;
  let owed = 0;
  const start = performance.now();
  let last = start;
  while (performance.now() - start < durationMs) {
    await sleep(FLOOD_TICK_MS);
    const now = performance.now();
    // Whole events per socket for the time that passed; the fraction carries over. A generator
    // starved of CPU falls behind rather than bursting (a burst past the hub's per-socket limit
    // would be dropped by its socket guard).
    owed = Math.min(owed + ((now - last) / 1000) * ratePerSocket, MAX_CATCH_UP_S * ratePerSocket);
    last = now;
    const each = Math.floor(owed);
    owed -= each;
    if (each === 0) continue;
    for (const socket of live) {
      for (let i = 0; i < each; i++) socket.emit(event);
    }
    sent += each * live.length;
  }
  return { sent, sockets: live.length, durationMs: performance.now() - start };
}

async function closeAll(): Promise<number> {
  const count = sockets.length;
  for (const socket of sockets.splice(0)) socket.close();
  backAt.clear();
  admin?.close();
  admin = null;
  await sleep(100);
  return count;
}

/** Password logins (then logout, so sessions do not pile up) in `concurrency` loops for `durationMs`. */
async function logins(request: { url: string; usernames: string[]; password: string; concurrency: number; durationMs: number }) {
  const result: LoopResult = { done: 0, failed: 0, firstError: null, latencies: [], durationMs: 0 };
  const start = performance.now();
  const deadline = start + request.durationMs;
  let turn = 0;
  const lanes = Array.from({ length: request.concurrency }, async () => {
    while (performance.now() < deadline) {
      const username = request.usernames[turn++ % request.usernames.length]!;
      const begun = performance.now();
      try {
        const response = await fetch(`${request.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password: request.password, app: "mobile", device: "bench" }),
        });
        const body = (await response.json()) as { token?: string; error?: { code: string } };
        if (!response.ok || !body.token) throw new Error(body.error?.code ?? `HTTP ${response.status}`);
        result.latencies.push(performance.now() - begun);
        result.done += 1;
        await fetch(`${request.url}/api/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${body.token}` } });
      } catch (error) {
        result.failed += 1;
        result.firstError ??= (error as Error).message;
      }
    }
  });
  await Promise.all(lanes);
  result.durationMs = performance.now() - start;
  return result;
}

/** Socket connects with existing tokens (or none), each closed once connected, in `concurrency` loops. */
async function reconnects(request: { url: string; tokens?: string[]; concurrency: number; durationMs: number }) {
  const result: LoopResult = { done: 0, failed: 0, firstError: null, latencies: [], durationMs: 0 };
  const start = performance.now();
  const deadline = start + request.durationMs;
  const lanes = Array.from({ length: request.concurrency }, async (_, lane) => {
    // Each lane has its own tokens, so one session never holds two of the loop's sockets at once.
    const mine = request.tokens?.filter((_token, i) => i % request.concurrency === lane);
    let turn = 0;
    while (performance.now() < deadline) {
      const token = mine?.length ? mine[turn++ % mine.length] : undefined;
      const { socket, ms, error } = await connectOne(request.url, token, false, 10_000);
      socket.close();
      if (ms === null) {
        result.failed += 1;
        result.firstError ??= error;
      } else {
        result.done += 1;
        result.latencies.push(ms);
      }
    }
  });
  await Promise.all(lanes);
  result.durationMs = performance.now() - start;
  return result;
}

/**
 * A dashboard: for every started session in a delta, how long after its start it arrived; for
 * every updated one, how long after its last activity (the hub's clock is this machine's).
 */
async function adminWatch({ url, token }: { url: string; token: string }) {
  admin = io(`${url}/admin`, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token } });
  admin.on("sessions:delta", (delta: { started: { startedAt: number }[]; updated: { lastActivityAt: number }[] }) => {
    const now = Date.now();
    for (const session of delta.started) adminLatencies.push(now - session.startedAt);
    for (const session of delta.updated) adminActivityLatencies.push(now - session.lastActivityAt);
  });
  await new Promise<void>((resolve, reject) => {
    admin!.once("sessions:snapshot", () => resolve());
    admin!.once("connect_error", (error) => reject(error));
  });
}

serveParent({
  connect,
  flood,
  "close-all": closeAll,
  logins,
  reconnects,
  "admin:watch": adminWatch,
  "admin:take": () => {
    const taken = { latencies: adminLatencies, activityLatencies: adminActivityLatencies };
    adminLatencies = [];
    adminActivityLatencies = [];
    return taken;
  },
  /** Notes, for every socket, the first time it is connected again after this call. */
  "storm:arm": () => {
    stormArmedAt = Date.now();
    backAt.clear();
    for (const socket of sockets) {
      socket.on("connect", () => {
        if (!backAt.has(socket)) backAt.set(socket, Date.now());
      });
    }
    return sockets.length;
  },
  "storm:take": () => ({
    total: sockets.length,
    latencies: [...backAt.values()].map((at) => at - stormArmedAt),
    disconnected: sockets.filter((socket) => !socket.connected).length,
  }),
});
