/**
 * Which sessions have a socket, across nodes. A session's `sockets` counts its sockets on every
 * node; each node also keeps its own share in a presence hash and renews a heartbeat in a sorted
 * set. Every node sweeps that set: a node whose heartbeat is older than `nodeTtlMs` is dead, and
 * its share is taken off the sessions it counted for, so they stop showing as connected within
 * `nodeTtlMs + nodeHeartbeatMs`.
 *
 * Redis can lose track of a live node: a count fails while Redis is down, Redis restarts and loses
 * its last writes, or the node is reaped as dead because Redis was out of reach for longer than
 * the TTL. The node keeps its own share in memory, so after any of these it writes that share back
 * whole (`sync-node`) on its next heartbeat. Counting never fails a socket: Redis trouble is
 * logged and repaired, never a reason to drop a connection.
 */
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";

export class Presence {
  private timer: NodeJS.Timeout | null = null;
  /** Sockets this node holds per session: counted when a count is sent, so it matches Redis's order. */
  private readonly held = new Map<string, number>();
  /** True when Redis may not hold this node's share exactly; the next heartbeat writes it back. */
  private stale = false;
  /** True once the node is leaving: `stop()` takes its whole share off in one script. */
  private leaving = false;

  /** `onGone` gets the sessions this node holds sockets for that ended while it could not hear. */
  constructor(
    private readonly ctx: HubContext,
    private readonly onGone: (sessionIds: string[]) => void = () => undefined,
  ) {}

  private get nodeId(): string {
    return this.ctx.options.nodeId;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), this.ctx.options.nodeHeartbeatMs);
    this.timer.unref();
  }

  /**
   * Counts a socket. False only when the session is no longer open; when Redis cannot be reached
   * the socket is counted here and written to Redis once it is back.
   */
  async attach(sessionId: string): Promise<boolean> {
    const { keys, redis, logger } = this.ctx;
    this.hold(sessionId, 1);
    try {
      const attached = await runScript<number>(
        redis,
        "attach-socket",
        [keys.session(sessionId), keys.nodePresence(this.nodeId)],
        [keys.prefix, sessionId],
      );
      if (attached === 1) return true;
      this.hold(sessionId, -1);
      return false;
    } catch (error) {
      this.stale = true;
      logger.warn({ sessionId, err: (error as Error).message }, "could not count socket; will resync");
      return true;
    }
  }

  /** Takes a socket off its session's count (each attached socket exactly once). Never throws. */
  async detach(sessionId: string): Promise<void> {
    const { keys, redis, logger } = this.ctx;
    this.hold(sessionId, -1);
    if (this.leaving) return;
    try {
      await runScript(redis, "detach-socket", [keys.session(sessionId), keys.nodePresence(this.nodeId)], [
        keys.prefix,
        sessionId,
      ]);
    } catch (error) {
      this.stale = true;
      logger.warn({ sessionId, err: (error as Error).message }, "could not uncount socket; will resync");
    }
  }

  /**
   * Has the next heartbeat write this node's share back whole and drop sockets of sessions that
   * ended meanwhile. The hub calls it whenever one of its Redis connections comes back: Redis may
   * have restarted without its last writes, and the adapter may have missed end notices.
   */
  resync(): void {
    this.stale = true;
  }

  private hold(sessionId: string, delta: number): void {
    const next = (this.held.get(sessionId) ?? 0) + delta;
    if (next > 0) this.held.set(sessionId, next);
    else this.held.delete(sessionId);
  }

  /** Renews the heartbeat; true when this node was missing (reaped while alive). */
  private async beat(): Promise<boolean> {
    const added = await this.ctx.redis.zAdd(this.ctx.keys.nodes, { score: this.ctx.clock.now(), value: this.nodeId });
    return added === 1;
  }

  private async tick(): Promise<void> {
    try {
      if (await this.beat()) {
        this.ctx.logger.warn({ node: this.nodeId }, "this node was taken for dead; writing its sockets back");
        this.stale = true;
      }
      if (this.stale) await this.sync();
      await this.reapDead();
    } catch (error) {
      this.ctx.logger.warn({ err: (error as Error).message }, "presence heartbeat failed");
    }
  }

  /** Writes this node's whole share to Redis and drops the sockets of sessions that ended meanwhile. */
  async sync(): Promise<void> {
    const { keys, redis, clock } = this.ctx;
    this.stale = false;
    try {
      const gone = await runScript<string[]>(
        redis,
        "sync-node",
        [keys.nodes, keys.nodePresence(this.nodeId)],
        [keys.prefix, this.nodeId, clock.now(), ...[...this.held].flat()],
      );
      if (gone.length > 0) this.onGone(gone);
    } catch (error) {
      this.stale = true;
      throw error;
    }
  }

  /** Takes the sockets of nodes whose heartbeat stopped off their sessions. */
  async reapDead(): Promise<number> {
    const { keys, redis, clock, options } = this.ctx;
    const staleBefore = clock.now() - options.nodeTtlMs;
    const dead = await redis.zRangeByScore(keys.nodes, "-inf", `(${staleBefore}`);
    let disconnected = 0;
    for (const nodeId of dead) {
      disconnected += await runScript<number>(redis, "reap-node", [keys.nodes, keys.nodePresence(nodeId)], [
        keys.prefix,
        nodeId,
        staleBefore,
      ]);
    }
    return disconnected;
  }

  /**
   * Call before closing the node's sockets: they are then not uncounted one script each (thousands
   * of them, queued ahead of the rest of the shutdown, held a restart up by a second); `stop()`
   * takes them all off at once.
   */
  leave(): void {
    this.leaving = true;
  }

  /** Leaves the cluster: this node's share of every session's sockets is taken off at once. */
  async stop(): Promise<void> {
    this.leaving = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const { keys, redis } = this.ctx;
    await runScript(redis, "reap-node", [keys.nodes, keys.nodePresence(this.nodeId)], [
      keys.prefix,
      this.nodeId,
      Number.MAX_SAFE_INTEGER,
    ]);
  }
}
