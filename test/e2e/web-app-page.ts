/**
 * The demo Web App as the browser tests drive it: sign-in, the ticket form, the keep-session
 * dialog and the end notice, found by their labels and roles as a technician would find them.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { ARTIFACTS_DIR } from "./dashboard-page.ts";

export class WebAppPage {
  private constructor(readonly page: Page) {}

  /** Opens /app/ in a new tab of `context` (tabs of one context share localStorage, like a browser's). */
  static async open(context: BrowserContext, baseUrl: string): Promise<WebAppPage> {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/app/`);
    return new WebAppPage(page);
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await this.waitForWorkspace();
  }

  /** Waits until the workspace shows and the session socket is connected. */
  async waitForWorkspace(): Promise<void> {
    await this.workspace.waitFor();
    await this.page.locator("#connection-state[data-state='connected']").waitFor();
  }

  get workspace(): Locator {
    return this.page.getByTestId("workspace-view");
  }

  get signInView(): Locator {
    return this.page.getByTestId("sign-in-view");
  }

  get notes(): Locator {
    return this.page.getByLabel("Ticket notes");
  }

  get keepDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Are you still there?" });
  }

  get endNotice(): Locator {
    return this.page.getByTestId("end-notice");
  }

  /** The token this browser stored for the shared sign-in. */
  storedToken(): Promise<string | null> {
    return this.page.evaluate(() => localStorage.getItem("session-hub.app.token"));
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
  }
}
