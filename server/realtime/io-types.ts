import type { Namespace, Server, Socket } from "socket.io";
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "../../shared/events.ts";

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, InterServerEvents, SocketData>;
export type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents, InterServerEvents, SocketData>;

/** The room of a session's sockets, in `/` and in `/admin`. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** The room of an account's sockets. */
export const accountRoom = (accountId: string) => `account:${accountId}`;
