/** Account administration: /api/accounts. Disabling or deleting an account ends its sessions. */
import { Router } from "express";
import { z } from "zod";
import { createAccountBodySchema, updateAccountBodySchema } from "../../../shared/schemas.ts";
import { publicAccount } from "../../accounts/account-store.ts";
import { hashPassword } from "../../accounts/password.ts";
import { notFound, validationFailed } from "../../errors.ts";
import type { HubServices } from "../../services.ts";
import { auth, authenticate, requireAdmin } from "../authenticate.ts";
import { parse } from "../validate.ts";

const idSchema = z.strictObject({ id: z.uuid("id must be an account id") });

export function accountRoutes(services: HubServices): Router {
  const router = Router();
  const { accounts, sessions, ender, ctx } = services;
  router.use("/api/accounts", authenticate(sessions), requireAdmin);

  async function endSessionsOf(accountId: string, by: { accountId: string; username: string }) {
    await ender.endMany(await sessions.idsOfAccount(accountId), "account-disabled", { by });
  }

  router.get("/api/accounts", async (_req, res) => {
    res.json({ accounts: await accounts.list() });
  });

  router.post("/api/accounts", async (req, res) => {
    const body = parse(createAccountBodySchema, req.body);
    const account = await accounts.create(body);
    ctx.logger.info({ accountId: account.id, username: account.username }, "account created");
    res.status(201).json(account);
  });

  router.patch("/api/accounts/:id", async (req, res) => {
    const { id } = parse(idSchema, req.params);
    const body = parse(updateAccountBodySchema, req.body);
    const admin = auth(res).session;
    const current = await accounts.require(id);
    if (id === admin.accountId && (body.disabled === true || body.role === "technician")) {
      throw validationFailed("You cannot disable yourself or take away your own admin role.");
    }
    if (body.licenseType) await accounts.setLicenseType(id, body.licenseType);
    const fields: Record<string, string> = {};
    if (body.displayName !== undefined) fields.displayName = body.displayName || current.username;
    if (body.role) fields.role = body.role;
    if (body.disabled !== undefined) fields.disabled = body.disabled ? "1" : "0";
    if (body.password) fields.passwordHash = await hashPassword(body.password);
    await accounts.setFields(id, fields);
    if (body.disabled === true && !current.disabled) {
      await endSessionsOf(id, { accountId: admin.accountId, username: admin.username });
    }
    const updated = await accounts.get(id);
    if (!updated) throw notFound(`No account with id ${id}.`);
    res.json(publicAccount(updated));
  });

  router.delete("/api/accounts/:id", async (req, res) => {
    const { id } = parse(idSchema, req.params);
    const admin = auth(res).session;
    if (id === admin.accountId) throw validationFailed("You cannot delete your own account.");
    if (!(await accounts.delete(id))) throw notFound(`No account with id ${id}.`);
    await endSessionsOf(id, { accountId: admin.accountId, username: admin.username });
    res.status(204).end();
  });

  return router;
}
