/**
 * HubClient: one technician session on the hub, from sign-in to its end. It owns the session
 * socket, reports activity, surfaces keep-session prompts and tells the app why a session ended —
 * also when it learns that only on a reconnect or a later request.
 */
import type { KeepAck, SessionEndedPayload, SessionPromptPayload, SessionResumedPayload } from "../../shared/events.ts";
import { ErrorCode } from "../../shared/errors.ts";
import type { Account, App, EndedBy, Session } from "../../shared/types.ts";
import { Throttle } from "./activity.ts";
import { Backoff } from "./backoff.ts";
import { TypedEmitter } from "./emitter.ts";
import {
  defaultEndMessage,
  endReasonOf,
  errorFromConnectError,
  HubClientError,
  type SessionEndReason,
} from "./errors.ts";
import { requestJson } from "./http.ts";
import { resolveOptions, type HubClientOptions, type HubSocket, type ResolvedOptions } from "./options.ts";
import { remainingMs, toSessionPrompt, type SessionPrompt } from "./prompt.ts";
import type { LoginResult, MeResult } from "../../shared/http.ts";

export type { LoginResult, MeResult };

/**
 * Where the client's session connection is:
 * `disconnected` (signed in or not, no socket), `connecting` (first connect), `connected`,
 * `reconnecting` (lost the connection, trying again), `ended` (the session is over).
 */
export type ConnectionState = "disconnected" | "connecting" | "connected" | "reconnecting" | "ended";

export interface LoginCredentials {
  username: string;
  password: string;
  app: App;
  /** Shown to admins in Logged Users, e.g. "Chrome on Windows" or "Pixel 8". */
  device?: string;
}

/** Why and how a session ended. Emitted once per session. */
export interface SessionEnd {
  /** The session's id, when the client knew it. */
  sessionId: string | null;
  reason: SessionEndReason;
  /** The sentence to show the user, with the administrator's note when there was one. */
  message: string;
  /** The administrator who ended it, when one did. */
  by?: EndedBy;
  /** Local time the client learned of the end. */
  at: number;
}

export type HubClientEvents = {
  state: (state: ConnectionState) => void;
  /** The hub asks whether to keep the idle session; answer with `keep()` before `prompt.deadline`. */
  prompt: (prompt: SessionPrompt) => void;
  /** The prompt was answered (here, in another tab, or another app): close it. */
  resumed: (payload: SessionResumedPayload) => void;
  ended: (end: SessionEnd) => void;
  /** A transient problem (hub unreachable, handshake refused for a passing reason); the client retries. */
  error: (error: HubClientError) => void;
};

/** A session client usable in browsers, Node and React Native; see `HubClientOptions`. */
export class HubClient extends TypedEmitter<HubClientEvents> {
  private readonly options: ResolvedOptions;
  private readonly throttle: Throttle;
  private readonly backoff: Backoff;
  private currentToken: string | null = null;
  private currentSession: Session | null = null;
  private currentAccount: Account | null = null;
  private currentPrompt: SessionPrompt | null = null;
  private currentState: ConnectionState = "disconnected";
  private socket: HubSocket | null = null;
  private hasConnected = false;
  private ended = false;
  private pendingActivity = false;
  private stopActivitySource: (() => void) | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectWaiters: { resolve: () => void; reject: (error: HubClientError) => void }[] = [];

