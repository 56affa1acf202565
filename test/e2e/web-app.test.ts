/**
 * The demo Web App in Chromium against a real hub: the keep-session dialog at the idle timeout,
 * the notices that say why a session ended (with unsaved work visibly lost), and one sign-in
 * shared by several tabs that all see the prompt, the answer and the end.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EndMessage } from "../../shared/messages.ts";
import type { Session } from "../../shared/types.ts";
import { api } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { adminToken, enableIdleTermination, newTechnician, TECH_PASSWORD, terminate } from "../support/sdk-clients.ts";
import { launchChromium } from "./dashboard-page.ts";
import { WebAppPage } from "./web-app-page.ts";

let browser: Browser;
let context: BrowserContext;
let hub: TestHub;
let admin: string;
const tabs: WebAppPage[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  hub = await startTestHub();
  admin = await adminToken(hub);
  context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
});

afterEach(async (test) => {
  const name = test.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  await Promise.all(tabs.map((tab, i) => tab.screenshot(`web-app-${name}-tab${i + 1}`).catch(() => undefined)));
  tabs.length = 0;
  await context.close();
  await hub.close();
});

async function openTab(): Promise<WebAppPage> {
  const tab = await WebAppPage.open(context, hub.url);
  tabs.push(tab);
  return tab;
}

async function sessionsOf(username: string): Promise<Session[]> {
  const { body } = await api<{ sessions: Session[] }>(hub.url, "GET", "/api/sessions", { token: admin });
  return body.sessions.filter((session) => session.username === username);
}

describe("the keep-session dialog", () => {
  it("appears when the session has been idle for the timeout, and Keep session keeps it", async () => {
    const technician = await newTechnician(hub, admin, "concurrent");
    await enableIdleTermination(hub, admin, 2, 30);
    const tab = await openTab();
    await tab.signIn(technician.username, TECH_PASSWORD);

    await tab.keepDialog.waitFor({ timeout: 15_000 });
    const seconds = Number(await tab.page.getByTestId("keep-countdown").textContent());
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);

    await tab.keepDialog.getByRole("button", { name: "Keep session" }).click();
    await tab.keepDialog.waitFor({ state: "hidden" });
    expect(await tab.workspace.isVisible()).toBe(true);
    const [session] = await sessionsOf(technician.username);
    expect(session?.state).toBe("active");
  });

  it("left unanswered, the session ends and the sign-in page says it expired due to inactivity", async () => {
    const technician = await newTechnician(hub, admin, "concurrent");
    await enableIdleTermination(hub, admin, 2, 2);
    const tab = await openTab();
    await tab.signIn(technician.username, TECH_PASSWORD);

    await tab.keepDialog.waitFor({ timeout: 15_000 });
    await tab.endNotice.getByText(EndMessage.expired).waitFor({ timeout: 15_000 });
    expect(await tab.keepDialog.isHidden()).toBe(true);
    expect(await tab.signInView.isVisible()).toBe(true);
    expect(await tab.storedToken()).toBeNull();
    expect(await sessionsOf(technician.username)).toEqual([]);
  });
});

describe("when an administrator terminates the session", () => {
  it("the notice gives the administrator's message and the form's unsaved text is gone", async () => {
    const technician = await newTechnician(hub, admin, "named");
    const tab = await openTab();
    await tab.signIn(technician.username, TECH_PASSWORD);
    await tab.notes.fill("Called the customer; replacing the fuser unit tomorrow.");
    await tab.page.getByText("Unsaved changes", { exact: true }).waitFor();

    const [session] = await sessionsOf(technician.username);
    await terminate(hub, admin, [session!.id], "Maintenance window: sign in again after 18:00.");

    await tab.endNotice.getByText(EndMessage.terminated).waitFor();
    await tab.endNotice.getByText("Maintenance window: sign in again after 18:00.").waitFor();
    await tab.page.getByTestId("end-notice-lost").getByText("unsaved changes to ticket HD-1042 were lost").waitFor();
    expect(await tab.notes.inputValue()).toBe("");

    // Signing in again brings the saved ticket back, not the lost edits.
    await tab.signIn(technician.username, TECH_PASSWORD);
    expect(await tab.notes.inputValue()).toBe("");
    expect(await tab.endNotice.isHidden()).toBe(true);
  });

  it("a tab reopened after the session ended shows why on the sign-in page", async () => {
    const technician = await newTechnician(hub, admin, "named");
    const tab = await openTab();
    await tab.signIn(technician.username, TECH_PASSWORD);
    const [session] = await sessionsOf(technician.username);
    await tab.page.close();
    tabs.length = 0;

    await terminate(hub, admin, [session!.id], "Your access is being reviewed.");
    const reopened = await openTab();
    await reopened.endNotice.getByText(EndMessage.terminated).waitFor();
    await reopened.endNotice.getByText("Your access is being reviewed.").waitFor();
    expect(await reopened.signInView.isVisible()).toBe(true);
  });
});

describe("several tabs", () => {
  it("share one sign-in; the prompt shows in both and answering in one closes it in both", async () => {
    const technician = await newTechnician(hub, admin, "concurrent");
    const first = await openTab();
    const second = await openTab();
    await first.signIn(technician.username, TECH_PASSWORD);
    // The second tab picks up the sign-in from the first without a form.
    await second.waitForWorkspace();
    expect(await sessionsOf(technician.username)).toHaveLength(1);

    await enableIdleTermination(hub, admin, 2, 30);
    await Promise.all([first.keepDialog.waitFor({ timeout: 15_000 }), second.keepDialog.waitFor({ timeout: 15_000 })]);

    await second.keepDialog.getByRole("button", { name: "Keep session" }).click();
    await Promise.all([first.keepDialog.waitFor({ state: "hidden" }), second.keepDialog.waitFor({ state: "hidden" })]);
    expect(await first.workspace.isVisible()).toBe(true);
    expect(await second.workspace.isVisible()).toBe(true);
  });

  it("the end notice reaches every tab", async () => {
    const technician = await newTechnician(hub, admin, "named");
    const first = await openTab();
    await first.signIn(technician.username, TECH_PASSWORD);
    const second = await openTab();
    await second.waitForWorkspace();

    const [session] = await sessionsOf(technician.username);
    await terminate(hub, admin, [session!.id], "Shift change.");
    await Promise.all(
      [first, second].map((tab) => tab.endNotice.getByText("Shift change.").waitFor()),
    );
  });

  it("signing out in one tab signs out every tab", async () => {
    const technician = await newTechnician(hub, admin, "named");
    const first = await openTab();
    await first.signIn(technician.username, TECH_PASSWORD);
    const second = await openTab();
    await second.waitForWorkspace();

    await first.page.getByRole("button", { name: "Sign out" }).click();
    await Promise.all([first, second].map((tab) => tab.endNotice.getByText(EndMessage.logout).waitFor()));
    expect(await sessionsOf(technician.username)).toEqual([]);
  });
});
