export { renderReport } from "./html.js";
export { renderSvg, renderFigures, renderFiguresAsync, type RenderedFigure } from "./render.js";
export { figures, type Figure, type VlSpec } from "./specs.js";
export type { ReportExtras } from "../pipeline/extras.js";
