/**
 * Exponential backoff with jitter, for the reconnects socket.io does not do itself (a handshake
 * the server refused, or a server-side disconnect). Same shape as socket.io's own backoff.
 */
import type { ReconnectOptions } from "./options.ts";

export class Backoff {
  private attempts = 0;

  constructor(
    private readonly options: Required<ReconnectOptions>,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next delay: delayMs · 2^attempt, capped, spread by ± randomizationFactor. */
  next(): number {
    const { delayMs, maxDelayMs, randomizationFactor } = this.options;
    const base = Math.min(maxDelayMs, delayMs * 2 ** Math.min(this.attempts, 30));
    this.attempts += 1;
    const spread = base * randomizationFactor * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(maxDelayMs, base + spread)));
  }

  reset(): void {
    this.attempts = 0;
  }
}
