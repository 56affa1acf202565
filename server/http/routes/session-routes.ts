/** The Logged Users list and Terminate: GET /api/sessions, POST /api/sessions/terminate. */
import { Router } from "express";
import { terminateBodySchema } from "../../../shared/schemas.ts";
import type { HubServices } from "../../services.ts";
import { toSession } from "../../sessions/session-record.ts";
import { auth, authenticate, requireAdmin } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function sessionRoutes(services: HubServices): Router {
  const router = Router();
  const { sessions, ender } = services;
  router.use("/api/sessions", authenticate(sessions), requireAdmin);

  router.get("/api/sessions", async (_req, res) => {
    const seq = Number((await services.ctx.redis.get(services.ctx.keys.seq)) ?? 0);
    const records = await sessions.list();
    res.json({ seq, sessions: records.map(toSession) });
  });

  router.post("/api/sessions/terminate", async (req, res) => {
    const body = parse(terminateBodySchema, req.body);
    const admin = auth(res).session;
    const terminated = await ender.endMany(body.sessionIds, "terminated", {
      note: body.message || undefined,
      by: { accountId: admin.accountId, username: admin.username },
    });
    const done = new Set(terminated);
    res.json({ terminated, notFound: [...new Set(body.sessionIds)].filter((id) => !done.has(id)) });
  });

  return router;
}
