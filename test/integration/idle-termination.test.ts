/**
 * Idle termination (issue 3) against real hubs, real Redis and real BullMQ, observed from real
 * socket.io clients: the Web App is prompted before it expires, other apps expire at the timeout,
 * named accounts never do, and the queue holds up across nodes, restarts and activity floods.
 * Timeouts are seconds long (the test hubs' floor is 1 s); every expiry is checked to land
 * within a second of its deadline.
 */
import { createClient } from "redis";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
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

const meStatus = (hub: TestHub, token: string) => api(hub.url, "GET", "/api/me", { token });

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
    expect(me.body.error).toEqual({ code: "SESSION_EXPIRED", message: EndMessage.expired, reason: "expired", sessionId: web.session.id });
    const refused = await connectRefused(hub.url, web.token);
    expect(refused.message).toBe("SESSION_EXPIRED");
    expect(refused.data).toEqual({ code: "SESSION_EXPIRED", message: EndMessage.expired, reason: "expired", sessionId: web.session.id });
  });
});

describe("named accounts", () => {
  it("named Web App and mobile sessions stay open far past the timeout, with no job at all", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 2, 2);
    const namedWeb = await signIn(hub, admin, "named", "web");
    const namedMobile = await signIn(hub, admin, "named", "mobile");
    const named = [await listen(hub.url, namedWeb.token), await listen(hub.url, namedMobile.token)];
    // A concurrent Web App session opened after them ends two seconds past their own deadline.
    const witness = await signIn(hub, admin, "concurrent", "web");
    const witnessHeard = await listen(hub.url, witness.token);

    await waitFor(witnessHeard.socket, "session:ended");
    expect(Date.now()).toBeGreaterThan(namedMobile.session.lastActivityAt + 2000 + 1900);
    for (const heard of named) {
      expect(heard.prompts).toEqual([]);
      expect(heard.ended).toEqual([]);
      expect(heard.socket.connected).toBe(true);
    }
    for (const session of [namedWeb, namedMobile]) {
      const me = await meStatus(hub, session.token);
      expect(me.status).toBe(200);
      expect(me.body.session.state).toBe("active");
      expect(await hasJob(hub, session.session.id)).toBe(false);
    }
  });
});

