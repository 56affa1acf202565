/**
 * `npm run bench -- <scenario|all> [--quick] [--n N] [--seconds S]`: runs bounded load scenarios
 * against a hub node and, beside it, a bare Socket.IO server or bare BullMQ, each on its own
 * private redis-server on loopback; prints a table per scenario and one BENCH_JSON line.
 * See docs/benchmarks.md for what the figures mean and what bounds them.
 */
import { execSync } from "node:child_process";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { printJson, printScenario, type ScenarioResult } from "./report.ts";
import { activity } from "./scenarios/activity.ts";
import { churn } from "./scenarios/churn.ts";
import { connections } from "./scenarios/connections.ts";
import { idle } from "./scenarios/idle.ts";
import { fileLimit, type Mode } from "./scenarios/mode.ts";
import { storm } from "./scenarios/storm.ts";

const scenarios: Record<string, { run: (mode: Mode) => Promise<ScenarioResult>; limitMs: number; quickLimitMs: number }> = {
  connections: { run: connections, limitMs: 10 * 60_000, quickLimitMs: 60_000 },
  activity: { run: activity, limitMs: 5 * 60_000, quickLimitMs: 60_000 },
  churn: { run: churn, limitMs: 5 * 60_000, quickLimitMs: 60_000 },
  idle: { run: idle, limitMs: 12 * 60_000, quickLimitMs: 60_000 },
  storm: { run: storm, limitMs: 5 * 60_000, quickLimitMs: 60_000 },
};

const usage = `Usage: npm run bench -- <${Object.keys(scenarios).join("|")}|all> [--quick] [--n N] [--seconds S]

  --quick      small counts and short windows (all scenarios in under two minutes; CI runs this)
  --n N        the scenario's main count (sockets, sessions or clients)
  --seconds S  the measured window of activity and churn

Each scenario starts its own redis-server on a free loopback port and stops everything it started.
BENCH_CPU_PROF=1 writes a CPU profile of every hub process into data/bench-profiles/.`;

function parse(): { names: string[]; mode: Mode } {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        quick: { type: "boolean", default: false },
        n: { type: "string" },
        seconds: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const [name] = positionals;
    if (!name || (name !== "all" && !scenarios[name]) || positionals.length > 1) throw new Error("name one scenario, or all");
    const number = (raw: string | undefined, flag: string) => {
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} must be a positive number`);
      return value;
    };
    return {
      names: name === "all" ? Object.keys(scenarios) : [name],
      mode: { quick: values.quick ?? false, n: number(values.n, "--n"), seconds: number(values.seconds, "--seconds") },
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  freeGB: number;
  node: string;
  redis: string;
  openFilesLimit: number;
  loadAverage: number[];
}

function machine(): Machine {
  const redis = (() => {
    try {
      return /v=([\d.]+)/.exec(execSync("redis-server --version", { encoding: "utf8" }))?.[1] ?? "?";
    } catch {
      return "not installed";
    }
  })();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    memoryGB: Math.round(totalmem() / 1e9),
    freeGB: Math.round(freemem() / 1e9),
    node: process.version,
    redis,
    openFilesLimit: fileLimit(),
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

async function withLimit<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} ran longer than ${ms / 1000} s; stopped`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const { names, mode } = parse();
  const meta = { ...machine(), quick: mode.quick, startedAt: new Date().toISOString() };
  console.log(`Session Hub bench${mode.quick ? " (quick: figures are not comparable to a full run)" : ""}`);
  console.log(
    `machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGB} GB, node ${meta.node}, redis ${meta.redis}, ` +
      `open files ${meta.openFilesLimit}, load average ${meta.loadAverage.join(" ")}`,
  );
  const results: ScenarioResult[] = [];
  let failed = false;
  for (const name of names) {
    const scenario = scenarios[name]!;
    const started = Date.now();
    try {
      const result = await withLimit(scenario.run(mode), mode.quick ? scenario.quickLimitMs : scenario.limitMs, name);
      result.params.seconds = Math.round((Date.now() - started) / 1000);
      results.push(result);
      printScenario(result, mode.quick);
    } catch (error) {
      failed = true;
      console.error(`\n== ${name} FAILED: ${(error as Error).stack ?? error}`);
    }
  }
  printJson(results, meta);
  // A scenario that timed out may leave a child busy; the harness has stopped them, so leave now.
  process.exit(failed ? 1 : 0);
}

void main();
