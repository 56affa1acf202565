import { describe, expect, it } from "vitest";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { useHubWithAdmin } from "../support/hub-fixture.ts";

const t = useHubWithAdmin();

const tryLogin = (username: string, app: "web" | "mobile" = "web") =>
  api(t.hub.url, "POST", "/api/auth/login", { body: { username, password: TECH_PASSWORD, app } });

async function concurrentUsed(): Promise<number> {
  return (await api(t.hub.url, "GET", "/api/license", { token: t.admin.token })).body.usage.concurrent.used;
}

describe("concurrent seats", () => {
  it("50 parallel logins of distinct accounts at limit 5 yield exactly 5 sessions", async () => {
    await setLicense(t.hub.url, t.admin.token, 5, 5);
    const names = Array.from({ length: 50 }, (_, i) => `tech${i}`);
    for (const name of names) await createAccount(t.hub.url, t.admin.token, name, "concurrent");

    const results = await Promise.all(names.map((name) => tryLogin(name)));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 403);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const r of refused) {
      expect(r.body.error.code).toBe("LICENSE_LIMIT_REACHED");
      expect(r.body.error.message).toMatch(/limit of concurrent sessions has been reached/);
    }
    expect(await concurrentUsed()).toBe(5);
  });

  it("a second app of an account that holds a seat takes no second seat; its last logout frees it", async () => {
    await setLicense(t.hub.url, t.admin.token, 5, 1);
    await createAccount(t.hub.url, t.admin.token, "alice", "concurrent");
    await createAccount(t.hub.url, t.admin.token, "bob", "concurrent");

    const web = await login(t.hub.url, "alice", TECH_PASSWORD, "web");
    const mobile = await login(t.hub.url, "alice", TECH_PASSWORD, "mobile");
    expect(mobile.session.id).not.toBe(web.session.id);
    expect(await concurrentUsed()).toBe(1);
    expect((await tryLogin("bob")).status).toBe(403);

    await api(t.hub.url, "POST", "/api/auth/logout", { token: web.token });
    expect(await concurrentUsed()).toBe(1);
    expect((await tryLogin("bob")).status).toBe(403);

    await api(t.hub.url, "POST", "/api/auth/logout", { token: mobile.token });
    expect(await concurrentUsed()).toBe(0);
    expect((await tryLogin("bob")).status).toBe(201);
  });

  it("a named account always logs in, even with every concurrent seat taken", async () => {
    await setLicense(t.hub.url, t.admin.token, 5, 0);
    await createAccount(t.hub.url, t.admin.token, "nina", "named");
    expect((await tryLogin("nina", "mobile")).status).toBe(201);
    expect((await tryLogin("nina", "web")).status).toBe(201);
  });

  it("logging out twice is harmless and frees nothing twice", async () => {
    await setLicense(t.hub.url, t.admin.token, 5, 2);
    await createAccount(t.hub.url, t.admin.token, "carol", "concurrent");
    await createAccount(t.hub.url, t.admin.token, "dave", "concurrent");
    const carol = await login(t.hub.url, "carol", TECH_PASSWORD);
    await login(t.hub.url, "dave", TECH_PASSWORD);
    expect((await api(t.hub.url, "POST", "/api/auth/logout", { token: carol.token })).status).toBe(204);
    const again = await api(t.hub.url, "POST", "/api/auth/logout", { token: carol.token });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("SESSION_ENDED");
    expect(await concurrentUsed()).toBe(1);
  });
});
