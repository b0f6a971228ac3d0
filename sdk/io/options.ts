/**
 * Options of the readers, checked once.
 *
 * @module
 */
import { checkInteger, checkNumber, checkOneOf, checkOptions, checkBoolean, message } from "../validate.js";
import { DgrnTypeError } from "../errors.js";
import { LIMITS } from "../limits.js";

/** Formats {@link readSpikes} reads. */
export type SpikeFormat = "csv" | "json" | "npy" | "nwb";

/** Options of {@link readSpikes}. */
export interface ReadOptions {
  /** File format; by default from the file name's extension, else from the bytes (NPY and HDF5 magic, a leading `{`), else CSV. */
  format?: SpikeFormat;
  /**
   * CSV and NPY: `"events"` (one spike per row: neuron, time), `"binned"` (rows
   * = time bins, columns = neurons) or `"auto"` (default; see docs/data.md).
   */
  layout?: "auto" | "events" | "binned";
  /** Unit of event times in CSV and NPY (`"s"` default, or `"ms"`); JSON says its own in `"unit"`. */
  timeUnit?: "s" | "ms";
  /** CSV: whether the first row is a header; by default, when any of its fields is not a number. */
  header?: boolean;
  /** CSV: field delimiter (one character); by default detected. */
  delimiter?: string;
  /** Bin width in seconds for binned input that does not state one (default 0.01). */
  binSize?: number;
  /** Recording duration in seconds for event input (default: the last spike). */
  duration?: number;
  /** Number of neurons for event input (default: largest id + 1; ids must be below it). */
  nNeurons?: number;
  /** Name recorded in the provenance (default: the path, or "bytes"). */
  name?: string;
}

export const READ_KEYS = ["format", "layout", "timeUnit", "header", "delimiter", "binSize", "duration", "nNeurons", "name"] as const;

/** Default bin width (s) for binned input that does not state one. */
export const DEFAULT_BIN_SIZE = 0.01;

export interface CheckedReadOptions {
  format?: SpikeFormat;
  layout: "auto" | "events" | "binned";
  timeUnit: "s" | "ms";
  header?: boolean;
  delimiter?: string;
  binSize?: number;
  duration?: number;
  nNeurons?: number;
  name?: string;
}

export function checkReadOptions(options: unknown): CheckedReadOptions {
  const o = checkOptions<ReadOptions>("options", options, READ_KEYS);
  const out: CheckedReadOptions = {
    layout: o.layout === undefined ? "auto" : checkOneOf("options.layout", o.layout, ["auto", "events", "binned"] as const),
    timeUnit: o.timeUnit === undefined ? "s" : checkOneOf("options.timeUnit", o.timeUnit, ["s", "ms"] as const),
  };
  if (o.format !== undefined) out.format = checkOneOf("options.format", o.format, ["csv", "json", "npy", "nwb"] as const);
  if (o.header !== undefined) out.header = checkBoolean("options.header", o.header);
  if (o.delimiter !== undefined) {
    if (typeof o.delimiter !== "string" || o.delimiter.length !== 1) throw new DgrnTypeError(message("options.delimiter", "a one-character string", o.delimiter));
    out.delimiter = o.delimiter;
  }
  if (o.binSize !== undefined) out.binSize = checkNumber("options.binSize", o.binSize, { min: 0, minExclusive: true });
  if (o.duration !== undefined) out.duration = checkNumber("options.duration", o.duration, { min: 0 });
  if (o.nNeurons !== undefined) out.nNeurons = checkInteger("options.nNeurons", o.nNeurons, { min: 1, max: LIMITS.neurons });
  if (o.name !== undefined) {
    if (typeof o.name !== "string") throw new DgrnTypeError(message("options.name", "a string", o.name));
    out.name = o.name;
  }
  return out;
}

/** Reader options as recorded in provenance (only what was given or decided). */
export function provenanceParams(o: CheckedReadOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== "name") p[k] = v;
  return { ...p, ...extra };
}
