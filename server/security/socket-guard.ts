/**
 * Limits on sockets (OWASP WebSocket cheat sheet: rate-limit messages, cap connections).
 * - Each socket of `/` and `/admin` has a token bucket: `eventsPerSecond` on average, `burst` at
 *   once. Events over it are dropped unanswered; after `disconnectAfterDropped` drops the socket is
 *   disconnected (its session stays open: a well-behaved client reconnects). Time comes from the
 *   hub's clock, so tests can hold it still.
 * - A session may hold `maxSocketsPerSession` sockets in `/` across all nodes; one more is refused
 *   with connect_error RATE_LIMITED. The count is read from Redis before the socket is counted, so
 *   parallel connects can overshoot it by a few: it is a guard against floods, not a license rule.
 */
import type { Socket } from "socket.io";
import type { HubContext } from "../context.ts";
import { RateLimitedError } from "../errors.ts";
import type { AdminNamespace, HubServer } from "../realtime/io-types.ts";
import { toConnectError } from "../realtime/socket-auth.ts";

export interface SocketGuardEvents {
  /** An event was dropped for going over its socket's rate. */
  onDropped?: () => void;
}

export function guardSockets(io: HubServer, adminNs: AdminNamespace, ctx: HubContext, events: SocketGuardEvents = {}): void {
  const { socketLimits: limits } = ctx.options;

  // Registered after the namespace's own auth middleware, so socket.data names the session.
  io.use((socket, next) => {
    const { sessionId } = socket.data;
    ctx.redis.hGet(ctx.keys.session(sessionId), "sockets").then(
      (raw) => {
        if (Number(raw ?? 0) < limits.maxSocketsPerSession) return next();
        ctx.logger.warn({ sessionId }, "socket refused: too many sockets for one session");
        next(toConnectError(new RateLimitedError(`A session may hold at most ${limits.maxSocketsPerSession} connections.`, 1)));
      },
      // Counting trouble never refuses a socket; the auth check before this one already passed.
      () => next(),
    );
  });

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
