import { createClient } from "redis";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import type { SessionsDelta, SessionsSnapshot } from "../../shared/events.ts";
import type { Session } from "../../shared/types.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectAdmin, connectClient, connectRefused, waitFor, waitUntil } from "../support/sockets.ts";

let hub: TestHub;
let admin: Awaited<ReturnType<typeof login>>;

afterEach(async () => {
  closeAllSockets();
  await hub.close();
});

describe("the admin feed", () => {
  beforeEach(async () => {
    hub = await startTestHub();
    admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
  });

  it("sends a snapshot, then deltas with contiguous sequence numbers as sessions start, act and end", async () => {
    await createAccount(hub.url, admin.token, "alice", "concurrent");
    const { socket: dashboard, snapshot } = await connectAdmin(hub.url, admin.token);
    expect(snapshot.sessions.map((s: Session) => s.username)).toEqual(["admin"]);
    expect(snapshot.usage.concurrent.used).toBe(0);
    expect(snapshot.settings).toMatchObject({ enabled: false });

    const deltas: SessionsDelta[] = [];
    dashboard.on("sessions:delta", (delta) => deltas.push(delta));

    const started = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) => d.started.some((s) => s.username === "alice"));
    const alice = await login(hub.url, "alice", TECH_PASSWORD, "mobile", "Pixel 9");
    const startDelta = await started;
    expect(startDelta.started[0]).toMatchObject({ username: "alice", app: "mobile", device: "Pixel 9", connected: false, state: "active" });
    expect(startDelta.usage?.concurrent.used).toBe(1);

    const connected = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) => d.updated.some((s) => s.id === alice.session.id && s.connected));
    const socket = await connectClient(hub.url, alice.token);
    await connected;

    const acted = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) =>
      d.updated.some((s) => s.id === alice.session.id && s.lastActivityAt > alice.session.lastActivityAt),
    );
    socket.emit("activity");
    await acted;

    const ended = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) => d.ended.some((e) => e.id === alice.session.id));
    await api(hub.url, "POST", "/api/auth/logout", { token: alice.token });
    const endDelta = await ended;
    expect(endDelta.ended).toContainEqual({ id: alice.session.id, reason: "logout" });
    expect(endDelta.usage?.concurrent.used).toBe(0);

    // Every change since the snapshot arrived exactly once and in order.
    expect(deltas[0]!.fromSeq).toBe(snapshot.seq + 1);
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.fromSeq).toBe(deltas[i - 1]!.seq + 1);
  });

  it("pushes a refused login to dashboards at once", async () => {
    await api(hub.url, "PUT", "/api/license", { token: admin.token, body: { namedUsers: 5, concurrentUsers: 0 } });
    await createAccount(hub.url, admin.token, "late", "concurrent");
    const { socket } = await connectAdmin(hub.url, admin.token);
    const pushed = waitUntil<SessionsDelta>(socket, "sessions:delta", (d) => d.usage !== undefined);
    const refused = await api(hub.url, "POST", "/api/auth/login", { body: { username: "late", password: TECH_PASSWORD, app: "web" } });
    expect(refused.status).toBe(403);
    expect((await pushed).usage?.concurrent).toMatchObject({ licensed: 0, used: 0 });
  });

  it("sends every dashboard a new snapshot when the sequence goes backwards", async () => {
    const { socket, snapshot } = await connectAdmin(hub.url, admin.token);
    const delivered = waitUntil<SessionsDelta>(socket, "sessions:delta", (d) => d.seq > snapshot.seq);
    await createAccount(hub.url, admin.token, "before", "named");
    await delivered;
    // What a Redis that lost its newest writes looks like: the counter is behind what was seen.
    const redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
    await redis.set(`{${hub.prefix}}:seq`, "0");
    await redis.close();
    const reloaded = waitFor<SessionsSnapshot>(socket, "sessions:snapshot");
    await createAccount(hub.url, admin.token, "after", "named");
    await login(hub.url, "after", TECH_PASSWORD, "web");
    const fresh = await reloaded;
    expect(fresh.seq).toBeLessThan(snapshot.seq + 2);
  });

  it("answers sessions:resync with a fresh snapshot", async () => {
    const { socket } = await connectAdmin(hub.url, admin.token);
    await createAccount(hub.url, admin.token, "bob", "named");
    await login(hub.url, "bob", TECH_PASSWORD, "web");
    const fresh = await socket.emitWithAck("sessions:resync");
    expect(fresh.sessions.map((s) => s.username).sort()).toEqual(["admin", "bob"]);
    expect(fresh.usage.named.connected).toBe(2);
  });

  it("keeps technicians out of the dashboard and the admin API", async () => {
    await createAccount(hub.url, admin.token, "tech", "named");
    const tech = await login(hub.url, "tech", TECH_PASSWORD, "web");
    const refused = await connectRefused(hub.url, tech.token, "/admin");
    expect(refused.message).toBe("FORBIDDEN");
    expect(refused.data).toEqual({ code: "FORBIDDEN", message: expect.any(String) });
    for (const [method, path] of [
      ["GET", "/api/sessions"],
      ["POST", "/api/sessions/terminate"],
      ["GET", "/api/license"],
      ["PUT", "/api/license"],
      ["GET", "/api/license/history?type=named&period=hour"],
      ["GET", "/api/settings/idle-termination"],
      ["GET", "/api/accounts"],
      ["POST", "/api/accounts"],
    ] as const) {
      const response = await api(hub.url, method, path, { token: tech.token, body: method === "GET" ? undefined : {} });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe("FORBIDDEN");
    }
    expect((await api(hub.url, "GET", "/api/me", { token: tech.token })).status).toBe(200);
  });
});

