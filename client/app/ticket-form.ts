/**
 * The workspace's ticket form. Saved values live in this browser (per account); edits stay in
 * the page until saved, so when the session ends they are discarded, as in the real product.
 */
import { byId } from "./dom.ts";

interface TicketFields {
  subject: string;
  status: string;
  notes: string;
}

const BLANK: TicketFields = { subject: "Printer on 3rd floor jams on duplex jobs", status: "New", notes: "" };

export class TicketForm {
  private readonly form = byId<HTMLFormElement>("ticket-form");
  private readonly subject = byId<HTMLInputElement>("ticket-subject");
  private readonly status = byId<HTMLSelectElement>("ticket-status");
  private readonly notes = byId<HTMLTextAreaElement>("ticket-notes");
  private readonly statusLine = byId("ticket-status-line");
  private saved: TicketFields = BLANK;
  private storageKey: string | null = null;

  constructor() {
    this.form.addEventListener("input", () => this.renderStatus());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
  }

  /** Shows `accountId`'s last saved ticket. */
  open(accountId: string): void {
    this.storageKey = `session-hub.ticket.${accountId}`;
    this.saved = this.readSaved();
    this.fill(this.saved);
    this.setEnabled(true);
    this.statusLine.textContent = "No changes";
    this.statusLine.classList.remove("dirty");
  }

  /** True when the form holds edits that were not saved. */
  get dirty(): boolean {
    const current = this.current();
    return (Object.keys(current) as (keyof TicketFields)[]).some((key) => current[key] !== this.saved[key]);
  }

  /**
   * Throws away unsaved edits (the session ended) and locks the form. Returns a description of
   * what was lost, or null when nothing was.
   */
  discard(): string | null {
    const lost = this.dirty ? this.describeLoss() : null;
    this.fill(this.saved);
    this.setEnabled(false);
    this.statusLine.textContent = lost ? "Unsaved changes were lost" : "No changes";
    this.statusLine.classList.remove("dirty");
    return lost;
  }

  private save(): void {
    this.saved = this.current();
    if (this.storageKey) localStorage.setItem(this.storageKey, JSON.stringify(this.saved));
    this.statusLine.textContent = `Saved at ${new Date().toLocaleTimeString()}`;
    this.statusLine.classList.remove("dirty");
  }

  private describeLoss(): string {
    const notesDelta = this.notes.value.length - this.saved.notes.length;
    const detail = notesDelta > 0 ? ` (${notesDelta} characters of ticket notes)` : "";
    return `Your unsaved changes to ticket HD-1042 were lost${detail}.`;
  }

  private renderStatus(): void {
    const dirty = this.dirty;
    this.statusLine.textContent = dirty ? "Unsaved changes" : "No changes";
    this.statusLine.classList.toggle("dirty", dirty);
  }

  private current(): TicketFields {
    return { subject: this.subject.value, status: this.status.value, notes: this.notes.value };
  }

  private fill(fields: TicketFields): void {
    this.subject.value = fields.subject;
    this.status.value = fields.status;
    this.notes.value = fields.notes;
  }

  private setEnabled(enabled: boolean): void {
    for (const control of [this.subject, this.status, this.notes]) control.disabled = !enabled;
  }

  private readSaved(): TicketFields {
    try {
      const raw = this.storageKey ? localStorage.getItem(this.storageKey) : null;
      return raw ? { ...BLANK, ...(JSON.parse(raw) as Partial<TicketFields>) } : BLANK;
    } catch {
      return BLANK;
    }
  }
}
