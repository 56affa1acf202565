/**
 * The SDK's own reconnect handling, with a fake socket: socket.io stops retrying after a refusal
 * by the server's middleware or a server-side disconnect, so the client must retry itself — and
 * stop as soon as a refusal says the session is over.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { HubClient, memoryStorage, type HubSocket, type SocketFactory } from "../../client/sdk/index.ts";

type Listener = (...args: any[]) => void;

/** The slice of a socket.io client socket the SDK uses, driven by the test. */
class FakeSocket {
  connected = false;
  active = true;
  connectCalls = 0;
  readonly emitted: string[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    return this;
  }
  connect() {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }
  emit(event: string) {
    this.emitted.push(event);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    if (event === "connect") this.connected = true;
    if (event === "disconnect") this.connected = false;
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  refuse(code: string, message: string) {
    this.active = false;
    this.fire("connect_error", Object.assign(new Error(code), { data: { code, message } }));
  }
}

function clientWithFakeSocket() {
  const socket = new FakeSocket();
  const factory: SocketFactory = () => socket as unknown as HubSocket;
  const client = new HubClient({
    url: "http://hub.test",
    socketFactory: factory,
    storage: memoryStorage("token-1"),
    reconnect: { delayMs: 100, maxDelayMs: 1000, randomizationFactor: 0 },
    activityThrottleMs: 0,
  });
  return { client, socket };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("reconnect handling", () => {
  it("retries with backoff after a passing refusal, and reports it as an error, not an end", async () => {
    vi.useFakeTimers();
    const { client, socket } = clientWithFakeSocket();
    const errors: string[] = [];
    const ends: unknown[] = [];
    client.on("error", (error) => errors.push(error.code));
    client.on("ended", (end) => ends.push(end));
    const connected = client.connect();
    await vi.waitFor(() => expect(client.state).toBe("connecting"));

    socket.refuse("UNAVAILABLE", "The session store is unreachable; try again shortly.");
    expect(errors).toEqual(["UNAVAILABLE"]);
    vi.advanceTimersByTime(100);
    expect(socket.connectCalls).toBe(1);
    socket.refuse("UNAVAILABLE", "still down");
    vi.advanceTimersByTime(199);
    expect(socket.connectCalls).toBe(1);
    vi.advanceTimersByTime(1);
    expect(socket.connectCalls).toBe(2);

    socket.fire("connect");
    await connected;
    expect(client.state).toBe("connected");
    expect(ends).toEqual([]);
  });

  it("after a server-side disconnect without a notice, the next handshake says why the session ended", async () => {
    vi.useFakeTimers();
    const { client, socket } = clientWithFakeSocket();
    const connected = client.connect();
    await vi.waitFor(() => expect(client.state).toBe("connecting"));
    socket.fire("connect");
    await connected;

    socket.active = false;
    socket.fire("disconnect", "io server disconnect");
    expect(client.state).toBe("reconnecting");
    vi.advanceTimersByTime(100);
    expect(socket.connectCalls).toBe(1);

    const ended = new Promise((resolve) => client.once("ended", resolve));
    socket.refuse("SESSION_EXPIRED", "Your session has expired due to inactivity.");
    expect(await ended).toMatchObject({ reason: "expired", message: "Your session has expired due to inactivity." });
    expect(client.state).toBe("ended");
    vi.advanceTimersByTime(10_000);
    expect(socket.connectCalls).toBe(1);
  });

  it("activity while disconnected is sent once the socket connects", async () => {
    const { client, socket } = clientWithFakeSocket();
    const connected = client.connect();
    await vi.waitFor(() => expect(client.state).toBe("connecting"));
    client.activity();
    expect(socket.emitted).toEqual([]);
    socket.fire("connect");
    await connected;
    expect(socket.emitted).toEqual(["activity"]);
  });
});
