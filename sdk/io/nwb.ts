/**
 * NWB (HDF5) reader: the units table's ragged spike times, through h5wasm.
 *
 * NWB stores all units' spike times in one dataset `units/spike_times` and,
 * in `units/spike_times_index`, the end offset of each unit's slice (the
 * hdmf VectorIndex layout): unit k's spikes are
 * `spike_times[index[k−1] .. index[k])` with index[−1] = 0, so a unit with no
 * spikes repeats the previous offset. `units/id`, when present, gives the ids.
 *
 * h5wasm is loaded lazily (a dynamic import, then its own `ready` gate) by
 * {@link loadNWB}, so programs that never read NWB never load its 4 MB; after
 * that, reading is synchronous like every other reader. A caller may hand in
 * an h5wasm module of their own with {@link useH5wasm}.
 *
 * @module
 */
import { DgrnFormatError, DgrnStateError, ErrorCode } from "../errors.js";
import type { SessionInfo, SpikeData, TrialTable } from "../types.js";
import { EventsBuilder, checkDistinctIds, formatError } from "./events.js";
import { provenanceParams, type CheckedReadOptions } from "./options.js";

/** The part of h5wasm's API the reader uses. */
export interface H5wasmLike {
  ready: Promise<unknown>;
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void } | null;
  File: new (filename: string, mode?: "r") => H5Group & { close(): unknown };
}
interface H5Group {
  get(path: string): unknown;
}

let h5: H5wasmLike | null = null;
let loading: Promise<H5wasmLike> | null = null;
let counter = 0;

/**
 * Load h5wasm for the NWB reader (once; later calls return the same promise).
 *
 * @returns a promise that resolves when NWB files can be read synchronously
 * @throws {DgrnStateError} `ERR_KERNEL_LOAD` when h5wasm cannot be loaded
 * @example
 * ```ts
 * await loadNWB();
 * const spikes = readSpikes(bytes, { format: "nwb" });
 * ```
 */
export function loadNWB(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      const m = (await import("h5wasm")) as unknown as H5wasmLike;
      await m.ready;
      h5 = m;
      return m;
    })().catch((e) => {
      loading = null;
      throw new DgrnStateError(
        `could not load h5wasm for NWB reading: ${(e as Error)?.message ?? e}`,
        ErrorCode.KERNEL_LOAD,
      );
    });
  }
  return loading.then(() => undefined);
}

/**
 * Use an h5wasm module the caller has loaded (e.g. from a CDN). Awaits its `ready`.
 *
 * @param module - the h5wasm namespace (`import * as h5wasm from "h5wasm"`)
 * @example
 * ```ts
 * import * as h5wasm from "h5wasm";
 * await useH5wasm(h5wasm);
 * ```
 */
export async function useH5wasm(module: H5wasmLike): Promise<void> {
  await module.ready;
  h5 = module;
  loading = Promise.resolve(module);
}

/**
 * Whether NWB files can be read now (h5wasm loaded).
 *
 * @returns true after {@link loadNWB} or {@link useH5wasm} has resolved
 * @example
 * ```ts
 * if (!nwbReady()) await loadNWB();
 * ```
 */
export function nwbReady(): boolean {
  return h5 !== null;
}

/**
 * The h5wasm module in use (after {@link loadNWB}), for callers that build HDF5 files.
 *
 * @returns the module
 * @throws {DgrnStateError} `ERR_NOT_INITIALIZED` before {@link loadNWB}
 * @example
 * ```ts
 * await loadNWB();
 * const h5 = h5wasmModule();
 * ```
 */
export function h5wasmModule(): H5wasmLike {
  if (!h5)
    throw new DgrnStateError("NWB support is not loaded: `await loadNWB()` first (readSpikesAsync does it for you)");
  return h5;
}

function numbers(v: unknown, field: string): Float64Array {
  if (v instanceof Float64Array) return v;
  if (
    v instanceof Float32Array ||
    v instanceof Int32Array ||
    v instanceof Uint32Array ||
    v instanceof Int16Array ||
    v instanceof Uint16Array ||
    v instanceof Int8Array ||
    v instanceof Uint8Array
  )
    return Float64Array.from(v);
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const x = v[k]!;
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER))
        throw formatError({ field: `${field}[${k}]` }, "an integer beyond ±2^53", `${x}`, ErrorCode.INVALID_DATA);
      out[k] = Number(x);
    }
    return out;
  }
  if (typeof v === "number") return Float64Array.of(v);
  throw formatError({ field }, "not a numeric dataset", v === null ? "null" : typeof v);
}

