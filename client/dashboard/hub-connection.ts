/**
 * The dashboard's two Socket.IO channels over one connection (one `Manager`):
 *
 * - `/`: the dashboard is itself a Web App session, so it gets `session:prompt`,
 *   `session:resumed` and `session:ended` like any other, and reports the admin's activity.
 * - `/admin`: `sessions:snapshot` on connect, batched `sessions:delta`s and `settings:changed`,
 *   fed into the `SessionsStore`; a gap or a reconnect reloads the snapshot.
 *
 * Socket.IO reconnects by itself after a transport loss; after a refusal by the server
 * (middleware error or server-side disconnect) it does not, so this module decides: a session
 * that is over goes back to sign-in, anything else is retried.
 */
import { Manager, type Socket } from "socket.io-client";
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  ServerToClientEvents,
  SessionEndedPayload,
  SessionPromptPayload,
  SessionResumedPayload,
  SessionsSnapshot,
} from "../../shared/events.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { SESSION_OVER_CODES, type HubApi } from "./api.ts";
import type { SessionsStore } from "./sessions-store.ts";

export type ConnectionStatus = "connecting" | "live" | "reconnecting";

export interface HubConnectionHandlers {
  onPrompt(payload: SessionPromptPayload): void;
  onResumed(payload: SessionResumedPayload): void;
  onEnded(payload: SessionEndedPayload): void;
  /** The hub refused the token (its session is over) without a `session:ended` first. */
  onRejected(error: ErrorBody): void;
  onStatus(status: ConnectionStatus): void;
}

/** How long to wait for the `/admin` snapshot the hub sends on connect before asking for one. */
const SNAPSHOT_GRACE_MS = 3000;
/** How long the hub may take to answer an acknowledged event. */
const ACK_TIMEOUT_MS = 5000;
/** Delay before reconnecting after the server refused us for a passing reason (e.g. Redis down). */
const RETRY_AFTER_REFUSAL_MS = 2000;

type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

export class HubConnection {
  private readonly manager: Manager;
  private readonly session: SessionSocket;
  private readonly admin: AdminSocket;
  private stopped = false;
  private status: ConnectionStatus = "connecting";
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private resyncInFlight: Promise<void> | null = null;
  private activityPending = false;

  constructor(
    token: string,
    private readonly store: SessionsStore,
    private readonly api: HubApi,
    private readonly handlers: HubConnectionHandlers,
    url = window.location.origin,
  ) {
    this.manager = new Manager(url, {
      autoConnect: false,
      reconnectionDelayMax: 5000,
      // WebSocket first: it needs no sticky sessions across hub nodes (long-polling does);
      // polling stays as the fallback for networks that block WebSockets.
      transports: ["websocket", "polling"],
    });
    this.session = this.manager.socket("/", { auth: { token } }) as SessionSocket;
    this.admin = this.manager.socket("/admin", { auth: { token } }) as AdminSocket;
    this.store.onGap = () => this.resyncSoon();
    this.wireSession();
    this.wireAdmin();
  }

  start(): void {
    this.store.expectSnapshot();
    this.session.connect();
    this.admin.connect();
  }

  /** Closes both channels for good (sign-out, session ended). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.snapshotTimer);
    this.store.onGap = null;
    this.session.disconnect();
    this.admin.disconnect();
  }

  get connected(): boolean {
    return this.session.connected && this.admin.connected;
  }

  /** Reports user activity now, or as soon as the session channel is back. */
  sendActivity(): void {
    if (this.session.connected) this.session.emit("activity");
    else this.activityPending = true;
  }

