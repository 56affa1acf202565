/**
 * The dashboard's copy of the hub's sessions follows sequence numbers: deltas are idempotent,
 * old ones are dropped, a gap asks for a snapshot, and deltas wait while a snapshot is awaited.
 */
import { describe, expect, it } from "vitest";
import type { SessionsDelta, SessionsSnapshot } from "../../shared/events.ts";
import type { LicenseUsage, Session } from "../../shared/types.ts";
import { SessionsStore } from "../../client/dashboard/sessions-store.ts";

const usage: LicenseUsage = {
  named: { licensed: 5, used: 1, available: 4, accounts: 1, connected: 1 },
  concurrent: { licensed: 10, used: 0, available: 10, accounts: 0, connected: 0 },
};

function session(id: string, lastActivityAt = 1000): Session {
  return {
    id,
    accountId: `a-${id}`,
    username: id,
    displayName: id,
    licenseType: "concurrent",
    app: "web",
    device: null,
    ip: "127.0.0.1",
    startedAt: 1000,
    lastActivityAt,
    connected: true,
    state: "active",
  };
}

function snapshot(seq: number, sessions: Session[]): SessionsSnapshot {
  return { seq, sessions, usage, settings: { enabled: false, timeoutMinutes: 30, promptSeconds: 60 }, serverNow: Date.now() };
}

function delta(fromSeq: number, seq: number, changes: Partial<Pick<SessionsDelta, "started" | "updated" | "ended">>): SessionsDelta {
  return { fromSeq, seq, started: [], updated: [], ended: [], serverNow: Date.now(), ...changes };
}

function ids(store: SessionsStore): string[] {
  return [...store.sessions.keys()].sort();
}

describe("the dashboard's sessions store", () => {
  it("applies started, updated and ended as upserts and removals, and the same delta twice changes nothing", () => {
    const store = new SessionsStore();
    store.applySnapshot(snapshot(10, [session("a")]));
    const d = delta(11, 12, { started: [session("b")], updated: [session("a", 5000)] });
    store.applyDelta(d);
    store.applyDelta(d);
    expect(ids(store)).toEqual(["a", "b"]);
    expect(store.sessions.get("a")?.lastActivityAt).toBe(5000);
    store.applyDelta(delta(13, 13, { ended: [{ id: "a", reason: "terminated" }] }));
    expect(ids(store)).toEqual(["b"]);
    expect(store.lastSeq).toBe(13);
  });

  it("drops deltas the snapshot already holds", () => {
    const store = new SessionsStore();
    store.applySnapshot(snapshot(20, [session("a")]));
    store.applyDelta(delta(19, 20, { ended: [{ id: "a", reason: "logout" }] }));
    expect(ids(store)).toEqual(["a"]);
  });

  it("asks for a snapshot on a gap and replays the held deltas on top of it", () => {
    const store = new SessionsStore();
    let gaps = 0;
    store.onGap = () => gaps++;
    store.applySnapshot(snapshot(5, [session("a")]));
    store.applyDelta(delta(8, 9, { started: [session("c")] }));
    expect(gaps).toBe(1);
    expect(ids(store)).toEqual(["a"]);
    // While the snapshot is awaited, later deltas wait too.
    store.applyDelta(delta(10, 10, { started: [session("d")] }));
    store.applySnapshot(snapshot(8, [session("a"), session("b")]));
    expect(ids(store)).toEqual(["a", "b", "c", "d"]);
    expect(store.lastSeq).toBe(10);
  });

  it("does not bring back a session through a late update after it ended", () => {
    const store = new SessionsStore();
    store.applySnapshot(snapshot(1, [session("a")]));
    store.applyDelta(delta(2, 2, { ended: [{ id: "a", reason: "terminated" }] }));
    store.applyDelta(delta(3, 3, { updated: [session("a", 9000)] }));
    expect(ids(store)).toEqual([]);
  });

  it("keeps the hub's clock: now() is corrected by serverNow at receipt", () => {
    const store = new SessionsStore();
    store.applySnapshot({ ...snapshot(1, []), serverNow: Date.now() + 60_000 });
    expect(store.now() - Date.now()).toBeGreaterThan(59_000);
    expect(store.now() - Date.now()).toBeLessThan(61_000);
  });
});
