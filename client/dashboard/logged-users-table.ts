/**
 * The Logged Users section: a real table of open sessions that follows the store live, sortable
 * by any column (header buttons with `aria-sort`), filtered by user, app, device or IP, with
 * Duration and Idle Time ticking every second on the hub's clock. Rows are kept per session id
 * and only moved when their order changes, so a checkbox keeps focus while the list updates.
 * Refresh (button or F5) reloads the snapshot; selected rows can be terminated.
 */
import type { Session } from "../../shared/types.ts";
import type { HubApi } from "./api.ts";
import { byId, h, setText } from "./dom.ts";
import { APP_LABEL, formatDuration, formatMoment, LICENSE_TYPE_LABEL, plural, STATE_LABEL } from "./format.ts";
import type { SessionsStore } from "./sessions-store.ts";
import { TerminateDialog } from "./terminate-dialog.ts";

type SortKey =
  | "user"
  | "licenseType"
  | "app"
  | "device"
  | "startedAt"
  | "lastActivityAt"
  | "duration"
  | "idle"
  | "connected"
  | "state";

type SortDirection = "ascending" | "descending";

/** What each sortable column sorts by; durations sort by their start so they need no clock. */
const SORT_VALUE: Record<SortKey, (s: Session) => string | number> = {
  user: (s) => s.displayName.toLowerCase() || s.username.toLowerCase(),
  licenseType: (s) => s.licenseType,
  app: (s) => APP_LABEL[s.app],
  device: (s) => `${s.device ?? ""} ${s.ip ?? ""}`.toLowerCase(),
  startedAt: (s) => s.startedAt,
  lastActivityAt: (s) => s.lastActivityAt,
  duration: (s) => -s.startedAt,
  idle: (s) => -s.lastActivityAt,
  connected: (s) => (s.connected ? 1 : 0),
  state: (s) => s.state,
};

interface RowRefs {
  row: HTMLTableRowElement;
  checkbox: HTMLInputElement;
  user: HTMLElement;
  licenseType: HTMLElement;
  app: HTMLElement;
  device: HTMLElement;
  startedAt: HTMLElement;
  lastActivityAt: HTMLElement;
  duration: HTMLElement;
  idle: HTMLElement;
  connected: HTMLElement;
  state: HTMLElement;
}

const COLUMN_COUNT = 11;

export class LoggedUsersTable {
  private readonly tbody = byId<HTMLTableSectionElement>("logged-users-body");
  private readonly filter = byId<HTMLInputElement>("logged-users-filter");
  private readonly selectAll = byId<HTMLInputElement>("logged-users-select-all");
  private readonly terminateButton = byId<HTMLButtonElement>("terminate-button");
  private readonly refreshButton = byId<HTMLButtonElement>("refresh-button");
  private readonly count = byId("logged-users-count");
  private readonly selectionInfo = byId("logged-users-selection");
  private readonly status = byId("logged-users-status");
  private readonly headers = [...document.querySelectorAll<HTMLTableCellElement>("#logged-users-table th[data-sort]")];
  private readonly rows = new Map<string, RowRefs>();
  private readonly selected = new Set<string>();
  private readonly emptyRow = h("tr", { class: "empty-row" }, h("td", { colspan: COLUMN_COUNT }));
  private sortKey: SortKey = "user";
  private sortDirection: SortDirection = "ascending";
  private visible: Session[] = [];
  private readonly dialog: TerminateDialog;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;
  private readonly listeners = new AbortController();

  constructor(
    private readonly store: SessionsStore,
    private readonly api: HubApi,
    private readonly ownSessionId: string,
    private readonly refresh: () => Promise<void>,
  ) {
    this.dialog = new TerminateDialog((ids, message) => this.terminate(ids, message));
    this.listen(this.filter, "input", () => this.render());
    this.listen(this.selectAll, "change", () => this.toggleAll(this.selectAll.checked));
    this.listen(this.terminateButton, "click", () => this.openTerminate());
    this.listen(this.refreshButton, "click", () => void this.reload());
    this.listen(document, "keydown", (event) => {
      // F5 reloads the list, not the page (as in the product being modeled).
      if ((event as KeyboardEvent).key !== "F5") return;
      event.preventDefault();
      void this.reload();
    });
    for (const th of this.headers) {
      const button = th.querySelector("button");
      if (button) this.listen(button, "click", () => this.sortBy(th.dataset.sort as SortKey));
    }
    this.unsubscribe = store.subscribe((changes) => {
      if (changes.has("sessions")) this.render();
    });
    this.ticker = setInterval(() => this.tick(), 1000);
    this.render();
  }

