import { describe, expect, it } from "vitest";
import type { License, LicenseUsage } from "../../shared/types.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { useHubWithAdmin } from "../support/hub-fixture.ts";

const t = useHubWithAdmin();

async function usage(): Promise<{ license: License; usage: LicenseUsage }> {
  const response = await api(t.hub.url, "GET", "/api/license", { token: t.admin.token });
  expect(response.status).toBe(200);
  return response.body;
}

/**
 * Accounts: admin (named, connected through the admin's own login), named1 and named2 (named1
 * connected on two apps), conc1..conc3 (conc1 connected twice, conc2 once, conc3 not at all).
 */
async function populate(license: License): Promise<void> {
  await setLicense(t.hub.url, t.admin.token, 10, 10);
  for (const name of ["named1", "named2"]) await createAccount(t.hub.url, t.admin.token, name, "named");
  for (const name of ["conc1", "conc2", "conc3"]) await createAccount(t.hub.url, t.admin.token, name, "concurrent");
  await login(t.hub.url, "named1", TECH_PASSWORD, "web");
  await login(t.hub.url, "named1", TECH_PASSWORD, "mobile");
  await login(t.hub.url, "conc1", TECH_PASSWORD, "web");
  await login(t.hub.url, "conc1", TECH_PASSWORD, "mobile");
  await login(t.hub.url, "conc2", TECH_PASSWORD, "mobile");
  await setLicense(t.hub.url, t.admin.token, license.namedUsers, license.concurrentUsers);
}

describe("License Usage table", () => {
  it("fills every cell for a license with both models", async () => {
    await populate({ namedUsers: 5, concurrentUsers: 4 });
    expect((await usage()).usage).toEqual({
      named: { licensed: 5, used: 3, available: 2, accounts: 3, connected: 2 },
      concurrent: { licensed: 4, used: 2, available: 2, accounts: 3, connected: 2 },
    });
  });

  it("shows N/A for concurrent on a named-only license", async () => {
    await populate({ namedUsers: 7, concurrentUsers: null });
    expect((await usage()).usage).toEqual({
      named: { licensed: 7, used: 3, available: 4, accounts: 3, connected: 2 },
      concurrent: { licensed: null, used: 2, available: null, accounts: 3, connected: 2 },
    });
  });

  it("shows N/A for named on a concurrent-only license", async () => {
    await populate({ namedUsers: null, concurrentUsers: 3 });
    expect((await usage()).usage).toEqual({
      named: { licensed: null, used: 3, available: null, accounts: 3, connected: 2 },
      concurrent: { licensed: 3, used: 2, available: 1, accounts: 3, connected: 2 },
    });
  });

  it("shows N/A for both when the license has neither model", async () => {
    await populate({ namedUsers: null, concurrentUsers: null });
    const { license, usage: table } = await usage();
    expect(license).toEqual({ namedUsers: null, concurrentUsers: null });
    expect(table).toEqual({
      named: { licensed: null, used: 3, available: null, accounts: 3, connected: 2 },
      concurrent: { licensed: null, used: 2, available: null, accounts: 3, connected: 2 },
    });
  });

  it("lowering a limit below use ends nothing and shows negative Available", async () => {
    await populate({ namedUsers: 2, concurrentUsers: 1 });
    const { usage: table } = await usage();
    expect(table.named.available).toBe(-1);
    expect(table.concurrent.available).toBe(-1);
    expect(table.concurrent.used).toBe(2);
    const refused = await api(t.hub.url, "POST", "/api/auth/login", {
      body: { username: "conc3", password: TECH_PASSWORD, app: "web" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("LICENSE_LIMIT_REACHED");
  });

  it("refuses a named account beyond namedUsers, and a switch to named", async () => {
    await setLicense(t.hub.url, t.admin.token, 2, 5);
    await createAccount(t.hub.url, t.admin.token, "n1", "named");
    const over = await api(t.hub.url, "POST", "/api/accounts", {
      token: t.admin.token,
      body: { username: "n2", password: TECH_PASSWORD, licenseType: "named", role: "technician" },
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("LICENSE_LIMIT_REACHED");
    const c = await createAccount(t.hub.url, t.admin.token, "c1", "concurrent");
    const switched = await api(t.hub.url, "PATCH", `/api/accounts/${c.id}`, {
      token: t.admin.token,
      body: { licenseType: "named" },
    });
    expect(switched.status).toBe(409);
    expect(switched.body.error.code).toBe("LICENSE_LIMIT_REACHED");
    expect((await usage()).usage.named.used).toBe(2);
  });

  it("validates the license body", async () => {
    const bad = await api(t.hub.url, "PUT", "/api/license", { token: t.admin.token, body: { namedUsers: -1, concurrentUsers: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(bad.body.error.message).toMatch(/namedUsers/);
    expect((await usage()).license).toEqual({ namedUsers: 5, concurrentUsers: 10 });
  });
});
