/**
 * Activity is a flood (DESIGN.md, hard part 2): each node keeps the last activity time per session
 * in memory and writes them in one script call every `activityFlushMs`, so a session costs at
 * most one Redis write per flush however many events it sends.
 */
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";

const PAIRS_PER_CALL = 500;

export class ActivityBuffer {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: HubContext) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.ctx.options.activityFlushMs);
    this.timer.unref();
  }

  /** Notes that the user of a session did something now. */
  record(sessionId: string, at = this.ctx.clock.now()): void {
    const seen = this.pending.get(sessionId);
    if (seen === undefined || at > seen) this.pending.set(sessionId, at);
  }

  /**
   * Writes what is pending. Flushes run one after another, so when the promise resolves everything
   * recorded before the call has been written (or kept for the next try, if Redis failed).
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const entries = [...batch];
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < entries.length; i += PAIRS_PER_CALL) {
      const args = entries.slice(i, i + PAIRS_PER_CALL).flatMap(([id, at]) => [id, at]);
      calls.push(runScript(this.ctx.redis, "touch-sessions", [], [this.ctx.keys.prefix, ...args]));
    }
    // Sent together, the calls share one round trip (node-redis pipelines them); under load an
    // await per call costs a whole turn of a busy event loop. A retry of a call that did succeed
    // is harmless: activity only ever moves forward.
    try {
      await Promise.all(calls);
    } catch (error) {
      for (const [id, at] of entries) this.record(id, at);
      this.ctx.logger.warn({ err: (error as Error).message, sessions: entries.length }, "activity flush failed; will retry");
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
