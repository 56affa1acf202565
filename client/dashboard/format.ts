/**
 * How the dashboard writes values: the product's labels for account types, apps and states,
 * durations as h:mm:ss, times of day, and counts with their noun.
 */
import type { App, EndReason, HistoryPeriod, LicenseType, SessionState } from "../../shared/types.ts";

export const LICENSE_TYPE_LABEL: Record<LicenseType, string> = {
  named: "Named",
  concurrent: "Concurrent",
};

export const APP_LABEL: Record<App, string> = {
  web: "Web App",
  mobile: "Mobile app",
};

export const STATE_LABEL: Record<SessionState, string> = {
  active: "Active",
  prompted: "Prompted to keep",
};

export const PERIOD_LABEL: Record<HistoryPeriod, string> = {
  hour: "Last hour",
  day: "Last 24 hours",
  week: "Last 7 days",
  month: "Last 30 days",
  year: "Last 12 months",
};

/** Length of each chart period, to frame the time axis when history is short. */
export const PERIOD_MS: Record<HistoryPeriod, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

export const END_REASON_TITLE: Record<EndReason, string> = {
  logout: "Signed out",
  terminated: "Session terminated",
  expired: "Session expired",
  "account-disabled": "Account disabled",
};

/** "1 session", "3 sessions". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A duration as `h:mm:ss`, with days in front past 24 hours: `2 d 03:04:05`. Never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const clock = `${days > 0 ? pad(hours) : hours}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** A moment as a time of day when it is today, otherwise with its date. */
export function formatMoment(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** A number or the product's "N/A" for a model the license does not support. */
export function formatLimit(value: number | null): string {
  return value === null ? "N/A" : String(value);
}
