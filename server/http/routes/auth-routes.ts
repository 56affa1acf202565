/** Sign-in, sign-out and "who am I": POST /api/auth/login, POST /api/auth/logout, GET /api/me. */
import { Router } from "express";
import { loginBodySchema } from "../../../shared/schemas.ts";
import { publicAccount } from "../../accounts/account-store.ts";
import { notFound } from "../../errors.ts";
import type { HubServices } from "../../services.ts";
import { toSession } from "../../sessions/session-record.ts";
import { auth, authenticate } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function authRoutes(services: HubServices): Router {
  const router = Router();
  const { accounts, sessions, ender } = services;

  router.post("/api/auth/login", async (req, res) => {
    const body = parse(loginBodySchema, req.body);
    const result = await services.logins.login(body, req.ip ?? null);
    services.ctx.logger.info({ sessionId: result.session.id, username: result.account.username, app: body.app }, "login");
    res.status(201).json(result);
  });

  router.post("/api/auth/logout", authenticate(sessions), async (_req, res) => {
    await ender.end(auth(res).session.id, "logout");
    res.status(204).end();
  });

  router.get("/api/me", authenticate(sessions), async (_req, res) => {
    const { session } = auth(res);
    const account = await accounts.get(session.accountId);
    if (!account) throw notFound("The account of this session no longer exists.");
    res.json({ session: toSession(session), account: publicAccount(account) });
  });

  return router;
}
