/**
 * Stimulus labels per time bin, for decoding.
 *
 * @module
 */
import { DgrnTypeError } from "../errors.js";
import type { StimulusInterval } from "../types.js";
import { checkInteger, checkNumber, message } from "../validate.js";

/**
 * The stimulated cluster in each of `nBins` bins of width `binSize` seconds
 * (bin t spans [t·binSize, (t+1)·binSize)); a bin takes the label of the
 * interval that contains its midpoint, −1 when none does. When intervals
 * overlap, the later one in the array wins.
 *
 * @param stimulus - intervals `{ start, end, cluster }` in seconds (end exclusive)
 * @param nBins - number of bins (a nonnegative integer)
 * @param binSize - bin width in seconds (> 0)
 * @returns an Int32Array of length `nBins`
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `stimulus` is not an array of intervals
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` or `ERR_NOT_FINITE` for a bad count, size or interval
 * @example
 * ```ts
 * const labels = stimulusLabels([{ start: 0.25, end: 0.5, cluster: 3 }], 100, 0.01);
 * labels[30]; // 3
 * ```
 */
export function stimulusLabels(stimulus: readonly StimulusInterval[], nBins: number, binSize: number): Int32Array {
  if (!Array.isArray(stimulus))
    throw new DgrnTypeError(message("stimulus", "an array of { start, end, cluster }", stimulus));
  checkInteger("nBins", nBins, { min: 0 });
  checkNumber("binSize", binSize, { min: 0, minExclusive: true });
  const ivs = stimulus.map((iv, k) => {
    if (iv === null || typeof iv !== "object")
      throw new DgrnTypeError(message(`stimulus[${k}]`, "an interval { start, end, cluster }", iv));
    const start = checkNumber(`stimulus[${k}].start`, iv.start);
    const end = checkNumber(`stimulus[${k}].end`, iv.end, { min: start });
    const cluster = checkInteger(`stimulus[${k}].cluster`, iv.cluster, { min: 0 });
    return { start, end, cluster };
  });
  const out = new Int32Array(nBins).fill(-1);
  for (const { start, end, cluster } of ivs) {
    // Bins whose midpoint (t + 0.5)·binSize lies in [start, end).
    const first = Math.max(0, Math.ceil(start / binSize - 0.5));
    for (let t = first; t < nBins && (t + 0.5) * binSize < end; t++) {
      if ((t + 0.5) * binSize >= start) out[t] = cluster;
    }
  }
  return out;
}
