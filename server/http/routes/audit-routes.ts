/** The audit log and session history: GET /api/audit, GET /api/session-history (JSON or CSV). */
import { Router } from "express";
import { auditQuerySchema, sessionHistoryQuerySchema } from "../../../shared/schemas.ts";
import type { HubServices } from "../../services.ts";
import { authenticate, requireAdmin } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function auditRoutes(services: HubServices): Router {
  const router = Router();
  const { sessions, audit, sessionHistory, ctx } = services;
  router.use(["/api/audit", "/api/session-history"], authenticate(sessions), requireAdmin);

  router.get("/api/audit", async (req, res) => {
    res.json(await audit.query(parse(auditQuerySchema, req.query)));
  });

  router.get("/api/session-history", async (req, res) => {
    const query = parse(sessionHistoryQuerySchema, req.query);
    if (query.format === "csv") {
      const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      res
        .type("text/csv; charset=utf-8")
        .attachment(`session-history-${day}.csv`)
        .send(await sessionHistory.csv(query));
      return;
    }
    res.json(await sessionHistory.query(query));
  });

  return router;
}
