/**
 * Sign-in as the HTTP route runs it: the failed-login limits first, then the password check and
 * the session (sessions/login.ts), then the audit entry for whatever happened.
 */
import { EventEmitter } from "node:events";
import { AuditType } from "../../shared/audit.ts";
import { ErrorCode } from "../../shared/errors.ts";
import type { LoginBody } from "../../shared/schemas.ts";
import type { AccountStore } from "../accounts/account-store.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { HubError, RateLimitedError } from "../errors.ts";
import type { LoginResult } from "../../shared/http.ts";
import { login } from "../sessions/login.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import type { LoginLimiter } from "./login-limiter.ts";

export interface LoginGuardDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  limiter: LoginLimiter;
  audit: AuditLog;
}

/** How a sign-in attempt ended, for the metrics. */
export type LoginOutcome = "ok" | "failed" | "refused" | "rate_limited";

export class LoginGuard extends EventEmitter<{ attempt: [LoginOutcome] }> {
  constructor(private readonly deps: LoginGuardDeps) {
    super();
  }

  async login(body: LoginBody, ip: string | null): Promise<LoginResult> {
    const { accounts, sessions, limiter, audit } = this.deps;
    const username = body.username.trim();
    const attempt = { target: { username }, ip, app: body.app };
    try {
      await limiter.check(username, ip);
    } catch (error) {
      // Counted, not logged per attempt: the audit entry was written when the limit was reached.
      if (error instanceof RateLimitedError) this.emit("attempt", "rate_limited");
      throw error;
    }
    let result: LoginResult;
    try {
      result = await login(accounts, sessions, body, ip);
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      if (error.code === ErrorCode.LICENSE_LIMIT_REACHED) {
        this.emit("attempt", "refused");
        await audit.record({ ...attempt, type: AuditType.LOGIN_REFUSED, message: error.message, detail: { code: error.code } });
      } else if (error.code === ErrorCode.INVALID_CREDENTIALS || error.code === ErrorCode.ACCOUNT_DISABLED) {
        this.emit("attempt", "failed");
        const reached = error.code === ErrorCode.INVALID_CREDENTIALS ? await limiter.failed(username, ip) : [];
        await audit.record({ ...attempt, type: AuditType.LOGIN_FAILED, message: error.message, detail: { code: error.code } });
        if (reached.length > 0) {
          await audit.record({
            ...attempt,
            type: AuditType.LOGIN_RATE_LIMITED,
            message: "Failed sign-in limit reached; further attempts are refused until the window ends.",
            detail: { scopes: reached },
          });
        }
      }
      throw error;
    }
    this.emit("attempt", "ok");
    await limiter.succeeded(username, ip);
    await audit.record({
      type: AuditType.LOGIN_SUCCEEDED,
      actor: { accountId: result.account.id, username: result.account.username },
      target: { accountId: result.account.id, username: result.account.username, sessionId: result.session.id },
      ip,
      app: body.app,
      ...(body.device ? { detail: { device: body.device } } : {}),
    });
    return result;
  }
}
