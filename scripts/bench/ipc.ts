/**
 * The bench's processes talk over Node's IPC channel: the runner spawns each server and load
 * generator as a child (`node --import tsx <file>`) and calls named handlers in it, one
 * request/response pair per call. Keeping servers and load in separate processes means the
 * figures of one are never the CPU of the other.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const projectRoot = join(import.meta.dirname, "..", "..");

interface Request {
  id: number;
  type: string;
  payload: unknown;
}

interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export type Handlers = Record<string, (payload: any) => unknown>;

/** In a child: answers the parent's calls with `handlers`, then says it is ready. */
export function serveParent(handlers: Handlers): void {
  if (!process.send) throw new Error("this file is a bench child process: run it through npm run bench");
  process.on("message", (message: Request) => {
    const handler = handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no handler "${message.type}"`);
        return handler(message.payload);
      })
      .then(
        (result) => process.send?.({ id: message.id, ok: true, result } satisfies Response),
        (error: unknown) => process.send?.({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) }),
      );
  });
  // A bench child never outlives its runner, even when the runner is killed.
  process.on("disconnect", () => process.exit(0));
  process.send({ id: 0, ok: true, result: "ready" } satisfies Response);
}

export interface BenchChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  call<T = unknown>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Extra Node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** How long the child may take to say it is ready. @default 30000 */
  readyTimeoutMs?: number;
}

/** Starts `scripts/bench/<file>` as a child with an IPC channel; resolves once it is ready. */
export async function spawnChild(name: string, file: string, options: SpawnOptions = {}): Promise<BenchChild> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--import", "tsx", join(import.meta.dirname, file)],
    { cwd: projectRoot, env: { ...process.env, ...options.env }, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      for (const { reject } of pending.values()) reject(new Error(`${name} exited (${signal ?? `code ${code}`})`));
      pending.clear();
      resolve();
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), options.readyTimeoutMs ?? 30_000);
    pending.set(0, {
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
  });
  child.on("message", (message: Response) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${name}: ${message.error}`));
  });
  await ready;

  return {
    name,
    child,
    exited,
    call<T>(type: string, payload?: unknown, timeoutMs = 300_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: "${type}" took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, type, payload } satisfies Request);
      });
    },
    stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
      return exited.finally(() => clearTimeout(force));
    },
  };
}
