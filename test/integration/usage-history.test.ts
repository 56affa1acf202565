import { afterEach, describe, expect, it } from "vitest";
import { api, createAccount, login, setLicense, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { manualClock } from "../support/manual-clock.ts";

let hub: TestHub;
afterEach(async () => {
  await hub.close();
});

const MINUTE = 60_000;
// A whole hour, so every bucket size lines up with it.
const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

describe("license usage history", () => {
  it("records the peak per bucket, carries the level through quiet buckets and counts refusals", async () => {
    const clock = manualClock();
    clock.freeze();
    clock.advance(T0 - clock.now());
    hub = await startTestHub({ clock });
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await setLicense(hub.url, admin.token, 5, 3);
    for (const name of ["a", "b", "c", "d"]) await createAccount(hub.url, admin.token, name, "concurrent");

    const a = await login(hub.url, "a", TECH_PASSWORD);
    const b = await login(hub.url, "b", TECH_PASSWORD);
    await login(hub.url, "c", TECH_PASSWORD);
    const refused = await api(hub.url, "POST", "/api/auth/login", { body: { username: "d", password: TECH_PASSWORD, app: "web" } });
    expect(refused.status).toBe(403);

    clock.advance(MINUTE); // minute 1: two leave; the bucket still peaked at the level it started with
    await api(hub.url, "POST", "/api/auth/logout", { token: a.token });
    await api(hub.url, "POST", "/api/auth/logout", { token: b.token });
    clock.advance(9 * MINUTE); // minutes 2..10: nothing happens

    const hour = await api(hub.url, "GET", "/api/license/history?type=concurrent&period=hour", { token: admin.token });
    expect(hour.status).toBe(200);
    expect(hour.body).toMatchObject({ type: "concurrent", period: "hour", bucketSeconds: 60, limit: 3 });
    const points: [number, number, number][] = hour.body.points;
    expect(points).toHaveLength(60);
    expect(points.at(-1)![0]).toBe(T0 + 10 * MINUTE);
    const at = (minute: number) => points.find(([t]) => t === T0 + minute * MINUTE)!;
    expect(at(-1)).toEqual([T0 - MINUTE, 0, 0]);
    expect(at(0)).toEqual([T0, 3, 1]);
    expect(at(1)).toEqual([T0 + MINUTE, 3, 0]);
    for (let minute = 2; minute <= 10; minute++) expect(at(minute)).toEqual([T0 + minute * MINUTE, 1, 0]);

    const day = await api(hub.url, "GET", "/api/license/history?type=concurrent&period=day", { token: admin.token });
    expect(day.body.bucketSeconds).toBe(900);
    expect(day.body.points).toHaveLength(96);
    expect(day.body.points.at(-1)).toEqual([T0, 3, 1]);

    const named = await api(hub.url, "GET", "/api/license/history?type=named&period=year", { token: admin.token });
    expect(named.body).toMatchObject({ bucketSeconds: 86_400, limit: 5 });
    expect(named.body.points).toHaveLength(365);
    expect(named.body.points.at(-1)[1]).toBe(1); // the admin's own session
  });
});
