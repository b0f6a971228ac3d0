/**
 * NPY reader and writer (format spec: numpy.lib.format, versions 1.0–3.0).
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, the header length
 * (u16 LE in 1.0, u32 LE in 2.0/3.0), an ASCII (3.0: UTF-8) Python dict
 * `{'descr': …, 'fortran_order': …, 'shape': (…), }` padded with spaces and a
 * newline to a multiple of 64 bytes, then the raw data.
 *
 * This is the one NPY parser of the SDK: spike data ({@link readNpyBytes}),
 * graph adjacency matrices (sdk/graph/io.ts), states and label files
 * (sdk/io/states.ts) all read through {@link readNpyArray}.
 *
 * Supported dtypes: bool `|b1`; signed and unsigned integers of 1, 2, 4 and 8
 * bytes (`i1`…`i8`, `u1`…`u8`; 8-byte values are exact, and a value beyond
 * ±2^53 is an `ERR_INVALID_DATA` error rather than a rounded number); floats
 * `f2`, `f4`, `f8`; little- or big-endian; C and Fortran order. The size the
 * header implies is checked before anything is allocated or looped over: a
 * dimension above 2^31−1 or of 0 is `ERR_OUT_OF_RANGE`, a decoded size above
 * `maxBytes` is `ERR_OUT_OF_MEMORY` naming the estimate, and data shorter
 * than the header promises is {@link NpyTruncatedError}.
 *
 * Spike data:
 * - 2-D (T, n): binned counts (rows = time bins; `transpose` for n × T),
 *   unless `layout: "events"`, then (M, 2) rows of (neuron, time);
 * - 1-D structured array of (neuron, time) records (fields named as the CSV
 *   columns are, sdk/io/columns.ts, else the first two fields in that order);
 * - 1-D plain array of interleaved pairs neuron₀, time₀, neuron₁, time₁, …
 *   (a 1-D unsigned 64-bit array, as Kilosort's spike_times.npy, is refused:
 *   read its folder with `format: "phy"`).
 *
 * @module
 */
import { DgrnFormatError, ErrorCode } from "../errors.js";
import type { SpikeData } from "../types.js";
import { classifyColumn } from "./columns.js";
import { BinnedBuilder, EventsBuilder, formatError } from "./events.js";
import { NpyDtypeError, NpyMagicError, NpyTruncatedError } from "./errors.js";
import { DEFAULT_BIN_SIZE, DEFAULT_MAX_BYTES, provenanceParams, type CheckedReadOptions } from "./options.js";
import { eventTimeUnit } from "./units.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** One scalar type: kind b (bool), u, i, f; size in bytes; little-endian or not. */
export interface NpyScalar {
  kind: "b" | "u" | "i" | "f";
  size: number;
  little: boolean;
  descr: string;
}

/** One field of a structured dtype. */
export interface NpyField {
  name: string;
  type: NpyScalar;
  offset: number;
}

