/**
 * The reader options as flags, the same on every command that reads spikes
 * (`inspect`, `infer`, `run`): format and layout, time unit and sample rate,
 * column names, orientation, window and unit selection.
 *
 * @module
 */
import { InvalidArgumentError, type Command } from "commander";
import { readFile } from "node:fs/promises";
import { DgrnFormatError, DgrnIOError, ErrorCode, type ReadOptions } from "../targets/node.js";
import { int, num } from "./util.js";
import { READ_KEYS } from "../io/options.js";

/** The flags' values as commander gives them. */
export type ReaderFlags = Pick<
  ReadOptions,
  | "format"
  | "layout"
  | "transpose"
  | "timeUnit"
  | "sampleRate"
  | "neuronColumn"
  | "timeColumn"
  | "delimiter"
  | "binSize"
  | "duration"
  | "nNeurons"
  | "tStart"
  | "tStop"
  | "trialLabel"
> & {
  /** `--units`: ids or "good" (as ReadOptions.units). */
  units?: number[] | "good";
  /** `--units-file`: a file of unit ids. */
  unitsFile?: string;
};

function oneOf<T extends string>(allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v))
      throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };
}

/** Parse `--units`: "good", or comma-separated integer ids. */
export function unitList(v: string): number[] | "good" {
  if (v.trim().toLowerCase() === "good") return "good";
  const parts = v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0 || parts.some((p) => !/^[+-]?\d+$/.test(p)))
    throw new InvalidArgumentError(`expected "good" or unit ids like 3,7,12, got "${v}"`);
  return parts.map(Number);
}

/**
 * Add the reader flags to a command.
 *
 * @param cmd - a commander command
 * @returns the command
 */
export function addReaderFlags(cmd: Command): Command {
  return cmd
    .option(
      "--format <fmt>",
      "csv | json | npy | nwb | phy (default: by extension; a folder is phy; then by content)",
      oneOf(["csv", "json", "npy", "nwb", "phy"] as const),
    )
    .option("--layout <layout>", "CSV/NPY: events | binned | auto", oneOf(["auto", "events", "binned"] as const))
    .option("--transpose", "binned input is neurons × bins (rows are neurons)")
    .option("--no-transpose", "binned input is bins × neurons even if it has more columns than rows")
    .option(
      "--time-unit <unit>",
      "event times in s, ms, us or samples (default: the column's suffix, e.g. time_ms, else s)",
      oneOf(["s", "ms", "us", "samples"] as const),
    )
    .option("--sample-rate <hz>", "sample rate for times in samples (a Phy folder's params.py gives its own)", num)
    .option("--neuron-column <name>", "CSV/NPY events: the unit id column")
    .option("--time-column <name>", "CSV/NPY events: the spike time column")
    .option("--delimiter <c>", "CSV delimiter (default: detected)")
    .option("--duration <s>", "recording duration (s) for event input", num)
    .option("--n-neurons <N>", "event input: ids are 0..N-1, silent ones kept", int)
    .option("--t-start <s>", "keep spikes from this time (s); bins start here", num)
    .option("--t-stop <s>", "keep spikes before this time (s)", num)
    .option("--units <ids>", "keep these unit ids (3,7,12) or `good` (Phy group/KSLabel, NWB quality)", unitList)
    .option("--units-file <file>", "keep the unit ids listed in this file (comma, space or newline separated)")
    .option(
      "--trial-label <col>",
      "NWB: the intervals/trials column that labels trials (default: the first string or integer column)",
    );
}

/** Unit ids from a file: integers separated by commas, whitespace or newlines; `#` comments and a one-word header allowed. */
export async function readUnitsFile(path: string): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new DgrnIOError(`cannot read --units-file \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
  const tokens = text
    .split("\n")
    .map((l) => l.replace(/#.*/, ""))
    .join(" ")
    .split(/[\s,;]+/)
    .filter((t) => t !== "");
  if (tokens.length > 0 && !/^[+-]?\d+$/.test(tokens[0]!)) tokens.shift();
  const bad = tokens.find((t) => !/^[+-]?\d+$/.test(t));
  if (bad !== undefined)
    throw new DgrnFormatError(`invalid input at \`${path}\`: not an integer unit id. Value: \`${bad}\`.`, {
      code: ErrorCode.INVALID_DATA,
      field: path,
    });
  if (tokens.length === 0)
    throw new DgrnFormatError(`invalid input at \`${path}\`: no unit ids.`, {
      code: ErrorCode.INVALID_DATA,
      field: path,
    });
  return tokens.map(Number);
}

/**
 * The {@link ReadOptions} the flags give (`binSize` is added by the caller, whose bin flag differs).
 *
 * @param f - the parsed flags
 * @returns reader options
 */
export async function readerOptions(f: ReaderFlags): Promise<ReadOptions> {
  const o: ReadOptions = {};
  // every reader option has a flag of the same name, except those set otherwise: `binSize` (by the
  // caller, whose bin flag differs), `units` (from --units or --units-file), `header`, `maxBytes`, `name`
  const set = new Set(["binSize", "units", "header", "maxBytes", "name"]);
  const copy = READ_KEYS.filter((k) => !set.has(k)) as Exclude<
    (typeof READ_KEYS)[number],
    "binSize" | "units" | "header" | "maxBytes" | "name"
  >[];
  for (const k of copy) if (f[k] !== undefined) (o as Record<string, unknown>)[k] = f[k];
  if (f.units !== undefined && f.unitsFile !== undefined)
    throw new InvalidArgumentError("--units and --units-file exclude each other");
  if (f.units !== undefined) o.units = f.units;
  if (f.unitsFile !== undefined) o.units = await readUnitsFile(f.unitsFile);
  return o;
}
