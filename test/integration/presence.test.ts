/**
 * Presence repairs itself: a live node that Redis lost track of (taken for dead while Redis was
 * out of reach) writes its sockets back on its next heartbeat, and drops the sockets of sessions
 * that ended while it could not hear the end notice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { api, createAccount, login, TECH_PASSWORD } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { closeAllSockets, connectClient, connectRefused, waitFor } from "../support/sockets.ts";
import { runScript } from "../../server/redis/scripts.ts";
import { SessionEnder } from "../../server/sessions/session-ender.ts";

let hub: TestHub;
afterEach(async () => {
  closeAllSockets();
  await hub?.close();
});

/** What another node's reaper does to a node it takes for dead. */
async function reap(hub: TestHub): Promise<void> {
  const { redis, keys, options } = hub.hub.ctx;
  await runScript(redis, "reap-node", [keys.nodes, keys.nodePresence(options.nodeId)], [
    keys.prefix,
    options.nodeId,
    Number.MAX_SAFE_INTEGER,
  ]);
}

async function isConnected(hub: TestHub, token: string, sessionId: string): Promise<boolean> {
  const response = await api(hub.url, "GET", "/api/sessions", { token });
  return response.body.sessions.find((s: { id: string }) => s.id === sessionId)?.connected === true;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("presence", () => {
  it("a live node taken for dead counts its sockets again on its next heartbeat", async () => {
    hub = await startTestHub({ nodeHeartbeatMs: 100, nodeTtlMs: 1000 });
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "alice", "concurrent");
    const alice = await login(hub.url, "alice", TECH_PASSWORD, "mobile");
    await connectClient(hub.url, alice.token);
    await connectClient(hub.url, alice.token);
    await eventually(() => isConnected(hub, admin.token, alice.session.id));

    await reap(hub);
    expect(await isConnected(hub, admin.token, alice.session.id)).toBe(false);
    await eventually(() => isConnected(hub, admin.token, alice.session.id), 2_000);
    const { redis, keys } = hub.hub.ctx;
    expect(await redis.hGet(keys.session(alice.session.id), "sockets")).toBe("2");
  });

  it("a socket whose session ended unheard is dropped at the resync, and learns why on reconnect", async () => {
    hub = await startTestHub({ nodeHeartbeatMs: 100, nodeTtlMs: 1000 });
    const admin = await login(hub.url, hub.adminUsername, hub.adminPassword);
    await createAccount(hub.url, admin.token, "bob", "named");
    const bob = await login(hub.url, "bob", TECH_PASSWORD, "web");
    const socket = await connectClient(hub.url, bob.token);
    await eventually(() => isConnected(hub, admin.token, bob.session.id));

    // Ended in Redis by a node whose notice never arrived (no notifier), while this node was cut off.
    const dropped = waitFor(socket, "disconnect");
    await new SessionEnder(hub.hub.ctx).end(bob.session.id, "terminated");
    await reap(hub);
    await dropped;
    const refused = await connectRefused(hub.url, bob.token);
    expect(refused.message).toBe("SESSION_TERMINATED");
  });
});
