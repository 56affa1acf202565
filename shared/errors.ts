import type { EndReason, EndedBy } from "./types.ts";

/**
 * Error codes of the wire contract. Every error the hub sends, over HTTP or as a socket
 * `connect_error`, carries one of these.
 */
export const ErrorCode = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  ACCOUNT_DISABLED: "ACCOUNT_DISABLED",
  LICENSE_LIMIT_REACHED: "LICENSE_LIMIT_REACHED",
  RATE_LIMITED: "RATE_LIMITED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  SESSION_TERMINATED: "SESSION_TERMINATED",
  SESSION_EXPIRED: "SESSION_EXPIRED",
  SESSION_ENDED: "SESSION_ENDED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The body of every error response, and the `data` of a socket `connect_error`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /**
   * For SESSION_TERMINATED / SESSION_EXPIRED / SESSION_ENDED: why the session ended (the code alone
   * does not tell a termination from a disabled account), which session, and who ended it.
   */
  reason?: EndReason;
  sessionId?: string;
  by?: EndedBy;
}

export interface ErrorResponse {
  error: ErrorBody;
}
