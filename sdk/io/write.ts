/**
 * Writers: spike data to CSV, JSON or NPY bytes, in layouts the readers read
 * back exactly (times printed as the shortest decimal that round-trips).
 *
 * @module
 */
import type { BinnedActivity, SpikeData, SpikeTrains } from "../types.js";
import { checkOneOf } from "../validate.js";
import { checkSpikeData } from "./check.js";
import { npyBytes } from "./npy.js";

/** Formats {@link writeSpikes} writes. */
export type WriteFormat = "csv" | "json" | "npy";

/** All events of spike trains, ordered by time, then neuron position. */
function events(s: SpikeTrains): { pos: Int32Array; time: Float64Array } {
  let m = 0;
  for (const t of s.times) m += t.length;
  const pos = new Int32Array(m);
  const time = new Float64Array(m);
  let q = 0;
  for (let i = 0; i < s.nNeurons; i++) for (const t of s.times[i]!) ((pos[q] = i), (time[q++] = t));
  const order = Int32Array.from({ length: m }, (_, k) => k).sort((a, b) => time[a]! - time[b]! || pos[a]! - pos[b]!);
  return { pos: Int32Array.from(order, (k) => pos[k]!), time: Float64Array.from(order, (k) => time[k]!) };
}

const enc = new TextEncoder();

function binnedRows(b: BinnedActivity): number[][] {
  return Array.from({ length: b.nBins }, (_, t) => Array.from(b.counts.subarray(t * b.nNeurons, (t + 1) * b.nNeurons)));
}

/**
 * Serialise spike data.
 *
 * - Spike trains: CSV `neuron,time` rows in time order (neuron = its id);
 *   JSON `{ spikeTimes, duration, unit: "s", neuronIds }`; NPY a 1-D structured
 *   array of (`neuron` int32, `time` float64) records in time order.
 * - Binned activity: CSV with a header `n<id>,…` and one row per bin;
 *   JSON `{ binned, binSize, neuronIds }`; NPY a 2-D int32 (bins × neurons) array.
 *
 * @param data - spike trains or binned activity
 * @param format - "csv", "json" or "npy"
 * @returns the file's bytes
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for data that is not spike data
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown format
 * @example
 * ```ts
 * const bytes = writeSpikes(simulateLIF({ duration: 1 }).spikes, "npy");
 * readSpikes(bytes); // the same spikes
 * ```
 */
export function writeSpikes(data: SpikeData, format: WriteFormat): Uint8Array {
  const d = checkSpikeData("data", data);
  const f = checkOneOf("format", format, ["csv", "json", "npy"] as const);
  if (d.kind === "spikes") {
    if (f === "json") {
      return enc.encode(
        JSON.stringify({
          spikeTimes: d.times.map((t) => Array.from(t)),
          duration: d.duration,
          unit: "s",
          neuronIds: Array.from(d.neuronIds),
        }),
      );
    }
    const { pos, time } = events(d);
    if (f === "csv") {
      const parts: string[] = ["neuron,time\n"];
      for (let k = 0; k < pos.length; k++) parts.push(`${d.neuronIds[pos[k]!]},${time[k]}\n`);
      return enc.encode(parts.join(""));
    }
    const rec = new Uint8Array(pos.length * 12);
    const dv = new DataView(rec.buffer);
    for (let k = 0; k < pos.length; k++) {
      dv.setInt32(k * 12, d.neuronIds[pos[k]!]!, true);
      dv.setFloat64(k * 12 + 4, time[k]!, true);
    }
    return npyBytes("[('neuron', '<i4'), ('time', '<f8')]", [pos.length], rec);
  }
  if (f === "json")
    return enc.encode(
      JSON.stringify({ binned: binnedRows(d), binSize: d.binSize, neuronIds: Array.from(d.neuronIds) }),
    );
  if (f === "csv") {
    const parts = [Array.from(d.neuronIds, (id) => `n${id}`).join(",") + "\n"];
    for (let t = 0; t < d.nBins; t++)
      parts.push(d.counts.subarray(t * d.nNeurons, (t + 1) * d.nNeurons).join(",") + "\n");
    return enc.encode(parts.join(""));
  }
  const raw = new Int32Array(d.counts);
  return npyBytes("'<i4'", [d.nBins, d.nNeurons], new Uint8Array(raw.buffer));
}