  stop(): void {
    this.unsubscribe();
    clearInterval(this.ticker);
    this.listeners.abort();
    this.dialog.dispose();
    this.tbody.replaceChildren();
    this.rows.clear();
    this.selected.clear();
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    target.addEventListener(type, handler, { signal: this.listeners.signal });
  }

  /** Reloads the snapshot, reporting the outcome in the status line. */
  private async reload(): Promise<void> {
    this.refreshButton.setAttribute("aria-busy", "true");
    try {
      await this.refresh();
      setText(this.status, `Refreshed at ${formatMoment(Date.now())}.`);
    } catch (error) {
      setText(this.status, `Refresh failed: ${(error as Error).message}`);
    } finally {
      this.refreshButton.removeAttribute("aria-busy");
    }
  }

  private sortBy(key: SortKey): void {
    if (this.sortKey === key) {
      this.sortDirection = this.sortDirection === "ascending" ? "descending" : "ascending";
    } else {
      this.sortKey = key;
      this.sortDirection = "ascending";
    }
    this.render();
  }

  private matches(session: Session, needle: string): boolean {
    if (!needle) return true;
    const haystack = [session.displayName, session.username, session.app, APP_LABEL[session.app], session.device, session.ip];
    return haystack.some((value) => value?.toLowerCase().includes(needle));
  }

