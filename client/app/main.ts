/**
 * The demo Web App: a technician's workspace on a hub session. One sign-in is shared by every
 * tab of the browser (the token lives in localStorage); each tab keeps its own session socket,
 * so each gets the hub's prompts, `resumed` and end notices itself.
 */
import { HubClient, HubClientError, localStorageAdapter, type SessionEnd } from "../sdk/index.ts";
import type { Account } from "../../shared/types.ts";
import { describeDevice } from "./device.ts";
import { byId, show } from "./dom.ts";
import { EndNotice } from "./end-notice.ts";
import { KeepDialog } from "./keep-dialog.ts";
import { TicketForm } from "./ticket-form.ts";

const storage = localStorageAdapter("session-hub.app.token");
const client = new HubClient({ url: location.origin, storage });

const signInView = byId("sign-in-view");
const workspaceView = byId("workspace-view");
const signInForm = byId<HTMLFormElement>("sign-in-form");
const signInButton = byId<HTMLButtonElement>("sign-in-button");
const signInError = byId("sign-in-error");
const who = byId("who");
const whoName = byId("who-name");
const whoLicense = byId("who-license");
const stateBadge = byId("connection-state");
const headerSignOut = byId<HTMLButtonElement>("header-sign-out");

const notice = new EndNotice();
const ticket = new TicketForm();
const dialog = new KeepDialog(client, () => void signOut());

const stateLabels = {
  disconnected: "offline",
  connecting: "connecting…",
  connected: "connected",
  reconnecting: "reconnecting…",
  ended: "signed out",
} as const;

client.on("state", (state) => {
  stateBadge.dataset.state = state;
  stateBadge.textContent = stateLabels[state];
});
client.on("prompt", () => dialog.open());
client.on("resumed", () => dialog.close());
client.on("ended", (end) => showEnded(end));

function showWorkspace(account: Account): void {
  notice.hide();
  whoName.textContent = account.displayName || account.username;
  whoLicense.textContent = account.licenseType;
  show(who, true);
  show(headerSignOut, true);
  ticket.open(account.id);
  show(signInView, false);
  show(workspaceView, true);
  void client.connect().catch(() => {
    // The session ended before the socket opened; the `ended` handler shows why.
  });
}

function showSignIn(): void {
  show(who, false);
  show(headerSignOut, false);
  show(workspaceView, false);
  show(signInView, true);
  byId<HTMLInputElement>("username").focus();
}

function showEnded(end: SessionEnd): void {
  dialog.close();
  const lost = workspaceView.hidden ? null : ticket.discard();
  notice.show(end, lost);
  showSignIn();
}

async function signOut(): Promise<void> {
  try {
    await client.logout();
  } catch (error) {
    // The hub could not be reached: the session is still open there, so say so and stay.
    window.alert(`Could not sign out: ${(error as Error).message}`);
  }
}

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn();
});
headerSignOut.addEventListener("click", () => void signOut());

async function signIn(): Promise<void> {
  const data = new FormData(signInForm);
  show(signInError, false);
  signInButton.disabled = true;
  try {
    const { account } = await client.login({
      username: String(data.get("username") ?? ""),
      password: String(data.get("password") ?? ""),
      app: "web",
      device: describeDevice(navigator.userAgent),
    });
    byId<HTMLInputElement>("password").value = "";
    showWorkspace(account);
  } catch (error) {
    signInError.textContent =
      error instanceof HubClientError ? error.message : `Could not sign in: ${(error as Error).message}`;
    show(signInError, true);
  } finally {
    signInButton.disabled = false;
  }
}

/** Joins the stored session, if any; a session that ended while the tab was closed shows why. */
async function resume(): Promise<void> {
  try {
    const restored = await client.restore();
    if (restored) showWorkspace(restored.account);
    else if (signInView.hidden && workspaceView.hidden) showSignIn();
  } catch (error) {
    signInError.textContent = `Cannot reach the hub: ${(error as Error).message}`;
    show(signInError, true);
    showSignIn();
  }
}

// Another tab signed in or out. A new token: join that session. A cleared token: the session
// ended there; this tab's own socket normally says why first, and asking the hub covers a tab
// whose socket was down at that moment.
storage.subscribe?.((token) => {
  if (token && token !== client.token) void resume();
  else if (!token && client.token && client.state !== "ended") void client.me().catch(() => {});
});

// Closing or reloading the tab leaves the session open (other tabs may use it); the hub marks
// this tab's socket gone at once instead of waiting for a ping timeout.
window.addEventListener("pagehide", () => client.disconnect());
window.addEventListener("pageshow", (event) => {
  if (event.persisted) void resume();
});

void resume();
