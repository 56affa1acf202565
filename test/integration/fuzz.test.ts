/**
 * Fuzz: a seeded generator sends well over 10,000 malformed REST bodies, query strings and socket
 * packets to a live hub. Nothing may crash, no client mistake may get a 5xx, and rejected input
 * may change no state (accounts, sessions, license, settings compared before and after).
 * Re-run a failure with FUZZ_SEED=<seed printed in the failure>.
 */
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD, type LoggedIn } from "../support/api.ts";
import { invalidBody, Random, randomJson, randomString } from "../support/fuzz.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectClient } from "../support/sockets.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const REST_BODIES = 6000;
const QUERIES = 2500;
const SOCKET_PACKETS = 3000;
const CONCURRENCY = 8;

let hub: TestHub;
let admin: LoggedIn;
let tech: LoggedIn;
let accountId: string;

beforeAll(async () => {
  hub = await startTestHub({
    // Bad logins soon get 429 instead of a password hash each, so the run stays fast.
    loginLimits: { failuresPerUserIp: 3, failuresPerIp: 20 },
    socketLimits: { eventsPerSecond: 100_000, burst: 100_000, disconnectAfterDropped: 100_000, maxSocketsPerSession: 1000 },
  });
  admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
  accountId = (await createAccount(hub.url, admin.token, "yuri", "concurrent")).id;
  await createAccount(hub.url, admin.token, "zoe", "named");
  tech = await login(hub.url, "yuri", TECH_PASSWORD, "web");
});
afterAll(async () => {
  closeAllSockets();
  await hub.close();
});

/** Everything rejected input must not change (activity times and socket counts may move). */
async function snapshot() {
  const get = async (path: string) => (await api(hub.url, "GET", path, { token: admin.token })).body;
  const sessions = (await get("/api/sessions")).sessions.map(
    ({ lastActivityAt: _a, connected: _c, ...session }: Record<string, unknown>) => session,
  );
  return {
    accounts: await get("/api/accounts"),
    sessions,
    license: (await get("/api/license")).license,
    settings: await get("/api/settings/idle-termination"),
  };
}

interface Target {
  method: string;
  path: () => string;
  token: () => string | undefined;
  valid: Record<string, unknown>;
  required: string[];
}

/** encodeURIComponent, but a lone surrogate (which it cannot encode) becomes "x". */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return "x";
  }
};
const garbageToken = (r: Random) => r.pick([undefined, "x", randomString(r).replace(/[^\w-]/g, "") || "t", "A".repeat(300)]);
const notAnId = (r: Random) => r.pick(["not-a-uuid", "00000000-0000-4000-8000-000000000000", encode(randomString(r)) || "x", "%E0%A4%A", ".."]);

function targets(r: Random): Target[] {
  const asAdmin = () => admin.token;
  const asTech = () => tech.token;
  return [
    {
      method: "POST", path: () => "/api/auth/login", token: () => undefined,
      valid: { username: r.pick(["nobody", "yuri", "admin"]), password: "wrong-password", app: "web", device: "d" },
      required: ["username", "password", "app"],
    },
    { method: "PUT", path: () => "/api/license", token: asAdmin, valid: { namedUsers: 5, concurrentUsers: 10 }, required: ["namedUsers", "concurrentUsers"] },
    {
      method: "PUT", path: () => "/api/settings/idle-termination", token: asAdmin,
      valid: { enabled: true, timeoutMinutes: 30, promptSeconds: 60 }, required: ["enabled", "timeoutMinutes", "promptSeconds"],
    },
    {
      method: "POST", path: () => "/api/accounts", token: asAdmin,
      valid: { username: "fuzzed", password: TECH_PASSWORD, displayName: "F", licenseType: "named", role: "technician" },
      required: ["username", "password", "licenseType", "role"],
    },
    {
      method: "PATCH", path: () => `/api/accounts/${r.chance(0.7) ? accountId : notAnId(r)}`, token: asAdmin,
      valid: { displayName: "Y", password: "another-password", licenseType: "named", role: "admin", disabled: true },
      required: [],
    },
    {
      method: "POST", path: () => "/api/sessions/terminate", token: asAdmin,
      valid: { sessionIds: [tech.session.id], message: "bye" }, required: ["sessionIds"],
    },
    {
      method: "POST", path: () => "/api/me/password", token: asTech,
      valid: { currentPassword: TECH_PASSWORD, newPassword: "a-brand-new-one" }, required: ["currentPassword", "newPassword"],
    },
  ];
}

