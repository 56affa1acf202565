import type { EndReason } from "./types.ts";

/** The sentence a user is shown when their session ends, by reason. */
export const EndMessage: Record<EndReason, string> = {
  logout: "You have signed out.",
  terminated: "Your session has been terminated by the administrator.",
  expired: "Your session has expired due to inactivity.",
  "account-disabled": "Your account has been disabled by the administrator.",
};

/** The end message with an administrator's note appended, when one was given. */
export function endMessage(reason: EndReason, note?: string): string {
  const base = EndMessage[reason];
  return note ? `${base} ${note}` : base;
}

/** The end message of a session that reached the absolute session lifetime. */
export function maxLifetimeMessage(hours: number): string {
  const shown = Number.isInteger(hours) ? String(hours) : hours.toFixed(2).replace(/\.?0+$/, "");
  return `Your session has reached its maximum duration of ${shown} hour${shown === "1" ? "" : "s"}. Please sign in again.`;
}

/** What a user's other sessions are told when they change their own password. */
export const PASSWORD_CHANGED_ELSEWHERE =
  "Your password was changed in another session. Please sign in with the new password.";

/** The note appended to a termination when an administrator changes a user's password. */
export const PASSWORD_RESET_NOTE = "Your password was changed.";
