import { ErrorCode, type ErrorBody } from "../shared/errors.ts";

/** The one error family of the hub: a code from the contract, a human sentence and an HTTP status. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra fields of the body, beside code and message. */
  readonly details: Omit<ErrorBody, "code" | "message">;

  constructor(code: ErrorCode, message: string, status: number, details: Omit<ErrorBody, "code" | "message"> = {}) {
    super(message);
    this.name = "HubError";
    this.code = code;
    this.status = status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export const validationFailed = (message: string) =>
  new HubError(ErrorCode.VALIDATION_FAILED, message, 400);
export const notFound = (message: string) => new HubError(ErrorCode.NOT_FOUND, message, 404);
export const forbidden = (message = "This needs an administrator.") =>
  new HubError(ErrorCode.FORBIDDEN, message, 403);
export const conflict = (message: string) => new HubError(ErrorCode.CONFLICT, message, 409);
export const unavailable = (message = "The session store is unreachable; try again shortly.") =>
  new HubError(ErrorCode.UNAVAILABLE, message, 503);

/** 429 RATE_LIMITED; the HTTP answer carries `Retry-After`. */
export class RateLimitedError extends HubError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(ErrorCode.RATE_LIMITED, message, 429);
  }
}
