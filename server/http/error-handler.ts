/** The one place errors become HTTP responses of the contract's shape. */
import type { NextFunction, Request, Response } from "express";
import { ErrorCode, type ErrorResponse } from "../../shared/errors.ts";
import { HubError, notFound, RateLimitedError, unavailable } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { isRedisUnavailable } from "../redis/connection.ts";

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

export function toHubError(error: unknown): HubError {
  if (error instanceof HubError) return error;
  const err = error as BodyParserError;
  if (err?.type === "entity.parse.failed") {
    return new HubError(ErrorCode.VALIDATION_FAILED, "The body is not valid JSON.", 400);
  }
  if (err?.type === "entity.too.large") {
    return new HubError(ErrorCode.PAYLOAD_TOO_LARGE, "The body is too large.", 413);
  }
  if (err?.type === "encoding.unsupported" || err?.type === "charset.unsupported") {
    return new HubError(ErrorCode.VALIDATION_FAILED, "The body's encoding is not supported.", 415);
  }
  if (typeof err?.status === "number" && err.status >= 400 && err.status < 500) {
    return new HubError(ErrorCode.VALIDATION_FAILED, err.message || "Bad request.", err.status);
  }
  if (isRedisUnavailable(err)) return unavailable();
  return new HubError(ErrorCode.INTERNAL, "Something went wrong on the server.", 500);
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(notFound(`No route for ${req.method} ${req.path}.`));
}

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const hubError = toHubError(error);
    if (hubError.status >= 500) {
      logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    }
    if (hubError.status === 503) res.set("Retry-After", "1");
    if (hubError instanceof RateLimitedError) res.set("Retry-After", String(hubError.retryAfterSeconds));
    const body: ErrorResponse = { error: hubError.toBody() };
    res.status(hubError.status).json(body);
  };
}