  constructor(options: HubClientOptions) {
    super();
    this.options = resolveOptions(options);
    this.throttle = new Throttle(this.options.activityThrottleMs, this.options.clock, () => this.sendActivity());
    this.backoff = new Backoff(this.options.reconnect);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The session as of the last login or `me()`. */
  get session(): Session | null {
    return this.currentSession;
  }

  get account(): Account | null {
    return this.currentAccount;
  }

  /** The open prompt, or null when none is waiting for an answer. */
  get prompt(): SessionPrompt | null {
    return this.currentPrompt;
  }

  /** The bearer token of the current session, for calls the SDK does not wrap. */
  get token(): string | null {
    return this.currentToken;
  }

  /** Milliseconds left to answer the open prompt on the local clock, or 0 without one. */
  promptRemainingMs(): number {
    return this.currentPrompt ? remainingMs(this.currentPrompt, this.options.clock) : 0;
  }

  /** Signs in and keeps the token in storage. Call `connect()` next. */
  async login(credentials: LoginCredentials): Promise<LoginResult> {
    const body = { username: credentials.username, password: credentials.password, app: credentials.app };
    const result = await requestJson<LoginResult>(this.options.fetch, this.options.url, {
      method: "POST",
      path: "/api/auth/login",
      body: credentials.device ? { ...body, device: credentials.device } : body,
    });
    this.adopt(result.token);
    this.currentSession = result.session;
    this.currentAccount = result.account;
    await this.options.storage.set(result.token);
    return result;
  }

  /**
   * Picks up a session from storage (a page reload, another tab's sign-in, an app relaunch).
   * Returns the session, or null when there is none; when the stored session has ended meanwhile,
   * `ended` fires with the reason and this returns null.
   */
  async restore(): Promise<MeResult | null> {
    const stored = await this.options.storage.get();
    if (!stored) return null;
    if (stored !== this.currentToken || this.ended) this.adopt(stored);
    try {
      return await this.me();
    } catch (error) {
      if (error instanceof HubClientError && endReasonOf(error)) return null;
      throw error;
    }
  }

  /** The current session and account; a dead token ends the session (with its reason) and throws. */
  async me(): Promise<MeResult> {
    const token = await this.requireToken();
    try {
      const result = await requestJson<MeResult>(this.options.fetch, this.options.url, {
        method: "GET",
        path: "/api/me",
        token,
      });
      if (token === this.currentToken) {
        this.currentSession = result.session;
        this.currentAccount = result.account;
      }
      return result;
    } catch (error) {
      if (token === this.currentToken) this.endOnDeadToken(error);
      throw error;
    }
  }

  /**
   * Opens the session socket and keeps it open, reconnecting with jittered backoff. Resolves once
   * connected; rejects with the hub's error when the session turns out to have ended (after
   * `ended` has fired).
   */
  async connect(): Promise<void> {
    const token = await this.requireToken();
    if (this.ended) throw new HubClientError(ErrorCode.SESSION_ENDED, "the session has ended; sign in again");
    const connected = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    // `ended` is the primary channel; a caller that ignores this promise must not get an unhandled rejection.
    connected.catch(() => {});
    if (this.socket) {
      if (this.socket.connected) this.settleConnectWaiters();
      return connected;
    }
    this.hasConnected = false;
    this.backoff.reset();
    this.setState("connecting");
    this.openSocket(token);
    this.stopActivitySource ??= this.options.activitySource.start(() => this.activity());
    return connected;
  }

  /** Reports that the user did something; sent throttled, and held until connected. */
  activity(): void {
    if (this.ended || !this.currentToken) return;
    this.throttle.report();
  }

  /** Answers the prompt: keep the session. Every tab and app of the session gets `resumed`. */
  async keep(): Promise<KeepAck> {
    const socket = this.socket;
    if (!socket?.connected) throw new HubClientError("NETWORK", "not connected to the hub; try again in a moment");
    let ack: KeepAck;
    try {
      ack = await socket.timeout(this.options.ackTimeoutMs).emitWithAck("session:keep");
    } catch {
      throw new HubClientError("NETWORK", "the hub did not answer in time; try again");
    }
    if (ack.ok) this.resolvePrompt(this.currentPrompt?.sessionId ?? this.currentSession?.id ?? "");
    return ack;
  }

  /** Signs out: ends the session on the hub; `ended` fires with reason `logout`. */
  async logout(): Promise<void> {
    const token = await this.requireToken();
    try {
      await requestJson<void>(this.options.fetch, this.options.url, { method: "POST", path: "/api/auth/logout", token });
    } catch (error) {
      if (token === this.currentToken && this.endOnDeadToken(error)) return;
      throw error;
    }
    if (token === this.currentToken) this.finish({ reason: "logout", message: defaultEndMessage("logout") });
  }

  /**
   * Closes the socket and stops reporting activity without ending the session (page unload,
   * shutting a simulator down). The token stays in storage; `connect()` resumes.
   */
  disconnect(): void {
    this.closeSocket();
    this.rejectConnectWaiters(new HubClientError("NETWORK", "disconnected by the client"));
    if (!this.ended) this.setState("disconnected");
  }

  private async requireToken(): Promise<string> {
    if (!this.currentToken && !this.ended) {
      const stored = await this.options.storage.get();
      if (stored) this.adopt(stored);
    }
    if (!this.currentToken) throw new HubClientError(ErrorCode.UNAUTHENTICATED, "not signed in");
    return this.currentToken;
  }

  /** Starts tracking a new token: any previous session's socket and prompt are dropped silently. */
  private adopt(token: string): void {
    this.closeSocket();
    this.rejectConnectWaiters(new HubClientError(ErrorCode.SESSION_ENDED, "another session replaced this one"));
    this.currentToken = token;
    this.currentSession = null;
    this.currentAccount = null;
    this.currentPrompt = null;
    this.ended = false;
    this.pendingActivity = false;
    this.setState("disconnected");
  }

  private openSocket(token: string): void {
    const { reconnect, socketOptions } = this.options;
    const socket = this.options.socketFactory(this.options.url, {
      ...socketOptions,
      auth: { token },
      // A fresh manager per client: two sessions in one process must never share a connection.
      forceNew: true,
      reconnection: true,
      reconnectionDelay: reconnect.delayMs,
      reconnectionDelayMax: reconnect.maxDelayMs,
      randomizationFactor: reconnect.randomizationFactor,
    });
    this.socket = socket;
    socket.on("connect", () => this.onConnect(socket));
    socket.on("disconnect", (reason) => this.onDisconnect(socket, reason));
    socket.on("connect_error", (error) => this.onConnectError(socket, error));
    socket.on("session:prompt", (payload) => this.onPrompt(payload));
    socket.on("session:resumed", (payload) => this.resolvePrompt(payload.sessionId));
    socket.on("session:ended", (payload) => this.onEnded(payload));
  }

  private onConnect(socket: HubSocket): void {
    if (socket !== this.socket) return;
    this.hasConnected = true;
    this.backoff.reset();
    this.setState("connected");
    if (this.pendingActivity) this.sendActivity();
    this.settleConnectWaiters();
  }

  private onDisconnect(socket: HubSocket, reason: string): void {
    if (socket !== this.socket || this.ended || reason === "io client disconnect") return;
    this.setState("reconnecting");
    // socket.io reconnects by itself after transport loss, but not when the server closed the
    // socket; the next handshake then either succeeds or says why the session is over.
    if (reason === "io server disconnect") this.scheduleRetry(socket);
  }

  private onConnectError(socket: HubSocket, raw: Error): void {
    if (socket !== this.socket || this.ended) return;
    const error = errorFromConnectError(raw);
    if (this.endOnDeadToken(error)) return;
    this.emit("error", error);
    this.setState(this.hasConnected ? "reconnecting" : "connecting");
    // A refusal by the server's middleware stops socket.io's own reconnection.
    if (!socket.active) this.scheduleRetry(socket);
  }

  private onPrompt(payload: SessionPromptPayload): void {
    if (this.ended) return;
    this.currentPrompt = toSessionPrompt(payload, this.options.clock);
    this.emit("prompt", this.currentPrompt);
  }

  private resolvePrompt(sessionId: string): void {
    if (!this.currentPrompt) return;
    this.currentPrompt = null;
    this.emit("resumed", { sessionId });
  }

  private onEnded(payload: SessionEndedPayload): void {
    this.finish({
      sessionId: payload.sessionId,
      reason: payload.reason,
      message: payload.message || defaultEndMessage(payload.reason),
      by: payload.by,
    });
  }

  /** Ends the session when `error` says the token is dead; returns whether it did. */
  private endOnDeadToken(error: unknown): boolean {
    if (!(error instanceof HubClientError)) return false;
    const reason = endReasonOf(error);
    if (!reason) return false;
    const message = error.message && error.message !== error.code ? error.message : defaultEndMessage(reason);
    this.finish({ reason, message });
    return true;
  }

  private finish(end: Omit<SessionEnd, "at" | "sessionId"> & { sessionId?: string }): void {
    if (this.ended) return;
    this.ended = true;
    const token = this.currentToken;
    this.closeSocket();
    this.currentPrompt = null;
    this.currentToken = null;
    const sessionId = end.sessionId ?? this.currentSession?.id ?? null;
    this.rejectConnectWaiters(new HubClientError(ErrorCode.SESSION_ENDED, end.message));
    void this.forgetStoredToken(token);
    this.setState("ended");
    this.emit("ended", { ...end, sessionId, at: this.options.clock.now() });
  }

  /** Clears storage only if it still holds the ended token: another tab may have signed in since. */
  private async forgetStoredToken(token: string | null): Promise<void> {
    try {
      if (token && (await this.options.storage.get()) === token) await this.options.storage.clear();
    } catch {
      // Storage can be unavailable (private mode, quota); the dead token is harmless there.
    }
  }

  private sendActivity(): void {
    if (this.socket?.connected) {
      this.pendingActivity = false;
      this.socket.emit("activity");
    } else {
      this.pendingActivity = true;
    }
  }

  private scheduleRetry(socket: HubSocket): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (socket === this.socket && !this.ended && !socket.connected) socket.connect();
    }, this.backoff.next());
  }

  private closeSocket(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.throttle.cancel();
    this.stopActivitySource?.();
    this.stopActivitySource = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  private settleConnectWaiters(): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  private rejectConnectWaiters(error: HubClientError): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit("state", state);
  }
}
