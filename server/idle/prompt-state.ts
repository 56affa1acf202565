/**
 * A session's prompt state in Redis: prompting it, the user's keep, and setting it back to active.
 * Each change is one Lua script that checks and writes atomically and appends the change for
 * dashboards, so two nodes (or a job that runs twice) cannot prompt or resume a session twice.
 */
import type { SessionPromptPayload } from "../../shared/events.ts";
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";

/** The outcome of trying to prompt a session. Times are epoch ms on the hub's clock. */
export type PromptOutcome =
  /** This call prompted it: tell the user. */
  | { kind: "prompted"; respondBy: number }
  /** It was prompted before (a repeated run); the deadline stands. */
  | { kind: "already"; respondBy: number }
  /** It was active within the timeout after all (activity arrived in between). */
  | { kind: "active"; lastActivityAt: number }
  /** Named, not the Web App, or no longer open: never prompted. */
  | { kind: "skip" };

/** The outcome of a `session:keep`. */
export type KeepOutcome = "resumed" | "open" | "gone";

const RESUME_BATCH = 500;

export class PromptState {
  constructor(private readonly ctx: HubContext) {}

  /** Prompts the session if it is still active and idle for the whole timeout. */
  async prompt(sessionId: string, timeoutMs: number, promptMs: number): Promise<PromptOutcome> {
    const { redis, keys, clock } = this.ctx;
    const [status, at] = await runScript<[string, number?]>(
      redis,
      "prompt-session",
      [keys.session(sessionId)],
      [keys.prefix, sessionId, clock.now(), timeoutMs, promptMs],
    );
    switch (status) {
      case "PROMPTED":
        return { kind: "prompted", respondBy: Number(at) };
      case "ALREADY":
        return { kind: "already", respondBy: Number(at) };
      case "ACTIVE":
        return { kind: "active", lastActivityAt: Number(at) };
      default:
        return { kind: "skip" };
    }
  }

  /** The user's answer: a prompted session becomes active, with now as its last activity. */
  async keep(sessionId: string): Promise<KeepOutcome> {
    const { redis, keys, clock } = this.ctx;
    const reply = await runScript<number>(redis, "keep-session", [keys.session(sessionId)], [
      keys.prefix,
      sessionId,
      clock.now(),
    ]);
    return reply === 2 ? "resumed" : reply === 1 ? "open" : "gone";
  }

  /** Sets the prompted sessions among `sessionIds` back to active; returns those it resumed. */
  async resume(sessionIds: string[]): Promise<string[]> {
    const resumed: string[] = [];
    for (let i = 0; i < sessionIds.length; i += RESUME_BATCH) {
      const batch = sessionIds.slice(i, i + RESUME_BATCH);
      resumed.push(...(await runScript<string[]>(this.ctx.redis, "resume-sessions", [], [this.ctx.keys.prefix, ...batch])));
    }
    return resumed;
  }

  /** The prompt a session is waiting to answer, for a socket that joins while it waits. */
  async pending(sessionId: string): Promise<SessionPromptPayload | null> {
    const { redis, keys, clock } = this.ctx;
    const [state, respondBy] = await redis.hmGet(keys.session(sessionId), ["state", "respondBy"]);
    const now = clock.now();
    if (state !== "prompted" || !respondBy || Number(respondBy) <= now) return null;
    return { sessionId, respondBy: Number(respondBy), serverNow: now };
  }
}