/** A parsed header. */
export interface NpyHeader {
  version: [number, number];
  /** Plain dtype, or null for a structured one. */
  scalar: NpyScalar | null;
  /** Fields of a structured dtype (else empty). */
  fields: NpyField[];
  /** Bytes per element. */
  itemSize: number;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

const SUPPORTED =
  "bool (|b1), int8…int64 (i1 i2 i4 i8), uint8…uint64 (u1 u2 u4 u8), float16/32/64 (f2 f4 f8), either byte order";

/** Largest dimension an array may have (typed arrays are indexed below 2^31 here). */
export const MAX_DIMENSION = 2 ** 31 - 1;

function scalar(descr: string): NpyScalar {
  const m = /^([<>|=])([buif])(\d+)$/.exec(descr);
  const k = m?.[2];
  const z = m?.[3];
  const ok =
    m &&
    ((k === "b" && z === "1") ||
      ((k === "u" || k === "i") && (z === "1" || z === "2" || z === "4" || z === "8")) ||
      (k === "f" && (z === "2" || z === "4" || z === "8")));
  if (!m || !ok)
    throw new NpyDtypeError(
      `invalid input at \`descr\`: unsupported NPY dtype; supported: ${SUPPORTED}. Value: \`${descr}\`.`,
      descr,
    );
  // '=' is native order, which numpy writes as '<' or '>' explicitly; treat as little-endian.
  return { kind: k as NpyScalar["kind"], size: Number(z), little: m[1] !== ">", descr };
}

/**
 * Parse the header of NPY bytes (versions 1.0–3.0).
 *
 * @param bytes - an NPY file (at least its header)
 * @returns version, dtype (scalar or structured fields), order, shape and where the data starts
 * @throws {NpyMagicError} when the bytes do not start with `\x93NUMPY`
 * @throws {NpyDtypeError} for a dtype the readers do not support
 * @throws {NpyTruncatedError} when the header is cut short
 * @throws {DgrnFormatError} `ERR_INVALID_FORMAT` for a header without descr, fortran_order or shape
 * @example
 * ```ts
 * parseNpyHeader(bytes).shape; // e.g. [2000, 1000]
 * ```
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length === 0) throw new NpyMagicError("invalid input at `magic`: not an NPY file (an empty file).");
  for (let k = 0; k < MAGIC.length; k++) {
    if (bytes[k] !== MAGIC[k]) {
      throw new NpyMagicError(
        `invalid input at \`magic\`: not an NPY file (bad magic: the first bytes must be \\x93NUMPY). Value: \`${Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ")}\`.`,
      );
    }
  }
  if (bytes.length < 10)
    throw new NpyTruncatedError(
      `invalid input at \`data\`: the NPY header is truncated (${bytes.length} bytes).`,
      10,
      bytes.length,
    );
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3)
    throw formatError({ field: "version" }, "an unsupported NPY version (1.0, 2.0 and 3.0 are)", `${major}.${minor}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = dv.getUint16(8, true);
    start = 10;
  } else {
    if (bytes.length < 12)
      throw new NpyTruncatedError(
        `invalid input at \`data\`: the NPY header is truncated (${bytes.length} bytes).`,
        12,
        bytes.length,
      );
    hlen = dv.getUint32(8, true);
    start = 12;
  }
  if (start + hlen > bytes.length) {
    throw new NpyTruncatedError(
      `invalid input at \`data\`: the NPY header is truncated: ${start + hlen} bytes promised, ${bytes.length} present.`,
      start + hlen,
      bytes.length,
    );
  }
  if (hlen > 1 << 20) throw formatError({ field: "header" }, "an NPY header longer than 1 MiB", hlen);
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + hlen));
  const descrM = /['"]descr['"]\s*:\s*('([^']*)'|"([^"]*)"|\[(.*?)\])\s*,\s*['"](?:fortran_order|shape)/s.exec(text);
  const fortranM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descrM) throw formatError({ field: "header" }, "no `descr` in the NPY header", text.trim());
  if (!fortranM) throw formatError({ field: "header" }, "no `fortran_order` in the NPY header", text.trim());
  if (!shapeM) throw formatError({ field: "header" }, "no `shape` in the NPY header", text.trim());
  const shape = shapeM[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      if (!/^\d+L?$/.test(s)) throw formatError({ field: "shape" }, "not a tuple of nonnegative integers", shapeM[1]);
      return Number(s.replace(/L$/, ""));
    });
  let sc: NpyScalar | null = null;
  const fields: NpyField[] = [];
  let itemSize: number;
  if (descrM[4] !== undefined) {
    // [('name', '<i4'), ('time', '<f8')]
    const re = /\(\s*['"]([^'"]*)['"]\s*,\s*['"]([^'"]+)['"]\s*(,\s*\([^)]*\)\s*)?\)/g;
    let m: RegExpExecArray | null;
    let off = 0;
    while ((m = re.exec(descrM[4]))) {
      if (m[3])
        throw new NpyDtypeError(
          `invalid input at \`descr\`: sub-array fields are not supported. Value: \`${descrM[1]}\`.`,
          descrM[1]!,
        );
      if (m[1] === "" && /^\|V\d+$/.test(m[2]!)) {
        off += Number(m[2]!.slice(2)); // padding
        continue;
      }
      const t = scalar(m[2]!);
      fields.push({ name: m[1]!, type: t, offset: off });
      off += t.size;
    }
    if (fields.length === 0)
      throw new NpyDtypeError(
        `invalid input at \`descr\`: an empty structured dtype. Value: \`${descrM[1]}\`.`,
        descrM[1]!,
      );
    itemSize = off;
  } else {
    sc = scalar(descrM[2] ?? descrM[3]!);
    itemSize = sc.size;
  }
  return {
    version: [major, minor],
    scalar: sc,
    fields,
    itemSize,
    fortranOrder: fortranM[1] === "True",
    shape,
    dataOffset: start + hlen,
  };
}

function fmtBytes(b: number): string {
  if (b >= 2 ** 40) return `${(b / 2 ** 40).toFixed(1)} TiB`;
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${b} bytes`;
}

/**
 * Check the size an NPY header implies before anything is allocated or looped
 * over: every dimension in [1, 2^31−1] (`ERR_OUT_OF_RANGE`), the decoded size
 * (elements × `bytesPerElement`) at most `maxBytes` (`ERR_OUT_OF_MEMORY`, with
 * the estimate), and the data present (a {@link NpyTruncatedError} otherwise).
 *
 * @param h - a parsed header
 * @param available - bytes after the header
 * @param opts - `maxBytes` (default 2 GiB) and the decoded bytes per element (default 8: a Float64Array)
 * @returns the number of elements
 * @throws {DgrnFormatError} `ERR_OUT_OF_RANGE`, `ERR_OUT_OF_MEMORY`
 * @throws {NpyTruncatedError} when the data is shorter than the header says
 * @example
 * ```ts
 * const count = checkNpySize(parseNpyHeader(bytes), bytes.length - h.dataOffset);
 * ```
 */
export function checkNpySize(
  h: NpyHeader,
  available: number,
  opts: { maxBytes?: number; bytesPerElement?: number } = {},
): number {
  const shapeText = `(${h.shape.join(", ")}${h.shape.length === 1 ? "," : ""})`;
  h.shape.forEach((d, i) => {
    if (d > MAX_DIMENSION) {
      throw new DgrnFormatError(
        `invalid input at \`shape[${i}]\`: a dimension above ${MAX_DIMENSION}; the header implies ${d} × … elements (≥ ${fmtBytes(d * h.itemSize)} of data), beyond what a reader can hold. Value: \`${shapeText}\`.`,
        { code: ErrorCode.OUT_OF_RANGE, field: `shape[${i}]` },
      );
    }
    if (d === 0) {
      throw new DgrnFormatError(
        `invalid input at \`shape[${i}]\`: a dimension of 0 (an empty array: no neurons, bins or spikes to read). Value: \`${shapeText}\`.`,
        { code: ErrorCode.OUT_OF_RANGE, field: `shape[${i}]` },
      );
    }
  });
  const count = h.shape.reduce((a, b) => a * b, 1);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const estimate = count * Math.max(opts.bytesPerElement ?? 8, h.itemSize);
  if (estimate > maxBytes || count > MAX_DIMENSION) {
    throw new DgrnFormatError(
      `invalid input at \`shape\`: reading ${count} elements needs about ${fmtBytes(estimate)}, above the limit of ${fmtBytes(maxBytes)} (maxBytes). Value: \`${shapeText}\`.`,
      { code: ErrorCode.OUT_OF_MEMORY, field: "shape" },
    );
  }
  const need = count * h.itemSize;
  if (available < need) {
    throw new NpyTruncatedError(
      `invalid input at \`data\`: the NPY data is truncated: the header promises ${need} bytes (shape ${shapeText}, ${h.itemSize} bytes each), ${available} present.`,
      need,
      available,
    );
  }
  return count;
}

/** f16 bits → f32 bits (exact), then read as a float32. */
function halfToFloat(bits: number, scratch: DataView): number {
  const sign = (bits & 0x8000) << 16;
  let exp = (bits >> 10) & 0x1f;
  let man = bits & 0x3ff;
  let out: number;
  if (exp === 0x1f) out = sign | 0x7f800000 | (man << 13);
  else if (exp === 0) {
    if (man === 0) out = sign;
    else {
      exp = 1;
      while ((man & 0x400) === 0) {
        man <<= 1;
        exp--;
      }
      man &= 0x3ff;
      out = sign | ((exp + 112) << 23) | (man << 13);
    }
  } else out = sign | ((exp + 112) << 23) | (man << 13);
  scratch.setUint32(0, out >>> 0);
  return scratch.getFloat32(0);
}

/** An exact reader of one scalar at a byte offset; `where(k)` names element k in errors. */
export function scalarReader(
  dv: DataView,
  t: NpyScalar,
  where: (k: number) => string,
): (byteOffset: number, k: number) => number {
  const le = t.little;
  switch (`${t.kind}${t.size}`) {
    case "b1":
      return (o) => (dv.getUint8(o) !== 0 ? 1 : 0);
    case "u1":
      return (o) => dv.getUint8(o);
    case "i1":
      return (o) => dv.getInt8(o);
    case "u2":
      return (o) => dv.getUint16(o, le);
    case "i2":
      return (o) => dv.getInt16(o, le);
    case "u4":
      return (o) => dv.getUint32(o, le);
    case "i4":
      return (o) => dv.getInt32(o, le);
    case "u8":
    case "i8": {
      const signed = t.kind === "i";
      return (o, k) => {
        const lo = dv.getUint32(le ? o : o + 4, le);
        const hi = signed ? dv.getInt32(le ? o + 4 : o, le) : dv.getUint32(le ? o + 4 : o, le);
        // |value| ≤ 2^53 (exact in a double) when hi ∈ [−2^21, 2^21), or the value is 2^53 itself.
        if ((hi >= 0x200000 && !(hi === 0x200000 && lo === 0)) || hi < -0x200000) {
          const v = signed ? dv.getBigInt64(o, le) : dv.getBigUint64(o, le);
          throw formatError(
            { field: where(k) },
            `a ${signed ? "int64" : "uint64"} beyond ±2^53, which a double cannot hold exactly`,
            `${v}`,
            ErrorCode.INVALID_DATA,
          );
        }
        return hi * 4294967296 + lo;
      };
    }
    case "f2": {
      const scratch = new DataView(new ArrayBuffer(4));
      return (o) => halfToFloat(dv.getUint16(o, le), scratch);
    }
    case "f4":
      return (o) => dv.getFloat32(o, le);
    default:
      return (o) => dv.getFloat64(o, le);
  }
}

/** A plain (non-structured) NPY array, read through {@link readNpyArray}. */
export interface NpyArray {
  header: NpyHeader;
  shape: number[];
  /** Number of elements. */
  size: number;
  /** Element k in C (row-major) order, as an exact number. */
  at(k: number): number;
  /** All elements in C order. */
  toFloat64(): Float64Array;
}

/**
 * Read an NPY file's header and give exact access to its elements (any
 * supported dtype, either byte order, C or Fortran order), after the size
 * checks of {@link checkNpySize}. Structured dtypes are refused (use
 * {@link readSpikes} for event records).
 *
 * @param bytes - the file's bytes
 * @param options - `maxBytes` (decoded size limit, default 2 GiB) and `name` (for messages)
 * @returns the array: shape, size, `at(k)` in C order, `toFloat64()`
 * @throws {NpyMagicError | NpyDtypeError | NpyTruncatedError} for the three NPY failures
 * @throws {DgrnFormatError} `ERR_OUT_OF_RANGE` / `ERR_OUT_OF_MEMORY` for an implied size that cannot be held, `ERR_INVALID_DATA` for an 8-byte integer beyond ±2^53
 * @example
 * ```ts
 * const a = readNpyArray(bytes);
 * a.shape; // [3, 4]
 * a.at(1 * 4 + 2); // element [1, 2]
 * ```
 */
export function readNpyArray(bytes: Uint8Array, options: { maxBytes?: number } = {}): NpyArray {
  const h = parseNpyHeader(bytes);
  if (h.scalar === null)
    throw new NpyDtypeError(
      `invalid input at \`descr\`: a structured dtype where a plain numeric array was expected. Value: \`${h.fields.map((f) => `${f.name}:${f.type.descr}`).join(", ")}\`.`,
      h.fields.map((f) => f.type.descr).join(","),
    );
  const size = checkNpySize(h, bytes.length - h.dataOffset, { maxBytes: options.maxBytes });
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, size * h.itemSize);
  const shape = h.shape;
  const get = scalarReader(dv, h.scalar, (k) => `[${k}]`);
  const isz = h.itemSize;
  let at: (k: number) => number;
  if (!h.fortranOrder || shape.length < 2) at = (k) => get(k * isz, k);
  else if (shape.length === 2) {
    const [r, c] = shape as [number, number];
    at = (k) => {
      const i = Math.floor(k / c);
      const f = (k - i * c) * r + i;
      return get(f * isz, k);
    };
  } else {
    at = (k) => {
      let f = 0;
      let stride = 1;
      let rest = k;
      const idx = new Array<number>(shape.length);
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d] = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
      }
      for (let d = 0; d < shape.length; d++) {
        f += idx[d]! * stride;
        stride *= shape[d]!;
      }
      return get(f * isz, k);
    };
  }
  return {
    header: h,
    shape,
    size,
    at,
    toFloat64() {
      const out = new Float64Array(size);
      for (let k = 0; k < size; k++) out[k] = at(k);
      return out;
    },
  };
}

