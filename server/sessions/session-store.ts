/** Opening, finding and listing sessions. Ending one lives in session-ender.ts. */
import { EventEmitter } from "node:events";
import { ErrorCode } from "../../shared/errors.ts";
import type { App, EndReason, EndedBy, Session } from "../../shared/types.ts";
import type { StoredAccount } from "../accounts/account-store.ts";
import type { HubContext } from "../context.ts";
import { HubError } from "../errors.ts";
import { runScript } from "../redis/scripts.ts";
import { toSession, toSessionRecord, type SessionRecord } from "./session-record.ts";
import { hashToken, newSessionId, newToken } from "./tokens.ts";

/** What is left of a session after it ended, kept under its token's hash for a while. */
export interface Tombstone {
  sessionId: string;
  reason: EndReason;
  message: string;
  by?: EndedBy;
  endedAt: number;
}

/** The result of checking a token. */
export type TokenCheck =
  | { kind: "open"; session: SessionRecord; role: string; disabled: boolean }
  | { kind: "ended"; tombstone: Tombstone }
  | { kind: "unknown" };

const codeForReason: Record<EndReason, ErrorCode> = {
  terminated: ErrorCode.SESSION_TERMINATED,
  "account-disabled": ErrorCode.SESSION_TERMINATED,
  expired: ErrorCode.SESSION_EXPIRED,
  logout: ErrorCode.SESSION_ENDED,
};

/** The 401 a dead or unknown token gets, over HTTP and as a socket connect_error. */
export function tokenError(check: Exclude<TokenCheck, { kind: "open" }>): HubError {
  if (check.kind === "unknown") {
    return new HubError(ErrorCode.UNAUTHENTICATED, "Sign in to continue.", 401);
  }
  const { reason, message, sessionId, by } = check.tombstone;
  return new HubError(codeForReason[reason], message, 401, { reason, sessionId, ...(by ? { by } : {}) });
}

export interface OpenSessionInput {
  account: StoredAccount;
  app: App;
  device: string | null;
  ip: string | null;
}

/** `opened` fires on the node that opened a session (the idle engine arms its job then). */
export class SessionStore extends EventEmitter<{ opened: [SessionRecord] }> {
  constructor(private readonly ctx: HubContext) {
    super();
  }

  /** Set by the hub: ends a session past the absolute lifetime (session-lifetime.ts). */
  private lifetime: ((session: SessionRecord) => Promise<Tombstone | null>) | null = null;

  /** Makes every token check end and refuse a session past the absolute lifetime. */
  enforceLifetime(check: (session: SessionRecord) => Promise<Tombstone | null>): void {
    this.lifetime = check;
  }

  /** Opens a session, taking a concurrent seat when needed. Throws LICENSE_LIMIT_REACHED at the limit. */
  async open({ account, app, device, ip }: OpenSessionInput): Promise<{ token: string; session: Session }> {
    const { redis, keys, clock } = this.ctx;
    const id = newSessionId();
    const token = newToken();
    const tokenHash = hashToken(token);
    const [status, detail] = await runScript<[string, string | number | undefined]>(
      redis,
      "start-session",
      [
        keys.account(account.id),
        keys.session(id),
        keys.sessions,
        keys.accountSessions(account.id),
        keys.seats,
        keys.namedOnline,
        keys.token(tokenHash),
        keys.license,
      ],
      [
        keys.prefix, id, account.id, account.licenseType, account.username, account.displayName,
        app, device ?? "", ip ?? "", clock.now(), tokenHash,
      ],
    );
    switch (status) {
      case "OK":
        break;
      case "LIMIT":
        throw new HubError(
          ErrorCode.LICENSE_LIMIT_REACHED,
          `The limit of concurrent sessions has been reached (${detail} in use).`,
          403,
        );
      case "UNSUPPORTED":
        throw new HubError(ErrorCode.LICENSE_LIMIT_REACHED, "The license does not support concurrent users.", 403);
      case "DISABLED":
        throw new HubError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.", 403);
      default:
        throw new HubError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.", 401);
    }
    const session = await this.get(id);
    if (!session) throw new HubError(ErrorCode.SESSION_ENDED, "The session ended as it opened.", 401);
    this.emit("opened", session);
    return { token, session: toSession(session) };
  }

  async get(id: string): Promise<SessionRecord | null> {
    return toSessionRecord(await this.ctx.redis.hGetAll(this.ctx.keys.session(id)));
  }

  /** Resolves a token to its session, or to the reason it ended, in one round trip. */
  async check(token: string): Promise<TokenCheck> {
    const { redis, keys } = this.ctx;
    const tokenHash = hashToken(token);
    const reply = await runScript<string[]>(
      redis,
      "resolve-token",
      [keys.token(tokenHash), keys.tombstone(tokenHash)],
      [keys.prefix],
    );
    const [kind, payload = "", role = "", disabled = ""] = reply;
    if (kind === "OK") {
      const session = toSessionRecord(JSON.parse(payload) as Record<string, string>);
      const expired = session && this.lifetime ? await this.lifetime(session) : null;
      if (expired) return { kind: "ended", tombstone: expired };
      if (session) return { kind: "open", session, role, disabled: disabled === "1" };
    }
    if (kind === "TOMB") return { kind: "ended", tombstone: JSON.parse(payload) as Tombstone };
    return { kind: "unknown" };
  }

  /** Ids of every open session, oldest first. */
  async ids(): Promise<string[]> {
    return this.ctx.redis.zRange(this.ctx.keys.sessions, 0, -1);
  }

  async idsOfAccount(accountId: string): Promise<string[]> {
    return this.ctx.redis.sMembers(this.ctx.keys.accountSessions(accountId));
  }

  /** Every open session, read in one pipelined batch. */
  async list(): Promise<SessionRecord[]> {
    const ids = await this.ids();
    const raws = await Promise.all(ids.map((id) => this.ctx.redis.hGetAll(this.ctx.keys.session(id))));
    return raws.map(toSessionRecord).filter((s): s is SessionRecord => s !== null);
  }
}
