/**
 * The idle reconciliation: every minute one node re-adds the job of any watched session that has
 * none (its arm failed while Redis was away, or BullMQ gave up on it), so no concurrent session
 * is left unwatched. Named sessions never get one.
 */
import { createNodeRedisClient, Queue } from "bullmq";
import { createClient } from "redis";
import { afterEach, expect, inject, it } from "vitest";
import { IDLE_QUEUE_NAME, idleJobId } from "../../server/idle/idle-queue.ts";
import type { IdleEngine } from "../../server/idle/idle-engine.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectClient, waitFor } from "../support/sockets.ts";

let hub: TestHub;

afterEach(async () => {
  closeAllSockets();
  await hub.close();
});

it("a concurrent session whose job went missing gets it back and still expires; a named one gets none", async () => {
  hub = await startTestHub();
  const admin = (await login(hub.url, hub.adminUsername, hub.adminPassword)).token;
  const settings = await api(hub.url, "PUT", "/api/settings/idle-termination", {
    token: admin,
    body: { enabled: true, timeoutMinutes: 3 / 60, promptSeconds: 1 },
  });
  expect(settings.status).toBe(200);
  await createAccount(hub.url, admin, "carol", "concurrent");
  await createAccount(hub.url, admin, "dave", "named");
  const carol = await login(hub.url, "carol", TECH_PASSWORD, "mobile");
  const dave = await login(hub.url, "dave", TECH_PASSWORD, "mobile");

  const redis = createClient({ url: inject("redisUrl") });
  await redis.connect();
  const queue = new Queue(IDLE_QUEUE_NAME, { connection: createNodeRedisClient(redis), prefix: hub.hub.ctx.keys.bullPrefix });
  try {
    const jobKey = (sessionId: string) => `${hub.hub.ctx.keys.bullPrefix}:${IDLE_QUEUE_NAME}:${idleJobId(sessionId)}`;
    await expect.poll(() => redis.exists(jobKey(carol.session.id))).toBe(1);
    await queue.remove(idleJobId(carol.session.id));
    expect(await redis.exists(jobKey(carol.session.id))).toBe(0);

    // Another node may hold this minute's turn; take it back so the call runs now.
    await redis.del(hub.hub.ctx.keys.idleReconcileLock);
    const engine = hub.hub.services.idle as IdleEngine;
    expect(await engine.reconcile()).toBe(1);
    expect(await redis.exists(jobKey(carol.session.id))).toBe(1);
    expect(await redis.exists(jobKey(dave.session.id))).toBe(0);

    const socket = await connectClient(hub.url, carol.token);
    const ended = await waitFor(socket, "session:ended", 10_000);
    expect(ended).toMatchObject({ sessionId: carol.session.id, reason: "expired" });
    expect(Date.now() - carol.session.lastActivityAt).toBeLessThan(3000 + 1500);
  } finally {
    await queue.close();
    await redis.close();
  }
});
