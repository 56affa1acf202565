/** Data types of the wire contract (CONTRACT.md). Times are epoch milliseconds. */

export const LicenseType = { NAMED: "named", CONCURRENT: "concurrent" } as const;
export type LicenseType = (typeof LicenseType)[keyof typeof LicenseType];

export const App = { WEB: "web", MOBILE: "mobile" } as const;
export type App = (typeof App)[keyof typeof App];

export const Role = { ADMIN: "admin", TECHNICIAN: "technician" } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const SessionState = { ACTIVE: "active", PROMPTED: "prompted" } as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

export const EndReason = {
  LOGOUT: "logout",
  TERMINATED: "terminated",
  EXPIRED: "expired",
  ACCOUNT_DISABLED: "account-disabled",
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export interface Account {
  id: string;
  username: string;
  displayName: string;
  licenseType: LicenseType;
  role: Role;
  disabled: boolean;
  createdAt: number;
}

export interface Session {
  id: string;
  accountId: string;
  username: string;
  displayName: string;
  licenseType: LicenseType;
  app: App;
  device: string | null;
  ip: string | null;
  startedAt: number;
  lastActivityAt: number;
  /** True while the session has at least one socket on any node. */
  connected: boolean;
  state: SessionState;
}

/** `null` means the license does not support that model (shown as N/A). */
export interface License {
  namedUsers: number | null;
  concurrentUsers: number | null;
}

export interface UsageRow {
  licensed: number | null;
  used: number;
  available: number | null;
  accounts: number;
  connected: number;
}

export interface LicenseUsage {
  named: UsageRow;
  concurrent: UsageRow;
}

export interface IdleSettings {
  enabled: boolean;
  timeoutMinutes: number;
  promptSeconds: number;
}

export const HistoryPeriod = {
  HOUR: "hour",
  DAY: "day",
  WEEK: "week",
  MONTH: "month",
  YEAR: "year",
} as const;
export type HistoryPeriod = (typeof HistoryPeriod)[keyof typeof HistoryPeriod];

/** One point of the usage chart: bucket start, peak connections in it, refused logins in it. */
export type HistoryPoint = [t: number, peak: number, denied: number];

export interface LicenseHistory {
  type: LicenseType;
  period: HistoryPeriod;
  bucketSeconds: number;
  limit: number | null;
  points: HistoryPoint[];
}

/** Who ended a session, when an administrator did. */
export interface EndedBy {
  accountId: string;
  username: string;
}
