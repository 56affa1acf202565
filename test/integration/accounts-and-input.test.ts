import { describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { useHubWithAdmin } from "../support/hub-fixture.ts";
import { connectClient, waitFor } from "../support/sockets.ts";

const t = useHubWithAdmin();

describe("accounts", () => {
  it("creates, lists, updates and refuses duplicate usernames case-insensitively", async () => {
    const created = await createAccount(t.hub.url, t.admin.token, "Alice", "concurrent");
    expect(created).toMatchObject({ username: "Alice", displayName: "Alice", licenseType: "concurrent", role: "technician", disabled: false });
    expect(created).not.toHaveProperty("passwordHash");

    const duplicate = await api(t.hub.url, "POST", "/api/accounts", {
      token: t.admin.token,
      body: { username: "aLiCe", password: TECH_PASSWORD, licenseType: "named", role: "technician" },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("CONFLICT");

    const patched = await api(t.hub.url, "PATCH", `/api/accounts/${created.id}`, {
      token: t.admin.token,
      body: { displayName: "Alice Smith", licenseType: "named" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: "Alice Smith", licenseType: "named" });

    const list = await api(t.hub.url, "GET", "/api/accounts", { token: t.admin.token });
    expect(list.body.accounts.map((a: { username: string }) => a.username)).toEqual(["admin", "Alice"]);
    // Logins are case-insensitive on the username too.
    expect((await login(t.hub.url, "ALICE", TECH_PASSWORD)).account.id).toBe(created.id);
  });

  it("a password change takes effect at the next login", async () => {
    const bob = await createAccount(t.hub.url, t.admin.token, "bob", "named");
    await api(t.hub.url, "PATCH", `/api/accounts/${bob.id}`, { token: t.admin.token, body: { password: "a-new-password" } });
    const old = await api(t.hub.url, "POST", "/api/auth/login", { body: { username: "bob", password: TECH_PASSWORD, app: "web" } });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("INVALID_CREDENTIALS");
    expect((await login(t.hub.url, "bob", "a-new-password")).account.id).toBe(bob.id);
  });

  it("an admin cannot disable or delete themself", async () => {
    const self = await api(t.hub.url, "PATCH", `/api/accounts/${t.admin.account.id}`, { token: t.admin.token, body: { disabled: true } });
    expect(self.status).toBe(400);
    const del = await api(t.hub.url, "DELETE", `/api/accounts/${t.admin.account.id}`, { token: t.admin.token });
    expect(del.status).toBe(400);
  });

  it("answers a wrong password and an unknown user alike", async () => {
    await createAccount(t.hub.url, t.admin.token, "carol", "named");
    for (const username of ["carol", "nobody"]) {
      const response = await api(t.hub.url, "POST", "/api/auth/login", { body: { username, password: "wrong-password", app: "web" } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: "INVALID_CREDENTIALS", message: "Wrong username or password." } });
    }
  });

  it("GET /api/me returns the caller's session and account", async () => {
    const me = await api(t.hub.url, "GET", "/api/me", { token: t.admin.token });
    expect(me.status).toBe(200);
    expect(me.body.session).toMatchObject({ id: t.admin.session.id, username: "admin", app: "web", state: "active" });
    expect(me.body.account).toMatchObject({ id: t.admin.account.id, role: "admin" });
  });
});

describe("bad input", () => {
  const cases: [string, string, unknown, RegExp][] = [
    ["POST", "/api/auth/login", { username: "admin", password: "x", app: "desktop" }, /app/],
    ["POST", "/api/auth/login", { username: "admin", app: "web" }, /password/],
    ["POST", "/api/auth/login", [1, 2, 3], /.+/],
    ["POST", "/api/accounts", { username: "x", password: "short", licenseType: "named", role: "technician" }, /password/],
    ["POST", "/api/accounts", { username: "bad name!", password: TECH_PASSWORD, licenseType: "named", role: "technician" }, /username/],
    ["POST", "/api/accounts", { username: "ok", password: TECH_PASSWORD, licenseType: "floating", role: "technician" }, /licenseType/],
    ["POST", "/api/accounts", { username: "ok", password: TECH_PASSWORD, licenseType: "named", role: "technician", extra: 1 }, /extra/],
    ["PATCH", "/api/accounts/not-a-uuid", { displayName: "x" }, /id/],
    ["POST", "/api/sessions/terminate", { sessionIds: [] }, /sessionIds/],
    ["POST", "/api/sessions/terminate", { sessionIds: "abc" }, /sessionIds/],
    ["PUT", "/api/license", { namedUsers: 1.5, concurrentUsers: 1 }, /namedUsers/],
    ["PUT", "/api/license", { namedUsers: 1 }, /concurrentUsers/],
  ];
  it.each(cases)("%s %s with %j is refused naming the field", async (method, path, body, names) => {
    const response = await api(t.hub.url, method, path, { token: t.admin.token, body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.message).toMatch(names);
  });

  it("answers malformed JSON with 400, unknown API routes with a JSON 404, and changes nothing", async () => {
    const before = await api(t.hub.url, "GET", "/api/accounts", { token: t.admin.token });
    const malformed = await api(t.hub.url, "POST", "/api/accounts", { token: t.admin.token, rawBody: '{"username": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("VALIDATION_FAILED");
    const missing = await api(t.hub.url, "GET", "/api/nothing-here", { token: t.admin.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
    const history = await api(t.hub.url, "GET", "/api/license/history?type=named&period=decade", { token: t.admin.token });
    expect(history.status).toBe(400);
    expect(history.body.error.message).toMatch(/period/);
    const big = await api(t.hub.url, "POST", "/api/accounts", { token: t.admin.token, rawBody: JSON.stringify({ username: "x".repeat(40_000) }) });
    expect(big.status).toBe(413);
    expect((await api(t.hub.url, "GET", "/api/accounts", { token: t.admin.token })).body).toEqual(before.body);
  });

  it("survives malformed socket traffic: odd events, odd payloads, a keep without ack", async () => {
    await createAccount(t.hub.url, t.admin.token, "dora", "named");
    const dora = await login(t.hub.url, "dora", TECH_PASSWORD, "web");
    const socket = await connectClient(t.hub.url, dora.token);
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    raw.emit("activity", { huge: "x".repeat(1000) });
    raw.emit("no-such-event", 1, null, [{}]);
    raw.emit("session:keep", "not-a-function");
    const ack = await socket.emitWithAck("session:keep");
    expect(ack).toHaveProperty("ok");
    const dropped = waitFor(socket, "disconnect");
    raw.emit("activity", "y".repeat(70 * 1024));
    await dropped;
    expect((await api(t.hub.url, "GET", "/healthz")).status).toBe(200);
    expect((await api(t.hub.url, "GET", "/api/me", { token: dora.token })).status).toBe(200);
  });
});
