/**
 * The dashboard as the browser tests drive it: launching the system Chromium, signing in, and
 * reading the page the way an admin would (by labels, roles and the table's rows), so the tests
 * read like the product's rules.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { LicenseHistory } from "../../shared/types.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets } from "../support/sockets.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
export const ARTIFACTS_DIR = join(ROOT, "test-artifacts");

/** The system Chromium with the flags this machine needs (Playwright's download does not work here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export class DashboardPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(browser: Browser, baseUrl: string): Promise<DashboardPage> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(baseUrl);
    return new DashboardPage(context, page, baseUrl);
  }

  close(): Promise<void> {
    return this.context.close();
  }

  /** Fills the sign-in form and submits it. */
  async submitSignIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in and waits until the dashboard is live (both channels up, first snapshot shown). */
  async signIn(username: string, password: string): Promise<void> {
    await this.submitSignIn(username, password);
    await this.waitUntilLive();
  }

  async waitUntilLive(): Promise<void> {
    await this.page.locator("#connection-status[data-status='live']").waitFor();
    await this.page.locator("#licensing-model").filter({ hasNotText: "—" }).waitFor();
  }

  /** The dashboard's own token, as a test needs it to call the admin API as this admin. */
  async token(): Promise<string> {
    const token = await this.page.evaluate(() => sessionStorage.getItem("session-hub.dashboard.token"));
    if (!token) throw new Error("the dashboard holds no token");
    return token;
  }

  /** The Logged Users row of a session. */
  row(sessionId: string): Locator {
    return this.page.locator(`#logged-users-body tr[data-session-id="${sessionId}"]`);
  }

  /** A cell of the License Usage table, e.g. `usageCell("Concurrent", "Used")`. */
  usageCell(row: "Named" | "Concurrent", column: "Licensed" | "Used" | "Available" | "Accounts" | "Connected"): Locator {
    return this.page.locator(`#usage-${row.toLowerCase()}-${column.toLowerCase()}`);
  }

  /** The License Usage table as text, row by row. */
  async usageTable(): Promise<Record<"named" | "concurrent", string[]>> {
    const read = (row: "Named" | "Concurrent") =>
      Promise.all((["Licensed", "Used", "Available", "Accounts", "Connected"] as const).map((c) => this.usageCell(row, c).innerText()));
    return { named: await read("Named"), concurrent: await read("Concurrent") };
  }

  /** Sets the chart's selectors and resolves with the history the page fetched for them. */
  async showChart(kind: string, licenseType: string, period: string): Promise<LicenseHistory[]> {
    const page = this.page;
    const expected = licenseType === "all" ? 2 : 1;
    const histories: LicenseHistory[] = [];
    const done = new Promise<void>((resolve) => {
      const onResponse = async (response: import("playwright-core").Response) => {
        const url = new URL(response.url());
        if (url.pathname !== "/api/license/history" || url.searchParams.get("period") !== period) return;
        if (licenseType !== "all" && url.searchParams.get("type") !== licenseType) return;
        histories.push((await response.json()) as LicenseHistory);
        if (histories.length === expected) {
          page.off("response", onResponse);
          resolve();
        }
      };
      page.on("response", onResponse);
    });
    const chart = page.locator("#usage-chart");
    const current = {
      kind: await page.locator("#chart-kind").inputValue(),
      type: await page.locator("#chart-license-type").inputValue(),
      period: await page.locator("#chart-period").inputValue(),
    };
    await page.getByLabel("Chart type").selectOption(kind);
    await page.getByLabel("License type").selectOption(licenseType);
    await page.getByLabel("Period").selectOption(period);
    if (current.kind === kind && current.type === licenseType && current.period === period) {
      // Nothing changed, so nothing is fetched: reload by choosing the same kind again.
      await page.locator("#chart-kind").dispatchEvent("change");
    }
    await done;
    await chart.and(page.locator(`[data-state="ready"][data-kind="${kind}"]`)).waitFor();
    return histories.sort((a, b) => (a.type < b.type ? 1 : -1));
  }

  /** Clicks "Download CSV" and returns the file's text. */
  async downloadCsv(): Promise<{ filename: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const path = await download.path();
    return { filename: download.suggestedFilename(), text: readFileSync(path, "utf8") };
  }

  /**
   * Writes a full-page screenshot to test-artifacts/. With `docsCopy` it also goes into docs/
   * when that file is missing or UPDATE_SCREENSHOTS=1, so a plain test run leaves the committed
   * picture (and the git tree) alone.
   */
  async screenshot(name: string, docsCopy?: string): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    if (docsCopy) {
      const target = join(ROOT, "docs", docsCopy);
      if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(target)) {
        mkdirSync(join(ROOT, "docs"), { recursive: true });
        copyFileSync(path, target);
      }
    }
    return path;
  }
}

/** Parses the dashboard's CSV (no quoted fields in its numeric rows) into header and rows. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [head = "", ...lines] = text.trimEnd().split("\n");
  return { header: head.split(","), rows: lines.map((line) => line.split(",")) };
}

/** What each test of a dashboard file gets: a fresh hub and a dashboard page open on it. */
export interface DashboardTestBed {
  hub: TestHub;
  dashboard: DashboardPage;
  /** Signs the admin in on the page and returns the page's own token. */
  signInAdmin(): Promise<string>;
}

/**
 * Registers the hooks of a dashboard test file: one Chromium per file, and per test a hub with a
 * fresh key prefix and a new browser context, closed afterwards with a screenshot of the page as
 * it ended. A test may replace `bed.hub` (say, to restart it); the replacement is closed.
 */
export function useDashboardTestBed(hubOptions: Parameters<typeof startTestHub>[0] = {}): DashboardTestBed {
  let browser: Browser;
  const bed = {
    async signInAdmin(): Promise<string> {
      await bed.dashboard.signIn(bed.hub.adminUsername, bed.hub.adminPassword);
      return bed.dashboard.token();
    },
  } as DashboardTestBed;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    // Cleared first, so a hub that fails to start leaves nothing of the last test to close.
    const state = bed as Partial<DashboardTestBed>;
    state.hub = undefined;
    state.dashboard = undefined;
    bed.hub = await startTestHub(hubOptions);
    bed.dashboard = await DashboardPage.open(browser, bed.hub.url);
  });
  afterEach(async (context) => {
    const { hub, dashboard } = bed as Partial<DashboardTestBed>;
    const name = context.task.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 80);
    await dashboard?.screenshot(`dashboard-${name}`).catch(() => undefined);
    closeAllSockets();
    await dashboard?.close();
    await hub?.close();
  });
  return bed;
}
