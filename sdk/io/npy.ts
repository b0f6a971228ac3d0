/**
 * NPY reader and writer (format spec: numpy.lib.format, versions 1.0–3.0).
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, the header length
 * (u16 LE in 1.0, u32 LE in 2.0/3.0), an ASCII (3.0: UTF-8) Python dict
 * `{'descr': …, 'fortran_order': …, 'shape': (…), }` padded with spaces and a
 * newline to a multiple of 64 bytes, then the raw data.
 *
 * Supported dtypes: bool `|b1`, uint8 `|u1`, int32 `i4`, int64 `i8`, float32
 * `f4`, float64 `f8`, little- or big-endian; C and Fortran order. Arrays:
 * - 2-D (T, n): binned counts (rows = time bins), unless `layout: "events"`,
 *   then (M, 2) rows of (neuron, time);
 * - 1-D structured array of (neuron, time) records (fields named
 *   `neuron`/`time`, else the first two fields in that order);
 * - 1-D plain array of interleaved pairs neuron₀, time₀, neuron₁, time₁, ….
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import type { SpikeData } from "../types.js";
import { BinnedBuilder, EventsBuilder, formatError } from "./events.js";
import { NpyDtypeError, NpyMagicError, NpyTruncatedError } from "./errors.js";
import { DEFAULT_BIN_SIZE, provenanceParams, type CheckedReadOptions } from "./options.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** One scalar type: kind b (bool), u, i, f; size in bytes; little-endian or not. */
interface Scalar {
  kind: "b" | "u" | "i" | "f";
  size: number;
  little: boolean;
  descr: string;
}

interface Field {
  name: string;
  type: Scalar;
  offset: number;
}

/** A parsed header. */
export interface NpyHeader {
  version: [number, number];
  /** Plain dtype, or null for a structured one. */
  scalar: Scalar | null;
  /** Fields of a structured dtype (else empty). */
  fields: Field[];
  /** Bytes per element. */
  itemSize: number;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

const SUPPORTED = "bool (|b1), uint8 (|u1), int32 (i4), int64 (i8), float32 (f4), float64 (f8)";

function scalar(descr: string): Scalar {
  const m = /^([<>|=])([buif])(\d+)$/.exec(descr);
  const ok = m && ((m[2] === "b" && m[3] === "1") || (m[2] === "u" && m[3] === "1") || (m[2] === "i" && (m[3] === "4" || m[3] === "8")) || (m[2] === "f" && (m[3] === "4" || m[3] === "8")));
  if (!m || !ok) throw new NpyDtypeError(`invalid input at \`descr\`: unsupported NPY dtype; supported: ${SUPPORTED}. Value: \`${descr}\`.`, descr);
  // '=' is native order, which numpy writes as '<' or '>' explicitly; treat as little-endian.
  return { kind: m[2] as Scalar["kind"], size: Number(m[3]), little: m[1] !== ">", descr };
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
  for (let k = 0; k < MAGIC.length; k++) {
    if (bytes[k] !== MAGIC[k]) {
      throw new NpyMagicError(`invalid input at \`magic\`: not an NPY file (the first bytes must be \\x93NUMPY). Value: \`${Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ")}\`.`);
    }
  }
  if (bytes.length < 10) throw new NpyTruncatedError(`invalid input at \`data\`: the NPY header is truncated (${bytes.length} bytes).`, 10, bytes.length);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) throw formatError({ field: "version" }, "an unsupported NPY version (1.0, 2.0 and 3.0 are)", `${major}.${minor}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = dv.getUint16(8, true);
    start = 10;
  } else {
    if (bytes.length < 12) throw new NpyTruncatedError(`invalid input at \`data\`: the NPY header is truncated (${bytes.length} bytes).`, 12, bytes.length);
    hlen = dv.getUint32(8, true);
    start = 12;
  }
  if (start + hlen > bytes.length) {
    throw new NpyTruncatedError(`invalid input at \`data\`: the NPY header is truncated: ${start + hlen} bytes promised, ${bytes.length} present.`, start + hlen, bytes.length);
  }
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
      const v = Number(s.replace(/L$/, ""));
      if (!Number.isInteger(v) || v < 0) throw formatError({ field: "shape" }, "not a tuple of nonnegative integers", shapeM[1]);
      return v;
    });
  let sc: Scalar | null = null;
  const fields: Field[] = [];
  let itemSize: number;
  if (descrM[4] !== undefined) {
    // [('name', '<i4'), ('time', '<f8')]
    const re = /\(\s*['"]([^'"]*)['"]\s*,\s*['"]([^'"]+)['"]\s*(,\s*\([^)]*\)\s*)?\)/g;
    let m: RegExpExecArray | null;
    let off = 0;
    while ((m = re.exec(descrM[4]))) {
      if (m[3]) throw new NpyDtypeError(`invalid input at \`descr\`: sub-array fields are not supported. Value: \`${descrM[1]}\`.`, descrM[1]!);
      if (m[1] === "" && /^\|V\d+$/.test(m[2]!)) {
        off += Number(m[2]!.slice(2)); // padding
        continue;
      }
      const t = scalar(m[2]!);
      fields.push({ name: m[1]!, type: t, offset: off });
      off += t.size;
    }
    if (fields.length === 0) throw new NpyDtypeError(`invalid input at \`descr\`: an empty structured dtype. Value: \`${descrM[1]}\`.`, descrM[1]!);
    itemSize = off;
  } else {
    sc = scalar(descrM[2] ?? descrM[3]!);
    itemSize = sc.size;
  }
  return { version: [major, minor], scalar: sc, fields, itemSize, fortranOrder: fortranM[1] === "True", shape, dataOffset: start + hlen };
}

