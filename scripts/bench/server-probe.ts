/**
 * What the bench reads inside a server process (hub or baseline), over IPC, so nothing
 * bench-only runs in the product: resident memory after a full GC, event-loop delay percentiles
 * (perf_hooks, 10 ms resolution would hide short stalls, so 5 ms) and a count of events handled.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Handlers } from "./ipc.ts";

export interface ProbeStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** Events the server handled since the last reset. */
  events: number;
  /** Event-loop delay since the last reset, milliseconds. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** CPU time of the process since the last reset, milliseconds (user + system). */
  cpuMs: number;
  /** Wall time since the last reset, milliseconds. */
  wallMs: number;
}

export class ServerProbe {
  private readonly histogram = monitorEventLoopDelay({ resolution: 5 });
  private events = 0;
  private cpuAt = process.cpuUsage();
  private wallAt = performance.now();

  constructor() {
    this.histogram.enable();
  }

  /** Counts one handled event (the server calls this from its own handler). */
  readonly count = (): void => {
    this.events += 1;
  };

  reset(): void {
    this.histogram.reset();
    this.events = 0;
    this.cpuAt = process.cpuUsage();
    this.wallAt = performance.now();
  }

  stats(): ProbeStats {
    const cpu = process.cpuUsage(this.cpuAt);
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    return {
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      events: this.events,
      lagP50Ms: ms(this.histogram.percentile(50)),
      lagP99Ms: ms(this.histogram.percentile(99)),
      lagMaxMs: ms(this.histogram.max),
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - this.wallAt,
    };
  }

  /** The IPC handlers every server child offers. */
  handlers(): Handlers {
    return {
      "probe:reset": () => this.reset(),
      "probe:stats": () => this.stats(),
      /** Full GC twice (finalizers free more on the second pass), then the stats. */
      "probe:settle": async () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        for (let i = 0; i < 2; i++) {
          gc?.();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return this.stats();
      },
    };
  }
}
