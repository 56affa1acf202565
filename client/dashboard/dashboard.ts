/**
 * One signed-in dashboard: opens the hub connection and the views, reports the admin's activity,
 * answers idle prompts, and ends (back to sign-in, saying why) on sign-out, on `session:ended`,
 * or when the hub refuses the token. Everything it starts, `end` stops.
 */
import type { SessionEndedPayload } from "../../shared/events.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { EndMessage } from "../../shared/messages.ts";
import type { Account } from "../../shared/types.ts";
import type { ApiError, HubApi } from "./api.ts";
import { ActivityReporter } from "./activity-reporter.ts";
import { byId, setText, show } from "./dom.ts";
import { END_REASON_TITLE } from "./format.ts";
import { HubConnection, type ConnectionStatus } from "./hub-connection.ts";
import { IdleSettingsForm } from "./idle-settings.ts";
import { KeepSessionDialog } from "./keep-session-dialog.ts";
import { LicenseUsageView } from "./license-usage.ts";
import { LoggedUsersTable } from "./logged-users-table.ts";
import { SessionsStore } from "./sessions-store.ts";
import { UsageChart } from "./usage-chart.ts";
import { AuditTab } from "./audit-tab.ts";

/** What the sign-in page says about why the dashboard closed. */
export interface EndNotice {
  title: string;
  message: string;
}

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

/** The notice for a token the hub refused, by error code. */
export function noticeForRefusal(error: ErrorBody): EndNotice {
  switch (error.code) {
    case "SESSION_TERMINATED":
      return { title: END_REASON_TITLE.terminated, message: error.message || EndMessage.terminated };
    case "SESSION_EXPIRED":
      return { title: END_REASON_TITLE.expired, message: error.message || EndMessage.expired };
    case "SESSION_ENDED":
      return { title: "Session ended", message: error.message };
    default:
      return { title: "Signed out", message: "Your sign-in is no longer valid. Sign in again." };
  }
}

export class Dashboard {
  private readonly view = byId("dashboard-view");
  private readonly accountBar = byId("account-bar");
  private readonly statusBadge = byId("connection-status");
  private readonly signedInAs = byId("signed-in-as");
  private readonly signOutButton = byId<HTMLButtonElement>("sign-out");
  private readonly store = new SessionsStore();
  private readonly connection: HubConnection;
  private readonly activity: ActivityReporter;
  private readonly keepDialog: KeepSessionDialog;
  private readonly views: { stop(): void }[];
  private ended = false;
  private readonly onSignOutClick = (): void => void this.signOut();

  constructor(
    token: string,
    account: Account,
    ownSessionId: string,
    private readonly api: HubApi,
    private readonly onEnd: (notice: EndNotice) => void,
  ) {
    api.setToken(token);
    api.onSessionOver = (error: ApiError) => this.end(noticeForRefusal(error));
    this.connection = new HubConnection(token, this.store, api, {
      onPrompt: (payload) => this.keepDialog.open(payload),
      onResumed: (payload) => this.keepDialog.close(payload.sessionId),
      onEnded: (payload) => this.end(noticeForEnd(payload)),
      onRejected: (error) => this.end(noticeForRefusal(error)),
      onStatus: (status) => this.showStatus(status),
    });
    this.keepDialog = new KeepSessionDialog(
      () => this.connection.keepSession(),
      () => void this.signOut(),
    );
    this.activity = new ActivityReporter(() => this.connection.sendActivity());
    this.views = [
      new LicenseUsageView(this.store, api),
      new UsageChart(api, this.store),
      new LoggedUsersTable(this.store, api, ownSessionId, () => this.connection.resync()),
      new IdleSettingsForm(this.store, api),
      new AuditTab(api, token),
    ];
    setText(this.signedInAs, account.displayName || account.username);
    this.signOutButton.addEventListener("click", this.onSignOutClick);
    this.showStatus("connecting");
    show(this.accountBar, true);
    show(this.view, true);
    this.connection.start();
    this.activity.start();
  }

  /** Signs out on the hub, then closes. The hub's `session:ended` for it is not waited for. */
  async signOut(): Promise<void> {
    if (this.ended) return;
    this.signOutButton.disabled = true;
    try {
      await this.api.logout();
    } catch {
      // Already over on the hub (or unreachable): closing locally is what the admin asked for.
    }
    this.end({ title: END_REASON_TITLE.logout, message: EndMessage.logout });
  }

  /** Stops everything this dashboard started and hands over to the sign-in page. */
  end(notice: EndNotice): void {
    if (this.ended) return;
    this.ended = true;
    this.connection.stop();
    this.activity.stop();
    this.keepDialog.dispose();
    for (const view of this.views) view.stop();
    this.store.reset();
    this.api.onSessionOver = null;
    this.api.setToken(null);
    this.signOutButton.removeEventListener("click", this.onSignOutClick);
    this.signOutButton.disabled = false;
    show(this.view, false);
    show(this.accountBar, false);
    this.onEnd(notice);
  }

  private showStatus(status: ConnectionStatus): void {
    setText(this.statusBadge, STATUS_TEXT[status]);
    this.statusBadge.dataset.status = status;
  }
}

function noticeForEnd(payload: SessionEndedPayload): EndNotice {
  return { title: END_REASON_TITLE[payload.reason], message: payload.message || EndMessage[payload.reason] };
}
