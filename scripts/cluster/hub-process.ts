/**
 * One hub node as a child process (`node --import tsx server/main.ts`), as `npm start` runs it:
 * for the cluster launcher and for the tests that kill nodes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const projectRoot = join(import.meta.dirname, "..", "..");

export interface HubProcessOptions {
  port: number;
  redisUrl: string;
  keyPrefix: string;
  /** More environment for the node (HUB_ADMIN_PASSWORD, HUB_NODE_TTL_MS, LOG_LEVEL, ...). */
  env?: Record<string, string>;
  /** Gets every line the node writes. @default dropped */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** How long the node may take to answer /healthz. @default 30000 */
  readyTimeoutMs?: number;
}

export interface HubExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HubProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Settles when the process has ended. */
  readonly exited: Promise<HubExit>;
  /** SIGTERM (a deploy), then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<HubExit>;
  /** SIGKILL (a crash); resolves once it has exited. */
  kill(): Promise<HubExit>;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`hub node on ${url} exited before it listened`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`hub node on ${url} did not answer /healthz within ${timeoutMs} ms`);
}

/** Starts a node and resolves once it answers /healthz. */
export async function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot, "server", "main.ts")], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...options.env,
      HOST: "127.0.0.1",
      PORT: String(options.port),
      REDIS_URL: options.redisUrl,
      HUB_KEY_PREFIX: options.keyPrefix,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<HubExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  // The last lines, to say why a node that failed to start failed.
  const recent: string[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const lines = createInterface({ input: child[stream]! });
    lines.on("line", (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      options.onLine?.(line, stream);
    });
  }

  const signalAndWait = (signal: NodeJS.Signals, graceMs: number) => {
    if (!isRunning(child)) return exited;
    child.kill(signal);
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    return exited.finally(() => clearTimeout(force));
  };

  try {
    await waitUntilHealthy(url, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await signalAndWait("SIGKILL", 0);
    throw new Error(`${(error as Error).message}${recent.length ? `; it wrote:\n${recent.join("\n")}` : ""}`);
  }
  return {
    url,
    port: options.port,
    child,
    exited,
    stop: (graceMs = 10_000) => signalAndWait("SIGTERM", graceMs),
    kill: () => signalAndWait("SIGKILL", 0),
  };
}
