/**
 * Idle termination (issue 3) against real hubs, real Redis and real BullMQ, observed from real
 * socket.io clients: the Web App is prompted before it expires, other apps expire at the timeout,
 * named accounts never do, and the queue holds up across nodes, restarts and activity floods.
 * Timeouts are seconds long (the test hubs' floor is 1 s); every expiry is checked to land
 * within a second of its deadline.
 */
import { createClient } from "redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import type { SessionEndedPayload, SessionPromptPayload, SessionsDelta } from "../../shared/events.ts";
import { EndMessage } from "../../shared/messages.ts";
import type { App, LicenseType } from "../../shared/types.ts";
import { IDLE_QUEUE_NAME, idleJobId } from "../../server/idle/idle-queue.ts";
import type { EndedSession } from "../../server/sessions/session-ender.ts";
import { api, createAccount, login, TECH_PASSWORD, type LoggedIn } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import {
  closeAllSockets,
  connectAdmin,
  connectClient,
  connectRefused,
  waitFor,
  waitUntil,
  type ClientSocket,
} from "../support/sockets.ts";

const hubs: TestHub[] = [];
const redisClients: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  closeAllSockets();
  await Promise.all(redisClients.splice(0).map((client) => client.close().catch(() => undefined)));
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

async function newHub(keyPrefix?: string): Promise<TestHub> {
  const hub = await startTestHub(keyPrefix ? { keyPrefix } : {});
  hubs.push(hub);
  return hub;
}

async function adminOf(hub: TestHub): Promise<string> {
  return (await login(hub.url, hub.adminUsername, hub.adminPassword)).token;
}

async function setIdle(hub: TestHub, token: string, enabled: boolean, timeoutSeconds = 2, promptSeconds = 1) {
  const response = await api(hub.url, "PUT", "/api/settings/idle-termination", {
    token,
    body: { enabled, timeoutMinutes: timeoutSeconds / 60, promptSeconds },
  });
  expect(response.status).toBe(200);
}

let accounts = 0;
/** Creates a technician and signs it in; the session's idle clock starts at its login. */
async function signIn(hub: TestHub, admin: string, licenseType: LicenseType, app: App): Promise<LoggedIn> {
  const account = await createAccount(hub.url, admin, `idle-${licenseType}-${app}-${++accounts}`, licenseType);
  return login(hub.url, account.username, TECH_PASSWORD, app);
}

/** Everything a client socket hears about its session, with the local time it arrived. */
interface Heard {
  socket: ClientSocket;
  prompts: (SessionPromptPayload & { at: number })[];
  resumed: number[];
  ended: (SessionEndedPayload & { at: number })[];
}

async function listen(url: string, token: string): Promise<Heard> {
  const socket = await connectClient(url, token);
  const heard: Heard = { socket, prompts: [], resumed: [], ended: [] };
  socket.on("session:prompt", (payload) => heard.prompts.push({ ...payload, at: Date.now() }));
  socket.on("session:resumed", () => heard.resumed.push(Date.now()));
  socket.on("session:ended", (payload) => heard.ended.push({ ...payload, at: Date.now() }));
  return heard;
}

/** Every session end a hub performs, from its SessionEnder. */
function recordEnds(hub: TestHub): EndedSession[] {
  const ends: EndedSession[] = [];
  hub.hub.services.ender.on("ended", (end) => ends.push(end));
  return ends;
}

function jobKey(hub: TestHub, sessionId: string): string {
  return `${hub.hub.ctx.keys.bullPrefix}:${IDLE_QUEUE_NAME}:${idleJobId(sessionId)}`;
}

async function hasJob(hub: TestHub, sessionId: string): Promise<boolean> {
  return (await hub.hub.ctx.redis.exists(jobKey(hub, sessionId))) === 1;
}

/** Waits until the session's idle job is in Redis (it is armed just after the login answers). */
async function armed(hub: TestHub, sessionId: string): Promise<void> {
  await vi.waitFor(async () => expect(await hasJob(hub, sessionId)).toBe(true), { timeout: 5000, interval: 20 });
}

/** An event at `at` (local ms) landed no earlier than `deadline` and within a second of it. */
function expectOnTime(at: number, deadline: number): void {
  expect(at).toBeGreaterThanOrEqual(deadline - 20);
  expect(at).toBeLessThan(deadline + 1000);
}

