/** The idle rules as pure decisions: what a session's idle job does at a given moment. */
import { describe, expect, it } from "vitest";
import { decideIdleStep, dueAt, timeoutMs, type IdleView } from "../../server/idle/idle-policy.ts";
import type { IdleSettings } from "../../shared/types.ts";

const on: IdleSettings = { enabled: true, timeoutMinutes: 0.5, promptSeconds: 10 };
const off: IdleSettings = { ...on, enabled: false };
const T = 30_000;

function session(overrides: Partial<IdleView> = {}): IdleView {
  return {
    licenseType: "concurrent",
    app: "web",
    state: "active",
    lastActivityAt: 1_000_000,
    promptedAt: null,
    respondBy: null,
    keptAt: null,
    ...overrides,
  };
}

describe("the idle rules", () => {
  it("timeouts may be fractions of a minute", () => {
    expect(timeoutMs(on)).toBe(T);
    expect(timeoutMs({ ...on, timeoutMinutes: 1 / 60 })).toBe(1000);
  });

  it("a session that is gone or named needs no check, ever", () => {
    expect(decideIdleStep(null, on, 0)).toEqual({ kind: "none" });
    expect(decideIdleStep(session({ licenseType: "named" }), on, 10_000_000)).toEqual({ kind: "none" });
    expect(decideIdleStep(session({ licenseType: "named", app: "mobile" }), on, 10_000_000)).toEqual({ kind: "none" });
  });

  it("an active session is checked again when it would be idle for the whole timeout", () => {
    const s = session({ lastActivityAt: 1_000_000 });
    expect(decideIdleStep(s, on, 1_000_000 + T - 1)).toEqual({ kind: "wait", at: 1_000_000 + T });
  });

  it("at the timeout the Web App is prompted and other apps expire", () => {
    const now = 1_000_000 + T;
    expect(decideIdleStep(session(), on, now)).toEqual({ kind: "prompt" });
    expect(decideIdleStep(session({ app: "mobile" }), on, now)).toEqual({ kind: "expire" });
  });

  it("a prompt unanswered by its deadline expires; before it, the same deadline stands", () => {
    const s = session({ state: "prompted", promptedAt: 1_030_000, respondBy: 1_040_000 });
    expect(decideIdleStep(s, on, 1_035_000)).toEqual({ kind: "remind", respondBy: 1_040_000 });
    expect(decideIdleStep(s, on, 1_040_000)).toEqual({ kind: "expire" });
  });

  it("activity or a keep after the prompt resumes the session, re-armed from its last activity", () => {
    const prompted = { state: "prompted" as const, promptedAt: 1_030_000, respondBy: 1_040_000 };
    expect(decideIdleStep(session({ ...prompted, lastActivityAt: 1_031_000 }), on, 1_040_000)).toEqual({
      kind: "resume",
      nextAt: 1_031_000 + T,
    });
    expect(decideIdleStep(session({ ...prompted, keptAt: 1_032_000 }), on, 1_040_000)).toEqual({
      kind: "resume",
      nextAt: 1_000_000 + T,
    });
  });

  it("with the setting off nothing expires, and an open prompt is withdrawn", () => {
    expect(decideIdleStep(session({ app: "mobile" }), off, 10_000_000)).toEqual({ kind: "none" });
    const prompted = session({ state: "prompted", promptedAt: 1_030_000, respondBy: 1_040_000 });
    expect(decideIdleStep(prompted, off, 10_000_000)).toEqual({ kind: "resume", nextAt: null });
  });

  it("a job is due at last activity + timeout, or at the deadline of an open prompt", () => {
    expect(dueAt(session(), on)).toBe(1_000_000 + T);
    expect(dueAt(session({ state: "prompted", promptedAt: 1_030_000, respondBy: 1_040_000 }), on)).toBe(1_040_000);
  });
});
