/** Where the SDK reads the time: injectable so tests and simulators can control it. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/** The platform clock. */
export const systemClock: Clock = { now: () => Date.now() };