  private render(): void {
    const needle = this.filter.value.trim().toLowerCase();
    const all = [...this.store.sessions.values()];
    const value = SORT_VALUE[this.sortKey];
    const sign = this.sortDirection === "ascending" ? 1 : -1;
    this.visible = all
      .filter((session) => this.matches(session, needle))
      .sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const order = x < y ? -1 : x > y ? 1 : a.startedAt - b.startedAt || a.id.localeCompare(b.id);
        return order * sign;
      });

    for (const id of [...this.rows.keys()]) {
      if (!this.store.sessions.has(id)) {
        this.rows.get(id)?.row.remove();
        this.rows.delete(id);
      }
    }
    for (const id of [...this.selected]) if (!this.store.sessions.has(id)) this.selected.delete(id);

    const visibleIds = new Set(this.visible.map((session) => session.id));
    for (const [id, refs] of this.rows) if (!visibleIds.has(id)) refs.row.remove();

    this.emptyRow.remove();
    this.visible.forEach((session, index) => {
      const refs = this.rows.get(session.id) ?? this.createRow(session);
      this.updateRow(refs, session);
      // Move a row only when it is out of place: moving a focused checkbox would drop focus.
      if (this.tbody.children[index] !== refs.row) this.tbody.insertBefore(refs.row, this.tbody.children[index] ?? null);
    });
    if (this.visible.length === 0) {
      setText(this.emptyRow.firstElementChild!, all.length === 0 ? "No open sessions." : "No sessions match the filter.");
      this.tbody.appendChild(this.emptyRow);
    }

    for (const th of this.headers) {
      th.setAttribute("aria-sort", th.dataset.sort === this.sortKey ? this.sortDirection : "none");
    }
    setText(this.count, all.length === this.visible.length ? `${all.length}` : `${this.visible.length} of ${all.length}`);
    this.tick();
    this.updateSelectionControls();
  }

  private createRow(session: Session): RowRefs {
    const checkbox = h("input", { type: "checkbox", class: "row-select" });
    checkbox.addEventListener("change", () => {
      if (checkbox.checked) this.selected.add(session.id);
      else this.selected.delete(session.id);
      this.updateSelectionControls();
    });
    const cell = (col: string, className?: string): HTMLTableCellElement => h("td", { "data-col": col, class: className });
    const refs: RowRefs = {
      row: h("tr", { "data-session-id": session.id }),
      checkbox,
      user: h("th", { scope: "row", class: "user-cell", "data-col": "user" }),
      licenseType: cell("account-type"),
      app: cell("app"),
      device: cell("device"),
      startedAt: cell("logged-in"),
      lastActivityAt: cell("last-activity"),
      duration: cell("duration", "num"),
      idle: cell("idle", "num"),
      connected: cell("connected"),
      state: cell("state"),
    };
    refs.row.append(
      h("td", { class: "select-cell" }, checkbox),
      refs.user,
      refs.licenseType,
      refs.app,
      refs.device,
      refs.startedAt,
      refs.lastActivityAt,
      refs.duration,
      refs.idle,
      refs.connected,
      refs.state,
    );
    this.rows.set(session.id, refs);
    return refs;
  }

  private updateRow(refs: RowRefs, session: Session): void {
    const own = session.id === this.ownSessionId;
    refs.row.classList.toggle("own-session", own);
    refs.row.classList.toggle("prompted", session.state === "prompted");
    refs.row.classList.toggle("disconnected", !session.connected);
    const name = session.displayName || session.username;
    refs.checkbox.checked = this.selected.has(session.id);
    refs.checkbox.setAttribute("aria-label", `Select the ${APP_LABEL[session.app]} session of ${name}${own ? " (your session)" : ""}`);
    const userKey = `${name}|${session.username}|${own}`;
    if (refs.user.dataset.key !== userKey) {
      refs.user.dataset.key = userKey;
      refs.user.replaceChildren(h("span", { class: "user-name" }, name));
      if (name !== session.username) refs.user.append(h("span", { class: "user-login" }, session.username));
      if (own) refs.user.append(h("span", { class: "badge own", title: "The session this dashboard runs in" }, "You"));
    }
    setText(refs.licenseType, LICENSE_TYPE_LABEL[session.licenseType]);
    setText(refs.app, APP_LABEL[session.app]);
    setText(refs.device, [session.device, session.ip].filter(Boolean).join(" · ") || "—");
    this.setTime(refs.startedAt, session.startedAt);
    this.setTime(refs.lastActivityAt, session.lastActivityAt);
    setText(refs.connected, session.connected ? "Yes" : "No");
    setText(refs.state, STATE_LABEL[session.state]);
    refs.state.className = `state state-${session.state}`;
  }

  private setTime(cell: HTMLElement, epochMs: number): void {
    if (cell.dataset.value === String(epochMs)) return;
    cell.dataset.value = String(epochMs);
    const iso = new Date(epochMs).toISOString();
    cell.replaceChildren(h("time", { datetime: iso, title: new Date(epochMs).toLocaleString() }, formatMoment(epochMs)));
  }

  /** Advances Duration and Idle Time on the hub's clock. */
  private tick(): void {
    const now = this.store.now();
    for (const session of this.visible) {
      const refs = this.rows.get(session.id);
      if (!refs) continue;
      setText(refs.duration, formatDuration(now - session.startedAt));
      setText(refs.idle, formatDuration(now - session.lastActivityAt));
    }
  }

  private toggleAll(checked: boolean): void {
    for (const session of this.visible) {
      if (checked) this.selected.add(session.id);
      else this.selected.delete(session.id);
      const refs = this.rows.get(session.id);
      if (refs) refs.checkbox.checked = checked;
    }
    this.updateSelectionControls();
  }

  private updateSelectionControls(): void {
    const visibleSelected = this.visible.filter((session) => this.selected.has(session.id)).length;
    this.selectAll.checked = visibleSelected > 0 && visibleSelected === this.visible.length;
    this.selectAll.indeterminate = visibleSelected > 0 && visibleSelected < this.visible.length;
    this.selectAll.disabled = this.visible.length === 0;
    this.terminateButton.disabled = this.selected.size === 0;
    setText(this.selectionInfo, this.selected.size ? `${this.selected.size} selected` : "");
  }

  private openTerminate(): void {
    const sessionIds = [...this.selected];
    if (sessionIds.length === 0) return;
    this.dialog.open({ sessionIds, includesOwn: this.selected.has(this.ownSessionId) });
  }

  /**
   * Terminates the sessions chosen when the dialog opened. Ones that ended meanwhile come back
   * as `notFound`, which is not an error: the rows leave through the deltas either way.
   */
  private async terminate(sessionIds: string[], message: string | undefined): Promise<void> {
    const result = await this.api.terminate(sessionIds, message);
    for (const id of sessionIds) this.selected.delete(id);
    for (const id of sessionIds) {
      const refs = this.rows.get(id);
      if (refs) refs.checkbox.checked = false;
    }
    this.updateSelectionControls();
    const done = `Terminated ${plural(result.terminated.length, "session")}.`;
    const gone = result.notFound.length ? ` ${plural(result.notFound.length, "session")} had already ended.` : "";
    setText(this.status, done + gone);
  }
}
