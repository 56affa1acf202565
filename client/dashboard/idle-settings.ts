/**
 * The idle termination settings: "Automatically terminate idle sessions for concurrent users",
 * the timeout in minutes (disabled while unchecked), the Web App prompt window in seconds, Save.
 * The hub validates; its 400 message names the field ("timeoutMinutes: …") and is shown there.
 * A change saved elsewhere arrives as `settings:changed` and replaces the form's values.
 */
import type { IdleSettings } from "../../shared/types.ts";
import { ApiError, type HubApi } from "./api.ts";
import { byId, setText } from "./dom.ts";
import { formatMoment } from "./format.ts";
import type { SessionsStore } from "./sessions-store.ts";

type Field = "timeoutMinutes" | "promptSeconds";

export class IdleSettingsForm {
  private readonly form = byId<HTMLFormElement>("idle-settings-form");
  private readonly enabled = byId<HTMLInputElement>("idle-enabled");
  private readonly timeout = byId<HTMLInputElement>("idle-timeout");
  private readonly prompt = byId<HTMLInputElement>("idle-prompt");
  private readonly save = byId<HTMLButtonElement>("idle-save");
  private readonly status = byId("idle-status");
  private readonly formError = byId("idle-form-error");
  private readonly fields: Record<Field, { input: HTMLInputElement; error: HTMLElement }> = {
    timeoutMinutes: { input: this.timeout, error: byId("idle-timeout-error") },
    promptSeconds: { input: this.prompt, error: byId("idle-prompt-error") },
  };
  /** True while the admin has edits that are not saved yet. */
  private dirty = false;
  /** The hub's settings as last put into the form, to tell a real change from a resync. */
  private shown: IdleSettings | null = null;
  private saving = false;
  private readonly unsubscribe: () => void;
  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    void this.submit();
  };
  private readonly onInput = (): void => {
    this.dirty = true;
    this.syncEnabled();
    setText(this.status, "");
  };

  constructor(
    private readonly store: SessionsStore,
    private readonly api: HubApi,
  ) {
    this.form.addEventListener("submit", this.onSubmit);
    this.form.addEventListener("input", this.onInput);
    this.unsubscribe = store.subscribe((changes) => {
      if (changes.has("settings")) this.onRemoteSettings();
    });
    if (store.settings) this.fill(store.settings);
  }

  stop(): void {
    this.unsubscribe();
    this.form.removeEventListener("submit", this.onSubmit);
    this.form.removeEventListener("input", this.onInput);
  }

  /**
   * Settings from the hub: a snapshot or resync repeating what the form already shows leaves the
   * admin's edits alone; a real change (another admin saved) replaces them, and says so.
   */
  private onRemoteSettings(): void {
    const settings = this.store.settings;
    if (!settings || this.saving) return;
    if (this.shown && sameSettings(this.shown, settings)) return;
    const hadEdits = this.dirty;
    this.fill(settings);
    if (hadEdits) setText(this.status, "Another administrator changed these settings; your edits were replaced.");
  }

  private fill(settings: IdleSettings): void {
    this.shown = settings;
    this.dirty = false;
    this.enabled.checked = settings.enabled;
    this.timeout.value = String(settings.timeoutMinutes);
    this.prompt.value = String(settings.promptSeconds);
    this.clearErrors();
    this.syncEnabled();
  }

  private syncEnabled(): void {
    // The prompt window applies only when idle sessions are being terminated, like the timeout.
    this.timeout.disabled = !this.enabled.checked;
    this.prompt.disabled = !this.enabled.checked;
  }

  private read(): IdleSettings {
    return {
      enabled: this.enabled.checked,
      timeoutMinutes: this.timeout.valueAsNumber,
      promptSeconds: this.prompt.valueAsNumber,
    };
  }

  private clearErrors(): void {
    setText(this.formError, "");
    for (const { input, error } of Object.values(this.fields)) {
      input.removeAttribute("aria-invalid");
      setText(error, "");
    }
  }

  /** Shows a message at the field it names, or above the Save button when it names none. */
  private showError(message: string): void {
    const field = Object.keys(this.fields).find((name) => message.startsWith(`${name}:`)) as Field | undefined;
    if (!field) {
      setText(this.formError, message);
      return;
    }
    const { input, error } = this.fields[field];
    input.setAttribute("aria-invalid", "true");
    setText(error, message.slice(field.length + 1).trim());
    if (input.disabled) setText(this.formError, message);
    else input.focus();
  }

  private async submit(): Promise<void> {
    this.clearErrors();
    const settings = this.read();
    for (const [name, value] of [["timeoutMinutes", settings.timeoutMinutes], ["promptSeconds", settings.promptSeconds]] as const) {
      if (!Number.isFinite(value)) {
        this.showError(`${name}: enter a number`);
        return;
      }
    }
    this.saving = true;
    this.save.disabled = true;
    setText(this.status, "Saving…");
    try {
      const saved = await this.api.saveIdleSettings(settings);
      this.store.applySettings(saved);
      this.fill(saved);
      setText(this.status, `Saved at ${formatMoment(Date.now())}.`);
    } catch (error) {
      setText(this.status, "");
      this.showError(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.saving = false;
      this.save.disabled = false;
    }
  }
}

function sameSettings(a: IdleSettings, b: IdleSettings): boolean {
  return a.enabled === b.enabled && a.timeoutMinutes === b.timeoutMinutes && a.promptSeconds === b.promptSeconds;
}
