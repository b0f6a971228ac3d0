// Implicit QL for the symmetric tridiagonal eigenproblem (Wilkinson-type
// shift; the EISPACK tql2 / Numerical Recipes tqli recurrence), with the
// rotations optionally applied to the rows of Zᵀ.
//
// Memory layout (f64): d (n) diagonal in / eigenvalues out (unsorted), e (n)
// with e[i] = T[i, i+1] (destroyed), zt n×n row-major (row j = vector j; pass
// 0 for values only). Source: Golub & Van Loan §8.3.5.

import { af64, ldf, stf } from "../core/ptr";
import { STATUS_OK, STATUS_NO_CONVERGENCE } from "../core/status";
import { rotRows } from "../core/simd";

const EPS: f64 = 2.220446049250313e-16;
const MAX_ITER: i32 = 60;


/**
 * The absolute deflation floor for a tridiagonal (d, e) of order n:
 * ε · max(|d_i|, |e_i|), i.e. ε‖T‖_max. Setting an off-diagonal at or below
 * it to zero perturbs T by at most ε‖T‖ (backward stable), as LAPACK's
 * dsteqr/dstedc splitting does against the scaled norm; without it a block of
 * round-off-sized entries (a Laplacian's zero rows after tridiagonalisation)
 * never passes the purely relative test |e_m| ≤ ε(|d_m| + |d_m+1|).
 */
export function deflationFloor(n: i32, d: usize, e: usize): f64 {
  let a = 0.0;
  for (let i = 0; i < n; i++) {
    const di = Math.abs(ldf(d, i));
    if (di > a) a = di;
  }
  for (let i = 0; i < n - 1; i++) {
    const ei = Math.abs(ldf(e, i));
    if (ei > a) a = ei;
  }
  return EPS * a;
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e), e[i] coupling i and i+1.
 * When `zt` is non-zero, rotations are applied to the rows of the n×n matrix
 * at zt (which should start as the identity or as Qᵀ). Eigenvalues are left
 * in d, unsorted. `floor` is the absolute deflation floor (see
 * {@link deflationFloor}); a negative value means "compute it from (d, e)".
 */
export function tql(n: i32, d: usize, e: usize, zt: usize, floor: f64 = -1.0, fast: bool = false): i32 {
  if (n <= 1) return STATUS_OK;
  if (floor < 0.0) floor = deflationFloor(n, d, e);
  if (floor < 1e-300) floor = 1e-300;
  stf(e, n - 1, 0.0);
  for (let l = 0; l < n; l++) {
    let iter = 0;
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(ldf(d, m)) + Math.abs(ldf(d, m + 1));
        const em = Math.abs(ldf(e, m));
        if (em <= EPS * dd || em <= floor) break;
      }
      if (m == l) break;
      if (iter++ >= MAX_ITER) return STATUS_NO_CONVERGENCE;
      const el = ldf(e, l);
      let g = (ldf(d, l + 1) - ldf(d, l)) / (2.0 * el);
      let r = Math.hypot(g, 1.0);
      g = ldf(d, m) - ldf(d, l) + el / (g + (g >= 0.0 ? r : -r));
      let s = 1.0;
      let c = 1.0;
      let p = 0.0;
      let i = m - 1;
      let early = false;
      for (; i >= l; i--) {
        const ei = ldf(e, i);
        const f = s * ei;
        const b = c * ei;
        r = fast ? hypotFast(f, g) : Math.hypot(f, g);
        stf(e, i + 1, r);
        if (r == 0.0) {
          stf(d, i + 1, ldf(d, i + 1) - p);
          stf(e, m, 0.0);
          early = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = ldf(d, i + 1) - p;
        r = (ldf(d, i) - g) * s + 2.0 * c * b;
        p = s * r;
        stf(d, i + 1, g + p);
        g = c * r - b;
        if (zt != 0) {
          // columns i, i+1 of Z are rows i, i+1 of Zᵀ:
          // z_{i+1} ← s z_i + c z_{i+1}; z_i ← c z_i − s z_{i+1}
          rotRows(af64(zt, i * n), af64(zt, (i + 1) * n), n, c, s);
        }
      }
      if (early) continue;
      stf(d, l, ldf(d, l) - p);
      stf(e, l, g);
      stf(e, m, 0.0);
    }
  }
  return STATUS_OK;
}

/**
 * √(f² + g²) by one square root where that cannot overflow or underflow
 * (|f|, |g| within 1e±150), Math.hypot otherwise; the same bits in every
 * engine (IEEE sqrt), not always the bits of Math.hypot.
 */
@inline function hypotFast(f: f64, g: f64): f64 {
  const r = Math.sqrt(f * f + g * g);
  return r > 1e-150 && r < 1e150 ? r : Math.hypot(f, g);
}

/** Sort d ascending (selection sort), permuting the rows of zt alongside. */
export function sortAscending(n: i32, d: usize, zt: usize): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ldf(d, i);
    for (let j = i + 1; j < n; j++) {
      const v = ldf(d, j);
      if (v < p) {
        k = j;
        p = v;
      }
    }
    if (k != i) {
      stf(d, k, ldf(d, i));
      stf(d, i, p);
      if (zt != 0) {
        const ri = af64(zt, i * n);
        const rk = af64(zt, k * n);
        for (let j = 0; j < n; j++) {
          const t = ldf(ri, j);
          stf(ri, j, ldf(rk, j));
          stf(rk, j, t);
        }
      }
    }
  }
}