function dataset(f: H5Group, path: string, required: boolean): Float64Array | null {
  const d = f.get(path) as { value?: unknown; shape?: number[] | null } | null;
  if (!d) {
    if (required)
      throw formatError(
        { field: path },
        "missing (NWB keeps spike times in units/spike_times with units/spike_times_index)",
      );
    return null;
  }
  if (!("value" in (d as object))) throw formatError({ field: path }, "not a dataset");
  if (d.shape && d.shape.length > 1) throw formatError({ field: path }, "must be 1-D", `(${d.shape.join(", ")})`);
  return numbers(d.value, path);
}

interface H5Node {
  value?: unknown;
  shape?: number[] | null;
  attrs?: Record<string, { value: unknown } | undefined>;
  keys?: () => string[];
}

/** A 1-D column of numbers or strings (null when absent or of another shape). */
function column(f: H5Group, path: string): (string | number)[] | null {
  const d = f.get(path) as H5Node | null;
  if (!d || !("value" in (d as object))) return null;
  if (d.shape && d.shape.length > 1) return null;
  const v = d.value;
  if (typeof v === "string" || typeof v === "number") return [v];
  if (Array.isArray(v)) return v.map((x) => (typeof x === "bigint" ? Number(x) : (x as string | number)));
  if (ArrayBuffer.isView(v)) return Array.from(numbers(v, path));
  return null;
}

function scalarString(f: H5Group, path: string): string | undefined {
  const d = f.get(path) as H5Node | null;
  if (!d || !("value" in (d as object))) return undefined;
  const v = Array.isArray(d.value) ? d.value[0] : d.value;
  return typeof v === "string" ? v : undefined;
}

function colnames(f: H5Group, path: string): string[] {
  const g = f.get(path) as H5Node | null;
  const v = g?.attrs?.["colnames"]?.value;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string") return [v];
  return g?.keys ? g.keys() : [];
}

/** The units table's extra columns (one value per unit), and each unit's electrode location when the electrodes table has one. */
function unitColumns(f: H5Group, nUnits: number, warnings: string[]): Record<string, (string | number | null)[]> {
  const out: Record<string, (string | number | null)[]> = {};
  const skip = new Set([
    "spike_times",
    "obs_intervals",
    "waveforms",
    "waveform_mean",
    "waveform_sd",
    "electrodes",
    "electrode_group",
  ]);
  for (const c of colnames(f, "units")) {
    if (skip.has(c) || f.get(`units/${c}_index`)) continue;
    const v = column(f, `units/${c}`);
    if (v && v.length === nUnits) out[c] = v;
  }
  const el = column(f, "units/electrodes");
  if (el) {
    const idx = column(f, "units/electrodes_index");
    const loc = column(f, "general/extracellular_ephys/electrodes/location");
    const first: (number | null)[] = [];
    if (idx && idx.length === nUnits) {
      let prev = 0;
      for (let k = 0; k < nUnits; k++) {
        const end = Number(idx[k]);
        first.push(end > prev ? Number(el[prev]) : null);
        prev = end;
      }
    } else if (el.length === nUnits) first.push(...el.map(Number));
    if (first.length === nUnits) {
      out["electrode"] = first;
      if (loc) out["location"] = first.map((e) => (e !== null && e >= 0 && e < loc.length ? loc[e]! : null));
    } else warnings.push("units/electrodes could not be matched to units");
  }
  return out;
}

