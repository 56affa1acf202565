/** License and License Usage: GET/PUT /api/license, GET /api/license/history. */
import { Router } from "express";
import { AuditType } from "../../../shared/audit.ts";
import { historyQuerySchema, licenseSchema } from "../../../shared/schemas.ts";
import type { HubServices } from "../../services.ts";
import { auth, authenticate, requireAdmin } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function licenseRoutes(services: HubServices): Router {
  const router = Router();
  const { license, history, sessions } = services;
  router.use("/api/license", authenticate(sessions), requireAdmin);

  router.get("/api/license", async (_req, res) => {
    res.json({ license: await license.get(), usage: await license.usage() });
  });

  router.put("/api/license", async (req, res) => {
    const next = parse(licenseSchema, req.body);
    const before = await license.get();
    await license.set(next);
    services.ctx.logger.info({ license: next }, "license changed");
    const admin = auth(res).session;
    await services.audit.record({
      type: AuditType.LICENSE_CHANGED,
      actor: { accountId: admin.accountId, username: admin.username },
      detail: { before, after: next },
    });
    res.json({ license: next, usage: await license.usage() });
  });

  router.get("/api/license/history", async (req, res) => {
    const query = parse(historyQuerySchema, req.query);
    const current = await license.get();
    const limit = query.type === "named" ? current.namedUsers : current.concurrentUsers;
    res.json(await history.query(query.type, query.period, limit));
  });

  return router;
}
