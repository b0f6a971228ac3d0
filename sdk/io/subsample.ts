/**
 * Subsampling: what a recording sees of a network.
 *
 * @module
 */
import { DgrnRangeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import type { BinaryStates, BinnedActivity, SpikeTrains } from "../types.js";
import { checkInteger, checkNumber, checkOptions, checkSeed, message } from "../validate.js";
import { checkBinned, checkSpikeTrains, checkStates } from "./check.js";

/** Options of {@link subsample}: exactly one of `fraction` and `neurons`. */
export interface SubsampleOptions {
  /** Observed fraction f in (0, 1]: round(f·n) neurons (at least one), chosen by a seeded permutation. */
  fraction?: number;
  /** Explicit neuron ids to keep (values of the input's `neuronIds`, each once). */
  neurons?: readonly number[] | Int32Array;
  /** Seed of the random choice (default 1). */
  seed?: number;
}

/** Positions kept, ascending. */
function choose(n: number, ids: Int32Array | undefined, o: Partial<SubsampleOptions>): Int32Array {
  if ((o.fraction === undefined) === (o.neurons === undefined)) {
    throw new DgrnRangeError(
      "invalid argument. `options` must give exactly one of `fraction` and `neurons`.",
      ErrorCode.INVALID_OPTION,
    );
  }
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  if (o.fraction !== undefined) {
    const f = checkNumber("options.fraction", o.fraction, { min: 0, max: 1, minExclusive: true });
    const m = n === 0 ? 0 : Math.max(1, Math.round(f * n));
    const k = getKernel();
    const perm = k.scope((s) => {
      const st = s.rng(seed, 0);
      const p = s.i32(n);
      k.exports.rngPermutation(st, n, p);
      return k.readI32(p, n);
    });
    return perm.subarray(0, m).sort();
  }
  const list = o.neurons;
  if (!Array.isArray(list) && !(list instanceof Int32Array))
    throw new DgrnTypeError(message("options.neurons", "an array of neuron ids", list));
  const where = new Map<number, number>();
  for (let i = 0; i < n; i++) where.set(ids ? ids[i]! : i, i);
  const seen = new Set<number>();
  const pos = new Int32Array(list.length);
  for (let q = 0; q < list.length; q++) {
    const id = checkInteger(`options.neurons[${q}]`, list[q]);
    const p = where.get(id);
    if (p === undefined)
      throw new DgrnRangeError(
        message(`options.neurons[${q}]`, "a neuron id present in the data", id),
        ErrorCode.INVALID_DATA,
      );
    if (seen.has(id))
      throw new DgrnRangeError(message(`options.neurons[${q}]`, "listed once", id), ErrorCode.INVALID_DATA);
    seen.add(id);
    pos[q] = p;
  }
  return pos.sort();
}

/**
 * Keep a subset of the neurons, as a recording would: a seeded fraction
 * (`fraction`, with `seed`) or an explicit list of ids (`neurons`). The result
 * is the same kind as the input, the kept neurons in their input order, their
 * original ids carried in `neuronIds`.
 *
 * @param data - spike trains, binned activity or binary states
 * @param options - `fraction` or `neurons`, and `seed` (default 1)
 * @returns a new value of the same kind (the input is not modified)
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for input of an unknown kind or a non-array `neurons`
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a fraction outside (0, 1]; `ERR_INVALID_OPTION` unless exactly one of `fraction` and `neurons` is given; `ERR_INVALID_DATA` for an unknown or repeated id
 * @example
 * ```ts
 * const half = subsample(spikes, { fraction: 0.5, seed: 1 });
 * const some = subsample(spikes, { neurons: [0, 5, 9] });
 * ```
 */
export function subsample<D extends SpikeTrains | BinnedActivity | BinaryStates>(
  data: D,
  options: SubsampleOptions,
): D {
  const o = checkOptions<SubsampleOptions>("options", options, ["fraction", "neurons", "seed"]);
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === "spikes") {
    const d = checkSpikeTrains("data", data);
    const keep = choose(d.nNeurons, d.neuronIds, o);
    const neuronIds = Int32Array.from(keep, (p) => d.neuronIds[p]!);
    const times = Array.from(keep, (p) => d.times[p]!.slice());
    return {
      kind: "spikes",
      nNeurons: keep.length,
      neuronIds,
      times,
      duration: d.duration,
      provenance: { ...d.provenance },
    } as SpikeTrains as D;
  }
  if (kind === "binned") {
    const d = checkBinned("data", data);
    const keep = choose(d.nNeurons, d.neuronIds, o);
    const m = keep.length;
    const counts = new Uint16Array(d.nBins * m);
    for (let t = 0; t < d.nBins; t++)
      for (let j = 0; j < m; j++) counts[t * m + j] = d.counts[t * d.nNeurons + keep[j]!]!;
    const neuronIds = Int32Array.from(keep, (p) => d.neuronIds[p]!);
    return {
      kind: "binned",
      nBins: d.nBins,
      nNeurons: m,
      binSize: d.binSize,
      counts,
      neuronIds,
      provenance: { ...d.provenance },
    } as BinnedActivity as D;
  }
  const d = checkStates("data", data);
  const keep = choose(d.n, d.neuronIds, o);
  const m = keep.length;
  const out = new Uint8Array(d.T * m);
  for (let t = 0; t < d.T; t++) for (let j = 0; j < m; j++) out[t * m + j] = d.data[t * d.n + keep[j]!]!;
  const neuronIds = Int32Array.from(keep, (p) => (d.neuronIds ? d.neuronIds[p]! : p));
  return { T: d.T, n: m, data: out, neuronIds } as BinaryStates as D;
}
