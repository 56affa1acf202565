/**
 * The dashboard's own idle prompt: the hub asks (`session:prompt`) whether to keep this session;
 * the dialog counts down to `respondBy` on the hub's clock and "Keep session" answers with
 * `session:keep`. `session:resumed` (answered in another tab) closes it. The countdown is only a
 * display: the hub decides when the session expires and says so with `session:ended`.
 */
import type { SessionPromptPayload } from "../../shared/events.ts";
import { byId, setText } from "./dom.ts";
import { plural } from "./format.ts";

export class KeepSessionDialog {
  private readonly dialog = byId<HTMLDialogElement>("keep-session-dialog");
  private readonly countdown = byId("keep-session-countdown");
  private readonly keepButton = byId<HTMLButtonElement>("keep-session-button");
  private readonly signOutButton = byId<HTMLButtonElement>("keep-session-sign-out");
  private readonly error = byId("keep-session-error");
  private timer: ReturnType<typeof setInterval> | undefined;
  private deadline = 0;
  private sessionId: string | null = null;
  private readonly listeners = new AbortController();

  constructor(
    private readonly keep: () => Promise<boolean>,
    private readonly signOut: () => void,
  ) {
    const { signal } = this.listeners;
    this.keepButton.addEventListener("click", () => void this.onKeep(), { signal });
    this.signOutButton.addEventListener(
      "click",
      () => {
        this.close();
        this.signOut();
      },
      { signal },
    );
    // Escape would leave the prompt unanswered while it still counts down: treat it as "keep".
    this.dialog.addEventListener(
      "cancel",
      (event) => {
        event.preventDefault();
        void this.onKeep();
      },
      { signal },
    );
  }

  /** Closes the prompt and detaches it from the page's elements. */
  dispose(): void {
    this.close();
    this.listeners.abort();
  }

  open(payload: SessionPromptPayload): void {
    this.sessionId = payload.sessionId;
    // respondBy is on the hub's clock; move it onto ours.
    this.deadline = payload.respondBy - (payload.serverNow - Date.now());
    setText(this.error, "");
    this.keepButton.disabled = false;
    this.render();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.render(), 250);
    if (!this.dialog.open) this.dialog.showModal();
    this.keepButton.focus();
  }

  /** Closes the prompt if it is for this session (or for any when no id is given). */
  close(sessionId?: string): void {
    if (sessionId && this.sessionId && sessionId !== this.sessionId) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sessionId = null;
    if (this.dialog.open) this.dialog.close();
  }

  private render(): void {
    const seconds = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    setText(
      this.countdown,
      seconds > 0
        ? `Your session will end in ${plural(seconds, "second")} unless you keep it.`
        : "Your session is ending…",
    );
  }

  private async onKeep(): Promise<void> {
    this.keepButton.disabled = true;
    const ok = await this.keep();
    if (ok) {
      this.close();
      return;
    }
    this.keepButton.disabled = false;
    setText(this.error, "The hub did not confirm. Try again.");
  }
}
