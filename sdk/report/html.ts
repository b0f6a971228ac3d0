/**
 * The self-contained report: one HTML file with every figure as inline SVG,
 * the run's parameters as a table, and nothing fetched from the network.
 *
 * @module
 */
import type { PipelineResults } from "../pipeline/results.js";
import { figures, type ReportExtras } from "./specs.js";
import { renderFigures, type RenderedFigure } from "./render.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Give each SVG a <title> (accessible name) and a data attribute naming the figure. */
function titled(f: RenderedFigure): string {
  return f.svg.replace(/^<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs} role="img" aria-label="${esc(f.title)}" data-figure="${f.id}"><title>${esc(f.title)}</title>`);
}

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, "$1");
  if (Array.isArray(v)) return v.length > 12 ? `[${v.slice(0, 12).map(fmt).join(", ")}, … (${v.length})]` : `[${v.map(fmt).join(", ")}]`;
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

/** Key numbers of the run, shown above the figures. */
function summary(res: PipelineResults): [string, string][] {
  const rows: [string, string][] = [
    ["neurons observed / total", `${res.data.nObserved} / ${res.data.nNeurons}`],
    ["duration, bins", `${fmt(res.data.duration)} s, ${res.data.nBins} bins of ${fmt(res.data.binSize * 1000)} ms`],
    ["mean rate", `${fmt(res.data.meanRate)} Hz`],
    ["inferred edges, communities, modularity", `${res.graph.nEdges}, ${res.graph.nCommunities}, ${fmt(res.graph.modularity)}`],
  ];
  if (res.graph.scores) rows.push(["vs ground truth: edge AUROC, community ARI, NMI", `${fmt(res.graph.scores.auroc)}, ${fmt(res.graph.scores.ari)}, ${fmt(res.graph.scores.nmi)}`]);
  const e = res.graph.scores?.edges;
  if (e) {
    rows.push([
      "edge AUROC all / within / between clusters (same-cluster indicator alone)",
      `${fmt(e.all.auroc)} (${fmt(e.all.sameCluster)}) / ${fmt(e.within.auroc)} (${fmt(e.within.sameCluster)}) / ${fmt(e.between.auroc)} (${fmt(e.between.sameCluster)})`,
    ]);
  }
  rows.push(["RG scales τ*", res.lrg.peaks.map((p) => fmt(p.tau)).join(", ") || "none"]);
  rows.push(["RG flow (nodes per step)", [res.graph.n, ...res.lrg.flow.map((s) => s.n)].join(" → ") + ` (${res.lrg.stopReason})`]);
  rows.push(["MPS params vs 2^n", `${res.tn.mps.params} vs 2^${res.tn.mps.log2FullSize}; rel. error ${fmt(res.tn.mps.relError)}`]);
  return rows;
}

/**
 * Build report.html from results (and the extras too large for results.json).
 *
 * @returns the HTML document and the rendered figures
 * @example
 * ```ts
 * const { html } = await renderReport(results, { raster });
 * ```
 */
export async function renderReport(res: PipelineResults, extras: ReportExtras = {}): Promise<{ html: string; figures: RenderedFigure[] }> {
  const figs = await renderFigures(figures(res, extras));
  const params = flatten(res.config as Record<string, unknown>);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dgrn report</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1180px; color: #1d1d1d; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin: 0 0 .3rem; }
  .meta { color: #666; margin-bottom: 1.5rem; }
  .grid { display: flex; flex-wrap: wrap; gap: 1.5rem; }
  figure { margin: 0; padding: 1rem; border: 1px solid #e3e3e3; border-radius: 6px; background: #fff; max-width: 100%; overflow-x: auto; }
  figcaption { color: #555; font-size: 12.5px; max-width: 600px; margin-top: .3rem; }
  table { border-collapse: collapse; font-size: 12.5px; } td, th { border-bottom: 1px solid #eee; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
  code { font-size: 12px; }
  .warn { color: #a05a00; }
</style>
</head>
<body>
<h1>dgrn report</h1>
<div class="meta">dgrn ${esc(res.dgrn.version)} · kernel sha256 <code>${esc(res.dgrn.kernelSha256 ?? "unknown")}</code> · schema ${esc(res.schema)} · data: ${esc(res.data.source)}${res.data.name ? ` (${esc(res.data.name)})` : ""}</div>
<section id="summary"><h2>Summary</h2><table>${summary(res)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("")}</table></section>
${res.warnings.length ? `<section id="warnings" class="warn"><h2>Warnings</h2><ul>${res.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></section>` : ""}
<h2 style="margin-top:1.5rem">Figures</h2>
<div class="grid">
${figs.map((f) => `<figure id="fig-${f.id}" data-title="${esc(f.title)}"><h2>${esc(f.title)}</h2>${titled(f)}<figcaption>${esc(f.caption)}</figcaption></figure>`).join("\n")}
</div>
<section id="parameters" style="margin-top:1.5rem"><h2>Parameters of this run</h2>
<table>${params.map(([k, v]) => `<tr><th><code>${esc(k)}</code></th><td>${esc(fmt(v))}</td></tr>`).join("")}</table></section>
</body>
</html>
`;
  return { html, figures: figs };
}
