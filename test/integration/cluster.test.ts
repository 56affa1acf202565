/**
 * Scale-out (issue 6): three hub processes on one Redis, with nodes killed and stopped and Redis
 * restarted in the middle, checked from the clients and from an admin's dashboard.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SessionEndedPayload } from "../../shared/events.ts";
import type { Session } from "../../shared/types.ts";
import { api, createAccount, login, setLicense, TECH_PASSWORD, type LoggedIn } from "../support/api.ts";
import {
  ACTIVITY_FLUSH_MS,
  allReady,
  connectReconnecting,
  eventually,
  NODE_HEARTBEAT_MS,
  NODE_TTL_MS,
  startBalancer,
  startNodes,
  startRestartableRedis,
  stopCluster,
  watchDashboard,
  type DashboardView,
  type TestNode,
} from "../support/cluster.ts";
import { ADMIN_PASSWORD, ADMIN_USERNAME } from "../support/hub.ts";
import { closeAllSockets, connectAdmin, connectClient, waitFor, type ClientSocket } from "../support/sockets.ts";

let counter = 0;
const uniqueName = (base: string) => `${base}-${++counter}-${process.pid}`;

interface Cluster {
  nodes: TestNode[];
  admin: LoggedIn;
  dashboard: DashboardView;
}

/** Three nodes on a fresh Redis, an admin signed in on A and watching A's dashboard. */
async function startCluster(): Promise<Cluster> {
  const redis = await startRestartableRedis();
  const nodes = await startNodes(redis.url, ["A", "B", "C"]);
  const admin = await login(nodes[0]!.url, ADMIN_USERNAME, ADMIN_PASSWORD);
  const { socket, snapshot } = await connectAdmin(nodes[0]!.url, admin.token);
  return { nodes, admin, dashboard: watchDashboard(socket, snapshot) };
}

async function technician(cluster: Cluster, licenseType: "named" | "concurrent", loginAt: TestNode, app: "web" | "mobile" = "web") {
  const username = uniqueName(`tech-${licenseType}`);
  await createAccount(cluster.nodes[0]!.url, cluster.admin.token, username, licenseType);
  return login(loginAt.url, username, TECH_PASSWORD, app);
}

const connected = (view: DashboardView, sessionId: string) => view.sessions.get(sessionId)?.connected === true;

async function sessionsOn(node: TestNode, adminToken: string): Promise<Map<string, Session>> {
  const response = await api<{ sessions: Session[] }>(node.url, "GET", "/api/sessions", { token: adminToken });
  if (response.status !== 200) throw new Error(`GET /api/sessions: ${response.status}`);
  return new Map(response.body.sessions.map((s) => [s.id, s]));
}

/** Records what a client socket went through, to assert that no session ended. */
function recordEvents(socket: ClientSocket) {
  const log = { ended: [] as SessionEndedPayload[], disconnects: [] as string[], connects: 0 };
  socket.on("session:ended", (payload) => log.ended.push(payload));
  socket.on("disconnect", (reason) => log.disconnects.push(reason));
  socket.on("connect", () => log.connects++);
  return log;
}

