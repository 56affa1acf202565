/**
 * The absolute session lifetime (OWASP Session Management: absolute timeout, besides the idle
 * timeout): no session lives longer than `sessionMaxHours` after it started, named sessions too,
 * however active it is. Enforced twice: on every token check (HTTP and socket handshake), and by
 * a sweep on every node over the open-sessions sorted set (scored by start time), which ends
 * connected sessions whose tokens are not being checked. Both end with reason "expired".
 */
import { maxLifetimeMessage } from "../../shared/messages.ts";
import type { HubContext } from "../context.ts";
import type { SessionEnder } from "./session-ender.ts";
import type { SessionRecord } from "./session-record.ts";
import type { Tombstone } from "./session-store.ts";

const SWEEP_BATCH = 500;

export class SessionLifetime {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly ctx: HubContext,
    private readonly ender: SessionEnder,
  ) {}

  get maxAgeMs(): number {
    return this.ctx.options.sessionMaxHours * 3_600_000;
  }

  get message(): string {
    return maxLifetimeMessage(this.ctx.options.sessionMaxHours);
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.ctx.options.lifetimeSweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * For the token check: ends the session when it is past the lifetime and returns what its
   * token now resolves to; null while it may live on.
   */
  async enforce(session: SessionRecord): Promise<Tombstone | null> {
    const now = this.ctx.clock.now();
    if (now - session.startedAt < this.maxAgeMs) return null;
    await this.ender.end(session.id, "expired", { message: this.message });
    return { sessionId: session.id, reason: "expired", message: this.message, endedAt: now };
  }

  /** Ends every open session past the lifetime; returns how many this node ended. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    const { redis, keys, clock, logger } = this.ctx;
    let ended = 0;
    try {
      for (;;) {
        const ids = await redis.zRangeByScore(keys.sessions, "-inf", clock.now() - this.maxAgeMs, {
          LIMIT: { offset: 0, count: SWEEP_BATCH },
        });
        if (ids.length === 0) break;
        const done = await this.ender.endMany(ids, "expired", { message: this.message });
        ended += done.length;
        // Another node ended the rest of this batch; stop rather than spin on what it still holds.
        if (done.length === 0 || ids.length < SWEEP_BATCH) break;
      }
    } catch (error) {
      logger.warn({ err: (error as Error).message }, "session lifetime sweep failed; will retry");
    }
    return ended;
  }
}
