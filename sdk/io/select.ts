/**
 * Unit selection and time windows, applied by {@link readSpikes} after any
 * reader: `units` (original ids, or `"good"`), `tStart` / `tStop` (seconds;
 * times and bins then start at tStart, so a session whose spikes begin at
 * 3,000 s is not binned from 0). Unit metadata and trials follow the
 * selection.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import type { BinnedActivity, SpikeData, SpikeTrains, TrialTable, UnitTable } from "../types.js";
import { formatError } from "./events.js";
import type { CheckedReadOptions } from "./options.js";

/** The columns that say whether a unit is good, in order of preference (manual curation first). */
const QUALITY_COLUMNS = ["group", "quality", "KSLabel"];

/** Positions (into neuronIds) of the units `units` selects. */
function pickUnits(d: SpikeData, units: readonly number[] | "good"): number[] {
  if (units === "good") {
    const col = QUALITY_COLUMNS.find((c) => d.units?.[c] !== undefined);
    if (!col) {
      throw formatError(
        { field: "units" },
        '`units: "good"` needs unit labels (Phy\'s cluster_group.tsv or cluster_KSLabel.tsv, or an NWB units `quality` column), and this file has none',
        d.provenance.name ?? d.provenance.source,
        ErrorCode.INVALID_DATA,
      );
    }
    const labels = d.units![col]!;
    const keep: number[] = [];
    labels.forEach((l, i) => {
      if (typeof l === "string" && l.trim().toLowerCase() === "good") keep.push(i);
    });
    if (keep.length === 0)
      throw formatError(
        { field: col },
        "no unit is labelled good",
        [...new Set(labels)].join(","),
        ErrorCode.INVALID_DATA,
      );
    return keep;
  }
  const pos = new Map<number, number>();
  d.neuronIds.forEach((id, i) => pos.set(id, i));
  const missing = units.filter((u) => !pos.has(u));
  if (missing.length > 0) {
    const have = Array.from(d.neuronIds.subarray(0, 12)).join(", ") + (d.nNeurons > 12 ? ", …" : "");
    throw formatError(
      { field: "units" },
      `unit id${missing.length > 1 ? "s" : ""} ${missing.slice(0, 8).join(", ")} not in the recording (its ids: ${have})`,
      missing[0],
      ErrorCode.INVALID_DATA,
    );
  }
  return [...new Set(units)].map((u) => pos.get(u)!).sort((a, b) => a - b);
}

function subsetUnits(t: UnitTable | undefined, keep: number[]): UnitTable | undefined {
  if (!t) return undefined;
  const out: Record<string, (string | number | null)[]> = {};
  for (const [k, v] of Object.entries(t)) out[k] = keep.map((i) => v[i] ?? null);
  return out;
}

function shiftTrials(tr: TrialTable | undefined, t0: number, t1: number): TrialTable | undefined {
  if (!tr) return undefined;
  const start: number[] = [];
  const stop: number[] = [];
  const label: (string | number)[] = [];
  for (let k = 0; k < tr.start.length; k++) {
    const a = Math.max(tr.start[k]!, t0);
    const b = Math.min(tr.stop[k]!, t1);
    if (b <= a) continue;
    start.push(a - t0);
    stop.push(b - t0);
    label.push(tr.label[k]!);
  }
  return { start, stop, label, labelColumn: tr.labelColumn };
}

/**
 * Apply `units`, `tStart` and `tStop` to spike data (a no-op when none is given).
 *
 * @param d - what a reader returned
 * @param o - checked reader options
 * @returns the selected units over the window, times shifted to start at tStart; provenance records the selection
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for ids not in the recording, `"good"` without labels, or a window outside the recording
 */
export function applySelection(d: SpikeData, o: CheckedReadOptions): SpikeData {
  if (o.units === undefined && o.tStart === undefined && o.tStop === undefined) return d;
  const keep = o.units === undefined ? Array.from({ length: d.nNeurons }, (_, i) => i) : pickUnits(d, o.units);
  const params = { ...(d.provenance.params ?? {}) };
  if (o.units !== undefined) params["units"] = o.units === "good" ? "good" : [...o.units];
  const neuronIds = Int32Array.from(keep, (i) => d.neuronIds[i]!);
  const units = subsetUnits(d.units, keep);
  const extra = { ...(units ? { units } : {}), ...(d.session ? { session: d.session } : {}) };
  if (d.kind === "spikes") {
    const t0 = o.tStart ?? 0;
    const end = o.tStop ?? d.duration;
    if (t0 >= d.duration && d.duration > 0) {
      throw formatError(
        { field: "tStart" },
        `at or after the end of the recording (${d.duration} s)`,
        t0,
        ErrorCode.INVALID_DATA,
      );
    }
    const t1 = end;
    const open = o.tStop === undefined; // no stop: keep up to and including the end
    const times = keep.map((i) => {
      const ts = d.times[i]!;
      let a = 0;
      while (a < ts.length && ts[a]! < t0) a++;
      let b = a;
      while (b < ts.length && (open || ts[b]! < t1)) b++;
      const out = new Float64Array(b - a);
      for (let q = a; q < b; q++) out[q - a] = ts[q]! - t0;
      return out;
    });
    if (o.tStart !== undefined) params["tStart"] = o.tStart;
    if (o.tStop !== undefined) params["tStop"] = o.tStop;
    const trials = shiftTrials(d.trials, t0, t1);
    const out: SpikeTrains = {
      kind: "spikes",
      nNeurons: keep.length,
      neuronIds,
      times,
      duration: t1 - t0,
      provenance: { ...d.provenance, params },
      ...extra,
      ...(trials ? { trials } : {}),
    };
    return out;
  }
  const b0 = o.tStart === undefined ? 0 : Math.floor(o.tStart / d.binSize + 1e-9);
  const b1 = o.tStop === undefined ? d.nBins : Math.min(d.nBins, Math.ceil(o.tStop / d.binSize - 1e-9));
  if (b0 >= b1)
    throw formatError(
      { field: "tStart" },
      `the window [${o.tStart ?? 0}, ${o.tStop ?? d.nBins * d.binSize}) s holds no bins of this recording (${d.nBins} bins of ${d.binSize} s)`,
      o.tStart ?? 0,
      ErrorCode.INVALID_DATA,
    );
  const T = b1 - b0;
  const n = keep.length;
  const counts = new Uint16Array(T * n);
  for (let t = 0; t < T; t++)
    for (let k = 0; k < n; k++) counts[t * n + k] = d.counts[(t + b0) * d.nNeurons + keep[k]!]!;
  if (o.tStart !== undefined) params["tStart"] = b0 * d.binSize;
  if (o.tStop !== undefined) params["tStop"] = b1 * d.binSize;
  const trials = shiftTrials(d.trials, b0 * d.binSize, b1 * d.binSize);
  const out: BinnedActivity = {
    kind: "binned",
    nBins: T,
    nNeurons: n,
    binSize: d.binSize,
    counts,
    neuronIds,
    provenance: { ...d.provenance, params },
    ...extra,
    ...(trials ? { trials } : {}),
  };
  return out;
}
