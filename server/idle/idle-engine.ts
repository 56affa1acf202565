/** Idle termination (issue 3). Being built; until then no session is prompted or expired. */
import type { IdleSettings } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import type { HubServer } from "../realtime/io-types.ts";
import type { IdleControl } from "../services.ts";
import type { ActivityBuffer } from "../sessions/activity-buffer.ts";
import type { SessionEnder } from "../sessions/session-ender.ts";
import type { SessionStore } from "../sessions/session-store.ts";

export interface IdleEngineDeps {
  ctx: HubContext;
  sessions: SessionStore;
  ender: SessionEnder;
  activity: ActivityBuffer;
  io: HubServer;
}

export class IdleEngine implements IdleControl {
  constructor(private readonly deps: IdleEngineDeps) {}

  async start(): Promise<void> {}

  async keep(_sessionId: string): Promise<boolean> {
    return false;
  }

  async applySettings(_settings: IdleSettings): Promise<void> {}

  async close(): Promise<void> {}
}
