/**
 * Options of the readers, checked once.
 *
 * @module
 */
import { checkInteger, checkNumber, checkOneOf, checkOptions, checkBoolean, message } from "../validate.js";
import { DgrnRangeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { LIMITS } from "../limits.js";
import type { TimeUnit } from "./columns.js";

/** Formats {@link readSpikes} reads. `"phy"` is a Kilosort/Phy output folder. */
export type SpikeFormat = "csv" | "json" | "npy" | "nwb" | "phy";

/** Options of {@link readSpikes}. */
export interface ReadOptions {
  /** File format; by default from the file name's extension (a directory is a Phy folder), else from the bytes (NPY and HDF5 magic, a leading `{`), else CSV. */
  format?: SpikeFormat;
  /**
   * CSV and NPY: `"events"` (one spike per row: neuron, time), `"binned"` (rows
   * = time bins, columns = neurons; see `transpose`) or `"auto"` (default; see docs/data.md).
   */
  layout?: "auto" | "events" | "binned";
  /** Binned input: the matrix is neurons × bins (true) or bins × neurons (false). Unset: bins × neurons, and a matrix with more neurons than bins is an error. */
  transpose?: boolean;
  /**
   * Unit of event times in CSV and NPY: `"s"`, `"ms"`, `"us"` or `"samples"`
   * (needs `sampleRate`). Default: the unit suffix of the time column
   * (`time_ms`), else seconds (and implausible durations are errors). JSON says its own in `"unit"`.
   */
  timeUnit?: TimeUnit;
  /** Sample rate in Hz, for times in samples (a Phy folder's params.py states its own). */
  sampleRate?: number;
  /** CSV/NPY events: the name of the unit id column (default: any of neuron, neuron_id, unit, unit_id, cluster, cluster_id, id). */
  neuronColumn?: string;
  /** CSV/NPY events: the name of the time column (default: any of time, t, spike_time, spike_times, timestamp, …). */
  timeColumn?: string;
  /** CSV: whether the first row is a header; by default, when any of its fields is not a number. */
  header?: boolean;
  /** CSV: field delimiter (one character); by default detected. */
  delimiter?: string;
  /** Bin width in seconds for binned input that does not state one (default 0.01). */
  binSize?: number;
  /** Recording duration in seconds for event input (default: the last spike). */
  duration?: number;
  /** Number of neurons for event input: ids are then 0 … nNeurons−1 and silent ones are kept (default: the distinct ids in the data). */
  nNeurons?: number;
  /** Keep only spikes in [tStart, tStop) seconds; times (and bins) then start at tStart. */
  tStart?: number;
  /** See `tStart` (default: the end of the recording). */
  tStop?: number;
  /** Keep only these units: original ids, or `"good"` (Phy's cluster_group / KSLabel, NWB's quality column). */
  units?: readonly number[] | "good";
  /** NWB: the column of `intervals/trials` whose values label the trials (default: the first string or integer column). */
  trialLabel?: string;
  /** Largest decoded size in bytes a reader may allocate (default 2 GiB); a bigger request is `ERR_OUT_OF_MEMORY` at once. */
  maxBytes?: number;
  /** Name recorded in the provenance (default: the path, or "bytes"). */
  name?: string;
}

export const READ_KEYS = [
  "format",
  "layout",
  "transpose",
  "timeUnit",
  "sampleRate",
  "neuronColumn",
  "timeColumn",
  "header",
  "delimiter",
  "binSize",
  "duration",
  "nNeurons",
  "tStart",
  "tStop",
  "units",
  "trialLabel",
  "maxBytes",
  "name",
] as const;

/** Default bin width (s) for binned input that does not state one. */
export const DEFAULT_BIN_SIZE = 0.01;

/** Default of {@link ReadOptions.maxBytes}: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 ** 31;

/** {@link ReadOptions} after checking: `layout` and `maxBytes` resolved to their defaults; `timeUnit` is the caller's (undefined: from the header, else seconds). */
export type CheckedReadOptions = Omit<ReadOptions, "layout" | "maxBytes"> &
  Required<Pick<ReadOptions, "layout" | "maxBytes">>;

function str(name: string, v: unknown): string {
  if (typeof v !== "string" || v.trim() === "") throw new DgrnTypeError(message(name, "a non-empty string", v));
  return v;
}

export function checkReadOptions(options: unknown): CheckedReadOptions {
  const o = checkOptions<ReadOptions>("options", options, READ_KEYS);
  const out: CheckedReadOptions = {
    layout:
      o.layout === undefined ? "auto" : checkOneOf("options.layout", o.layout, ["auto", "events", "binned"] as const),
    maxBytes: o.maxBytes === undefined ? DEFAULT_MAX_BYTES : checkNumber("options.maxBytes", o.maxBytes, { min: 1 }),
  };
  if (o.timeUnit !== undefined)
    out.timeUnit = checkOneOf("options.timeUnit", o.timeUnit, ["s", "ms", "us", "samples"] as const);
  if (o.format !== undefined)
    out.format = checkOneOf("options.format", o.format, ["csv", "json", "npy", "nwb", "phy"] as const);
  if (o.transpose !== undefined) out.transpose = checkBoolean("options.transpose", o.transpose);
  if (o.header !== undefined) out.header = checkBoolean("options.header", o.header);
  if (o.delimiter !== undefined) {
    if (typeof o.delimiter !== "string" || o.delimiter.length !== 1)
      throw new DgrnTypeError(message("options.delimiter", "a one-character string", o.delimiter));
    out.delimiter = o.delimiter;
  }
  if (o.sampleRate !== undefined)
    out.sampleRate = checkNumber("options.sampleRate", o.sampleRate, { min: 0, minExclusive: true });
  if (o.neuronColumn !== undefined) out.neuronColumn = str("options.neuronColumn", o.neuronColumn);
  if (o.timeColumn !== undefined) out.timeColumn = str("options.timeColumn", o.timeColumn);
  if (o.trialLabel !== undefined) out.trialLabel = str("options.trialLabel", o.trialLabel);
  if (o.binSize !== undefined) out.binSize = checkNumber("options.binSize", o.binSize, { min: 0, minExclusive: true });
  if (o.duration !== undefined) out.duration = checkNumber("options.duration", o.duration, { min: 0 });
  if (o.nNeurons !== undefined)
    out.nNeurons = checkInteger("options.nNeurons", o.nNeurons, { min: 1, max: LIMITS.neurons });
  if (o.tStart !== undefined) out.tStart = checkNumber("options.tStart", o.tStart, { min: 0 });
  if (o.tStop !== undefined)
    out.tStop = checkNumber("options.tStop", o.tStop, { min: out.tStart ?? 0, minExclusive: true });
  if (o.units !== undefined) {
    if (o.units === "good") out.units = "good";
    else if (Array.isArray(o.units)) {
      if (o.units.length === 0)
        throw new DgrnRangeError(
          message("options.units", 'a non-empty list of unit ids, or "good"', o.units),
          ErrorCode.INVALID_OPTION,
        );
      out.units = o.units.map((u, i) => checkInteger(`options.units[${i}]`, u, { min: -(2 ** 31), max: 2 ** 31 - 1 }));
    } else throw new DgrnTypeError(message("options.units", 'an array of unit ids, or "good"', o.units));
  }
  if (o.name !== undefined) {
    if (typeof o.name !== "string") throw new DgrnTypeError(message("options.name", "a string", o.name));
    out.name = o.name;
  }
  return out;
}

/** Reader options as recorded in provenance (only what was given or decided). */
export function provenanceParams(o: CheckedReadOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o))
    if (v !== undefined && k !== "name" && !(k === "maxBytes" && v === DEFAULT_MAX_BYTES)) p[k] = v;
  return { ...p, ...extra };
}
