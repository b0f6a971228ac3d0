/**
 * Kilosort / Phy output folders: `spike_times.npy` (sample indices, uint64),
 * `spike_clusters.npy` (one cluster id per spike, uint32; Kilosort's
 * `spike_templates.npy` when there is no clusters file), `params.py`
 * (`sample_rate = 30000.0`), and the unit labels `cluster_group.tsv` (Phy's
 * manual curation) and `cluster_KSLabel.tsv` (Kilosort's automatic labels)
 * when present. Cluster ids are labels: 168 clusters numbered up to 418 give
 * 168 neurons whose `neuronIds` are the cluster ids. Labels go to
 * `units.group` and `units.KSLabel`; `units: "good"` keeps the units whose
 * group (else KSLabel) is good.
 *
 * The folder's files arrive as bytes ({@link readPhyFiles}), so the same code
 * serves a path (Node: `readSpikes("sorting/")`) and a browser's dropped files.
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import type { SpikeTrains } from "../types.js";
import { EventsBuilder, formatError } from "./events.js";
import { readNpyArray } from "./npy.js";
import { provenanceParams, type CheckedReadOptions } from "./options.js";

/** The files of a Phy folder, as bytes or text. */
export interface PhyFiles {
  /** spike_times.npy */
  spikeTimes: Uint8Array;
  /** spike_clusters.npy (or spike_templates.npy) */
  spikeClusters: Uint8Array;
  /** params.py, if present */
  params?: string;
  /** cluster_group.tsv, if present */
  clusterGroup?: string;
  /** cluster_KSLabel.tsv, if present */
  clusterKSLabel?: string;
  /** Which file gave the clusters (for provenance): "spike_clusters.npy" by default. */
  clustersFile?: string;
}

/** The file names {@link readPhyFiles} looks for in a folder. */
export const PHY_FILES = {
  spikeTimes: "spike_times.npy",
  spikeClusters: "spike_clusters.npy",
  spikeTemplates: "spike_templates.npy",
  params: "params.py",
  clusterGroup: "cluster_group.tsv",
  clusterKSLabel: "cluster_KSLabel.tsv",
} as const;

/** `sample_rate` from params.py (a Python assignment). */
export function phySampleRate(params: string): number | undefined {
  const m = /^\s*sample_rate\s*=\s*([0-9.eE+-]+)\s*(#.*)?$/m.exec(params);
  if (!m) return undefined;
  const v = Number(m[1]);
  if (!Number.isFinite(v) || v <= 0)
    throw formatError({ field: "params.py: sample_rate" }, "must be a positive number", m[1], ErrorCode.INVALID_DATA);
  return v;
}

/** A two-column TSV (cluster_id, label) as a map; the header names the label column. */
function labelTable(text: string, file: string): { column: string; labels: Map<number, string> } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) return { column: "", labels: new Map() };
  const head = lines[0]!.split(/\t|,/).map((s) => s.trim());
  if (head.length < 2 || !/^(cluster_id|id)$/i.test(head[0]!))
    throw formatError(
      { row: 1, field: file },
      "the header must be `cluster_id<TAB>label`",
      lines[0],
      ErrorCode.INVALID_FORMAT,
    );
  const labels = new Map<number, string>();
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r]!.split(/\t|,/).map((s) => s.trim());
    if (!/^\d+$/.test(f[0] ?? ""))
      throw formatError({ row: r + 1, field: `${file}: ${head[0]}` }, "not a cluster id", f[0], ErrorCode.INVALID_DATA);
    labels.set(Number(f[0]), f[1] ?? "");
  }
  return { column: head[1]!, labels };
}

function vector(bytes: Uint8Array, file: string, maxBytes: number): { at: (k: number) => number; size: number } {
  const a = readNpyArray(bytes, { maxBytes });
  if (a.shape.length > 2 || (a.shape.length === 2 && a.shape[1] !== 1))
    throw formatError(
      { field: `${file}: shape` },
      "must be 1-D (or N × 1)",
      `(${a.shape.join(", ")})`,
      ErrorCode.INVALID_DATA,
    );
  return { at: a.at, size: a.size };
}

/**
 * Read a Phy folder's files.
 *
 * @param files - the folder's files ({@link PhyFiles})
 * @param o - checked reader options (`sampleRate` overrides params.py; `nNeurons`, `duration`)
 * @param name - the folder name, for provenance
 * @returns spike trains with `neuronIds` = cluster ids and `units` = the label files' columns
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for lengths that differ, no sample rate, unsorted spike times; the NPY reader's errors
 */
export function readPhyFiles(files: PhyFiles, o: CheckedReadOptions, name: string): SpikeTrains {
  const rate = o.sampleRate ?? (files.params !== undefined ? phySampleRate(files.params) : undefined);
  if (rate === undefined) {
    throw formatError(
      { field: "params.py" },
      "no sample rate: the folder needs params.py with `sample_rate = …`, or pass --sample-rate HZ",
      name,
      ErrorCode.INVALID_DATA,
    );
  }
  const st = vector(files.spikeTimes, PHY_FILES.spikeTimes, o.maxBytes);
  const cl = vector(files.spikeClusters, files.clustersFile ?? PHY_FILES.spikeClusters, o.maxBytes);
  if (st.size !== cl.size) {
    throw formatError(
      { field: files.clustersFile ?? PHY_FILES.spikeClusters },
      `has ${cl.size} entries for ${st.size} spike times`,
      cl.size,
      ErrorCode.INVALID_DATA,
    );
  }
  // Kilosort writes spike times sorted; a hand-edited folder may not be, so sort (stably) when needed.
  let order: Int32Array | null = null;
  for (let k = 1; k < st.size; k++) {
    if (st.at(k) < st.at(k - 1)) {
      const t = new Float64Array(st.size);
      for (let q = 0; q < st.size; q++) t[q] = st.at(q);
      order = Int32Array.from({ length: st.size }, (_, q) => q).sort((a, b) => t[a]! - t[b]! || a - b);
      break;
    }
  }
  const ev = new EventsBuilder(o.nNeurons, rate);
  for (let q = 0; q < st.size; q++) {
    const k = order ? order[q]! : q;
    ev.add(
      cl.at(k),
      st.at(k),
      { field: `${files.clustersFile ?? PHY_FILES.spikeClusters}[${k}]` },
      `${PHY_FILES.spikeTimes}[${k}]`,
    );
  }
  const params = provenanceParams(o, {
    sampleRate: rate,
    timeUnit: "samples",
    files: [
      PHY_FILES.spikeTimes,
      files.clustersFile ?? PHY_FILES.spikeClusters,
      ...(files.params !== undefined ? [PHY_FILES.params] : []),
      ...(files.clusterGroup !== undefined ? [PHY_FILES.clusterGroup] : []),
      ...(files.clusterKSLabel !== undefined ? [PHY_FILES.clusterKSLabel] : []),
    ],
  });
  const s = ev.finish({
    duration: o.duration,
    provenance: { source: "phy", name, params },
    emptyWhere: { field: PHY_FILES.spikeTimes },
  });
  const units: Record<string, (string | number | null)[]> = {};
  for (const [text, file] of [
    [files.clusterGroup, PHY_FILES.clusterGroup],
    [files.clusterKSLabel, PHY_FILES.clusterKSLabel],
  ] as const) {
    if (text === undefined) continue;
    const t = labelTable(text, file);
    if (t.column === "") continue;
    units[t.column] = Array.from(s.neuronIds, (id) => t.labels.get(id) ?? null);
  }
  return Object.keys(units).length > 0 ? { ...s, units } : s;
}
