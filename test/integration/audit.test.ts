import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry, AuditPage, SessionHistoryPage } from "../../shared/audit.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { manualClock, type ManualClock } from "../support/manual-clock.ts";
import { closeAllSockets, connectClient, waitFor } from "../support/sockets.ts";

let hub: TestHub;
let clock: ManualClock;
let admin: Awaited<ReturnType<typeof login>>;

beforeEach(async () => {
  clock = manualClock();
  hub = await startTestHub({ clock, lifetimeSweepMs: 50 });
  admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
});
afterEach(async () => {
  closeAllSockets();
  await hub.close();
});

async function audit(query = ""): Promise<AuditPage> {
  const response = await api<AuditPage>(hub.url, "GET", `/api/audit${query}`, { token: admin.token });
  expect(response.status).toBe(200);
  return response.body;
}

describe("audit log", () => {
  it("records sign-ins, refusals, endings with who and why, and every admin change", async () => {
    await setLicense(hub.url, admin.token, 5, 1);
    const olga = await createAccount(hub.url, admin.token, "olga", "concurrent");
    await createAccount(hub.url, admin.token, "pete", "concurrent");
    await api(hub.url, "POST", "/api/auth/login", { body: { username: "olga", password: "wrong-password", app: "web" } });
    const olgaIn = await login(hub.url, "olga", TECH_PASSWORD, "mobile");
    const refused = await api(hub.url, "POST", "/api/auth/login", { body: { username: "pete", password: TECH_PASSWORD, app: "web" } });
    expect(refused.status).toBe(403);
    await api(hub.url, "POST", "/api/sessions/terminate", {
      token: admin.token,
      body: { sessionIds: [olgaIn.session.id], message: "Shift is over." },
    });
    const pete = await login(hub.url, "pete", TECH_PASSWORD, "web");
    await api(hub.url, "POST", "/api/auth/logout", { token: pete.token });
    await api(hub.url, "PUT", "/api/settings/idle-termination", {
      token: admin.token,
      body: { enabled: true, timeoutMinutes: 30, promptSeconds: 60 },
    });
    await api(hub.url, "PATCH", `/api/accounts/${olga.id}`, { token: admin.token, body: { displayName: "Olga K.", password: "olgas-new-pass" } });
    await api(hub.url, "DELETE", `/api/accounts/${olga.id}`, { token: admin.token });
    const late = await login(hub.url, "pete", TECH_PASSWORD, "web");
    const socket = await connectClient(hub.url, late.token);
    const expired = waitFor(socket, "session:ended");
    clock.advance(12 * 3_600_000);
    await expired;
    // The sweep ended the admin's session too (it is older); sign in again to read the log.
    admin = await login(hub.url, hub.adminUsername, hub.adminPassword);

    const { entries } = await audit("?limit=200");
    const types = entries.map((e) => e.type).reverse();
    expect(types).toEqual([
      "login.succeeded", // admin, in beforeEach
      "license.changed",
      "account.created",
      "account.created",
      "login.failed",
      "login.succeeded",
      "login.refused",
      "session.terminated",
      "login.succeeded",
      "session.logout",
      "settings.changed",
      "account.updated",
      "account.password-changed",
      "account.deleted",
      "login.succeeded",
      "session.expired",
      "session.expired",
      "login.succeeded",
    ]);
    expect(entries.filter((e) => e.type === "session.expired").map((e) => e.target?.username)).toEqual(["pete", "admin"]);

    // "Who terminated this technician, and why?"
    const [terminated] = (await audit("?type=session.terminated&user=olga")).entries;
    expect(terminated).toMatchObject({
      type: "session.terminated",
      actor: { accountId: admin.account.id, username: "admin" },
      target: { username: "olga", sessionId: olgaIn.session.id },
      app: "mobile",
      message: "Your session has been terminated by the administrator. Shift is over.",
    });
    const failed = entries.find((e) => e.type === "login.failed")!;
    expect(failed).toMatchObject({ target: { username: "olga" }, detail: { code: "INVALID_CREDENTIALS" } });
    expect(entries.find((e) => e.type === "login.refused")).toMatchObject({ target: { username: "pete" }, detail: { code: "LICENSE_LIMIT_REACHED" } });
    expect(entries.find((e) => e.type === "license.changed")).toMatchObject({ detail: { after: { namedUsers: 5, concurrentUsers: 1 } } });
    expect(entries.find((e) => e.type === "account.updated")).toMatchObject({ detail: { changes: { displayName: "Olga K." } } });
    expect(JSON.stringify(entries)).not.toContain("olgas-new-pass");
  });

  it("filters by category, user and time, and pages newest first with a cursor", async () => {
    for (const name of ["quinn", "rosa", "sam"]) await createAccount(hub.url, admin.token, name, "named");
    const t0 = clock.now();
    clock.advance(60_000);
    for (const name of ["quinn", "rosa", "sam"]) await login(hub.url, name, TECH_PASSWORD);
    const t1 = clock.now();

    expect((await audit("?type=account")).entries.map((e) => e.target?.username)).toEqual(["sam", "rosa", "quinn"]);
    expect((await audit("?user=ROSA")).entries.map((e) => e.type)).toEqual(["login.succeeded", "account.created"]);
    const inRange = (await audit(`?from=${t0 + 1}&to=${t1}`)).entries;
    expect(inRange.map((e) => e.target?.username)).toEqual(["sam", "rosa", "quinn"]);

    const seen: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.id)).toEqual((await audit()).entries.map((e) => e.id));
    expect(seen).toHaveLength(7);

    for (const bad of ["?limit=201", "?limit=0", "?from=yesterday", "?type=nonsense", "?cursor=abc", "?extra=1"]) {
      const response = await api(hub.url, "GET", `/api/audit${bad}`, { token: admin.token });
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
    }
    const technician = await login(hub.url, "sam", TECH_PASSWORD);
    expect((await api(hub.url, "GET", "/api/audit", { token: technician.token })).status).toBe(403);
  });
});

