/**
 * The usage chart and its CSV come from one table: peaks per model, a limit column only where the
 * license limits the model, and refused logins summed over the shown models.
 */
import { describe, expect, it } from "vitest";
import type { LicenseHistory } from "../../shared/types.ts";
import { buildChartTable, maxValue, toCsv } from "../../client/dashboard/chart-data.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0);
const MINUTE = 60_000;

const named: LicenseHistory = {
  type: "named",
  period: "hour",
  bucketSeconds: 60,
  limit: null,
  points: [
    [T0, 1, 0],
    [T0 + MINUTE, 2, 0],
  ],
};

const concurrent: LicenseHistory = {
  type: "concurrent",
  period: "hour",
  bucketSeconds: 60,
  limit: 3,
  points: [
    [T0, 3, 2],
    [T0 + MINUTE, 1, 0],
  ],
};

describe("usage chart data", () => {
  it("lines up both models on one time axis, with a limit column only where the license limits", () => {
    const table = buildChartTable("hour", [named, concurrent]);
    expect(table.times).toEqual([T0, T0 + MINUTE]);
    expect(table.columns.map((c) => c.label)).toEqual([
      "Named connections",
      "Concurrent connections",
      "Concurrent limit",
      "Refused logins",
    ]);
    expect(table.columns.map((c) => c.values)).toEqual([
      [1, 2],
      [3, 1],
      [3, 3],
      [2, 0],
    ]);
    expect(maxValue(table)).toBe(3);
  });

  it("writes the same numbers to CSV, one row per bucket", () => {
    const csv = toCsv(buildChartTable("hour", [concurrent]));
    expect(csv).toBe(
      [
        "time,timestamp_ms,Concurrent connections,Concurrent limit,Refused logins",
        `${new Date(T0).toISOString()},${T0},3,3,2`,
        `${new Date(T0 + MINUTE).toISOString()},${T0 + MINUTE},1,3,0`,
        "",
      ].join("\n"),
    );
  });

  it("leaves a model's cell empty at a time it has no point", () => {
    const short: LicenseHistory = { ...named, points: [[T0 + MINUTE, 4, 0]] };
    const table = buildChartTable("hour", [short, concurrent]);
    expect(table.columns[0]?.values).toEqual([null, 4]);
    expect(toCsv(table).split("\n")[1]).toBe(`${new Date(T0).toISOString()},${T0},,3,3,2`);
  });
});
