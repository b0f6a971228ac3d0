/**
 * Column names the readers recognise (CSV headers, NPY structured fields), and
 * time units: one table, so every reader accepts the same names.
 *
 * A unit column is any of {@link UNIT_COLUMNS}; a time column any of
 * {@link TIME_COLUMNS}, optionally with a unit suffix (`_s`, `_sec`, `_ms`,
 * `_us`, `_samples`, …) that sets the time unit: `time_ms`, `t_ms`,
 * `spike_time_samples`, `timestamp_s`. Matching ignores case.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import { formatError } from "./events.js";

/** Time units of event times. */
export type TimeUnit = "s" | "ms" | "us" | "samples";

/** Accepted names of the unit (neuron) id column. */
export const UNIT_COLUMNS = [
  "neuron",
  "neuron_id",
  "neurons",
  "unit",
  "unit_id",
  "units",
  "cluster",
  "cluster_id",
  "clusters",
  "id",
  "ids",
  "cell",
  "cell_id",
  "channel_unit",
] as const;

/** Accepted names of the spike time column (before any unit suffix). */
export const TIME_COLUMNS = [
  "time",
  "times",
  "t",
  "spike_time",
  "spike_times",
  "spiketime",
  "spiketimes",
  "timestamp",
  "timestamps",
  "ts",
  "spike_t",
] as const;

const SUFFIX: Record<string, TimeUnit> = {
  s: "s",
  sec: "s",
  secs: "s",
  seconds: "s",
  second: "s",
  ms: "ms",
  msec: "ms",
  millis: "ms",
  milliseconds: "ms",
  us: "us",
  usec: "us",
  µs: "us",
  microseconds: "us",
  samples: "samples",
  sample: "samples",
  smp: "samples",
  samp: "samples",
};

/** What a column name says: a unit id column, a time column (with its unit, if the name has a suffix), or neither. */
export function classifyColumn(name: string): { kind: "unit" } | { kind: "time"; unit?: TimeUnit } | null {
  let s = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  // "time (ms)", "time[ms]" → "time_ms"
  s = s.replace(/[([]\s*([a-zµ]+)\s*[)\]]$/, "_$1").replace(/__+/g, "_");
  if ((UNIT_COLUMNS as readonly string[]).includes(s)) return { kind: "unit" };
  if ((TIME_COLUMNS as readonly string[]).includes(s)) return { kind: "time" };
  const m = /^(.*?)_([a-zµ]+)$/.exec(s);
  if (m && (TIME_COLUMNS as readonly string[]).includes(m[1]!) && SUFFIX[m[2]!])
    return { kind: "time", unit: SUFFIX[m[2]!]! };
  return null;
}

/** The accepted names, for error messages. */
export function acceptedNames(): string {
  return `unit column: ${UNIT_COLUMNS.join(", ")}; time column: ${TIME_COLUMNS.join(", ")} (optionally with a unit suffix _s, _ms, _us or _samples)`;
}

/**
 * Find the unit and time columns among names (explicit choices first).
 *
 * @returns the indices (−1 when absent), the time unit a suffix names, and whether the choice is ambiguous
 */
export function findEventColumns(
  names: readonly string[],
  o: { neuronColumn?: string; timeColumn?: string },
  where: { row?: number },
): { unit: number; time: number; suffixUnit?: TimeUnit } {
  const lower = names.map((n) => n.trim().toLowerCase());
  const pick = (want: string | undefined, what: string): number => {
    if (want === undefined) return -1;
    const k = lower.indexOf(want.trim().toLowerCase());
    if (k < 0)
      throw formatError(
        { ...where, field: want },
        `no ${what} column of that name; the header has ${names.join(", ")}`,
        want,
      );
    return k;
  };
  let unit = pick(o.neuronColumn, "neuron");
  let time = pick(o.timeColumn, "time");
  const kinds = names.map(classifyColumn);
  const units = kinds.flatMap((c, i) => (c?.kind === "unit" ? [i] : []));
  const times = kinds.flatMap((c, i) => (c?.kind === "time" ? [i] : []));
  if (unit < 0 && units.length > 1) {
    throw formatError(
      { ...where, field: names[units[1]!] },
      `more than one unit id column (${units.map((i) => names[i]).join(", ")}); choose one with --neuron-column`,
      names.join(","),
    );
  }
  if (time < 0 && times.length > 1) {
    throw formatError(
      { ...where, field: names[times[1]!] },
      `more than one time column (${times.map((i) => names[i]).join(", ")}); choose one with --time-column`,
      names.join(","),
    );
  }
  if (unit < 0 && units.length === 1) unit = units[0]!;
  if (time < 0 && times.length === 1) time = times[0]!;
  const c = time >= 0 ? classifyColumn(names[time]!) : null;
  const suffixUnit = c?.kind === "time" ? c.unit : undefined;
  return suffixUnit ? { unit, time, suffixUnit } : { unit, time };
}

/**
 * The divisor that turns times in `unit` into seconds.
 *
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for samples without a sample rate
 */
export function secondsDivisor(unit: TimeUnit, sampleRate: number | undefined, field: string): number {
  switch (unit) {
    case "s":
      return 1;
    case "ms":
      return 1000;
    case "us":
      return 1e6;
    default:
      if (sampleRate === undefined) {
        throw formatError(
          { field },
          "times in samples need a sample rate: pass `sampleRate` (--sample-rate HZ)",
          field,
          ErrorCode.INVALID_DATA,
        );
      }
      return sampleRate;
  }
}
