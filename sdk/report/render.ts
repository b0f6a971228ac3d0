/**
 * Render Vega-Lite specs to SVG strings with vega's headless renderer. Works
 * in Node, Deno, browsers and Web Workers (no DOM, no canvas needed).
 *
 * @module
 */
import { compile } from "vega-lite";
import { parse, resetSVGDefIds, View } from "vega";
import type { Figure, VlSpec } from "./specs.js";
import type { WorkerPool } from "../parallel/pool.js";

let queue: Promise<unknown> = Promise.resolve();

/**
 * Render one Vega-Lite spec to an SVG string. vega numbers the SVG's
 * definitions (gradients, clip paths) with counters global to the thread; they
 * are reset before each figure and every id is prefixed with `idPrefix`, so a
 * figure's text depends on nothing rendered before it in the thread (and ids
 * stay unique in a page of figures with distinct prefixes). Renders in one
 * thread are queued (the counters are shared).
 *
 * @param spec - a Vega-Lite spec
 * @param idPrefix - prefix of the SVG's ids (default "fig")
 * @returns the SVG text
 */
export function renderSvg(spec: VlSpec, idPrefix = "fig"): Promise<string> {
  const next = queue.then(() => renderOne(spec, idPrefix));
  queue = next.catch(() => {});
  return next;
}

async function renderOne(spec: VlSpec, idPrefix: string): Promise<string> {
  const vg = compile(spec as never).spec;
  const view = new View(parse(vg), { renderer: "none", logLevel: 0 });
  resetSVGDefIds();
  try {
    return prefixIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

/** Prefix every id an SVG defines, and its references (`url(#id)`, `href="#id"`). */
function prefixIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]!);
  if (ids.size === 0) return svg;
  const re = /(\sid="|url\(#|href="#)([^")]+)/g;
  return svg.replace(re, (all, lead: string, id: string) => (ids.has(id) ? `${lead}${prefix}-${id}` : all));
}

/** A figure with its rendered SVG. */
export interface RenderedFigure extends Figure {
  svg: string;
}

/** Render every figure (sequentially: vega views are not free). */
export async function renderFigures(figs: Figure[]): Promise<RenderedFigure[]> {
  const out: RenderedFigure[] = [];
  for (const f of figs) out.push({ ...f, svg: await renderSvg(f.spec, f.id) });
  return out;
}

/**
 * Render every figure on a worker pool, one task per figure (each worker has
 * its own vega); the figures come back in the given order, the same SVG text
 * as {@link renderFigures}.
 */
export async function renderFiguresAsync(figs: Figure[], pool: WorkerPool): Promise<RenderedFigure[]> {
  if (pool.size === 0) return renderFigures(figs);
  // the largest figures (by their number of data rows) go out first, so the workers finish together
  const size = figs.map((f) => dataRows(f.spec));
  const order = figs.map((_, i) => i).sort((a, b) => size[b]! - size[a]! || a - b);
  const svgs: string[] = new Array<string>(figs.length);
  await Promise.all(
    order.map((i) =>
      pool.run<string>("report.svg", [figs[i]!.spec, figs[i]!.id]).then((svg) => {
        svgs[i] = svg;
      }),
    ),
  );
  return figs.map((f, i) => ({ ...f, svg: svgs[i]! }));
}

/** Rows of inline data in a spec (every `values` array, a few levels deep): the figure's rendering cost, roughly. */
function dataRows(v: unknown, depth = 0): number {
  if (depth > 6 || v === null || typeof v !== "object") return 0;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + dataRows(x, depth + 1), 0);
  let n = 0;
  for (const [k, x] of Object.entries(v as Record<string, unknown>))
    n += k === "values" && Array.isArray(x) ? x.length : dataRows(x, depth + 1);
  return n;
}
