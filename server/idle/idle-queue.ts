/**
 * The cluster's idle queue (DESIGN.md, hard part 3): one BullMQ delayed job per watched session,
 * id `idle-<sessionId>`, due when the session would be idle for the whole timeout. Every node
 * shares the queue. Only settings changes, session starts and ends, and the job itself move a
 * job; activity never does.
 */
import { Queue, type ConnectionOptions } from "bullmq";
import type { Clock } from "../clock.ts";
import type { HubContext } from "../context.ts";

export const IDLE_QUEUE_NAME = "idle";
export const IDLE_JOB_NAME = "idle-check";

/** What an idle job carries. */
export interface IdleJobData {
  sessionId: string;
}

/** A session's job id. BullMQ job ids cannot hold ':', and session ids are hex. */
export const idleJobId = (sessionId: string) => `idle-${sessionId}`;

/** A session's job and when it is due, on the hub's clock. */
export interface ArmEntry {
  sessionId: string;
  at: number;
}

/** How many sessions one batch of `armMany` / `findMissing` sends at once (pipelined). */
const BATCH = 500;

/**
 * Jobs are retried "forever" with a capped backoff: a step fails only when Redis does, and a
 * dropped job would leave its session unwatched (the reconciler would re-add it, but later).
 */
export const RETRY_ATTEMPTS = 1_000_000;
export const RETRY_BACKOFF_TYPE = "idle-capped";
export function retryBackoffMs(attemptsMade: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(attemptsMade, 16));
}

/** Milliseconds from now until `at` on the hub's clock; BullMQ delays run on the wall clock. */
export function delayUntil(clock: Clock, at: number): number {
  return Math.max(0, Math.round(at - clock.now()));
}

export class IdleQueue {
  private readonly queue: Queue<IdleJobData, void, typeof IDLE_JOB_NAME>;

  constructor(
    private readonly ctx: HubContext,
    connection: ConnectionOptions,
  ) {
    this.queue = new Queue(IDLE_QUEUE_NAME, {
      connection,
      prefix: ctx.keys.bullPrefix,
      defaultJobOptions: {
        // A finished job must vanish, or its fixed id would block the next add for the session.
        removeOnComplete: true,
        removeOnFail: true,
        attempts: RETRY_ATTEMPTS,
        backoff: { type: RETRY_BACKOFF_TYPE },
      },
      streams: { events: { maxLen: 1000 } },
    });
    this.queue.on("error", (error) => {
      ctx.logger.warn({ err: error.message }, "idle queue error");
    });
  }

  /** The Redis key of a session's job hash (for cheap existence checks). */
  jobKey(sessionId: string): string {
    return `${this.ctx.keys.bullPrefix}:${IDLE_QUEUE_NAME}:${idleJobId(sessionId)}`;
  }

  /** Adds a session's job, due at `at`; a no-op when the session already has one. */
  async add(sessionId: string, at: number): Promise<void> {
    await this.queue.add(
      IDLE_JOB_NAME,
      { sessionId },
      { jobId: idleJobId(sessionId), delay: delayUntil(this.ctx.clock, at) },
    );
  }

  /**
   * Makes each session's job due at its time: a delayed job is moved, a missing one added.
   * A job that is waiting or running is left alone: it re-reads the session and the setting
   * when it runs, and schedules itself from what it reads.
   */
  async armMany(entries: ArmEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      // Commands issued together go out in one pipeline on node-redis.
      await Promise.all(entries.slice(i, i + BATCH).map((entry) => this.arm(entry)));
    }
  }

  private async arm({ sessionId, at }: ArmEntry): Promise<void> {
    const job = await this.queue.getJob(idleJobId(sessionId));
    if (job) {
      try {
        await job.changeDelay(delayUntil(this.ctx.clock, at));
        return;
      } catch {
        // Not delayed (waiting or running: it reschedules itself) or gone meanwhile (re-added).
      }
    }
    await this.add(sessionId, at);
  }

  /** The sessions among `sessionIds` that have no job at all. */
  async findMissing(sessionIds: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < sessionIds.length; i += BATCH) {
      const batch = sessionIds.slice(i, i + BATCH);
      const exists = await Promise.all(batch.map((id) => this.ctx.redis.exists(this.jobKey(id))));
      batch.forEach((id, k) => {
        if (exists[k] === 0) missing.push(id);
      });
    }
    return missing;
  }

  /** Removes a session's job unless it is running (a running job finds the session gone). */
  async remove(sessionId: string): Promise<void> {
    await this.queue.remove(idleJobId(sessionId));
  }

  /** Removes every waiting and delayed job, in one script call. Running jobs finish by themselves. */
  async cancelAll(): Promise<void> {
    await this.queue.drain(true);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
