/**
 * Validation of the data types that enter the pipeline (sdk/types.ts), shared
 * by binning, subsampling and the writers.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import type { BinaryStates, BinnedActivity, SpikeData, SpikeTrains } from "../types.js";
import { checkInteger, checkNumber, message } from "../validate.js";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object";
}

function checkIds(name: string, ids: unknown, n: number): Int32Array {
  if (!(ids instanceof Int32Array)) throw new DgrnTypeError(message(name, "an Int32Array", ids));
  if (ids.length !== n) throw new DgrnShapeError(message(`${name}.length`, `${n}`, ids.length));
  return ids;
}

/**
 * Check a {@link SpikeTrains} value (shape, sorted finite times within [0, duration]).
 *
 * @param name - the argument's name, for messages
 * @param v - the value
 * @returns `v`, typed
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE`; {@link DgrnShapeError} `ERR_SHAPE_MISMATCH`; {@link DgrnRangeError} `ERR_NOT_FINITE` or `ERR_INVALID_DATA`
 * @example
 * ```ts
 * checkSpikeTrains("data", simulateLIF({ duration: 1 }).spikes);
 * ```
 */
export function checkSpikeTrains(name: string, v: unknown): SpikeTrains {
  if (!isObject(v) || v["kind"] !== "spikes")
    throw new DgrnTypeError(message(name, 'spike trains ({ kind: "spikes", … })', v));
  const n = checkInteger(`${name}.nNeurons`, v["nNeurons"], { min: 0 });
  checkIds(`${name}.neuronIds`, v["neuronIds"], n);
  const duration = checkNumber(`${name}.duration`, v["duration"], { min: 0 });
  const times = v["times"];
  if (!Array.isArray(times)) throw new DgrnTypeError(message(`${name}.times`, "an array of Float64Array", times));
  if (times.length !== n) throw new DgrnShapeError(message(`${name}.times.length`, `${n}`, times.length));
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (!(t instanceof Float64Array)) throw new DgrnTypeError(message(`${name}.times[${i}]`, "a Float64Array", t));
    let prev = 0;
    for (let q = 0; q < t.length; q++) {
      const x = t[q]!;
      if (!Number.isFinite(x))
        throw new DgrnRangeError(message(`${name}.times[${i}][${q}]`, "a finite number", x), ErrorCode.NOT_FINITE);
      if (x < prev || x > duration) {
        throw new DgrnRangeError(
          message(`${name}.times[${i}][${q}]`, `sorted and in [0, duration = ${duration}]`, x),
          ErrorCode.INVALID_DATA,
        );
      }
      prev = x;
    }
  }
  return v as unknown as SpikeTrains;
}

/**
 * Check a {@link BinnedActivity} value (shape, Uint16Array counts, ids).
 *
 * @param name - the argument's name, for messages
 * @param v - the value
 * @returns `v`, typed
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE`; {@link DgrnShapeError} `ERR_SHAPE_MISMATCH`; {@link DgrnRangeError} for a bad bin size
 * @example
 * ```ts
 * checkBinned("b", binSpikes(spikes, { binSize: 0.01 }));
 * ```
 */
export function checkBinned(name: string, v: unknown): BinnedActivity {
  if (!isObject(v) || v["kind"] !== "binned")
    throw new DgrnTypeError(message(name, 'binned activity ({ kind: "binned", … })', v));
  const T = checkInteger(`${name}.nBins`, v["nBins"], { min: 0 });
  const n = checkInteger(`${name}.nNeurons`, v["nNeurons"], { min: 0 });
  checkNumber(`${name}.binSize`, v["binSize"], { min: 0, minExclusive: true });
  const c = v["counts"];
  if (!(c instanceof Uint16Array)) throw new DgrnTypeError(message(`${name}.counts`, "a Uint16Array", c));
  if (c.length !== T * n)
    throw new DgrnShapeError(message(`${name}.counts.length`, `nBins * nNeurons = ${T * n}`, c.length));
  checkIds(`${name}.neuronIds`, v["neuronIds"], n);
  return v as unknown as BinnedActivity;
}

/**
 * Check {@link BinaryStates} (shape, Uint8Array data, ids if present).
 *
 * @param name - the argument's name, for messages
 * @param v - the value
 * @returns `v`, typed
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE`; {@link DgrnShapeError} `ERR_SHAPE_MISMATCH`
 * @example
 * ```ts
 * checkStates("states", binarize(b));
 * ```
 */
export function checkStates(name: string, v: unknown, shape: { minT?: number; minN?: number } = {}): BinaryStates {
  if (!isObject(v) || !("data" in v) || !("T" in v))
    throw new DgrnTypeError(message(name, "binary states { T, n, data: Uint8Array }", v));
  const T = checkInteger(`${name}.T`, v["T"], { min: shape.minT ?? 0 });
  const n = checkInteger(`${name}.n`, v["n"], { min: shape.minN ?? 0 });
  const d = v["data"];
  if (!(d instanceof Uint8Array)) throw new DgrnTypeError(message(`${name}.data`, "a Uint8Array", d));
  if (d.length !== T * n) throw new DgrnShapeError(message(`${name}.data.length`, `T * n = ${T * n}`, d.length));
  for (let i = 0; i < d.length; i++) {
    if (d[i]! > 1) throw new DgrnRangeError(message(`${name}.data[${i}]`, "0 or 1", d[i]), ErrorCode.INVALID_DATA);
  }
  if (v["neuronIds"] !== undefined) checkIds(`${name}.neuronIds`, v["neuronIds"], n);
  return v as unknown as BinaryStates;
}

/** {@link checkStates} with at least one bin and one unit (what a model of the states needs). */
export function checkNonEmptyStates(name: string, v: unknown): BinaryStates {
  return checkStates(name, v, { minT: 1, minN: 1 });
}

/**
 * Check either kind of {@link SpikeData}.
 *
 * @param name - the argument's name, for messages
 * @param v - the value
 * @returns `v`, typed
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when it is neither kind; the errors of the kind's check
 * @example
 * ```ts
 * checkSpikeData("data", readSpikes(bytes));
 * ```
 */
export function checkSpikeData(name: string, v: unknown): SpikeData {
  if (isObject(v) && v["kind"] === "binned") return checkBinned(name, v);
  if (isObject(v) && v["kind"] === "spikes") return checkSpikeTrains(name, v);
  throw new DgrnTypeError(message(name, 'spike data ({ kind: "spikes" | "binned", … })', v));
}
