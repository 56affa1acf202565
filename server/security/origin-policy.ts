/**
 * Which browser origins may talk to the hub (OWASP: cross-site request forgery and cross-site
 * WebSocket hijacking). Allowed: requests without an Origin header (the mobile app, the Node SDK,
 * curl: Origin checks only matter for browsers), the hub's own origin (same host as the request's
 * Host header), and the configured allowlist. Only allowlisted origins get CORS headers; a
 * state-changing request or a Socket.IO handshake from any other origin is refused with 403.
 */
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { forbidden } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD"]);
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  /** `allowed`: normalized origins (`scheme://host[:port]`), see options.ts. */
  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed);
  }

  /** True when a request with this Origin and Host may proceed. */
  permits(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    return this.isSameOrigin(origin, host) || this.allowed.has(origin);
  }

  /**
   * Same origin = same host and port as the request's Host header. The scheme is not compared:
   * behind a TLS-terminating proxy the hub sees http while the page is https.
   */
  private isSameOrigin(origin: string, host: string | undefined): boolean {
    if (!host) return false;
    try {
      return new URL(origin).host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** Express middleware: CORS for allowlisted origins, 403 for foreign state-changing requests. */
  readonly http = (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    if (origin === undefined) return next();
    res.vary("Origin");
    if (this.isSameOrigin(origin, req.get("host"))) return next();
    if (this.allowed.has(origin)) {
      res.set({
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": "Retry-After",
      });
      if (req.method === "OPTIONS") {
        res.set({
          "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE",
          "Access-Control-Allow-Headers": "Authorization, Content-Type",
          "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
        });
        res.status(204).end();
        return;
      }
      return next();
    }
    if (SAFE_METHODS.has(req.method)) return next();
    next(forbidden("Requests from this origin are not allowed."));
  };

  /** Socket.IO's `allowRequest`: refuses a handshake from a foreign origin (HTTP 403). */
  readonly socket = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const origin = req.headers.origin;
    callback(null, this.permits(typeof origin === "string" ? origin : undefined, req.headers.host));
  };
}