function reader(dv: DataView, t: Scalar, where: (k: number) => string): (byteOffset: number, k: number) => number {
  const le = t.little;
  switch (`${t.kind}${t.size}`) {
    case "b1":
    case "u1":
      return (o) => dv.getUint8(o);
    case "i4":
      return (o) => dv.getInt32(o, le);
    case "i8":
      return (o, k) => {
        const v = dv.getBigInt64(o, le);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
          throw formatError({ field: where(k) }, "an int64 beyond ±2^53", `${v}`, ErrorCode.INVALID_DATA);
        }
        return Number(v);
      };
    case "f4":
      return (o) => dv.getFloat32(o, le);
    default:
      return (o) => dv.getFloat64(o, le);
  }
}

/** Parse NPY bytes into spike data. */
export function readNpyBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  if (bytes.length === 0) throw formatError({ field: "magic" }, "an empty file");
  const h = parseNpyHeader(bytes);
  const count = h.shape.reduce((a, b) => a * b, 1);
  const need = count * h.itemSize;
  const have = bytes.length - h.dataOffset;
  if (have < need) {
    throw new NpyTruncatedError(`invalid input at \`data\`: the NPY data is truncated: the header promises ${need} bytes (shape (${h.shape.join(", ")}), ${h.itemSize} bytes each), ${have} present.`, need, have);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, need);
  const params = provenanceParams(o, { shape: h.shape, descr: h.scalar ? h.scalar.descr : h.fields.map((f) => [f.name, f.type.descr]), fortranOrder: h.fortranOrder });
  const provenance = { source: "npy", name, params };
  const scale = o.timeUnit === "ms" ? 1e-3 : 1;
  const emptyWhere = { field: "shape" };

  if (h.scalar === null) {
    // Structured 1-D array of (neuron, time) records.
    if (h.shape.length !== 1) throw formatError({ field: "shape" }, "a structured array must be 1-D", `(${h.shape.join(", ")})`);
    const byName = (re: RegExp) => h.fields.find((f) => re.test(f.name.toLowerCase()));
    const nf = byName(/^(neuron|neuron_id|unit|id|cluster)$/) ?? h.fields[0]!;
    const tf = byName(/^(time|times|t|spike_time)$/) ?? h.fields.find((f) => f !== nf);
    if (!tf) throw formatError({ field: "descr" }, "a structured array needs a neuron field and a time field", h.fields.map((f) => f.name).join(","));
    const rn = reader(dv, nf.type, (k) => `[${k}].${nf.name}`);
    const rt = reader(dv, tf.type, (k) => `[${k}].${tf.name}`);
    const ev = new EventsBuilder(o.nNeurons, scale);
    for (let k = 0; k < count; k++) {
      const base = k * h.itemSize;
      ev.add(rn(base + nf.offset, k), rt(base + tf.offset, k), { field: `[${k}].${nf.name}` }, `[${k}].${tf.name}`);
    }
    return ev.finish({ duration: o.duration, provenance, emptyWhere });
  }
  const get = reader(dv, h.scalar, (k) => `[${k}]`);
  const isz = h.itemSize;
  if (h.shape.length === 1 || (h.shape.length === 2 && o.layout === "events")) {
    let M: number;
    let at: (k: number, c: number) => number;
    if (h.shape.length === 1) {
      if (count % 2 !== 0) throw formatError({ field: "shape" }, "a 1-D array of (neuron, time) pairs must have an even length", `(${count},)`);
      M = count / 2;
      at = (k, c) => 2 * k + c;
    } else {
      if (h.shape[1] !== 2) throw formatError({ field: "shape" }, "events must be an (M, 2) array of (neuron, time) rows", `(${h.shape.join(", ")})`);
      M = h.shape[0]!;
      at = h.fortranOrder ? (k, c) => c * M + k : (k, c) => 2 * k + c;
    }
    const ev = new EventsBuilder(o.nNeurons, scale);
    for (let k = 0; k < M; k++) {
      const a = at(k, 0);
      const b = at(k, 1);
      ev.add(get(a * isz, a), get(b * isz, b), { field: h.shape.length === 1 ? `[${a}]` : `[${k}, 0]` }, h.shape.length === 1 ? `[${b}]` : `[${k}, 1]`);
    }
    return ev.finish({ duration: o.duration, provenance, emptyWhere });
  }
  if (h.shape.length !== 2) throw formatError({ field: "shape" }, "expected a 1-D array of events or a 2-D (bins × neurons) array", `(${h.shape.join(", ")})`);
  const [T, n] = h.shape as [number, number];
  const b = new BinnedBuilder();
  const row = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const k = h.fortranOrder ? i * T + t : t * n + i;
      row[i] = get(k * isz, k);
    }
    b.addRow(row, (i) => ({ field: `[${t}, ${i}]` }));
  }
  const binSize = o.binSize ?? DEFAULT_BIN_SIZE;
  if (o.binSize === undefined) params["binSize"] = DEFAULT_BIN_SIZE;
  return b.finish({ binSize, provenance, emptyWhere });
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


