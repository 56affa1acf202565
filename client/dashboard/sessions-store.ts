/**
 * The dashboard's copy of the hub's state: open sessions, license usage and idle settings, kept
 * in step with `/admin` snapshots and deltas by sequence number (DESIGN.md, hard part 6).
 *
 * Deltas are applied idempotently (started/updated are upserts, ended removes), deltas already
 * covered (`seq <= lastSeq`) are dropped, and a gap (`fromSeq > lastSeq + 1`) asks for a
 * resync. While a snapshot is awaited, deltas are held and replayed on top of it.
 */
import type { SessionsDelta, SessionsSnapshot } from "../../shared/events.ts";
import type { IdleSettings, LicenseUsage, Session } from "../../shared/types.ts";

export type StoreChange = "sessions" | "usage" | "settings";

type Listener = (changes: ReadonlySet<StoreChange>) => void;

export class SessionsStore {
  readonly sessions = new Map<string, Session>();
  usage: LicenseUsage | null = null;
  settings: IdleSettings | null = null;
  /** The last change this copy includes; `null` until the first snapshot. */
  lastSeq: number | null = null;
  /** serverNow − Date.now() at the last receipt: add it to Date.now() to get the hub's time. */
  clockOffset = 0;

  private readonly listeners = new Set<Listener>();
  private awaitingSnapshot = true;
  private held: SessionsDelta[] = [];
  /**
   * Ids ended since the last snapshot. A late `updated` (an activity flush racing the end on
   * another node) must not bring a row back, so updates for these ids are dropped.
   */
  private readonly endedIds = new Set<string>();

  /** Called when a gap is seen; the owner fetches a snapshot and calls `applySnapshot`. */
  onGap: (() => void) | null = null;

  /** The hub's current time, corrected for this browser's clock skew. */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks that a snapshot was asked for: deltas are held until it comes. */
  expectSnapshot(): void {
    this.awaitingSnapshot = true;
  }

  applySnapshot(snapshot: SessionsSnapshot): void {
    this.clockOffset = snapshot.serverNow - Date.now();
    this.sessions.clear();
    this.endedIds.clear();
    for (const session of snapshot.sessions) this.sessions.set(session.id, session);
    this.usage = snapshot.usage;
    this.settings = snapshot.settings;
    this.lastSeq = snapshot.seq;
    this.awaitingSnapshot = false;
    const changes = new Set<StoreChange>(["sessions", "usage", "settings"]);
    const held = this.held;
    this.held = [];
    for (const delta of held) this.applyDeltaInto(delta, changes);
    this.emit(changes);
  }

  /** Replaces the sessions from `GET /api/sessions` (used when the socket is down). */
  applySessionList(seq: number, sessions: Session[]): void {
    if (this.lastSeq !== null && seq < this.lastSeq) return;
    this.sessions.clear();
    for (const session of sessions) this.sessions.set(session.id, session);
    this.lastSeq = seq;
    this.emit(new Set(["sessions"]));
  }

  applyDelta(delta: SessionsDelta): void {
    if (this.awaitingSnapshot) {
      this.held.push(delta);
      return;
    }
    const changes = new Set<StoreChange>();
    this.applyDeltaInto(delta, changes);
    if (changes.size > 0) this.emit(changes);
  }

  applySettings(settings: IdleSettings): void {
    this.settings = settings;
    this.emit(new Set(["settings"]));
  }

  /** Forgets everything, e.g. on sign-out. */
  reset(): void {
    this.sessions.clear();
    this.usage = null;
    this.settings = null;
    this.lastSeq = null;
    this.awaitingSnapshot = true;
    this.held = [];
    this.endedIds.clear();
  }

  private applyDeltaInto(delta: SessionsDelta, changes: Set<StoreChange>): void {
    const lastSeq = this.lastSeq ?? 0;
    if (delta.seq <= lastSeq) return;
    if (delta.fromSeq > lastSeq + 1) {
      this.awaitingSnapshot = true;
      this.held.push(delta);
      this.onGap?.();
      return;
    }
    this.clockOffset = delta.serverNow - Date.now();
    for (const session of delta.started) this.sessions.set(session.id, session);
    for (const session of delta.updated) {
      if (!this.endedIds.has(session.id)) this.sessions.set(session.id, session);
    }
    for (const ended of delta.ended) {
      this.sessions.delete(ended.id);
      this.endedIds.add(ended.id);
    }
    if (delta.started.length || delta.updated.length || delta.ended.length) changes.add("sessions");
    if (delta.usage) {
      this.usage = delta.usage;
      changes.add("usage");
    }
    this.lastSeq = delta.seq;
  }

  private emit(changes: ReadonlySet<StoreChange>): void {
    for (const listener of this.listeners) listener(changes);
  }
}
