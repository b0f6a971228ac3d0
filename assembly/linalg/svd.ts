// Thin singular value decomposition by one-sided (Hestenes) Jacobi.
//
// Memory layout (all f64, row-major, contiguous):
//   a     m×n   the matrix (read only).
//   s     k     singular values, descending, k = min(m, n).
//   u     m×k   left singular vectors (columns), when wantVectors.
//   v     n×k   right singular vectors (columns), when wantVectors.
//   work  dgesvdWorkSize(m, n) f64:
//           W   k×L  (L = max(m, n)) the k columns being orthogonalised, one
//                    per ROW so every rotation touches two contiguous rows;
//           Vt  k×k  the accumulated rotations, one per row;
//           nrm k    squared row norms of W.
//
// Tall (m ≥ n): W = Aᵀ, and A V = W'ᵀ gives U Σ (Vt accumulates V).
// Wide (m < n): W = A, the same on Aᵀ, and the roles of U and V swap.
// Pairs (p, q) are rotated when |w_p·w_q| > tol ‖w_p‖‖w_q‖, cyclic by rows,
// until a sweep rotates nothing. Columns with a zero norm get a unit vector
// completed against the others, so U (and V) are always orthonormal.
//
// Source: Demmel & Veselić, "Jacobi's method is more accurate than QR",
// SIAM J. Matrix Anal. Appl. 13 (1992); Golub & Van Loan §8.6.3.

import { af64, ldf, stf } from "../core/ptr";
import { STATUS_OK, STATUS_NO_CONVERGENCE } from "../core/status";

const EPS: f64 = 2.220446049250313e-16;
const MAX_SWEEPS: i32 = 80;

/** Scratch f64 count for {@link dgesvd}. */
export function dgesvdWorkSize(m: i32, n: i32): i32 {
  const k = m < n ? m : n;
  const L = m < n ? n : m;
  return k * L + k * k + k + 8;
}

@inline function dotRow(x: usize, y: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(af64(x, i)), v128.load(af64(y, i))));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(af64(x, i + 2)), v128.load(af64(y, i + 2))));
  }
  if (i + 2 <= len) {
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(af64(x, i)), v128.load(af64(y, i))));
    i += 2;
  }
  acc0 = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  if (i < len) s += ldf(x, i) * ldf(y, i);
  return s;
}

@inline function rotRows(x: usize, y: usize, len: i32, c: f64, s: f64): void {
  const cv = f64x2.splat(c);
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const xa = af64(x, i);
    const ya = af64(y, i);
    const xv = v128.load(xa);
    const yv = v128.load(ya);
    v128.store(xa, f64x2.sub(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
    v128.store(ya, f64x2.add(f64x2.mul(sv, xv), f64x2.mul(cv, yv)));
  }
  if (i < len) {
    const xv = ldf(x, i);
    const yv = ldf(y, i);
    stf(x, i, c * xv - s * yv);
    stf(y, i, s * xv + c * yv);
  }
}

/** Rows of w (k×L) orthogonalised by one-sided Jacobi; rotations also applied to vt (k×k) when non-zero. */
function jacobi(k: i32, L: i32, w: usize, vt: usize, nrm: usize): i32 {
  const tol = EPS * Math.sqrt(<f64>L);
  for (let i = 0; i < k; i++) {
    const r = af64(w, i * L);
    stf(nrm, i, dotRow(r, r, L));
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = 0;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const alpha = ldf(nrm, p);
        const beta = ldf(nrm, q);
        if (alpha == 0.0 || beta == 0.0) continue;
        const wp = af64(w, p * L);
        const wq = af64(w, q * L);
        const gamma = dotRow(wp, wq, L);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated++;
        const zeta = (beta - alpha) / (2.0 * gamma);
        const t = (zeta >= 0.0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
        const c = 1.0 / Math.sqrt(1.0 + t * t);
        const s = c * t;
        rotRows(wp, wq, L, c, s);
        if (vt != 0) rotRows(af64(vt, p * k), af64(vt, q * k), k, c, s);
        // exact updates of the squared norms, refreshed below each sweep
        stf(nrm, p, alpha - t * gamma);
        stf(nrm, q, beta + t * gamma);
      }
    }
    for (let i = 0; i < k; i++) {
      const r = af64(w, i * L);
      stf(nrm, i, dotRow(r, r, L));
    }
    if (rotated == 0) return STATUS_OK;
  }
  return STATUS_NO_CONVERGENCE;
}

