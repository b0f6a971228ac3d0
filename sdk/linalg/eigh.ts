/**
 * Symmetric eigendecomposition: Householder tridiagonalisation, then implicit
 * QL with eigenvector accumulation, in the kernel (assembly/linalg/eigh.ts).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { checkStatus } from "../kernel/kernel.js";
import { DgrnShapeError } from "../errors.js";
import { checkBoolean, checkOptions, checkVector, message, type Matrix } from "../validate.js";
import type { LinalgExports } from "./kernel.js";
import { checkSymmetric } from "./matrix.js";

/** Options of {@link eigh} and {@link eighTridiagonal}. */
export interface EighOptions {
  /** Also compute the eigenvectors. Default true. */
  vectors?: boolean;
}

/** Result of {@link eigh} and {@link eighTridiagonal}. */
export interface EighResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as the columns of a row-major n×n matrix (column j belongs to values[j]), or null when not requested. */
  vectors: Matrix | null;
}

function parseVectors(options: unknown): boolean {
  const o = checkOptions<EighOptions>("options", options, ["vectors"]);
  return o.vectors === undefined ? true : checkBoolean("options.vectors", o.vectors);
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix, A = V Λ Vᵀ.
 *
 * @param a - a symmetric n×n matrix (both triangles given; they must agree to 1e−10 · max|a|)
 * @param options - `vectors` (default true)
 * @returns `{ values, vectors }`: values ascending; vectors orthonormal, column j for values[j]
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `a` is not a matrix
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `a` is not square or `data` has the wrong length
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞ entries, `ERR_INVALID_DATA` when `a` is not symmetric
 * @throws {DgrnKernelError} `ERR_NO_CONVERGENCE` if the QL iteration fails (not seen in practice)
 * @example
 * ```ts
 * await init();
 * const { values, vectors } = eigh({ rows: 2, cols: 2, data: new Float64Array([2, 1, 1, 2]) });
 * // values = [1, 3]; vectors columns ±[1, −1]/√2 and ±[1, 1]/√2
 * ```
 */
export function eigh(a: Matrix, options?: EighOptions): EighResult {
  const { n, data } = checkSymmetric("a", a);
  const want = parseVectors(options);
  const k = getKernel();
  const f = k.fn<LinalgExports>();
  return k.scope((s) => {
    const ap = s.copyF64(data);
    const w = s.f64(n);
    const z = want ? s.f64(n * n) : 0;
    const work = s.bytes(f.dsyevWorkSize(n));
    checkStatus(f.dsyev(n, want ? 1 : 0, ap, w, z, work), "eigh");
    return {
      values: k.readF64(w, n),
      vectors: want ? { rows: n, cols: n, data: k.readF64(z, n * n) } : null,
    };
  });
}

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix T (for
 * Lanczos and stochastic Lanczos quadrature).
 *
 * @param diag - the diagonal, length n
 * @param offdiag - the off-diagonal T[i][i+1] = T[i+1][i], length n − 1 (n = 0: length 0)
 * @param options - `vectors` (default true)
 * @returns `{ values, vectors }` as {@link eigh}
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for non-numeric input
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `offdiag.length !== diag.length − 1`
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞ entries
 * @example
 * ```ts
 * // the path-graph Laplacian's Jacobi matrix: [[1, −1], [−1, 1]] → values [0, 2]
 * eighTridiagonal(new Float64Array([1, 1]), new Float64Array([-1]));
 * ```
 */
export function eighTridiagonal(diag: Float64Array, offdiag: Float64Array, options?: EighOptions): EighResult {
  const d = checkVector("diag", diag);
  const e = checkVector("offdiag", offdiag);
  const n = d.length;
  if (e.length !== Math.max(0, n - 1)) {
    throw new DgrnShapeError(message("offdiag.length", `diag.length − 1 = ${Math.max(0, n - 1)}`, e.length));
  }
  const want = parseVectors(options);
  const k = getKernel();
  const f = k.fn<LinalgExports>();
  return k.scope((s) => {
    const dp = s.copyF64(d);
    const ep = s.f64(n + 1);
    k.f64(ep, n + 1).set(e);
    const z = want ? s.f64(n * n) : 0;
    const work = s.bytes(f.dstevWorkSize(n));
    checkStatus(f.dstev(n, want ? 1 : 0, dp, ep, z, work), "eighTridiagonal");
    return {
      values: k.readF64(dp, n),
      vectors: want ? { rows: n, cols: n, data: k.readF64(z, n * n) } : null,
    };
  });
}
