import { describe, expect, it } from "vitest";
import type { SessionEndedPayload } from "../../shared/events.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { useHubWithAdmin } from "../support/hub-fixture.ts";
import { connectClient, connectRefused, waitFor } from "../support/sockets.ts";

const t = useHubWithAdmin();

describe("ending sessions", () => {
  it("terminating two sessions in one call tells both users who did it and why, then cuts them off", async () => {
    await createAccount(t.hub.url, t.admin.token, "alice", "concurrent");
    await createAccount(t.hub.url, t.admin.token, "bob", "named");
    const alice = await login(t.hub.url, "alice", TECH_PASSWORD, "web");
    const bob = await login(t.hub.url, "bob", TECH_PASSWORD, "mobile");
    const aliceSocket = await connectClient(t.hub.url, alice.token);
    const bobSocket = await connectClient(t.hub.url, bob.token);

    // Record the order of the notice and the disconnect on each socket.
    const order = (socket: typeof aliceSocket) =>
      new Promise<{ notice: SessionEndedPayload; events: string[] }>((resolve) => {
        const events: string[] = [];
        let notice: SessionEndedPayload;
        socket.on("session:ended", (payload) => {
          events.push("ended");
          notice = payload;
        });
        socket.on("disconnect", () => {
          events.push("disconnect");
          resolve({ notice, events });
        });
      });
    const aliceSaw = order(aliceSocket);
    const bobSaw = order(bobSocket);

    const response = await api(t.hub.url, "POST", "/api/sessions/terminate", {
      token: t.admin.token,
      body: { sessionIds: [alice.session.id, bob.session.id, "no-such-session"], message: "Permissions changed." },
    });
    expect(response.status).toBe(200);
    expect(response.body.terminated.sort()).toEqual([alice.session.id, bob.session.id].sort());
    expect(response.body.notFound).toEqual(["no-such-session"]);

    for (const [saw, session] of [
      [await aliceSaw, alice.session],
      [await bobSaw, bob.session],
    ] as const) {
      expect(saw.events).toEqual(["ended", "disconnect"]);
      expect(saw.notice).toEqual({
        sessionId: session.id,
        reason: "terminated",
        message: "Your session has been terminated by the administrator. Permissions changed.",
        by: { accountId: t.admin.account.id, username: "admin" },
      });
    }

    for (const token of [alice.token, bob.token]) {
      const me = await api(t.hub.url, "GET", "/api/me", { token });
      expect(me.status).toBe(401);
      expect(me.body.error).toMatchObject({
        code: "SESSION_TERMINATED",
        reason: "terminated",
        by: { accountId: t.admin.account.id, username: "admin" },
      });
      const refused = await connectRefused(t.hub.url, token);
      expect(refused.message).toBe("SESSION_TERMINATED");
      expect(refused.data).toMatchObject({ reason: "terminated" });
      expect(refused.data?.message).toMatch(/terminated by the administrator/);
    }
    const list = await api(t.hub.url, "GET", "/api/sessions", { token: t.admin.token });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([t.admin.session.id]);
  });

  it("a logged-out token gets SESSION_ENDED and an unknown one UNAUTHENTICATED", async () => {
    await createAccount(t.hub.url, t.admin.token, "carol", "concurrent");
    const carol = await login(t.hub.url, "carol", TECH_PASSWORD);
    const socket = await connectClient(t.hub.url, carol.token);
    const ended = waitFor<SessionEndedPayload>(socket, "session:ended");
    expect((await api(t.hub.url, "POST", "/api/auth/logout", { token: carol.token })).status).toBe(204);
    expect((await ended).reason).toBe("logout");

    const me = await api(t.hub.url, "GET", "/api/me", { token: carol.token });
    expect(me.body.error.code).toBe("SESSION_ENDED");
    expect((await connectRefused(t.hub.url, carol.token)).message).toBe("SESSION_ENDED");

    const unknown = await api(t.hub.url, "GET", "/api/me", { token: "x".repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("UNAUTHENTICATED");
    expect((await connectRefused(t.hub.url, "nonsense")).message).toBe("UNAUTHENTICATED");
  });

  it("disabling an account ends its sessions with account-disabled and refuses its logins", async () => {
    const dave = await createAccount(t.hub.url, t.admin.token, "dave", "concurrent");
    const web = await login(t.hub.url, "dave", TECH_PASSWORD, "web");
    const mobile = await login(t.hub.url, "dave", TECH_PASSWORD, "mobile");
    const webSocket = await connectClient(t.hub.url, web.token);
    const mobileSocket = await connectClient(t.hub.url, mobile.token);
    const endings = Promise.all([
      waitFor<SessionEndedPayload>(webSocket, "session:ended"),
      waitFor<SessionEndedPayload>(mobileSocket, "session:ended"),
    ]);
    const patched = await api(t.hub.url, "PATCH", `/api/accounts/${dave.id}`, { token: t.admin.token, body: { disabled: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.disabled).toBe(true);
    for (const notice of await endings) expect(notice.reason).toBe("account-disabled");
    const me = await api(t.hub.url, "GET", "/api/me", { token: web.token });
    expect(me.body.error).toMatchObject({ code: "SESSION_TERMINATED", reason: "account-disabled", sessionId: web.session.id });

    const again = await api(t.hub.url, "POST", "/api/auth/login", { body: { username: "dave", password: TECH_PASSWORD, app: "web" } });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe("ACCOUNT_DISABLED");
    const usage = (await api(t.hub.url, "GET", "/api/license", { token: t.admin.token })).body.usage;
    expect(usage.concurrent.used).toBe(0);
  });

  it("an expiry made conditional on no new activity loses to an answer that lands first", async () => {
    await createAccount(t.hub.url, t.admin.token, "fay", "concurrent");
    const fay = await login(t.hub.url, "fay", TECH_PASSWORD, "mobile");
    const { ender, activity } = t.hub.hub.services;
    const decidedAt = fay.session.lastActivityAt;
    activity.record(fay.session.id, decidedAt + 1);
    await activity.flush();
    expect(await ender.end(fay.session.id, "expired", { unlessActiveAfter: decidedAt })).toBe(false);
    expect((await api(t.hub.url, "GET", "/api/me", { token: fay.token })).status).toBe(200);
    expect(await ender.end(fay.session.id, "expired", { unlessActiveAfter: decidedAt + 1 })).toBe(true);
    expect((await api(t.hub.url, "GET", "/api/me", { token: fay.token })).body.error.code).toBe("SESSION_EXPIRED");
  });

  it("deleting an account ends its sessions and frees its username", async () => {
    const erin = await createAccount(t.hub.url, t.admin.token, "erin", "named");
    const session = await login(t.hub.url, "erin", TECH_PASSWORD, "web");
    const socket = await connectClient(t.hub.url, session.token);
    const ended = waitFor<SessionEndedPayload>(socket, "session:ended");
    expect((await api(t.hub.url, "DELETE", `/api/accounts/${erin.id}`, { token: t.admin.token })).status).toBe(204);
    expect((await ended).reason).toBe("account-disabled");
    expect((await api(t.hub.url, "DELETE", `/api/accounts/${erin.id}`, { token: t.admin.token })).status).toBe(404);
    await createAccount(t.hub.url, t.admin.token, "ERIN", "named");
  });
});
