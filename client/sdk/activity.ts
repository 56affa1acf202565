/**
 * What counts as the user doing something. The hub's idle timer runs on these reports only,
 * never on the transport's ping/pong, so a source must report real input.
 */
import type { Clock } from "./clock.ts";

/** Reports user activity by calling `report`; returns a function that stops reporting. */
export interface ActivitySource {
  start(report: () => void): () => void;
}

/** The slice of `window`/`document` the DOM source listens on, so it can be faked in tests. */
export interface DomEventTarget {
  addEventListener(type: string, listener: () => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: () => void, options?: EventListenerOptions): void;
}

/** Input events that mean a person is at the keyboard or screen. */
export const DOM_ACTIVITY_EVENTS = [
  "keydown",
  "pointerdown",
  "pointermove",
  "wheel",
  "scroll",
  "touchstart",
  "focus",
] as const;

/**
 * Browser input: keyboard, pointer, wheel/scroll, touch and window focus. The SDK throttles what
 * it sends, so this source may report every event. Listeners are passive and captured, so a
 * page's own `stopPropagation` does not hide activity from the hub.
 */
export function domActivitySource(
  target: DomEventTarget = globalThis as unknown as DomEventTarget,
  events: readonly string[] = DOM_ACTIVITY_EVENTS,
): ActivitySource {
  return {
    start(report) {
      const options = { capture: true, passive: true };
      const listener = () => report();
      for (const type of events) target.addEventListener(type, listener, options);
      return () => {
        for (const type of events) target.removeEventListener(type, listener, { capture: true });
      };
    },
  };
}

/** No automatic activity (Node, simulators): the caller reports it with `HubClient.activity()`. */
export const noActivitySource: ActivitySource = { start: () => () => {} };

/** True where a DOM is present, so the browser source is the sensible default. */
export function hasDom(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window === "object" && typeof g.document === "object";
}

/**
 * Limits `send` to once per `intervalMs`: the first report goes out at once, and reports inside
 * the interval collapse into one at its end, so the hub always learns of the latest activity.
 */
export class Throttle {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly send: () => void,
  ) {}

  report(): void {
    if (this.timer) return;
    const wait = this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.lastSentAt = this.clock.now();
    this.send();
  }
}
