/**
 * Idle termination (issue 3; DESIGN.md, "Idle termination" and hard part 3). Arms a BullMQ job
 * when a concurrent session opens, answers `session:keep` in Redis alone, applies a settings
 * change to the sessions already open, and every minute re-adds any job that went missing.
 * The decisions live in idle-policy.ts, the job runs in idle-worker.ts.
 */
import { createNodeRedisClient } from "bullmq";
import type { SessionPromptPayload } from "../../shared/events.ts";
import type { IdleSettings } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import type { HubServer } from "../realtime/io-types.ts";
import { connectRedis, type RedisClient } from "../redis/connection.ts";
import type { IdleControl } from "../services.ts";
import type { ActivityBuffer } from "../sessions/activity-buffer.ts";
import type { EndedSession, SessionEnder } from "../sessions/session-ender.ts";
import type { SessionRecord } from "../sessions/session-record.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import { dueAt, isWatched } from "./idle-policy.ts";
import { IdleQueue } from "./idle-queue.ts";
import { IdleSettingsStore } from "./idle-settings-store.ts";
import { IdleWorker } from "./idle-worker.ts";
import { createPromptNotifier, type PromptNotifier } from "./prompt-notifier.ts";
import { PromptState } from "./prompt-state.ts";

/** How often one node of the cluster looks for open sessions whose job went missing. */
const RECONCILE_MS = 60_000;
/** Sessions without a job read at once by the reconciliation. */
const RECONCILE_BATCH = 500;

export interface IdleEngineDeps {
  ctx: HubContext;
  sessions: SessionStore;
  ender: SessionEnder;
  activity: ActivityBuffer;
  io: HubServer;
  /** Told how late (ms) each prompt or expiry ran past its deadline, for /metrics. */
  onDeadline?: (latenessMs: number) => void;
}

