/**
 * The shape of `results.json` (schema `dgrn-results/1`, docs/results.schema.json).
 * Plain JSON data: numbers, strings, arrays, objects; never NaN or Infinity.
 *
 * @module
 */

import type { GraphScores } from "../graph/scores.js";

export const RESULTS_SCHEMA = "dgrn-results/1";

/** One point of a per-scale curve. */
export interface ScaleSummary {
  /** RG step (0 = the microscale). */
  step: number;
  /** Units at this scale. */
  n: number;
  [key: string]: unknown;
}

export interface PipelineResults {
  schema: typeof RESULTS_SCHEMA;
  /** Versions and kernel identity: with `config`, enough to repeat the run bit for bit. */
  dgrn: { version: string; abi: number; kernelSha256: string | null };
  /** The full configuration used, every default filled in, seeds included. */
  config: Record<string, unknown>;
  data: {
    source: string;
    name: string | null;
    nNeurons: number;
    nObserved: number;
    observed: number[];
    duration: number;
    binSize: number;
    nBins: number;
    totalSpikes: number;
    meanRate: number;
    activeFraction: number;
  };
  graph: {
    method: string;
    n: number;
    nEdges: number;
    edges: [number, number, number][];
    communities: number[];
    nCommunities: number;
    order: number[];
    modularity: number;
    /** Against ground truth, when the data came from the simulator. */
    scores: GraphScores | null;
  };
  lrg: {
    tau: number[];
    entropy: number[];
    specificHeat: number[];
    peaks: { tau: number; C: number }[];
    fiedlerTime: number | null;
    finestTime: number | null;
    flow: { tau: number; n: number; groups: number[][]; assignment: number[]; metagraph: { n: number; edges: [number, number, number][] } }[];
    stopReason: string;
  };
  tn: {
    tol: number;
    maxBond: number;
    mps: {
      bondDims: number[];
      params: number;
      log2FullSize: number;
      relError: number | null;
      entanglement: number[];
      kl: number | null;
      tv: number | null;
    };
    scales: ScaleSummary[];
    /** Compression vs error: MPS in community order at tolerance `tol` with growing bond caps. */
    sweep: { tol: number; maxBond: number; params: number; relError: number | null; kl: number | null }[];
  };
  dynamics: {
    rule: string;
    scales: ScaleSummary[];
  };
  warnings: string[];
}

/** Per-stage timing and memory, written to timings.json (not results.json, which must be byte-identical across runs). */
export interface StageTiming {
  stage: string;
  ms: number;
  peakKernelBytes: number;
  peakHeapBytes: number | null;
}

/**
 * Replace every non-finite number by null, recording where. results.json must
 * never contain NaN or Infinity (JSON cannot say them); a non-finite value is
 * a defect upstream, so it is also reported in `warnings`.
 */
export function sanitize<T>(value: T, warnings: string[], path = "$"): T {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      warnings.push(`non-finite value ${value} at ${path} written as null`);
      return null as T;
    }
    return value;
  }
  if (ArrayBuffer.isView(value)) return sanitize(Array.from(value as unknown as ArrayLike<number>), warnings, path) as T;
  if (Array.isArray(value)) return value.map((v, i) => sanitize(v, warnings, `${path}[${i}]`)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = sanitize(v, warnings, `${path}.${k}`);
    }
    return out as T;
  }
  return value;
}
