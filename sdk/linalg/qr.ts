/**
 * Thin Householder QR (assembly/linalg/qr.ts).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { checkMatrix, type Matrix } from "../validate.js";
import type { LinalgExports } from "./kernel.js";

/** Result of {@link qr}: A = Q R. */
export interface QrResult {
  /** m×k with orthonormal columns, k = min(m, n). */
  q: Matrix;
  /** k×n upper triangular (trapezoidal when m < n), with a nonnegative diagonal. */
  r: Matrix;
}

/**
 * Thin QR factorisation by Householder reflections, A = Q R.
 * The diagonal of R is made nonnegative (ours; LAPACK leaves signs free), so for
 * full column rank the factorisation is unique.
 *
 * @param a - an m×n matrix
 * @returns `{ q, r }`, q m×k, r k×n, k = min(m, n)
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `a` is not a matrix
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `data` has the wrong length
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞ entries
 * @example
 * ```ts
 * await init();
 * const { q, r } = qr({ rows: 2, cols: 1, data: new Float64Array([3, 4]) });
 * // q = [0.6, 0.8]ᵀ, r = [5]
 * ```
 */
export function qr(a: Matrix): QrResult {
  const A = checkMatrix("a", a);
  const { rows: m, cols: n } = A;
  const k = Math.min(m, n);
  const kern = getKernel();
  const f = kern.fn<LinalgExports>();
  return kern.scope((s) => {
    const ap = s.copyF64(A.data);
    const q = s.f64(m * k);
    const r = s.f64(k * n);
    const work = s.bytes(f.dgeqrWorkSize(m, n));
    f.dgeqr(m, n, ap, q, r, work);
    return {
      q: { rows: m, cols: k, data: kern.readF64(q, m * k) },
      r: { rows: k, cols: n, data: kern.readF64(r, k * n) },
    };
  });
}
