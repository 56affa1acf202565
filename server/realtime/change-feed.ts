/**
 * The change feed: every change to sessions or usage is appended to a capped Redis stream with a
 * sequence number from one shared counter (inside the same Lua script as the change). Each node
 * tails the stream on its own connection and turns what it reads into `sessions:delta` batches
 * for its own dashboards, so every dashboard on every node sees the same contiguous sequence,
 * and a gap (a node that fell behind the cap) shows as `fromSeq > seq + 1`.
 *
 * Activity, most of the traffic, is appended as bare (session id, time) pairs. Dashboards still
 * get whole sessions in `updated`: the feed keeps the last record it sent of each session that
 * has been active while this node ran, reads the record of one it does not know yet from Redis
 * once, and keeps it current from the stream's whole records and ends.
 */
import type { EndedRef, SessionsDelta } from "../../shared/events.ts";
import type { LicenseUsage, Session } from "../../shared/types.ts";
import type { HubContext } from "../context.ts";
import type { RedisClient } from "../redis/connection.ts";
import { rawToSession } from "../sessions/session-record.ts";

interface ChangeBody {
  s?: Record<string, string>[];
  u?: Record<string, string>[];
  /** Activity: session id, time (ms, as a string), repeated. */
  a?: string[];
  e?: EndedRef[];
  usage?: boolean;
}

const BLOCK_MS = 1000;
const BATCH = 1000;

export class ChangeFeed {
  private lastId = "0-0";
  /** The newest sequence number read; a batch that starts at or below it means the counter went back. */
  private lastSeq = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly listeners = new Set<(delta: SessionsDelta, reset: boolean) => void>();
  /** The newest whole record of each open session that has been active while this node ran. */
  private readonly active = new Map<string, Session>();

  constructor(
    private readonly ctx: HubContext,
    private readonly reader: RedisClient,
    private readonly readUsage: () => Promise<LicenseUsage>,
  ) {}

  /** Starts tailing from the newest entry: dashboards take their snapshot first, then deltas. */
  async start(): Promise<void> {
    const newest = await this.reader.xRevRange(this.ctx.keys.changes, "+", "-", { COUNT: 1 });
    this.lastId = newest?.[0]?.id ?? "0-0";
    this.lastSeq = Number(newest?.[0]?.message.seq ?? 0);
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Calls `listener` with every batch. `reset` is true when the sequence went backwards (Redis lost
   * its newest writes in a crash or failover): dashboards must then reload rather than skip deltas.
   */
  subscribe(listener: (delta: SessionsDelta, reset: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The sequence number of the newest change. */
  async currentSeq(): Promise<number> {
    return Number((await this.ctx.redis.get(this.ctx.keys.seq)) ?? 0);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const reply = await this.reader.xRead(
          { key: this.ctx.keys.changes, id: this.lastId },
          { BLOCK: BLOCK_MS, COUNT: BATCH },
        );
        const messages = (reply as { messages: { id: string; message: Record<string, string> }[] }[] | null)?.[0]
          ?.messages;
        if (!messages?.length) continue;
        this.lastId = messages[messages.length - 1]!.id;
        const entries = messages.map((m) => m.message);
        const fromSeq = Number(entries[0]!.seq);
        // The counter went back if any entry does not follow the one before it, here or in the
        // batch (a batch can hold the last changes before a Redis loss and the first after it).
        const reset = entries.some((entry, i) => {
          const previous = i === 0 ? this.lastSeq : Number(entries[i - 1]!.seq);
          return previous > 0 && Number(entry.seq) <= previous;
        });
        // After a reset or a gap this node missed changes, so what it knows of sessions may be stale.
        if (reset || fromSeq > this.lastSeq + 1) this.active.clear();
        const delta = await this.toDelta(entries);
        this.lastSeq = delta.seq;
        for (const listener of this.listeners) listener(delta, reset);
      } catch (error) {
        if (!this.running) return;
        this.ctx.logger.warn({ err: (error as Error).message }, "change feed read failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private async toDelta(entries: Record<string, string>[]): Promise<SessionsDelta> {
    const bodies = entries.map((entry) => JSON.parse(entry.d ?? "{}") as ChangeBody);
    await this.learnActive(bodies);
    const started = new Map<string, Session>();
    const updated = new Map<string, Session>();
    const ended: EndedRef[] = [];
    const put = (session: Session) => {
      if (this.active.has(session.id)) this.active.set(session.id, session);
      if (started.has(session.id)) started.set(session.id, session);
      else updated.set(session.id, session);
    };
    let usageChanged = false;
    for (const body of bodies) {
      for (const raw of body.s ?? []) {
        const session = rawToSession(raw);
        if (session) started.set(session.id, session);
      }
      for (const raw of body.u ?? []) {
        const session = rawToSession(raw);
        if (session) put(session);
      }
      const activity = body.a ?? [];
      for (let i = 0; i + 1 < activity.length; i += 2) {
        const known = this.active.get(activity[i]!);
        const at = Number(activity[i + 1]);
        if (known) put({ ...known, lastActivityAt: Math.max(known.lastActivityAt, at) });
      }
      for (const ref of body.e ?? []) {
        ended.push(ref);
        updated.delete(ref.id);
        this.active.delete(ref.id);
      }
      usageChanged ||= body.usage === true;
    }
    const delta: SessionsDelta = {
      seq: Number(entries[entries.length - 1]!.seq),
      fromSeq: Number(entries[0]!.seq),
      started: [...started.values()],
      updated: [...updated.values()],
      ended,
      serverNow: this.ctx.clock.now(),
    };
    if (usageChanged) delta.usage = await this.readUsage();
    return delta;
  }

  /**
   * Reads the records of sessions whose activity is in `bodies` and that this node does not know
   * yet (read after their activity was written, so never older than it). A session that ended
   * meanwhile has no record; its end is in the stream.
   */
  private async learnActive(bodies: ChangeBody[]): Promise<void> {
    const unknown = new Set<string>();
    for (const body of bodies) {
      const activity = body.a ?? [];
      for (let i = 0; i < activity.length; i += 2) {
        if (!this.active.has(activity[i]!)) unknown.add(activity[i]!);
      }
    }
    if (unknown.size === 0) return;
    const ids = [...unknown];
    const raws = await Promise.all(ids.map((id) => this.reader.hGetAll(this.ctx.keys.session(id))));
    raws.forEach((raw) => {
      const session = rawToSession(raw);
      if (session) this.active.set(session.id, session);
    });
  }

  /** Stops tailing; the feed owns its reader connection and closes it. */
  async stop(): Promise<void> {
    this.running = false;
    this.reader.destroy();
    await this.loop;
  }
}
