/**
 * The client SDK against a real hub: what the Web App and the mobile app rely on — sign-in,
 * activity, prompts with a skew-corrected countdown, keep, every way a session ends, and
 * reconnects that either keep the session or say why it is gone.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStorage, type HubClient, type SessionPrompt } from "../../client/sdk/index.ts";
import { EndMessage } from "../../shared/messages.ts";
import { api } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import {
  adminToken,
  closeAllClients,
  disableAccount,
  enableIdleTermination,
  newClient,
  newTechnician,
  nextEvent,
  reachState,
  TECH_PASSWORD,
  terminate,
} from "../support/sdk-clients.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

let hub: TestHub;
let admin: string;
let proxy: TcpProxy | null = null;

beforeEach(async () => {
  hub = await startTestHub();
  admin = await adminToken(hub);
});

afterEach(async () => {
  closeAllClients();
  await proxy?.close();
  proxy = null;
  await hub.close();
});

async function signedIn(client: HubClient, licenseType: "named" | "concurrent", app: "web" | "mobile" = "web") {
  const account = await newTechnician(hub, admin, licenseType);
  const result = await client.login({ username: account.username, password: TECH_PASSWORD, app, device: "vitest" });
  return { ...result, account };
}

/**
 * A concurrent client connected through a proxy whose network is then cut: resolves once the
 * client knows it is offline and is trying to reconnect.
 */
async function offlineClient() {
  proxy = await startTcpProxy(hub.url);
  const client = newClient(proxy.url);
  const signIn = await signedIn(client, "concurrent");
  await client.connect();
  const reconnecting = reachState(client, "reconnecting");
  await proxy.cut();
  await reconnecting;
  return { client, proxy, ...signIn };
}

/** A second tab of the same browser: the same token, its own socket. */
async function secondTab(url: string, token: string): Promise<HubClient> {
  const tab = newClient(url, { storage: memoryStorage(token) });
  expect(await tab.restore()).not.toBeNull();
  await tab.connect();
  return tab;
}

describe("signing in and working", () => {
  it("login returns the token, session and account, and connect() reaches connected", async () => {
    const client = newClient(hub.url);
    const states: string[] = [];
    client.on("state", (state) => states.push(state));
    const { token, session, account } = await signedIn(client, "concurrent");

    expect(token.length).toBeGreaterThan(20);
    expect(session).toMatchObject({ accountId: account.id, app: "web", device: "vitest", state: "active" });
    expect(client.session?.id).toBe(session.id);
    await client.connect();
    expect(states).toEqual(["connecting", "connected"]);
    expect((await client.me()).session.id).toBe(session.id);
  });

  it("a refused sign-in rejects with the hub's code and leaves no session", async () => {
    const client = newClient(hub.url);
    const account = await newTechnician(hub, admin, "named");
    await expect(client.login({ username: account.username, password: "wrong-password", app: "web" })).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
      status: 401,
    });
    expect(client.token).toBeNull();
  });

  it("activity() moves the session's last activity forward on the hub", async () => {
    const client = newClient(hub.url);
    const { session } = await signedIn(client, "concurrent");
    await client.connect();
    const before = session.lastActivityAt;
    client.activity();
    await vi.waitFor(
      async () => {
        expect((await client.me()).session.lastActivityAt).toBeGreaterThan(before);
      },
      { timeout: 5000, interval: 100 },
    );
  });
});

describe("the keep-session prompt (Web App)", () => {
  it("a web session idle past the timeout is prompted, with the countdown corrected for clock skew", async () => {
    await enableIdleTermination(hub, admin, 1, 30);
    // This device's clock runs a minute behind the hub's.
    const client = newClient(hub.url, { clock: { now: () => Date.now() - 60_000 } });
    const { session } = await signedIn(client, "concurrent");
    const promptArrives = nextEvent(client, "prompt");
    await client.connect();
    const prompt: SessionPrompt = await promptArrives;

    expect(prompt.sessionId).toBe(session.id);
    expect(prompt.skewMs).toBeGreaterThan(59_000);
    expect(prompt.skewMs).toBeLessThan(61_000);
    expect(prompt.deadline).toBe(prompt.respondBy - prompt.skewMs);
    expect(prompt.remainingMs).toBeGreaterThan(25_000);
    expect(prompt.remainingMs).toBeLessThanOrEqual(30_000);
    expect(client.promptRemainingMs()).toBeLessThanOrEqual(prompt.remainingMs);
    expect(client.prompt).toEqual(prompt);
  });

  it("keep() answers it: every tab of the session gets resumed and the session stays open", async () => {
    await enableIdleTermination(hub, admin, 1, 30);
    const tabA = newClient(hub.url);
    const { token, session } = await signedIn(tabA, "concurrent");
    await tabA.connect();
    const tabB = await secondTab(hub.url, token);
    const prompts = Promise.all([nextEvent(tabA, "prompt"), nextEvent(tabB, "prompt")]);
    await prompts;

    const resumedInB = nextEvent(tabB, "resumed");
    const resumedInA = nextEvent(tabA, "resumed");
    expect(await tabA.keep()).toEqual({ ok: true });
    expect(await resumedInA).toEqual({ sessionId: session.id });
    expect(await resumedInB).toEqual({ sessionId: session.id });
    expect(tabA.prompt).toBeNull();
    expect(tabB.prompt).toBeNull();
    expect((await tabA.me()).session.id).toBe(session.id);
  });

  it("ignoring it ends the session as expired", async () => {
    await enableIdleTermination(hub, admin, 1, 1);
    const client = newClient(hub.url);
    const { session } = await signedIn(client, "concurrent");
    const prompted = nextEvent(client, "prompt");
    const ended = nextEvent(client, "ended");
    await client.connect();
    await prompted;
    expect(await ended).toMatchObject({ sessionId: session.id, reason: "expired", message: EndMessage.expired });
    expect(client.state).toBe("ended");
    expect(client.token).toBeNull();
  });

  it("a mobile session is not prompted: it expires at the timeout", async () => {
    await enableIdleTermination(hub, admin, 1, 30);
    const client = newClient(hub.url);
    const prompts: SessionPrompt[] = [];
    client.on("prompt", (prompt) => prompts.push(prompt));
    await signedIn(client, "concurrent", "mobile");
    const ended = nextEvent(client, "ended");
    await client.connect();
    expect((await ended).reason).toBe("expired");
    expect(prompts).toEqual([]);
  });
});