async function meStatus(hub: TestHub, token: string) {
  return api(hub.url, "GET", "/api/me", { token });
}

describe("a mobile session", () => {
  it("idle past the timeout is ended as expired, with no prompt", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 2, 30);
    const mobile = await signIn(hub, admin, "concurrent", "mobile");
    const heard = await listen(hub.url, mobile.token);
    const disconnected = waitFor(heard.socket, "disconnect");

    const ended = await waitFor<SessionEndedPayload>(heard.socket, "session:ended");
    expect(ended).toMatchObject({ sessionId: mobile.session.id, reason: "expired", message: EndMessage.expired });
    expectOnTime(heard.ended[0]!.at, mobile.session.lastActivityAt + 2000);
    expect(heard.prompts).toEqual([]);
    await disconnected;
    expect((await meStatus(hub, mobile.token)).body.error.code).toBe("SESSION_EXPIRED");
  });
});

describe("a Web App session of a concurrent account", () => {
  it("idle past the timeout is prompted; keep answers it, re-arms it, and it is prompted again when idle again", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 2, 2);
    const web = await signIn(hub, admin, "concurrent", "web");
    const heard = await listen(hub.url, web.token);

    const first = await waitFor<SessionPromptPayload>(heard.socket, "session:prompt");
    expect(first.sessionId).toBe(web.session.id);
    expect(first.respondBy - first.serverNow).toBeGreaterThan(1900);
    expect(first.respondBy - first.serverNow).toBeLessThanOrEqual(2000);
    expectOnTime(heard.prompts[0]!.at, web.session.lastActivityAt + 2000);
    expect((await meStatus(hub, web.token)).body.session.state).toBe("prompted");

    const resumed = waitFor(heard.socket, "session:resumed");
    expect(await heard.socket.emitWithAck("session:keep")).toEqual({ ok: true });
    const keptAt = Date.now();
    expect(await resumed).toEqual({ sessionId: web.session.id });
    expect((await meStatus(hub, web.token)).body.session.state).toBe("active");

    // Idle again from the keep: prompted once more a timeout later, past the first deadline.
    const second = await waitFor<SessionPromptPayload>(heard.socket, "session:prompt");
    expect(second.respondBy).toBeGreaterThan(first.respondBy);
    expectOnTime(heard.prompts[1]!.at, keptAt + 2000);
    expect(heard.ended).toEqual([]);
    expect(heard.prompts).toHaveLength(2);
    expect(await hasJob(hub, web.session.id)).toBe(true);
  });

  it("ignoring the prompt ends it as expired: told why, disconnected, its token refused", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    const { socket: dashboard } = await connectAdmin(hub.url, admin);
    await setIdle(hub, admin, true, 2, 1);
    const web = await signIn(hub, admin, "concurrent", "web");
    const id = web.session.id;
    const seenPrompted = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (delta) =>
      delta.updated.some((session) => session.id === id && session.state === "prompted"),
    );
    const seenEnded = waitUntil<SessionsDelta>(dashboard, "sessions:delta", (delta) =>
      delta.ended.some((end) => end.id === id && end.reason === "expired"),
    );
    const heard = await listen(hub.url, web.token);
    const disconnected = waitFor<string>(heard.socket, "disconnect");

    const prompt = await waitFor<SessionPromptPayload>(heard.socket, "session:prompt");
    const ended = await waitFor<SessionEndedPayload>(heard.socket, "session:ended");
    expect(ended).toEqual({ sessionId: id, reason: "expired", message: "Your session has expired due to inactivity." });
    expectOnTime(heard.ended[0]!.at, prompt.respondBy);
    expect(await disconnected).toBe("io server disconnect");
    await seenPrompted;
    await seenEnded;

    const me = await meStatus(hub, web.token);
    expect(me.status).toBe(401);
    expect(me.body.error).toEqual({ code: "SESSION_EXPIRED", message: EndMessage.expired });
    const refused = await connectRefused(hub.url, web.token);
    expect(refused.message).toBe("SESSION_EXPIRED");
    expect(refused.data).toEqual({ code: "SESSION_EXPIRED", message: EndMessage.expired });
  });
});
