/**
 * `readSpikes`: one entry for every format. The readers take bytes, so the
 * same code runs in Node, Deno and browsers; reading a path needs a file
 * system, which only the Node build installs (sdk/platform/node-files.ts).
 *
 * @module
 */
import Papa from "papaparse";
import { DgrnError, DgrnIOError, DgrnTypeError } from "../errors.js";
import type { SpikeData } from "../types.js";
import { message } from "../validate.js";
import { CsvRows, guessDelimiter, papaConfig, readCsvBytes } from "./csv.js";
import { formatError } from "./events.js";
import { readJsonBytes } from "./json.js";
import { readNpyBytes } from "./npy.js";
import { loadNWB, readNwbBytes } from "./nwb.js";
import { checkReadOptions, type CheckedReadOptions, type ReadOptions, type SpikeFormat } from "./options.js";
import { PHY_FILES, readPhyFiles, type PhyFiles } from "./phy.js";
import { applySelection } from "./select.js";

/** How a runtime with a file system reads paths (installed by the Node build). */
export interface FileAccess {
  /** Read a whole file synchronously. */
  readSync(path: string): Uint8Array;
  /** Read a whole file. */
  read(path: string): Promise<Uint8Array>;
  /** Stream a text file through papaparse (rows arrive through `config.step`). */
  streamCsv(path: string, config: Papa.ParseConfig<string[]>): Promise<void>;
  /** Whether a path is a directory (a Phy folder); absent = no directories. */
  isDirectory?(path: string): boolean;
  /** Whether a path exists. */
  exists?(path: string): boolean;
  /** The first `n` bytes of a file (to sniff a CSV delimiter without reading it whole). */
  head?(path: string, n: number): Uint8Array;
}

let files: FileAccess | null = null;

/**
 * Install the runtime's file access (done by the Node build target; a Deno or
 * Electron host may install its own).
 *
 * @param f - sync and async readers and a CSV streamer
 * @example
 * ```ts
 * setFileAccess({ readSync: (p) => Deno.readFileSync(p), read: (p) => Deno.readFile(p), streamCsv: myCsvStreamer });
 * ```
 */
export function setFileAccess(f: FileAccess): void {
  files = f;
}

/**
 * The format a file name's extension names, if any.
 *
 * @param name - a path or file name
 * @returns "csv" (.csv .tsv .txt), "json", "npy", "nwb" (.nwb .h5 .hdf5) or undefined
 * @example
 * ```ts
 * formatFromName("rec/session1.nwb"); // "nwb"
 * ```
 */
export function formatFromName(name: string): SpikeFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  if (ext === "json") return "json";
  if (ext === "npy") return "npy";
  if (ext === "nwb" || ext === "h5" || ext === "hdf5") return "nwb";
  return undefined;
}

/**
 * The format of some bytes by their first bytes: NPY and HDF5 magic, a JSON
 * object's `{`, else CSV.
 *
 * @param bytes - the start of a file (1 KB is enough)
 * @returns the format
 * @example
 * ```ts
 * sniffFormat(new TextEncoder().encode('{"spikeTimes": []}')); // "json"
 * ```
 */
export function sniffFormat(bytes: Uint8Array): SpikeFormat {
  if (bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55 && bytes[3] === 0x4d) return "npy";
  if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) return "nwb";
  for (let k = 0; k < Math.min(bytes.length, 1024); k++) {
    const c = bytes[k]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf) continue;
    return c === 0x7b ? "json" : "csv";
  }
  return "csv";
}

/** Read a Phy folder through the installed file access. */
function readPhyFolder(dir: string, o: CheckedReadOptions, name: string): SpikeData {
  const f = files!;
  const join = (file: string): string => (dir.endsWith("/") || dir.endsWith("\\") ? dir + file : `${dir}/${file}`);
  const has = (file: string): boolean => (f.exists ? f.exists(join(file)) : true);
  const read = (file: string): Uint8Array => {
    try {
      return f.readSync(join(file));
    } catch (e) {
      throw new DgrnIOError(`could not read \`${join(file)}\`: ${(e as Error)?.message ?? e}`, { cause: e });
    }
  };
  const text = (file: string): string | undefined => (has(file) ? new TextDecoder().decode(read(file)) : undefined);
  if (!has(PHY_FILES.spikeTimes)) {
    throw formatError(
      { field: PHY_FILES.spikeTimes },
      `\`${dir}\` is a directory without spike_times.npy: not a Kilosort/Phy folder (it needs spike_times.npy, spike_clusters.npy and params.py)`,
      dir,
    );
  }
  const clustersFile = has(PHY_FILES.spikeClusters)
    ? PHY_FILES.spikeClusters
    : has(PHY_FILES.spikeTemplates)
      ? PHY_FILES.spikeTemplates
      : null;
  if (!clustersFile)
    throw formatError(
      { field: PHY_FILES.spikeClusters },
      `\`${dir}\` has spike_times.npy but neither spike_clusters.npy nor spike_templates.npy`,
      dir,
    );
  const pf: PhyFiles = { spikeTimes: read(PHY_FILES.spikeTimes), spikeClusters: read(clustersFile), clustersFile };
  const params = text(PHY_FILES.params);
  const group = text(PHY_FILES.clusterGroup);
  const ks = text(PHY_FILES.clusterKSLabel);
  if (params !== undefined) pf.params = params;
  if (group !== undefined) pf.clusterGroup = group;
  if (ks !== undefined) pf.clusterKSLabel = ks;
  return applySelection(readPhyFiles(pf, o, name), o);
}

