/**
 * Session history: one entry per ended session (who, which app and device, from when to when,
 * why it ended and who ended it), in a capped Redis stream fed by the SessionEnder's "ended"
 * event on the node that ended it. Searchable by user, reason, app and time, and exportable as CSV.
 */
import type { SessionHistoryEntry } from "../../shared/audit.ts";
import type { SessionHistoryQuery } from "../../shared/schemas.ts";
import type { HubContext } from "../context.ts";
import type { EndedSession, SessionEnder } from "../sessions/session-ender.ts";
import { StreamLog } from "./stream-log.ts";

type StoredEntry = Omit<SessionHistoryEntry, "id">;

/** Most rows one CSV export holds. */
export const MAX_CSV_ROWS = 10_000;

const CSV_COLUMNS = [
  "sessionId", "username", "accountId", "licenseType", "app", "device", "ip",
  "startedAt", "endedAt", "durationSeconds", "reason", "endedBy", "message",
] as const;

export class SessionHistory {
  private readonly log: StreamLog<StoredEntry>;

  constructor(ctx: HubContext) {
    this.log = new StreamLog(ctx, ctx.keys.sessionHistory);
  }

  recordEndingsOf(ender: SessionEnder): void {
    ender.on("ended", (ended: EndedSession) => {
      const entry: StoredEntry = {
        sessionId: ended.sessionId,
        accountId: ended.accountId,
        username: ended.username,
        licenseType: ended.licenseType,
        app: ended.app,
        device: ended.device,
        ip: ended.ip,
        startedAt: ended.startedAt,
        endedAt: ended.endedAt,
        durationMs: Math.max(0, ended.endedAt - ended.startedAt),
        reason: ended.reason,
        message: ended.message,
        ...(ended.by ? { by: ended.by } : {}),
      };
      void this.log.append(entry);
    });
  }

  /**
   * Newest ending first. `from`/`to` select the sessions that were open at some time in the
   * range (started before `to`, ended after `from`).
   */
  async query(query: SessionHistoryQuery, { limit = query.limit ?? 50, scanBudget = 5000 } = {}) {
    const user = query.user?.toLowerCase();
    return this.log.scan({
      cursor: query.cursor,
      limit,
      scanBudget,
      match: (entry) =>
        (!user || entry.username.toLowerCase() === user) &&
        (!query.reason || entry.reason === query.reason) &&
        (!query.app || entry.app === query.app) &&
        (query.from === undefined || entry.endedAt >= query.from) &&
        (query.to === undefined || entry.startedAt <= query.to),
    });
  }

  /** Every match (up to MAX_CSV_ROWS) as CSV, times in ISO 8601 UTC. */
  async csv(query: SessionHistoryQuery): Promise<string> {
    const { entries } = await this.query(
      { ...query, cursor: undefined },
      { limit: MAX_CSV_ROWS, scanBudget: Number.MAX_SAFE_INTEGER },
    );
    const rows = entries.map((e) => [
      e.sessionId, e.username, e.accountId, e.licenseType, e.app, e.device ?? "", e.ip ?? "",
      new Date(e.startedAt).toISOString(), new Date(e.endedAt).toISOString(),
      String(Math.round(e.durationMs / 1000)), e.reason, e.by?.username ?? "", e.message,
    ]);
    return [CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }
}

/** Quotes a cell, and defuses text a spreadsheet would run as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
