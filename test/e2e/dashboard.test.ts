/**
 * The admin dashboard in a real browser (the system Chromium) against a real hub: signing in,
 * the live Logged Users list, terminating sessions, idle settings and reconnecting, as an admin
 * sees and does them on the "User Sessions" page, and what the technicians on the other end get.
 */
import { describe, expect, it } from "vitest";
import type { SessionEndedPayload } from "../../shared/events.ts";
import type { IdleSettings } from "../../shared/types.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub } from "../support/hub.ts";
import { connectClient, waitFor } from "../support/sockets.ts";
import { useDashboardTestBed } from "./dashboard-page.ts";

const bed = useDashboardTestBed();

describe("signing in", () => {
  it("an admin signs in, sees the page live with their own session marked, and signs out", async () => {
    const token = await bed.signInAdmin();
    const me = await api(bed.hub.url, "GET", "/api/me", { token });
    expect(me.status).toBe(200);

    const ownRow = bed.dashboard.row(me.body.session.id);
    await expect(ownRow.innerText()).resolves.toContain("You");
    await expect(ownRow.locator("[data-col=app]").innerText()).resolves.toBe("Web App");
    await expect(bed.dashboard.page.getByRole("heading", { name: "License Usage", exact: true }).isVisible()).resolves.toBe(true);
    await expect(bed.dashboard.page.getByRole("heading", { name: /Logged Users/ }).isVisible()).resolves.toBe(true);

    await bed.dashboard.page.getByRole("button", { name: "Sign out" }).click();
    await bed.dashboard.page.locator("#sign-in-notice").getByText("You have signed out.").waitFor();
    expect(await bed.dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);
    const after = await api(bed.hub.url, "GET", "/api/me", { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("SESSION_ENDED");
  });

  it("a technician who signs in is told the dashboard is for administrators, and holds no session", async () => {
    const admin = await login(bed.hub.url, bed.hub.adminUsername, bed.hub.adminPassword);
    await createAccount(bed.hub.url, admin.token, "tina", "concurrent");

    await bed.dashboard.submitSignIn("tina", TECH_PASSWORD);
    await bed.dashboard.page.locator("#sign-in-error").getByText("for administrators").waitFor();
    expect(await bed.dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);

    const sessions = await api(bed.hub.url, "GET", "/api/sessions", { token: admin.token });
    expect(sessions.body.sessions.map((s: { username: string }) => s.username)).not.toContain("tina");
  });

  it("wrong credentials are reported on the sign-in form", async () => {
    await bed.dashboard.submitSignIn(bed.hub.adminUsername, "not-the-password");
    await bed.dashboard.page.locator("#sign-in-error").filter({ hasText: /./ }).waitFor();
    expect(await bed.dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);
  });
});

describe("Logged Users", () => {
  it("a technician logging in appears within a second, and its Last Activity moves when it sends activity", async () => {
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "terry", "concurrent");

    const terry = await login(bed.hub.url, "terry", TECH_PASSWORD, "web", "Terry's laptop");
    const row = bed.dashboard.row(terry.session.id);
    await row.waitFor({ timeout: 1000 });
    expect(await row.locator("[data-col=user]").innerText()).toContain("terry");
    expect(await row.locator("[data-col=account-type]").innerText()).toBe("Concurrent");
    expect(await row.locator("[data-col=device]").innerText()).toContain("Terry's laptop");

    const socket = await connectClient(bed.hub.url, terry.token);
    await row.locator("[data-col=connected]").getByText("Yes").waitFor();

    const lastActivity = row.locator("[data-col=last-activity]");
    const before = Number(await lastActivity.getAttribute("data-value"));
    socket.emit("activity");
    await bed.dashboard.page.waitForFunction(
      ([id, previous]) => {
        const cell = document.querySelector<HTMLElement>(`tr[data-session-id="${id}"] [data-col=last-activity]`);
        return Number(cell?.dataset.value) > previous;
      },
      [terry.session.id, before] as const,
      { timeout: 5000 },
    );

    // Duration ticks every second without any message from the bed.hub.
    const duration = row.locator("[data-col=duration]");
    const firstDuration = await duration.innerText();
    await bed.dashboard.page.waitForFunction(
      ([id, first]) => document.querySelector(`tr[data-session-id="${id}"] [data-col=duration]`)?.textContent !== first,
      [terry.session.id, firstDuration] as const,
      { timeout: 3000 },
    );
  });

  it("two selected sessions are terminated from the page: both users are told, the rows go, License Usage changes", async () => {
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "carla", "concurrent");
    await createAccount(bed.hub.url, token, "colin", "concurrent");
    const carla = await login(bed.hub.url, "carla", TECH_PASSWORD, "web");
    const colin = await login(bed.hub.url, "colin", TECH_PASSWORD, "mobile", "Colin's phone");
    const carlaSocket = await connectClient(bed.hub.url, carla.token);
    const colinSocket = await connectClient(bed.hub.url, colin.token);
    await bed.dashboard.usageCell("Concurrent", "Used").getByText("2", { exact: true }).waitFor();

    for (const id of [carla.session.id, colin.session.id]) {
      await bed.dashboard.row(id).getByRole("checkbox").check();
    }
    await bed.dashboard.page.getByRole("button", { name: "Terminate", exact: true }).click();
    const dialog = bed.dashboard.page.getByRole("dialog", { name: "Terminate 2 sessions?" });
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
    await bed.dashboard.row(carla.session.id).waitFor({ state: "detached" });
    await bed.dashboard.row(colin.session.id).waitFor({ state: "detached" });
    await bed.dashboard.usageCell("Concurrent", "Used").getByText("0", { exact: true }).waitFor();
    await bed.dashboard.page.locator("#logged-users-status").getByText("Terminated 2 sessions.").waitFor();
    expect(await dialog.isHidden()).toBe(true);
  });

  it("a session that ends while the confirm dialog is open does not break the terminate call", async () => {
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "dana", "concurrent");
    await createAccount(bed.hub.url, token, "dave", "named");
    const dana = await login(bed.hub.url, "dana", TECH_PASSWORD, "web");
    const dave = await login(bed.hub.url, "dave", TECH_PASSWORD, "web");
    const daveSocket = await connectClient(bed.hub.url, dave.token);
    for (const id of [dana.session.id, dave.session.id]) await bed.dashboard.row(id).getByRole("checkbox").check();

    await bed.dashboard.page.getByRole("button", { name: "Terminate", exact: true }).click();
    const dialog = bed.dashboard.page.getByRole("dialog", { name: "Terminate 2 sessions?" });
    await dialog.waitFor();
    await api(bed.hub.url, "POST", "/api/auth/logout", { token: dana.token });
    await bed.dashboard.row(dana.session.id).waitFor({ state: "detached" });

    const ended = waitFor<SessionEndedPayload>(daveSocket, "session:ended");
    await dialog.getByRole("button", { name: "Terminate 2 sessions" }).click();
    expect((await ended).reason).toBe("terminated");
    await bed.dashboard.row(dave.session.id).waitFor({ state: "detached" });
    await bed.dashboard.page.locator("#logged-users-status").getByText("Terminated 1 session. 1 session had already ended.").waitFor();
  });

  it("sorts by a column, filters by user, app or IP, and F5 reloads the list without reloading the page", async () => {
    const token = await bed.signInAdmin();
    for (const name of ["zoe", "amy"]) await createAccount(bed.hub.url, token, name, "concurrent");
    const zoe = await login(bed.hub.url, "zoe", TECH_PASSWORD, "mobile");
    const amy = await login(bed.hub.url, "amy", TECH_PASSWORD, "web");
    await bed.dashboard.row(zoe.session.id).waitFor();
    await bed.dashboard.row(amy.session.id).waitFor();

    const users = () => bed.dashboard.page.locator("#logged-users-body [data-col=user] .user-name").allInnerTexts();
    const userHeader = bed.dashboard.page.locator("th[data-sort=user]");
    expect(await userHeader.getAttribute("aria-sort")).toBe("ascending");
    const ascending = await users();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await userHeader.getByRole("button").click();
    expect(await userHeader.getAttribute("aria-sort")).toBe("descending");
    expect(await users()).toEqual([...ascending].reverse());

    await bed.dashboard.page.getByLabel("Filter by user, app or IP").fill("mobile");
    expect(await users()).toEqual(["zoe"]);
    await bed.dashboard.page.getByLabel("Filter by user, app or IP").fill("");

    await bed.dashboard.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await bed.dashboard.page.keyboard.press("F5");
    await bed.dashboard.page.locator("#logged-users-status").getByText(/^Refreshed at/).waitFor();
    expect(await bed.dashboard.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it("is operable from the keyboard: sort, select, open Terminate and cancel it", async () => {
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "kim", "concurrent");
    const kim = await login(bed.hub.url, "kim", TECH_PASSWORD, "web");
    const page = bed.dashboard.page;
    const row = bed.dashboard.row(kim.session.id);
    await row.waitFor();

    const header = page.locator("th[data-sort=licenseType]");
    await header.getByRole("button", { name: "Account Type" }).focus();
    await page.keyboard.press("Enter");
    expect(await header.getAttribute("aria-sort")).toBe("ascending");

    await row.getByRole("checkbox", { name: /session of kim/ }).focus();
    await page.keyboard.press("Space");
    expect(await row.getByRole("checkbox").isChecked()).toBe(true);

    await page.getByRole("button", { name: "Terminate", exact: true }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Terminate 1 session?" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("terminate-message");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await row.isVisible()).toBe(true);
  });
});

describe("idle settings", () => {
  it("settings saved on the page are what GET /api/settings/idle-termination returns after a reload", async () => {
    const token = await bed.signInAdmin();
    const page = bed.dashboard.page;
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

    const saved = await api<IdleSettings>(bed.hub.url, "GET", "/api/settings/idle-termination", { token });
    expect(saved.body).toEqual({ enabled: true, timeoutMinutes: 2.5, promptSeconds: 45 });

    await page.reload();
    await bed.dashboard.waitUntilLive();
    expect(await enabled.isChecked()).toBe(true);
    expect(await timeout.inputValue()).toBe("2.5");
    expect(await prompt.inputValue()).toBe("45");
    const again = await api<IdleSettings>(bed.hub.url, "GET", "/api/settings/idle-termination", { token });
    expect(again.body).toEqual(saved.body);
  });

  it("a timeout the hub refuses is reported at the field, a refresh keeps unsaved edits, and another admin's change appears live", async () => {
    await bed.signInAdmin();
    const page = bed.dashboard.page;
    await page.getByLabel("Automatically terminate idle sessions for concurrent users").check();
    await page.getByLabel("Idle timeout (minutes)").fill("100000");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("#idle-timeout-error").getByText("at most").waitFor();
    expect(await page.getByLabel("Idle timeout (minutes)").getAttribute("aria-invalid")).toBe("true");

    // A refresh repeats the same settings: the admin's unsaved edit stays.
    await page.keyboard.press("F5");
    await page.locator("#logged-users-status").getByText(/^Refreshed at/).waitFor();
    expect(await page.getByLabel("Idle timeout (minutes)").inputValue()).toBe("100000");

    const other = await login(bed.hub.url, bed.hub.adminUsername, bed.hub.adminPassword, "web", "Another admin");
    const put = await api(bed.hub.url, "PUT", "/api/settings/idle-termination", {
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
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "rita", "concurrent");
    const port = Number(new URL(bed.hub.url).port);
    await bed.hub.close();
    await bed.dashboard.page.locator("#connection-status[data-status='reconnecting']").getByText("Reconnecting…").waitFor();

    // The same cluster comes back on the same address; a login made meanwhile must show.
    bed.hub = await startTestHub({ keyPrefix: bed.hub.prefix, port });
    const rita = await login(bed.hub.url, "rita", TECH_PASSWORD, "web");
    await bed.dashboard.page.locator("#connection-status[data-status='live']").waitFor({ timeout: 15_000 });
    await bed.dashboard.row(rita.session.id).waitFor();
  });
});

describe("the page for the README", () => {
  it("a populated dashboard, with the last hour of history, is captured as docs/dashboard.png", async () => {
    // The last hour is recorded by a node of the same cluster whose clock runs behind; the page
    // then opens on a node with the real clock and reads that history from Redis.
    const MINUTE = 60_000;
    const prefix = bed.hub.prefix;
    await bed.hub.close();
    let offset = -55 * MINUTE;
    const past = await startTestHub({ keyPrefix: prefix, clock: { now: () => Date.now() + offset } });
    const admin = await login(past.url, past.adminUsername, past.adminPassword);
    await setLicense(past.url, admin.token, 10, 5);
    const people: [string, "named" | "concurrent", "web" | "mobile", string][] = [
      ["maria.lopez", "named", "web", "Chrome on Windows"],
      ["j.chen", "concurrent", "mobile", "iPhone 15"],
      ["sam.okafor", "concurrent", "web", "Firefox on macOS"],
      ["priya.n", "concurrent", "web", "Edge on Windows"],
      ["alex.kim", "concurrent", "web", "Safari on macOS"],
      ["lee.wong", "concurrent", "mobile", "Pixel 8"],
      ["omar.f", "concurrent", "web", "Chrome on Linux"],
      ["tom.b", "named", "mobile", "Galaxy S24"],
    ];
    for (const [name, type] of people) await createAccount(past.url, admin.token, name, type);
    const tokens = new Map<string, string>();
    const at = (minutesAgo: number) => (offset = -minutesAgo * MINUTE);
    const signIn = async (name: string) => {
      const [, , app, device] = people.find(([n]) => n === name)!;
      tokens.set(name, (await login(past.url, name, TECH_PASSWORD, app, device)).token);
    };
    const signOut = (name: string) => api(past.url, "POST", "/api/auth/logout", { token: tokens.get(name) });
    at(52); await signIn("maria.lopez"); await signIn("j.chen");
    at(46); await signIn("sam.okafor");
    at(39); await signIn("priya.n"); await signIn("alex.kim");
    at(33); await signOut("j.chen");
    at(27); await signIn("lee.wong"); await signIn("j.chen"); await signIn("tom.b");
    at(21); await api(past.url, "POST", "/api/auth/login", { body: { username: "omar.f", password: TECH_PASSWORD, app: "web" } });
    at(14); await signOut("alex.kim");
    at(9); await signIn("omar.f");
    at(4); await signOut("sam.okafor"); await signOut("tom.b");
    await api(past.url, "POST", "/api/auth/logout", { token: admin.token });
    await past.close();

    bed.hub = await startTestHub({ keyPrefix: prefix });
    await bed.dashboard.page.goto(bed.hub.url);
    await bed.signInAdmin();
    // Everyone still signed in is online again, except one phone that is out of coverage.
    for (const [name, token] of tokens) {
      if (["sam.okafor", "tom.b", "alex.kim", "lee.wong"].includes(name)) continue;
      await connectClient(bed.hub.url, token);
    }
    await bed.dashboard.page.waitForFunction(
      () => document.querySelectorAll("#logged-users-body [data-col=connected]").length === 6,
    );
    const [named, concurrent] = await bed.dashboard.showChart("area", "all", "hour");
    // The hour shows the level rising and falling, the refused login, and today's levels at the end.
    expect(Math.max(...concurrent!.points.map(([, peak]) => peak))).toBe(5);
    expect(concurrent!.points.reduce((sum, [, , denied]) => sum + denied, 0)).toBe(1);
    expect(concurrent!.points.at(-1)?.[1]).toBe(4);
    expect(named!.points.at(-1)?.[1]).toBe(2);
    const offline = bed.dashboard.page.locator("#logged-users-body tr", { hasText: "lee.wong" });
    expect(await offline.locator("[data-col=connected]").innerText()).toBe("No");
    await bed.dashboard.screenshot("dashboard-overview", "dashboard.png");
  });
});
