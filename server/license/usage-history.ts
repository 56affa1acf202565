/**
 * The license usage chart's data. Recording happens inside the session scripts (one HSET per
 * bucket size per change: see lua/includes/history.lua); this reads it back, one point per
 * bucket, each the peak of connections in it, carrying the level forward through buckets with
 * no change, plus the refused logins per bucket. Old buckets are pruned by `prune()`.
 *
 * Bucket sizes and retention:
 *   period hour  → 1-minute buckets, kept 2 days
 *   period day   → 15-minute buckets, kept 8 days
 *   period week  → 1-hour buckets, kept 35 days
 *   period month → 6-hour buckets, kept 400 days
 *   period year  → 1-day buckets, kept 800 days
 */
import type { HistoryPeriod, HistoryPoint, LicenseHistory, LicenseType } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";

const DAY = 86_400;

export const PERIODS: Record<HistoryPeriod, { seconds: number; bucketSeconds: number; retainSeconds: number }> = {
  hour: { seconds: 3600, bucketSeconds: 60, retainSeconds: 2 * DAY },
  day: { seconds: DAY, bucketSeconds: 900, retainSeconds: 8 * DAY },
  week: { seconds: 7 * DAY, bucketSeconds: 3600, retainSeconds: 35 * DAY },
  month: { seconds: 30 * DAY, bucketSeconds: 21_600, retainSeconds: 400 * DAY },
  year: { seconds: 365 * DAY, bucketSeconds: DAY, retainSeconds: 800 * DAY },
};

export class UsageHistory {
  constructor(private readonly ctx: HubContext) {}

  async query(type: LicenseType, period: HistoryPeriod, limit: number | null): Promise<LicenseHistory> {
    const { redis, keys, clock } = this.ctx;
    const { seconds, bucketSeconds } = PERIODS[period];
    const [levels, denials, current] = await Promise.all([
      redis.hGetAll(keys.history(type, bucketSeconds)),
      redis.hGetAll(keys.denied(type, bucketSeconds)),
      redis.get(keys.historyNow(type)),
    ]);
    const nowSeconds = Math.floor(clock.now() / 1000);
    const lastBucket = nowSeconds - (nowSeconds % bucketSeconds);
    const firstBucket = lastBucket - seconds + bucketSeconds;

    // The level entering the window is the last value of the newest bucket before it.
    const stored = Object.entries(levels)
      .map(([bucket, value]) => {
        const [peak, last] = value.split(":").map(Number);
        return { bucket: Number(bucket), peak: peak ?? 0, last: last ?? 0 };
      })
      .sort((a, b) => a.bucket - b.bucket);
    // With nothing stored (pruned, or a store from before history), start from the live level.
    let level = stored.length === 0 ? Number(current ?? 0) : 0;
    for (const entry of stored) {
      if (entry.bucket < firstBucket) level = entry.last;
    }
    const byBucket = new Map(stored.map((entry) => [entry.bucket, entry]));

    const points: HistoryPoint[] = [];
    for (let bucket = firstBucket; bucket <= lastBucket; bucket += bucketSeconds) {
      const entry = byBucket.get(bucket);
      const peak = entry ? entry.peak : level;
      if (entry) level = entry.last;
      points.push([bucket * 1000, peak, Number(denials[String(bucket)] ?? 0)]);
    }
    return { type, period, bucketSeconds, limit, points };
  }

  /** Drops buckets older than their retention. Cheap: hashes of at most a few thousand fields. */
  async prune(): Promise<void> {
    const { redis, keys, clock } = this.ctx;
    const nowSeconds = Math.floor(clock.now() / 1000);
    for (const type of ["named", "concurrent"] as const) {
      for (const { bucketSeconds, retainSeconds } of Object.values(PERIODS)) {
        for (const key of [keys.history(type, bucketSeconds), keys.denied(type, bucketSeconds)]) {
          const buckets = await redis.hKeys(key);
          const old = buckets.filter((bucket) => Number(bucket) < nowSeconds - retainSeconds);
          if (old.length > 0) await redis.hDel(key, old);
        }
      }
    }
  }
}
