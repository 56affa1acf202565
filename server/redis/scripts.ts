/**
 * Loads the Lua scripts in `lua/` once and calls them by name. A script file is named
 * `name-<numKeys>.lua`; a line `--- @include "x"` is replaced by `lua/includes/x.lua`.
 * Redis forgets loaded scripts when it restarts, so a NOSCRIPT reply falls back to EVAL.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RedisClient } from "./connection.ts";

const luaDir = join(import.meta.dirname, "lua");

interface LoadedScript {
  source: string;
  sha: string;
  numKeys: number;
}

function expandIncludes(source: string, seen = new Set<string>()): string {
  return source.replace(/^--- @include "([\w-]+)"\s*$/gm, (_line, name: string) => {
    if (seen.has(name)) return "";
    seen.add(name);
    const included = readFileSync(join(luaDir, "includes", `${name}.lua`), "utf8");
    return expandIncludes(included, seen);
  });
}

function loadAll(): Map<string, LoadedScript> {
  const scripts = new Map<string, LoadedScript>();
  for (const file of readdirSync(luaDir)) {
    const match = /^(.+)-(\d+)\.lua$/.exec(file);
    if (!match) continue;
    const [, name, numKeys] = match as unknown as [string, string, string];
    const source = expandIncludes(readFileSync(join(luaDir, file), "utf8"));
    const sha = createHash("sha1").update(source).digest("hex");
    scripts.set(name, { source, sha, numKeys: Number(numKeys) });
  }
  return scripts;
}

let cache: Map<string, LoadedScript> | undefined;

export type ScriptArg = string | number;

/** Runs the named script with its keys and arguments. */
export async function runScript<T = unknown>(
  client: RedisClient,
  name: string,
  keys: string[],
  args: ScriptArg[],
): Promise<T> {
  cache ??= loadAll();
  const script = cache.get(name);
  if (!script) throw new Error(`no Lua script named ${name}`);
  if (keys.length !== script.numKeys) {
    throw new Error(`script ${name} takes ${script.numKeys} keys, got ${keys.length}`);
  }
  const options = { keys, arguments: args.map(String) };
  try {
    return (await client.evalSha(script.sha, options)) as T;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
      return (await client.eval(script.source, options)) as T;
    }
    throw error;
  }
}
