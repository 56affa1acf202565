/** A small typed HTTP client for tests: JSON in, status and JSON out. */
import type { Account, App, LicenseType, Role, Session } from "../../shared/types.ts";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  { body, token, rawBody, headers = {} }: { body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body !== undefined || rawBody !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export interface LoggedIn {
  token: string;
  session: Session;
  account: Account;
}

export async function login(
  baseUrl: string,
  username: string,
  password: string,
  app: App = "web",
  device?: string,
): Promise<LoggedIn> {
  const response = await api<LoggedIn>(baseUrl, "POST", "/api/auth/login", {
    body: { username, password, app, ...(device ? { device } : {}) },
  });
  if (response.status !== 201) {
    throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export const TECH_PASSWORD = "tech-password-1";

export async function createAccount(
  baseUrl: string,
  adminToken: string,
  username: string,
  licenseType: LicenseType,
  role: Role = "technician",
): Promise<Account> {
  const response = await api<Account>(baseUrl, "POST", "/api/accounts", {
    token: adminToken,
    body: { username, password: TECH_PASSWORD, licenseType, role },
  });
  if (response.status !== 201) {
    throw new Error(`create ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export async function setLicense(
  baseUrl: string,
  adminToken: string,
  namedUsers: number | null,
  concurrentUsers: number | null,
): Promise<void> {
  const response = await api(baseUrl, "PUT", "/api/license", { token: adminToken, body: { namedUsers, concurrentUsers } });
  if (response.status !== 200) throw new Error(`set license failed: ${JSON.stringify(response.body)}`);
}
