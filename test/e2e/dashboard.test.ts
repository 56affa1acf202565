/**
 * The admin dashboard in a real browser (the system Chromium) against a real hub: what an admin
 * sees and does on the "User Sessions" page, and what the technicians on the other end get.
 */
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionEndedPayload } from "../../shared/events.ts";
import type { IdleSettings, LicenseUsage, UsageRow } from "../../shared/types.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectClient, waitFor } from "../support/sockets.ts";
import { DashboardPage, launchChromium, parseCsv } from "./dashboard-page.ts";

let browser: Browser;
let hub: TestHub;
let dashboard: DashboardPage;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  hub = await startTestHub();
  dashboard = await DashboardPage.open(browser, hub.url);
});

afterEach(async (context) => {
  // Every test leaves a picture of the page as it ended, for whoever reads a failure.
  const name = context.task.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 80);
  await dashboard.screenshot(`dashboard-${name}`).catch(() => undefined);
  closeAllSockets();
  await dashboard.close();
  await hub.close();
});

/** Signs the admin in on the page and returns the page's own token. */
async function signInAdmin(): Promise<string> {
  await dashboard.signIn(hub.adminUsername, hub.adminPassword);
  return dashboard.token();
}

function usageAsText(row: UsageRow): string[] {
  return [row.licensed, row.used, row.available, row.accounts, row.connected].map((v) => (v === null ? "N/A" : String(v)));
}

async function readUsage(token: string): Promise<LicenseUsage> {
  return (await api<{ usage: LicenseUsage }>(hub.url, "GET", "/api/license", { token })).body.usage;
}

