import { randomBytes } from "node:crypto";
import type { ResolvedHubOptions } from "../options.ts";
import type { AccountStore } from "./account-store.ts";

/**
 * Creates the first admin when the store has no accounts, from the configured credentials or
 * with a generated password reported once through `onAdminCreated`. Two nodes starting on an
 * empty store at once create one admin: the username index refuses the second.
 */
export async function ensureFirstAdmin(accounts: AccountStore, options: ResolvedHubOptions): Promise<void> {
  if (!(await accounts.isEmpty())) return;
  const generated = !options.adminPassword;
  const password = options.adminPassword ?? randomBytes(12).toString("base64url");
  try {
    await accounts.create(
      { username: options.adminUsername, password, licenseType: "named", role: "admin", displayName: "Administrator" },
      { bypassNamedLimit: true },
    );
  } catch (error) {
    if ((error as { code?: string }).code === "CONFLICT") return;
    throw error;
  }
  options.onAdminCreated?.(options.adminUsername, password, generated);
}
