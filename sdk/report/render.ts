/**
 * Render Vega-Lite specs to SVG strings with vega's headless renderer. Works
 * in Node, Deno, browsers and Web Workers (no DOM, no canvas needed).
 *
 * @module
 */
import { compile } from "vega-lite";
import { parse, View } from "vega";
import type { Figure, VlSpec } from "./specs.js";

/** Render one Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const vg = compile(spec as never).spec;
  const view = new View(parse(vg), { renderer: "none", logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A figure with its rendered SVG. */
export interface RenderedFigure extends Figure {
  svg: string;
}

/** Render every figure (sequentially: vega views are not free). */
export async function renderFigures(figs: Figure[]): Promise<RenderedFigure[]> {
  const out: RenderedFigure[] = [];
  for (const f of figs) out.push({ ...f, svg: await renderSvg(f.spec) });
  return out;
}
