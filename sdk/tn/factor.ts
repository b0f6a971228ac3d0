/**
 * The one factorisation TT-SVD and the tree need: the right singular vectors
 * of a tall-ish matrix B (m × c, c small) and the images B v_i, through the
 * linalg SVD (issue-3's one-sided Jacobi).
 *
 * A tall B (m ≥ c) is factored as the augmented [B; μI] with μ = 1e-9‖B‖_F
 * (ours); a wide B (rank ≤ m < c) directly, falling back to the augmented form
 * should Jacobi not converge. Its Gram
 * matrix is BᵀB + μ²I, so its right singular vectors are exactly those of B,
 * and every singular value is ≥ μ ≫ ε‖B‖, which keeps Jacobi away from
 * columns of pure rounding noise (a column of norm ~1e-157 that the relative
 * stopping test can never settle). The singular values of B are then taken
 * as ‖B v_i‖, computed directly from the top m rows of U (no cancellation),
 * so the discarded norms the callers add up are B's own.
 *
 * @module
 */
import { svd } from "../linalg/svd.js";
import { ErrorCode } from "../errors.js";

/** Relative size of the augmentation μ / ‖B‖_F (ours). */
export const AUGMENT = 1e-9;

/** Right singular basis of B. */
export interface RightBasis {
  /** c × k, column i = v_i, by descending singular value. */
  v: Float64Array;
  /** ‖B v_i‖, length k. */
  s: Float64Array;
  /** m × k, column i = B v_i. */
  bv: Float64Array;
  /** Number of vectors: min(m, c) (direct) or c (augmented). */
  k: number;
}

/**
 * Right singular vectors of B (m × c, row-major), with s_i = ‖B v_i‖ and the
 * images B v_i.
 *
 * @param b - m × c row-major (not mutated)
 * @param m - rows
 * @param c - columns
 */
export function rightBasis(b: Float64Array, m: number, c: number): RightBasis {
  // tall: the augmented form (as fast, and Jacobi converges in fewer sweeps on
  // the regularised spectrum); wide: B itself, whose rank is ≤ m < c
  if (m >= c) return augmented(b, m, c);
  try {
    return direct(b, m, c);
  } catch (e) {
    if ((e as { code?: string }).code !== ErrorCode.NO_CONVERGENCE) throw e;
    return augmented(b, m, c);
  }
}

/** Thin SVD of B itself: k = min(m, c) right vectors (a wide B has rank ≤ m, so the rest are not needed). */
function direct(b: Float64Array, m: number, c: number): RightBasis {
  const dec = svd({ rows: m, cols: c, data: b.subarray(0, m * c) });
  const k = dec.s.length;
  const u = dec.u!.data;
  const bv = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) bv[i * k + j] = u[i * k + j]! * dec.s[j]!;
  return { v: dec.v!.data, s: dec.s, bv, k };
}

/** The SVD of [B; μI] (see the module header): never stalls on rank-deficient B. */
function augmented(b: Float64Array, m: number, c: number): RightBasis {
  let f2 = 0;
  for (let i = 0; i < m * c; i++) f2 += b[i]! * b[i]!;
  const mu = AUGMENT * Math.sqrt(f2);
  const rows = m + c;
  const aug = new Float64Array(rows * c);
  aug.set(b.subarray(0, m * c));
  for (let i = 0; i < c; i++) aug[(m + i) * c + i] = mu;
  const dec = svd({ rows, cols: c, data: aug });
  // thin: k = min(rows, c) = c
  const u = dec.u!.data;
  const bv = new Float64Array(m * c);
  const s = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const sj = dec.s[j]!;
    let q = 0;
    for (let i = 0; i < m; i++) {
      const x = u[i * c + j]! * sj;
      bv[i * c + j] = x;
      q += x * x;
    }
    s[j] = Math.sqrt(q);
  }
  return { v: dec.v!.data, s, bv, k: c };
}
