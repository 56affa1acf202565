/**
 * Read-only look at the idle queue for /metrics, through BullMQ's own API on the hub's main Redis
 * client: jobs per state, and how overdue the most overdue job is (a delayed job past its due
 * time, or a waiting one no worker has taken). The idle engine owns the queue; this only reads it.
 */
import { createNodeRedisClient, Queue } from "bullmq";
import type { HubContext } from "../context.ts";
import { IDLE_QUEUE_NAME } from "../idle/idle-queue.ts";
const STATES = ["waiting", "delayed", "active", "prioritized", "failed"] as const;

export interface IdleQueueStats {
  jobs: Record<(typeof STATES)[number], number>;
  /** Seconds the most overdue job is past its due time; 0 when none is. */
  overdueSeconds: number;
}

export class IdleQueueReader {
  private queue: Queue | null = null;

  constructor(private readonly ctx: HubContext) {}

  async read(): Promise<IdleQueueStats> {
    if (!this.queue) {
      this.queue = new Queue(IDLE_QUEUE_NAME, {
        connection: createNodeRedisClient(this.ctx.redis),
        prefix: this.ctx.keys.bullPrefix,
      });
      // Read failures reach the scrape as rejections; the queue's own error events need no handling.
      this.queue.on("error", () => undefined);
    }
    const counts = await this.queue.getJobCounts(...STATES);
    const jobs = Object.fromEntries(STATES.map((state) => [state, counts[state] ?? 0])) as IdleQueueStats["jobs"];
    const [firstDelayed] = await this.queue.getJobs(["delayed"], 0, 0, true);
    const [oldestWaiting] = await this.queue.getJobs(["waiting"], 0, 0, true);
    const now = this.ctx.clock.now();
    const overdue = [firstDelayed, oldestWaiting]
      .filter((job) => job !== undefined)
      .map((job) => now - (job.timestamp + (job.delay ?? 0)));
    return { jobs, overdueSeconds: Math.max(0, ...overdue) / 1000 };
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.queue = null;
  }
}
