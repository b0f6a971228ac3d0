/**
 * Matrix helpers shared by the linear algebra functions.
 *
 * @module
 */
import { DgrnRangeError, ErrorCode } from "../errors.js";
import { checkMatrix, checkSquare, message, type Matrix } from "../validate.js";

export type { Matrix };

/** A new rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Check a symmetric matrix: square, finite, and |a_ij − a_ji| ≤ 1e−10 · max|a|.
 * Returns its exactly symmetric part (a new array; the input is not mutated).
 */
export function checkSymmetric(name: string, value: unknown): { n: number; data: Float64Array } {
  const m = checkMatrix(name, value);
  const n = checkSquare(name, m);
  const a = m.data;
  let amax = 0;
  for (let i = 0; i < a.length; i++) amax = Math.max(amax, Math.abs(a[i]!));
  const tol = 1e-10 * amax;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = a[i * n + i]!;
    for (let j = i + 1; j < n; j++) {
      const x = a[i * n + j]!;
      const y = a[j * n + i]!;
      if (Math.abs(x - y) > tol) {
        throw new DgrnRangeError(
          message(
            `${name}`,
            `a symmetric matrix (|a[i][j] − a[j][i]| ≤ 1e-10·max|a|)`,
            `a[${i}][${j}] = ${x}, a[${j}][${i}] = ${y}`,
          ),
          ErrorCode.INVALID_DATA,
        );
      }
      const s = 0.5 * (x + y);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return { n, data: out };
}
