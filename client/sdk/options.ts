/**
 * HubClient options: the hub's address and the platform pieces (socket factory, fetch, storage,
 * clock, activity source), so one SDK serves the browser, Node simulators and React Native.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events.ts";
import { domActivitySource, hasDom, noActivitySource, type ActivitySource } from "./activity.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { FetchLike } from "./http.ts";
import { memoryStorage, type TokenStorage } from "./storage.ts";

/** The session socket, typed with the contract's event maps. */
export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Options the SDK passes when it creates a socket. */
export type HubSocketOptions = Partial<ManagerOptions & SocketOptions>;

/** Creates a socket.io socket; socket.io-client's `io` by default. */
export type SocketFactory = (url: string, options: HubSocketOptions) => HubSocket;

export interface ReconnectOptions {
  /** First delay before reconnecting. @default 500 */
  delayMs?: number;
  /** Ceiling of the exponential backoff. @default 10000 */
  maxDelayMs?: number;
  /** Jitter: each delay is spread by ± this fraction, so clients do not return in lockstep. @default 0.5 */
  randomizationFactor?: number;
}

export interface HubClientOptions {
  /** The hub's base URL, e.g. `https://hub.example.com` (in a page the hub serves: `location.origin`). */
  url: string;
  /** @default socket.io-client's `io` */
  socketFactory?: SocketFactory;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Where the token is kept. @default memoryStorage() (lost when the process ends) */
  storage?: TokenStorage;
  /** @default Date.now */
  clock?: Clock;
  /** @default domActivitySource() where a DOM exists, otherwise none (call `activity()` yourself) */
  activitySource?: ActivitySource;
  /** At most one `activity` report per this many ms. @default 1000 */
  activityThrottleMs?: number;
  /** Backoff for reconnecting after a lost connection. */
  reconnect?: ReconnectOptions;
  /** How long `keep()` waits for the hub's acknowledgement. @default 5000 */
  ackTimeoutMs?: number;
  /** Extra socket.io options (e.g. `transports: ["websocket"]`); the SDK's own settings win. */
  socketOptions?: HubSocketOptions;
}

export interface ResolvedOptions {
  url: string;
  socketFactory: SocketFactory;
  fetch: FetchLike;
  storage: TokenStorage;
  clock: Clock;
  activitySource: ActivitySource;
  activityThrottleMs: number;
  reconnect: Required<ReconnectOptions>;
  ackTimeoutMs: number;
  socketOptions: HubSocketOptions;
}

function fail(message: string): never {
  throw new TypeError(`HubClient: ${message}`);
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) fail(`${name} must be a number ≥ 0, got ${String(value)}`);
  return value;
}

/** Merges `options` with the defaults once, failing fast with a message that says what to fix. */
export function resolveOptions(options: HubClientOptions): ResolvedOptions {
  if (!options || typeof options.url !== "string" || !options.url) {
    fail('give the hub\'s URL, e.g. new HubClient({ url: "http://127.0.0.1:3000" })');
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    fail(`url "${options.url}" is not an absolute URL; in a browser page use location.origin`);
  }
  const fetchFn = options.fetch ?? (globalThis.fetch?.bind(globalThis) as FetchLike | undefined);
  if (!fetchFn) fail("this platform has no global fetch; pass options.fetch");
  const reconnect = options.reconnect ?? {};
  const randomizationFactor = nonNegative("reconnect.randomizationFactor", reconnect.randomizationFactor, 0.5);
  if (randomizationFactor > 1) fail("reconnect.randomizationFactor must be between 0 and 1");
  const delayMs = nonNegative("reconnect.delayMs", reconnect.delayMs, 500);
  return {
    url: url.origin,
    socketFactory: options.socketFactory ?? (io as SocketFactory),
    fetch: fetchFn,
    storage: options.storage ?? memoryStorage(),
    clock: options.clock ?? systemClock,
    activitySource: options.activitySource ?? (hasDom() ? domActivitySource() : noActivitySource),
    activityThrottleMs: nonNegative("activityThrottleMs", options.activityThrottleMs, 1000),
    reconnect: {
      delayMs,
      maxDelayMs: Math.max(delayMs, nonNegative("reconnect.maxDelayMs", reconnect.maxDelayMs, 10_000)),
      randomizationFactor,
    },
    ackTimeoutMs: nonNegative("ackTimeoutMs", options.ackTimeoutMs, 5000),
    socketOptions: options.socketOptions ?? {},
  };
}
