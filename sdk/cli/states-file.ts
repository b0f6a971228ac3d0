/**
 * The `dynamics` command's inputs. States (a T × M 0/1 matrix, NPY or CSV) go
 * through the SDK's reader (`readSpikes` with `layout: "binned"`) and are then
 * checked to be 0/1. A label vector is not spike data (labels may be negative,
 * e.g. −1 = no stimulus), so labels use the small dense-array parser here.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { DgrnFormatError, DgrnIOError, ErrorCode, readSpikes, type BinaryStates } from "../targets/node.js";

/** A dense numeric array read from a file: shape and values (row-major). */
export interface DenseArray {
  shape: number[];
  values: Float64Array;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DgrnIOError(`cannot read \`${path}\`: ${(e as Error).message}`, e);
  }
}

/** Parse NPY bytes (format versions 1–3; bool, integer and float dtypes; C or Fortran order). */
export function parseNpy(b: Uint8Array, name: string): DenseArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (b.length < 10 || magic.some((m, i) => b[i] !== m)) throw new DgrnFormatError(`\`${name}\` is not an NPY file (bad magic)`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const major = b[6]!;
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + hlen > b.length) throw new DgrnFormatError(`\`${name}\`: truncated NPY header`);
  const header = new TextDecoder().decode(b.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] === "True";
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new DgrnFormatError(`\`${name}\`: unreadable NPY header`, { field: "header" });
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, c) => a * c, 1);
  const m = /^([<>|=])([biuf])(\d+)$/.exec(descr);
  if (!m) throw new DgrnFormatError(`\`${name}\`: unsupported NPY dtype \`${descr}\``, { field: "descr" });
  const little = m[1] !== ">";
  const kind = m[2]!;
  const size = Number(m[3]);
  const off = start + hlen;
  if (off + count * size > b.length) throw new DgrnFormatError(`\`${name}\`: truncated NPY data (${count} values of ${size} bytes expected)`);
  const raw = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = off + i * size;
    let v: number;
    if (kind === "f") v = size === 8 ? dv.getFloat64(p, little) : size === 4 ? dv.getFloat32(p, little) : NaN;
    else if (kind === "b" || (kind === "u" && size === 1)) v = b[p]!;
    else if (kind === "i" && size === 1) v = dv.getInt8(p);
    else if (size === 2) v = kind === "i" ? dv.getInt16(p, little) : dv.getUint16(p, little);
    else if (size === 4) v = kind === "i" ? dv.getInt32(p, little) : dv.getUint32(p, little);
    else if (size === 8) v = Number(kind === "i" ? dv.getBigInt64(p, little) : dv.getBigUint64(p, little));
    else throw new DgrnFormatError(`\`${name}\`: unsupported NPY dtype \`${descr}\``, { field: "descr" });
    raw[i] = v;
  }
  if (!fortran || shape.length < 2) return { shape, values: raw };
  const [r, c] = [shape[0]!, shape[1]!];
  const values = new Float64Array(count);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) values[i * c + j] = raw[j * r + i]!;
  return { shape, values };
}

/** Parse a numeric CSV (comma, semicolon, tab or space separated); a non-numeric first line is a header. */
export function parseCsv(text: string, name: string): DenseArray {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith("#"));
  const rows: number[][] = [];
  lines.forEach((line, i) => {
    const cells = line.split(/[,;\t ]+/).filter((c) => c.length > 0);
    const nums = cells.map(Number);
    if (nums.some((v) => !Number.isFinite(v))) {
      if (i === 0) return; // header
      throw new DgrnFormatError(`\`${name}\` row ${i + 1}: a non-numeric cell`, { row: i + 1 });
    }
    if (rows.length > 0 && nums.length !== rows[0]!.length) {
      throw new DgrnFormatError(`\`${name}\` row ${i + 1}: ${nums.length} columns, expected ${rows[0]!.length}`, { row: i + 1 });
    }
    rows.push(nums);
  });
  if (rows.length === 0) throw new DgrnFormatError(`\`${name}\` has no rows`, { code: ErrorCode.INVALID_DATA });
  const cols = rows[0]!.length;
  const values = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => values.set(r, i * cols));
  return { shape: [rows.length, cols], values };
}

async function readDense(path: string): Promise<DenseArray> {
  const b = await bytesOf(path);
  return path.toLowerCase().endsWith(".npy") ? parseNpy(b, path) : parseCsv(new TextDecoder().decode(b), path);
}

/** Read a T × M 0/1 matrix as BinaryStates (rows = bins). */
export async function readStatesFile(path: string): Promise<BinaryStates> {
  const d = readSpikes(path, { layout: "binned" });
  if (d.kind !== "binned") throw new DgrnFormatError(`\`${path}\`: expected a T × M 0/1 matrix, got spike events`, { code: ErrorCode.INVALID_DATA });
  const { nBins: T, nNeurons: n, counts } = d;
  const data = new Uint8Array(T * n);
  for (let i = 0; i < data.length; i++) {
    const v = counts[i]!;
    if (v > 1) {
      const row = Math.floor(i / n) + 1;
      throw new DgrnFormatError(`\`${path}\` row ${row}, column ${(i % n) + 1}: expected 0 or 1, got ${v}`, { code: ErrorCode.INVALID_DATA, row });
    }
    data[i] = v;
  }
  return { T, n, data, neuronIds: d.neuronIds };
}

/** Read one integer label per bin (a 1-D array, or one row or one column). */
export async function readLabelsFile(path: string): Promise<Int32Array> {
  const a = await readDense(path);
  if (a.shape.length === 2 && a.shape[0] !== 1 && a.shape[1] !== 1) {
    throw new DgrnFormatError(`\`${path}\`: expected one label per bin (a vector), got shape (${a.shape.join(", ")})`, { code: ErrorCode.INVALID_DATA });
  }
  const out = new Int32Array(a.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = a.values[i]!;
    if (!Number.isInteger(v)) throw new DgrnFormatError(`\`${path}\` entry ${i + 1}: expected an integer label, got ${v}`, { code: ErrorCode.INVALID_DATA, row: i + 1 });
    out[i] = v;
  }
  return out;
}
