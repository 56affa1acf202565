/**
 * The keep-session prompt as a client sees it. The server's `respondBy` is on the server's clock;
 * the client's countdown must run on its own clock, so the prompt carries the skew between them.
 */
import type { SessionPromptPayload } from "../../shared/events.ts";
import type { Clock } from "./clock.ts";

export interface SessionPrompt {
  sessionId: string;
  /** Deadline on the server's clock, as sent. */
  respondBy: number;
  /** Server time when the prompt was sent. */
  serverNow: number;
  /** `serverNow - clock.now()` at receipt: add it to a local time to get server time. */
  skewMs: number;
  /** The deadline on the local clock (`respondBy - skewMs`): count down to this. */
  deadline: number;
  /** Time left to answer, at receipt. */
  remainingMs: number;
}

/** Builds the client's view of a prompt from the payload and the local time of receipt. */
export function toSessionPrompt(payload: SessionPromptPayload, clock: Clock): SessionPrompt {
  const receivedAt = clock.now();
  // Older servers may omit serverNow; then trust the local clock.
  const serverNow = typeof payload.serverNow === "number" ? payload.serverNow : receivedAt;
  const skewMs = serverNow - receivedAt;
  const deadline = payload.respondBy - skewMs;
  return {
    sessionId: payload.sessionId,
    respondBy: payload.respondBy,
    serverNow,
    skewMs,
    deadline,
    remainingMs: Math.max(0, deadline - receivedAt),
  };
}

/** Time left to answer `prompt` now, never negative. */
export function remainingMs(prompt: SessionPrompt, clock: Clock): number {
  return Math.max(0, prompt.deadline - clock.now());
}
