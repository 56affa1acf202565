/**
 * The handshake check of both namespaces: the token in `handshake.auth.token` is checked against
 * Redis on every connect (a lost broadcast cannot let a dead token back in). A refused connection
 * gets `connect_error` with `message` = the error code and `data` = `{ code, message }`.
 */
import type { ExtendedError, Socket } from "socket.io";
import { ErrorCode } from "../../shared/errors.ts";
import { HubError, RateLimitedError, unavailable } from "../errors.ts";
import type { SessionRecord } from "../sessions/session-record.ts";
import { tokenError, type SessionStore } from "../sessions/session-store.ts";

export function toConnectError(error: unknown): ExtendedError {
  const hubError = error instanceof HubError ? error : unavailable();
  const connectError = new Error(hubError.code) as ExtendedError;
  connectError.data = hubError.toBody();
  return connectError;
}

/**
 * Resolves a socket's token to its open session, or throws the HubError to refuse it with.
 * `maxSockets` refuses a session that already holds that many sockets across all nodes, read from
 * the same record as the token check (parallel connects can overshoot it by a few: it guards
 * against floods, it is no license rule).
 */
export async function authenticateSocket(
  socket: Socket,
  sessions: SessionStore,
  { adminOnly, maxSockets }: { adminOnly: boolean; maxSockets?: number },
): Promise<SessionRecord> {
  const token: unknown = socket.handshake.auth?.token;
  if (typeof token !== "string" || token.length === 0 || token.length > 256) {
    throw new HubError(ErrorCode.UNAUTHENTICATED, "Connect with auth: { token }.", 401);
  }
  const check = await sessions.check(token);
  if (check.kind !== "open") throw tokenError(check);
  if (check.disabled) throw new HubError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", 403);
  if (adminOnly && check.role !== "admin") {
    throw new HubError(ErrorCode.FORBIDDEN, "The dashboard is for administrators.", 403);
  }
  if (maxSockets !== undefined && check.session.sockets >= maxSockets) {
    throw new RateLimitedError(`A session may hold at most ${maxSockets} connections.`, 1);
  }
  socket.data.sessionId = check.session.id;
  socket.data.accountId = check.session.accountId;
  socket.data.role = check.role === "admin" ? "admin" : "technician";
  return check.session;
}