describe("signing in", () => {
  it("an admin signs in, sees the page live with their own session marked, and signs out", async () => {
    const token = await signInAdmin();
    const me = await api(hub.url, "GET", "/api/me", { token });
    expect(me.status).toBe(200);

    const ownRow = dashboard.row(me.body.session.id);
    await expect(ownRow.innerText()).resolves.toContain("You");
    await expect(ownRow.locator("[data-col=app]").innerText()).resolves.toBe("Web App");
    await expect(dashboard.page.getByRole("heading", { name: "License Usage", exact: true }).isVisible()).resolves.toBe(true);
    await expect(dashboard.page.getByRole("heading", { name: /Logged Users/ }).isVisible()).resolves.toBe(true);

    await dashboard.page.getByRole("button", { name: "Sign out" }).click();
    await dashboard.page.locator("#sign-in-notice").getByText("You have signed out.").waitFor();
    expect(await dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);
    const after = await api(hub.url, "GET", "/api/me", { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("SESSION_ENDED");
  });

  it("a technician who signs in is told the dashboard is for administrators, and holds no session", async () => {
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "tina", "concurrent");

    await dashboard.submitSignIn("tina", TECH_PASSWORD);
    await dashboard.page.locator("#sign-in-error").getByText("for administrators").waitFor();
    expect(await dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);

    const sessions = await api(hub.url, "GET", "/api/sessions", { token: admin.token });
    expect(sessions.body.sessions.map((s: { username: string }) => s.username)).not.toContain("tina");
  });

  it("wrong credentials are reported on the sign-in form", async () => {
    await dashboard.submitSignIn(hub.adminUsername, "not-the-password");
    await dashboard.page.locator("#sign-in-error").filter({ hasText: /./ }).waitFor();
    expect(await dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);
  });
});

describe("Logged Users", () => {
  it("a technician logging in appears within a second, and its Last Activity moves when it sends activity", async () => {
    const token = await signInAdmin();
    await createAccount(hub.url, token, "terry", "concurrent");

    const terry = await login(hub.url, "terry", TECH_PASSWORD, "web", "Terry's laptop");
    const row = dashboard.row(terry.session.id);
    await row.waitFor({ timeout: 1000 });
    expect(await row.locator("[data-col=user]").innerText()).toContain("terry");
    expect(await row.locator("[data-col=account-type]").innerText()).toBe("Concurrent");
    expect(await row.locator("[data-col=device]").innerText()).toContain("Terry's laptop");

    const socket = await connectClient(hub.url, terry.token);
    await row.locator("[data-col=connected]").getByText("Yes").waitFor();

    const lastActivity = row.locator("[data-col=last-activity]");
    const before = Number(await lastActivity.getAttribute("data-value"));
    socket.emit("activity");
    await dashboard.page.waitForFunction(
      ([id, previous]) => {
        const cell = document.querySelector<HTMLElement>(`tr[data-session-id="${id}"] [data-col=last-activity]`);
        return Number(cell?.dataset.value) > previous;
      },
      [terry.session.id, before] as const,
      { timeout: 5000 },
    );

    // Duration ticks every second without any message from the hub.
    const duration = row.locator("[data-col=duration]");
    const firstDuration = await duration.innerText();
    await dashboard.page.waitForFunction(
      ([id, first]) => document.querySelector(`tr[data-session-id="${id}"] [data-col=duration]`)?.textContent !== first,
      [terry.session.id, firstDuration] as const,
      { timeout: 3000 },
    );
  });

  it("two selected sessions are terminated from the page: both users are told, the rows go, License Usage changes", async () => {
    const token = await signInAdmin();
    await createAccount(hub.url, token, "carla", "concurrent");
    await createAccount(hub.url, token, "colin", "concurrent");
    const carla = await login(hub.url, "carla", TECH_PASSWORD, "web");
    const colin = await login(hub.url, "colin", TECH_PASSWORD, "mobile", "Colin's phone");
    const carlaSocket = await connectClient(hub.url, carla.token);
    const colinSocket = await connectClient(hub.url, colin.token);
    await dashboard.usageCell("Concurrent", "Used").getByText("2", { exact: true }).waitFor();

    for (const id of [carla.session.id, colin.session.id]) {
      await dashboard.row(id).getByRole("checkbox").check();
    }
    await dashboard.page.getByRole("button", { name: "Terminate", exact: true }).click();
    const dialog = dashboard.page.getByRole("dialog", { name: "Terminate 2 sessions?" });
    await dialog.waitFor();
    const note = "Permissions changed; please sign in again.";
    await dialog.getByLabel("Message to the users (optional)").fill(note);

    const ended = Promise.all([
      waitFor<SessionEndedPayload>(carlaSocket, "session:ended"),
      waitFor<SessionEndedPayload>(colinSocket, "session:ended"),
    ]);
    await dialog.getByRole("button", { name: "Terminate 2 sessions" }).click();

    for (const payload of await ended) {
      expect(payload.reason).toBe("terminated");
      expect(payload.message).toContain("terminated by the administrator");
      expect(payload.message).toContain(note);
    }
    await dashboard.row(carla.session.id).waitFor({ state: "detached" });
    await dashboard.row(colin.session.id).waitFor({ state: "detached" });
    await dashboard.usageCell("Concurrent", "Used").getByText("0", { exact: true }).waitFor();
    await dashboard.page.locator("#logged-users-status").getByText("Terminated 2 sessions.").waitFor();
    expect(await dialog.isHidden()).toBe(true);
  });

  it("a session that ends while the confirm dialog is open does not break the terminate call", async () => {
    const token = await signInAdmin();
    await createAccount(hub.url, token, "dana", "concurrent");
    await createAccount(hub.url, token, "dave", "named");
    const dana = await login(hub.url, "dana", TECH_PASSWORD, "web");
    const dave = await login(hub.url, "dave", TECH_PASSWORD, "web");
    const daveSocket = await connectClient(hub.url, dave.token);
    for (const id of [dana.session.id, dave.session.id]) await dashboard.row(id).getByRole("checkbox").check();

    await dashboard.page.getByRole("button", { name: "Terminate", exact: true }).click();
    const dialog = dashboard.page.getByRole("dialog", { name: "Terminate 2 sessions?" });
    await dialog.waitFor();
    await api(hub.url, "POST", "/api/auth/logout", { token: dana.token });
    await dashboard.row(dana.session.id).waitFor({ state: "detached" });

    const ended = waitFor<SessionEndedPayload>(daveSocket, "session:ended");
    await dialog.getByRole("button", { name: "Terminate 2 sessions" }).click();
    expect((await ended).reason).toBe("terminated");
    await dashboard.row(dave.session.id).waitFor({ state: "detached" });
    await dashboard.page.locator("#logged-users-status").getByText("Terminated 1 session. 1 session had already ended.").waitFor();
  });

  it("sorts by a column, filters by user, app or IP, and F5 reloads the list without reloading the page", async () => {
    const token = await signInAdmin();
    for (const name of ["zoe", "amy"]) await createAccount(hub.url, token, name, "concurrent");
    const zoe = await login(hub.url, "zoe", TECH_PASSWORD, "mobile");
    const amy = await login(hub.url, "amy", TECH_PASSWORD, "web");
    await dashboard.row(zoe.session.id).waitFor();
    await dashboard.row(amy.session.id).waitFor();

    const users = () => dashboard.page.locator("#logged-users-body [data-col=user] .user-name").allInnerTexts();
    const userHeader = dashboard.page.locator("th[data-sort=user]");
    expect(await userHeader.getAttribute("aria-sort")).toBe("ascending");
    const ascending = await users();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await userHeader.getByRole("button").click();
    expect(await userHeader.getAttribute("aria-sort")).toBe("descending");
    expect(await users()).toEqual([...ascending].reverse());

    await dashboard.page.getByLabel("Filter by user, app or IP").fill("mobile");
    expect(await users()).toEqual(["zoe"]);
    await dashboard.page.getByLabel("Filter by user, app or IP").fill("");

    await dashboard.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await dashboard.page.keyboard.press("F5");
    await dashboard.page.locator("#logged-users-status").getByText(/^Refreshed at/).waitFor();
    expect(await dashboard.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });
});

describe("License Usage", () => {
  it("shows N/A for a model the license lacks, the right numbers for each, and the licensing model in words", async () => {
    const token = await signInAdmin();
    await createAccount(hub.url, token, "nick", "named");
    await createAccount(hub.url, token, "cora", "concurrent");
    await createAccount(hub.url, token, "cody", "concurrent");
    await login(hub.url, "cora", TECH_PASSWORD, "web");

    const model = dashboard.page.locator("#licensing-model");
    await setLicense(hub.url, token, null, 5);
    await model.getByText("Concurrent Users", { exact: true }).waitFor();
    await dashboard.usageCell("Concurrent", "Used").getByText("1", { exact: true }).waitFor();
    let table = await dashboard.usageTable();
    // admin and nick are named accounts; admin's dashboard is connected; cora holds one seat.
    expect(table.named).toEqual(["N/A", "2", "N/A", "2", "1"]);
    expect(table.concurrent).toEqual(["5", "1", "4", "2", "1"]);
    let usage = await readUsage(token);
    expect(table).toEqual({ named: usageAsText(usage.named), concurrent: usageAsText(usage.concurrent) });

    await setLicense(hub.url, token, 3, 4);
    await model.getByText("Named Users and Concurrent Users", { exact: true }).waitFor();
    await dashboard.usageCell("Named", "Licensed").getByText("3", { exact: true }).waitFor();
    table = await dashboard.usageTable();
    expect(table.named).toEqual(["3", "2", "1", "2", "1"]);
    expect(table.concurrent).toEqual(["4", "1", "3", "2", "1"]);
    usage = await readUsage(token);
    expect(table).toEqual({ named: usageAsText(usage.named), concurrent: usageAsText(usage.concurrent) });

    await setLicense(hub.url, token, 3, null);
    await model.getByText("Named Users", { exact: true }).waitFor();
    await setLicense(hub.url, token, null, null);
    await model.getByText(/^None/).waitFor();
    await dashboard.usageCell("Named", "Licensed").getByText("N/A").waitFor();
    await dashboard.usageCell("Concurrent", "Available").getByText("N/A").waitFor();
  });

  it("warns when concurrent Used reaches 90 % of Licensed, and when logins are refused", async () => {
    const token = await signInAdmin();
    await setLicense(hub.url, token, 5, 10);
    const names = Array.from({ length: 11 }, (_, i) => `seat${i + 1}`);
    for (const name of names) await createAccount(hub.url, token, name, "concurrent");
    const nearLimit = dashboard.page.locator("#near-limit-banner");
    const refusals = dashboard.page.locator("#refusals-banner");

    for (const name of names.slice(0, 8)) await login(hub.url, name, TECH_PASSWORD, "web");
    await dashboard.usageCell("Concurrent", "Used").getByText("8", { exact: true }).waitFor();
    expect(await nearLimit.isHidden()).toBe(true);

    await login(hub.url, "seat9", TECH_PASSWORD, "web");
    await nearLimit.getByText("9 of 10 concurrent sessions are in use (90 %)").waitFor();

    await login(hub.url, "seat10", TECH_PASSWORD, "web");
    await nearLimit.getByText("10 of 10").waitFor();
    expect(await refusals.isHidden()).toBe(true);
    const refused = await api(hub.url, "POST", "/api/auth/login", {
      body: { username: "seat11", password: TECH_PASSWORD, app: "web" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("LICENSE_LIMIT_REACHED");

    // A refusal changes no usage, so the banner is re-read on Refresh (or within 30 s).
    await dashboard.page.getByRole("button", { name: "Refresh" }).click();
    await refusals.getByText("1 login of concurrent accounts refused").waitFor({ timeout: 10_000 });
    await dashboard.screenshot("license-usage-banners");
  });
});

describe("usage chart", () => {
  it("draws every chart type and period from recorded history with the limit lines, and the CSV holds the drawn points", async () => {
    const token = await signInAdmin();
    await setLicense(hub.url, token, 5, 2);
    await createAccount(hub.url, token, "nora", "named");
    for (const name of ["cal", "cid", "cyd"]) await createAccount(hub.url, token, name, "concurrent");
    await login(hub.url, "nora", TECH_PASSWORD, "web");
    await login(hub.url, "cal", TECH_PASSWORD, "web");
    await login(hub.url, "cid", TECH_PASSWORD, "mobile");
    const refused = await api(hub.url, "POST", "/api/auth/login", {
      body: { username: "cyd", password: TECH_PASSWORD, app: "web" },
    });
    expect(refused.status).toBe(403);
    await dashboard.usageCell("Concurrent", "Used").getByText("2", { exact: true }).waitFor();

    const chart = dashboard.page.locator("#usage-chart");
    const legendValue = (label: string) =>
      chart.locator(".u-legend .u-series").filter({ hasText: label }).locator(".u-value").innerText();

    for (const kind of ["line", "bar", "area"]) {
      for (const type of ["named", "concurrent", "all"]) {
        for (const period of ["hour", "day", "week", "month", "year"]) {
          const histories = await dashboard.showChart(kind, type, period);
          expect(await chart.locator("canvas").count()).toBeGreaterThan(0);
          const series = (await chart.getAttribute("data-series"))?.split("|") ?? [];
          for (const history of histories) {
            const name = history.type === "named" ? "Named" : "Concurrent";
            expect(series).toContain(`${name} connections`);
            // The licensed maximum is a dotted line (its legend marker is dashed like the line).
            expect(history.limit).toBe(history.type === "named" ? 5 : 2);
            expect(series).toContain(`${name} limit`);
            expect(await legendValue(`${name} limit`)).toBe(String(history.limit));
            const marker = chart.locator(".u-legend .u-series").filter({ hasText: `${name} limit` }).locator(".u-marker");
            expect(await marker.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("dashed");
            // The recorded peaks reach today's level in the latest bucket.
            // named: admin (this page) and nora; concurrent: cal and cid.
            expect(history.points.at(-1)?.[1]).toBe(2);
          }
          expect(series).toContain("Refused logins");

          if (kind !== "line") continue;
          const { filename, text } = await dashboard.downloadCsv();
          expect(filename).toBe(`license-usage-${type}-${period}.csv`);
          const csv = parseCsv(text);
          const times = [...new Set(histories.flatMap((h) => h.points.map(([t]) => t)))].sort((a, b) => a - b);
          expect(csv.rows.map((row) => Number(row[1]))).toEqual(times);
          for (const history of histories) {
            const name = history.type === "named" ? "Named" : "Concurrent";
            const peakColumn = csv.header.indexOf(`${name} connections`);
            const limitColumn = csv.header.indexOf(`${name} limit`);
            for (const [t, peak] of history.points) {
              const row = csv.rows[times.indexOf(t)]!;
              expect(Number(row[peakColumn])).toBe(peak);
              expect(Number(row[limitColumn])).toBe(history.limit);
            }
          }
          const refusedColumn = csv.header.indexOf("Refused logins");
          const deniedByTime = new Map<number, number>();
          for (const history of histories) {
            for (const [t, , denied] of history.points) deniedByTime.set(t, (deniedByTime.get(t) ?? 0) + denied);
          }
          expect(csv.rows.map((row) => Number(row[refusedColumn]))).toEqual(times.map((t) => deniedByTime.get(t)));
          if (type !== "named") expect(csv.rows.reduce((sum, row) => sum + Number(row[refusedColumn]), 0)).toBe(1);
        }
      }
    }
    await dashboard.showChart("bar", "all", "day");
    await dashboard.screenshot("usage-chart-bar");
  });
});

describe("idle settings", () => {
  it("settings saved on the page are what GET /api/settings/idle-termination returns after a reload", async () => {
    const token = await signInAdmin();
    const page = dashboard.page;
    const enabled = page.getByLabel("Automatically terminate idle sessions for concurrent users");
    const timeout = page.getByLabel("Idle timeout (minutes)");
    const prompt = page.getByLabel("Web App prompt window (seconds)");

    await enabled.uncheck();
    expect(await timeout.isDisabled()).toBe(true);
    await enabled.check();
    expect(await timeout.isEnabled()).toBe(true);
    await timeout.fill("2.5");
    await prompt.fill("45");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("#idle-status").getByText(/^Saved at/).waitFor();

    const saved = await api<IdleSettings>(hub.url, "GET", "/api/settings/idle-termination", { token });
    expect(saved.body).toEqual({ enabled: true, timeoutMinutes: 2.5, promptSeconds: 45 });

    await page.reload();
    await dashboard.waitUntilLive();
    expect(await enabled.isChecked()).toBe(true);
    expect(await timeout.inputValue()).toBe("2.5");
    expect(await prompt.inputValue()).toBe("45");
    const again = await api<IdleSettings>(hub.url, "GET", "/api/settings/idle-termination", { token });
    expect(again.body).toEqual(saved.body);
  });

  it("a timeout the hub refuses is reported at the field, a refresh keeps unsaved edits, and another admin's change appears live", async () => {
    await signInAdmin();
    const page = dashboard.page;
    await page.getByLabel("Automatically terminate idle sessions for concurrent users").check();
    await page.getByLabel("Idle timeout (minutes)").fill("100000");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("#idle-timeout-error").getByText("at most").waitFor();
    expect(await page.getByLabel("Idle timeout (minutes)").getAttribute("aria-invalid")).toBe("true");

    // A refresh repeats the same settings: the admin's unsaved edit stays.
    await page.keyboard.press("F5");
    await page.locator("#logged-users-status").getByText(/^Refreshed at/).waitFor();
    expect(await page.getByLabel("Idle timeout (minutes)").inputValue()).toBe("100000");

    const other = await login(hub.url, hub.adminUsername, hub.adminPassword, "web", "Another admin");
    const put = await api(hub.url, "PUT", "/api/settings/idle-termination", {
      token: other.token,
      body: { enabled: false, timeoutMinutes: 7, promptSeconds: 30 },
    });
    expect(put.status).toBe(200);
    await page.waitForFunction(() => (document.getElementById("idle-timeout") as HTMLInputElement).value === "7");
    expect(await page.getByLabel("Automatically terminate idle sessions for concurrent users").isChecked()).toBe(false);
    expect(await page.getByLabel("Web App prompt window (seconds)").inputValue()).toBe("30");
  });
});

describe("the dashboard as a session of its own", () => {
  it("shows Reconnecting… while the hub is away and reloads the snapshot when it is back", async () => {
    const token = await signInAdmin();
    await createAccount(hub.url, token, "rita", "concurrent");
    const port = Number(new URL(hub.url).port);
    await hub.close();
    await dashboard.page.locator("#connection-status[data-status='reconnecting']").getByText("Reconnecting…").waitFor();

    // The same cluster comes back on the same address; a login made meanwhile must show.
    hub = await startTestHub({ keyPrefix: hub.prefix, port });
    const rita = await login(hub.url, "rita", TECH_PASSWORD, "web");
    await dashboard.page.locator("#connection-status[data-status='live']").waitFor({ timeout: 15_000 });
    await dashboard.row(rita.session.id).waitFor();
  });
});

describe("the page for the README", () => {
  it("a populated dashboard is captured as docs/dashboard.png", async () => {
    const token = await signInAdmin();
    await setLicense(hub.url, token, 10, 10);
    const people: [string, "named" | "concurrent", "web" | "mobile", string][] = [
      ["maria.lopez", "named", "web", "Chrome on Windows"],
      ["j.chen", "concurrent", "mobile", "iPhone 15"],
      ["sam.okafor", "concurrent", "web", "Firefox on macOS"],
      ["priya.n", "concurrent", "web", "Edge on Windows"],
    ];
    for (const [name, type, app, device] of people) {
      await createAccount(hub.url, token, name, type);
      const session = await login(hub.url, name, TECH_PASSWORD, app, device);
      await connectClient(hub.url, session.token);
      await dashboard.row(session.session.id).waitFor();
    }
    await dashboard.showChart("area", "all", "hour");
    await dashboard.page.waitForFunction(() =>
      [...document.querySelectorAll("#logged-users-body [data-col=connected]")].every((cell) => cell.textContent === "Yes"),
    );
    await dashboard.screenshot("dashboard-overview", "dashboard.png");
  });
});
