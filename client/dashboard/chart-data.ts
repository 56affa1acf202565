/**
 * Turns license history (`GET /api/license/history`) into the columns the usage chart draws and
 * the CSV download holds, so what is drawn and what is downloaded are the same numbers.
 */
import type { HistoryPeriod, LicenseHistory, LicenseType } from "../../shared/types.ts";
import { LICENSE_TYPE_LABEL } from "./format.ts";

/** The chart's license type selector: one model or both. */
export type ChartLicenseType = LicenseType | "all";

export const ChartKind = { LINE: "line", BAR: "bar", AREA: "area" } as const;
export type ChartKind = (typeof ChartKind)[keyof typeof ChartKind];

export type ColumnRole = "peak" | "limit" | "refused";

export interface ChartColumn {
  role: ColumnRole;
  /** The model a peak or limit column belongs to; refused logins are summed over the shown models. */
  licenseType: LicenseType | null;
  label: string;
  /** One value per time; `null` where a model has no point at that time. */
  values: (number | null)[];
}

export interface ChartTable {
  period: HistoryPeriod;
  bucketSeconds: number;
  /** Bucket starts, epoch milliseconds, ascending. */
  times: number[];
  columns: ChartColumn[];
}

/** The license types a selector value stands for. */
export function licenseTypesOf(selection: ChartLicenseType): LicenseType[] {
  return selection === "all" ? ["named", "concurrent"] : [selection];
}

/**
 * Lines up the histories of the shown models on one time axis: a peak column per model, a
 * limit column per model the license limits, and one column of refused logins.
 */
export function buildChartTable(period: HistoryPeriod, histories: LicenseHistory[]): ChartTable {
  const times = [...new Set(histories.flatMap((history) => history.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: ChartColumn[] = [];
  const refused: number[] = times.map(() => 0);
  for (const history of histories) {
    const peaks: (number | null)[] = times.map(() => null);
    for (const [t, peak, denied] of history.points) {
      const i = index.get(t);
      if (i === undefined) continue;
      peaks[i] = peak;
      refused[i] = (refused[i] ?? 0) + denied;
    }
    const name = LICENSE_TYPE_LABEL[history.type];
    columns.push({ role: "peak", licenseType: history.type, label: `${name} connections`, values: peaks });
    if (history.limit !== null) {
      const limit = history.limit;
      columns.push({ role: "limit", licenseType: history.type, label: `${name} limit`, values: times.map(() => limit) });
    }
  }
  columns.push({ role: "refused", licenseType: null, label: "Refused logins", values: refused });
  const bucketSeconds = histories[0]?.bucketSeconds ?? 0;
  return { period, bucketSeconds, times, columns };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The table as CSV: bucket start (ISO and epoch ms), then one column per drawn series. */
export function toCsv(table: ChartTable): string {
  const header = ["time", "timestamp_ms", ...table.columns.map((column) => column.label)];
  const lines = [header.map(csvField).join(",")];
  table.times.forEach((t, i) => {
    const values = table.columns.map((column) => {
      const value = column.values[i];
      return value === null || value === undefined ? "" : String(value);
    });
    lines.push([new Date(t).toISOString(), String(t), ...values].join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** The highest value in the table, so the y scale can leave room above the limit lines. */
export function maxValue(table: ChartTable): number {
  let max = 0;
  for (const column of table.columns) {
    for (const value of column.values) if (value !== null && value > max) max = value;
  }
  return max;
}