describe("activity and the setting", () => {
  it("activity keeps postponing the expiry until the session is idle for the whole timeout", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 2, 30);
    const mobile = await signIn(hub, admin, "concurrent", "mobile");
    const heard = await listen(hub.url, mobile.token);

    // Twice the timeout of steady use: an event every 300 ms, some of them not "activity".
    const until = Date.now() + 4000;
    let lastActivity = 0;
    for (let i = 0; Date.now() < until; i++) {
      if (i % 3 === 2) (heard.socket as any).emit("ticket:typed");
      else heard.socket.emit("activity");
      lastActivity = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(heard.ended).toEqual([]);

    const ended = await waitFor<SessionEndedPayload>(heard.socket, "session:ended");
    expect(ended.reason).toBe("expired");
    expectOnTime(heard.ended[0]!.at, lastActivity + 2000);
  });

  it("with the setting off nothing ends (open prompts are withdrawn); switched on again, the idle sessions go", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 2, 10);
    const prompted = await signIn(hub, admin, "concurrent", "web");
    const promptedHeard = await listen(hub.url, prompted.token);
    await waitFor(promptedHeard.socket, "session:prompt");
    const mobile = await signIn(hub, admin, "concurrent", "mobile");
    const web = await signIn(hub, admin, "concurrent", "web");
    const heard = [promptedHeard, await listen(hub.url, mobile.token), await listen(hub.url, web.token)];
    await armed(hub, mobile.session.id);
    await armed(hub, web.session.id);

    const withdrawn = waitFor(promptedHeard.socket, "session:resumed");
    await setIdle(hub, admin, false, 2, 10);
    await withdrawn;
    expect((await meStatus(hub, prompted.token)).body.session.state).toBe("active");
    expect(await hasJob(hub, mobile.session.id)).toBe(false);

    // A witness: another cluster with the setting on, whose mobile session opened after ours.
    const other = await newHub();
    const otherAdmin = await adminOf(other);
    await setIdle(other, otherAdmin, true, 2, 10);
    const witness = await listen(other.url, (await signIn(other, otherAdmin, "concurrent", "mobile")).token);
    await waitFor(witness.socket, "session:ended");
    expect(Date.now()).toBeGreaterThan(web.session.lastActivityAt + 2000);
    for (const one of heard) expect(one.ended).toEqual([]);
    const listed = await api(hub.url, "GET", "/api/sessions", { token: admin });
    const open = listed.body.sessions.map((session: { id: string }) => session.id);
    expect(open).toEqual(expect.arrayContaining([prompted.session.id, mobile.session.id, web.session.id]));

    // On again: all three have been idle past the timeout, so they are handled at once.
    const webOnes = [heard[0]!, heard[2]!];
    const promptedAgain = webOnes.map((one) => waitFor<SessionPromptPayload>(one.socket, "session:prompt"));
    const endedAll = heard.map((one) => waitFor<SessionEndedPayload>(one.socket, "session:ended"));
    const enabledAt = Date.now();
    await setIdle(hub, admin, true, 2, 1);
    expect((await endedAll[1]!).reason).toBe("expired");
    expectOnTime(heard[1]!.ended[0]!.at, enabledAt);
    for (const [i, one] of webOnes.entries()) {
      const prompt = await promptedAgain[i]!;
      expectOnTime(one.prompts.at(-1)!.at, enabledAt);
      expect((await endedAll[i === 0 ? 0 : 2]!).reason).toBe("expired");
      expectOnTime(one.ended[0]!.at, prompt.respondBy);
    }
  });
});

