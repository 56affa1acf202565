/** Password sign-in: checks the credentials, then opens a session (which may take a seat). */
import { ErrorCode } from "../../shared/errors.ts";
import type { LoginBody } from "../../shared/schemas.ts";
import type { LoginResult } from "../../shared/http.ts";
import { publicAccount, type AccountStore } from "../accounts/account-store.ts";
import { dummyPasswordHash, verifyPassword } from "../accounts/password.ts";
import { HubError } from "../errors.ts";
import type { SessionStore } from "./session-store.ts";


export async function login(
  accounts: AccountStore,
  sessions: SessionStore,
  body: LoginBody,
  ip: string | null,
): Promise<LoginResult> {
  const account = await accounts.findByUsername(body.username);
  // Unknown users cost a hash too, so response time does not reveal which usernames exist.
  const valid = await verifyPassword(body.password, account?.passwordHash ?? dummyPasswordHash);
  if (!account || !valid) throw new HubError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.", 401);
  if (account.disabled) throw new HubError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", 403);
  const { token, session } = await sessions.open({ account, app: body.app, device: body.device || null, ip });
  return { token, session, account: publicAccount(account) };
}
