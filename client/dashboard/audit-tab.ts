/**
 * Audit and session history on the dashboard: who signed in, who ended whose session and why,
 * what was changed, and every ended session with its reason, app and duration — filterable, paged
 * with the hub's cursors, and the history downloadable as CSV. It builds its own section at the
 * end of the dashboard, so wiring it takes one line (`new AuditTab(api, token)` among the views).
 */
import type { AuditEntry, AuditPage, SessionHistoryEntry, SessionHistoryPage } from "../../shared/audit.ts";
import { ApiError, type HubApi } from "./api.ts";
import { byId, downloadText, h } from "./dom.ts";
import { formatDuration, formatMoment } from "./format.ts";

const PAGE = 50;

const AUDIT_TYPES: [value: string, label: string][] = [
  ["", "All events"],
  ["login", "Sign-ins (all)"],
  ["login.failed", "Failed sign-ins"],
  ["login.refused", "Refused for the license"],
  ["session", "Session endings (all)"],
  ["session.terminated", "Terminations"],
  ["session.expired", "Expirations"],
  ["session.logout", "Sign-outs"],
  ["account", "Account changes"],
  ["license", "License changes"],
  ["settings", "Settings changes"],
];

const REASONS: [value: string, label: string][] = [
  ["", "Any reason"],
  ["logout", "Signed out"],
  ["terminated", "Terminated"],
  ["expired", "Expired"],
  ["account-disabled", "Account disabled"],
];

/** A `datetime-local` input's value as epoch ms, or undefined when empty. */
function epochOf(input: HTMLInputElement): number | undefined {
  return input.value ? new Date(input.value).getTime() : undefined;
}

function queryString(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

function describeActor(entry: AuditEntry): string {
  return entry.actor?.username ?? (entry.type.startsWith("session.expired") ? "the hub" : "—");
}

function describeTarget(entry: AuditEntry): string {
  return entry.target?.username ?? "—";
}

function describeDetail(entry: AuditEntry): string {
  if (entry.message) return entry.message;
  return entry.detail ? JSON.stringify(entry.detail) : "";
}

/** One filterable, paged table: fetches pages with the hub's cursor and appends their rows. */
class PagedTable<Row> {
  readonly body = h("tbody");
  readonly status = h("p", { class: "muted status-line", role: "status", "aria-live": "polite" });
  readonly more = h("button", { type: "button", class: "button", hidden: true }, "Load more");
  private cursor: string | null = null;
  private loading = false;

  constructor(
    private readonly fetchPage: (cursor: string | null) => Promise<{ entries: Row[]; nextCursor: string | null }>,
    private readonly toRow: (row: Row) => HTMLTableRowElement,
    private readonly emptyText: string,
  ) {
    this.more.addEventListener("click", () => void this.load(false));
  }

  async load(fresh: boolean): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    if (fresh) this.cursor = null;
    this.status.textContent = "Loading…";
    try {
      const page = await this.fetchPage(this.cursor);
      if (fresh) this.body.replaceChildren();
      for (const row of page.entries) this.body.appendChild(this.toRow(row));
      this.cursor = page.nextCursor;
      this.more.hidden = page.nextCursor === null;
      this.status.textContent = this.body.childElementCount === 0 ? this.emptyText : "";
    } catch (error) {
      this.status.textContent = error instanceof ApiError ? error.message : "Could not load.";
    } finally {
      this.loading = false;
    }
  }
}

export class AuditTab {
  private readonly section: HTMLElement;

  constructor(
    private readonly api: HubApi,
    private readonly token: string,
  ) {
    this.section = h(
      "section",
      { class: "card", "aria-labelledby": "audit-title" },
      h("h2", { id: "audit-title" }, "Audit and session history"),
      this.auditPane(),
      this.historyPane(),
    );
    byId("dashboard-view").appendChild(this.section);
  }

  stop(): void {
    this.section.remove();
  }

  private auditPane(): HTMLElement {
    const type = h("select", { "aria-label": "Event type" }, ...AUDIT_TYPES.map(([value, label]) => h("option", { value }, label)));
    const user = h("input", { type: "search", placeholder: "User", "aria-label": "User", autocomplete: "off" });
    const from = h("input", { type: "datetime-local", "aria-label": "From" });
    const to = h("input", { type: "datetime-local", "aria-label": "To" });
    const table = new PagedTable<AuditEntry>(
      (cursor) =>
        this.api.request<AuditPage>(
          "GET",
          `/api/audit${queryString({ type: type.value, user: user.value.trim(), from: epochOf(from), to: epochOf(to), cursor: cursor ?? undefined, limit: PAGE })}`,
        ),
      (entry) =>
        h(
          "tr",
          {},
          h("td", {}, formatMoment(entry.at)),
          h("td", {}, entry.type),
          h("td", {}, describeActor(entry)),
          h("td", {}, describeTarget(entry)),
          h("td", {}, entry.app ?? ""),
          h("td", {}, entry.ip ?? ""),
          h("td", {}, describeDetail(entry)),
        ),
      "No matching events.",
    );
    return searchPane({
      id: "audit-log-title",
      title: "Audit log",
      caption: "Audit log, newest first",
      columns: ["When", "Event", "By", "User", "App", "IP", "Details"],
      controls: [type, user, h("label", {}, "From ", from), h("label", {}, "To ", to)],
      table,
    });
  }

