import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../server/logger.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { manualClock } from "../support/manual-clock.ts";
import { closeAllSockets, connectAdmin, connectClient, connectRefused, waitFor } from "../support/sockets.ts";

let hub: TestHub | null = null;
afterEach(async () => {
  closeAllSockets();
  await hub?.close();
});

describe("logs", () => {
  it("a full run (sign-in, sockets, failures, password change, termination, expiry, logout) logs no token or password", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const clock = manualClock();
    hub = await startTestHub({ logger: createLogger("debug", sink), clock, lifetimeSweepMs: 50 });
    const secrets: string[] = [hub.adminPassword, TECH_PASSWORD, "wrong-password-7", "walts-new-password"];

    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "walt", "concurrent");
    await createAccount(hub.url, admin.token, "xena", "named");
    const walt = await login(hub.url, "walt", TECH_PASSWORD, "web");
    const waltPhone = await login(hub.url, "walt", TECH_PASSWORD, "mobile");
    const xena = await login(hub.url, "xena", TECH_PASSWORD, "web");
    const tokens = [admin.token, walt.token, waltPhone.token, xena.token];

    await connectAdmin(hub.url, admin.token);
    const waltSocket = await connectClient(hub.url, walt.token);
    waltSocket.emit("activity");
    await waltSocket.emitWithAck("session:keep");
    await api(hub.url, "POST", "/api/auth/login", { body: { username: "walt", password: "wrong-password-7", app: "web" } });
    await api(hub.url, "GET", "/api/me", { token: "not-a-real-token" });
    await api(hub.url, "POST", "/api/me/password", {
      token: walt.token,
      body: { currentPassword: TECH_PASSWORD, newPassword: "walts-new-password" },
    });
    const ended = waitFor(waltSocket, "session:ended");
    await api(hub.url, "POST", "/api/sessions/terminate", { token: admin.token, body: { sessionIds: [walt.session.id] } });
    await ended;
    await connectRefused(hub.url, walt.token);
    const xenaSocket = await connectClient(hub.url, xena.token);
    const expired = waitFor(xenaSocket, "session:ended");
    clock.advance(12 * 3_600_000);
    await expired;
    const late = await login(hub.url, "xena", TECH_PASSWORD, "mobile");
    tokens.push(late.token);
    await api(hub.url, "POST", "/api/auth/logout", { token: late.token });
    await hub.close();
    hub = null;

    const log = lines.join("");
    expect(log).toContain('"msg":"login"');
    expect(log).toContain('"msg":"session ended"');
    for (const token of tokens) expect(log).not.toContain(token);
    for (const secret of secrets) expect(log).not.toContain(secret);
    // No token in any form a log line could carry it: query strings, headers.
    expect(log).not.toMatch(/token=|authorization|Bearer /i);
  });
});
