import type { IdleSettings } from "../shared/types.ts";
import type { AccountStore } from "./accounts/account-store.ts";
import type { HubContext } from "./context.ts";
import type { IdleSettingsStore } from "./idle/idle-settings-store.ts";
import type { LicenseStore } from "./license/license-store.ts";
import type { UsageHistory } from "./license/usage-history.ts";
import type { PromptAnswerer } from "./realtime/client-namespace.ts";
import type { ActivityBuffer } from "./sessions/activity-buffer.ts";
import type { SessionEnder } from "./sessions/session-ender.ts";
import type { SessionStore } from "./sessions/session-store.ts";

/** What the idle engine offers the rest of the hub. */
export interface IdleControl extends PromptAnswerer {
  /** Applies new settings to the sessions already open (arm, re-arm or cancel). */
  applySettings(settings: IdleSettings): Promise<void>;
}

/** The domain services a hub's HTTP routes and sockets work with. */
export interface HubServices {
  ctx: HubContext;
  accounts: AccountStore;
  license: LicenseStore;
  history: UsageHistory;
  sessions: SessionStore;
  ender: SessionEnder;
  activity: ActivityBuffer;
  idleSettings: IdleSettingsStore;
  idle: IdleControl;
  /** Pushes saved idle settings to every dashboard on every node. */
  broadcastSettings(settings: IdleSettings): void;
  /** True when every Redis connection of this node is up, the adapter's included (for /readyz). */
  redisReady(): boolean;
}
