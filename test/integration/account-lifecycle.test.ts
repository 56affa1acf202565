import { afterEach, describe, expect, it } from "vitest";
import type { SessionEndedPayload } from "../../shared/events.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { manualClock } from "../support/manual-clock.ts";
import { closeAllSockets, connectClient, connectRefused, waitFor } from "../support/sockets.ts";

const hubs: TestHub[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

async function hubWith(options: Parameters<typeof startTestHub>[0] = {}) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return { hub, admin: await login(hub.url, hub.adminUsername, hub.adminPassword) };
}

describe("password changes", () => {
  it("an administrator setting a technician's password ends every session of that technician", async () => {
    const { hub, admin } = await hubWith();
    const jack = await createAccount(hub.url, admin.token, "jack", "concurrent");
    const web = await login(hub.url, "jack", TECH_PASSWORD, "web");
    const mobile = await login(hub.url, "jack", TECH_PASSWORD, "mobile");
    const webSocket = await connectClient(hub.url, web.token);
    const ended = waitFor<SessionEndedPayload>(webSocket, "session:ended");

    const patched = await api(hub.url, "PATCH", `/api/accounts/${jack.id}`, { token: admin.token, body: { password: "brand-new-pass" } });
    expect(patched.status).toBe(200);
    expect(await ended).toMatchObject({
      reason: "terminated",
      message: "Your session has been terminated by the administrator. Your password was changed.",
      by: { username: "admin" },
    });
    for (const token of [web.token, mobile.token]) {
      expect((await api(hub.url, "GET", "/api/me", { token })).body.error.code).toBe("SESSION_TERMINATED");
    }
    expect((await api(hub.url, "GET", "/api/me", { token: admin.token })).status).toBe(200);
    expect((await login(hub.url, "jack", "brand-new-pass")).account.id).toBe(jack.id);
  });

  it("a user changing their own password ends their other sessions and keeps the current one", async () => {
    const { hub, admin } = await hubWith();
    await createAccount(hub.url, admin.token, "kate", "named");
    const here = await login(hub.url, "kate", TECH_PASSWORD, "web");
    const phone = await login(hub.url, "kate", TECH_PASSWORD, "mobile");
    const phoneSocket = await connectClient(hub.url, phone.token);
    const ended = waitFor<SessionEndedPayload>(phoneSocket, "session:ended");

    const wrong = await api(hub.url, "POST", "/api/me/password", {
      token: here.token,
      body: { currentPassword: "not-my-password", newPassword: "kates-new-password" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
    const invalid = await api(hub.url, "POST", "/api/me/password", {
      token: here.token,
      body: { currentPassword: TECH_PASSWORD, newPassword: "short" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/newPassword/);
    expect((await api(hub.url, "GET", "/api/me", { token: phone.token })).status).toBe(200);

    const changed = await api(hub.url, "POST", "/api/me/password", {
      token: here.token,
      body: { currentPassword: TECH_PASSWORD, newPassword: "kates-new-password" },
    });
    expect(changed.status).toBe(204);
    expect(await ended).toMatchObject({ reason: "logout", message: expect.stringMatching(/password was changed/) });
    expect((await api(hub.url, "GET", "/api/me", { token: phone.token })).body.error.code).toBe("SESSION_ENDED");
    expect((await api(hub.url, "GET", "/api/me", { token: here.token })).status).toBe(200);
    expect((await api(hub.url, "POST", "/api/auth/login", { body: { username: "kate", password: TECH_PASSWORD, app: "web" } })).status).toBe(401);
    await login(hub.url, "kate", "kates-new-password");
  });

  it("a disabled account cannot sign in", async () => {
    const { hub, admin } = await hubWith();
    const lena = await createAccount(hub.url, admin.token, "lena", "named");
    await api(hub.url, "PATCH", `/api/accounts/${lena.id}`, { token: admin.token, body: { disabled: true } });
    const refused = await api(hub.url, "POST", "/api/auth/login", { body: { username: "lena", password: TECH_PASSWORD, app: "web" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("ACCOUNT_DISABLED");
  });
});

describe("absolute session lifetime", () => {
  const TWELVE_HOURS = 12 * 3_600_000;
  const message = "Your session has reached its maximum duration of 12 hours. Please sign in again.";

  it("a token past the lifetime is refused at its next check, named or concurrent, however active", async () => {
    const clock = manualClock();
    // A sweep that never comes during the test: the token checks alone must enforce it.
    const { hub, admin } = await hubWith({ clock, lifetimeSweepMs: 3_600_000 });
    await createAccount(hub.url, admin.token, "mia", "concurrent");
    const mia = await login(hub.url, "mia", TECH_PASSWORD, "mobile");
    clock.advance(TWELVE_HOURS - 60_000);
    expect((await api(hub.url, "GET", "/api/me", { token: mia.token })).status).toBe(200);

    clock.advance(60_000);
    const me = await api(hub.url, "GET", "/api/me", { token: mia.token });
    expect(me.status).toBe(401);
    expect(me.body.error).toEqual({ code: "SESSION_EXPIRED", message, reason: "expired", sessionId: mia.session.id });
    const refused = await connectRefused(hub.url, admin.token);
    expect(refused.message).toBe("SESSION_EXPIRED");
    expect(refused.data?.message).toBe(message);
    const usage = await api(hub.url, "GET", "/api/license", { token: (await login(hub.url, "admin", hub.adminPassword)).token });
    expect(usage.body.usage.concurrent.used).toBe(0);
  });

  it("the sweep ends a connected session that reaches the lifetime, and tells its sockets why", async () => {
    const clock = manualClock();
    const { hub, admin } = await hubWith({ clock, lifetimeSweepMs: 50, sessionMaxHours: 12 });
    await createAccount(hub.url, admin.token, "noah", "named");
    const noah = await login(hub.url, "noah", TECH_PASSWORD, "web");
    const socket = await connectClient(hub.url, noah.token);
    const ended = waitFor<SessionEndedPayload>(socket, "session:ended");
    clock.advance(TWELVE_HOURS);
    expect(await ended).toEqual({ sessionId: noah.session.id, reason: "expired", message });
  });

  it("HUB_SESSION_MAX_HOURS-style fractional lifetimes are accepted and named in the message", async () => {
    const clock = manualClock();
    const { hub } = await hubWith({ clock, sessionMaxHours: 0.5, lifetimeSweepMs: 3_600_000 });
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    clock.advance(30 * 60_000);
    const me = await api(hub.url, "GET", "/api/me", { token: admin.token });
    expect(me.body.error.message).toBe("Your session has reached its maximum duration of 0.5 hours. Please sign in again.");
  });
});
