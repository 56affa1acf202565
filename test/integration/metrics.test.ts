import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectAdmin, connectClient } from "../support/sockets.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  closeAllSockets();
  await hub.close();
});

/** The value of one series of the scrape, e.g. `hub_logins_total{result="ok"}`. */
function value(scrape: string, series: string): number {
  const line = scrape.split("\n").find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series} in the scrape`);
  return Number(line.slice(series.length + 1));
}

describe("/metrics", () => {
  it("Prometheus can scrape sessions, seats, logins, endings, the idle queue, sockets and event-loop lag", async () => {
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "vera", "concurrent");
    const vera = await login(hub.url, "vera", TECH_PASSWORD, "mobile");
    await api(hub.url, "POST", "/api/auth/login", { body: { username: "vera", password: "wrong-password", app: "web" } });
    await connectClient(hub.url, vera.token);
    await connectAdmin(hub.url, admin.token);
    const dropped = await login(hub.url, "vera", TECH_PASSWORD, "web");
    await api(hub.url, "POST", "/api/auth/logout", { token: dropped.token });

    const response = await fetch(`${hub.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = await response.text();
    expect(value(scrape, 'hub_open_sessions{license_type="concurrent",app="mobile"}')).toBe(1);
    expect(value(scrape, 'hub_open_sessions{license_type="named",app="web"}')).toBe(1);
    expect(value(scrape, 'hub_seats_used{license_type="concurrent"}')).toBe(1);
    expect(value(scrape, 'hub_seats_licensed{license_type="concurrent"}')).toBe(10);
    expect(value(scrape, 'hub_seats_licensed{license_type="named"}')).toBe(5);
    expect(value(scrape, 'hub_logins_total{result="ok"}')).toBe(3);
    expect(value(scrape, 'hub_logins_total{result="failed"}')).toBe(1);
    expect(value(scrape, 'hub_logins_total{result="refused"}')).toBe(0);
    expect(value(scrape, 'hub_session_endings_total{reason="logout"}')).toBe(1);
    expect(value(scrape, 'hub_sockets{namespace="/"}')).toBe(1);
    expect(value(scrape, 'hub_sockets{namespace="/admin"}')).toBe(1);
    expect(value(scrape, 'hub_idle_queue_jobs{state="delayed"}')).toBeGreaterThanOrEqual(0);
    expect(value(scrape, "hub_idle_queue_overdue_seconds")).toBeGreaterThanOrEqual(0);
    expect(scrape).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(scrape).toMatch(/^nodejs_eventloop_lag_p99_seconds\{node="[0-9a-f]+"\} \d/m);
    expect(scrape).toMatch(/^# TYPE hub_idle_job_lateness_seconds histogram$/m);
  });

  it("/readyz answers 200 while Redis answers", async () => {
    expect((await api(hub.url, "GET", "/readyz")).status).toBe(200);
  });
});