describe("a cluster", () => {
  it("two hubs on one Redis handle each expiry exactly once, and prompts reach sockets on the other node", async () => {
    const first = await newHub();
    const second = await newHub(first.prefix);
    const ends = [first, second].map(recordEnds);
    const admin = await adminOf(first);
    await setIdle(first, admin, true, 2, 1);

    const sessions: { login: LoggedIn; heard: Heard }[] = [];
    for (const [i, app] of (["mobile", "mobile", "mobile", "mobile", "web", "web"] as const).entries()) {
      const [home, away] = i % 2 === 0 ? [first, second] : [second, first];
      const login = await signIn(home, admin, "concurrent", app);
      sessions.push({ login, heard: await listen(away.url, login.token) });
    }
    await Promise.all(sessions.map(({ heard }) => waitFor(heard.socket, "session:ended")));
    // Every job has finished: nothing is left to run a second time.
    await vi.waitFor(
      async () => {
        for (const { login } of sessions) expect(await hasJob(first, login.session.id)).toBe(false);
      },
      { timeout: 5000, interval: 50 },
    );

    const allEnds = ends.flat();
    for (const { login, heard } of sessions) {
      const id = login.session.id;
      expect(allEnds.filter((end) => end.sessionId === id)).toHaveLength(1);
      expect(heard.ended).toHaveLength(1);
      expect(heard.ended[0]).toMatchObject({ sessionId: id, reason: "expired" });
      if (login.session.app === "web") {
        expect(heard.prompts).toHaveLength(1);
        expectOnTime(heard.ended[0]!.at, heard.prompts[0]!.respondBy);
      } else {
        expect(heard.prompts).toHaveLength(0);
        expectOnTime(heard.ended[0]!.at, login.session.lastActivityAt + 2000);
      }
    }
  });

  it("a hub restarted between arm and deadline still expires the session on time", async () => {
    const before = await newHub();
    const admin = await adminOf(before);
    await setIdle(before, admin, true, 3, 1);
    const mobile = await signIn(before, admin, "concurrent", "mobile");
    const web = await signIn(before, admin, "concurrent", "web");
    await armed(before, mobile.session.id);
    await armed(before, web.session.id);
    await before.close();

    const after = await newHub(before.prefix);
    const ends = recordEnds(after);
    const mobileHeard = await listen(after.url, mobile.token);
    const webHeard = await listen(after.url, web.token);

    await waitFor(mobileHeard.socket, "session:ended");
    expectOnTime(mobileHeard.ended[0]!.at, mobile.session.lastActivityAt + 3000);
    const prompt = await waitFor<SessionPromptPayload>(webHeard.socket, "session:prompt");
    expectOnTime(webHeard.prompts[0]!.at, web.session.lastActivityAt + 3000);
    await waitFor(webHeard.socket, "session:ended");
    expectOnTime(webHeard.ended[0]!.at, prompt.respondBy);
    expect(ends.map((end) => [end.sessionId, end.reason])).toEqual([
      [mobile.session.id, "expired"],
      [web.session.id, "expired"],
    ]);
  });

  it("an activity flood causes no queue operations", async () => {
    const hub = await newHub();
    const admin = await adminOf(hub);
    await setIdle(hub, admin, true, 60, 30);
    const logins = [
      await signIn(hub, admin, "concurrent", "web"),
      await signIn(hub, admin, "concurrent", "web"),
      await signIn(hub, admin, "concurrent", "mobile"),
    ];
    // Three tabs per session: the hub caps one socket's burst of events, not a session's.
    const sockets = await Promise.all(
      logins.flatMap((login) => [1, 2, 3].map(async () => (await listen(hub.url, login.token)).socket)),
    );
    for (const login of logins) await armed(hub, login.session.id);

    // Watch every command Redis runs on this cluster's keys, the scripts' inner commands included.
    const monitor = createClient({ url: inject("redisUrl") });
    redisClients.push(monitor);
    await monitor.connect();
    const seen: string[] = [];
    await monitor.monitor((line: string) => {
      if (line.includes(`{${hub.prefix}}`)) seen.push(line);
    });
    const bull = `${hub.hub.ctx.keys.bullPrefix}:${IDLE_QUEUE_NAME}`;
    const queueOps = (lines: string[]) =>
      lines.filter((line) => line.includes(`${bull}:idle-`) || /"zadd" "[^"]*:delayed"/i.test(line));
    const activityWrites = (lines: string[]) =>
      lines.filter((line) => /"hset" "[^"]*:session:[^"]*" "lastActivityAt"/i.test(line));

    // The control: saving the settings re-arms the three jobs, and the watch sees it.
    await setIdle(hub, admin, true, 60, 30);
    await vi.waitFor(() => expect(queueOps(seen).length).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 20 });
    const delayedKey = `${bull}:delayed`;
    const dueAt = () => Promise.all(logins.map((login) => hub.hub.ctx.redis.zScore(delayedKey, idleJobId(login.session.id))));
    const dueBefore = await dueAt();
    const floodFrom = seen.length;

    for (let round = 0; round < 35; round++) {
      for (const socket of sockets) {
        if (round % 5 === 4) (socket as any).emit("ticket:typed", { field: "subject" });
        else socket.emit("activity");
      }
    }
    // A keep is activity too, and its ack says every event before it has been received.
    for (const socket of sockets) expect(await socket.emitWithAck("session:keep")).toEqual({ ok: true });
    // Everything the sockets sent has been recorded; a flush resolves once it is all in Redis.
    await hub.hub.services.activity.flush();
    // MONITOR's copy of those writes trails the replies a little: wait for it before closing.
    await vi.waitFor(() => expect(activityWrites(seen.slice(floodFrom)).length).toBeGreaterThan(0), {
      timeout: 5000,
      interval: 20,
    });
    await monitor.close();

    const flood = seen.slice(floodFrom);
    expect(activityWrites(flood).length).toBeLessThan(30);
    expect(queueOps(flood)).toEqual([]);
    expect(await dueAt()).toEqual(dueBefore);
  });
});
