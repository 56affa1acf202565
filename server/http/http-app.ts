/** The Express app: JSON API, health checks, and the built dashboard and Web App. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Express } from "express";
import type { HubServices } from "../services.ts";
import { errorHandler, notFoundHandler } from "./error-handler.ts";
import { securityHeaders } from "../security/security-headers.ts";
import { accountRoutes } from "./routes/account-routes.ts";
import { auditRoutes } from "./routes/audit-routes.ts";
import { authRoutes } from "./routes/auth-routes.ts";
import { licenseRoutes } from "./routes/license-routes.ts";
import { passwordRoutes } from "./routes/password-routes.ts";
import { sessionRoutes } from "./routes/session-routes.ts";
import { settingsRoutes } from "./routes/settings-routes.ts";

export const BODY_LIMIT = "16kb";

export function createHttpApp(services: HubServices): Express {
  const { ctx } = services;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("query parser", "simple");
  app.use(securityHeaders());
  app.use(services.origins.http);

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, node: ctx.options.nodeId });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await ctx.redis.ping();
      // Ready means cross-node delivery works too: the adapter's pub/sub must be back as well.
      if (!services.redisReady()) throw new Error("a Redis connection is still reconnecting");
      res.json({ ok: true });
    } catch {
      res.status(503).json({ error: { code: "UNAVAILABLE", message: "Redis does not answer." } });
    }
  });

  app.get("/metrics", async (_req, res) => {
    const { contentType, body } = await services.metrics.render();
    res.set("Cache-Control", "no-store").type(contentType).send(body);
  });

  app.use("/api", express.json({ limit: BODY_LIMIT, strict: true }));
  app.use("/api", (_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  app.use(authRoutes(services));
  app.use(sessionRoutes(services));
  app.use(licenseRoutes(services));
  app.use(settingsRoutes(services));
  app.use(accountRoutes(services));
  app.use(passwordRoutes(services));
  app.use(auditRoutes(services));
  app.use("/api", notFoundHandler);

  const staticDir = ctx.options.staticDir;
  if (staticDir && existsSync(staticDir)) {
    app.use(express.static(staticDir, { index: "index.html", redirect: true }));
    app.get(/^\/app(\/.*)?$/, (_req, res) => res.sendFile(join(staticDir, "app", "index.html")));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
