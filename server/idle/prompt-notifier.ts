/**
 * Tells a session's sockets about its prompt. Emits go to the session's room through the Redis
 * adapter, so they reach the user's sockets on every node, whichever node ran the job.
 */
import type { SessionPromptPayload } from "../../shared/events.ts";
import type { Clock } from "../clock.ts";
import { sessionRoom, type HubServer } from "../realtime/io-types.ts";

export interface PromptNotifier {
  /** Asks every socket of the session to keep it, answering before `respondBy`. */
  prompt(sessionId: string, respondBy: number): void;
  /** The prompt was answered (or withdrawn): every tab and app closes its dialog. */
  resumed(sessionId: string): void;
}

export function createPromptNotifier(io: HubServer, clock: Clock): PromptNotifier {
  return {
    prompt(sessionId, respondBy) {
      const payload: SessionPromptPayload = { sessionId, respondBy, serverNow: clock.now() };
      io.to(sessionRoom(sessionId)).emit("session:prompt", payload);
    },
    resumed(sessionId) {
      io.to(sessionRoom(sessionId)).emit("session:resumed", { sessionId });
    },
  };
}
