import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  SocketClosedUnexpectedlyError,
} from "redis";
import type { Logger } from "../logger.ts";

function buildClient(url: string, offlineQueue: boolean) {
  return createClient({
    url,
    disableOfflineQueue: !offlineQueue,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  });
}

export type RedisClient = ReturnType<typeof buildClient>;

/**
 * Opens a node-redis client that reconnects by itself with capped backoff. By default commands
 * issued while Redis is down fail at once (no offline queue), so HTTP can answer 503 instead of
 * hanging; BullMQ and the adapter's pub/sub clients keep the queue, since they retry themselves.
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  name: string,
  { offlineQueue = false }: { offlineQueue?: boolean } = {},
): Promise<RedisClient> {
  const client = buildClient(url, offlineQueue);
  let down = false;
  client.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error.message, client: name }, "redis connection lost");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info({ client: name }, "redis connection restored");
    down = false;
  });
  await client.connect();
  return client;
}

/**
 * True when a command failed because Redis could not be reached (down, restarting, still loading
 * its data), so the caller should answer 503 and let the client retry. node-redis errors keep the
 * name "Error", so they are told apart by class.
 */
export function isRedisUnavailable(error: unknown): boolean {
  return (
    error instanceof ClientOfflineError ||
    error instanceof ClientClosedError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof DisconnectsClientError ||
    (error instanceof Error && /^LOADING|^MASTERDOWN|^READONLY|ECONNREFUSED|ECONNRESET/.test(error.message))
  );
}
