/**
 * The collection of a batch: batch.json (every job, its state and headline
 * metrics), batch.csv (one row per job) and batch.html (a self-contained page:
 * the metrics plotted against each swept parameter, means and spread over
 * seeds, as inline SVG rendered from Vega-Lite like report.html).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { VERSION } from "../targets/node.js";
import { renderSvg } from "../report/index.js";
import { esc, pageHead } from "../report/html.js";
import { headline, type Headline } from "./metrics.js";
import { canonicalJson } from "./plan.js";
import { isDone, jobDir, readFailure, readManifest, writeFileAtomic, type Manifest } from "./store.js";

export const BATCH_SCHEMA = "dgrn-batch/1";

/** One job in batch.json. */
export interface CollectedJob {
  id: string;
  input: string;
  params: Record<string, unknown>;
  state: "done" | "failed" | "pending";
  error: string | null;
  metrics: Headline;
}

/** The content of batch.json. */
export interface BatchCollection {
  schema: typeof BATCH_SCHEMA;
  dgrn: { version: string; kernelSha256: string };
  plan: string;
  gridKeys: string[];
  counts: { total: number; done: number; failed: number; pending: number };
  /** Metric names, in column order. */
  metrics: string[];
  jobs: CollectedJob[];
}

const FIRST = ["ari", "auroc", "nmi", "nObserved", "nCommunities", "modularity", "rgNodes", "rgSteps", "rgFinal"];

function metricOrder(jobs: CollectedJob[]): string[] {
  const seen = new Set<string>();
  for (const j of jobs) for (const k of Object.keys(j.metrics)) seen.add(k);
  const rank = (k: string) => {
    const i = FIRST.indexOf(k);
    if (i >= 0) return [0, i, 0, k] as const;
    const m = /^(sigma|decoding)\[(\d+)\]$/.exec(k);
    if (m) return [2, m[1] === "sigma" ? 0 : 1, Number(m[2]), k] as const;
    return [1, 0, 0, k] as const;
  };
  return [...seen].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
  });
}

/**
 * Read every job of the manifest from disk (results, failures) without writing anything.
 *
 * @param out - the output root
 * @returns the collection (batch.json's content)
 * @throws {DgrnIOError} when DIR has no batch manifest
 */
export async function readCollection(out: string, manifest?: Manifest): Promise<BatchCollection> {
  const m = manifest ?? (await readManifest(out));
  const jobs: CollectedJob[] = [];
  for (const job of m.jobs) {
    const base = { id: job.id, input: job.label, params: job.params };
    if (await isDone(out, job.id)) {
      let metrics: Headline = {};
      try {
        metrics = headline(JSON.parse(await readFile(join(jobDir(out, job.id), "results.json"), "utf8")));
      } catch {
        // a results.json that does not parse is reported as a failure of collection, not skipped silently
        jobs.push({
          ...base,
          state: "failed",
          error: `results.json of job ${job.id.slice(0, 12)} does not parse`,
          metrics,
        });
        continue;
      }
      jobs.push({ ...base, state: "done", error: null, metrics });
      continue;
    }
    const f = await readFailure(out, job.id);
    jobs.push({ ...base, state: f ? "failed" : "pending", error: f?.error ?? null, metrics: {} });
  }
  const count = (s: CollectedJob["state"]) => jobs.filter((j) => j.state === s).length;
  return {
    schema: BATCH_SCHEMA,
    dgrn: { version: VERSION, kernelSha256: m.kernelSha256 },
    plan: m.plan,
    gridKeys: m.gridKeys,
    counts: { total: jobs.length, done: count("done"), failed: count("failed"), pending: count("pending") },
    metrics: metricOrder(jobs),
    jobs,
  };
}

