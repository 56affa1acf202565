/**
 * The mobile client as a user runs it: a child process (`npx tsx scripts/mobile.ts …`) on a real
 * hub. It prints why its session ended and exits with a status that says so.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "../../shared/types.ts";
import { EndMessage } from "../../shared/messages.ts";
import { MobileExit } from "../../scripts/mobile/exit-codes.ts";
import { api } from "../support/api.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { adminToken, enableIdleTermination, newTechnician, TECH_PASSWORD, terminate } from "../support/sdk-clients.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface MobileRun {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the output once it matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const runs: MobileRun[] = [];

/**
 * Starts the mobile client as `npx tsx scripts/mobile.ts …`. `direct` runs it in one node
 * process (`node --import tsx`) instead: npm's wrapper exits on SIGINT at once, and tsx's signal
 * relay gives up on a busy machine, while a terminal's Ctrl-C reaches the program itself.
 */
function runMobile(args: string[], { direct = false } = {}): MobileRun {
  const [command, prefix] = direct ? [process.execPath, ["--import", "tsx"]] : ["npx", ["tsx"]];
  const child = spawn(command, [...prefix, "scripts/mobile.ts", ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so a Ctrl-C can be sent to it as a terminal would: to the group.
    detached: true,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const run: MobileRun = {
    child,
    output: () => text,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`mobile client never printed ${pattern}; it printed:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(check);
        check();
      });
    },
  };
  runs.push(run);
  return run;
}

let hub: TestHub;
let admin: string;

beforeEach(async () => {
  hub = await startTestHub();
  admin = await adminToken(hub);
});

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(-run.child.pid!, "SIGKILL");
      await run.exited;
    }
  }
  await hub.close();
});

async function startSignedIn(licenseType: "named" | "concurrent", options: { direct?: boolean } = {}) {
  const account = await newTechnician(hub, admin, licenseType);
  const run = runMobile(["--user", account.username, "--password", TECH_PASSWORD, "--url", hub.url, "--device", "cli-test"], options);
  const [, sessionId] = await run.waitForOutput(/session ([0-9a-f]+)/);
  await run.waitForOutput(/state: connected/);
  return { run, sessionId: sessionId!, account };
}

async function sessionOnHub(sessionId: string): Promise<Session | undefined> {
  const { body } = await api<{ sessions: Session[] }>(hub.url, "GET", "/api/sessions", { token: admin });
  return body.sessions.find((session) => session.id === sessionId);
}

describe("the mobile client", () => {
  it("signs in as a mobile session and shows its state", async () => {
    const { run, sessionId } = await startSignedIn("named");
    expect(run.output()).toMatch(/Signed in as tech-[0-9a-f]+ \(named\)/);
    expect(await sessionOnHub(sessionId)).toMatchObject({ app: "mobile", device: "cli-test" });
  });

  it("terminated by an administrator: prints the notice with the message and exits non-zero", async () => {
    const { run, sessionId } = await startSignedIn("named");
    await terminate(hub, admin, [sessionId], "Please update the app.");

    expect(await run.exited).toBe(MobileExit.TERMINATED);
    expect(run.output()).toContain(EndMessage.terminated);
    expect(run.output()).toContain("Please update the app.");
  });

  it("left idle past the timeout: prints the expiry notice and exits non-zero", async () => {
    await enableIdleTermination(hub, admin, 1, 30);
    const { run } = await startSignedIn("concurrent");

    expect(await run.exited).toBe(MobileExit.EXPIRED);
    expect(run.output()).toContain(EndMessage.expired);
  });

  it("input on stdin reports activity to the hub", async () => {
    const { run, sessionId } = await startSignedIn("named");
    const before = (await sessionOnHub(sessionId))!.lastActivityAt;
    run.child.stdin.write("working on a ticket\n");
    await vi.waitFor(
      async () => {
        expect((await sessionOnHub(sessionId))!.lastActivityAt).toBeGreaterThan(before);
      },
      { timeout: 5000, interval: 100 },
    );
  });

  it("q signs out and exits 0, ending the session on the hub", async () => {
    const { run, sessionId } = await startSignedIn("concurrent");
    run.child.stdin.write("q\n");

    expect(await run.exited).toBe(MobileExit.SIGNED_OUT);
    expect(run.output()).toContain("Signed out.");
    expect(await sessionOnHub(sessionId)).toBeUndefined();
  });

  it("Ctrl-C (SIGINT) signs out and exits 0", async () => {
    const { run, sessionId } = await startSignedIn("named", { direct: true });
    process.kill(-run.child.pid!, "SIGINT");

    expect(await run.exited).toBe(MobileExit.SIGNED_OUT);
    expect(await sessionOnHub(sessionId)).toBeUndefined();
  });

  it("a refused sign-in exits with the start-failure status and the hub's reason", async () => {
    const account = await newTechnician(hub, admin, "named");
    const run = runMobile(["--user", account.username, "--password", "wrong-password", "--url", hub.url]);

    expect(await run.exited).toBe(MobileExit.START_FAILED);
    expect(run.output()).toContain("INVALID_CREDENTIALS");
  });
});
