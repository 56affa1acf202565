/** Account administration: /api/accounts. Disabling or deleting an account ends its sessions. */
import { Router } from "express";
import { z } from "zod";
import { AuditType } from "../../../shared/audit.ts";
import { PASSWORD_RESET_NOTE } from "../../../shared/messages.ts";
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
  const { accounts, sessions, ender, audit, ctx } = services;
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
    const admin = auth(res).session;
    await audit.record({
      type: AuditType.ACCOUNT_CREATED,
      actor: { accountId: admin.accountId, username: admin.username },
      target: { accountId: account.id, username: account.username },
      detail: { licenseType: account.licenseType, role: account.role },
    });
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
    const by = { accountId: admin.accountId, username: admin.username };
    if (body.disabled === true && !current.disabled) {
      await endSessionsOf(id, by);
    }
    // A new password ends the sessions opened with the old one (not the admin's own, if it is theirs).
    if (body.password && !(body.disabled === true && !current.disabled)) {
      const others = (await sessions.idsOfAccount(id)).filter((sessionId) => sessionId !== admin.id);
      await ender.endMany(others, "terminated", { note: PASSWORD_RESET_NOTE, by });
    }
    const target = { accountId: id, username: current.username };
    const { password, ...changed } = body;
    if (Object.keys(changed).length > 0) {
      await audit.record({ type: AuditType.ACCOUNT_UPDATED, actor: by, target, detail: { changes: changed } });
    }
    if (password) {
      await audit.record({ type: AuditType.ACCOUNT_PASSWORD_CHANGED, actor: by, target, message: "Password set by an administrator." });
    }
    const updated = await accounts.get(id);
    if (!updated) throw notFound(`No account with id ${id}.`);
    res.json(publicAccount(updated));
  });

  router.delete("/api/accounts/:id", async (req, res) => {
    const { id } = parse(idSchema, req.params);
    const admin = auth(res).session;
    if (id === admin.accountId) throw validationFailed("You cannot delete your own account.");
    const account = await accounts.get(id);
    if (!(await accounts.delete(id))) throw notFound(`No account with id ${id}.`);
    const by = { accountId: admin.accountId, username: admin.username };
    await endSessionsOf(id, by);
    await audit.record({ type: AuditType.ACCOUNT_DELETED, actor: by, target: { accountId: id, username: account?.username } });
    res.status(204).end();
  });

  return router;
}
