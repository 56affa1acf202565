/** Converts a session's stored fields (Redis hash, or the same fields as JSON) to the wire type. */
import type { App, LicenseType, Session, SessionState } from "../../shared/types.ts";

/** A session as stored: the wire fields plus the idle engine's bookkeeping. */
export interface SessionRecord extends Session {
  sockets: number;
  promptedAt: number | null;
  respondBy: number | null;
  keptAt: number | null;
}

const optionalNumber = (raw: string | undefined) => (raw ? Number(raw) : null);

export function toSessionRecord(raw: Record<string, string | undefined>): SessionRecord | null {
  if (!raw.id) return null;
  const sockets = Number(raw.sockets ?? 0);
  return {
    id: raw.id,
    accountId: raw.accountId ?? "",
    username: raw.username ?? "",
    displayName: raw.displayName ?? "",
    licenseType: raw.licenseType as LicenseType,
    app: raw.app as App,
    device: raw.device ?? null,
    ip: raw.ip ?? null,
    startedAt: Number(raw.startedAt),
    lastActivityAt: Number(raw.lastActivityAt),
    connected: sockets > 0,
    state: (raw.state as SessionState) ?? "active",
    sockets,
    promptedAt: optionalNumber(raw.promptedAt),
    respondBy: optionalNumber(raw.respondBy),
    keptAt: optionalNumber(raw.keptAt),
  };
}

/** The wire view of a stored session. */
export function toSession(record: SessionRecord): Session {
  const { sockets: _s, promptedAt: _p, respondBy: _r, keptAt: _k, ...session } = record;
  return session;
}

/** Stored fields straight to the wire type (for the change feed). */
export function rawToSession(raw: Record<string, string | undefined>): Session | null {
  const record = toSessionRecord(raw);
  return record ? toSession(record) : null;
}
