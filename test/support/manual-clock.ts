/** A clock tests move by hand: it follows real time plus an offset they can advance, or stands still. */
import type { Clock } from "../../server/clock.ts";

export interface ManualClock extends Clock {
  /** Moves the clock forward. */
  advance(ms: number): void;
  /** Stops the clock at its current time (advance still moves it). */
  freeze(): void;
}

export function manualClock(): ManualClock {
  let offset = 0;
  let frozenAt: number | null = null;
  return {
    now: () => (frozenAt ?? Date.now()) + offset,
    advance(ms) {
      offset += ms;
    },
    freeze() {
      frozenAt = Date.now();
    },
  };
}
