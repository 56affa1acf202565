/**
 * The license usage chart (uPlot): peak connections per bucket for the chosen license type and
 * period, drawn as line, bar or area; the licensed maximum of each shown model as a dotted line;
 * refused logins as red markers; a legend with the values under the cursor (the latest bucket
 * otherwise); and "Download CSV" of exactly the drawn numbers.
 */
import uPlot from "uplot";
import type { HistoryPeriod } from "../../shared/types.ts";
import type { HubApi } from "./api.ts";
import {
  buildChartTable,
  ChartKind,
  licenseTypesOf,
  maxValue,
  toCsv,
  type ChartColumn,
  type ChartLicenseType,
  type ChartTable,
} from "./chart-data.ts";
import { byId, downloadText, setText, show } from "./dom.ts";
import { PERIOD_LABEL, PERIOD_MS } from "./format.ts";
import type { SessionsStore } from "./sessions-store.ts";

const COLORS = { named: "#2563eb", concurrent: "#0d9488", refused: "#dc2626" } as const;
const FILLS = { named: "rgba(37, 99, 235, 0.16)", concurrent: "rgba(13, 148, 136, 0.16)" } as const;
const CHART_HEIGHT = 260;
/** Usage changes re-read the history once they settle, not per change. */
const RELOAD_DEBOUNCE_MS = 2000;
const RELOAD_EVERY_MS = 60_000;

export class UsageChart {
  private readonly kindSelect = byId<HTMLSelectElement>("chart-kind");
  private readonly typeSelect = byId<HTMLSelectElement>("chart-license-type");
  private readonly periodSelect = byId<HTMLSelectElement>("chart-period");
  private readonly csvButton = byId<HTMLButtonElement>("chart-download-csv");
  private readonly container = byId("usage-chart");
  private readonly message = byId("usage-chart-message");
  private plot: uPlot | null = null;
  private table: ChartTable | null = null;
  private loadToken = 0;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: ReturnType<typeof setInterval>;
  private readonly resizeObserver: ResizeObserver;
  private readonly unsubscribe: () => void;
  private readonly onControlChange = (): void => void this.load();
  private readonly onDownload = (): void => this.download();

