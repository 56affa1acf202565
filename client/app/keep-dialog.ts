/**
 * The keep-session dialog: a countdown to the hub's deadline (on the local clock, corrected for
 * skew by the SDK) with "Keep session" and "Sign out". The countdown is only a display: the hub
 * ends the session when the deadline passes.
 */
import type { HubClient } from "../sdk/index.ts";
import { byId, show } from "./dom.ts";

export class KeepDialog {
  private readonly dialog = byId<HTMLDialogElement>("keep-dialog");
  private readonly countdown = byId("keep-countdown");
  private readonly error = byId("keep-error");
  private readonly keepButton = byId<HTMLButtonElement>("keep-button");
  private readonly signOutButton = byId<HTMLButtonElement>("keep-sign-out");
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly client: HubClient,
    private readonly onSignOut: () => void,
  ) {
    // Escape would hide the question without answering it; the hub would still end the session.
    this.dialog.addEventListener("cancel", (event) => event.preventDefault());
    this.keepButton.addEventListener("click", () => void this.keep());
    this.signOutButton.addEventListener("click", () => this.onSignOut());
  }

  open(): void {
    show(this.error, false);
    this.setBusy(false);
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    this.timer ??= setInterval(() => this.render(), 250);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.dialog.open) this.dialog.close();
  }

  private async keep(): Promise<void> {
    this.setBusy(true);
    try {
      const ack = await this.client.keep();
      if (!ack.ok) throw new Error("the hub did not keep the session");
      this.close();
    } catch (error) {
      this.error.textContent = (error as Error).message;
      show(this.error, true);
      this.setBusy(false);
    }
  }

  private render(): void {
    const seconds = Math.ceil(this.client.promptRemainingMs() / 1000);
    this.countdown.textContent = String(seconds);
  }

  private setBusy(busy: boolean): void {
    this.keepButton.disabled = busy;
    this.signOutButton.disabled = busy;
  }
}
