/** The few admin calls the demo makes, over the hub's public HTTP API. */
import type { Account, IdleSettings, License, LicenseType } from "../../shared/types.ts";
import { requestJson, type FetchLike } from "../../client/sdk/http.ts";

export class AdminApi {
  private readonly fetch: FetchLike = globalThis.fetch.bind(globalThis) as FetchLike;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Signs in as an administrator; the session this opens should be closed with `logout()`. */
  static async login(url: string, username: string, password: string): Promise<AdminApi> {
    const fetchFn = globalThis.fetch.bind(globalThis) as FetchLike;
    const { token } = await requestJson<{ token: string }>(fetchFn, url, {
      method: "POST",
      path: "/api/auth/login",
      body: { username, password, app: "web", device: "demo launcher" },
    });
    return new AdminApi(url, token);
  }

  setLicense(license: License): Promise<unknown> {
    return this.call("PUT", "/api/license", license);
  }

  createAccount(account: {
    username: string;
    password: string;
    displayName: string;
    licenseType: LicenseType;
    role: "technician" | "admin";
  }): Promise<Account> {
    return this.call("POST", "/api/accounts", account);
  }

  setIdleSettings(settings: IdleSettings): Promise<IdleSettings> {
    return this.call("PUT", "/api/settings/idle-termination", settings);
  }

  logout(): Promise<void> {
    return this.call("POST", "/api/auth/logout");
  }

  private call<T>(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.fetch, this.url, { method, path, token: this.token, body });
  }
}
