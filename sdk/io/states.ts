/**
 * The one reader of binary state matrices (T × n, rows = time bins, 0/1) and
 * of label vectors (one integer per bin), from NPY or CSV bytes. `dgrn tn`,
 * `dgrn dynamics` and any SDK user read states through here, so a file gets
 * the same answer and the same message everywhere. NPY goes through the one
 * NPY reader (sdk/io/npy.ts); CSV through a small numeric-table parser
 * (delimiter `,` `;` tab or space, `#` comments, an optional header whose
 * names, when all integers, become the neuron ids).
 *
 * @module
 */
import { DgrnFormatError, ErrorCode } from "../errors.js";
import type { BinaryStates } from "../types.js";
import { formatError, parseNumberField } from "./events.js";
import { readNpyArray } from "./npy.js";

/** A dense numeric table: shape and row-major values, and the header names when the file had one. */
export interface DenseTable {
  shape: number[];
  values: Float64Array;
  header?: string[];
}

const isNpy = (b: Uint8Array): boolean => b[0] === 0x93 && b[1] === 0x4e && b[2] === 0x55 && b[3] === 0x4d;

/**
 * A dense numeric table from NPY (any dtype, C or Fortran order) or CSV bytes.
 *
 * @param bytes - the file's bytes
 * @param name - the file name, for messages
 * @returns the shape (1-D or 2-D for NPY; 2-D for CSV), row-major values and any CSV header
 * @throws {DgrnFormatError} for unparsable content, naming the row or element; the NPY reader's errors
 * @example
 * ```ts
 * readDenseTable(new TextEncoder().encode("0,1\n1,1\n"), "x.csv").shape; // [2, 2]
 * ```
 */
export function readDenseTable(bytes: Uint8Array, name: string): DenseTable {
  if (isNpy(bytes)) {
    const a = readNpyArray(bytes);
    return { shape: a.shape, values: a.toFloat64() };
  }
  let text = new TextDecoder().decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let header: string[] | undefined;
  for (let r = 0; r < lines.length; r++) {
    const line = lines[r]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split(/\s*[,;\t ]\s*/).filter((c) => c !== "");
    if (
      rows.length === 0 &&
      header === undefined &&
      cells.some((c) => !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(c))
    ) {
      header = cells;
      continue;
    }
    const nums = cells.map((c, i) => parseNumberField(c, { row: r + 1, field: header?.[i] ?? `column ${i + 1}` }));
    if (rows.length > 0 && nums.length !== rows[0]!.length)
      throw formatError(
        { row: r + 1 },
        `a ragged row: ${nums.length} columns where the first row has ${rows[0]!.length}`,
        nums.length,
      );
    rows.push(nums);
  }
  if (rows.length === 0)
    throw formatError({ row: 1, field: name }, "no data rows (an empty file?)", undefined, ErrorCode.INVALID_DATA);
  const cols = rows[0]!.length;
  const values = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => values.set(row, i * cols));
  return header ? { shape: [rows.length, cols], values, header } : { shape: [rows.length, cols], values };
}

/**
 * Binary states x_i(t) from a T × n 0/1 matrix (rows = time bins, columns = units).
 *
 * @param bytes - NPY or CSV bytes
 * @param name - the file name, for messages
 * @returns `{ T, n, data, neuronIds }` (ids from an all-integer CSV header, else 0…n−1)
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for an entry that is not 0 or 1 (naming row and column) or a shape that is not 2-D
 * @example
 * ```ts
 * const x = readStates(new TextEncoder().encode("0,1\n1,1\n"), "s.csv"); // T = 2, n = 2
 * ```
 */
export function readStates(bytes: Uint8Array, name: string): BinaryStates {
  const a = readDenseTable(bytes, name);
  if (a.shape.length !== 2)
    throw formatError(
      { field: "shape" },
      `\`${name}\`: states must be a 2-D T × n matrix`,
      `(${a.shape.join(", ")})`,
      ErrorCode.INVALID_DATA,
    );
  const [T, n] = a.shape as [number, number];
  const data = new Uint8Array(T * n);
  for (let k = 0; k < data.length; k++) {
    const v = a.values[k]!;
    if (v !== 0 && v !== 1) {
      const t = Math.floor(k / n);
      const i = k % n;
      throw new DgrnFormatError(
        `invalid input at row ${t + 1}: \`${name}\` element [${t}, ${i}] (bin ${t}, unit ${i}): entry (${t}, ${i}) is ${v}, expected 0 or 1`,
        {
          code: ErrorCode.INVALID_DATA,
          row: t + 1,
          field: a.header?.[i] ?? `column ${i + 1}`,
        },
      );
    }
    data[k] = v;
  }
  const ids =
    a.header && a.header.length === n && a.header.every((h) => /^\d+$/.test(h) && Number(h) < 2 ** 31)
      ? Int32Array.from(a.header, Number)
      : Int32Array.from({ length: n }, (_, i) => i);
  return { T, n, data, neuronIds: ids };
}

/**
 * One integer label per bin: a 1-D array, or a single row or column.
 *
 * @param bytes - NPY or CSV bytes
 * @param name - the file name, for messages
 * @returns the labels (negative labels allowed, e.g. −1 = no stimulus)
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for a matrix or a non-integer label
 * @example
 * ```ts
 * readLabels(new TextEncoder().encode("0\n1\n-1\n"), "y.csv"); // Int32Array [0, 1, -1]
 * ```
 */
export function readLabels(bytes: Uint8Array, name: string): Int32Array {
  const a = readDenseTable(bytes, name);
  if (a.shape.length > 2 || (a.shape.length === 2 && a.shape[0] !== 1 && a.shape[1] !== 1)) {
    throw formatError(
      { field: "shape" },
      `\`${name}\`: expected one label per bin (a vector)`,
      `(${a.shape.join(", ")})`,
      ErrorCode.INVALID_DATA,
    );
  }
  const out = new Int32Array(a.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = a.values[i]!;
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
      throw formatError(
        { row: i + 1 },
        `\`${name}\` entry ${i + 1}: expected an integer label`,
        v,
        ErrorCode.INVALID_DATA,
      );
    out[i] = v;
  }
  return out;
}
