/**
 * Ending a session is one function for every reason (DESIGN.md, hard part 4): logout, terminated,
 * expired and account-disabled all come here. Redis first (atomic: session gone, tombstone with
 * the reason, seat released with the account's last session, change appended), then the notice
 * to the session's sockets on every node, then those sockets are disconnected.
 */
import { EventEmitter } from "node:events";
import { endMessage } from "../../shared/messages.ts";
import type { App, EndReason, EndedBy, LicenseType } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";
import type { Tombstone } from "./session-store.ts";

export interface EndOptions {
  /** An administrator's note, appended to the message the user sees. */
  note?: string;
  /** Replaces the reason's usual sentence (e.g. the absolute lifetime's), before any note. */
  message?: string;
  /** The administrator who ended it. */
  by?: EndedBy;
  /** End it only if the user has not acted (activity or keep) after this time (ms). */
  unlessActiveAfter?: number;
}

export interface EndedSession {
  sessionId: string;
  reason: EndReason;
  licenseType: LicenseType;
  accountId: string;
  /** What the session was, for the audit log and session history. */
  username: string;
  app: App;
  device: string | null;
  ip: string | null;
  startedAt: number;
  endedAt: number;
  message: string;
  by?: EndedBy;
}

/** Delivers the end notice to a session's sockets on every node and disconnects them. */
export interface SessionNotifier {
  sessionEnded(tombstone: Tombstone): void;
}

export class SessionEnder extends EventEmitter<{ ended: [EndedSession] }> {
  private notifier: SessionNotifier | null = null;

  constructor(private readonly ctx: HubContext) {
    super();
  }

  attachNotifier(notifier: SessionNotifier): void {
    this.notifier = notifier;
  }

  /** Ends a session. Returns false when it was not open (ending twice is harmless). */
  async end(sessionId: string, reason: EndReason, options: EndOptions = {}): Promise<boolean> {
    const { redis, keys, clock, options: hubOptions, logger } = this.ctx;
    const tombstone: Tombstone = {
      sessionId,
      reason,
      message: options.message
        ? `${options.message}${options.note ? ` ${options.note}` : ""}`
        : endMessage(reason, options.note),
      ...(options.by ? { by: options.by } : {}),
      endedAt: clock.now(),
    };
    const reply = await runScript<0 | -1 | [number, LicenseType, string, App, string, string, string, string]>(
      redis,
      "end-session",
      [keys.session(sessionId), keys.sessions, keys.seats, keys.namedOnline],
      [
        keys.prefix, sessionId, reason, JSON.stringify(tombstone), hubOptions.tombstoneTtlSeconds, tombstone.endedAt,
        options.unlessActiveAfter ?? "",
      ],
    );
    if (!Array.isArray(reply)) return false;
    const [, licenseType, accountId, app, username, startedAt, device, ip] = reply;
    logger.info({ sessionId, reason, by: options.by?.username }, "session ended");
    this.notifier?.sessionEnded(tombstone);
    this.emit("ended", {
      sessionId,
      reason,
      licenseType,
      accountId,
      username,
      app,
      device: device || null,
      ip: ip || null,
      startedAt: Number(startedAt),
      endedAt: tombstone.endedAt,
      message: tombstone.message,
      ...(options.by ? { by: options.by } : {}),
    });
    return true;
  }

  /** Ends several sessions; returns the ids that this call ended. */
  async endMany(sessionIds: string[], reason: EndReason, options: EndOptions = {}): Promise<string[]> {
    const ended: string[] = [];
    for (const id of new Set(sessionIds)) {
      if (await this.end(id, reason, options)) ended.push(id);
    }
    return ended;
  }
}
