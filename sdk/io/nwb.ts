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
import type { SpikeData } from "../types.js";
import { EventsBuilder, formatError } from "./events.js";
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
      throw new DgrnStateError(`could not load h5wasm for NWB reading: ${(e as Error)?.message ?? e}`, ErrorCode.KERNEL_LOAD);
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
  if (!h5) throw new DgrnStateError("NWB support is not loaded: `await loadNWB()` first (readSpikesAsync does it for you)");
  return h5;
}

function numbers(v: unknown, field: string): Float64Array {
  if (v instanceof Float64Array) return v;
  if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint32Array || v instanceof Int16Array || v instanceof Uint16Array || v instanceof Int8Array || v instanceof Uint8Array) return Float64Array.from(v);
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const x = v[k]!;
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER)) throw formatError({ field: `${field}[${k}]` }, "an integer beyond ±2^53", `${x}`, ErrorCode.INVALID_DATA);
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
    if (required) throw formatError({ field: path }, "missing (NWB keeps spike times in units/spike_times with units/spike_times_index)");
    return null;
  }
  if (!("value" in (d as object))) throw formatError({ field: path }, "not a dataset");
  if (d.shape && d.shape.length > 1) throw formatError({ field: path }, "must be 1-D", `(${d.shape.join(", ")})`);
  return numbers(d.value, path);
}

/** Read NWB bytes (requires {@link loadNWB} first). */
export function readNwbBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  const m = h5wasmModule();
  if (bytes.length === 0) throw formatError({ field: "(file)" }, "an empty file");
  if (bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) {
    throw formatError({ field: "(file)" }, "not an HDF5 file (no \\x89HDF signature at the start)");
  }
  const path = `/dgrn-read-${++counter}.nwb`;
  m.FS!.writeFile(path, bytes);
  let f: (H5Group & { close(): unknown }) | null = null;
  try {
    try {
      f = new m.File(path, "r");
    } catch (e) {
      throw formatError({ field: "(file)" }, `HDF5 could not open it: ${(e as Error)?.message ?? e}`);
    }
    if (!f.get("units")) throw formatError({ field: "units" }, "no units table in this file");
    const st = dataset(f, "units/spike_times", true)!;
    const idx = dataset(f, "units/spike_times_index", true)!;
    const unitIds = dataset(f, "units/id", false);
    const nUnits = idx.length;
    if (unitIds && unitIds.length !== nUnits) throw formatError({ field: "units/id" }, `has ${unitIds.length} entries for ${nUnits} units`, unitIds.length, ErrorCode.INVALID_DATA);
    if (o.nNeurons !== undefined && o.nNeurons !== nUnits) throw formatError({ field: "units/spike_times_index" }, `has ${nUnits} units but \`nNeurons\` is ${o.nNeurons}`, nUnits, ErrorCode.INVALID_DATA);
    const ev = new EventsBuilder(nUnits, 1);
    let prev = 0;
    for (let k = 0; k < nUnits; k++) {
      const end = idx[k]!;
      if (!Number.isInteger(end) || end < prev || end > st.length) {
        throw formatError({ field: `units/spike_times_index[${k}]` }, `offsets must be nondecreasing integers in [0, ${st.length}] (previous ${prev})`, end, ErrorCode.INVALID_DATA);
      }
      for (let q = prev; q < end; q++) ev.add(k, st[q]!, { field: `units/spike_times[${q}]` }, `units/spike_times[${q}]`);
      prev = end;
    }
    if (prev !== st.length) {
      throw formatError({ field: "units/spike_times_index" }, `the last offset must equal the length of units/spike_times (${st.length})`, prev, ErrorCode.INVALID_DATA);
    }
    let neuronIds: Int32Array | undefined;
    if (unitIds) {
      neuronIds = new Int32Array(nUnits);
      for (let k = 0; k < nUnits; k++) {
        const v = unitIds[k]!;
        if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw formatError({ field: `units/id[${k}]` }, "not a 32-bit integer", v, ErrorCode.INVALID_DATA);
        neuronIds[k] = v;
      }
    }
    return ev.finish({ duration: o.duration, neuronIds, provenance: { source: "nwb", name, params: provenanceParams(o) }, emptyWhere: { field: "units/spike_times" } });
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
