/**
 * The one factorisation TT-SVD and the tree need: the right singular vectors
 * of a tall-ish matrix B (m × c, c small) and the images B v_i, through the
 * linalg SVD (issue-3's one-sided Jacobi).
 *
 * Rank-deficient B (common: sample unfoldings have exact linear dependencies)
 * is factored as the augmented [B; μI] with μ = 1e-9‖B‖_F (ours). Its Gram
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

/** Relative size of the augmentation μ / ‖B‖_F (ours). */
export const AUGMENT = 1e-9;

/** Right singular basis of B. */
export interface RightBasis {
  /** c × c, column i = v_i, ordered by the singular values of [B; μI], descending. */
  v: Float64Array;
  /** ‖B v_i‖, length c. */
  s: Float64Array;
  /** m × c, column i = B v_i. */
  bv: Float64Array;
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
  return { v: dec.v!.data, s, bv };
}
