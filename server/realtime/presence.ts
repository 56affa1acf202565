/**
 * Which sessions have a socket, across nodes. A session's `sockets` counts its sockets on every
 * node; each node also keeps its own share in a presence hash and renews a heartbeat in a sorted
 * set. Every node sweeps that set: a node whose heartbeat is older than `nodeTtlMs` is dead, and
 * its share is taken off the sessions it counted for, so they stop showing as connected.
 */
import type { HubContext } from "../context.ts";
import { runScript } from "../redis/scripts.ts";

export class Presence {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: HubContext) {}

  private get nodeId(): string {
    return this.ctx.options.nodeId;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), this.ctx.options.nodeHeartbeatMs);
    this.timer.unref();
  }

  /** Counts a socket; false when the session is no longer open. */
  async attach(sessionId: string): Promise<boolean> {
    const { keys, redis } = this.ctx;
    const attached = await runScript<number>(
      redis,
      "attach-socket",
      [keys.session(sessionId), keys.nodePresence(this.nodeId)],
      [keys.prefix, sessionId],
    );
    return attached === 1;
  }

  async detach(sessionId: string): Promise<void> {
    const { keys, redis } = this.ctx;
    await runScript(redis, "detach-socket", [keys.session(sessionId), keys.nodePresence(this.nodeId)], [
      keys.prefix,
      sessionId,
    ]);
  }

  private async beat(): Promise<void> {
    await this.ctx.redis.zAdd(this.ctx.keys.nodes, { score: this.ctx.clock.now(), value: this.nodeId });
  }

  private async tick(): Promise<void> {
    try {
      await this.beat();
      await this.reapDead();
    } catch (error) {
      this.ctx.logger.warn({ err: (error as Error).message }, "presence heartbeat failed");
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

  /** Leaves the cluster: this node's share of every session's sockets is taken off at once. */
  async stop(): Promise<void> {
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
