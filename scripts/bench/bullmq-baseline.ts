/**
 * The idle baseline: bare BullMQ on node-redis, as the hub uses it (same job id shape, data and
 * removal options, a worker with the hub's concurrency), with nothing but a timestamp in the
 * processor. Lateness is the time from a job's due time (added + delay) to its processor starting.
 * Its Redis URL comes in BENCH_REDIS.
 */
import { randomBytes } from "node:crypto";
import { createNodeRedisClient, Queue, Worker } from "bullmq";
import { createClient } from "redis";
import { serveParent } from "./ipc.ts";
import { sleep } from "./stats.ts";

/** The hub's idle worker runs this many jobs at once (server/idle/idle-worker.ts). */
const CONCURRENCY = 50;

const client = createClient({ url: process.env.BENCH_REDIS });
client.on("error", () => undefined);
await client.connect();
const connection = createNodeRedisClient(client);
const queue = new Queue("idle", { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
let lateness: number[] = [];
let added = 0;
const worker = new Worker(
  "idle",
  async (job) => {
    lateness.push(Date.now() - (job.timestamp + (job.opts.delay ?? 0)));
  },
  { connection, concurrency: CONCURRENCY },
);
worker.on("error", () => undefined);

/** Adds `count` delayed jobs, `perSecond` of them per second, each due `delayMs` after it is added. */
async function add({ count, perSecond, delayMs, batch }: { count: number; perSecond: number; delayMs: number; batch: number }) {
  const start = performance.now();
  while (added < count) {
    const allowed = Math.min(count, Math.floor(((performance.now() - start) / 1000) * perSecond));
    if (allowed <= added) {
      await sleep(20);
      continue;
    }
    const end = Math.min(allowed, added + batch);
    await Promise.all(
      Array.from({ length: end - added }, () =>
        queue.add("idle-check", { sessionId: randomBytes(16).toString("hex") }, { jobId: `idle-${randomBytes(16).toString("hex")}`, delay: delayMs }),
      ),
    );
    added = end;
  }
  return { added, durationMs: performance.now() - start };
}

serveParent({
  "bull:add": add,
  "bull:take": () => ({ pending: added - lateness.length, lateness }),
  "bull:reset": () => {
    lateness = [];
    added = 0;
  },
});

process.on("SIGTERM", () => {
  void Promise.all([worker.close(), queue.close()])
    .then(() => client.close())
    .finally(() => process.exit(0));
});
