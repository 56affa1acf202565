/**
 * Issue 3, "a worker that dies mid-job leaves the job to be picked up again": a worker takes a
 * session's idle job and dies holding it (no completion, no lock renewal). Another node's worker
 * finds the stalled job once the lock lapses and carries the expiry out.
 */
import { createNodeRedisClient, Queue, Worker } from "bullmq";
import { createClient } from "redis";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { SessionsDelta } from "../../shared/events.ts";
import type { Session } from "../../shared/types.ts";
import { IDLE_QUEUE_NAME, idleJobId } from "../../server/idle/idle-queue.ts";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectAdmin, waitUntil } from "../support/sockets.ts";

const LOCK_MS = 1200;
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  closeAllSockets();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function hubOn(keyPrefix?: string): Promise<TestHub> {
  const hub = await startTestHub({ idleJobLockMs: LOCK_MS, ...(keyPrefix ? { keyPrefix } : {}) });
  cleanups.push(() => hub.close());
  return hub;
}

describe("a worker that dies mid-job", () => {
  it("leaves the idle job to another node, which expires the session", async () => {
    const first = await hubOn();
    const admin = await login(first.url, first.adminUsername, first.adminPassword);
    await createAccount(first.url, admin.token, "stuck", "concurrent");
    const mobile = await login(first.url, "stuck", TECH_PASSWORD, "mobile");
    // Switching idle termination on arms the session's job (3 s timeout); then this node goes away.
    const saved = await api(first.url, "PUT", "/api/settings/idle-termination", {
      token: admin.token,
      body: { enabled: true, timeoutMinutes: 3 / 60, promptSeconds: 1 },
    });
    expect(saved.status).toBe(200);
    await first.close();

    // A worker that takes the job when it is due and dies holding it.
    const redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
    cleanups.push(() => redis.close());
    const connection = createNodeRedisClient(redis);
    const bullPrefix = `{${first.prefix}}:bull`;
    let took!: () => void;
    const taken = new Promise<void>((resolve) => (took = resolve));
    const dying = new Worker(IDLE_QUEUE_NAME, () => (took(), new Promise<void>(() => undefined)), {
      connection,
      prefix: bullPrefix,
      lockDuration: LOCK_MS,
      stalledInterval: 60_000,
    });
    dying.on("error", () => undefined);
    await taken;
    await dying.close(true);
    const queue = new Queue(IDLE_QUEUE_NAME, { connection, prefix: bullPrefix });
    cleanups.push(() => queue.close());
    expect(await queue.getJobState(idleJobId(mobile.session.id))).toBe("active");

    // Another node: its reconciler sees the job exists, so only the stalled check can run it.
    const second = await hubOn(first.prefix);
    const { socket, snapshot } = await connectAdmin(second.url, admin.token);
    if (snapshot.sessions.some((s: Session) => s.id === mobile.session.id)) {
      await waitUntil<SessionsDelta>(socket, "sessions:delta", (d) => d.ended.some((e) => e.id === mobile.session.id), 15_000);
    }
    const me = await api(second.url, "GET", "/api/me", { token: mobile.token });
    expect(me.status).toBe(401);
    expect(me.body.error).toMatchObject({ code: "SESSION_EXPIRED", reason: "expired" });
  });
});
