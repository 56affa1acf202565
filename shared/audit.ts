/**
 * The audit log and session history of the wire contract: what `GET /api/audit` and
 * `GET /api/session-history` return. Times are epoch milliseconds read from the hub's clock.
 */
import type { App, EndReason, EndedBy, LicenseType } from "./types.ts";

/** Every kind of audit entry. The part before the dot is its category (a `type` filter may name either). */
export const AuditType = {
  LOGIN_SUCCEEDED: "login.succeeded",
  /** Wrong username or password, or a disabled account. */
  LOGIN_FAILED: "login.failed",
  /** Refused for the license: no concurrent seat left, or concurrent users not licensed. */
  LOGIN_REFUSED: "login.refused",
  /** A username+IP or an IP reached its failed-login limit (written once, when it is reached). */
  LOGIN_RATE_LIMITED: "login.rate-limited",
  SESSION_LOGOUT: "session.logout",
  SESSION_TERMINATED: "session.terminated",
  SESSION_EXPIRED: "session.expired",
  SESSION_ACCOUNT_DISABLED: "session.account-disabled",
  LICENSE_CHANGED: "license.changed",
  SETTINGS_CHANGED: "settings.changed",
  ACCOUNT_CREATED: "account.created",
  ACCOUNT_UPDATED: "account.updated",
  ACCOUNT_DELETED: "account.deleted",
  ACCOUNT_PASSWORD_CHANGED: "account.password-changed",
} as const;
export type AuditType = (typeof AuditType)[keyof typeof AuditType];

export const AuditCategory = ["login", "session", "license", "settings", "account"] as const;
export type AuditCategory = (typeof AuditCategory)[number];

/** Who an entry is about: an account, a session, or both. */
export interface AuditSubject {
  accountId?: string;
  username?: string;
  sessionId?: string;
}

export interface AuditEntry {
  /** The entry's stream id; pass it as `cursor` to read older entries. */
  id: string;
  at: number;
  type: AuditType;
  /** Who did it: the signed-in user or administrator. Absent when the hub did it (expiry). */
  actor?: EndedBy;
  /** Whom or what it was done to. */
  target?: AuditSubject;
  ip?: string | null;
  app?: App;
  /** The sentence the user was shown, or a short description. */
  message?: string;
  /** Details by type: the changed fields of an account, the new license or settings, a refusal's code. */
  detail?: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` to continue; null when the log has nothing older. */
  nextCursor: string | null;
}

/** One ended session. */
export interface SessionHistoryEntry {
  id: string;
  sessionId: string;
  accountId: string;
  username: string;
  licenseType: LicenseType;
  app: App;
  device: string | null;
  ip: string | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  reason: EndReason;
  message: string;
  by?: EndedBy;
}

export interface SessionHistoryPage {
  entries: SessionHistoryEntry[];
  nextCursor: string | null;
}
