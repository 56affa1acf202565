/** Bearer-token checks for HTTP: every request is checked against Redis. */
import type { NextFunction, Request, Response } from "express";
import { ErrorCode } from "../../shared/errors.ts";
import { forbidden, HubError } from "../errors.ts";
import type { SessionRecord } from "../sessions/session-record.ts";
import { tokenError, type SessionStore } from "../sessions/session-store.ts";

export interface AuthLocals {
  session: SessionRecord;
  role: "admin" | "technician";
  token: string;
}

export function bearerToken(req: Request): string | null {
  const header = req.get("authorization");
  const match = header ? /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/** Resolves the bearer token to an open session, or answers 401 with why it is not one. */
export function authenticate(sessions: SessionStore) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new HubError(ErrorCode.UNAUTHENTICATED, "Send Authorization: Bearer <token>.", 401);
    const check = await sessions.check(token);
    if (check.kind !== "open") throw tokenError(check);
    if (check.disabled) throw new HubError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", 403);
    const locals: AuthLocals = {
      session: check.session,
      role: check.role === "admin" ? "admin" : "technician",
      token,
    };
    res.locals.auth = locals;
    next();
  };
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if ((res.locals.auth as AuthLocals | undefined)?.role !== "admin") throw forbidden();
  next();
}

export function auth(res: Response): AuthLocals {
  return res.locals.auth as AuthLocals;
}
