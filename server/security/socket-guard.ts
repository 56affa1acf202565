/**
 * Limits on sockets (OWASP WebSocket cheat sheet: rate-limit messages, cap connections).
 * - Each socket of `/` and `/admin` has a token bucket: `eventsPerSecond` on average, `burst` at
 *   once. Events over it are dropped unanswered; after `disconnectAfterDropped` drops the socket is
 *   disconnected (its session stays open: a well-behaved client reconnects). Time comes from the
 *   hub's clock, so tests can hold it still.
 * The cap on sockets per session is checked with the token (realtime/socket-auth.ts).
 */
import type { Socket } from "socket.io";
import type { HubContext } from "../context.ts";
import type { AdminNamespace, HubServer } from "../realtime/io-types.ts";

export interface SocketGuardEvents {
  /** An event was dropped for going over its socket's rate. */
  onDropped?: () => void;
}

export function guardSockets(io: HubServer, adminNs: AdminNamespace, ctx: HubContext, events: SocketGuardEvents = {}): void {
  const { socketLimits: limits } = ctx.options;

  const limit = (socket: Socket) => {
    let tokens = limits.burst;
    let refilledAt = ctx.clock.now();
    let dropped = 0;
    socket.use((_packet, next) => {
      const now = ctx.clock.now();
      tokens = Math.min(limits.burst, tokens + (Math.max(0, now - refilledAt) / 1000) * limits.eventsPerSecond);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        next();
        return;
      }
      dropped += 1;
      events.onDropped?.();
      if (dropped === limits.disconnectAfterDropped) {
        ctx.logger.warn({ sessionId: socket.data.sessionId, dropped }, "socket disconnected: event flood");
        socket.disconnect(true);
      }
    });
  };
  io.on("connection", limit);
  adminNs.on("connection", limit);
}