  /** Answers a prompt: keep this session. Resolves with whether the hub accepted in time. */
  keepSession(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
      this.session.emit("session:keep", (result) => {
        clearTimeout(timer);
        resolve(result.ok);
      });
    });
  }

  /**
   * Reloads the snapshot: over `/admin` when it is up (sessions, usage and settings), else the
   * session list over HTTP. Concurrent calls share one request.
   */
  resync(): Promise<void> {
    if (this.resyncInFlight) return this.resyncInFlight;
    this.store.expectSnapshot();
    const work = this.admin.connected ? this.resyncOverSocket() : this.resyncOverHttp();
    this.resyncInFlight = work.finally(() => {
      this.resyncInFlight = null;
    });
    return this.resyncInFlight;
  }

  /** Resyncs in the background, retrying until it succeeds or the dashboard closes. */
  private resyncSoon(): void {
    this.resync().catch(() => {
      if (!this.stopped) setTimeout(() => this.resyncSoon(), RETRY_AFTER_REFUSAL_MS);
    });
  }

  private resyncOverSocket(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.admin.timeout(ACK_TIMEOUT_MS).emit("sessions:resync", (err: Error | null, snapshot: SessionsSnapshot) => {
        if (err) {
          reject(new Error("The hub did not answer the refresh in time."));
          return;
        }
        this.store.applySnapshot(snapshot);
        resolve();
      });
    });
  }

  private async resyncOverHttp(): Promise<void> {
    const list = await this.api.sessions();
    this.store.applySessionList(list.seq, list.sessions);
  }

  private wireSession(): void {
    const socket = this.session;
    socket.on("connect", () => {
      this.updateStatus();
      if (this.activityPending) {
        this.activityPending = false;
        socket.emit("activity");
      }
    });
    socket.on("session:prompt", (payload) => this.handlers.onPrompt(payload));
    socket.on("session:resumed", (payload) => this.handlers.onResumed(payload));
    socket.on("session:ended", (payload) => {
      if (this.stopped) return;
      this.stop();
      this.handlers.onEnded(payload);
    });
    this.wireLifecycle(socket);
  }

  private wireAdmin(): void {
    const socket = this.admin;
    socket.on("connect", () => {
      this.updateStatus();
      // The hub sends a snapshot on every connect; ask for one if it does not come.
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = setTimeout(() => this.resyncSoon(), SNAPSHOT_GRACE_MS);
    });
    socket.on("sessions:snapshot", (snapshot) => {
      clearTimeout(this.snapshotTimer);
      this.store.applySnapshot(snapshot);
    });
    socket.on("sessions:delta", (delta) => this.store.applyDelta(delta));
    socket.on("settings:changed", (settings) => this.store.applySettings(settings));
    this.wireLifecycle(socket);
  }

  /**
   * Connection-state handling shared by both channels. It uses only Socket.IO's reserved events,
   * so the two differently typed sockets are handled as a plain `Socket`.
   */
  private wireLifecycle(typed: SessionSocket | AdminSocket): void {
    const socket = typed as unknown as Socket;
    socket.on("disconnect", (reason) => {
      if (this.stopped) return;
      // Until the snapshot after reconnecting arrives, changes may be missed: hold deltas.
      if (typed === this.admin) this.store.expectSnapshot();
      this.updateStatus();
      if (reason === "io server disconnect") void this.recoverFromRefusal(socket);
    });
    socket.on("connect_error", (err) => {
      if (this.stopped) return;
      this.updateStatus();
      const data = (err as { data?: Partial<ErrorBody> }).data;
      if (data?.code && SESSION_OVER_CODES.has(data.code)) {
        this.stop();
        this.handlers.onRejected({ code: data.code, message: data.message ?? err.message });
        return;
      }
      // A refusal by middleware is not retried by Socket.IO itself.
      if (!socket.active) void this.recoverFromRefusal(socket);
    });
  }

  /** The server closed or refused a channel: find out whether the session is still good. */
  private async recoverFromRefusal(socket: Socket): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_REFUSAL_MS));
    if (this.stopped) return;
    try {
      await this.api.me();
    } catch (error) {
      // A session that is over is reported by the api's onSessionOver hook; other errors retry.
      if (this.stopped) return;
    }
    if (!this.stopped && !socket.active) socket.connect();
  }

  private updateStatus(): void {
    const next: ConnectionStatus = this.connected
      ? "live"
      : this.status === "connecting"
        ? "connecting"
        : "reconnecting";
    if (next === this.status) return;
    this.status = next;
    this.handlers.onStatus(next);
  }
}