describe("session history", () => {
  it("lists ended sessions with reason, app and duration, searchable, and exports CSV", async () => {
    clock.freeze();
    await createAccount(hub.url, admin.token, "tina", "concurrent");
    await createAccount(hub.url, admin.token, "uma", "named");
    const web = await login(hub.url, "tina", TECH_PASSWORD, "web", "Firefox on Windows");
    const mobile = await login(hub.url, "tina", TECH_PASSWORD, "mobile");
    const other = await login(hub.url, "uma", TECH_PASSWORD, "web", "=HYPERLINK(\"http://evil\")");
    clock.advance(90_000);
    await api(hub.url, "POST", "/api/auth/logout", { token: web.token });
    await api(hub.url, "POST", "/api/sessions/terminate", { token: admin.token, body: { sessionIds: [mobile.session.id, other.session.id] } });

    const history = async (query: string) =>
      (await api<SessionHistoryPage>(hub.url, "GET", `/api/session-history${query}`, { token: admin.token })).body;
    const all = await history("");
    expect(all.entries.map((e) => e.sessionId)).toEqual([other.session.id, mobile.session.id, web.session.id]);
    expect(all.entries[2]).toMatchObject({
      username: "tina",
      app: "web",
      device: "Firefox on Windows",
      reason: "logout",
      durationMs: 90_000,
      licenseType: "concurrent",
    });
    expect(all.entries[1]).toMatchObject({ reason: "terminated", app: "mobile", by: { username: "admin" } });
    expect((await history("?user=tina&reason=terminated")).entries.map((e) => e.sessionId)).toEqual([mobile.session.id]);
    expect((await history("?app=mobile")).entries).toHaveLength(1);
    expect((await history(`?to=${web.session.startedAt - 1}`)).entries).toHaveLength(0);
    expect((await history("?reason=vanished")).entries).toBeUndefined();

    const csv = await fetch(`${hub.url}/api/session-history?format=csv&user=tina`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="?session-history-\d{4}-\d\d-\d\d\.csv"?$/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      '"sessionId","username","accountId","licenseType","app","device","ip","startedAt","endedAt","durationSeconds","reason","endedBy","message"',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"Firefox on Windows"');
    expect(lines[2]).toContain('"90","logout"');

    // A cell a spreadsheet would run as a formula is defused.
    const formula = await fetch(`${hub.url}/api/session-history?format=csv&user=uma`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect((await formula.text()).split("\r\n")[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
