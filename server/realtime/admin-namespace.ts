/**
 * Namespace `/admin`: dashboards. On connect a dashboard gets a snapshot (read after its
 * sequence number, so nothing between is lost), then every delta of the change feed with a
 * newer sequence number. Deltas that arrive while its snapshot is being read wait for it. When
 * the sequence goes backwards (Redis lost its newest writes), every dashboard gets a new snapshot.
 */
import type { SessionsDelta, SessionsSnapshot } from "../../shared/events.ts";
import type { IdleSettings, LicenseUsage } from "../../shared/types.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { toSession } from "../sessions/session-record.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { ChangeFeed } from "./change-feed.ts";
import { sessionRoom, type AdminNamespace, type AdminSocket } from "./io-types.ts";
import { authenticateSocket, toConnectError } from "./socket-auth.ts";

export interface AdminNamespaceDeps {
  sessions: SessionStore;
  feed: ChangeFeed;
  readUsage: () => Promise<LicenseUsage>;
  readSettings: () => Promise<IdleSettings>;
  clock: Clock;
  logger: Logger;
}

interface Dashboard {
  socket: AdminSocket;
  /** Sequence number the dashboard has; null until its snapshot is sent. */
  seq: number | null;
  waiting: SessionsDelta[];
}

export function setupAdminNamespace(ns: AdminNamespace, deps: AdminNamespaceDeps): () => void {
  const { sessions, feed, clock, logger } = deps;
  const dashboards = new Map<string, Dashboard>();

  async function snapshot(): Promise<SessionsSnapshot> {
    const seq = await feed.currentSeq();
    const [records, usage, settings] = await Promise.all([sessions.list(), deps.readUsage(), deps.readSettings()]);
    return { seq, sessions: records.map(toSession), usage, settings, serverNow: clock.now() };
  }

  function deliver(dashboard: Dashboard, delta: SessionsDelta): void {
    if (dashboard.seq === null) {
      dashboard.waiting.push(delta);
      return;
    }
    if (delta.seq <= dashboard.seq) return;
    dashboard.seq = delta.seq;
    dashboard.socket.emit("sessions:delta", delta);
  }

  /** Sends a fresh snapshot; deltas that arrive meanwhile wait and follow it. */
  function sendSnapshot(dashboard: Dashboard): void {
    dashboard.seq = null;
    snapshot().then(
      (fresh) => {
        dashboard.socket.emit("sessions:snapshot", fresh);
        dashboard.seq = fresh.seq;
        for (const delta of dashboard.waiting.splice(0)) deliver(dashboard, delta);
      },
      (error: unknown) => {
        logger.warn({ err: (error as Error).message }, "snapshot failed; dropping dashboard socket");
        dashboard.socket.disconnect(true);
      },
    );
  }

  const unsubscribe = feed.subscribe((delta, reset) => {
    for (const dashboard of dashboards.values()) {
      if (reset) sendSnapshot(dashboard);
      else deliver(dashboard, delta);
    }
  });

  ns.use((socket, next) => {
    authenticateSocket(socket, sessions, { adminOnly: true }).then(
      () => next(),
      (error: unknown) => next(toConnectError(error)),
    );
  });

  ns.on("connection", (socket: AdminSocket) => {
    const dashboard: Dashboard = { socket, seq: null, waiting: [] };
    dashboards.set(socket.id, dashboard);
    void socket.join(sessionRoom(socket.data.sessionId));

    sendSnapshot(dashboard);

    socket.on("sessions:resync", (ack: unknown) => {
      if (typeof ack !== "function") return;
      snapshot().then(
        (fresh) => {
          dashboard.seq = fresh.seq;
          (ack as (snapshot: SessionsSnapshot) => void)(fresh);
        },
        (error: unknown) => logger.warn({ err: (error as Error).message }, "resync failed"),
      );
    });

    socket.on("disconnect", () => dashboards.delete(socket.id));
  });

  return unsubscribe;
}
