/** Idle termination setting: GET/PUT /api/settings/idle-termination. */
import { Router } from "express";
import { AuditType } from "../../../shared/audit.ts";
import { idleSettingsSchema } from "../../../shared/schemas.ts";
import type { HubServices } from "../../services.ts";
import { auth, authenticate, requireAdmin } from "../authenticate.ts";
import { parse } from "../validate.ts";

export function settingsRoutes(services: HubServices): Router {
  const router = Router();
  const { idleSettings, sessions, idle, ctx } = services;
  const path = "/api/settings/idle-termination";
  const schema = idleSettingsSchema(ctx.options.minIdleTimeoutSeconds);
  router.use(path, authenticate(sessions), requireAdmin);

  router.get(path, async (_req, res) => {
    res.json(await idleSettings.get());
  });

  router.put(path, async (req, res) => {
    const settings = parse(schema, req.body);
    await idleSettings.set(settings);
    await idle.applySettings(settings);
    services.broadcastSettings(settings);
    ctx.logger.info({ settings }, "idle settings changed");
    const admin = auth(res).session;
    await services.audit.record({
      type: AuditType.SETTINGS_CHANGED,
      actor: { accountId: admin.accountId, username: admin.username },
      detail: { idleTermination: settings },
    });
    res.json(settings);
  });

  return router;
}
