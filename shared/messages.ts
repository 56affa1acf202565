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
