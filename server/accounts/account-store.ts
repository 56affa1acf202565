/** Accounts (technicians and admins) in Redis: one hash each, a case-insensitive username index. */
import { randomUUID } from "node:crypto";
import { ErrorCode } from "../../shared/errors.ts";
import type { CreateAccountBody } from "../../shared/schemas.ts";
import type { Account, LicenseType, Role } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import { conflict, HubError, notFound } from "../errors.ts";
import { runScript } from "../redis/scripts.ts";
import { hashPassword } from "./password.ts";

/** An account as stored, with its password hash. */
export interface StoredAccount extends Account {
  passwordHash: string;
}

export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

function toStoredAccount(raw: Record<string, string>): StoredAccount | null {
  if (!raw.id) return null;
  return {
    id: raw.id,
    username: raw.username ?? "",
    displayName: raw.displayName ?? "",
    licenseType: raw.licenseType as LicenseType,
    role: raw.role as Role,
    disabled: raw.disabled === "1",
    createdAt: Number(raw.createdAt),
    passwordHash: raw.passwordHash ?? "",
  };
}

/** The public view of an account: never the password hash. */
export function publicAccount(account: StoredAccount): Account {
  const { passwordHash: _hash, ...rest } = account;
  return rest;
}

const namedSeatRefused = (unsupported: boolean) =>
  new HubError(
    ErrorCode.LICENSE_LIMIT_REACHED,
    unsupported
      ? "The license does not support named users."
      : "All named user licenses are in use; raise the license or make the account concurrent.",
    409,
  );

export class AccountStore {
  constructor(private readonly ctx: HubContext) {}

  async get(id: string): Promise<StoredAccount | null> {
    return toStoredAccount(await this.ctx.redis.hGetAll(this.ctx.keys.account(id)));
  }

  async require(id: string): Promise<StoredAccount> {
    const account = await this.get(id);
    if (!account) throw notFound(`No account with id ${id}.`);
    return account;
  }

  async findByUsername(username: string): Promise<StoredAccount | null> {
    const id = await this.ctx.redis.hGet(this.ctx.keys.usernames, usernameKey(username));
    return id ? this.get(id) : null;
  }

  async list(): Promise<Account[]> {
    const ids = await this.ctx.redis.sMembers(this.ctx.keys.accounts);
    const raws = await Promise.all(ids.map((id) => this.ctx.redis.hGetAll(this.ctx.keys.account(id))));
    return raws
      .map(toStoredAccount)
      .filter((account): account is StoredAccount => account !== null)
      .map(publicAccount)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.ctx.redis.sCard(this.ctx.keys.accounts)) === 0;
  }

  /**
   * Creates an account. `bypassNamedLimit` is for the first admin only: it must exist before any
   * license can be set.
   */
  async create(input: CreateAccountBody, { bypassNamedLimit = false } = {}): Promise<Account> {
    const { keys, clock } = this.ctx;
    const id = randomUUID();
    const account: StoredAccount = {
      id,
      username: input.username.trim(),
      displayName: input.displayName?.trim() || input.username.trim(),
      licenseType: input.licenseType,
      role: input.role,
      disabled: false,
      createdAt: clock.now(),
      passwordHash: await hashPassword(input.password),
    };
    const fields = Object.entries({
      ...account,
      disabled: "0",
      usernameKey: usernameKey(account.username),
    }).flatMap(([name, value]) => [name, String(value)]);
    const result = await runScript<string>(
      this.ctx.redis,
      "create-account",
      [keys.usernames, keys.account(id), keys.accounts, keys.accountsOfType(account.licenseType), keys.license],
      [keys.prefix, usernameKey(account.username), bypassNamedLimit ? "1" : "0", ...fields],
    );
    if (result === "CONFLICT") throw conflict(`The username "${account.username}" is taken.`);
    if (result === "LIMIT" || result === "UNSUPPORTED") throw namedSeatRefused(result === "UNSUPPORTED");
    return publicAccount(account);
  }

  async setLicenseType(id: string, licenseType: LicenseType): Promise<void> {
    const { keys } = this.ctx;
    const result = await runScript<string>(
      this.ctx.redis,
      "set-license-type",
      [keys.account(id), keys.accountsOfType("named"), keys.accountsOfType("concurrent"), keys.license],
      [keys.prefix, id, licenseType],
    );
    if (result === "GONE") throw notFound(`No account with id ${id}.`);
    if (result === "LIMIT" || result === "UNSUPPORTED") throw namedSeatRefused(result === "UNSUPPORTED");
  }

  /** Writes plain fields (display name, role, disabled, password hash). */
  async setFields(id: string, fields: Record<string, string>): Promise<void> {
    if (Object.keys(fields).length > 0) await this.ctx.redis.hSet(this.ctx.keys.account(id), fields);
  }

  async delete(id: string): Promise<boolean> {
    const { keys } = this.ctx;
    const deleted = await runScript<number>(
      this.ctx.redis,
      "delete-account",
      [keys.usernames, keys.account(id), keys.accounts, keys.accountsOfType("named"), keys.accountsOfType("concurrent")],
      [keys.prefix, id],
    );
    return deleted === 1;
  }
}
