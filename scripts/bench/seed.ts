/**
 * Accounts and sessions for a scenario, made through the hub's own stores (the code below the
 * HTTP routes) from the runner's process: a password login costs an scrypt hash, which would make
 * 20,000 sessions a matter of minutes, and measuring a server's memory is cleaner when the
 * seeding garbage lives elsewhere. Run it after the hub has started (the license must exist).
 */
import { AccountStore } from "../../server/accounts/account-store.ts";
import type { HubContext } from "../../server/context.ts";
import { systemClock } from "../../server/clock.ts";
import { silentLogger } from "../../server/logger.ts";
import { resolveOptions } from "../../server/options.ts";
import { connectRedis } from "../../server/redis/connection.ts";
import { redisKeys } from "../../server/redis/keys.ts";
import { SessionStore } from "../../server/sessions/session-store.ts";
import type { App, LicenseType, Role } from "../../shared/types.ts";

/** Sessions opened at once (node-redis pipelines commands issued together). */
const OPEN_BATCH = 200;

export interface Seeder {
  /** Creates accounts `<base>1..<base>count`; returns their usernames. */
  createAccounts(base: string, count: number, licenseType: LicenseType, role?: Role): Promise<string[]>;
  /** Opens `count` sessions spread over the accounts; returns their tokens. */
  openSessions(usernames: string[], count: number, app?: App): Promise<string[]>;
  close(): Promise<void>;
}

export const SEED_PASSWORD = "bench-password-1";
/** The first admin every bench hub creates. */
export const BENCH_ADMIN = { username: "admin", password: "bench-admin-password" };

export async function openSeeder(redisUrl: string, keyPrefix: string): Promise<Seeder> {
  const options = resolveOptions({ redisUrl, keyPrefix });
  const redis = await connectRedis(redisUrl, options.logger, "bench-seed");
  const ctx: HubContext = { options, redis, keys: redisKeys(keyPrefix), clock: systemClock, logger: silentLogger() };
  const accounts = new AccountStore(ctx);
  const sessions = new SessionStore(ctx);

  return {
    async createAccounts(base, count, licenseType, role = "technician") {
      const names = Array.from({ length: count }, (_, i) => `${base}${i + 1}`);
      await Promise.all(
        names.map((username) => accounts.create({ username, password: SEED_PASSWORD, licenseType, role })),
      );
      return names;
    },
    async openSessions(usernames, count, app = "mobile") {
      const stored = await Promise.all(usernames.map((name) => accounts.findByUsername(name)));
      const tokens: string[] = [];
      for (let i = 0; i < count; i += OPEN_BATCH) {
        const batch = Array.from({ length: Math.min(OPEN_BATCH, count - i) }, (_, k) => {
          const account = stored[(i + k) % stored.length];
          if (!account) throw new Error(`no account ${usernames[(i + k) % usernames.length]}`);
          return sessions.open({ account, app, device: "bench", ip: "127.0.0.1" });
        });
        for (const { token } of await Promise.all(batch)) tokens.push(token);
      }
      return tokens;
    },
    close: () => redis.close(),
  };
}
