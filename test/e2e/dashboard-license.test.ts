/**
 * The License Usage section in a real browser against a real hub: the table with N/A where the
 * license lacks a model, the near-limit and refused-logins banners, and the usage chart drawn
 * from recorded history with its CSV download.
 */
import { describe, expect, it } from "vitest";
import type { LicenseUsage, UsageRow } from "../../shared/types.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { parseCsv, useDashboardTestBed } from "./dashboard-page.ts";

const bed = useDashboardTestBed();

function usageAsText(row: UsageRow): string[] {
  return [row.licensed, row.used, row.available, row.accounts, row.connected].map((v) => (v === null ? "N/A" : String(v)));
}

async function readUsage(token: string): Promise<LicenseUsage> {
  return (await api<{ usage: LicenseUsage }>(bed.hub.url, "GET", "/api/license", { token })).body.usage;
}

describe("License Usage", () => {
  it("shows N/A for a model the license lacks, the right numbers for each, and the licensing model in words", async () => {
    const token = await bed.signInAdmin();
    await createAccount(bed.hub.url, token, "nick", "named");
    await createAccount(bed.hub.url, token, "cora", "concurrent");
    await createAccount(bed.hub.url, token, "cody", "concurrent");
    await login(bed.hub.url, "cora", TECH_PASSWORD, "web");

    const model = bed.dashboard.page.locator("#licensing-model");
    await setLicense(bed.hub.url, token, null, 5);
    await model.getByText("Concurrent Users", { exact: true }).waitFor();
    await bed.dashboard.usageCell("Concurrent", "Used").getByText("1", { exact: true }).waitFor();
    let table = await bed.dashboard.usageTable();
    // admin and nick are named accounts; admin's dashboard is connected; cora holds one seat.
    expect(table.named).toEqual(["N/A", "2", "N/A", "2", "1"]);
    expect(table.concurrent).toEqual(["5", "1", "4", "2", "1"]);
    let usage = await readUsage(token);
    expect(table).toEqual({ named: usageAsText(usage.named), concurrent: usageAsText(usage.concurrent) });

    await setLicense(bed.hub.url, token, 3, 4);
    await model.getByText("Named Users and Concurrent Users", { exact: true }).waitFor();
    await bed.dashboard.usageCell("Named", "Licensed").getByText("3", { exact: true }).waitFor();
    table = await bed.dashboard.usageTable();
    expect(table.named).toEqual(["3", "2", "1", "2", "1"]);
    expect(table.concurrent).toEqual(["4", "1", "3", "2", "1"]);
    usage = await readUsage(token);
    expect(table).toEqual({ named: usageAsText(usage.named), concurrent: usageAsText(usage.concurrent) });

    await setLicense(bed.hub.url, token, 3, null);
    await model.getByText("Named Users", { exact: true }).waitFor();
    await setLicense(bed.hub.url, token, null, null);
    await model.getByText(/^None/).waitFor();
    await bed.dashboard.usageCell("Named", "Licensed").getByText("N/A").waitFor();
    await bed.dashboard.usageCell("Concurrent", "Available").getByText("N/A").waitFor();
  });

  it("warns when concurrent Used reaches 90 % of Licensed, and when logins are refused", async () => {
    const token = await bed.signInAdmin();
    await setLicense(bed.hub.url, token, 5, 10);
    const names = Array.from({ length: 11 }, (_, i) => `seat${i + 1}`);
    for (const name of names) await createAccount(bed.hub.url, token, name, "concurrent");
    const nearLimit = bed.dashboard.page.locator("#near-limit-banner");
    const refusals = bed.dashboard.page.locator("#refusals-banner");

    for (const name of names.slice(0, 8)) await login(bed.hub.url, name, TECH_PASSWORD, "web");
    await bed.dashboard.usageCell("Concurrent", "Used").getByText("8", { exact: true }).waitFor();
    expect(await nearLimit.isHidden()).toBe(true);

    await login(bed.hub.url, "seat9", TECH_PASSWORD, "web");
    await nearLimit.getByText("9 of 10 concurrent sessions are in use (90 %)").waitFor();

    await login(bed.hub.url, "seat10", TECH_PASSWORD, "web");
    await nearLimit.getByText("10 of 10").waitFor();
    expect(await refusals.isHidden()).toBe(true);
    const refused = await api(bed.hub.url, "POST", "/api/auth/login", {
      body: { username: "seat11", password: TECH_PASSWORD, app: "web" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("LICENSE_LIMIT_REACHED");

    // A refusal changes no usage, so the banner is re-read on Refresh (or within 30 s).
    await bed.dashboard.page.getByRole("button", { name: "Refresh" }).click();
    await refusals.getByText("1 login of concurrent accounts refused").waitFor({ timeout: 10_000 });
    await bed.dashboard.screenshot("license-usage-banners");
  });
});

describe("usage chart", () => {
  it("draws every chart type and period from recorded history with the limit lines, and the CSV holds the drawn points", async () => {
    const token = await bed.signInAdmin();
    await setLicense(bed.hub.url, token, 5, 2);
    await createAccount(bed.hub.url, token, "nora", "named");
    for (const name of ["cal", "cid", "cyd"]) await createAccount(bed.hub.url, token, name, "concurrent");
    await login(bed.hub.url, "nora", TECH_PASSWORD, "web");
    await login(bed.hub.url, "cal", TECH_PASSWORD, "web");
    await login(bed.hub.url, "cid", TECH_PASSWORD, "mobile");
    const refused = await api(bed.hub.url, "POST", "/api/auth/login", {
      body: { username: "cyd", password: TECH_PASSWORD, app: "web" },
    });
    expect(refused.status).toBe(403);
    await bed.dashboard.usageCell("Concurrent", "Used").getByText("2", { exact: true }).waitFor();

    const chart = bed.dashboard.page.locator("#usage-chart");
    const legendValue = (label: string) =>
      chart.locator(".u-legend .u-series").filter({ hasText: label }).locator(".u-value").innerText();

    for (const kind of ["line", "bar", "area"]) {
      for (const type of ["named", "concurrent", "all"]) {
        for (const period of ["hour", "day", "week", "month", "year"]) {
          const histories = await bed.dashboard.showChart(kind, type, period);
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
          const { filename, text } = await bed.dashboard.downloadCsv();
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
    await bed.dashboard.showChart("bar", "all", "day");
    await bed.dashboard.screenshot("usage-chart-bar");
  });
});
