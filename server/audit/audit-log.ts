/**
 * The audit log: who signed in (or failed to, or was refused a seat), who ended which session
 * and why, and every change to the license, the idle settings and the accounts. One capped Redis
 * stream shared by every node; each entry is written by the node where it happened. Session
 * endings come from the SessionEnder's "ended" event, so every reason is covered in one place.
 */
import { AuditType, type AuditEntry } from "../../shared/audit.ts";
import type { AuditQuery } from "../../shared/schemas.ts";
import type { EndReason } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import type { EndedSession, SessionEnder } from "../sessions/session-ender.ts";
import { StreamLog } from "./stream-log.ts";

/** An entry as recorded: the log adds the id, and the time when absent. */
export type AuditRecord = Omit<AuditEntry, "id" | "at"> & { at?: number };

const typeOfEnding: Record<EndReason, AuditType> = {
  logout: AuditType.SESSION_LOGOUT,
  terminated: AuditType.SESSION_TERMINATED,
  expired: AuditType.SESSION_EXPIRED,
  "account-disabled": AuditType.SESSION_ACCOUNT_DISABLED,
};

export class AuditLog {
  private readonly log: StreamLog<Omit<AuditEntry, "id">>;

  constructor(private readonly ctx: HubContext) {
    this.log = new StreamLog(ctx, ctx.keys.audit);
  }

  /** Writes an entry. Never throws; a write that fails is logged. */
  record(record: AuditRecord): Promise<void> {
    const entry = { ...record, at: record.at ?? this.ctx.clock.now() };
    return this.log.append(entry);
  }

  /** Records every session this node ends, with who ended it and the message the user saw. */
  recordEndingsOf(ender: SessionEnder): void {
    ender.on("ended", (ended: EndedSession) => {
      void this.record({
        at: ended.endedAt,
        type: typeOfEnding[ended.reason],
        ...(ended.by ? { actor: ended.by } : {}),
        target: { accountId: ended.accountId, username: ended.username, sessionId: ended.sessionId },
        ip: ended.ip,
        app: ended.app,
        message: ended.message,
      });
    });
  }

  /** Newest first, filtered; page on with `nextCursor`. */
  async query(query: AuditQuery) {
    const user = query.user?.toLowerCase();
    const type = query.type;
    return this.log.scan({
      cursor: query.cursor,
      limit: query.limit ?? 50,
      match: (entry) =>
        (!type || entry.type === type || entry.type.startsWith(`${type}.`)) &&
        (query.from === undefined || entry.at >= query.from) &&
        (query.to === undefined || entry.at <= query.to) &&
        (!user || entry.actor?.username.toLowerCase() === user || entry.target?.username?.toLowerCase() === user),
    });
  }
}
