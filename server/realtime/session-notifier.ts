import type { SessionEndedPayload } from "../../shared/events.ts";
import type { SessionNotifier } from "../sessions/session-ender.ts";
import type { Tombstone } from "../sessions/session-store.ts";
import { sessionRoom, type HubServer } from "./io-types.ts";

/**
 * Tells a session's sockets on every node why it ended, then disconnects them. Both go out through
 * the adapter's one publisher in this order, so every node delivers the notice before it closes.
 */
export function createSessionNotifier(io: HubServer): SessionNotifier {
  return {
    sessionEnded(tombstone: Tombstone) {
      const room = sessionRoom(tombstone.sessionId);
      const payload: SessionEndedPayload = {
        sessionId: tombstone.sessionId,
        reason: tombstone.reason,
        message: tombstone.message,
        ...(tombstone.by ? { by: tombstone.by } : {}),
      };
      io.to(room).emit("session:ended", payload);
      io.in(room).disconnectSockets(true);
      io.of("/admin").in(room).disconnectSockets(true);
    },
  };
}
