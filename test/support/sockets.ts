/** Real socket.io clients for tests, and `waitFor` to await an event instead of sleeping. */
import { io, type Socket } from "socket.io-client";
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  ServerToClientEvents,
} from "../../shared/events.ts";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type AdminClientSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

const opened: Socket[] = [];

/** Connects to namespace `/` with a token; resolves once connected. */
export async function connectClient(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  opened.push(socket);
  await waitFor(socket, "connect");
  return socket;
}

/** Connects to `/admin`, resolving with the socket and its first snapshot. */
export async function connectAdmin(url: string, token: string) {
  const socket: AdminClientSocket = io(`${url}/admin`, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  opened.push(socket);
  const snapshot = await waitFor(socket, "sessions:snapshot");
  return { socket, snapshot };
}

/** Resolves with the error of a refused connection. */
export async function connectRefused(url: string, token: string, namespace = "/") {
  const socket = io(`${url}${namespace === "/" ? "" : namespace}`, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  opened.push(socket);
  const error = await waitFor<Error & { data?: { code: string; message: string } }>(socket, "connect_error");
  socket.close();
  return error;
}

/** Resolves with the first payload of `event`; rejects after `timeoutMs`. */
export function waitFor<T = any>(socket: Socket<any, any>, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for "${event}"`));
    }, timeoutMs);
    const handler = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, handler);
  });
}

/** Resolves when `predicate` holds for a payload of `event`. */
export function waitUntil<T = any>(
  socket: Socket<any, any>,
  event: string,
  predicate: (payload: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for a matching "${event}"`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

export function closeAllSockets(): void {
  for (const socket of opened.splice(0)) socket.close();
}
