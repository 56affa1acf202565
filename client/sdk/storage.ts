/**
 * Where the SDK keeps the session token between page loads or app launches. Methods may be
 * synchronous (localStorage) or asynchronous (React Native's AsyncStorage).
 */
export interface TokenStorage {
  get(): string | null | Promise<string | null>;
  set(token: string): void | Promise<void>;
  clear(): void | Promise<void>;
  /**
   * Optional: calls `listener` when another context (another browser tab) changes the token.
   * Returns a function that stops listening.
   */
  subscribe?(listener: (token: string | null) => void): () => void;
}

/** Keeps the token in memory only: the default, and right for Node and tests. */
export function memoryStorage(initial: string | null = null): TokenStorage {
  let token = initial;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
    clear: () => {
      token = null;
    },
  };
}

/** The slice of the DOM's `Storage` and `window` this adapter needs, so it can be faked in tests. */
export interface BrowserStorageHost {
  localStorage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  addEventListener(type: "storage", listener: (event: StorageEvent) => void): void;
  removeEventListener(type: "storage", listener: (event: StorageEvent) => void): void;
}

/**
 * Keeps the token in `localStorage` under `key`, shared by every tab of the origin. The browser's
 * `storage` event tells the other tabs when one signs in or out.
 * @param key @default "session-hub.token"
 */
export function localStorageAdapter(
  key = "session-hub.token",
  host: BrowserStorageHost = globalThis as unknown as BrowserStorageHost,
): TokenStorage {
  return {
    get: () => host.localStorage.getItem(key),
    set: (token) => host.localStorage.setItem(key, token),
    clear: () => host.localStorage.removeItem(key),
    subscribe(listener) {
      const onStorage = (event: StorageEvent) => {
        // key === null means localStorage.clear() in another tab.
        if (event.key === key || event.key === null) listener(host.localStorage.getItem(key));
      };
      host.addEventListener("storage", onStorage);
      return () => host.removeEventListener("storage", onStorage);
    },
  };
}
