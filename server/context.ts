import type { RedisClient } from "./redis/connection.ts";
import type { RedisKeys } from "./redis/keys.ts";
import type { ResolvedHubOptions } from "./options.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";

/** What every domain module of a hub needs: its options, its Redis, its keys, clock and logger. */
export interface HubContext {
  options: ResolvedHubOptions;
  redis: RedisClient;
  keys: RedisKeys;
  clock: Clock;
  logger: Logger;
}
