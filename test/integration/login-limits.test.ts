import { afterEach, describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

async function hubWith(options: Parameters<typeof startTestHub>[0] = {}) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return hub;
}

/** Signs in from `ip` (the test hub trusts X-Forwarded-For from loopback, as behind a proxy). */
function attempt(hub: TestHub, username: string, password: string, ip: string) {
  return api(hub.url, "POST", "/api/auth/login", {
    body: { username, password, app: "web" },
    headers: { "x-forwarded-for": ip },
  });
}

describe("failed-login limits", () => {
  it("after N failed logins for one username from one IP the next is 429 with Retry-After, on every node", async () => {
    const limits = { failuresPerUserIp: 3, failuresPerIp: 100, windowSeconds: 600 };
    const a = await hubWith({ loginLimits: limits });
    const b = await hubWith({ keyPrefix: a.prefix, loginLimits: limits });
    const admin = await login(a.url, a.adminUsername, a.adminPassword);
    await createAccount(a.url, admin.token, "erin", "named");

    for (const hub of [a, b, a]) {
      expect((await attempt(hub, "erin", "wrong-password", "10.0.0.1")).status).toBe(401);
    }
    const limited = await attempt(b, "ERIN", TECH_PASSWORD, "10.0.0.1");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Even the right password waits: the limit is checked before the password.
    expect((await attempt(a, "erin", TECH_PASSWORD, "10.0.0.1")).status).toBe(429);

    // The same user from another address, and another user from the same address, are not held up.
    expect((await attempt(b, "erin", TECH_PASSWORD, "10.0.0.2")).status).toBe(201);
    expect((await attempt(b, "admin", a.adminPassword, "10.0.0.1")).status).toBe(201);
  });

  it("a successful login clears the username+IP count", async () => {
    const hub = await hubWith({ loginLimits: { failuresPerUserIp: 3 } });
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "finn", "named");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await attempt(hub, "finn", "wrong-password", "10.0.1.1")).status).toBe(401);
      expect((await attempt(hub, "finn", TECH_PASSWORD, "10.0.1.1")).status).toBe(201);
    }
    expect((await attempt(hub, "finn", "wrong-password", "10.0.1.1")).status).toBe(401);
  });

  it("failed logins for many usernames from one IP hit the per-IP limit; other IPs are unaffected", async () => {
    const hub = await hubWith({ loginLimits: { failuresPerUserIp: 100, failuresPerIp: 4 } });
    for (let i = 0; i < 4; i++) {
      expect((await attempt(hub, `nobody-${i}`, "wrong-password", "10.0.2.1")).status).toBe(401);
    }
    const limited = await attempt(hub, "admin", hub.adminPassword, "10.0.2.1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await attempt(hub, "admin", hub.adminPassword, "10.0.2.2")).status).toBe(201);
  });
});
