/**
 * Thin singular value decomposition (one-sided Jacobi in the kernel,
 * assembly/linalg/svd.ts) and its truncation by a relative Frobenius tolerance.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { checkStatus } from "../kernel/kernel.js";
import { checkBoolean, checkInteger, checkMatrix, checkNumber, checkOptions, type Matrix } from "../validate.js";
import type { LinalgExports } from "./kernel.js";

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Also compute U and V. Default true. */
  vectors?: boolean;
}

/** Result of {@link svd}: A = U diag(s) Vᵀ. */
export interface SvdResult {
  /** Left singular vectors, m×k (k = min(m, n)), orthonormal columns; null when not requested. */
  u: Matrix | null;
  /** Singular values, descending, length k. */
  s: Float64Array;
  /** Right singular vectors, n×k, orthonormal columns; null when not requested. */
  v: Matrix | null;
}

/**
 * Thin SVD, A = U Σ Vᵀ, by one-sided Jacobi (accurate to roundoff relative to
 * each singular value for well-scaled columns).
 *
 * @param a - an m×n matrix
 * @param options - `vectors` (default true)
 * @returns `{ u, s, v }` with s descending; for rank-deficient A the columns of
 *   U (or V) that belong to zero singular values are completed to an orthonormal set
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `a` is not a matrix
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `data` has the wrong length
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞ entries
 * @throws {DgrnKernelError} `ERR_NO_CONVERGENCE` if the sweeps fail to converge
 * @example
 * ```ts
 * await init();
 * const { s } = svd({ rows: 2, cols: 2, data: new Float64Array([3, 0, 0, -4]) }); // s = [4, 3]
 * ```
 */
export function svd(a: Matrix, options?: SvdOptions): SvdResult {
  const A = checkMatrix("a", a);
  const o = checkOptions<SvdOptions>("options", options, ["vectors"]);
  const want = o.vectors === undefined ? true : checkBoolean("options.vectors", o.vectors);
  return svdRaw(A, want);
}

function svdRaw(A: Matrix, want: boolean): SvdResult {
  const { rows: m, cols: n } = A;
  const kk = Math.min(m, n);
  const k = getKernel();
  const f = k.fn<LinalgExports>();
  return k.scope((sc) => {
    const ap = sc.copyF64(A.data);
    const sp = sc.f64(kk);
    const up = want ? sc.f64(m * kk) : 0;
    const vp = want ? sc.f64(n * kk) : 0;
    const work = sc.bytes(f.dgesvdWorkSize(m, n));
    checkStatus(f.dgesvd(m, n, want ? 1 : 0, ap, sp, up, vp, work), "svd");
    return {
      u: want ? { rows: m, cols: kk, data: k.readF64(up, m * kk) } : null,
      s: k.readF64(sp, kk),
      v: want ? { rows: n, cols: kk, data: k.readF64(vp, n * kk) } : null,
    };
  });
}

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /** Relative Frobenius tolerance ε ≥ 0: keep the smallest rank r with ‖A − A_r‖_F ≤ ε‖A‖_F. Default 0 (drop only exact zeros). */
  tol?: number;
  /** Upper bound on the rank kept (a nonnegative integer). Default min(m, n). */
  maxRank?: number;
  /** Also return U and V. Default true. */
  vectors?: boolean;
}

/** Result of {@link truncatedSvd}. */
export interface TruncatedSvdResult {
  /** m×rank, or null when vectors were not requested. */
  u: Matrix | null;
  /** The `rank` largest singular values, descending. */
  s: Float64Array;
  /** n×rank, or null. */
  v: Matrix | null;
  /** The rank kept. */
  rank: number;
  /** ‖A − U diag(s) Vᵀ‖_F = √(Σ_{i ≥ rank} σ_i²), the Frobenius norm of the dropped tail. */
  discarded: number;
}

function takeColumns(m: Matrix, r: number): Matrix {
  const out = new Float64Array(m.rows * r);
  for (let i = 0; i < m.rows; i++) out.set(m.data.subarray(i * m.cols, i * m.cols + r), i * r);
  return { rows: m.rows, cols: r, data: out };
}

/**
 * Truncated SVD: the smallest rank r whose discarded tail satisfies
 * √(Σ_{i ≥ r} σ_i²) ≤ tol · ‖A‖_F (with ‖A‖_F = √(Σ σ_i²)), capped at `maxRank`.
 *
 * @param a - an m×n matrix
 * @param options - `tol` (default 0), `maxRank` (default min(m, n)), `vectors` (default true)
 * @returns `{ u, s, v, rank, discarded }`
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `a` is not a matrix or an option has the wrong type
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative `tol` or `maxRank`; `ERR_INVALID_OPTION` for an unknown option
 * @example
 * ```ts
 * const t = truncatedSvd({ rows: 2, cols: 2, data: new Float64Array([4, 0, 0, 3]) }, { tol: 0.6 });
 * // t.rank = 1, t.discarded = 3 (= 0.6 · 5)
 * ```
 */
export function truncatedSvd(a: Matrix, options?: TruncatedSvdOptions): TruncatedSvdResult {
  const A = checkMatrix("a", a);
  const o = checkOptions<TruncatedSvdOptions>("options", options, ["tol", "maxRank", "vectors"]);
  const tol = o.tol === undefined ? 0 : checkNumber("options.tol", o.tol, { min: 0 });
  const kk = Math.min(A.rows, A.cols);
  const maxRank = o.maxRank === undefined ? kk : checkInteger("options.maxRank", o.maxRank, { min: 0 });
  const want = o.vectors === undefined ? true : checkBoolean("options.vectors", o.vectors);
  const full = svdRaw(A, want);
  const s = full.s;
  // tail2[r] = Σ_{i ≥ r} σ_i², summed from the smallest up
  const tail2 = new Float64Array(kk + 1);
  for (let i = kk - 1; i >= 0; i--) tail2[i] = tail2[i + 1]! + s[i]! * s[i]!;
  const bound = tol * Math.sqrt(tail2[0]!);
  let rank = kk;
  while (rank > 0 && Math.sqrt(tail2[rank - 1]!) <= bound) rank--;
  rank = Math.min(rank, maxRank);
  return {
    u: full.u ? takeColumns(full.u, rank) : null,
    s: s.slice(0, rank),
    v: full.v ? takeColumns(full.v, rank) : null,
    rank,
    discarded: Math.sqrt(tail2[rank]!),
  };
}
