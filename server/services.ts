import type { IdleSettings } from "../shared/types.ts";
import type { AccountStore } from "./accounts/account-store.ts";
import type { AuditLog } from "./audit/audit-log.ts";
import type { SessionHistory } from "./audit/session-history.ts";
import type { HubContext } from "./context.ts";
import type { IdleSettingsStore } from "./idle/idle-settings-store.ts";
import type { LicenseStore } from "./license/license-store.ts";
import type { UsageHistory } from "./license/usage-history.ts";
import type { HubMetrics } from "./metrics/hub-metrics.ts";
import type { PromptAnswerer } from "./realtime/client-namespace.ts";
import type { LoginGuard } from "./security/login-guard.ts";
import type { LoginLimiter } from "./security/login-limiter.ts";
import type { OriginPolicy } from "./security/origin-policy.ts";
import type { ActivityBuffer } from "./sessions/activity-buffer.ts";
import type { SessionLifetime } from "./sessions/session-lifetime.ts";
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
  audit: AuditLog;
  sessionHistory: SessionHistory;
  loginLimiter: LoginLimiter;
  /** Sign-in with the failed-login limits and the audit entry. */
  logins: LoginGuard;
  origins: OriginPolicy;
  lifetime: SessionLifetime;
  metrics: HubMetrics;
  /** Pushes saved idle settings to every dashboard on every node. */
  broadcastSettings(settings: IdleSettings): void;
  /** True when every Redis connection of this node is up, the adapter's included (for /readyz). */
  redisReady(): boolean;
}
