export { renderReport } from "./html.js";
export { renderSvg, renderFigures, type RenderedFigure } from "./render.js";
export { figures, type Figure, type ReportExtras, type VlSpec } from "./specs.js";
