/** The setup most integration tests share: a fresh hub with its admin signed in, per test. */
import { afterEach, beforeEach } from "vitest";
import type { HubOptions } from "../../server/options.ts";
import { login, type LoggedIn } from "./api.ts";
import { startTestHub, type TestHub } from "./hub.ts";
import { closeAllSockets } from "./sockets.ts";

export interface HubWithAdmin {
  /** The current test's hub. */
  readonly hub: TestHub;
  /** Its first admin, signed in on the Web App. */
  readonly admin: LoggedIn;
}

/** Before each test: a hub and its admin's login; after it: every socket and the hub closed. */
export function useHubWithAdmin(options: Partial<HubOptions> = {}): HubWithAdmin {
  const current = {} as { hub: TestHub; admin: LoggedIn };
  beforeEach(async () => {
    current.hub = await startTestHub(options);
    current.admin = await login(current.hub.url, current.hub.adminUsername, current.hub.adminPassword);
  });
  afterEach(async () => {
    closeAllSockets();
    await current.hub.close();
  });
  return current;
}
