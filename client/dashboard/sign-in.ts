/**
 * The sign-in page and the token's storage. The dashboard signs in as a Web App session
 * (`app: "web"`); an account that is not an administrator is signed straight out again (so it
 * holds no seat) and told the dashboard is for administrators.
 */
import { Role, type Account } from "../../shared/types.ts";
import { ApiError, type HubApi, type LoginResult } from "./api.ts";
import { byId, setText, show } from "./dom.ts";

const TOKEN_KEY = "session-hub.dashboard.token";

/**
 * The token lives in sessionStorage: it survives a reload of this tab but not the browser, and
 * another tab signs in with its own session, as in the product.
 */
export const tokenStore = {
  get(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export const NOT_AN_ADMIN_MESSAGE =
  "The User Sessions dashboard is for administrators. Technicians sign in to the Web App.";

export class SignInPage {
  private readonly view = byId("sign-in-view");
  private readonly form = byId<HTMLFormElement>("sign-in-form");
  private readonly username = byId<HTMLInputElement>("sign-in-username");
  private readonly password = byId<HTMLInputElement>("sign-in-password");
  private readonly submitButton = byId<HTMLButtonElement>("sign-in-submit");
  private readonly error = byId("sign-in-error");
  private readonly notice = byId("sign-in-notice");
  private onSignedIn: ((result: LoginResult) => void) | null = null;

  constructor(private readonly api: HubApi) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  /** Shows the page, with a notice such as why the last session ended. */
  open(onSignedIn: (result: LoginResult) => void, notice?: { title: string; message: string }): void {
    this.onSignedIn = onSignedIn;
    show(this.notice, Boolean(notice));
    this.notice.replaceChildren();
    if (notice) {
      const title = document.createElement("strong");
      title.textContent = notice.title;
      this.notice.append(title, " ", notice.message);
    }
    setText(this.error, "");
    this.password.value = "";
    this.submitButton.disabled = false;
    show(this.view, true);
    (this.username.value ? this.password : this.username).focus();
  }

  close(): void {
    show(this.view, false);
  }

  private async submit(): Promise<void> {
    const username = this.username.value.trim();
    const password = this.password.value;
    if (!username || !password) {
      setText(this.error, "Enter your username and password.");
      (username ? this.password : this.username).focus();
      return;
    }
    setText(this.error, "");
    this.submitButton.disabled = true;
    try {
      const result = await this.api.login(username, password);
      if (!isAdmin(result.account)) {
        await this.signOutNonAdmin(result.token);
        setText(this.error, NOT_AN_ADMIN_MESSAGE);
        this.password.value = "";
        this.password.focus();
        return;
      }
      tokenStore.set(result.token);
      this.password.value = "";
      show(this.notice, false);
      this.onSignedIn?.(result);
    } catch (error) {
      setText(this.error, error instanceof ApiError ? error.message : String(error));
      this.password.select();
    } finally {
      this.submitButton.disabled = false;
    }
  }

  /** Ends the session a technician's login just opened, so it holds no seat. */
  private async signOutNonAdmin(token: string): Promise<void> {
    const previous = tokenStore.get();
    this.api.setToken(token);
    try {
      await this.api.logout();
    } catch {
      // The session will idle out; the message to the user is the same.
    } finally {
      this.api.setToken(previous);
    }
  }
}

function isAdmin(account: Account): boolean {
  return account.role === Role.ADMIN && !account.disabled;
}
