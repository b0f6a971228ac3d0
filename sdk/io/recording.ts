/**
 * What the pipeline takes from a recording besides its spikes: trial labels
 * for decoding, unit metadata and session fields for results.json, warnings
 * about the recording, and the `input: { file, … }` form of a run config.
 * Kept here so sdk/pipeline/run.ts calls it in a few lines.
 *
 * @module
 */
import { DgrnTypeError, ErrorCode, DgrnRangeError } from "../errors.js";
import type { SpikeData, StimulusInterval, TrialTable } from "../types.js";
import { message } from "../validate.js";
import { READ_KEYS, type ReadOptions } from "./options.js";

/** The `input` of a run config given as a file and reader options (resolved by the CLI, which has a file system). */
export interface InputSpec extends ReadOptions {
  /** Path of the recording (a file, or a Phy folder), relative to the config file. */
  file: string;
}

/** Whether a config's `input` is a file spec rather than spike data. */
export function isInputSpec(v: unknown): v is InputSpec {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as { file?: unknown }).file === "string" &&
    (v as { kind?: unknown }).kind === undefined
  );
}

/**
 * The reader options of an input spec (every key but `file` must be a reader option).
 *
 * @param spec - `{ file, format, timeUnit, … }`
 * @returns the path and the {@link ReadOptions}
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown key
 * @example
 * ```ts
 * inputSpecOptions({ file: "rec.csv", timeUnit: "ms" }); // { file: "rec.csv", options: { timeUnit: "ms" } }
 * ```
 */
export function inputSpecOptions(spec: unknown): { file: string; options: ReadOptions } {
  if (!isInputSpec(spec))
    throw new DgrnTypeError(message("config.input", "spike data, or { file, …reader options }", spec));
  const { file, ...rest } = spec;
  for (const k of Object.keys(rest)) {
    if (!(READ_KEYS as readonly string[]).includes(k)) {
      throw new DgrnRangeError(
        `invalid argument. \`config.input\` has an unknown option \`${k}\`; expected \`file\` or one of ${READ_KEYS.map((a) => `\`${a}\``).join(", ")}.`,
        ErrorCode.INVALID_OPTION,
      );
    }
  }
  return { file, options: rest as ReadOptions };
}

/**
 * Trials as stimulus intervals: each distinct label (sorted: numbers, then strings) is one class 0…k−1.
 *
 * @param trials - the recording's trial table
 * @returns the intervals (cluster = class index) and the label of each class
 * @example
 * ```ts
 * trialIntervals({ start: [0, 2], stop: [1, 3], label: ["up", "down"], labelColumn: "stimulus" }).classes; // ["down", "up"]
 * ```
 */
export function trialIntervals(trials: TrialTable): { intervals: StimulusInterval[]; classes: (string | number)[] } {
  const classes = [...new Set(trials.label)].sort((a, b) =>
    typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === "number" ? -1 : 1,
  );
  const index = new Map(classes.map((c, i) => [c, i]));
  const intervals = trials.start.map((start, k) => ({
    start,
    end: trials.stop[k]!,
    cluster: index.get(trials.label[k]!)!,
  }));
  return { intervals, classes };
}

/**
 * The recording's metadata for results.json `data`: the observed units' metadata
 * columns (in `observed` order), the trials' summary and the session fields.
 *
 * @param d - the recording
 * @param observed - original ids of the observed neurons
 * @returns fields to add to `data` (empty for a simulation)
 */
export function recordingFields(d: SpikeData, observed: ArrayLike<number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.session)
    out["session"] = {
      identifier: d.session.identifier ?? null,
      description: d.session.description ?? null,
      startTime: d.session.startTime ?? null,
    };
  if (d.units) {
    const pos = new Map<number, number>();
    d.neuronIds.forEach((id, i) => pos.set(id, i));
    const units: Record<string, (string | number | null)[]> = {};
    for (const [k, v] of Object.entries(d.units)) units[k] = Array.from(observed, (id) => v[pos.get(id) ?? -1] ?? null);
    out["units"] = units;
  }
  if (d.trials) {
    const { classes } = trialIntervals(d.trials);
    out["trials"] = { count: d.trials.start.length, labelColumn: d.trials.labelColumn, classes };
  }
  return out;
}

/**
 * Warnings a user must see about a recording: most of it empty before the
 * first spike (a session that starts late, binned from 0).
 *
 * @param d - the recording
 * @returns warning strings (possibly none)
 */
export function recordingWarnings(d: SpikeData): string[] {
  const out: string[] = [];
  if (d.kind !== "spikes" || d.duration <= 0) return out;
  let first = Infinity;
  for (const t of d.times) if (t.length > 0 && t[0]! < first) first = t[0]!;
  if (Number.isFinite(first) && first / d.duration > 0.25) {
    out.push(
      `the first spike is at ${first} s: ${((100 * first) / d.duration).toFixed(0)} % of the recording is empty before it; pass --t-start ${Math.floor(first)} (tStart) to start the bins there`,
    );
  }
  return out;
}
