import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { api, login } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { waitFor } from "../support/sockets.ts";

const FOREIGN = "http://evil.example";
const PARTNER = "https://desk.partner.example";

let staticDir: string;
const hubs: TestHub[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  // Pages like the built dashboard and Web App, so the test does not depend on a client build.
  staticDir = mkdtempSync(join(tmpdir(), "session-hub-static-"));
  mkdirSync(join(staticDir, "app"));
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>Dashboard</title>");
  writeFileSync(join(staticDir, "app", "index.html"), "<!doctype html><title>Web App</title>");
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

async function hubWith(allowedOrigins: string[] = []) {
  const hub = await startTestHub({ staticDir, allowedOrigins });
  hubs.push(hub);
  return hub;
}

function signIn(hub: TestHub, origin?: string) {
  return api(hub.url, "POST", "/api/auth/login", {
    body: { username: hub.adminUsername, password: hub.adminPassword, app: "web" },
    headers: origin ? { origin } : {},
  });
}

/** Opens a socket whose handshake carries `origin`; resolves "connected" or the connect_error. */
function socketFrom(hub: TestHub, token: string, origin: string | undefined, transport: "websocket" | "polling") {
  const socket = io(hub.url, {
    auth: { token },
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  sockets.push(socket);
  return Promise.race([
    waitFor(socket, "connect").then(() => "connected"),
    waitFor<Error>(socket, "connect_error").then((error) => `refused: ${error.message}`),
  ]);
}

describe("origins", () => {
  it("by default only the hub's own origin may change state; foreign origins get no CORS headers", async () => {
    const hub = await hubWith();
    const foreign = await signIn(hub, FOREIGN);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("FORBIDDEN");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();

    expect((await signIn(hub, hub.url)).status).toBe(201);
    const admin = await signIn(hub); // no Origin: the mobile app, the Node SDK
    expect(admin.status).toBe(201);

    const read = await api(hub.url, "GET", "/api/me", { token: admin.body.token, headers: { origin: FOREIGN } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await api(hub.url, "OPTIONS", "/api/auth/login", { headers: { origin: FOREIGN } });
    expect(preflight.status).toBe(403);
  });

  it("an allowlisted origin gets CORS headers and may sign in; others are still refused", async () => {
    const hub = await hubWith([PARTNER]);
    const preflight = await api(hub.url, "OPTIONS", "/api/auth/login", {
      headers: { origin: PARTNER, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);

    const ok = await signIn(hub, PARTNER);
    expect(ok.status).toBe(201);
    expect(ok.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(ok.headers.get("vary")).toMatch(/Origin/);
    expect((await signIn(hub, FOREIGN)).status).toBe(403);
  });

  it("a Socket.IO handshake from a foreign origin is refused, over websocket and polling", async () => {
    const hub = await hubWith([PARTNER]);
    const { token } = await login(hub.url, hub.adminUsername, hub.adminPassword);
    for (const transport of ["websocket", "polling"] as const) {
      expect(await socketFrom(hub, token, FOREIGN, transport)).toMatch(/^refused/);
      expect(await socketFrom(hub, token, PARTNER, transport)).toBe("connected");
      expect(await socketFrom(hub, token, hub.url, transport)).toBe("connected");
      expect(await socketFrom(hub, token, undefined, transport)).toBe("connected");
    }
  });
});

describe("security headers", () => {
  it("the dashboard and the Web App are served with a strict Content-Security-Policy and friends", async () => {
    const hub = await hubWith();
    for (const path of ["/", "/app/"]) {
      const response = await fetch(hub.url + path);
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
    const apiResponse = await api(hub.url, "GET", "/api/me");
    expect(apiResponse.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(apiResponse.headers.get("x-powered-by")).toBeNull();
  });
});
