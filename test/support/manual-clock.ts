import type { Clock } from "../../server/clock.ts";

/** A clock that moves only when a test moves it. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
