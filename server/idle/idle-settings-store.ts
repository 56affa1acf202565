/** The idle termination setting, stored in Redis so every node reads the same. */
import { DEFAULT_PROMPT_SECONDS } from "../../shared/schemas.ts";
import type { IdleSettings } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";

export const DEFAULT_IDLE_SETTINGS: IdleSettings = {
  enabled: false,
  timeoutMinutes: 30,
  promptSeconds: DEFAULT_PROMPT_SECONDS,
};

export class IdleSettingsStore {
  constructor(private readonly ctx: HubContext) {}

  async get(): Promise<IdleSettings> {
    const raw = await this.ctx.redis.hGetAll(this.ctx.keys.settings);
    if (!raw.enabled) return { ...DEFAULT_IDLE_SETTINGS };
    return {
      enabled: raw.enabled === "1",
      timeoutMinutes: Number(raw.timeoutMinutes),
      promptSeconds: Number(raw.promptSeconds),
    };
  }

  async set(settings: IdleSettings): Promise<void> {
    await this.ctx.redis.hSet(this.ctx.keys.settings, {
      enabled: settings.enabled ? "1" : "0",
      timeoutMinutes: String(settings.timeoutMinutes),
      promptSeconds: String(settings.promptSeconds),
    });
  }
}
