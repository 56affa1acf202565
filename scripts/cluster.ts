/**
 * `npm run cluster -- --nodes 3 [--port 3000]`: N hub nodes on consecutive ports sharing one
 * Redis (REDIS_URL, or a private redis-server with its data under data/cluster-redis, AOF on).
 * Lines typed while it runs kill, stop and start nodes and restart Redis, to watch the cluster
 * cope; Ctrl-C stops every node (SIGTERM, so they flush and leave), then Redis.
 */
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  freePort,
  redisMissingMessage,
  redisServerInstalled,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from "../server/redis/embedded-redis.ts";
import { startHubProcess, type HubProcess } from "./cluster/hub-process.ts";

const usage = `Usage: npm run cluster -- [--nodes N] [--port BASE]

  --nodes, -n  how many hub nodes (default 3)
  --port, -p   port of node 1; node i listens on BASE + i - 1 (default PORT or 3000)

Every node gets the same REDIS_URL and HUB_KEY_PREFIX. Without REDIS_URL a private redis-server
is started with its data under data/cluster-redis (AOF on). Other HUB_* variables (for example
HUB_ADMIN_PASSWORD, HUB_NODE_TTL_MS) are passed to every node; LOG_LEVEL defaults to "warn".

While it runs, type:
  kill N          SIGKILL node N (a crash)         stop N   SIGTERM node N (a deploy)
  start N         start node N again               status   list the nodes
  restart-redis   stop and restart the private Redis on the same port (AOF keeps the data)
Ctrl-C stops every node, then Redis.`;

function parseOptions(): { nodes: number; basePort: number } {
  try {
    const { values } = parseArgs({
      options: {
        nodes: { type: "string", short: "n", default: "3" },
        port: { type: "string", short: "p", default: process.env.PORT || "3000" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const nodes = Number(values.nodes);
    const basePort = Number(values.port);
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 32) throw new Error("--nodes must be a whole number from 1 to 32");
    if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodes - 1 > 65_535) {
      throw new Error("--port must be a port number (node i listens on port + i - 1)");
    }
    return { nodes, basePort };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

const { nodes: nodeCount, basePort } = parseOptions();
const keyPrefix = process.env.HUB_KEY_PREFIX || "hub";
const nodes: (HubProcess | null)[] = Array.from({ length: nodeCount }, () => null);
let redis: EmbeddedRedis | null = null;
let redisUrl = process.env.REDIS_URL ?? "";
let stopping = false;

const say = (line: string) => console.log(`[cluster] ${line}`);

async function startNode(index: number): Promise<void> {
  const tag = `[node${index + 1}]`;
  const node = await startHubProcess({
    port: basePort + index,
    redisUrl,
    keyPrefix,
    env: { LOG_LEVEL: process.env.LOG_LEVEL || "warn" },
    onLine: (line, stream) => (stream === "stderr" ? console.error : console.log)(`${tag} ${line}`),
  });
  nodes[index] = node;
  void node.exited.then(({ code, signal }) => {
    if (nodes[index] === node) nodes[index] = null;
    if (!stopping) say(`node ${index + 1} (${node.url}) exited (${signal ?? `code ${code}`})`);
  });
}

function printStatus(): void {
  nodes.forEach((node, index) => {
    const url = `http://127.0.0.1:${basePort + index}`;
    say(`node ${index + 1}: ${node ? "up  " : "down"} ${url}/  (Web App ${url}/app/)`);
  });
  say(`redis: ${redisUrl}${redis ? " (private, data/cluster-redis)" : ""}, key prefix "${keyPrefix}"`);
}

async function stopAll(): Promise<void> {
  await Promise.all(nodes.map((node) => node?.stop(8_000)));
  await redis?.stop();
}

function nodeIndex(arg: string | undefined): number | null {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > nodeCount) {
    say(`name a node from 1 to ${nodeCount}`);
    return null;
  }
  return n - 1;
}

async function command(line: string): Promise<void> {
  const [verb, arg] = line.trim().split(/\s+/);
  if (!verb) return;
  if (verb === "status") return printStatus();
  if (verb === "restart-redis") {
    if (!redis) return say("Redis is yours (REDIS_URL): restart it yourself");
    const port = redis.port;
    say("stopping Redis...");
    await redis.stop();
    redis = null;
    redis = await startEmbeddedRedis({ dir: join(import.meta.dirname, "..", "data", "cluster-redis"), port, ownProcessGroup: true });
    return say(`Redis is back on ${redis.url}; the nodes reconnect by themselves`);
  }
  if (verb === "kill" || verb === "stop" || verb === "start") {
    const index = nodeIndex(arg);
    if (index === null) return;
    const node = nodes[index];
    if (verb === "start") {
      if (node) return say(`node ${index + 1} is already up`);
      await startNode(index);
      return say(`node ${index + 1} is up: ${nodes[index]?.url}/`);
    }
    if (!node) return say(`node ${index + 1} is not running`);
    const exit = verb === "kill" ? await node.kill() : await node.stop();
    return say(`node ${index + 1} ${verb === "kill" ? "killed" : `stopped (${exit.signal ?? `code ${exit.code}`})`}`);
  }
  say(`unknown command "${verb}": kill N, stop N, start N, restart-redis, status`);
}

async function main(): Promise<void> {
  if (!redisUrl) {
    if (!redisServerInstalled()) {
      console.error(redisMissingMessage("The cluster", "npm run cluster -- --nodes 3"));
      process.exit(1);
    }
    const dir = join(import.meta.dirname, "..", "data", "cluster-redis");
    redis = await startEmbeddedRedis({ dir, port: await freePort(), ownProcessGroup: true });
    redisUrl = redis.url;
    // Redis runs in its own process group (so Ctrl-C reaches the nodes first); never leave it behind.
    process.on("exit", () => redis?.process.kill("SIGTERM"));
  }

  let forced = false;
  let stopAt = 0;
  const shutdown = (signal: string) => {
    if (stopping) {
      // One Ctrl-C can arrive twice (from the terminal and relayed by tsx): only a later one forces.
      if (forced || Date.now() - stopAt < 2_000) return;
      forced = true;
      say("stopping at once");
      for (const node of nodes) node?.child.kill("SIGKILL");
      void redis?.stop().then(() => process.exit(1));
      return;
    }
    stopping = true;
    stopAt = Date.now();
    say(`${signal}: stopping every node, then Redis`);
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  try {
    // Node 1 first: on an empty store it creates the first admin and prints the password once.
    await startNode(0);
    await Promise.all(nodes.slice(1).map((_node, i) => startNode(i + 1)));
  } catch (error) {
    console.error(`The cluster failed to start: ${(error as Error).message}`);
    stopping = true;
    await stopAll();
    process.exit(1);
  }
  say(`${nodeCount} node${nodeCount > 1 ? "s" : ""} running:`);
  printStatus();
  say('type "kill 2", "stop 2", "start 2", "restart-redis" or "status"; Ctrl-C stops everything');

  const input = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  input.on("line", (line) => {
    if (stopping) return;
    queue = queue.then(() => command(line)).catch((error: unknown) => say(`failed: ${(error as Error).message}`));
  });
}

void main();
