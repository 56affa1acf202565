/** Exit statuses of the mobile client, so scripts and tests can tell why it stopped. */
import type { SessionEndReason } from "../../client/sdk/index.ts";

export const MobileExit = {
  /** The user signed out (Ctrl-C or q). */
  SIGNED_OUT: 0,
  /** Bad arguments, or the hub refused the sign-in. */
  START_FAILED: 1,
  /** The session ended some other way: signed out elsewhere, or the token is unknown. */
  ENDED_OTHER: 2,
  /** An administrator terminated the session. */
  TERMINATED: 3,
  /** The hub ended the idle session. */
  EXPIRED: 4,
  /** An administrator disabled the account. */
  ACCOUNT_DISABLED: 5,
} as const;
export type MobileExit = (typeof MobileExit)[keyof typeof MobileExit];

export function exitCodeFor(reason: SessionEndReason): MobileExit {
  switch (reason) {
    case "terminated":
      return MobileExit.TERMINATED;
    case "expired":
      return MobileExit.EXPIRED;
    case "account-disabled":
      return MobileExit.ACCOUNT_DISABLED;
    default:
      return MobileExit.ENDED_OTHER;
  }
}