describe("activity", () => {
  it("reaches dashboards as whole sessions, on a node that never saw the session start too, and stays current", async () => {
    hub = await startTestHub({ activityFlushMs: 100 });
    admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "bob", "named");
    const bob = await login(hub.url, "bob", TECH_PASSWORD, "mobile", "Pixel 9");
    // A node that joins after bob signed in has no record of his session from the change stream.
    const late = await startTestHub({ keyPrefix: hub.prefix, activityFlushMs: 100 });
    try {
      const { socket: dashboard } = await connectAdmin(late.url, admin.token);
      const isBob = (s: Session) => s.id === bob.session.id;
      const connected = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) => d.updated.some((s) => isBob(s) && s.connected));
      const socket = await connectClient(hub.url, bob.token);
      await connected;

      const acted = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) =>
        d.updated.some((s) => isBob(s) && s.lastActivityAt > bob.session.lastActivityAt),
      );
      socket.emit("activity");
      const first = (await acted).updated.find(isBob)!;
      expect(first).toEqual({ ...bob.session, connected: true, lastActivityAt: first.lastActivityAt });

      const gone = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) => d.updated.some((s) => isBob(s) && !s.connected));
      socket.close();
      await gone;
      const back = await connectClient(late.url, bob.token);
      const actedAgain = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (d) =>
        d.updated.some((s) => isBob(s) && s.connected && s.lastActivityAt > first.lastActivityAt),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      back.emit("activity");
      const second = (await actedAgain).updated.find(isBob)!;
      expect(second).toEqual({ ...bob.session, connected: true, lastActivityAt: second.lastActivityAt });
      expect((await api(hub.url, "GET", "/api/me", { token: bob.token })).body.session.lastActivityAt).toBe(second.lastActivityAt);
    } finally {
      closeAllSockets();
      await late.close();
    }
  });

  it("1,000 activity events from one socket cost a handful of Redis writes and keep last activity right", async () => {
    // The per-socket event limit is hardening's business (socket-limits.test.ts); here it is
    // opened up so all 1,000 events reach the activity buffer.
    hub = await startTestHub({ activityFlushMs: 250, socketLimits: { burst: 5000, disconnectAfterDropped: 100_000 } });
    admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "flood", "concurrent");
    const flood = await login(hub.url, "flood", TECH_PASSWORD, "web");
    const socket = await connectClient(hub.url, flood.token);
    const { socket: dashboard } = await connectAdmin(hub.url, admin.token);
    const pushed: number[] = [];
    dashboard.on("sessions:delta", (delta) => {
      for (const s of delta.updated) if (s.id === flood.session.id) pushed.push(s.lastActivityAt);
    });

    const monitor = createClient({ url: inject("redisUrl") });
    await monitor.connect();
    const writes: string[] = [];
    await monitor.monitor((line: string) => {
      // Script calls (evalsha/eval) that name this session: each is one write of its activity.
      if (/^"?(evalsha|eval)"?/i.test(line.split(" ").slice(3).join(" ")) && line.includes(flood.session.id)) writes.push(line);
    });

    const before = Date.now();
    for (let i = 0; i < 1000; i++) socket.emit("activity");
    // The ack of a later event says the hub has received all 1,000; the flush writes them.
    expect(await socket.emitWithAck("session:keep")).toEqual({ ok: true });
    await hub.hub.services.activity.flush();
    const me = await api(hub.url, "GET", "/api/me", { token: flood.token });
    const last = me.body.session.lastActivityAt;
    expect(last).toBeGreaterThanOrEqual(before);
    expect(last).toBeLessThanOrEqual(Date.now());
    // Dashboards end on the same time.
    await vi.waitFor(() => expect(Math.max(...pushed)).toBe(last), { timeout: 5000, interval: 20 });
    // MONITOR's copy of the writes trails their effects a little: wait for it before closing.
    await vi.waitFor(() => expect(writes.length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
    await monitor.close();
    expect(writes.length).toBeLessThanOrEqual(5);
  });
});