/** intervals/trials: start, stop and the label column (`trialLabel`, else the first string or integer column). */
function trialTable(f: H5Group, o: CheckedReadOptions): TrialTable | undefined {
  if (!f.get("intervals/trials")) {
    if (o.trialLabel !== undefined)
      throw formatError(
        { field: "intervals/trials" },
        "`trialLabel` was given but the file has no trials table",
        o.trialLabel,
        ErrorCode.INVALID_DATA,
      );
    return undefined;
  }
  const start = column(f, "intervals/trials/start_time");
  const stop = column(f, "intervals/trials/stop_time");
  if (!start || !stop || start.length !== stop.length)
    throw formatError(
      { field: "intervals/trials" },
      "needs start_time and stop_time columns of one length",
      null,
      ErrorCode.INVALID_DATA,
    );
  const names = colnames(f, "intervals/trials").filter(
    (c) =>
      c !== "start_time" &&
      c !== "stop_time" &&
      c !== "id" &&
      !c.endsWith("_index") &&
      c !== "timeseries" &&
      c !== "tags",
  );
  let labelColumn = o.trialLabel;
  let label: (string | number)[] | null = null;
  if (labelColumn !== undefined) {
    label = column(f, `intervals/trials/${labelColumn}`);
    if (!label || label.length !== start.length)
      throw formatError(
        { field: `intervals/trials/${labelColumn}` },
        `no such trial column of one value per trial (columns: ${names.join(", ")})`,
        labelColumn,
        ErrorCode.INVALID_DATA,
      );
  } else {
    for (const c of names) {
      const v = column(f, `intervals/trials/${c}`);
      if (v && v.length === start.length && v.every((x) => typeof x === "string" || Number.isInteger(x))) {
        labelColumn = c;
        label = v;
        break;
      }
    }
  }
  if (!label || labelColumn === undefined) return undefined;
  return { start: start.map(Number), stop: stop.map(Number), label, labelColumn };
}

/** HDF5's error stack (captured, never printed) in one line: "not an HDF5 file", "truncated", "unsupported filter lzf". */
function hdf5Cause(diag: string): string {
  const d = diag.toLowerCase();
  if (/truncated file/.test(d)) return "the HDF5 file is truncated (shorter than its superblock says)";
  if (/filter/.test(d)) {
    const m = /filter[^\n]*?(lzf|32000|blosc|32001|bitshuffle|32008|zstd|32015|lz4|32004)/.exec(d);
    const name = m
      ? ((
          { "32000": "lzf", "32001": "blosc", "32008": "bitshuffle", "32015": "zstd", "32004": "lz4" } as Record<
            string,
            string
          >
        )[m[1]!] ?? m[1])
      : "a filter h5wasm does not have";
    return `unsupported filter ${name} (rewrite the dataset with gzip or no compression, e.g. h5repack -f GZIP=4)`;
  }
  if (/signature|superblock/.test(d)) return "not an HDF5 file (or its superblock is damaged)";
  const first = diag.split("\n").find((l) => /#00\d/.test(l));
  return first ? first.replace(/^.*\(\): /, "").trim() : "HDF5 could not read it";
}

/** Run `fn` with h5wasm's stderr (the HDF5-DIAG stack) captured instead of printed. */
function quietly<T>(m: H5wasmLike, fn: () => T): { value?: T; error?: unknown; diag: string } {
  const fs = m.FS as unknown as {
    write?: (stream: { fd?: number }, buf: Uint8Array, off: number, len: number, ...rest: unknown[]) => number;
  } | null;
  const chunks: string[] = [];
  const orig = fs?.write;
  if (fs && orig) {
    fs.write = (stream, buf, off, len, ...rest) => {
      if (stream && (stream.fd === 2 || stream.fd === 1)) {
        chunks.push(new TextDecoder().decode(buf.subarray(off, off + len)));
        return len;
      }
      return orig.call(fs, stream, buf, off, len, ...rest);
    };
  }
  try {
    return { value: fn(), diag: chunks.join("") };
  } catch (e) {
    return { error: e, diag: chunks.join("") };
  } finally {
    if (fs && orig) fs.write = orig;
  }
}

/** Read NWB bytes (requires {@link loadNWB} first). */
export function readNwbBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  const m = h5wasmModule();
  if (bytes.length === 0) throw formatError({ field: "(file)" }, "an empty file");
  if (bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) {
    throw formatError({ field: "(file)" }, "not an HDF5 file (no \\x89HDF signature at the start)");
  }
  const r = quietly(m, () => readNwbOpen(m, bytes, o, name));
  // A dataset behind a missing filter reads as garbage or fails; either way the cause is the filter.
  if (/required filter|H5Z_pipeline/i.test(r.diag)) throw formatError({ field: "(file)" }, hdf5Cause(r.diag));
  if (r.error !== undefined) {
    const e = r.error;
    if (e instanceof DgrnFormatError && !/HDF5 (could not|read failed)/.test(e.message)) throw e;
    throw formatError(
      { field: (e as DgrnFormatError)?.field ?? "(file)" },
      hdf5Cause(r.diag + "\n" + String((e as Error)?.message ?? e)),
    );
  }
  return r.value!;
}

