/** Idle termination setting: GET/PUT /api/settings/idle-termination. */
import { Router } from "express";
import { idleSettingsSchema } from "../../../shared/schemas.ts";
import type { HubServices } from "../../services.ts";
import { authenticate, requireAdmin } from "../authenticate.ts";
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
    res.json(settings);
  });

  return router;
}
