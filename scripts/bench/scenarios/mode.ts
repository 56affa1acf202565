import { execSync } from "node:child_process";

/** How a scenario runs: full size, or `--quick` (small counts, for CI to keep it working). */
export interface Mode {
  quick: boolean;
  /** Overrides the scenario's main count (sockets, sessions, clients). */
  n?: number;
  /** Overrides the measured window, seconds. */
  seconds?: number;
}

/** The open-files limit this process (and so every child) runs with. */
export function fileLimit(): number {
  try {
    return Number(execSync("ulimit -n", { shell: "/bin/sh", encoding: "utf8" }).trim()) || 1024;
  } catch {
    return 1024;
  }
}
