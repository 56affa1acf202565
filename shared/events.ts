/**
 * Socket.IO event maps of the wire contract. The server uses them as
 * `Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>` and the
 * SDK as `Socket<ServerToClientEvents, ClientToServerEvents>`.
 */
import type { EndReason, EndedBy, IdleSettings, LicenseUsage, Session } from "./types.ts";

/** Payload of `session:prompt`: keep the session? Answer with `session:keep` before `respondBy`. */
export interface SessionPromptPayload {
  sessionId: string;
  respondBy: number;
  /** Server time when the prompt was sent, so a client can correct `respondBy` for clock skew. */
  serverNow: number;
}

/** Payload of `session:resumed`: the prompt was answered (in any tab or app); close it. */
export interface SessionResumedPayload {
  sessionId: string;
}

/** Payload of `session:ended`, sent just before the server disconnects the socket. */
export interface SessionEndedPayload {
  sessionId: string;
  reason: EndReason;
  message: string;
  by?: EndedBy;
}

export interface KeepAck {
  ok: boolean;
}

/** Namespace `/`: every client's own session channel. */
export interface ClientToServerEvents {
  /** The user did something. Any other event a client sends also counts as activity. */
  activity: () => void;
  /** The answer to a prompt. */
  "session:keep": (ack?: (result: KeepAck) => void) => void;
}

export interface ServerToClientEvents {
  "session:prompt": (payload: SessionPromptPayload) => void;
  "session:resumed": (payload: SessionResumedPayload) => void;
  "session:ended": (payload: SessionEndedPayload) => void;
}

export interface SessionsSnapshot {
  seq: number;
  sessions: Session[];
  usage: LicenseUsage;
  settings: IdleSettings;
  /** Server time when the snapshot was read, for clock-skew correction of durations. */
  serverNow: number;
}

export interface EndedRef {
  id: string;
  reason: EndReason;
}

/**
 * A batch of changes. `fromSeq` is the first change it holds and `seq` the last; a client that
 * has seen `seq` S and gets `fromSeq` > S + 1 has missed changes and must reload the snapshot.
 */
export interface SessionsDelta {
  seq: number;
  fromSeq: number;
  started: Session[];
  updated: Session[];
  ended: EndedRef[];
  usage?: LicenseUsage;
  serverNow: number;
}

/**
 * Namespace `/admin`: dashboards. A dashboard is also a Web App session: it opens `/` beside
 * `/admin` (one connection, two namespaces) for its own prompts and end notices.
 */
export interface AdminServerToClientEvents {
  "sessions:snapshot": (snapshot: SessionsSnapshot) => void;
  "sessions:delta": (delta: SessionsDelta) => void;
  "settings:changed": (settings: IdleSettings) => void;
}

export interface AdminClientToServerEvents {
  "sessions:resync": (ack: (snapshot: SessionsSnapshot) => void) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

/** What the server keeps on each authenticated socket. */
export interface SocketData {
  sessionId: string;
  accountId: string;
  role: "admin" | "technician";
}