const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return "";
  const s = typeof v === "string" ? v : typeof v === "number" ? String(v) : canonicalJson(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** batch.csv: one row per job (id, input, state, each grid key, each metric, error). */
export function toCsv(c: BatchCollection): string {
  const head = ["id", "input", "state", ...c.gridKeys, ...c.metrics, "error"];
  const rows = c.jobs.map((j) => [
    j.id,
    j.input,
    j.state,
    ...c.gridKeys.map((k) => j.params[k]),
    ...c.metrics.map((k) => j.metrics[k]),
    j.error,
  ]);
  return [head, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

const label = (v: unknown) => (typeof v === "string" ? v : canonicalJson(v));

/** Mean and spread (min, max) over seeds of each metric at each value of `key`, per series. */
interface Point {
  x: number | string;
  series: string;
  metric: string;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Aggregate the done jobs for a plot against `key` (or against the input when
 * `key` is null): group by (series = input and the other non-seed swept
 * values, x = the value of `key`), mean and min–max over the seeds.
 */
export function aggregate(c: BatchCollection, key: string | null, metrics: string[]): Point[] {
  const others = c.gridKeys.filter((k) => k !== key && k !== "seed");
  const groups = new Map<string, { x: number | string; series: string; metric: string; values: number[] }>();
  for (const j of c.jobs) {
    if (j.state !== "done") continue;
    const x =
      key === null ? j.input : typeof j.params[key] === "number" ? (j.params[key] as number) : label(j.params[key]);
    const series =
      [key === null ? null : j.input, ...others.map((k) => `${k}=${label(j.params[k])}`)]
        .filter((s) => s !== null)
        .join(", ") || "all";
    for (const m of metrics) {
      const v = j.metrics[m];
      if (typeof v !== "number") continue;
      const g = `${canonicalJson([x, series, m])}`;
      if (!groups.has(g)) groups.set(g, { x, series, metric: m, values: [] });
      groups.get(g)!.values.push(v);
    }
  }
  return [...groups.values()].map(({ x, series, metric, values }) => ({
    x,
    series,
    metric,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    lo: Math.min(...values),
    hi: Math.max(...values),
    n: values.length,
  }));
}

/** The Vega-Lite spec of one swept parameter: one panel per metric, mean line with min–max bars over seeds. */
export function sweepSpec(points: Point[], xTitle: string, metrics: string[], lines = true): Record<string, unknown> {
  const quantitative = points.every((p) => typeof p.x === "number");
  const x = {
    field: "x",
    type: quantitative ? "quantitative" : "ordinal",
    title: xTitle,
    ...(quantitative ? { scale: { zero: false } } : {}),
  };
  const color = { field: "series", type: "nominal", title: "series" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values: points },
    facet: {
      field: "metric",
      type: "nominal",
      title: null,
      sort: metrics,
      header: { labelFontSize: 12, labelLimit: 300 },
    },
    columns: 3,
    spec: {
      width: 230,
      height: 150,
      layer: [
        {
          mark: { type: "rule" },
          encoding: {
            x,
            y: { field: "lo", type: "quantitative", title: null, scale: { zero: false } },
            y2: { field: "hi" },
            color,
          },
        },
        // caps at min and max (also puts them in the y domain)
        {
          mark: { type: "tick", orient: "horizontal", size: 8 },
          encoding: { x, y: { field: "lo", type: "quantitative" }, color },
        },
        {
          mark: { type: "tick", orient: "horizontal", size: 8 },
          encoding: { x, y: { field: "hi", type: "quantitative" }, color },
        },
        {
          mark: lines ? { type: "line", point: true } : { type: "point", filled: true, size: 50 },
          encoding: { x, y: { field: "mean", type: "quantitative", title: null }, color, tooltip: [{ field: "n" }] },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
    config: {
      view: { stroke: "#ddd" },
      axis: { labelFontSize: 10, titleFontSize: 11 },
      legend: { labelLimit: 400, orient: "bottom" },
      font: "sans-serif",
    },
  };
}

/** Numeric metrics worth a plot (the per-scale ones only at the first three scales, to keep the page readable). */
function plotMetrics(c: BatchCollection): string[] {
  return c.metrics.filter((m) => {
    if (!c.jobs.some((j) => typeof j.metrics[m] === "number")) return false;
    const s = /^(sigma|decoding)\[(\d+)\]$/.exec(m);
    return !s || Number(s[2]) <= 2;
  });
}

/**
 * batch.html: counts, one figure per swept parameter (or per input when only
 * seeds are swept), and the table of every job.
 */
export async function renderBatchHtml(c: BatchCollection): Promise<string> {
  const metrics = plotMetrics(c);
  const swept = c.gridKeys.filter(
    (k) => k !== "seed" && new Set(c.jobs.map((j) => canonicalJson(j.params[k]))).size > 1,
  );
  const figs: { title: string; caption: string; svg: string }[] = [];
  if (metrics.length && c.counts.done > 0) {
    const keys: Array<string | null> = swept.length ? swept : [null];
    for (const k of keys) {
      const pts = aggregate(c, k, metrics);
      if (!pts.length) continue;
      const svg = await renderSvg(sweepSpec(pts, k ?? "input", metrics, k !== null), `sweep${figs.length}`);
      figs.push({
        title: k === null ? "Metrics per input" : `Metrics against ${k}`,
        caption: `${k === null ? "Dot" : "Line"}: mean over seeds; bar: min to max over seeds (n per point in the tooltip).${k === null ? "" : " One line per input and value of the other swept parameters."}`,
        svg,
      });
    }
  }
  const cols = ["id", "input", "state", ...c.gridKeys, ...c.metrics, "error"];
  const cell = (v: unknown) =>
    v === undefined || v === null
      ? ""
      : typeof v === "number"
        ? Number.isInteger(v)
          ? String(v)
          : v.toPrecision(4)
        : label(v);
  const rows = c.jobs
    .map((j) => {
      const vals = [
        j.id.slice(0, 12),
        j.input,
        j.state,
        ...c.gridKeys.map((k) => j.params[k]),
        ...c.metrics.map((k) => j.metrics[k]),
        j.error,
      ];
      return `<tr class="${j.state}">${vals.map((v) => `<td>${esc(cell(v))}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `${pageHead(
    "dgrn batch",
    1240,
    `  h2 { font-size: 1.1rem; margin: 1.2rem 0 .3rem; }
  .meta { margin-bottom: 1rem; }
  figure { margin: 0 0 1.5rem; padding: 1rem; border: 1px solid #e3e3e3; border-radius: 6px; overflow-x: auto; }
  table { font-size: 12px; } td, th { padding: 2px 8px 2px 0; white-space: nowrap; }
  tr.failed td { color: #a00; } tr.pending td { color: #888; }
  .wrap { overflow-x: auto; }`,
  )}<body>
<h1>dgrn batch</h1>
<div class="meta">dgrn ${esc(c.dgrn.version)} · kernel sha256 <code>${esc(c.dgrn.kernelSha256)}</code> · plan ${esc(c.plan)} · ${c.counts.total} jobs: ${c.counts.done} done, ${c.counts.failed} failed, ${c.counts.pending} pending</div>
${figs.map((f) => `<figure><h2>${esc(f.title)}</h2>${f.svg.replace(/^<svg([^>]*)>/, (_m, a: string) => `<svg${a} role="img" aria-label="${esc(f.title)}"><title>${esc(f.title)}</title>`)}<figcaption>${esc(f.caption)}</figcaption></figure>`).join("\n")}
<h2>Jobs</h2>
<div class="wrap"><table><tr>${cols.map((k) => `<th>${esc(k)}</th>`).join("")}</tr>
${rows}
</table></div>
</body>
</html>
`;
}

/**
 * Write batch.json, batch.csv and batch.html into the output root (each atomically).
 *
 * @param out - the output root (with its batch-jobs.json)
 * @returns the collection written
 * @throws {DgrnIOError} when DIR has no batch, or a file cannot be written
 * @example
 * ```ts
 * const c = await collectBatch("sweep"); // sweep/batch.json, batch.csv, batch.html
 * c.counts; // { total: 6, done: 6, failed: 0, pending: 0 }
 * ```
 */
export async function collectBatch(out: string, manifest?: Manifest): Promise<BatchCollection> {
  const c = await readCollection(out, manifest);
  await writeFileAtomic(join(out, "batch.json"), JSON.stringify(c, null, 1) + "\n");
  await writeFileAtomic(join(out, "batch.csv"), toCsv(c));
  await writeFileAtomic(join(out, "batch.html"), await renderBatchHtml(c));
  return c;
}