function readNwbOpen(m: H5wasmLike, bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  const path = `/dgrn-read-${++counter}.nwb`;
  m.FS!.writeFile(path, bytes);
  let f: (H5Group & { close(): unknown }) | null = null;
  try {
    try {
      f = new m.File(path, "r");
    } catch (e) {
      throw formatError({ field: "(file)" }, `HDF5 could not open it: ${(e as Error)?.message ?? e}`);
    }
    const fid = (f as unknown as { file_id?: bigint | number }).file_id;
    if (fid !== undefined && Number(fid) < 0) {
      f = null;
      throw formatError({ field: "(file)" }, "HDF5 could not open it");
    }
    if (!f.get("units")) throw formatError({ field: "units" }, "no units table in this file");
    const st = dataset(f, "units/spike_times", true)!;
    const idx = dataset(f, "units/spike_times_index", true)!;
    const unitIds = dataset(f, "units/id", false);
    const nUnits = idx.length;
    if (unitIds && unitIds.length !== nUnits)
      throw formatError(
        { field: "units/id" },
        `has ${unitIds.length} entries for ${nUnits} units`,
        unitIds.length,
        ErrorCode.INVALID_DATA,
      );
    if (o.nNeurons !== undefined && o.nNeurons !== nUnits)
      throw formatError(
        { field: "units/spike_times_index" },
        `has ${nUnits} units but \`nNeurons\` is ${o.nNeurons}`,
        nUnits,
        ErrorCode.INVALID_DATA,
      );
    const ev = new EventsBuilder(nUnits, 1);
    let prev = 0;
    for (let k = 0; k < nUnits; k++) {
      const end = idx[k]!;
      if (!Number.isInteger(end) || end < prev || end > st.length) {
        throw formatError(
          { field: `units/spike_times_index[${k}]` },
          `offsets must be nondecreasing integers in [0, ${st.length}] (previous ${prev})`,
          end,
          ErrorCode.INVALID_DATA,
        );
      }
      for (let q = prev; q < end; q++)
        ev.add(k, st[q]!, { field: `units/spike_times[${q}]` }, `units/spike_times[${q}]`);
      prev = end;
    }
    if (prev !== st.length) {
      throw formatError(
        { field: "units/spike_times_index" },
        `the last offset must equal the length of units/spike_times (${st.length})`,
        prev,
        ErrorCode.INVALID_DATA,
      );
    }
    let neuronIds: Int32Array | undefined;
    if (unitIds) {
      neuronIds = new Int32Array(nUnits);
      for (let k = 0; k < nUnits; k++) {
        const v = unitIds[k]!;
        if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
          throw formatError({ field: `units/id[${k}]` }, "not a 32-bit integer", v, ErrorCode.INVALID_DATA);
        neuronIds[k] = v;
      }
      checkDistinctIds(neuronIds, "units/id");
    }
    const warnings: string[] = [];
    const s = ev.finish({
      duration: o.duration,
      neuronIds,
      provenance: { source: "nwb", name, params: provenanceParams(o) },
      emptyWhere: { field: "units/spike_times" },
    });
    const units = unitColumns(f, nUnits, warnings);
    const trials = trialTable(f, o);
    const session: { -readonly [K in keyof SessionInfo]: SessionInfo[K] } = {};
    const identifier = scalarString(f, "identifier");
    const description = scalarString(f, "session_description");
    const startTime = scalarString(f, "session_start_time");
    if (identifier !== undefined) session.identifier = identifier;
    if (description !== undefined) session.description = description;
    if (startTime !== undefined) session.startTime = startTime;
    return {
      ...s,
      ...(Object.keys(units).length > 0 ? { units } : {}),
      ...(trials ? { trials } : {}),
      ...(Object.keys(session).length > 0 ? { session } : {}),
    };
  } catch (e) {
    if (e instanceof DgrnFormatError) throw e;
    throw formatError({ field: "(file)" }, `HDF5 read failed: ${(e as Error)?.message ?? e}`);
  } finally {
    try {
      f?.close();
    } finally {
      m.FS!.unlink(path);
    }
  }
}
