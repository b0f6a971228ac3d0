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
    /** Ids of observed neurons that never spike (see warnings). */
    silentUnits?: number[];
    /** Ids of observed neurons active in ≥ 95 % of bins (see warnings). */
    saturatedUnits?: number[];
    /** Recordings: session metadata (NWB). */
    session?: { identifier: string | null; description: string | null; startTime: string | null };
    /** Recordings: per-unit metadata columns (Phy group / KSLabel, NWB quality, location…), one entry per observed unit in `observed` order. */
    units?: Record<string, (string | number | null)[]>;
    /** Recordings: the trials whose labels the decoder predicts. */
    trials?: { count: number; labelColumn: string; classes: (string | number)[] };
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
    /** Maxima of C beyond the Fiedler time with no spectral gap above the active modes (finite-size; not scales). Optional: additive (issue 15). */
    finiteSizePeaks?: { tau: number; C: number }[];
    fiedlerTime: number | null;
    finestTime: number | null;
    flow: {
      tau: number;
      n: number;
      groups: number[][];
      assignment: number[];
      metagraph: { n: number; edges: [number, number, number][] };
    }[];
    stopReason: string;
  };
  tn: {
    tol: number;
    maxBond: number;
    /** The microscale model: "born-mps" (Born machine MPS trained by maximum likelihood). */
    model: string;
    mps: {
      bondDims: number[];
      params: number;
      log2FullSize: number;
      /** Frobenius error: null for sampled data (see docs/tn.md). */
      relError: number | null;
      entanglement: number[];
      kl: number | null;
      tv: number | null;
      /** Held-out NLLs (bits per bin) of the regularised Born model, and of the pure Born machine. */
      nll: { train: number; validation: number; test: number | null };
      nllBorn: { train: number | null; validation: number | null; test: number | null };
      /** Weight of the product model mixed in (chosen on validation). */
      mixWeight: number;
      /** Fraction of held-out bins with pure-Born log₂ P̃ < −200. */
      belowFloor: { validation: number; test: number | null };
      split: { train: [number, number]; validation: [number, number]; test: [number, number] | null };
      baselines: Record<
        "product" | "chowLiu" | "mixture",
        { train: number; validation: number; test: number | null; params: number; components?: number }
      >;
    };
    /** Per RG step: held-out NLLs, params, Ĥ(Y_ℓ) with its bootstrap interval, R_ℓ, H(P̃). */
    scales: ScaleSummary[];
    /** NLL vs parameters: the Born MPS at each bond cap tried (validation NLL, bits per bin). */
    sweep: { maxBond: number; params: number; validation: number }[];
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
  if (ArrayBuffer.isView(value))
    return sanitize(Array.from(value as unknown as ArrayLike<number>), warnings, path) as T;
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
