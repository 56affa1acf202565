/**
 * Session Hub client SDK: sign in, keep a live session socket, report activity, answer
 * keep-session prompts and learn why a session ended. Works in browsers, Node and React Native.
 */
export { HubClient } from "./hub-client.ts";
export type {
  ConnectionState,
  HubClientEvents,
  LoginCredentials,
  LoginResult,
  MeResult,
  SessionEnd,
} from "./hub-client.ts";
export { resolveOptions } from "./options.ts";
export type { HubClientOptions, HubSocket, HubSocketOptions, ReconnectOptions, SocketFactory } from "./options.ts";
export { domActivitySource, noActivitySource, DOM_ACTIVITY_EVENTS } from "./activity.ts";
export type { ActivitySource } from "./activity.ts";
export { memoryStorage, localStorageAdapter } from "./storage.ts";
export type { TokenStorage } from "./storage.ts";
export { systemClock } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { remainingMs, toSessionPrompt } from "./prompt.ts";
export type { SessionPrompt } from "./prompt.ts";
export { HubClientError, defaultEndMessage, endReasonOf } from "./errors.ts";
export type { SessionEndReason } from "./errors.ts";
export type { FetchLike } from "./http.ts";