/** Make row j of the k×L matrix w a unit vector orthogonal to rows [0, j) (those are orthonormal). */
function complete(k: i32, L: i32, w: usize, j: i32): void {
  const r = af64(w, j * L);
  for (let c = 0; c < L; c++) {
    memory.fill(r, 0, (<usize>L) << 3);
    stf(r, c, 1.0);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const ri = af64(w, i * L);
        const h = dotRow(ri, r, L);
        for (let t = 0; t < L; t++) stf(r, t, ldf(r, t) - h * ldf(ri, t));
      }
    }
    const nr = Math.sqrt(dotRow(r, r, L));
    if (nr > 0.5) {
      for (let t = 0; t < L; t++) stf(r, t, ldf(r, t) / nr);
      return;
    }
  }
}

/**
 * Thin SVD of the m×n matrix a: singular values descending into s; when
 * wantVectors != 0, U (m×k) into u and V (n×k) into v.
 * @returns a status code
 */
export function dgesvd(m: i32, n: i32, wantVectors: i32, a: usize, s: usize, u: usize, v: usize, work: usize): i32 {
  const tall = m >= n;
  const k = tall ? n : m;
  const L = tall ? m : n;
  if (k == 0) return STATUS_OK;
  const w = work;
  const vt = af64(work, k * L);
  const nrm = af64(work, k * L + k * k);
  // W: k rows of length L
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stf(w, j * L + i, ldf(a, i * n + j));
  } else {
    memory.copy(w, a, (<usize>k * <usize>L) << 3);
  }
  const want = wantVectors != 0;
  if (want) {
    memory.fill(vt, 0, (<usize>k * <usize>k) << 3);
    for (let i = 0; i < k; i++) stf(vt, i * k + i, 1.0);
  }
  const st = jacobi(k, L, w, want ? vt : 0, nrm);
  if (st != STATUS_OK) return st;
  // singular values and a descending order (selection sort; rows swapped)
  for (let i = 0; i < k; i++) stf(nrm, i, Math.sqrt(ldf(nrm, i)));
  for (let i = 0; i < k - 1; i++) {
    let b = i;
    let bv = ldf(nrm, i);
    for (let j = i + 1; j < k; j++) {
      const x = ldf(nrm, j);
      if (x > bv) {
        b = j;
        bv = x;
      }
    }
    if (b != i) {
      stf(nrm, b, ldf(nrm, i));
      stf(nrm, i, bv);
      const ri = af64(w, i * L);
      const rb = af64(w, b * L);
      for (let t = 0; t < L; t++) {
        const x = ldf(ri, t);
        stf(ri, t, ldf(rb, t));
        stf(rb, t, x);
      }
      if (want) {
        const vi = af64(vt, i * k);
        const vb = af64(vt, b * k);
        for (let t = 0; t < k; t++) {
          const x = ldf(vi, t);
          stf(vi, t, ldf(vb, t));
          stf(vb, t, x);
        }
      }
    }
  }
  for (let i = 0; i < k; i++) stf(s, i, ldf(nrm, i));
  if (!want) return STATUS_OK;
  // normalise rows of W into singular vectors; complete the null ones
  const smax = ldf(nrm, 0);
  for (let j = 0; j < k; j++) {
    const sj = ldf(nrm, j);
    if (sj > smax * 1e-300 && sj > 0.0) {
      const r = af64(w, j * L);
      const inv = 1.0 / sj;
      for (let t = 0; t < L; t++) stf(r, t, ldf(r, t) * inv);
    } else {
      stf(s, j, 0.0);
      complete(k, L, w, j);
    }
  }
  // W rows are the long-side vectors, Vt rows the short-side ones (as rows).
  const longM = tall ? u : v; // L×k
  const shortM = tall ? v : u; // k×k
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < L; t++) stf(longM, t * k + j, ldf(w, j * L + t));
    for (let t = 0; t < k; t++) stf(shortM, t * k + j, ldf(vt, j * k + t));
  }
  return STATUS_OK;
}
