/**
 * `npm run demo`: a hub with something to watch. Starts a private redis-server and one hub node
 * (as `npm start` does), sets a license, seeds named and concurrent technicians, switches idle
 * termination on with a short timeout, and runs simulated technicians on the SDK — Web App and
 * mobile — that sign in, work, go idle, keep or ignore prompts and sign out. Ctrl-C stops it all.
 *
 *   npm run demo -- [--port 3000] [--idle-timeout 20] [--prompt 15] [--quiet] [--no-build]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createHub, type Hub } from "../server/hub.ts";
import { createLogger } from "../server/logger.ts";
import {
  redisMissingMessage,
  redisServerInstalled,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from "../server/redis/embedded-redis.ts";
import type { App } from "../shared/types.ts";
import { AdminApi } from "./demo/admin-api.ts";
import {
  DEMO_LICENSE,
  DEMO_TECHNICIANS,
  demoIdleSettings,
  seedDemo,
  SPARE_TECHNICIANS,
  TECHNICIAN_PASSWORD,
} from "./demo/seed.ts";
import { SimulatedTechnician } from "./demo/simulated-technician.ts";

const projectRoot = join(import.meta.dirname, "..");

const usage = `Usage: npm run demo -- [--port PORT] [--idle-timeout SECONDS] [--prompt SECONDS] [--quiet] [--no-build]

  --port          where the hub listens (default PORT or 3000; a free port if that one is taken)
  --idle-timeout  idle timeout for concurrent sessions, in seconds (default 20)
  --prompt        how long the Web App's keep-session prompt waits, in seconds (default 15)
  --quiet         do not print what the simulated technicians do
  --no-build      serve the dashboard and Web App already in dist/client instead of building them

The demo keeps its data in a temporary redis-server that is deleted when it stops.`;

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: "string", default: process.env.PORT || "3000" },
        "idle-timeout": { type: "string", default: "20" },
        prompt: { type: "string", default: "15" },
        quiet: { type: "boolean", default: false },
        "no-build": { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const port = Number(values.port);
    const idleTimeout = Number(values["idle-timeout"]);
    const prompt = Number(values.prompt);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error("--port must be a port number");
    if (!(idleTimeout >= 1)) throw new Error("--idle-timeout must be at least 1 second");
    if (!Number.isInteger(prompt) || prompt < 1) throw new Error("--prompt must be a whole number of seconds ≥ 1");
    return { port, idleTimeout, prompt, quiet: values.quiet, build: !values["no-build"] };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** Which app each simulated technician uses: mostly the Web App, some phones. */
const APP_OF: Record<string, App> = {
  nina: "web",
  noah: "mobile",
  nadia: "web",
  carl: "web",
  cora: "mobile",
  cyrus: "web",
  cleo: "web",
  cami: "mobile",
  colin: "web",
  chiara: "web",
  caleb: "mobile",
  celia: "web",
};

async function buildPages(): Promise<void> {
  console.log("Building the dashboard and the Web App…");
  const { build } = await import("vite");
  await build({ configFile: join(projectRoot, "vite.config.ts"), logLevel: "warn" });
}

async function listenHub(redisUrl: string, port: number, minIdleTimeoutSeconds: number, adminPassword: string) {
  const make = (listenPort: number) =>
    createHub({
      redisUrl,
      keyPrefix: "demo",
      port: listenPort,
      logger: createLogger(process.env.LOG_LEVEL ?? "warn"),
      minIdleTimeoutSeconds,
      adminUsername: "admin",
      adminPassword,
      staticDir: join(projectRoot, "dist", "client"),
    });
  let hub: Hub = await make(port);
  try {
    return { hub, url: await hub.listen() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || port === 0) throw error;
    console.log(`Port ${port} is taken; using a free port instead.`);
    await hub.close();
    hub = await make(0);
    return { hub, url: await hub.listen() };
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!redisServerInstalled()) {
    console.error(redisMissingMessage("The demo"));
    process.exit(1);
  }
  if (options.build) await buildPages();

  const dataDir = mkdtempSync(join(tmpdir(), "session-hub-demo-"));
  let redis: EmbeddedRedis | null = null;
  let hub: Hub | null = null;
  const technicians: SimulatedTechnician[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) {
      console.log("Stopping now.");
      process.exit(1);
    }
    stopping = true;
    console.log("\nStopping the simulated technicians, the hub and Redis… (Ctrl-C again to force)");
    // A terminal's Ctrl-C also reaches redis-server (same process group), so Redis may already be
    // going away: the hub's last writes can fail, which must not turn a clean stop into a crash.
    process.on("uncaughtException", () => {});
    process.on("unhandledRejection", () => {});
    setTimeout(() => process.exit(code), 8000).unref();
    for (const technician of technicians) technician.disconnect();
    await hub?.close().catch(() => {});
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    console.log("Demo stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    redis = await startEmbeddedRedis({ dir: dataDir, appendOnly: false });
    const adminPassword = process.env.HUB_ADMIN_PASSWORD || `demo-${randomBytes(6).toString("hex")}`;
    // The settings refuse a timeout under the floor, so the demo lowers the floor to its timeout.
    const started = await listenHub(redis.url, options.port, Math.min(60, options.idleTimeout), adminPassword);
    hub = started.hub;
    const url = started.url;

    const admin = await AdminApi.login(url, "admin", adminPassword);
    await seedDemo(admin, demoIdleSettings(options.idleTimeout, options.prompt));
    // The launcher's own admin session would sit in Logged Users for the whole demo.
    await admin.logout();

    const log = options.quiet ? () => {} : (line: string) => console.log(line);
    for (const technician of DEMO_TECHNICIANS) {
      const simulated = new SimulatedTechnician(technician, APP_OF[technician.username] ?? "web", {
        url,
        password: TECHNICIAN_PASSWORD,
        log,
      });
      technicians.push(simulated);
      simulated.start();
    }

    const spare = SPARE_TECHNICIANS.map((t) => `${t.username} (${t.licenseType})`).join(", ");
    console.log(`
Session Hub demo is running.

  Dashboard   ${url}/          sign in as admin / ${adminPassword}
  Web App     ${url}/app/      sign in as ${SPARE_TECHNICIANS.map((t) => t.username).join(" or ")} / ${TECHNICIAN_PASSWORD}
  Mobile      npm run mobile -- --url ${url} --user tech2 --password ${TECHNICIAN_PASSWORD}

  License     ${DEMO_LICENSE.namedUsers} named, ${DEMO_LICENSE.concurrentUsers} concurrent seats
  Idle        concurrent sessions idle for ${options.idleTimeout} s are prompted (Web App, ${options.prompt} s to answer)
              or ended (mobile); named sessions are never ended for idling
  Simulated   ${DEMO_TECHNICIANS.length} technicians (${DEMO_TECHNICIANS.map((t) => t.username).join(", ")})
  Yours       ${spare} — not simulated, free for you to use

Press Ctrl-C to stop.
`);
  } catch (error) {
    console.error(`The demo failed to start: ${(error as Error).message}`);
    await stop(1);
  }
}

void main();
