import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { manualClock, type ManualClock } from "../support/manual-clock.ts";
import { closeAllSockets, connectClient, connectRefused, waitFor } from "../support/sockets.ts";

let hub: TestHub;
let clock: ManualClock;

beforeEach(async () => {
  clock = manualClock();
  hub = await startTestHub({
    clock,
    socketLimits: { eventsPerSecond: 10, burst: 10, disconnectAfterDropped: 50, maxSocketsPerSession: 3 },
  });
});
afterEach(async () => {
  closeAllSockets();
  await hub.close();
});

async function droppedSoFar(): Promise<number> {
  const metrics = await fetch(`${hub.url}/metrics`).then((r) => r.text());
  return Number(/^hub_socket_events_dropped_total (\d+)/m.exec(metrics)?.[1]);
}

async function technician(name: string) {
  const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
  await createAccount(hub.url, admin.token, name, "named");
  return login(hub.url, name, TECH_PASSWORD, "web");
}

describe("socket limits", () => {
  it("a socket flooding events has the excess dropped, then is disconnected; the hub and the session live on", async () => {
    const gus = await technician("gus");
    const socket = await connectClient(hub.url, gus.token);
    // With time standing still the bucket never refills: exactly `burst` events get through.
    clock.freeze();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) acks.push(socket.emitWithAck("session:keep"));
    for (const dropped of acks.slice(10)) dropped.catch(() => undefined);
    await expect.poll(droppedSoFar, { timeout: 5000 }).toBe(20);
    for (const ack of await Promise.all(acks.slice(0, 10))) expect(ack).toHaveProperty("ok");
    // A second later there is room again.
    clock.advance(1000);
    expect(await socket.emitWithAck("session:keep")).toHaveProperty("ok");
    expect(await droppedSoFar()).toBe(20);

    const disconnected = waitFor<string>(socket, "disconnect");
    for (let i = 0; i < 60; i++) socket.emit("activity");
    expect(await disconnected).toBe("io server disconnect");
    expect((await api(hub.url, "GET", "/healthz")).status).toBe(200);
    expect((await api(hub.url, "GET", "/api/me", { token: gus.token })).status).toBe(200);
    await connectClient(hub.url, gus.token);
  });

  it("a session may hold only so many sockets; one more is refused with RATE_LIMITED", async () => {
    const hana = await technician("hana");
    for (let i = 0; i < 3; i++) await connectClient(hub.url, hana.token);
    // The third socket's count reaches Redis just after its connect; wait until the list shows it.
    await expect.poll(async () => (await socketsOf(hana.session.id)), { timeout: 5000 }).toBe(3);
    const refused = await connectRefused(hub.url, hana.token);
    expect(refused.message).toBe("RATE_LIMITED");
    expect(refused.data?.message).toMatch(/at most 3 connections/);
  });

  it("unknown events, odd payloads and acks that are not functions never throw", async () => {
    const ivy = await technician("ivy");
    const socket = await connectClient(hub.url, ivy.token);
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    raw.emit("session:keep", 1, 2, 3);
    raw.emit("__proto__", { constructor: { prototype: null } });
    raw.emit("sessions:resync", "not-a-function");
    raw.emit("activity", () => undefined);
    expect(await socket.emitWithAck("session:keep")).toHaveProperty("ok");
    expect(socket.connected).toBe(true);
  });
});

async function socketsOf(sessionId: string): Promise<number> {
  return Number(await hub.hub.ctx.redis.hGet(hub.hub.ctx.keys.session(sessionId), "sockets"));
}
