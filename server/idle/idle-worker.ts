/**
 * Runs the idle jobs. Every node runs a worker on the shared queue; whichever picks a job up
 * re-reads the session and the setting from Redis, decides with the rules in idle-policy.ts, and
 * either finishes the job or moves it back to delayed for its next check. Jobs are at-least-once,
 * so every step is idempotent: the prompt and resume scripts check the state they change, and
 * ending an ended session is a no-op.
 */
import { DelayedError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { HubContext } from "../context.ts";
import type { SessionEnder } from "../sessions/session-ender.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { IdleSettingsStore } from "./idle-settings-store.ts";
import { decideIdleStep, dueAt, promptMs, timeoutMs } from "./idle-policy.ts";
import { delayUntil, IDLE_QUEUE_NAME, retryBackoffMs, type IdleJobData } from "./idle-queue.ts";
import type { PromptNotifier } from "./prompt-notifier.ts";
import type { PromptState } from "./prompt-state.ts";

/** Jobs one node runs at once; a step is a few Redis round trips. */
const CONCURRENCY = 50;
/**
 * A worker that dies mid-job loses its lock after `idleJobLockMs` (15 s by default); the stalled
 * check (every third of that, on every node) then hands the job to another worker. A step takes
 * milliseconds, so a short lock costs only its renewals. Steps are idempotent, so a job may stall
 * many times before BullMQ gives up on it (and the reconciler re-adds it even then).
 */
const MAX_STALLED = 20;
/** A reminder of an open prompt is sent only while there is time left to answer it. */
const MIN_REMIND_MS = 1000;

export interface IdleWorkerDeps {
  ctx: HubContext;
  sessions: SessionStore;
  ender: SessionEnder;
  settings: IdleSettingsStore;
  prompts: PromptState;
  notifier: PromptNotifier;
  /** Told how late (ms) a job ran past the deadline it acts on (a prompt or an expiry). */
  onDeadline?: (latenessMs: number) => void;
}

export class IdleWorker {
  private worker: Worker<IdleJobData, void> | null = null;

  constructor(private readonly deps: IdleWorkerDeps) {}

  start(connection: ConnectionOptions): void {
    const { ctx } = this.deps;
    this.worker = new Worker<IdleJobData, void>(IDLE_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix: ctx.keys.bullPrefix,
      concurrency: CONCURRENCY,
      lockDuration: ctx.options.idleJobLockMs,
      stalledInterval: Math.max(100, Math.round(ctx.options.idleJobLockMs / 3)),
      maxStalledCount: MAX_STALLED,
      settings: { backoffStrategy: (attemptsMade: number) => retryBackoffMs(attemptsMade) },
    });
    this.worker.on("error", (error) => ctx.logger.warn({ err: error.message }, "idle worker error"));
    this.worker.on("failed", (job, error) => {
      if (error instanceof DelayedError) return;
      ctx.logger.warn({ sessionId: job?.data.sessionId, err: error.message }, "idle check failed; will retry");
    });
  }

  private async process(job: Job<IdleJobData, void>, token?: string): Promise<void> {
    const next = await this.step(job.data.sessionId);
    if (next === null) return;
    await job.moveToDelayed(Date.now() + delayUntil(this.deps.ctx.clock, next), token);
    throw new DelayedError();
  }

  /**
   * One check of a session: does what the rules say now and returns when to check next (epoch ms
   * on the hub's clock), or null when the session needs no more checks.
   */
  async step(sessionId: string): Promise<number | null> {
    const { ctx, sessions, ender, settings: settingsStore, prompts, notifier } = this.deps;
    const [session, settings] = await Promise.all([sessions.get(sessionId), settingsStore.get()]);
    const now = ctx.clock.now();
    const step = decideIdleStep(session, settings, now);
    switch (step.kind) {
      case "none":
        return null;
      case "wait":
        return step.at;
      case "remind":
        // Covers a run that prompted in Redis but died before the emit; same deadline as before.
        if (step.respondBy - now >= MIN_REMIND_MS) notifier.prompt(sessionId, step.respondBy);
        return step.respondBy;
      case "prompt": {
        this.deps.onDeadline?.(now - dueAt(session!, settings));
        const outcome = await prompts.prompt(sessionId, timeoutMs(settings), promptMs(settings));
        switch (outcome.kind) {
          case "prompted":
            ctx.logger.info({ sessionId, respondBy: outcome.respondBy }, "session prompted to keep");
            notifier.prompt(sessionId, outcome.respondBy);
            return outcome.respondBy;
          case "already":
            return outcome.respondBy;
          case "active":
            return outcome.lastActivityAt + timeoutMs(settings);
          case "skip":
            return null;
        }
        return null;
      }
      case "expire": {
        // The user may answer between this decision and the end: then the answer wins.
        const actedAfter = session!.state === "prompted" ? session!.promptedAt ?? 0 : session!.lastActivityAt;
        this.deps.onDeadline?.(now - dueAt(session!, settings));
        if (await ender.end(sessionId, "expired", { unlessActiveAfter: actedAfter })) return null;
        return (await sessions.get(sessionId)) ? now : null;
      }
      case "resume": {
        const resumed = await prompts.resume([sessionId]);
        if (resumed.length > 0) notifier.resumed(sessionId);
        return step.nextAt;
      }
    }
  }

  /** Waits for running jobs, then closes the worker's own connections. */
  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
  }
}