function toBytes(source: unknown): Uint8Array | null {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

function parse(bytes: Uint8Array, o: CheckedReadOptions, name: string, format: SpikeFormat): SpikeData {
  return applySelection(parseAll(bytes, o, name, format), o);
}

function parseAll(bytes: Uint8Array, o: CheckedReadOptions, name: string, format: SpikeFormat): SpikeData {
  switch (format) {
    case "phy":
      throw formatError(
        { field: "(file)" },
        "a Phy folder is a directory of files: pass its path (Node), or its files to readPhyFiles",
        name,
      );
    case "csv":
      return readCsvBytes(bytes, o, name);
    case "json":
      return readJsonBytes(bytes, o, name);
    case "npy":
      return readNpyBytes(bytes, o, name);
    default:
      return readNwbBytes(bytes, o, name);
  }
}

const SOURCE_KINDS = "a path (Node), a Uint8Array or an ArrayBuffer";

/**
 * Read spike data from CSV, JSON, NPY or NWB.
 *
 * - CSV: events (`neuron,time` per row, header optional, `timeUnit` "s" or
 *   "ms") or a dense binned matrix (rows = time bins, columns = neurons).
 * - JSON: `{ "spikeTimes": [[…], …], "duration", "unit" }` or `{ "binned": [[…]], "binSize" }`.
 * - NPY: bool/uint8/int32/int64/float32/float64, C or Fortran order; 2-D
 *   (bins × neurons) counts, or events as a 1-D structured (neuron, time)
 *   array, interleaved pairs, or (M, 2) rows with `layout: "events"`.
 * - NWB: `units/spike_times` + `units/spike_times_index` (needs `await
 *   loadNWB()` first, or use {@link readSpikesAsync}).
 *
 * Every malformed input is a {@link DgrnFormatError} naming the `row` (CSV) or
 * `field`; nothing is silently dropped.
 *
 * @param source - bytes (everywhere) or a file path (Node only)
 * @param options - see {@link ReadOptions}
 * @returns spike trains (events) or binned activity, with provenance
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a source of the wrong kind, or a path where no file system is installed
 * @throws {DgrnFormatError} `ERR_INVALID_FORMAT` (cannot be parsed) or `ERR_INVALID_DATA` (parsed, but invalid), with `row`/`field`
 * @throws {NpyMagicError | NpyDtypeError | NpyTruncatedError} for the three NPY failures
 * @throws {DgrnIOError} `ERR_IO` when a path cannot be read
 * @throws {DgrnStateError} `ERR_NOT_INITIALIZED` for NWB before {@link loadNWB}
 * @example
 * ```ts
 * const csv = new TextEncoder().encode("neuron,time\n0,0.1\n1,0.25\n0,0.3\n");
 * const s = readSpikes(csv); // { kind: "spikes", nNeurons: 2, duration: 0.3, … }
 * ```
 */
export function readSpikes(source: string | Uint8Array | ArrayBuffer, options?: ReadOptions): SpikeData {
  const o = checkReadOptions(options);
  let bytes = toBytes(source);
  let name = o.name ?? "bytes";
  if (!bytes) {
    if (typeof source !== "string") throw new DgrnTypeError(message("source", SOURCE_KINDS, source));
    if (!files)
      throw new DgrnTypeError(message("source", `${SOURCE_KINDS}; reading a path needs the Node build`, source));
    name = o.name ?? source;
    if (o.format === "phy" || files.isDirectory?.(source)) {
      if (!files.isDirectory?.(source))
        throw formatError(
          { field: "(file)" },
          'format "phy" needs a folder (spike_times.npy, spike_clusters.npy, params.py)',
          source,
        );
      return readPhyFolder(source, o, name);
    }
    try {
      bytes = files.readSync(source);
    } catch (e) {
      throw new DgrnIOError(`could not read \`${source}\`: ${(e as Error)?.message ?? e}`, { cause: e });
    }
  }
  const format =
    o.format ??
    (typeof source === "string" ? formatFromName(source) : undefined) ??
    formatFromName(name) ??
    sniffFormat(bytes);
  return parse(bytes, o, name, format);
}

/**
 * {@link readSpikes}, asynchronously: loads h5wasm when the input is NWB,
 * streams CSV from a path (Node) or a `Blob`/`File` (browsers) row by row so
 * the text is never held in memory whole, and reads other paths without
 * blocking.
 *
 * @param source - a path (Node), bytes, or a Blob/File
 * @param options - see {@link ReadOptions}
 * @returns the spike data
 * @throws the same errors as {@link readSpikes}
 * @example
 * ```ts
 * const s = await readSpikesAsync("recording.nwb"); // Node
 * const t = await readSpikesAsync(fileInput.files[0]); // browser
 * ```
 */
export async function readSpikesAsync(
  source: string | Uint8Array | ArrayBuffer | Blob,
  options?: ReadOptions,
): Promise<SpikeData> {
  const o = checkReadOptions(options);
  const isBlob = typeof Blob !== "undefined" && source instanceof Blob;
  if (typeof source !== "string" && !isBlob) {
    const bytes = toBytes(source);
    if (!bytes) throw new DgrnTypeError(message("source", `${SOURCE_KINDS} or a Blob`, source));
    if ((o.format ?? (o.name ? formatFromName(o.name) : undefined) ?? sniffFormat(bytes)) === "nwb") await loadNWB();
    return readSpikes(bytes, options);
  }
  const name = o.name ?? (typeof source === "string" ? source : ((source as Blob & { name?: string }).name ?? "blob"));
  let format = o.format ?? formatFromName(name);
  if (typeof source === "string" && !files)
    throw new DgrnTypeError(message("source", `${SOURCE_KINDS}; reading a path needs the Node build`, source));
  if (typeof source === "string" && (format === "phy" || files!.isDirectory?.(source)))
    return readSpikes(source, options);
  if (format === undefined) {
    const head =
      typeof source === "string"
        ? (await files!.read(source).catch((e) => ioFail(source, e))).subarray(0, 1024)
        : new Uint8Array(await (source as Blob).slice(0, 1024).arrayBuffer());
    format = sniffFormat(head);
  }
  if (format === "csv") {
    const rows = new CsvRows(o, name);
    let delimiter = o.delimiter;
    if (delimiter === undefined && typeof source === "string" && files!.head) {
      let head: Uint8Array;
      try {
        head = files!.head(source, 1 << 16);
      } catch (e) {
        ioFail(source, e);
      }
      delimiter = guessDelimiter(new TextDecoder().decode(head));
    } else if (delimiter === undefined && typeof source !== "string")
      delimiter = guessDelimiter(await (source as Blob).slice(0, 1 << 16).text());
    const config = papaConfig(rows, delimiter === undefined ? o : { ...o, delimiter });
    if (typeof source === "string") await files!.streamCsv(source, config).catch((e) => rethrow(source, e));
    else await streamBlob(source as Blob, config);
    return applySelection(rows.finish(), o);
  }
  if (format === "nwb") await loadNWB();
  const bytes =
    typeof source === "string"
      ? await files!.read(source).catch((e) => ioFail(source, e))
      : new Uint8Array(await (source as Blob).arrayBuffer());
  return parse(bytes, o, name, format);
}

function ioFail(path: string, e: unknown): never {
  throw new DgrnIOError(`could not read \`${path}\`: ${(e as Error)?.message ?? e}`, { cause: e });
}

function rethrow(path: string, e: unknown): never {
  if (e instanceof DgrnError) throw e;
  ioFail(path, e);
}

async function streamBlob(blob: Blob, config: Papa.ParseConfig<string[]>): Promise<void> {
  // Papa streams a Blob through FileReader; runtimes without one (Node, Deno) read the text whole.
  if (typeof FileReader === "undefined") {
    Papa.parse<string[]>(await blob.text(), config as Papa.ParseConfig<string[]> & { download?: false });
    return;
  }
  return new Promise((resolve, reject) => {
    const step = config.step!;
    Papa.parse<string[], File>(
      blob as File,
      {
        ...(config as object),
        chunkSize: 1 << 20,
        step(res, parser) {
          try {
            step(res, parser);
          } catch (e) {
            parser.abort();
            reject(e);
          }
        },
        complete: () => resolve(),
        error: (e: Error) => reject(formatError({ field: "(file)" }, `CSV read failed: ${e.message}`)),
      } as Papa.ParseLocalConfig<string[], File>,
    );
  });
}

/**
 * Read a Kilosort/Phy folder from its files' bytes (a browser's dropped
 * folder; Node users can pass the folder's path to {@link readSpikes}).
 *
 * @param files - spike_times.npy, spike_clusters.npy, and params.py / cluster_group.tsv / cluster_KSLabel.tsv as text when present
 * @param options - {@link ReadOptions} (`sampleRate` overrides params.py; `units: "good"`, `tStart`, `tStop`)
 * @returns spike trains whose `neuronIds` are the cluster ids, with `units.group` / `units.KSLabel`
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for lengths that differ or no sample rate; the NPY reader's errors
 * @example
 * ```ts
 * const s = readPhy({ spikeTimes, spikeClusters, params: "sample_rate = 30000.0\n" });
 * ```
 */
export function readPhy(files: PhyFiles, options?: ReadOptions): SpikeData {
  const o = checkReadOptions(options);
  return applySelection(readPhyFiles(files, o, o.name ?? "phy"), o);
}
