/**
 * The tasks a pool worker can run: plain functions of structured-cloneable
 * arguments (typed arrays, numbers, plain objects) that return the same, or a
 * promise of the same.
 *
 * @module
 */
import { diffusionColumns } from "../graph/diffusion.js";
import { decodeFold } from "../dynamics/decode.js";
import { xcorrChunk } from "../graph/infer-async.js";
import { fitPart } from "../tn/fit.js";
import { lambdaMaxTask, probesTask } from "../lrg/tasks.js";
import type { VlSpec } from "../report/specs.js";

/** One figure to SVG; the report module (vega, vega-lite) is loaded in the worker at its first figure. */
async function reportSvg(spec: VlSpec, idPrefix: string): Promise<string> {
  const { renderSvg } = await import("../report/render.js");
  return renderSvg(spec, idPrefix);
}

/** Every task by name. */
export const TASKS = {
  /** Top-k columns j0 … j1−1 of the Chebyshev heat kernel (sdk/graph/diffusion.ts). */
  "diffusion.columns": diffusionColumns,
  /** One cross-validation fold of decoding: fit on the others, predict it (sdk/dynamics/decode.ts). */
  "decode.fold": decodeFold,
  /** The observed xcorr product and/or the moments of a chunk of circular-shift surrogates (sdk/graph/infer-async.ts). */
  "graph.xcorrChunk": xcorrChunk,
  /** The Born machine or the baselines of one fitBorn (sdk/tn/fit.ts). */
  "tn.fitPart": fitPart,
  /** One report figure, Vega-Lite spec → SVG (sdk/report/render.ts). */
  "report.svg": reportSvg,
  /** λ_max of a graph Laplacian by Lanczos (sdk/lrg/tasks.ts). */
  "lrg.lambdaMax": lambdaMaxTask,
  /** Lock-step Lanczos coefficients of a chunk of SLQ probes (sdk/lrg/tasks.ts). */
  "lrg.probes": probesTask,
} as const;

/** A task name. */
export type TaskName = keyof typeof TASKS;
