/**
 * The confirmation before terminating sessions: names how many ("Terminate 2 sessions?"), warns
 * when the admin's own session is among them, and takes an optional message for the users.
 * The dialog stays open while the call runs so an error can be shown where the admin acted.
 */
import { byId, setText, show } from "./dom.ts";
import { plural } from "./format.ts";

/**
 * The longest note the hub accepts (`terminateBodySchema` in shared/schemas.ts). Not imported
 * from there: that module pulls zod into the browser bundle for one number.
 */
const MAX_TERMINATE_MESSAGE = 500;

export interface TerminateRequest {
  sessionIds: string[];
  includesOwn: boolean;
}

/** Performs the termination; rejects with an Error whose message is shown in the dialog. */
export type TerminateAction = (sessionIds: string[], message: string | undefined) => Promise<void>;

export class TerminateDialog {
  private readonly dialog = byId<HTMLDialogElement>("terminate-dialog");
  private readonly form = byId<HTMLFormElement>("terminate-form");
  private readonly title = byId("terminate-title");
  private readonly ownWarning = byId("terminate-own-warning");
  private readonly message = byId<HTMLTextAreaElement>("terminate-message");
  private readonly error = byId("terminate-error");
  private readonly confirm = byId<HTMLButtonElement>("terminate-confirm");
  private readonly cancel = byId<HTMLButtonElement>("terminate-cancel");
  private request: TerminateRequest | null = null;
  private busy = false;
  private readonly listeners = new AbortController();

  constructor(private readonly action: TerminateAction) {
    const { signal } = this.listeners;
    this.message.maxLength = MAX_TERMINATE_MESSAGE;
    this.form.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        void this.submit();
      },
      { signal },
    );
    this.cancel.addEventListener("click", () => this.close(), { signal });
    this.dialog.addEventListener(
      "cancel",
      (event) => {
        // Escape must not close the dialog under a running call.
        if (this.busy) event.preventDefault();
      },
      { signal },
    );
  }

  /** Closes the dialog and detaches it from the page's elements. */
  dispose(): void {
    this.busy = false;
    this.close();
    this.listeners.abort();
  }

  open(request: TerminateRequest): void {
    this.request = request;
    const count = request.sessionIds.length;
    setText(this.title, `Terminate ${plural(count, "session")}?`);
    setText(this.confirm, count === 1 ? "Terminate session" : `Terminate ${count} sessions`);
    show(this.ownWarning, request.includesOwn);
    this.message.value = "";
    setText(this.error, "");
    this.setBusy(false);
    this.dialog.showModal();
    this.message.focus();
  }

  close(): void {
    if (this.busy) return;
    this.request = null;
    if (this.dialog.open) this.dialog.close();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  private async submit(): Promise<void> {
    const request = this.request;
    if (!request || this.busy) return;
    const note = this.message.value.trim();
    this.setBusy(true);
    setText(this.error, "");
    try {
      await this.action(request.sessionIds, note || undefined);
      this.setBusy(false);
      this.close();
    } catch (error) {
      this.setBusy(false);
      setText(this.error, (error as Error).message);
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.confirm.disabled = busy;
    this.cancel.disabled = busy;
    this.form.setAttribute("aria-busy", String(busy));
  }
}
