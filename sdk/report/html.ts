/**
 * The self-contained report: one HTML file with every figure as inline SVG,
 * the run's parameters as a table, and nothing fetched from the network.
 *
 * @module
 */
import type { PipelineResults } from "../pipeline/results.js";
import { DgrnTypeError } from "../errors.js";
import { message } from "../validate.js";
import { figures } from "./specs.js";
import type { ReportExtras } from "../pipeline/extras.js";
import { renderFigures, renderFiguresAsync, type RenderedFigure } from "./render.js";
import type { WorkerPool } from "../parallel/pool.js";

/** Escape text for HTML content and attribute values. */
export const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The head of a self-contained dgrn page (report.html, batch.html): one base
 * style for both, `width` the page's max width in px and `css` the page's own rules.
 */
export function pageHead(title: string, width: number, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: ${width}px; color: #1d1d1d; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; }
  .meta { color: #666; }
  figcaption { color: #555; font-size: 12.5px; margin-top: .3rem; }
  table { border-collapse: collapse; } td, th { border-bottom: 1px solid #eee; text-align: left; }
${css}
</style>
</head>
`;
}

/** Give each SVG a <title> (accessible name) and a data attribute naming the figure. */
function titled(f: RenderedFigure): string {
  return f.svg.replace(
    /^<svg([^>]*)>/,
    (_m, attrs: string) =>
      `<svg${attrs} role="img" aria-label="${esc(f.title)}" data-figure="${f.id}"><title>${esc(f.title)}</title>`,
  );
}

/** A number to 3 significant digits (integers whole, with thousands separators from 10,000). */
function fmt(v: unknown): string {
  if (typeof v === "number") {
    if (Number.isInteger(v)) return Math.abs(v) >= 10000 ? v.toLocaleString("en-US") : String(v);
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
    return String(Number(v.toPrecision(3)));
  }
  if (Array.isArray(v))
    return v.length > 12 ? `[${v.slice(0, 12).map(fmt).join(", ")}, … (${v.length})]` : `[${v.map(fmt).join(", ")}]`;
  if (v && typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function flatten(obj: Record<string, unknown>, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

const count = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** Key numbers of the run, shown above the figures (no number without its unit, none claimed beyond what was measured). */
function summary(res: PipelineResults): [string, string][] {
  const d = res.data;
  const rows: [string, string][] = [
    ...(res.data.session
      ? ([
          [
            "session",
            [res.data.session.identifier, res.data.session.description, res.data.session.startTime]
              .filter((x) => x)
              .join(" · "),
          ],
        ] as [string, string][])
      : []),
    ["neurons observed / total", `${d.nObserved} / ${d.nNeurons}`],
    ...(res.data.units
      ? ([
          [
            "unit metadata",
            Object.entries(res.data.units)
              .map(([k, v]) => `${k} (${[...new Set(v)].slice(0, 4).join(", ")}${new Set(v).size > 4 ? ", …" : ""})`)
              .join("; "),
          ],
        ] as [string, string][])
      : []),
    ...(res.data.trials
      ? ([
          [
            "trials (decoded labels)",
            `${res.data.trials.count} trials, \`${res.data.trials.labelColumn}\`: ${res.data.trials.classes.join(", ")}`,
          ],
        ] as [string, string][])
      : []),
    ["duration, bins", `${fmt(d.duration)} s, ${count(d.nBins, "bin")} of ${fmt(d.binSize * 1000)} ms`],
    [
      "mean rate, active fraction",
      `${fmt(d.meanRate)} Hz per neuron; ${fmt(100 * d.activeFraction)} % of neuron-bins active`,
    ],
    [
      "inferred graph",
      `${count(res.graph.nEdges, "edge")}, ${count(res.graph.nCommunities, "community", "communities")}, modularity ${fmt(res.graph.modularity)}`,
    ],
  ];
  if (res.graph.scores)
    rows.push([
      "vs ground truth",
      `edge AUROC ${fmt(res.graph.scores.auroc)}, community ARI ${fmt(res.graph.scores.ari)}, NMI ${fmt(res.graph.scores.nmi)}`,
    ]);
  const e = res.graph.scores?.edges;
  if (e) {
    rows.push([
      "edge AUROC all / within / between clusters (same-cluster indicator alone)",
      `${fmt(e.all.auroc)} (${fmt(e.all.sameCluster)}) / ${fmt(e.within.auroc)} (${fmt(e.within.sameCluster)}) / ${fmt(e.between.auroc)} (${fmt(e.between.sameCluster)})`,
    ]);
  }
  rows.push([
    "RG scales τ* (diffusion time, 1 / edge weight)",
    res.lrg.peaks.map((p) => fmt(p.tau)).join(", ") || "none",
  ]);
  const last = res.lrg.flow.length ? res.lrg.flow[res.lrg.flow.length - 1]!.n : res.graph.n;
  rows.push([
    "RG flow (nodes per step)",
    `${[res.graph.n, ...res.lrg.flow.map((s) => s.n)].join(" → ")} ${last === 1 ? "node" : "nodes"}; stop: ${res.lrg.stopReason}`,
  ]);
  rows.push([
    "DTNR: Born MPS in community order (held-out NLL, bits per bin)",
    `${count(res.tn.mps.params, "parameter")} for 2^${res.tn.mps.log2FullSize} states; test ${fmt(res.tn.mps.nll?.test ?? null)} (independent model ${fmt(res.tn.mps.baselines?.product.test ?? null)}, Chow–Liu ${fmt(res.tn.mps.baselines?.chowLiu.test ?? null)}, mixture ${fmt(res.tn.mps.baselines?.mixture.test ?? null)})`,
  ]);
  const sc = res.dynamics.scales;
  const sig = sc
    .filter((s) => s["sigmaPairs"] !== 0 && typeof s["sigmaCiLo"] === "number")
    .map(
      (s) =>
        `step ${s.step}: ${fmt(s["sigmaCorrected"])} [${fmt(s["sigmaCiLo"])}, ${fmt(s["sigmaCiHi"])}]${s["sigmaLowerBound"] ? " (lower bound)" : ""}`,
    );
  if (sig.length) rows.push(["σ, nats per bin (95 % interval)", sig.join("; ")]);
  return rows;
}

