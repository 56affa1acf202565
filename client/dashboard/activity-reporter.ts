/**
 * Reports the admin's own activity (keyboard, pointer, scroll, focus) to the hub, at most once
 * per interval: the first event is sent at once and a burst after it is folded into one trailing
 * report, so the hub's idle clock sees the user without a flood of events (DESIGN.md, part 2).
 */

/** The most often the dashboard tells the hub the user is active. */
export const ACTIVITY_INTERVAL_MS = 5000;

const INPUT_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "scroll", "touchstart"] as const;

export class ActivityReporter {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  private readonly listener = (): void => this.onActivity();
  /**
   * Only the window gaining focus (the user coming back to the tab) counts: focus moved by the
   * page itself, such as a dialog focusing its button, is not the user doing something.
   */
  private readonly focusListener = (event: FocusEvent): void => {
    if (event.target === this.target) this.onActivity();
  };

  constructor(
    private readonly send: () => void,
    private readonly intervalMs = ACTIVITY_INTERVAL_MS,
    private readonly target: Window = window,
  ) {}

  start(): void {
    for (const type of INPUT_EVENTS) {
      // Capture, so scrolls of inner panes are seen too (scroll does not bubble).
      this.target.addEventListener(type, this.listener, { capture: true, passive: true });
    }
    this.target.addEventListener("focus", this.focusListener);
  }

  stop(): void {
    for (const type of INPUT_EVENTS) this.target.removeEventListener(type, this.listener, { capture: true });
    this.target.removeEventListener("focus", this.focusListener);
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private onActivity(): void {
    const now = Date.now();
    const wait = this.lastSentAt + this.intervalMs - now;
    if (wait <= 0) {
      this.fire(now);
    } else if (this.trailing === undefined) {
      this.trailing = setTimeout(() => {
        this.trailing = undefined;
        this.fire(Date.now());
      }, wait);
    }
  }

  private fire(now: number): void {
    this.lastSentAt = now;
    this.send();
  }
}
