/**
 * The dashboard is itself a Web App session: an idle concurrent admin is prompted to keep it
 * like any Web App user, and signed out with the reason when the prompt goes unanswered.
 */
import { describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { useDashboardTestBed } from "./dashboard-page.ts";

const bed = useDashboardTestBed();

describe("the dashboard's own session", () => {
  it("an idle concurrent admin is prompted to keep the session, can keep it, and is signed out with the reason when not answering", async () => {
    const admin = await login(bed.hub.url, bed.hub.adminUsername, bed.hub.adminPassword);
    await createAccount(bed.hub.url, admin.token, "cadmin", "concurrent", "admin");
    // A 3-second timeout (the test hub's floor is 1 s) and a 3-second prompt window.
    await api(bed.hub.url, "PUT", "/api/settings/idle-termination", {
      token: admin.token,
      body: { enabled: true, timeoutMinutes: 0.05, promptSeconds: 3 },
    });

    await bed.dashboard.signIn("cadmin", TECH_PASSWORD);
    const prompt = bed.dashboard.page.getByRole("dialog", { name: "Keep your session?" });
    await prompt.waitFor({ timeout: 15_000 });
    await prompt.getByRole("button", { name: "Keep session" }).click();
    await prompt.waitFor({ state: "hidden" });

    // Not answering the next prompt ends the session; the sign-in page says why.
    await prompt.waitFor({ timeout: 15_000 });
    await bed.dashboard.page.locator("#sign-in-notice").getByText("expired due to inactivity").waitFor({ timeout: 15_000 });
    expect(await bed.dashboard.page.locator("#dashboard-view").isHidden()).toBe(true);
  });

});
