/** The license (seat limits) and the License Usage figures (DESIGN.md, "License Usage table"). */
import type { License, LicenseUsage, UsageRow } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";

function parseLimit(raw: string | undefined): number | null {
  return raw === undefined || raw === "" ? null : Number(raw);
}

/**
 * One row of the table. Available is Licensed − Used and may go negative when a license is
 * lowered below what is in use: sessions already open are not ended, new ones are refused, and
 * the negative figure tells the admin by how much they are over.
 */
function usageRow(licensed: number | null, used: number, accounts: number, connected: number): UsageRow {
  return { licensed, used, available: licensed === null ? null : licensed - used, accounts, connected };
}

export class LicenseStore {
  constructor(private readonly ctx: HubContext) {}

  async get(): Promise<License> {
    const raw = await this.ctx.redis.hGetAll(this.ctx.keys.license);
    return { namedUsers: parseLimit(raw.namedUsers), concurrentUsers: parseLimit(raw.concurrentUsers) };
  }

  /** Stores the initial license unless one is there already. */
  async ensure(initial: License): Promise<void> {
    const { redis, keys } = this.ctx;
    await redis.hSetNX(keys.license, "namedUsers", initial.namedUsers === null ? "" : String(initial.namedUsers));
    await redis.hSetNX(
      keys.license,
      "concurrentUsers",
      initial.concurrentUsers === null ? "" : String(initial.concurrentUsers),
    );
  }

  /** Replaces the license. Lowering a limit ends no session; it only refuses new ones. */
  async set(license: License): Promise<void> {
    const { redis, keys } = this.ctx;
    await redis.hSet(keys.license, {
      namedUsers: license.namedUsers === null ? "" : String(license.namedUsers),
      concurrentUsers: license.concurrentUsers === null ? "" : String(license.concurrentUsers),
    });
    await runScript(redis, "append-change", [], [keys.prefix, JSON.stringify({ usage: true })]);
  }

  /** The License Usage table: five counters read in one round trip. */
  async usage(): Promise<LicenseUsage> {
    const { redis, keys } = this.ctx;
    const [license, namedAccounts, concurrentAccounts, namedConnected, concurrentConnected] = await Promise.all([
      this.get(),
      redis.sCard(keys.accountsOfType("named")),
      redis.sCard(keys.accountsOfType("concurrent")),
      redis.sCard(keys.namedOnline),
      redis.sCard(keys.seats),
    ]);
    return {
      named: usageRow(license.namedUsers, namedAccounts, namedAccounts, namedConnected),
      concurrent: usageRow(license.concurrentUsers, concurrentConnected, concurrentAccounts, concurrentConnected),
    };
  }
}