/** Parse NPY bytes into spike data. */
export function readNpyBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  const h = parseNpyHeader(bytes);
  const params = provenanceParams(o, {
    shape: h.shape,
    descr: h.scalar ? h.scalar.descr : h.fields.map((f) => [f.name, f.type.descr]),
    fortranOrder: h.fortranOrder,
  });
  const provenance = { source: "npy", name, params };
  const emptyWhere = { field: "shape" };

  if (h.scalar === null) {
    // Structured 1-D array of (neuron, time) records.
    if (h.shape.length !== 1)
      throw formatError({ field: "shape" }, "a structured array must be 1-D", `(${h.shape.join(", ")})`);
    const count = checkNpySize(h, bytes.length - h.dataOffset, { maxBytes: o.maxBytes, bytesPerElement: 12 });
    const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, count * h.itemSize);
    const names = h.fields.map((f) => f.name);
    const pick = (want: string | undefined, kind: "unit" | "time") => {
      if (want !== undefined) {
        const f = h.fields.find((x) => x.name.toLowerCase() === want.toLowerCase());
        if (!f)
          throw formatError(
            { field: want },
            `no ${kind === "unit" ? "neuron" : "time"} field of that name; the record has ${names.join(", ")}`,
            want,
          );
        return f;
      }
      return h.fields.find((f) => classifyColumn(f.name)?.kind === kind);
    };
    const nf = pick(o.neuronColumn, "unit") ?? h.fields[0]!;
    const tf = pick(o.timeColumn, "time") ?? h.fields.find((f) => f !== nf);
    if (!tf || tf === nf)
      throw formatError(
        { field: "descr" },
        "a structured array needs a neuron field and a time field",
        names.join(","),
      );
    const c = classifyColumn(tf.name);
    const unit = eventTimeUnit(o, c?.kind === "time" ? c.unit : undefined, tf.name);
    const rn = scalarReader(dv, nf.type, (k) => `[${k}].${nf.name}`);
    const rt = scalarReader(dv, tf.type, (k) => `[${k}].${tf.name}`);
    const ev = new EventsBuilder(o.nNeurons, unit.divisor);
    for (let k = 0; k < count; k++) {
      const base = k * h.itemSize;
      ev.add(rn(base + nf.offset, k), rt(base + tf.offset, k), { field: `[${k}].${nf.name}` }, `[${k}].${tf.name}`);
    }
    params["timeUnit"] = unit.unit;
    return ev.finish({ duration: o.duration, provenance, emptyWhere, unit, timeField: tf.name });
  }
  const isEvents = h.shape.length === 1 || (h.shape.length === 2 && o.layout === "events");
  const count = checkNpySize(h, bytes.length - h.dataOffset, {
    maxBytes: o.maxBytes,
    bytesPerElement: isEvents ? 6 : 2,
  });
  if (
    (h.shape.length === 1 || (h.shape.length === 2 && h.shape[1] === 1)) &&
    h.scalar.kind === "u" &&
    h.scalar.size === 8 &&
    o.layout !== "events"
  ) {
    throw formatError(
      { field: "shape" },
      'a 1-D (or N × 1) uint64 array: this looks like Kilosort\'s spike_times.npy (sample indices), not spike events; read the whole folder (--input DIR, or format "phy"), or pass layout "events" for interleaved (neuron, time) pairs',
      `(${h.shape[0]},)`,
      ErrorCode.INVALID_DATA,
    );
  }
  if (h.shape.length === 2 && h.shape[1] === 2 && o.layout === "auto" && h.shape[0]! > 2) {
    throw formatError(
      { field: "shape" },
      `an (${h.shape[0]}, 2) array is ambiguous: (neuron, time) rows or 2 neurons binned; pass layout "events" (--layout events) or "binned"`,
      `(${h.shape.join(", ")})`,
      ErrorCode.INVALID_DATA,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, count * h.itemSize);
  const get = scalarReader(dv, h.scalar, (k) => `[${k}]`);
  const isz = h.itemSize;
  if (isEvents) {
    let M: number;
    let at: (k: number, c: number) => number;
    if (h.shape.length === 1) {
      if (count % 2 !== 0)
        throw formatError(
          { field: "shape" },
          "a 1-D array of (neuron, time) pairs must have an even length",
          `(${count},)`,
        );
      M = count / 2;
      at = (k, c) => 2 * k + c;
    } else {
      if (h.shape[1] !== 2)
        throw formatError(
          { field: "shape" },
          "events must be an (M, 2) array of (neuron, time) rows",
          `(${h.shape.join(", ")})`,
        );
      M = h.shape[0]!;
      at = h.fortranOrder ? (k, c) => c * M + k : (k, c) => 2 * k + c;
    }
    const unit = eventTimeUnit(o, undefined, "time");
    const ev = new EventsBuilder(o.nNeurons, unit.divisor);
    for (let k = 0; k < M; k++) {
      const a = at(k, 0);
      const b = at(k, 1);
      ev.add(
        get(a * isz, a),
        get(b * isz, b),
        { field: h.shape.length === 1 ? `[${a}]` : `[${k}, 0]` },
        h.shape.length === 1 ? `[${b}]` : `[${k}, 1]`,
      );
    }
    params["timeUnit"] = unit.unit;
    return ev.finish({ duration: o.duration, provenance, emptyWhere, unit, timeField: "time" });
  }
  if (h.shape.length !== 2)
    throw formatError(
      { field: "shape" },
      "expected a 1-D array of events or a 2-D (bins × neurons) array",
      `(${h.shape.join(", ")})`,
    );
  const [T, n] = h.shape as [number, number];
  const b = new BinnedBuilder();
  const row = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const k = h.fortranOrder ? i * T + t : t * n + i;
      row[i] = get(k * isz, k);
    }
    b.addRow(row, (i) => ({ field: o.transpose ? `[${t}, ${i}] (neuron ${t}, bin ${i})` : `[${t}, ${i}]` }));
  }
  const binSize = o.binSize ?? DEFAULT_BIN_SIZE;
  if (o.binSize === undefined) params["binSize"] = DEFAULT_BIN_SIZE;
  return b.finish({ binSize, provenance, emptyWhere, transpose: o.transpose });
}

/**
 * Build NPY 1.0 bytes from a descr literal, a shape and the raw data (the
 * header padded to a multiple of 64 bytes, as numpy writes it).
 *
 * @param descr - the Python literal of the dtype, e.g. `"'<i4'"` or `"[('neuron', '<i4'), ('time', '<f8')]"`
 * @param shape - the array shape
 * @param data - the raw element bytes
 * @param fortranOrder - whether `data` is column-major (default false)
 * @returns the file's bytes
 * @example
 * ```ts
 * npyBytes("'<f8'", [2], new Uint8Array(Float64Array.of(1, 2).buffer));
 * ```
 */
export function npyBytes(descr: string, shape: readonly number[], data: Uint8Array, fortranOrder = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': ${descr}, 'fortran_order': ${fortranOrder ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  out.set(data, 10 + header.length);
  return out;
}
