/**
 * A user changing their own password: POST /api/me/password { currentPassword, newPassword }.
 * The current password is checked under the failed-login limits (a stolen token must not become
 * a password oracle); on success every other session of the account ends, the caller's stays.
 */
import { Router } from "express";
import { AuditType } from "../../../shared/audit.ts";
import { ErrorCode } from "../../../shared/errors.ts";
import { PASSWORD_CHANGED_ELSEWHERE } from "../../../shared/messages.ts";
import { changePasswordBodySchema } from "../../../shared/schemas.ts";
import { hashPassword, verifyPassword } from "../../accounts/password.ts";
import { HubError } from "../../errors.ts";
import type { HubServices } from "../../services.ts";
import { auth, authenticate } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function passwordRoutes(services: HubServices): Router {
  const router = Router();
  const { accounts, sessions, ender, audit, loginLimiter, ctx } = services;

  router.post("/api/me/password", authenticate(sessions), async (req, res) => {
    const body = parse(changePasswordBodySchema, req.body);
    const { session } = auth(res);
    const ip = req.ip ?? null;
    const account = await accounts.require(session.accountId);
    await loginLimiter.check(account.username, ip);
    if (!(await verifyPassword(body.currentPassword, account.passwordHash))) {
      await loginLimiter.failed(account.username, ip);
      // 403, not 401: the token is fine, and clients take a 401 as "signed out".
      throw new HubError(ErrorCode.INVALID_CREDENTIALS, "The current password is wrong.", 403);
    }
    await accounts.setFields(account.id, { passwordHash: await hashPassword(body.newPassword) });
    const me = { accountId: account.id, username: account.username };
    const others = (await sessions.idsOfAccount(account.id)).filter((id) => id !== session.id);
    const ended = await ender.endMany(others, "logout", { message: PASSWORD_CHANGED_ELSEWHERE, by: me });
    await audit.record({
      type: AuditType.ACCOUNT_PASSWORD_CHANGED,
      actor: me,
      target: me,
      ip,
      message: "Changed their own password.",
      detail: { endedSessions: ended.length },
    });
    ctx.logger.info({ accountId: account.id, sessionId: session.id, endedSessions: ended.length }, "password changed");
    res.status(204).end();
  });

  return router;
}
