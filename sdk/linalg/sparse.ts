/**
 * Compressed sparse row (CSR) matrices and their product with a vector
 * (assembly/linalg/sparse.ts).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkInteger, checkVector, message } from "../validate.js";
import type { LinalgExports } from "./kernel.js";

/** A sparse matrix in CSR form: row i's entries are `values[rowPtr[i] .. rowPtr[i+1])` in columns `colIdx[…]`. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Length rows + 1, nondecreasing, rowPtr[0] = 0, rowPtr[rows] = nnz. */
  readonly rowPtr: Int32Array;
  /** Length nnz, each in [0, cols). */
  readonly colIdx: Int32Array;
  /** Length nnz, finite. */
  readonly values: Float64Array;
}

/**
 * Check a {@link CsrMatrix}: types, lengths, row pointers, column range, finiteness.
 *
 * @param name - the argument's name, for messages
 * @param value - the candidate
 * @returns the same matrix, typed
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for wrongly typed fields
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` for inconsistent lengths
 * @throws {DgrnRangeError} `ERR_INVALID_DATA` for bad row pointers or column indices; `ERR_NOT_FINITE` for NaN/∞
 * @example
 * ```ts
 * checkCsr("a", { rows: 1, cols: 1, rowPtr: new Int32Array([0, 1]), colIdx: new Int32Array([0]), values: new Float64Array([2]) });
 * ```
 */
export function checkCsr(name: string, value: unknown): CsrMatrix {
  if (value === null || typeof value !== "object")
    throw new DgrnTypeError(message(name, "a CSR matrix { rows, cols, rowPtr, colIdx, values }", value));
  const v = value as Partial<CsrMatrix>;
  const rows = checkInteger(`${name}.rows`, v.rows, { min: 0 });
  const cols = checkInteger(`${name}.cols`, v.cols, { min: 0 });
  if (!(v.rowPtr instanceof Int32Array)) throw new DgrnTypeError(message(`${name}.rowPtr`, "an Int32Array", v.rowPtr));
  if (!(v.colIdx instanceof Int32Array)) throw new DgrnTypeError(message(`${name}.colIdx`, "an Int32Array", v.colIdx));
  const values = checkVector(`${name}.values`, v.values);
  const { rowPtr, colIdx } = v;
  if (rowPtr.length !== rows + 1)
    throw new DgrnShapeError(message(`${name}.rowPtr.length`, `rows + 1 = ${rows + 1}`, rowPtr.length));
  const nnz = values.length;
  if (colIdx.length !== nnz)
    throw new DgrnShapeError(message(`${name}.colIdx.length`, `values.length = ${nnz}`, colIdx.length));
  if (rowPtr[0] !== 0) throw new DgrnRangeError(message(`${name}.rowPtr[0]`, "0", rowPtr[0]), ErrorCode.INVALID_DATA);
  for (let i = 0; i < rows; i++) {
    if (rowPtr[i + 1]! < rowPtr[i]!) {
      throw new DgrnRangeError(
        message(`${name}.rowPtr[${i + 1}]`, `>= rowPtr[${i}] = ${rowPtr[i]}`, rowPtr[i + 1]),
        ErrorCode.INVALID_DATA,
      );
    }
  }
  if (rowPtr[rows] !== nnz)
    throw new DgrnRangeError(message(`${name}.rowPtr[${rows}]`, `nnz = ${nnz}`, rowPtr[rows]), ErrorCode.INVALID_DATA);
  for (let p = 0; p < nnz; p++) {
    const c = colIdx[p]!;
    if (c < 0 || c >= cols)
      throw new DgrnRangeError(message(`${name}.colIdx[${p}]`, `in [0, ${cols})`, c), ErrorCode.INVALID_DATA);
  }
  return { rows, cols, rowPtr, colIdx, values };
}

/**
 * y = A x for a CSR matrix A.
 *
 * @param a - a {@link CsrMatrix}
 * @param x - a vector of length `a.cols`
 * @returns a new Float64Array of length `a.rows`
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for wrongly typed fields
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` for inconsistent lengths or `x.length !== a.cols`
 * @throws {DgrnRangeError} `ERR_INVALID_DATA` for bad row pointers or column indices; `ERR_NOT_FINITE` for NaN/∞
 * @example
 * ```ts
 * await init();
 * // [[2, 0], [1, 3]] · [1, 1] = [2, 4]
 * csrMatVec({ rows: 2, cols: 2, rowPtr: new Int32Array([0, 1, 3]), colIdx: new Int32Array([0, 0, 1]), values: new Float64Array([2, 1, 3]) }, new Float64Array([1, 1]));
 * ```
 */
export function csrMatVec(a: CsrMatrix, x: Float64Array): Float64Array {
  const A = checkCsr("a", a);
  const xv = checkVector("x", x);
  if (xv.length !== A.cols) throw new DgrnShapeError(message("x.length", `a.cols = ${A.cols}`, xv.length));
  const k = getKernel();
  const f = k.fn<LinalgExports>();
  return k.scope((s) => {
    const rp = s.copyI32(A.rowPtr);
    const ci = s.copyI32(A.colIdx);
    const vp = s.copyF64(A.values);
    const xp = s.copyF64(xv);
    const y = s.f64(A.rows);
    f.dcsrmv(A.rows, rp, ci, vp, xp, 1, 0, y, 1, 0);
    return k.readF64(y, A.rows);
  });
}
