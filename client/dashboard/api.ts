/**
 * The dashboard's HTTP client: one `request` that adds the bearer token, parses JSON and turns
 * the hub's `{ error: { code, message } }` bodies into `ApiError`s, plus one typed function per
 * endpoint the dashboard calls (CONTRACT.md, "HTTP").
 */
import { ErrorCode, type ErrorResponse } from "../../shared/errors.ts";
import type { HistoryPeriod, IdleSettings, LicenseHistory, LicenseType } from "../../shared/types.ts";
import type { LicenseState, LoginResult, MeResult, SessionsList, TerminateResult } from "../../shared/http.ts";

export type { LicenseState, LoginResult, MeResult, SessionsList, TerminateResult };

/** A failed call, with the hub's error code (or `UNAVAILABLE` when the hub could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Codes that mean "this token's session is over": the dashboard returns to sign-in on them. */
export const SESSION_OVER_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.SESSION_TERMINATED,
  ErrorCode.SESSION_EXPIRED,
  ErrorCode.SESSION_ENDED,
]);

function isErrorResponse(body: unknown): body is ErrorResponse {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

/** Typed access to the hub's HTTP API for one token (or none, for sign-in). */
export class HubApi {
  /** Called when any call answers that the session is over, so the shell can sign out locally. */
  onSessionOver: ((error: ApiError) => void) | null = null;

  constructor(
    private token: string | null = null,
    private readonly baseUrl = "",
  ) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(ErrorCode.UNAVAILABLE, "The hub cannot be reached. Check your connection.", 0);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page, say: reported below by status.
    }
    if (!response.ok) {
      const error = isErrorResponse(parsed)
        ? new ApiError(parsed.error.code, parsed.error.message, response.status)
        : new ApiError(ErrorCode.INTERNAL, `The hub answered ${response.status} ${response.statusText}.`, response.status);
      if (response.status === 401 && SESSION_OVER_CODES.has(error.code)) this.onSessionOver?.(error);
      throw error;
    }
    return parsed as T;
  }

  login(username: string, password: string): Promise<LoginResult> {
    return this.request("POST", "/api/auth/login", { username, password, app: "web", device: "Admin dashboard" });
  }

  logout(): Promise<void> {
    return this.request("POST", "/api/auth/logout");
  }

  me(): Promise<MeResult> {
    return this.request("GET", "/api/me");
  }

  sessions(): Promise<SessionsList> {
    return this.request("GET", "/api/sessions");
  }

  terminate(sessionIds: string[], message?: string): Promise<TerminateResult> {
    return this.request("POST", "/api/sessions/terminate", message ? { sessionIds, message } : { sessionIds });
  }

  license(): Promise<LicenseState> {
    return this.request("GET", "/api/license");
  }

  history(type: LicenseType, period: HistoryPeriod): Promise<LicenseHistory> {
    const query = new URLSearchParams({ type, period });
    return this.request("GET", `/api/license/history?${query}`);
  }

  idleSettings(): Promise<IdleSettings> {
    return this.request("GET", "/api/settings/idle-termination");
  }

  saveIdleSettings(settings: IdleSettings): Promise<IdleSettings> {
    return this.request("PUT", "/api/settings/idle-termination", settings);
  }
}
