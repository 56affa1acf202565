/**
 * Failed-login limits (OWASP: slow brute force and credential stuffing down without locking
 * accounts out for everyone): failures are counted per username+IP and per IP in Redis, so the
 * limits hold across every node. A client over either limit gets 429 until the window ends,
 * before any password is checked. A successful login clears its username+IP count.
 */
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { HubContext } from "../context.ts";
import { RateLimitedError } from "../errors.ts";
import { usernameKey } from "../accounts/account-store.ts";

export type LimitedScope = "user-ip" | "ip";

export class LoginLimiter {
  private readonly perUserIp: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(ctx: HubContext) {
    const { loginLimits } = ctx.options;
    const limiter = (scope: LimitedScope, points: number) =>
      new RateLimiterRedis({
        storeClient: ctx.redis,
        useRedisPackage: true,
        keyPrefix: ctx.keys.loginFailures(scope),
        points,
        duration: loginLimits.windowSeconds,
      });
    this.perUserIp = limiter("user-ip", loginLimits.failuresPerUserIp);
    this.perIp = limiter("ip", loginLimits.failuresPerIp);
  }

  /** Throws 429 RATE_LIMITED when this username+IP or this IP has no attempts left. */
  async check(username: string, ip: string | null): Promise<void> {
    const [userIp, byIp] = await Promise.all([
      this.perUserIp.get(userIpKey(username, ip)),
      this.perIp.get(ipKey(ip)),
    ]);
    const waits = [exhausted(userIp, this.perUserIp.points), exhausted(byIp, this.perIp.points)].filter(
      (ms): ms is number => ms !== null,
    );
    if (waits.length > 0) {
      const seconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw new RateLimitedError(`Too many failed sign-in attempts. Try again in ${describe(seconds)}.`, seconds);
    }
  }

  /** Counts a failed attempt; returns the scopes this failure used up (for the audit log). */
  async failed(username: string, ip: string | null): Promise<LimitedScope[]> {
    const [userIp, byIp] = await Promise.all([
      this.perUserIp.penalty(userIpKey(username, ip), 1),
      this.perIp.penalty(ipKey(ip), 1),
    ]);
    const reached: LimitedScope[] = [];
    if (userIp.consumedPoints === this.perUserIp.points) reached.push("user-ip");
    if (byIp.consumedPoints === this.perIp.points) reached.push("ip");
    return reached;
  }

  /** Clears the username+IP count after a successful login (the IP's count stays). */
  async succeeded(username: string, ip: string | null): Promise<void> {
    await this.perUserIp.delete(userIpKey(username, ip));
  }
}

function userIpKey(username: string, ip: string | null): string {
  return `${ip ?? "unknown"}|${usernameKey(username)}`;
}

function ipKey(ip: string | null): string {
  return ip ?? "unknown";
}

/** Milliseconds until a used-up limit frees up, or null when attempts are left. */
function exhausted(res: RateLimiterRes | null, points: number): number | null {
  if (!res || res.consumedPoints < points) return null;
  return Math.max(res.msBeforeNext, 1000);
}

function describe(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
