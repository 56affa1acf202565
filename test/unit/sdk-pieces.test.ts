/**
 * The SDK's small parts, without a hub: the activity throttle, the jittered backoff, the prompt's
 * clock-skew correction, how a dead token's error becomes an end reason, and option checking.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Throttle } from "../../client/sdk/activity.ts";
import { Backoff } from "../../client/sdk/backoff.ts";
import { endReasonOf, errorFromBody, errorFromConnectError, HubClientError } from "../../client/sdk/errors.ts";
import { resolveOptions } from "../../client/sdk/options.ts";
import { remainingMs, toSessionPrompt } from "../../client/sdk/prompt.ts";
import { EndMessage } from "../../shared/messages.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("activity throttle", () => {
  it("sends the first report at once and folds a burst into one trailing report", () => {
    vi.useFakeTimers();
    const clock = { now: () => Date.now() };
    const send = vi.fn();
    const throttle = new Throttle(1000, clock, send);

    throttle.report();
    expect(send).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) throttle.report();
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(send).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("cancel() drops a pending trailing report", () => {
    vi.useFakeTimers();
    const send = vi.fn();
    const throttle = new Throttle(1000, { now: () => Date.now() }, send);
    throttle.report();
    throttle.report();
    throttle.cancel();
    vi.advanceTimersByTime(2000);
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe("reconnect backoff", () => {
  it("doubles up to the ceiling, spread by the randomization factor", () => {
    const options = { delayMs: 500, maxDelayMs: 4000, randomizationFactor: 0.5 };
    const low = new Backoff(options, () => 0);
    const high = new Backoff(options, () => 0.999);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([250, 500, 1000, 2000, 2000]);
    expect(high.next()).toBeGreaterThan(740);
    expect(high.next()).toBeLessThanOrEqual(1500);
    low.reset();
    expect(low.next()).toBe(250);
  });
});

describe("the prompt countdown", () => {
  it("counts down on the local clock, corrected for the skew between client and server", () => {
    let local = 1_000_000;
    const clock = { now: () => local };
    // The server's clock is 90 s ahead; it gives 60 s to answer.
    const serverNow = local + 90_000;
    const prompt = toSessionPrompt({ sessionId: "s1", respondBy: serverNow + 60_000, serverNow }, clock);

    expect(prompt.skewMs).toBe(90_000);
    expect(prompt.deadline).toBe(local + 60_000);
    expect(prompt.remainingMs).toBe(60_000);
    local += 45_000;
    expect(remainingMs(prompt, clock)).toBe(15_000);
    local += 30_000;
    expect(remainingMs(prompt, clock)).toBe(0);
  });
});

describe("dead tokens", () => {
  it("map the hub's codes to end reasons, and leave other errors alone", () => {
    const reasonOf = (code: string, message = "x") => endReasonOf(errorFromBody({ code, message }, 401, "fallback"));
    expect(reasonOf("SESSION_TERMINATED")).toBe("terminated");
    expect(reasonOf("SESSION_EXPIRED")).toBe("expired");
    expect(reasonOf("SESSION_ENDED")).toBe("logout");
    expect(reasonOf("UNAUTHENTICATED")).toBe("unauthenticated");
    expect(reasonOf("SESSION_TERMINATED", EndMessage["account-disabled"])).toBe("account-disabled");
    expect(endReasonOf(errorFromBody({ code: "RATE_LIMITED", message: "slow down" }, 429, "x"))).toBeNull();
    expect(endReasonOf(new HubClientError("NETWORK", "offline"))).toBeNull();
  });

  it("prefer an explicit reason in the error body", () => {
    const error = errorFromBody({ code: "SESSION_TERMINATED", message: "gone", reason: "account-disabled" }, 401, "x");
    expect(endReasonOf(error)).toBe("account-disabled");
  });

  it("read a socket connect_error's data, and call transport failures NETWORK", () => {
    const refused = Object.assign(new Error("SESSION_EXPIRED"), {
      data: { code: "SESSION_EXPIRED", message: EndMessage.expired },
    });
    expect(errorFromConnectError(refused)).toMatchObject({ code: "SESSION_EXPIRED", message: EndMessage.expired });
    expect(errorFromConnectError(new Error("xhr poll error")).code).toBe("NETWORK");
  });
});

describe("options", () => {
  it("fail fast with a message that says what to fix", () => {
    expect(() => resolveOptions({ url: "" })).toThrow(/hub's URL/);
    expect(() => resolveOptions({ url: "/app/" })).toThrow(/absolute URL/);
    expect(() => resolveOptions({ url: "http://hub", activityThrottleMs: -1 })).toThrow(/activityThrottleMs/);
    expect(() => resolveOptions({ url: "http://hub", reconnect: { randomizationFactor: 2 } })).toThrow(/randomizationFactor/);
  });

  it("default to Node-friendly pieces outside a browser", () => {
    const resolved = resolveOptions({ url: "http://127.0.0.1:3000/app/" });
    expect(resolved.url).toBe("http://127.0.0.1:3000");
    expect(resolved.activityThrottleMs).toBe(1000);
    expect(resolved.reconnect).toEqual({ delayMs: 500, maxDelayMs: 10_000, randomizationFactor: 0.5 });
  });
});
