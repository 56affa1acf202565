/**
 * `/metrics` in the Prometheus text format (prom-client), one registry per hub. Counters count
 * what this node saw (Prometheus sums over nodes); gauges of cluster state (open sessions, seats,
 * the idle queue) are read from Redis at scrape time, so every node reports the same figures —
 * use max() or any one node for them.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { HubContext } from "../context.ts";
import type { LicenseStore } from "../license/license-store.ts";
import type { AdminNamespace, HubServer } from "../realtime/io-types.ts";
import type { LoginGuard } from "../security/login-guard.ts";
import type { SessionEnder } from "../sessions/session-ender.ts";
import type { IdleQueueReader, IdleQueueStats } from "./idle-queue-stats.ts";

export interface HubMetricsDeps {
  ctx: HubContext;
  license: LicenseStore;
  ender: SessionEnder;
  logins: LoginGuard;
  io: HubServer;
  adminNs: AdminNamespace;
  idleQueue: IdleQueueReader;
}

export class HubMetrics {
  readonly registry = new Registry();
  /** Dropped socket events (over a socket's rate). */
  readonly socketEventsDropped: Counter;
  /** For the idle worker: how late a job ran after its due time. */
  readonly idleJobLateness: Histogram;

  constructor(deps: HubMetricsDeps) {
    const { ctx, license, ender, logins, io, adminNs, idleQueue } = deps;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, labels: { node: ctx.options.nodeId } });

    const loginsTotal = new Counter({
      name: "hub_logins_total",
      help: "Sign-in attempts on this node by result: ok, failed (bad credentials or disabled), refused (license), rate_limited.",
      labelNames: ["result"],
      registers,
    });
    for (const result of ["ok", "failed", "refused", "rate_limited"]) loginsTotal.inc({ result }, 0);
    logins.on("attempt", (result) => loginsTotal.inc({ result }));

    const endings = new Counter({
      name: "hub_session_endings_total",
      help: "Sessions this node ended, by reason.",
      labelNames: ["reason"],
      registers,
    });
    for (const reason of ["logout", "terminated", "expired", "account-disabled"]) endings.inc({ reason }, 0);
    ender.on("ended", ({ reason }) => endings.inc({ reason }));

    this.socketEventsDropped = new Counter({
      name: "hub_socket_events_dropped_total",
      help: "Socket events this node dropped because their socket went over its rate.",
      registers,
    });

    new Gauge({
      name: "hub_sockets",
      help: "Sockets connected to this node, by namespace.",
      labelNames: ["namespace"],
      registers,
      collect() {
        this.set({ namespace: "/" }, io.of("/").sockets.size);
        this.set({ namespace: "/admin" }, adminNs.sockets.size);
      },
    });

    new Gauge({
      name: "hub_open_sessions",
      help: "Open sessions in the cluster, by license type and app.",
      labelNames: ["license_type", "app"],
      registers,
      async collect() {
        this.reset();
        for (const licenseType of ["named", "concurrent"]) for (const app of ["web", "mobile"]) this.set({ license_type: licenseType, app }, 0);
        const ids = await ctx.redis.zRange(ctx.keys.sessions, 0, -1);
        const rows = await Promise.all(ids.map((id) => ctx.redis.hmGet(ctx.keys.session(id), ["licenseType", "app"])));
        for (const [licenseType, app] of rows) {
          if (licenseType && app) this.inc({ license_type: licenseType, app });
        }
      },
    });

    // Each gauge reads the usage itself: prom-client collects all metrics of a scrape at once.
    new Gauge({
      name: "hub_seats_used",
      help: "License usage: named accounts that exist, concurrent connections open.",
      labelNames: ["license_type"],
      registers,
      async collect() {
        const usage = await license.usage();
        for (const type of ["named", "concurrent"] as const) this.set({ license_type: type }, usage[type].used);
      },
    });
    new Gauge({
      name: "hub_seats_licensed",
      help: "License limits; absent for a model the license does not support (N/A).",
      labelNames: ["license_type"],
      registers,
      async collect() {
        const usage = await license.usage();
        this.reset();
        for (const type of ["named", "concurrent"] as const) {
          const licensed = usage[type].licensed;
          if (licensed !== null) this.set({ license_type: type }, licensed);
        }
      },
    });
    new Gauge({
      name: "hub_connections",
      help: "Accounts with at least one open session, by license type.",
      labelNames: ["license_type"],
      registers,
      async collect() {
        const usage = await license.usage();
        for (const type of ["named", "concurrent"] as const) this.set({ license_type: type }, usage[type].connected);
      },
    });

    // One read of the queue per scrape serves both idle gauges.
    let idleRead: Promise<IdleQueueStats | null> | null = null;
    const readIdle = () =>
      (idleRead ??= idleQueue
        .read()
        .catch((error: unknown) => {
          ctx.logger.warn({ err: (error as Error).message }, "could not read the idle queue for metrics");
          return null;
        })
        .finally(() => setTimeout(() => (idleRead = null), 0)));
    new Gauge({
      name: "hub_idle_queue_jobs",
      help: "Idle-termination jobs in the cluster's queue, by state.",
      labelNames: ["state"],
      registers,
      async collect() {
        const stats = await readIdle();
        if (stats) for (const [state, count] of Object.entries(stats.jobs)) this.set({ state }, count);
      },
    });
    new Gauge({
      name: "hub_idle_queue_overdue_seconds",
      help: "How far past its due time the most overdue idle job is (0 = none is late).",
      registers,
      async collect() {
        const stats = await readIdle();
        if (stats) this.set(stats.overdueSeconds);
      },
    });

    this.idleJobLateness = new Histogram({
      name: "hub_idle_job_lateness_seconds",
      help: "How late idle jobs ran after their due time, on this node.",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
