import { describe, expect, it } from "vitest";
import { endMessage } from "../../shared/messages.ts";
import { describeIssues, idleSettingsSchema, licenseSchema, loginBodySchema } from "../../shared/schemas.ts";
import { toSessionRecord } from "../../server/sessions/session-record.ts";

describe("idle settings schema", () => {
  const schema = idleSettingsSchema(60);

  it("accepts fractions of a minute down to the floor and refuses below it", () => {
    expect(schema.safeParse({ enabled: true, timeoutMinutes: 1, promptSeconds: 60 }).success).toBe(true);
    expect(idleSettingsSchema(30).safeParse({ enabled: true, timeoutMinutes: 0.5, promptSeconds: 60 }).success).toBe(true);
    const low = schema.safeParse({ enabled: true, timeoutMinutes: 0.5, promptSeconds: 60 });
    expect(low.success).toBe(false);
    expect(describeIssues(low.error!)).toBe("timeoutMinutes: timeoutMinutes must be at least 1");
  });

  it("refuses more than a day, and unknown fields", () => {
    expect(schema.safeParse({ enabled: true, timeoutMinutes: 1441, promptSeconds: 60 }).success).toBe(false);
    expect(schema.safeParse({ enabled: true, timeoutMinutes: 5, promptSeconds: 60, extra: 1 }).success).toBe(false);
  });
});

describe("other schemas", () => {
  it("takes null as 'model not supported' in a license and refuses negatives and fractions", () => {
    expect(licenseSchema.safeParse({ namedUsers: null, concurrentUsers: 3 }).success).toBe(true);
    expect(licenseSchema.safeParse({ namedUsers: -1, concurrentUsers: 3 }).success).toBe(false);
    expect(licenseSchema.safeParse({ namedUsers: 2.5, concurrentUsers: 3 }).success).toBe(false);
  });

  it("names the field in a login error", () => {
    const result = loginBodySchema.safeParse({ username: "a", password: "b", app: "desktop" });
    expect(describeIssues(result.error!)).toMatch(/^app: /);
  });
});

describe("end messages", () => {
  it("appends the administrator's note to the termination notice", () => {
    expect(endMessage("terminated", "Permissions changed.")).toBe(
      "Your session has been terminated by the administrator. Permissions changed.",
    );
    expect(endMessage("expired")).toBe("Your session has expired due to inactivity.");
  });
});

describe("session records", () => {
  it("derives connected from the socket count and fills absent device and ip with null", () => {
    const record = toSessionRecord({
      id: "s1", accountId: "a1", username: "u", displayName: "U", licenseType: "concurrent", app: "web",
      startedAt: "10", lastActivityAt: "20", state: "prompted", sockets: "2", respondBy: "99",
    });
    expect(record).toMatchObject({ connected: true, device: null, ip: null, state: "prompted", respondBy: 99, promptedAt: null });
    expect(toSessionRecord({ id: "s2", sockets: "0" })?.connected).toBe(false);
    expect(toSessionRecord({})).toBeNull();
  });
});
