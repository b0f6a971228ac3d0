/**
 * Binning spike times into counts, and counts into binary states.
 *
 * @module
 */
import { DgrnRangeError, ErrorCode } from "../errors.js";
import type { BinaryStates, BinnedActivity, SpikeData } from "../types.js";
import { checkNumber, checkOptions, message } from "../validate.js";
import { checkCount, LIMITS } from "../limits.js";
import { checkBinned, checkSpikeData } from "./check.js";

/** Options of {@link binSpikes}. */
export interface BinOptions {
  /** Bin width in seconds (> 0). */
  binSize: number;
}

/** Relative slack when a time (or a ratio of sizes) lands on a bin edge up to rounding. */
const EDGE_EPS = 1e-9;

/**
 * Number of bins of width `binSize` covering `duration` (a partial last bin
 * counts; a ratio within 1e−9 of a whole number is that number).
 *
 * @param duration - seconds
 * @param binSize - seconds (> 0; not checked: internal helper, exported for callers that pre-size arrays)
 * @returns the bin count {@link binSpikes} uses
 * @example
 * ```ts
 * binCount(20, 0.01); // 2000, although 20 / 0.01 = 1999.9999999999998
 * ```
 */
export function binCount(duration: number, binSize: number): number {
  const r = duration / binSize;
  const k = Math.round(r);
  return Math.abs(r - k) <= EDGE_EPS * Math.max(1, r) ? k : Math.ceil(r);
}

/** Largest binned matrix {@link binSpikes} allocates (bytes of Uint16 counts): 2 GiB. */
export const MAX_BINNED_BYTES = 2 ** 31;

/** A T × n count matrix must fit: else `ERR_OUT_OF_MEMORY` at once, with the estimate and the likely cause. */
function checkBinnedSize(T: number, n: number, duration: number, binSize: number): void {
  const bytes = T * n * 2;
  if (bytes <= MAX_BINNED_BYTES && T * n <= 2 ** 31 - 1) return;
  const gib = (bytes / 2 ** 30).toFixed(1);
  throw new DgrnRangeError(
    `invalid argument. binning ${duration} s (${(duration / 3600).toFixed(1)} h) into bins of ${binSize} s gives ${T} bins × ${n} neurons = ${gib} GiB of counts, above the limit of ${MAX_BINNED_BYTES / 2 ** 30} GiB; if the times are not seconds, pass the time unit (--time-unit ms), or choose a window (--t-start/--t-stop) or a larger bin. Value: \`${T} × ${n}\`.`,
    ErrorCode.OUT_OF_MEMORY,
  );
}

/**
 * Spike counts in bins of width `binSize`: bin t spans [t·binSize, (t+1)·binSize)
 * (a time within 1e−9 of a bin's width of an edge counts in the later bin, so
 * times written as multiples of the bin size land where they read); there are
 * ceil(duration / binSize) bins and a spike at exactly `duration` counts in the
 * last one. Binned input is re-binned when `binSize` is a whole multiple of its bin size.
 *
 * @param data - spike trains or binned activity
 * @param options - `binSize` in seconds
 * @returns binned counts, row-major T × n (`counts[t * n + i]`), ids and provenance kept
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for input that is not spike data
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a bad bin size, one that is not a multiple of binned input's, or a count above 65,535
 * @example
 * ```ts
 * const { spikes } = simulateLIF({ duration: 2 });
 * const b = binSpikes(spikes, { binSize: 0.01 }); // 200 bins
 * ```
 */
export function binSpikes(data: SpikeData, options: BinOptions): BinnedActivity {
  const d = checkSpikeData("data", data);
  const o = checkOptions<BinOptions>("options", options, ["binSize"]);
  const binSize = checkNumber("options.binSize", o.binSize, { min: 0, minExclusive: true });
  const n = d.nNeurons;
  if (d.kind === "binned") {
    const b = checkBinned("data", d);
    const ratio = binSize / b.binSize;
    const f = Math.round(ratio);
    if (f < 1 || Math.abs(ratio - f) > EDGE_EPS * Math.max(1, ratio)) {
      throw new DgrnRangeError(
        message("options.binSize", `a whole multiple of the input's bin size ${b.binSize}`, binSize),
      );
    }
    const T = Math.ceil(b.nBins / f);
    const counts = new Uint16Array(T * n);
    for (let t = 0; t < b.nBins; t++) {
      const row = Math.floor(t / f) * n;
      for (let i = 0; i < n; i++) {
        const v = counts[row + i]! + b.counts[t * n + i]!;
        if (v > 65535)
          throw new DgrnRangeError(
            message(`count of neuron ${b.neuronIds[i]} in bin ${Math.floor(t / f)}`, "at most 65535", v),
          );
        counts[row + i] = v;
      }
    }
    return {
      kind: "binned",
      nBins: T,
      nNeurons: n,
      binSize: f * b.binSize,
      counts,
      neuronIds: b.neuronIds.slice(),
      provenance: { ...b.provenance },
    };
  }
  const T = binCount(d.duration, binSize);
  checkCount("options.binSize", T * n, LIMITS.cells, `bins × neurons = ${T} × ${n}`, binSize); // before allocating
  checkBinnedSize(T, n, d.duration, binSize);
  const counts = new Uint16Array(T * n);
  for (let i = 0; i < n; i++) {
    const ts = d.times[i]!;
    for (let q = 0; q < ts.length; q++) {
      const t = Math.min(T - 1, Math.floor(ts[q]! / binSize + EDGE_EPS));
      const at = t * n + i;
      if (counts[at] === 65535) {
        throw new DgrnRangeError(
          message(`count of neuron ${d.neuronIds[i]} in bin ${t}`, "at most 65535", 65536),
          ErrorCode.OUT_OF_RANGE,
        );
      }
      counts[at]!++;
    }
  }
  return {
    kind: "binned",
    nBins: T,
    nNeurons: n,
    binSize,
    counts,
    neuronIds: d.neuronIds.slice(),
    provenance: { ...d.provenance },
  };
}

/**
 * Binary states x_i(t) = [count_i(t) > 0].
 *
 * @param b - binned activity
 * @returns `{ T, n, data, neuronIds }`, row-major T × n
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `b` is not binned activity
 * @example
 * ```ts
 * const x = binarize(binSpikes(spikes, { binSize: 0.01 }));
 * ```
 */
export function binarize(b: BinnedActivity): BinaryStates {
  const v = checkBinned("b", b);
  const data = new Uint8Array(v.counts.length);
  for (let q = 0; q < data.length; q++) data[q] = v.counts[q]! > 0 ? 1 : 0;
  return { T: v.nBins, n: v.nNeurons, data, neuronIds: v.neuronIds.slice() };
}