describe("three nodes on one Redis", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    closeAllSockets();
    await stopCluster();
  });

  it("an admin on A sees sessions connected to B and C, and a termination from A reaches a client on C", async () => {
    const [A, B, C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const onB = await technician(cluster, "named", B);
    const onC = await technician(cluster, "concurrent", C, "mobile");
    const clientB = await connectClient(B.url, onB.token);
    const clientC = await connectClient(C.url, onC.token);
    await cluster.dashboard.until("both show as connected", (v) => connected(v, onB.session.id) && connected(v, onC.session.id));

    const ended = waitFor<SessionEndedPayload>(clientC, "session:ended");
    const closed = waitFor<string>(clientC, "disconnect");
    const response = await api(A.url, "POST", "/api/sessions/terminate", {
      token: cluster.admin.token,
      body: { sessionIds: [onC.session.id], message: "cluster check" },
    });
    expect(response.body).toEqual({ terminated: [onC.session.id], notFound: [] });
    expect(await ended).toMatchObject({ sessionId: onC.session.id, reason: "terminated" });
    expect((await ended).message).toContain("cluster check");
    await closed;
    await cluster.dashboard.until("the termination shows", (v) => v.ended.some((e) => e.id === onC.session.id && e.reason === "terminated"));
    expect(clientB.connected).toBe(true);
  });

  it("activity on C shows on A's dashboard within two seconds", async () => {
    const [, , C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const onC = await technician(cluster, "named", C);
    const client = await connectClient(C.url, onC.token);
    await cluster.dashboard.until("it shows as connected", (v) => connected(v, onC.session.id));

    const before = cluster.dashboard.sessions.get(onC.session.id)!.lastActivityAt;
    await eventually("the clock moves past the login", async () => Date.now() > before + 5);
    const sentAt = Date.now();
    client.emit("activity");
    await cluster.dashboard.until(
      "the activity shows",
      (v) => (v.sessions.get(onC.session.id)?.lastActivityAt ?? 0) >= sentAt,
      2_000,
    );
    expect(Date.now() - sentAt).toBeLessThan(2_000);
  });

  it("seats are exact across nodes: parallel logins at the limit on every node never take more", async () => {
    const [A, B, C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const nodes = [A, B, C];
    await setLicense(A.url, cluster.admin.token, 10, 3);
    const usernames = await Promise.all(
      Array.from({ length: 9 }, async () => {
        const username = uniqueName("seat");
        await createAccount(A.url, cluster.admin.token, username, "concurrent");
        return username;
      }),
    );
    const attempts = await Promise.all(
      usernames.map((username, i) =>
        api(nodes[i % 3]!.url, "POST", "/api/auth/login", { body: { username, password: TECH_PASSWORD, app: "web" } }),
      ),
    );
    const admitted = attempts.filter((r) => r.status === 201);
    expect(admitted).toHaveLength(3);
    for (const refused of attempts.filter((r) => r.status !== 201)) {
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("LICENSE_LIMIT_REACHED");
    }

    // The same person on a second app, through another node, holds the same seat.
    const holder = admitted[0]!.body as LoggedIn;
    const second = await login(C.url, holder.account.username, TECH_PASSWORD, "mobile");
    const usage = await api(B.url, "GET", "/api/license", { token: cluster.admin.token });
    expect(usage.body.usage.concurrent).toMatchObject({ licensed: 3, used: 3, available: 0 });
    await cluster.dashboard.until("the dashboard counts three seats", (v) => v.usage.concurrent.used === 3);

    // Ending both of its sessions, on two nodes, frees the seat for a refused user on the third.
    await api(A.url, "POST", "/api/auth/logout", { token: holder.token });
    await api(B.url, "POST", "/api/auth/logout", { token: second.token });
    const refusedName = usernames[attempts.findIndex((r) => r.status !== 201)]!;
    await login(C.url, refusedName, TECH_PASSWORD);
    const after = await api(A.url, "GET", "/api/license", { token: cluster.admin.token });
    expect(after.body.usage.concurrent).toMatchObject({ used: 3, available: 0 });
    await setLicense(A.url, cluster.admin.token, 10, 20);
  });

  it("idle jobs run once cluster-wide: each idle mobile session, one per node, expires exactly once", async () => {
    const [A, B, C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const users = await Promise.all([A, B, C].map((node) => technician(cluster, "concurrent", node, "mobile")));
    const clients = await Promise.all(users.map((user, i) => connectClient(cluster.nodes[i]!.url, user.token)));
    const notices = clients.map((client) => {
      const got: SessionEndedPayload[] = [];
      client.on("session:ended", (payload) => got.push(payload));
      return got;
    });
    const ids = users.map((user) => user.session.id);
    await cluster.dashboard.until("all three show as connected", (v) => ids.every((id) => connected(v, id)));

    const settings = { enabled: true, timeoutMinutes: 1 / 60, promptSeconds: 1 };
    expect((await api(B.url, "PUT", "/api/settings/idle-termination", { token: cluster.admin.token, body: settings })).status).toBe(200);
    try {
      await Promise.all(clients.map((client) => waitFor(client, "disconnect", 10_000)));
      await cluster.dashboard.until("all three show as expired", (v) =>
        ids.every((id) => v.ended.some((e) => e.id === id && e.reason === "expired")),
      );
    } finally {
      await api(B.url, "PUT", "/api/settings/idle-termination", { token: cluster.admin.token, body: { ...settings, enabled: false } });
    }
    for (const got of notices) expect(got.map((n) => n.reason)).toEqual(["expired"]);
    for (const id of ids) expect(cluster.dashboard.ended.filter((e) => e.id === id)).toHaveLength(1);
  });
});

describe("nodes and Redis failing", () => {
  afterEach(async () => {
    closeAllSockets();
    await stopCluster();
  });

  it("a node killed with SIGKILL: its clients keep their sessions on another node, and its sockets stop counting", async () => {
    const cluster = await startCluster();
    const [A, B, C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const { dashboard } = cluster;
    // A load balancer that sends connections to C while it lives, then to A.
    const balancer = await startBalancer([C.url, A.url]);
    const moving = await technician(cluster, "concurrent", B, "mobile");
    const staying = await technician(cluster, "named", B);
    const onB = await technician(cluster, "named", B);
    const movingClient = await connectReconnecting(balancer.url, moving.token);
    const events = recordEvents(movingClient);
    // This one does not come back (its laptop closed with the node): it must stop counting.
    const stayingClient = await connectClient(C.url, staying.token);
    await connectClient(B.url, onB.token);
    await dashboard.until("all three show as connected", (v) =>
      [moving, staying, onB].every((t) => connected(v, t.session.id)),
    );
    expect(stayingClient.connected).toBe(true);

    // The user works right up to the crash.
    const working = setInterval(() => movingClient.emit("activity"), 20);
    await new Promise((resolve) => setTimeout(resolve, 4 * ACTIVITY_FLUSH_MS));
    clearInterval(working);
    const lastActivity = Date.now();
    const killedAt = Date.now();
    await C.kill();

    // Activity C had not flushed is at most one flush interval old.
    const afterCrash = await sessionsOn(A, cluster.admin.token);
    expect(afterCrash.get(moving.session.id)!.lastActivityAt).toBeGreaterThanOrEqual(lastActivity - ACTIVITY_FLUSH_MS - 150);

    // The client reconnects through the balancer to A, with the same token and session.
    await eventually("the client is connected again", async () => events.connects >= 1 && movingClient.connected);
    expect(events.disconnects).toHaveLength(1);
    expect(events.disconnects[0]).toMatch(/^transport (close|error)$/);
    const me = await api(A.url, "GET", "/api/me", { token: moving.token });
    expect(me.status).toBe(200);
    expect(me.body.session.id).toBe(moving.session.id);

    // The client that did not come back stops counting within the node TTL plus a heartbeat.
    await dashboard.until(
      "the abandoned session shows as disconnected",
      (v) => v.sessions.get(staying.session.id)?.connected === false,
      NODE_TTL_MS + 4 * NODE_HEARTBEAT_MS + 2_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(NODE_TTL_MS + 4 * NODE_HEARTBEAT_MS + 2_000);
    // ...while the one that moved, and the one on B, still count, and no session ended.
    const sessions = await sessionsOn(B, cluster.admin.token);
    expect(sessions.get(moving.session.id)?.connected).toBe(true);
    expect(sessions.get(onB.session.id)?.connected).toBe(true);
    expect(sessions.get(staying.session.id)).toBeDefined();
    expect(dashboard.ended).toEqual([]);
    expect(events.ended).toEqual([]);
  });

  it("a node stopped with SIGTERM flushes activity, sends its clients elsewhere and exits within seconds; no session ends", async () => {
    const cluster = await startCluster();
    const [A, B, C] = cluster.nodes as [TestNode, TestNode, TestNode];
    const { dashboard } = cluster;
    const toA = await startBalancer([C.url, A.url]);
    const toB = await startBalancer([C.url, B.url]);
    const first = await technician(cluster, "concurrent", C);
    const second = await technician(cluster, "named", A, "mobile");
    const firstClient = await connectReconnecting(toA.url, first.token);
    const secondClient = await connectReconnecting(toB.url, second.token);
    const logs = [recordEvents(firstClient), recordEvents(secondClient)];
    await dashboard.until("both show as connected", (v) => connected(v, first.session.id) && connected(v, second.session.id));

    // The last thing the user did reaches C just before the deploy stops it, unflushed.
    const sentAt = Date.now();
    await firstClient.emitWithAck("session:keep");
    const stoppedAt = Date.now();
    const exit = await C.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);

    const sessions = await sessionsOn(A, cluster.admin.token);
    expect(sessions.get(first.session.id)!.lastActivityAt).toBeGreaterThanOrEqual(sentAt);

    // Both clients come back through the balancer, on A and B, with their sessions.
    await eventually("both clients are connected again", async () =>
      logs.every((log) => log.connects >= 1) && firstClient.connected && secondClient.connected,
    );
    for (const log of logs) {
      expect(log.disconnects).toEqual(["transport close"]);
      expect(log.ended).toEqual([]);
    }
    for (const [node, tech] of [[A, first], [B, second]] as const) {
      const me = await api(node.url, "GET", "/api/me", { token: tech.token });
      expect(me.body.session.id).toBe(tech.session.id);
    }
    await dashboard.until("both show as connected again", (v) => connected(v, first.session.id) && connected(v, second.session.id));
    expect(dashboard.ended).toEqual([]);
  });

  it("Redis restarts under traffic: 503 while it is down, no socket dropped, data kept, termination delivered right after", async () => {
    const redis = await startRestartableRedis();
    const nodes = await startNodes(redis.url, ["A", "B", "C"]);
    const [A, B, C] = nodes as [TestNode, TestNode, TestNode];
    const admin = await login(A.url, ADMIN_USERNAME, ADMIN_PASSWORD);
    const { socket: adminSocket, snapshot } = await connectAdmin(A.url, admin.token);
    const dashboard = watchDashboard(adminSocket, snapshot);
    const cluster: Cluster = { nodes, admin, dashboard };
    const onB = await technician(cluster, "named", B);
    const onC = await technician(cluster, "concurrent", C, "mobile");
    const clientB = await connectClient(B.url, onB.token);
    const clientC = await connectClient(C.url, onC.token);
    const logs = [recordEvents(clientB), recordEvents(clientC)];
    const adminDrops: string[] = [];
    adminSocket.on("disconnect", (reason) => adminDrops.push(reason));
    await dashboard.until("both show as connected", (v) => connected(v, onB.session.id) && connected(v, onC.session.id));

    await setLicense(A.url, admin.token, 7, 9);
    const settings = { enabled: false, timeoutMinutes: 45, promptSeconds: 90 };
    expect((await api(B.url, "PUT", "/api/settings/idle-termination", { token: admin.token, body: settings })).status).toBe(200);
    const read = async () => ({
      accounts: (await api(A.url, "GET", "/api/accounts", { token: admin.token })).body,
      license: (await api(B.url, "GET", "/api/license", { token: admin.token })).body.license,
      settings: (await api(C.url, "GET", "/api/settings/idle-termination", { token: admin.token })).body,
      sessions: [...(await sessionsOn(A, admin.token)).keys()].sort(),
      history: (await api(A.url, "GET", "/api/license/history?type=concurrent&period=hour", { token: admin.token })).body,
    });
    const before = await read();
    expect(before.history.points.some(([, peak]: number[]) => peak! >= 1)).toBe(true);

    // Traffic throughout: both users keep working.
    const traffic = setInterval(() => {
      clientB.emit("activity");
      clientC.emit("activity");
    }, 50);
    try {
      await redis.stop();

      // While Redis is down: 503 UNAVAILABLE at once on every path, the auth check included.
      const calls: [TestNode, string, string, { token?: string; body?: unknown }][] = [
        [A, "GET", "/readyz", {}],
        [B, "GET", "/api/me", { token: onB.token }],
        [C, "POST", "/api/auth/login", { body: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD, app: "web" } }],
        [A, "GET", "/api/sessions", { token: admin.token }],
        [B, "POST", "/api/sessions/terminate", { token: admin.token, body: { sessionIds: [onC.session.id] } }],
        [C, "GET", "/api/license", { token: admin.token }],
      ];
      for (const [node, method, path, options] of calls) {
        const startedAt = Date.now();
        const response = await api(node.url, method, path, options);
        expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({ path, status: 503, code: "UNAVAILABLE" });
        expect(Date.now() - startedAt).toBeLessThan(1_000);
      }
      expect((await api(C.url, "GET", "/healthz")).status).toBe(200);

      await redis.start();
      await allReady(nodes);
    } finally {
      clearInterval(traffic);
    }

    // Nothing was dropped for it, and everything is still there.
    expect([clientB.connected, clientC.connected, adminSocket.connected]).toEqual([true, true, true]);
    for (const log of logs) expect(log.disconnects).toEqual([]);
    expect(adminDrops).toEqual([]);
    const after = await read();
    expect(after.accounts).toEqual(before.accounts);
    expect(after.license).toEqual({ namedUsers: 7, concurrentUsers: 9 });
    expect(after.settings).toEqual(settings);
    expect(after.sessions).toEqual(before.sessions);
    // The chart keeps its peaks (the window may have moved on by a bucket meanwhile).
    const peaksAfter = new Map<number, number>(after.history.points.map(([t, peak]: number[]) => [t, peak]));
    for (const [t, peak] of before.history.points.filter(([, peak]: number[]) => peak! > 0)) {
      expect(peaksAfter.get(t)).toBeGreaterThanOrEqual(peak);
    }

    // Cross-node delivery works again at once: a termination from A reaches the client on C.
    const ended = waitFor<SessionEndedPayload>(clientC, "session:ended");
    const response = await api(A.url, "POST", "/api/sessions/terminate", {
      token: admin.token,
      body: { sessionIds: [onC.session.id] },
    });
    expect(response.body.terminated).toEqual([onC.session.id]);
    expect(await ended).toMatchObject({ sessionId: onC.session.id, reason: "terminated" });
    await dashboard.until("A's dashboard shows the termination", (v) => v.ended.some((e) => e.id === onC.session.id));
    await dashboard.until("the session on B still shows as connected", (v) => connected(v, onB.session.id));
    expect((await sessionsOn(B, admin.token)).get(onB.session.id)?.connected).toBe(true);
  });
});
