/**
 * The rules of idle termination (DESIGN.md, "Idle termination") as pure functions: given a
 * session as stored, the setting and the time, what should its idle job do now, and when is it
 * due. No I/O here; the worker carries the decision out with atomic scripts.
 */
import type { IdleSettings } from "../../shared/types.ts";
import type { SessionRecord } from "../sessions/session-record.ts";

/** The fields of a stored session the rules read. */
export type IdleView = Pick<
  SessionRecord,
  "licenseType" | "app" | "state" | "lastActivityAt" | "promptedAt" | "respondBy" | "keptAt"
>;

/** What one run of a session's idle job does. Times are epoch ms on the hub's clock. */
export type IdleStep =
  /** Nothing, and no further check: the session is gone, named, or the setting is off. */
  | { kind: "none" }
  /** Active within the timeout: check again when it would be idle for the whole timeout. */
  | { kind: "wait"; at: number }
  /** A Web App session idle past the timeout: ask the user to keep it. */
  | { kind: "prompt" }
  /** Idle past the timeout (other apps), or a prompt unanswered past its deadline: end it. */
  | { kind: "expire" }
  /** Prompted and the deadline is ahead: remind the user (same deadline) and check at it. */
  | { kind: "remind"; respondBy: number }
  /** Prompted, but answered by activity (check again at `nextAt`) or the setting is off (null). */
  | { kind: "resume"; nextAt: number | null };

/** The idle timeout of a setting, in milliseconds (fractions of a minute are allowed). */
export function timeoutMs(settings: IdleSettings): number {
  return Math.round(settings.timeoutMinutes * 60_000);
}

/** The prompt window of a setting, in milliseconds. */
export function promptMs(settings: IdleSettings): number {
  return Math.round(settings.promptSeconds * 1000);
}

/** Only concurrent accounts are terminated automatically; named ones never get a job. */
export function isWatched(session: Pick<IdleView, "licenseType">): boolean {
  return session.licenseType === "concurrent";
}

/** True when a prompted session was answered since its prompt, by activity or by `keep`. */
export function answeredSincePrompt(session: IdleView): boolean {
  const promptedAt = session.promptedAt ?? 0;
  return session.lastActivityAt > promptedAt || (session.keptAt ?? 0) > promptedAt;
}

/** When the session's job should next run, with the setting on. */
export function dueAt(session: IdleView, settings: IdleSettings): number {
  if (session.state === "prompted" && session.respondBy !== null) return session.respondBy;
  return session.lastActivityAt + timeoutMs(settings);
}

/** Decides one run of a session's idle job. `session` is null when it is no longer open. */
export function decideIdleStep(session: IdleView | null, settings: IdleSettings, now: number): IdleStep {
  if (!session || !isWatched(session)) return { kind: "none" };
  if (session.state === "prompted") {
    if (!settings.enabled) return { kind: "resume", nextAt: null };
    // A prompt without a deadline cannot be enforced; treat it as answered rather than end it.
    if (session.respondBy === null || answeredSincePrompt(session)) {
      return { kind: "resume", nextAt: session.lastActivityAt + timeoutMs(settings) };
    }
    if (now >= session.respondBy) return { kind: "expire" };
    return { kind: "remind", respondBy: session.respondBy };
  }
  if (!settings.enabled) return { kind: "none" };
  const idleUntil = session.lastActivityAt + timeoutMs(settings);
  if (now < idleUntil) return { kind: "wait", at: idleUntil };
  return session.app === "web" ? { kind: "prompt" } : { kind: "expire" };
}
