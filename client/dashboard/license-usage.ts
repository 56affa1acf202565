/**
 * The License Usage section: the licensing model in words, the Named / Concurrent table
 * (Licensed, Used, Available, Accounts, Connected, with N/A where the license lacks a model),
 * a banner when concurrent seats reach 90 % of the licence, and one when logins are being refused.
 */
import type { LicenseUsage, UsageRow } from "../../shared/types.ts";
import type { HubApi } from "./api.ts";
import { byId, setText, show } from "./dom.ts";
import { formatLimit, plural } from "./format.ts";
import type { SessionsStore } from "./sessions-store.ts";

/** Share of concurrent seats in use at which the near-limit banner appears. */
export const NEAR_LIMIT_RATIO = 0.9;
/** How often today's refused logins are re-read even when usage does not change. */
const DENIALS_REFRESH_MS = 30_000;
/** Usage changes come in bursts; re-read the denial count once the burst settles. */
const DENIALS_DEBOUNCE_MS = 1000;

const ROWS = ["named", "concurrent"] as const;
const COLUMNS = ["licensed", "used", "available", "accounts", "connected"] as const satisfies readonly (keyof UsageRow)[];

/** "Named Users", "Concurrent Users", both, or none, as the product names its licensing models. */
export function describeLicensingModel(usage: LicenseUsage): string {
  const named = usage.named.licensed !== null;
  const concurrent = usage.concurrent.licensed !== null;
  if (named && concurrent) return "Named Users and Concurrent Users";
  if (named) return "Named Users";
  if (concurrent) return "Concurrent Users";
  return "None — the license supports neither Named Users nor Concurrent Users";
}

/** True when concurrent Used has reached 90 % of Licensed. */
export function isNearConcurrentLimit(row: UsageRow): boolean {
  return row.licensed !== null && row.licensed > 0 && row.used >= NEAR_LIMIT_RATIO * row.licensed;
}

export class LicenseUsageView {
  private readonly model = byId("licensing-model");
  private readonly nearLimit = byId("near-limit-banner");
  private readonly refusals = byId("refusals-banner");
  private readonly unsubscribe: () => void;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(
    private readonly store: SessionsStore,
    private readonly api: HubApi,
  ) {
    this.unsubscribe = store.subscribe((changes) => {
      if (!changes.has("usage")) return;
      this.render();
      this.scheduleDenialsRefresh();
    });
    this.interval = setInterval(() => void this.refreshDenials(), DENIALS_REFRESH_MS);
    this.render();
    void this.refreshDenials();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearInterval(this.interval);
    clearTimeout(this.debounce);
  }

  private render(): void {
    const usage = this.store.usage;
    if (!usage) return;
    setText(this.model, describeLicensingModel(usage));
    for (const row of ROWS) {
      for (const column of COLUMNS) {
        const value = usage[row][column];
        const cell = byId(`usage-${row}-${column}`);
        setText(cell, formatLimit(value));
        cell.classList.toggle("na", value === null);
      }
    }
    const concurrent = usage.concurrent;
    const near = isNearConcurrentLimit(concurrent);
    show(this.nearLimit, near);
    if (near && concurrent.licensed !== null) {
      const percent = Math.round((concurrent.used / concurrent.licensed) * 100);
      const full = concurrent.used >= concurrent.licensed;
      setText(
        this.nearLimit,
        `${concurrent.used} of ${concurrent.licensed} concurrent sessions are in use (${percent} %). ` +
          (full
            ? "New logins of concurrent accounts are refused until a session ends."
            : "New logins of concurrent accounts will soon be refused."),
      );
    }
  }

  private scheduleDenialsRefresh(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refreshDenials(), DENIALS_DEBOUNCE_MS);
  }

  /** Sums the refused logins of the last 24 hours from the concurrent history. */
  private async refreshDenials(): Promise<void> {
    try {
      const history = await this.api.history("concurrent", "day");
      if (this.stopped) return;
      const denied = history.points.reduce((sum, [, , refused]) => sum + refused, 0);
      show(this.refusals, denied > 0);
      setText(
        this.refusals,
        `Logins are being refused: ${plural(denied, "login")} of concurrent accounts refused in the last 24 hours ` +
          "because all concurrent sessions were in use.",
      );
      this.refusals.dataset.count = String(denied);
    } catch {
      // Keep the last known banner; the next change or tick tries again.
    }
  }
}