/** One malformed REST call: an invalid body, raw bytes, an odd content type, or a bad token. */
function restCall(r: Random, all: Target[]) {
  const target = r.pick(all);
  const roll = r.int(20);
  const headers: Record<string, string> = {};
  let rawBody: string | undefined;
  let token = target.token();
  let method = target.method;
  let path = target.path();
  if (roll < 12) {
    rawBody = JSON.stringify(invalidBody(r, target.valid, target.required));
  } else if (roll < 14) {
    rawBody = JSON.stringify(target.valid).slice(0, r.int(JSON.stringify(target.valid).length));
  } else if (roll < 15) {
    rawBody = randomString(r);
    headers["content-type"] = r.pick(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/json; charset=latin9"]);
  } else if (roll < 16) {
    rawBody = JSON.stringify({ ...target.valid, pad: "x".repeat(17 * 1024) });
  } else if (roll < 18) {
    // The right shape with a wrong or missing token: the token check refuses it.
    rawBody = JSON.stringify(randomJson(r));
    token = garbageToken(r);
  } else if (roll < 19) {
    method = r.pick(["DELETE", "PUT", "POST"]);
    path = `/api/accounts/${notAnId(r)}`;
    rawBody = JSON.stringify(randomJson(r));
  } else if (r.chance(0.5)) {
    method = "POST";
    path = "/api/auth/logout";
    token = garbageToken(r);
  } else {
    // Well-formed sign-ins with a wrong password: 401, then 429 once the limits are reached.
    method = "POST";
    path = "/api/auth/login";
    rawBody = JSON.stringify({ username: r.pick(["yuri", "zoe", "admin", "ghost"]), password: randomString(r).slice(0, 200) || "x", app: "mobile" });
    token = undefined;
  }
  return { method, path, token, rawBody, headers };
}

function queryCall(r: Random) {
  const path = r.pick(["/api/license/history", "/api/audit", "/api/session-history", "/api/sessions", "/api/accounts", "/api/me", "/api/license", "/metrics"]);
  const pairs: string[] = [];
  for (let i = r.int(5); i >= 0; i--) {
    const key = r.pick(["type", "period", "user", "from", "to", "cursor", "limit", "format", "reason", "app", randomString(r)]);
    const value = r.chance(0.3) ? r.pick(["named", "day", "csv", "-1", "1e3", "999999999999999999", "0-0", "1-1", "%", "%zz", "a[b]=c"]) : randomString(r);
    const escape = r.chance(0.8) ? encode : (text: string) => encode(text).replace(/%25/g, "%").replace(/%26/g, "&");
    pairs.push(`${escape(key)}=${escape(value)}`);
    if (r.chance(0.2)) pairs.push(pairs[pairs.length - 1]!);
  }
  return { method: r.chance(0.9) ? "GET" : "HEAD", path: `${path}?${pairs.join("&")}`, token: r.chance(0.9) ? admin.token : tech.token };
}

async function send(call: { method: string; path: string; token?: string; rawBody?: string; headers?: Record<string, string> }) {
  const response = await fetch(hub.url + call.path, {
    method: call.method,
    headers: {
      ...(call.rawBody !== undefined ? { "content-type": "application/json" } : {}),
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...call.headers,
    },
    body: call.rawBody,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `count` calls made by `make`, `CONCURRENCY` at a time; returns those answered 5xx. */
async function flood<C extends { method: string; path: string }>(count: number, make: () => C) {
  const failures: string[] = [];
  const calls = Array.from({ length: count }, make);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls.length) {
        const call = calls[next++]!;
        const status = await send(call);
        if (status >= 500) failures.push(`${status} ${call.method} ${call.path} ${JSON.stringify(call).slice(0, 300)}`);
      }
    }),
  );
  return failures;
}

/** A random socket.io packet as text: events (known or not) with odd payloads and acks, or junk. */
function socketPacket(r: Random): string | Buffer {
  const events = ["activity", "session:keep", "sessions:resync", "disconnect", "connect", "__proto__", randomString(r)];
  const args = Array.from({ length: r.int(4) }, () => randomJson(r));
  switch (r.int(10)) {
    case 0:
      return randomString(r);
    case 1:
      return Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256)));
    case 2:
      return `451-${JSON.stringify([r.pick(events), { _placeholder: true, num: r.int(3) }])}`;
    case 3:
      return `42/admin,${JSON.stringify([r.pick(events), ...args])}`;
    case 4:
      return `4${r.int(10)}${randomString(r)}`;
    case 5:
      return `42${JSON.stringify(randomJson(r))}`;
    default:
      return `42${r.chance(0.5) ? r.int(1_000_000) : ""}${JSON.stringify([r.pick(events), ...args])}`;
  }
}

/** Sends `count` packets over raw websockets, reopening the connection whenever the hub drops it. */
async function socketFlood(r: Random, count: number): Promise<number> {
  const wsUrl = `${hub.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`;
  let sent = 0;
  let connections = 0;
  while (sent < count) {
    connections += 1;
    const socket = new WebSocket(wsUrl);
    await new Promise<void>((resolve) => {
      socket.on("error", () => resolve());
      socket.on("close", () => resolve());
      socket.on("message", (data) => {
        const text = String(data);
        if (text.startsWith("0")) {
          // engine.io open: connect to `/` as the technician, or with a junk auth payload.
          socket.send(`40${JSON.stringify(r.chance(0.9) ? { token: tech.token } : randomJson(r))}`);
        } else if (text.startsWith("40") || text.startsWith("44")) {
          for (let i = 0; i < 50 && sent < count; i++, sent++) socket.send(socketPacket(r));
          socket.send("3"); // a pong, so the burst ends with something harmless
          if (sent >= count) socket.close();
        } else if (text === "2") {
          socket.send("3");
        }
      });
    });
  }
  return connections;
}

describe("fuzz", () => {
  it(`thousands of malformed requests and packets crash nothing, get no 5xx and change nothing (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const r = new Random(SEED);
    const before = await snapshot();
    const started = Date.now();

    const all = targets(r);
    const restFailures = await flood(REST_BODIES, () => restCall(r, all));
    const queryFailures = await flood(QUERIES, () => queryCall(r));
    await socketFlood(r, SOCKET_PACKETS);

    const seconds = (Date.now() - started) / 1000;
    expect([...restFailures, ...queryFailures].slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(seconds).toBeLessThan(60);

    // Still alive and serving: health, a real client, and the state as it was.
    expect((await api(hub.url, "GET", "/healthz")).status).toBe(200);
    const socket = await connectClient(hub.url, tech.token);
    expect(await socket.emitWithAck("session:keep")).toHaveProperty("ok");
    expect(await snapshot()).toEqual(before);
  });
});