/** Session metadata of a recording (a reader's `data.session` / `data.metadata`), or the simulator's main settings. */
function sessionLine(res: PipelineResults): string {
  const d = res.data as PipelineResults["data"] & { session?: unknown; metadata?: unknown };
  const meta = (d.session ?? d.metadata) as Record<string, unknown> | undefined;
  const parts: string[] = [];
  if (meta && typeof meta === "object") {
    for (const [k, v] of Object.entries(meta))
      if (v !== null && v !== undefined && typeof v !== "object") parts.push(`${k}: ${String(v)}`);
  }
  const sim = res.config["simulate"] as Record<string, unknown> | null | undefined;
  if (sim && typeof sim === "object") {
    const keys = ["n", "fractionExcitatory", "clusters", "duration", "seed"].filter((k) => sim[k] !== undefined);
    parts.push(`simulated clustered LIF network (${keys.map((k) => `${k} ${fmt(sim[k])}`).join(", ")})`);
  }
  return parts.map(esc).join(" · ");
}

/**
 * Build report.html from results (and the extras too large for results.json).
 *
 * @param res - the pipeline's results
 * @param extras - the report's extras (raster and the like)
 * @param pool - a worker pool (createPool): the figures are rendered on it, one task each (the same SVG text)
 * @returns the HTML document and the rendered figures
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `res` is not a results object (e.g. null) or `extras` is not an object
 * @example
 * ```ts
 * const { html } = await renderReport(results, { raster });
 * ```
 */
export async function renderReport(
  res: PipelineResults,
  extras: ReportExtras = {},
  pool?: WorkerPool,
): Promise<{ html: string; figures: RenderedFigure[] }> {
  if (
    res === null ||
    typeof res !== "object" ||
    Array.isArray(res) ||
    typeof (res as { config?: unknown }).config !== "object"
  ) {
    throw new DgrnTypeError(message("res", "the pipeline's results object (runPipeline(…).results)", res));
  }
  if (extras === null || typeof extras !== "object") throw new DgrnTypeError(message("extras", "an object", extras));
  const specs = figures(res, extras);
  const figs = pool && pool.size > 0 ? await renderFiguresAsync(specs, pool) : await renderFigures(specs);
  const params = flatten(res.config as Record<string, unknown>);
  const html = `${pageHead(
    "dgrn report",
    1180,
    `  h2 { font-size: 1.1rem; margin: 0 0 .3rem; }
  .meta { margin-bottom: 1.5rem; }
  .grid { display: flex; flex-wrap: wrap; gap: 1.5rem; }
  figure { margin: 0; padding: 1rem; border: 1px solid #e3e3e3; border-radius: 6px; background: #fff; max-width: 100%; overflow-x: auto; }
  figcaption { max-width: 760px; }
  table { font-size: 12.5px; } td, th { padding: 3px 10px 3px 0; vertical-align: top; }
  code { font-size: 12px; }
  figure.wide { flex-basis: 100%; }
  #warnings { border-radius: 6px; padding: .6rem 1rem; margin: 0 0 1.2rem; }
  .warn { color: #7a4500; background: #fff7e6; border: 1px solid #f0c36d; }
  .ok { color: #225522; background: #f0f8f0; border: 1px solid #b5d6b5; }
  #warnings p, #warnings ul { margin: .2rem 0; }`,
  )}<body>
<h1>dgrn report</h1>
<div class="meta">data: ${esc(res.data.source)}${res.data.name ? ` (${esc(res.data.name)})` : ""} · ${fmt(res.data.duration)} s · seed ${esc(String(res.config["seed"]))}${sessionLine(res) ? `<br>${sessionLine(res)}` : ""}<br>dgrn ${esc(res.dgrn.version)} · kernel sha256 <code>${esc(res.dgrn.kernelSha256 ?? "unknown")}</code> · schema ${esc(res.schema)}</div>
${
  res.warnings.length
    ? `<section id="warnings" class="warn"><h2>${res.warnings.length === 1 ? "1 warning" : `${res.warnings.length} warnings`}</h2><ul>${res.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></section>`
    : `<section id="warnings" class="ok"><h2>No warnings</h2><p>No failure or weak result was detected.</p></section>`
}
<section id="summary"><h2>Summary</h2><table>${summary(res)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("")}</table></section>
<h2 style="margin-top:1.5rem">Figures</h2>
<div class="grid">
${figs.map((f) => `<figure id="fig-${f.id}" data-title="${esc(f.title)}"${f.wide ? ' class="wide"' : ""}><h2>${esc(f.title)}</h2>${titled(f)}<figcaption>${esc(f.caption)}</figcaption></figure>`).join("\n")}
</div>
<section id="parameters" style="margin-top:1.5rem"><h2>Parameters of this run</h2>
<table>${params.map(([k, v]) => `<tr><th><code>${esc(k)}</code></th><td>${esc(fmt(v))}</td></tr>`).join("")}</table></section>
</body>
</html>
`;
  return { html, figures: figs };
}
