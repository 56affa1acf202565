/**
 * Entry point of the User Sessions dashboard: resumes a stored sign-in when the hub still
 * accepts it, otherwise shows the sign-in page, and switches between the two.
 */
import { HubApi, ApiError, SESSION_OVER_CODES } from "./api.ts";
import { Dashboard, noticeForRefusal, type EndNotice } from "./dashboard.ts";
import { NOT_AN_ADMIN_MESSAGE, SignInPage, tokenStore } from "./sign-in.ts";
import type { LoginResult } from "./api.ts";

const api = new HubApi();
const signIn = new SignInPage(api);

function showSignIn(notice?: EndNotice): void {
  tokenStore.clear();
  signIn.open(startDashboard, notice);
}

function startDashboard({ token, account, session }: Pick<LoginResult, "token" | "account" | "session">): void {
  signIn.close();
  new Dashboard(token, account, session.id, api, showSignIn);
}

async function boot(): Promise<void> {
  const token = tokenStore.get();
  if (!token) {
    showSignIn();
    return;
  }
  api.setToken(token);
  try {
    const me = await api.me();
    if (me.account.role !== "admin") {
      showSignIn({ title: "Administrators only", message: NOT_AN_ADMIN_MESSAGE });
      return;
    }
    startDashboard({ token, account: me.account, session: me.session });
  } catch (error) {
    api.setToken(null);
    if (error instanceof ApiError && SESSION_OVER_CODES.has(error.code)) {
      showSignIn(noticeForRefusal(error));
    } else {
      showSignIn({ title: "Hub unavailable", message: (error as Error).message });
    }
  }
}

void boot();
