/**
 * Errors the SDK reports, and how a dead token's error code becomes the reason a session ended.
 */
import { ErrorCode, type ErrorBody } from "../../shared/errors.ts";
import { EndMessage } from "../../shared/messages.ts";
import { EndReason } from "../../shared/types.ts";

/** A refusal from the hub (HTTP error body or socket `connect_error`), or a network failure. */
export class HubClientError extends Error {
  override readonly name = "HubClientError";

  constructor(
    /** A contract `ErrorCode`, or `NETWORK` when the hub could not be reached. */
    readonly code: ErrorCode | "NETWORK",
    message: string,
    /** HTTP status; 0 for socket and network errors. */
    readonly status = 0,
    /** The end reason the hub sent with a dead-token error, if it sent one. */
    readonly reason?: EndReason,
  ) {
    super(message);
  }
}

/**
 * Why a session ended, as the SDK reports it: the contract's reasons, plus `unauthenticated` for
 * a token the hub no longer knows at all (its end record has aged out, or it never existed).
 */
export type SessionEndReason = EndReason | "unauthenticated";

const reasonByCode: Partial<Record<ErrorCode, SessionEndReason>> = {
  [ErrorCode.SESSION_TERMINATED]: EndReason.TERMINATED,
  [ErrorCode.SESSION_EXPIRED]: EndReason.EXPIRED,
  [ErrorCode.SESSION_ENDED]: EndReason.LOGOUT,
  [ErrorCode.ACCOUNT_DISABLED]: EndReason.ACCOUNT_DISABLED,
  [ErrorCode.UNAUTHENTICATED]: "unauthenticated",
};

const endReasons = new Set<string>(Object.values(EndReason));
const errorCodes = new Set<string>(Object.values(ErrorCode));

/** The end reason a dead-token error means, or null when the error does not mean the token is dead. */
export function endReasonOf(error: HubClientError): SessionEndReason | null {
  const byCode = error.code === "NETWORK" ? undefined : reasonByCode[error.code];
  if (!byCode) return null;
  if (error.reason) return error.reason;
  // The hub reports a disabled account's ended session as SESSION_TERMINATED; the shared end
  // sentence still tells the two apart.
  if (byCode === EndReason.TERMINATED && error.message.startsWith(EndMessage[EndReason.ACCOUNT_DISABLED])) {
    return EndReason.ACCOUNT_DISABLED;
  }
  return byCode;
}

/** The sentence shown for `reason` when the hub gave none. */
export function defaultEndMessage(reason: SessionEndReason): string {
  return reason === "unauthenticated"
    ? "Your session is no longer valid. Please sign in again."
    : EndMessage[reason];
}

/** Reads an error body (`{ code, message, reason? }`) defensively: it crosses the network. */
export function errorFromBody(body: unknown, status: number, fallback: string): HubClientError {
  const candidate = body as Partial<ErrorBody & { reason: unknown }> | null | undefined;
  const code =
    candidate && typeof candidate.code === "string" && errorCodes.has(candidate.code)
      ? candidate.code
      : status === 401
        ? ErrorCode.UNAUTHENTICATED
        : ErrorCode.INTERNAL;
  const message =
    candidate && typeof candidate.message === "string" && candidate.message ? candidate.message : fallback;
  const reason =
    candidate && typeof candidate.reason === "string" && endReasons.has(candidate.reason)
      ? (candidate.reason as EndReason)
      : undefined;
  return new HubClientError(code, message, status, reason);
}

/** Turns a socket.io `connect_error` into a HubClientError; transport failures become `NETWORK`. */
export function errorFromConnectError(error: Error & { data?: unknown }): HubClientError {
  if (error.data && typeof error.data === "object") {
    return errorFromBody(error.data, 0, error.message);
  }
  if (errorCodes.has(error.message)) {
    return new HubClientError(error.message as ErrorCode, error.message);
  }
  return new HubClientError("NETWORK", error.message || "cannot reach the hub");
}
