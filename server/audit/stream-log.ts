/**
 * A capped, append-only log in a Redis stream, read newest first with a filter. Entries are one
 * JSON field each; the stream id is the paging cursor. A page reads at most `scanBudget` entries,
 * so a filter that matches rarely costs a bounded amount per request and pages on with the cursor.
 */
import type { HubContext } from "../context.ts";

const BATCH = 500;

export interface ScanOptions<T> {
  /** Read entries older than this stream id; newest when absent. */
  cursor?: string;
  limit: number;
  match: (entry: T) => boolean;
  /** Most entries one call reads. @default 5000 */
  scanBudget?: number;
}

export interface ScanResult<T> {
  entries: (T & { id: string })[];
  nextCursor: string | null;
}

export class StreamLog<T extends object> {
  constructor(
    private readonly ctx: HubContext,
    private readonly key: string,
  ) {}

  /**
   * Appends an entry. The command is issued before this returns a promise, so a read sent after
   * it on the same connection sees it; a failure is logged, never thrown (the log must not break
   * the action it records).
   */
  append(entry: T): Promise<void> {
    const { redis, options, logger } = this.ctx;
    return redis
      .xAdd(this.key, "*", { d: JSON.stringify(entry) }, {
        TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: options.auditMaxEntries },
      })
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: (error as Error).message, log: this.key }, "could not write log entry"),
      );
  }

  async scan({ cursor, limit, match, scanBudget = 5000 }: ScanOptions<T>): Promise<ScanResult<T>> {
    const entries: (T & { id: string })[] = [];
    // Nothing is older than the first possible id (and Redis refuses the range "(0-0").
    if (cursor !== undefined && /^0+-0+$/.test(cursor)) return { entries, nextCursor: null };
    let end = cursor ? `(${cursor}` : "+";
    let read = 0;
    while (read < scanBudget) {
      const count = Math.min(BATCH, scanBudget - read);
      const batch = (await this.ctx.redis.xRevRange(this.key, end, "-", { COUNT: count })) ?? [];
      for (const { id, message } of batch) {
        read += 1;
        end = `(${id}`;
        const entry = parse<T>(message.d);
        if (!entry || !match(entry)) continue;
        entries.push({ ...entry, id });
        if (entries.length >= limit) return { entries, nextCursor: id };
      }
      if (batch.length < count) return { entries, nextCursor: null };
    }
    return { entries, nextCursor: end.slice(1) };
  }
}

function parse<T>(raw: string | undefined): T | null {
  try {
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}
