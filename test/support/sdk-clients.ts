/**
 * SDK clients for tests: `HubClient`s that are closed in teardown, `nextEvent` to await an SDK
 * event instead of sleeping, and the admin calls the client tests need.
 */
import { randomBytes } from "node:crypto";
import { HubClient, type HubClientEvents, type HubClientOptions } from "../../client/sdk/index.ts";
import type { Account, LicenseType } from "../../shared/types.ts";
import { api, createAccount, login, TECH_PASSWORD } from "./api.ts";
import type { TestHub } from "./hub.ts";

const clients: HubClient[] = [];

/** A HubClient on `url` with test-friendly defaults (quick reconnects); closed by `closeAllClients`. */
export function newClient(url: string, options: Partial<HubClientOptions> = {}): HubClient {
  const client = new HubClient({ url, reconnect: { delayMs: 100, maxDelayMs: 500 }, activityThrottleMs: 50, ...options });
  clients.push(client);
  return client;
}

export function closeAllClients(): void {
  for (const client of clients.splice(0)) client.disconnect();
}

/** Resolves with the next `event` of `client`; rejects after `timeoutMs`. */
export function nextEvent<E extends keyof HubClientEvents>(
  client: HubClient,
  event: E,
  timeoutMs = 10_000,
): Promise<Parameters<HubClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for the client's "${event}"`));
    }, timeoutMs);
    const off = client.once(event, ((payload: Parameters<HubClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as HubClientEvents[E]);
  });
}

/** Resolves once `client` reaches `state`. */
export function reachState(client: HubClient, state: HubClient["state"], timeoutMs = 10_000): Promise<void> {
  if (client.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for state "${state}" (now "${client.state}")`));
    }, timeoutMs);
    const off = client.on("state", (next) => {
      if (next !== state) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** An admin token for `hub`. */
export async function adminToken(hub: TestHub): Promise<string> {
  return (await login(hub.url, hub.adminUsername, hub.adminPassword)).token;
}

/** Creates a technician with a unique name; sign in with `TECH_PASSWORD`. */
export async function newTechnician(hub: TestHub, token: string, licenseType: LicenseType): Promise<Account> {
  return createAccount(hub.url, token, `tech-${randomBytes(4).toString("hex")}`, licenseType);
}

export { TECH_PASSWORD };

/** Switches idle termination on with a timeout in seconds (the test hub's floor is 1 s). */
export async function enableIdleTermination(hub: TestHub, token: string, timeoutSeconds: number, promptSeconds: number) {
  const response = await api(hub.url, "PUT", "/api/settings/idle-termination", {
    token,
    body: { enabled: true, timeoutMinutes: timeoutSeconds / 60, promptSeconds },
  });
  if (response.status !== 200) throw new Error(`idle settings refused: ${JSON.stringify(response.body)}`);
}

export async function terminate(hub: TestHub, token: string, sessionIds: string[], message?: string) {
  const response = await api<{ terminated: string[] }>(hub.url, "POST", "/api/sessions/terminate", {
    token,
    body: message ? { sessionIds, message } : { sessionIds },
  });
  if (response.status !== 200) throw new Error(`terminate refused: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function disableAccount(hub: TestHub, token: string, accountId: string) {
  const response = await api(hub.url, "PATCH", `/api/accounts/${accountId}`, { token, body: { disabled: true } });
  if (response.status !== 200) throw new Error(`disable refused: ${JSON.stringify(response.body)}`);
}
