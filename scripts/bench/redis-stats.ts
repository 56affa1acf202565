/** What the bench reads from Redis itself: commands run (INFO commandstats) and memory used. */
import { createClient } from "redis";

function statsClient(url: string) {
  return createClient({ url });
}

export type StatsClient = ReturnType<typeof statsClient>;

export async function connectStats(url: string): Promise<StatsClient> {
  const client = statsClient(url);
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Calls per command since Redis started (commands run inside Lua scripts included). */
export async function commandCalls(client: StatsClient): Promise<Map<string, number>> {
  const info = await client.info("commandstats");
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

/** Calls per command between two readings, with the total; INFO's own calls are left out. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>) {
  const delta = new Map<string, number>();
  let total = 0;
  for (const [command, calls] of after) {
    if (command === "info") continue;
    const made = calls - (before.get(command) ?? 0);
    if (made > 0) {
      delta.set(command, made);
      total += made;
    }
  }
  return { delta, total };
}

export async function usedMemory(client: StatsClient): Promise<number> {
  const info = await client.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

/** CPU time redis-server has used since it started (user + system), seconds. */
export async function cpuSeconds(client: StatsClient): Promise<number> {
  const info = await client.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}
