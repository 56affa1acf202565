/**
 * Namespace `/`: every client's own session channel. A socket joins its session's and account's
 * rooms and counts toward the session's `connected`. Every event it sends is activity, buffered
 * in memory; `session:keep` answers a prompt.
 */
import type { KeepAck, SessionPromptPayload } from "../../shared/events.ts";
import type { Logger } from "../logger.ts";
import type { ActivityBuffer } from "../sessions/activity-buffer.ts";
import type { SessionStore } from "../sessions/session-store.ts";
import { accountRoom, sessionRoom, type ClientSocket, type HubServer } from "./io-types.ts";
import type { Presence } from "./presence.ts";
import { authenticateSocket, toConnectError } from "./socket-auth.ts";

/** Answers a prompt: true when the session was prompted and is active again. */
export interface PromptAnswerer {
  keep(sessionId: string): Promise<boolean>;
  /** The prompt the session is waiting to answer, if any (shown to a socket that joins late). */
  pendingPrompt(sessionId: string): Promise<SessionPromptPayload | null>;
}

const noop = () => undefined;

export interface ClientNamespaceDeps {
  /** Sockets one session may hold across all nodes; one more is refused with RATE_LIMITED. */
  maxSocketsPerSession: number;
  sessions: SessionStore;
  presence: Presence;
  activity: ActivityBuffer;
  prompts: PromptAnswerer;
  logger: Logger;
}

export function setupClientNamespace(io: HubServer, deps: ClientNamespaceDeps): void {
  const { sessions, presence, activity, prompts, logger } = deps;

  io.use((socket, next) => {
    authenticateSocket(socket, sessions, { adminOnly: false, maxSockets: deps.maxSocketsPerSession }).then(
      () => next(),
      (error: unknown) => next(toConnectError(error)),
    );
  });

  io.on("connection", (socket: ClientSocket) => {
    const { sessionId, accountId } = socket.data;
    void socket.join([sessionRoom(sessionId), accountRoom(accountId)]);

    // Detach only what was attached, even when the socket leaves before the attach returns.
    const attached = presence.attach(sessionId).then(
      (open) => {
        if (!open) socket.disconnect(true);
        // A tab opened or reconnected while its session waits for an answer shows the prompt too.
        else void prompts.pendingPrompt(sessionId).then((prompt) => prompt && socket.emit("session:prompt", prompt), noop);
        return open;
      },
      (error: unknown) => {
        logger.warn({ sessionId, err: (error as Error).message }, "could not count socket");
        return false;
      },
    );

    socket.onAny(() => activity.record(sessionId));

    socket.on("session:keep", (ack?: unknown) => {
      prompts.keep(sessionId).then(
        (ok) => {
          if (typeof ack === "function") (ack as (result: KeepAck) => void)({ ok });
        },
        (error: unknown) => {
          logger.warn({ sessionId, err: (error as Error).message }, "keep failed");
          if (typeof ack === "function") (ack as (result: KeepAck) => void)({ ok: false });
        },
      );
    });

    socket.on("disconnect", () => {
      void attached.then((wasAttached) =>
        wasAttached
          ? presence.detach(sessionId).catch((error: unknown) => {
              logger.warn({ sessionId, err: (error as Error).message }, "could not uncount socket");
            })
          : undefined,
      );
    });
  });
}