describe("every way a session ends", () => {
  it("logout() ends it with reason logout, in every tab", async () => {
    const tabA = newClient(hub.url);
    const { token, session } = await signedIn(tabA, "named");
    await tabA.connect();
    const tabB = await secondTab(hub.url, token);
    const endedInA = nextEvent(tabA, "ended");
    const endedInB = nextEvent(tabB, "ended");

    await tabA.logout();
    expect(await endedInA).toMatchObject({ sessionId: session.id, reason: "logout" });
    expect(await endedInB).toMatchObject({ sessionId: session.id, reason: "logout" });
    expect((await api(hub.url, "GET", "/api/me", { token })).body.error.code).toBe("SESSION_ENDED");
  });

  it("an administrator's termination arrives with the admin's message and name", async () => {
    const client = newClient(hub.url);
    const { session } = await signedIn(client, "named");
    await client.connect();
    const ended = nextEvent(client, "ended");
    await terminate(hub, admin, [session.id], "Server maintenance at 18:00.");

    const end = await ended;
    expect(end.reason).toBe("terminated");
    expect(end.message).toContain(EndMessage.terminated);
    expect(end.message).toContain("Server maintenance at 18:00.");
    expect(end.by?.username).toBe(hub.adminUsername);
  });

  it("disabling the account ends its sessions with reason account-disabled", async () => {
    const client = newClient(hub.url);
    const { account } = await signedIn(client, "concurrent");
    await client.connect();
    const ended = nextEvent(client, "ended");
    await disableAccount(hub, admin, account.id);
    expect(await ended).toMatchObject({ reason: "account-disabled" });
  });
});

describe("reconnecting", () => {
  it("after a dropped connection the client reconnects to the same session", async () => {
    const { client, proxy, session } = await offlineClient();
    const back = reachState(client, "connected");
    await proxy.restore();
    await back;

    expect((await client.me()).session.id).toBe(session.id);
    // The new socket is in the session's room again: an end notice reaches it.
    const ended = nextEvent(client, "ended");
    await terminate(hub, admin, [session.id]);
    expect((await ended).reason).toBe("terminated");
  });

  it("a reconnect after the session was terminated reports the termination, not a network error", async () => {
    const { client, proxy, session } = await offlineClient();

    // Terminated while this client was offline: it never hears the broadcast.
    await terminate(hub, admin, [session.id], "Your shift is over.");
    const ended = nextEvent(client, "ended");
    await proxy.restore();
    const end = await ended;
    expect(end).toMatchObject({ sessionId: session.id, reason: "terminated" });
    expect(end.message).toContain("Your shift is over.");
    expect(client.state).toBe("ended");
  });

  it("a reconnect after the account was disabled reports account-disabled", async () => {
    const { client, proxy, account } = await offlineClient();

    await disableAccount(hub, admin, account.id);
    const ended = nextEvent(client, "ended");
    await proxy.restore();
    expect(await ended).toMatchObject({ reason: "account-disabled", message: EndMessage["account-disabled"] });
  });

  it("connect() with a stored token of an expired session reports expired", async () => {
    await enableIdleTermination(hub, admin, 1, 30);
    const phone = newClient(hub.url);
    const { token } = await signedIn(phone, "concurrent", "mobile");
    const expired = nextEvent(phone, "ended");
    await phone.connect();
    await expired;

    // The app is relaunched with the token it stored before.
    const relaunched = newClient(hub.url, { storage: memoryStorage(token) });
    const ended = nextEvent(relaunched, "ended");
    await expect(relaunched.connect()).rejects.toMatchObject({ code: "SESSION_ENDED" });
    expect((await ended).reason).toBe("expired");
  });

  it("restore() of a session signed out elsewhere reports logout and returns null", async () => {
    const first = newClient(hub.url);
    const { token } = await signedIn(first, "named");
    await first.logout();

    const storage = memoryStorage(token);
    const later = newClient(hub.url, { storage });
    const ended = nextEvent(later, "ended");
    expect(await later.restore()).toBeNull();
    expect((await ended).reason).toBe("logout");
    expect(await storage.get()).toBeNull();
  });

  it("a token the hub does not know ends as unauthenticated", async () => {
    const client = newClient(hub.url, { storage: memoryStorage("not-a-real-token") });
    const ended = nextEvent(client, "ended");
    await expect(client.me()).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    expect((await ended).reason).toBe("unauthenticated");
  });
});
