/**
 * The bench's output: per scenario a table of figures, the baseline beside each where there is
 * one, the product's target and PASS/MISS; then one line `BENCH_JSON {...}` with everything, for
 * tools. A target is checked only in a full run: `--quick` runs too few clients for it to mean
 * anything, so its verdicts read "(quick)".
 */

export type Verdict = "PASS" | "MISS" | "";

export interface Figure {
  metric: string;
  unit: string;
  hub: number | null;
  baseline?: number | null;
  /** The product's target, as printed. */
  target?: string;
  verdict?: Verdict;
}

export interface ScenarioResult {
  scenario: string;
  /** What was run: counts, durations. */
  params: Record<string, number | string>;
  figures: Figure[];
  /** Anything the reader should know to read the figures (errors, bounds hit). */
  notes: string[];
}

/** Checks `value` against a bound; no verdict when the value is missing. */
export function verdict(pass: boolean | null): Verdict {
  if (pass === null) return "";
  return pass ? "PASS" : "MISS";
}

function format(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(figure: Figure): string {
  if (figure.baseline === undefined || figure.baseline === null || figure.hub === null || figure.baseline === 0) return "";
  return `${(figure.hub / figure.baseline).toFixed(2)}×`;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
}

/** Prints one scenario's table. */
export function printScenario(result: ScenarioResult, quick: boolean): void {
  const params = Object.entries(result.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
  console.log(`\n== ${result.scenario} (${params})`);
  const header = ["metric", "hub", "baseline", "hub/base", "target", "verdict"];
  const rows = result.figures.map((figure) => [
    `${figure.metric} [${figure.unit}]`,
    format(figure.hub),
    figure.baseline === undefined ? "" : format(figure.baseline),
    ratio(figure),
    figure.target ?? "",
    figure.verdict ? (quick ? `(quick) ${figure.verdict}` : figure.verdict) : "",
  ]);
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  console.log(pad(header, widths));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(pad(row, widths));
  for (const note of result.notes) console.log(`  note: ${note}`);
}

/** Prints the JSON line with every scenario's figures. */
export function printJson(results: ScenarioResult[], meta: Record<string, unknown>): void {
  console.log(`BENCH_JSON ${JSON.stringify({ ...meta, results })}`);
}