  constructor(
    private readonly api: HubApi,
    store: SessionsStore,
  ) {
    for (const select of [this.typeSelect, this.periodSelect]) select.addEventListener("change", this.onControlChange);
    this.kindSelect.addEventListener("change", this.onControlChange);
    this.csvButton.addEventListener("click", this.onDownload);
    this.resizeObserver = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: CHART_HEIGHT }));
    this.resizeObserver.observe(this.container);
    this.unsubscribe = store.subscribe((changes) => {
      if (!changes.has("usage")) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.load(), RELOAD_DEBOUNCE_MS);
    });
    this.interval = setInterval(() => void this.load(), RELOAD_EVERY_MS);
    void this.load();
  }

  stop(): void {
    this.unsubscribe();
    clearTimeout(this.debounce);
    clearInterval(this.interval);
    this.resizeObserver.disconnect();
    for (const select of [this.typeSelect, this.periodSelect, this.kindSelect]) {
      select.removeEventListener("change", this.onControlChange);
    }
    this.csvButton.removeEventListener("click", this.onDownload);
    this.plot?.destroy();
    this.plot = null;
  }

  /** Fetches the history for the current selection and redraws. */
  async load(): Promise<void> {
    const token = ++this.loadToken;
    const selection = this.typeSelect.value as ChartLicenseType;
    const period = this.periodSelect.value as HistoryPeriod;
    this.container.dataset.state = "loading";
    try {
      const histories = await Promise.all(licenseTypesOf(selection).map((type) => this.api.history(type, period)));
      if (token !== this.loadToken) return;
      this.table = buildChartTable(period, histories);
      this.draw(this.table, this.kindSelect.value as ChartKind);
      this.container.dataset.state = "ready";
    } catch (error) {
      if (token !== this.loadToken) return;
      this.container.dataset.state = "error";
      show(this.message, true);
      setText(this.message, `The usage history could not be loaded: ${(error as Error).message}`);
    }
  }

  private width(): number {
    return Math.max(320, this.container.clientWidth);
  }

  private draw(table: ChartTable, kind: ChartKind): void {
    this.plot?.destroy();
    const empty = table.times.length === 0;
    show(this.message, empty);
    setText(this.message, empty ? `No usage recorded in the ${PERIOD_LABEL[table.period].toLowerCase()}.` : "");
    const top = Math.max(1, maxValue(table)) * 1.15;
    const bucketMs = table.bucketSeconds * 1000;
    const options: uPlot.Options = {
      width: this.width(),
      height: CHART_HEIGHT,
      ms: 1,
      cursor: { drag: { x: false, y: false } },
      legend: {
        live: true,
        markers: { dash: (u, i) => (u.series[i]?.dash ? "dashed" : "solid") },
      },
      scales: {
        x: {
          time: true,
          range: (_u, min, max) => {
            if (empty || min === null || max === null) {
              const now = Date.now();
              return [now - PERIOD_MS[table.period], now];
            }
            // Room for the first and last bar, and a one-point series still gets a width.
            const pad = kind === ChartKind.BAR || min === max ? Math.max(bucketMs, 1000) / 2 : 0;
            return [min - pad, max + pad];
          },
        },
        y: { range: () => [0, Math.ceil(top)] },
      },
      axes: [
        { stroke: "#475569", grid: { stroke: "#e2e8f0" } },
        { stroke: "#475569", grid: { stroke: "#e2e8f0" }, label: "Connections", values: (_u, splits) => splits.map(String) },
      ],
      series: [
        { label: "Time", value: (_u, _v, _s, idx) => this.timeLegend(table, idx) },
        ...table.columns.map((column) => this.seriesFor(table, column, kind)),
      ],
    };
    const data: uPlot.AlignedData = [
      table.times,
      // Zero refusals would draw a row of markers along the axis; they stay in the CSV only.
      ...table.columns.map((column) =>
        column.role === "refused" ? column.values.map((v) => (v === 0 ? null : v)) : column.values,
      ),
    ];
    this.plot = new uPlot(options, data, this.container);
    this.container.dataset.points = String(table.times.length);
    this.container.dataset.series = table.columns.map((column) => column.label).join("|");
    this.container.dataset.kind = kind;
  }

  private seriesFor(table: ChartTable, column: ChartColumn, kind: ChartKind): uPlot.Series {
    const value: uPlot.Series.Value = (_u, _v, _s, idx) => {
      const at = idx ?? table.times.length - 1;
      const raw = column.values[at];
      return raw === null || raw === undefined ? "—" : String(raw);
    };
    if (column.role === "refused") {
      return {
        label: column.label,
        stroke: COLORS.refused,
        width: 0,
        value,
        paths: () => null,
        points: { show: true, size: 8, stroke: COLORS.refused, fill: COLORS.refused },
      };
    }
    const type = column.licenseType ?? "concurrent";
    if (column.role === "limit") {
      return { label: column.label, stroke: COLORS[type], width: 1.5, dash: [4, 4], value, points: { show: false } };
    }
    const peaks = table.columns.filter((c) => c.role === "peak");
    const sideBySide = peaks.length > 1;
    const paths =
      kind === ChartKind.BAR
        ? uPlot.paths.bars!({
            size: [sideBySide ? 0.4 : 0.7, 80],
            align: sideBySide ? (peaks.indexOf(column) === 0 ? -1 : 1) : 0,
          })
        : uPlot.paths.linear!();
    return {
      label: column.label,
      stroke: COLORS[type],
      width: kind === ChartKind.BAR ? 1 : 2,
      fill: kind === ChartKind.LINE ? undefined : FILLS[type],
      paths,
      value,
      points: { show: kind === ChartKind.LINE && table.times.length <= 60, size: 5 },
    };
  }

  private timeLegend(table: ChartTable, idx: number | null | undefined): string {
    const at = idx ?? table.times.length - 1;
    const t = table.times[at];
    if (t === undefined) return "—";
    const bucketHours = table.bucketSeconds / 3600;
    const options: Intl.DateTimeFormatOptions =
      bucketHours >= 24 ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
    return new Date(t).toLocaleString(undefined, options);
  }

  private download(): void {
    if (!this.table) return;
    const selection = this.typeSelect.value;
    downloadText(`license-usage-${selection}-${this.table.period}.csv`, toCsv(this.table));
  }
}
