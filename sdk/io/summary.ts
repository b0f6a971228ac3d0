/**
 * What was read: the numbers `dgrn inspect` prints.
 *
 * @module
 */
import type { SpikeData } from "../types.js";
import { checkBoolean, checkOptions } from "../validate.js";
import { checkSpikeData } from "./check.js";

/** Summary of spike data. */
export interface SpikeSummary {
  kind: "spikes" | "binned";
  /** Number of neurons. */
  neurons: number;
  /** Total spike count. */
  spikes: number;
  /** Duration in seconds (binned: nBins × binSize). */
  duration: number;
  /** Earliest spike time in seconds (binned: start of the first non-empty bin); null without spikes. */
  firstSpike: number | null;
  /** Latest spike time (binned: start of the last non-empty bin); null without spikes. */
  lastSpike: number | null;
  /** Mean rate per neuron, Hz. */
  meanRate: number;
  /** Bin size in seconds, for binned data. */
  binSize?: number;
  /** Where the data came from. */
  source: string;
  /** Per-neuron spike counts (with `perNeuron: true`): id and count. */
  perNeuron?: { id: number; spikes: number }[];
}

/**
 * Count what spike data holds.
 *
 * @param data - spike trains or binned activity
 * @param options - `perNeuron` (default false): include per-neuron counts
 * @returns the summary
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for data that is not spike data
 * @example
 * ```ts
 * summarizeSpikes(simulateLIF({ duration: 1 }).spikes).spikes; // total spike count
 * ```
 */
export function summarizeSpikes(data: SpikeData, options?: { perNeuron?: boolean }): SpikeSummary {
  const d = checkSpikeData("data", data);
  const o = checkOptions<{ perNeuron: boolean }>("options", options, ["perNeuron"]);
  const per = o.perNeuron === undefined ? false : checkBoolean("options.perNeuron", o.perNeuron);
  const n = d.nNeurons;
  const counts = new Float64Array(n);
  let first = Infinity;
  let last = -Infinity;
  let duration: number;
  if (d.kind === "spikes") {
    duration = d.duration;
    for (let i = 0; i < n; i++) {
      const t = d.times[i]!;
      counts[i] = t.length;
      if (t.length) {
        first = Math.min(first, t[0]!);
        last = Math.max(last, t[t.length - 1]!);
      }
    }
  } else {
    duration = d.nBins * d.binSize;
    for (let t = 0; t < d.nBins; t++) {
      for (let i = 0; i < n; i++) {
        const c = d.counts[t * n + i]!;
        if (c) {
          counts[i]! += c;
          if (t * d.binSize < first) first = t * d.binSize;
          last = t * d.binSize;
        }
      }
    }
  }
  const spikes = counts.reduce((a, b) => a + b, 0);
  const out: SpikeSummary = {
    kind: d.kind,
    neurons: n,
    spikes,
    duration,
    firstSpike: spikes ? first : null,
    lastSpike: spikes ? last : null,
    meanRate: n && duration > 0 ? spikes / n / duration : 0,
    source: d.provenance.source,
  };
  if (d.kind === "binned") out.binSize = d.binSize;
  if (per) out.perNeuron = Array.from(counts, (c, i) => ({ id: d.neuronIds[i]!, spikes: c }));
  return out;
}