  private historyPane(): HTMLElement {
    const user = h("input", { type: "search", placeholder: "User", "aria-label": "User", autocomplete: "off" });
    const reason = h("select", { "aria-label": "Reason" }, ...REASONS.map(([value, label]) => h("option", { value }, label)));
    const app = h(
      "select",
      { "aria-label": "App" },
      h("option", { value: "" }, "Any app"),
      h("option", { value: "web" }, "Web App"),
      h("option", { value: "mobile" }, "Mobile"),
    );
    const from = h("input", { type: "datetime-local", "aria-label": "From" });
    const to = h("input", { type: "datetime-local", "aria-label": "To" });
    const filters = () => ({ user: user.value.trim(), reason: reason.value, app: app.value, from: epochOf(from), to: epochOf(to) });
    const table = new PagedTable<SessionHistoryEntry>(
      (cursor) =>
        this.api.request<SessionHistoryPage>(
          "GET",
          `/api/session-history${queryString({ ...filters(), cursor: cursor ?? undefined, limit: PAGE })}`,
        ),
      (entry) =>
        h(
          "tr",
          {},
          h("td", {}, entry.username),
          h("td", {}, entry.app),
          h("td", {}, [entry.device, entry.ip].filter(Boolean).join(" · ")),
          h("td", {}, formatMoment(entry.startedAt)),
          h("td", {}, formatMoment(entry.endedAt)),
          h("td", { class: "num" }, formatDuration(entry.durationMs)),
          h("td", {}, entry.reason),
          h("td", {}, entry.by?.username ?? ""),
          h("td", {}, entry.message),
        ),
      "No matching sessions.",
    );
    const download = h("button", { type: "button", class: "button" }, "Export history (CSV)");
    download.addEventListener("click", () => void this.downloadCsv(queryString({ ...filters(), format: "csv" }), table.status));
    return searchPane({
      id: "session-history-title",
      title: "Session history",
      caption: "Ended sessions, newest first",
      columns: ["User", "App", "Device / IP", "Logged In", "Ended", "Duration", "Reason", "Ended By", "Message"],
      controls: [user, reason, app, h("label", {}, "From ", from), h("label", {}, "To ", to)],
      extraActions: [download],
      table,
    });
  }

  /** The CSV needs the bearer header, so it is fetched here and handed to the browser as a file. */
  private async downloadCsv(query: string, status: HTMLElement): Promise<void> {
    try {
      const response = await fetch(`/api/session-history${query}`, { headers: { authorization: `Bearer ${this.token}` } });
      if (!response.ok) throw new Error(`The hub answered ${response.status}.`);
      downloadText(`session-history-${new Date().toISOString().slice(0, 10)}.csv`, await response.text());
    } catch (error) {
      status.textContent = `Could not download the CSV: ${(error as Error).message}`;
    }
  }
}

interface SearchPaneParts<T> {
  id: string;
  title: string;
  caption: string;
  columns: string[];
  controls: HTMLElement[];
  extraActions?: HTMLElement[];
  table: PagedTable<T>;
}

/** A titled filter form over a paged table; submitting the form reloads the table from its start. */
function searchPane<T>({ id, title, caption, columns, controls, extraActions = [], table }: SearchPaneParts<T>): HTMLElement {
  const form = h(
    "form",
    { class: "toolbar", "aria-label": `${title} filters` },
    h("div", { class: "toolbar-controls" }, ...controls, h("button", { type: "submit", class: "button primary" }, "Search"), ...extraActions),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void table.load(true);
  });
  void table.load(true);
  return h(
    "div",
    { role: "group", "aria-labelledby": id },
    h("h3", { id }, title),
    form,
    table.status,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table" },
        h("caption", { class: "visually-hidden" }, caption),
        h("thead", {}, h("tr", {}, ...columns.map((column) => h("th", { scope: "col" }, column)))),
        table.body,
      ),
    ),
    table.more,
  );
}
