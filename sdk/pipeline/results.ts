/**
 * The shape of `results.json` (schema `dgrn-results/1`, docs/results.schema.json).
 * Plain JSON data: numbers, strings, arrays, objects; never NaN or Infinity.
 *
 * @module
 */

export const RESULTS_SCHEMA = "dgrn-results/1";

/**
 * The shape of results.json. Generated from docs/results.schema.json (the one
 * definition; `build/results-types.mjs`), so the type, the schema the file is
 * validated against and what the stages write cannot drift apart.
 */
export type { PipelineResults } from "./results.generated.js";
/** One point of a per-scale curve (`tn.scales`, `dynamics.scales`): step, units, and that scale's numbers. */
export type { Scale as ScaleSummary } from "./results.generated.js";

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