export class IdleEngine implements IdleControl {
  private readonly settings: IdleSettingsStore;
  private readonly prompts: PromptState;
  private readonly notifier: PromptNotifier;
  private readonly worker: IdleWorker;
  private connection: RedisClient | null = null;
  private queue: IdleQueue | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: IdleEngineDeps) {
    const { ctx, sessions, ender, io } = deps;
    this.settings = new IdleSettingsStore(ctx);
    this.prompts = new PromptState(ctx);
    this.notifier = createPromptNotifier(io, ctx.clock);
    this.worker = new IdleWorker({
      ctx,
      sessions,
      ender,
      settings: this.settings,
      prompts: this.prompts,
      notifier: this.notifier,
      onDeadline: deps.onDeadline,
    });
  }

  /** Joins the cluster's idle queue with a worker, and starts watching sessions open and end. */
  async start(): Promise<void> {
    const { ctx, sessions, ender } = this.deps;
    // BullMQ gets its own client (with an offline queue: it retries by itself); its worker
    // duplicates it for the blocking fetch.
    this.connection = await connectRedis(ctx.options.redisUrl, ctx.logger, "idle-queue", { offlineQueue: true });
    const connection = createNodeRedisClient(this.connection);
    this.queue = new IdleQueue(ctx, connection);
    this.worker.start(connection);
    sessions.on("opened", this.onOpened);
    ender.on("ended", this.onEnded);
    await this.reconcile().catch((error: unknown) => this.warn(error, "idle reconcile failed"));
    this.reconcileTimer = setInterval(
      () => void this.reconcile().catch((error: unknown) => this.warn(error, "idle reconcile failed")),
      RECONCILE_MS,
    );
    this.reconcileTimer.unref();
  }

  /** The user's answer to a prompt. Redis only: activity and keep never touch the queue. */
  async keep(sessionId: string): Promise<boolean> {
    const outcome = await this.prompts.keep(sessionId);
    if (outcome === "resumed") {
      this.deps.ctx.logger.info({ sessionId }, "session kept");
      this.notifier.resumed(sessionId);
    }
    return outcome !== "gone";
  }

  /** The prompt a session is waiting to answer, for a socket that connects meanwhile. */
  pendingPrompt(sessionId: string): Promise<SessionPromptPayload | null> {
    return this.prompts.pending(sessionId);
  }

  /**
   * Applies saved settings to the sessions already open. On: every concurrent session's job is
   * due at its last activity + the timeout (at once for those already idle that long; a prompted
   * one keeps its deadline). Off: pending jobs are dropped and open prompts withdrawn.
   */
  async applySettings(settings: IdleSettings): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    if (settings.enabled) {
      const watched = (await this.deps.sessions.list()).filter(isWatched);
      await queue.armMany(watched.map((session) => ({ sessionId: session.id, at: dueAt(session, settings) })));
      return;
    }
    await queue.cancelAll();
    // A job that was running meanwhile finds the setting off and withdraws its own prompt too.
    const prompted = (await this.deps.sessions.list()).filter((s) => s.state === "prompted").map((s) => s.id);
    for (const sessionId of await this.prompts.resume(prompted)) this.notifier.resumed(sessionId);
  }

  /**
   * Re-adds the job of any watched session that has none: one whose open raced a settings change,
   * whose arm failed while Redis was away, or whose job BullMQ gave up on. One node per period.
   */
  async reconcile(): Promise<number> {
    const { ctx, sessions } = this.deps;
    const queue = this.queue;
    if (!queue) return 0;
    const settings = await this.settings.get();
    if (!settings.enabled) return 0;
    const lock = await ctx.redis.set(ctx.keys.idleReconcileLock, ctx.options.nodeId, {
      NX: true,
      PX: RECONCILE_MS - 1000,
    });
    if (lock === null) return 0;
    // Job existence first (cheap, batched), then only the sessions without one are read, a batch
    // at a time: reading every open session at once held the event loop for a third of a second
    // at 100,000 sessions, and expiries due meanwhile waited.
    const missing = await queue.findMissing(await sessions.ids());
    let added = 0;
    for (let i = 0; i < missing.length; i += RECONCILE_BATCH) {
      const records = await Promise.all(missing.slice(i, i + RECONCILE_BATCH).map((id) => sessions.get(id)));
      const entries = records
        .filter((session): session is SessionRecord => session !== null && isWatched(session))
        .map((session) => ({ sessionId: session.id, at: dueAt(session, settings) }));
      await queue.armMany(entries);
      added += entries.length;
    }
    if (added > 0) ctx.logger.info({ sessions: added }, "idle jobs re-added");
    return added;
  }

  private readonly onOpened = (session: SessionRecord): void => {
    if (!isWatched(session)) return;
    void this.armOpened(session).catch((error: unknown) => this.warn(error, "could not arm idle job", session.id));
  };

  private async armOpened(session: SessionRecord): Promise<void> {
    const settings = await this.settings.get();
    if (settings.enabled) await this.queue?.add(session.id, dueAt(session, settings));
  }

  /** Drops the job of a session that ended otherwise; an expiry's own job is finishing anyway. */
  private readonly onEnded = ({ sessionId, reason, licenseType }: EndedSession): void => {
    if (licenseType !== "concurrent" || reason === "expired") return;
    void this.queue?.remove(sessionId).catch((error: unknown) => this.warn(error, "could not drop idle job", sessionId));
  };

  private warn(error: unknown, message: string, sessionId?: string): void {
    this.deps.ctx.logger.warn({ sessionId, err: (error as Error).message }, message);
  }

  /** True while the engine's own Redis connection is up (part of the node's readiness). */
  redisReady(): boolean {
    return this.connection?.isReady ?? false;
  }

  /** Lets running jobs finish, then leaves the queue. Call before the hub closes its Redis clients. */
  async close(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = null;
    this.deps.sessions.off("opened", this.onOpened);
    this.deps.ender.off("ended", this.onEnded);
    await this.worker.close();
    await this.queue?.close();
    this.queue = null;
    await this.connection?.close().catch(() => this.connection?.destroy());
    this.connection = null;
  }
}
