// Thin singular value decomposition by one-sided (Hestenes) Jacobi.
//
// Memory layout (all f64, row-major, contiguous):
//   a     m×n   the matrix (read only).
//   s     k     singular values, descending, k = min(m, n).
//   u     m×k   left singular vectors (columns), when wantVectors.
//   v     n×k   right singular vectors (columns), when wantVectors.
//   work  dgesvdWorkSize(m, n) f64: with B = A (m ≥ n) or Aᵀ (m < n), M×N,
//           Bᵀ copy (M×N, wide only), Q (M×N), R (N×N), W (N×N: the columns of
//           R V₀ being orthogonalised, one per ROW so every rotation touches
//           two contiguous rows), Vt (N×N: V₀ᵀ times the accumulated
//           rotations, one per row), norms (N), QR and GEMM scratch, and the
//           preconditioner's RᵀR, V₀, eigenvalues and eigh scratch.
//
// QR (B = Q R) shrinks every rotation from length M to N; the eigenvectors
// V₀ of RᵀR make the columns of R V₀ nearly orthogonal, so the sweeps that
// follow (which alone decide the accuracy) are few.
// Wide inputs are done on Aᵀ and the roles of U and V swap.
// Pairs (p, q) are rotated when |w_p·w_q| > tol ‖w_p‖‖w_q‖, cyclic by rows,
// until a sweep rotates nothing. Columns with a zero norm get a unit vector
// completed against the others, so U (and V) are always orthonormal.
//
// Source: Demmel & Veselić, "Jacobi's method is more accurate than QR",
// SIAM J. Matrix Anal. Appl. 13 (1992); Golub & Van Loan §8.6.3.

import { af64, ldf, stf } from "../core/ptr";
import { STATUS_OK, STATUS_NO_CONVERGENCE } from "../core/status";
import { dgemm, dgemmWorkSize } from "./gemm";
import { dgeqr, dgeqrWorkSize } from "./qr";
import { dsyev, dsyevWorkSize } from "./eigh";
import { axpyRow, dotRow4 as dotRow, rotRows } from "../core/simd";

const EPS: f64 = 2.220446049250313e-16;
const MAX_SWEEPS: i32 = 80;

/** Scratch f64 count for {@link dgesvd}. */
export function dgesvdWorkSize(m: i32, n: i32): i32 {
  const N = m < n ? m : n;
  const M = m < n ? n : m;
  // Bᵀ copy (wide), Q, R, W, Vt, norms, QR scratch, GEMM scratch, then the
  // preconditioner's Gram matrix, eigenvectors, eigenvalues and eigh scratch
  return M * N + M * N + N * N + N * N + N * N + N + dgeqrWorkSize(M, N) + dgemmWorkSize(M, N, N) + 32 +
    N * N + N * N + N + dsyevWorkSize(N);
}


@inline function swapRows(x: usize, y: usize, len: i32): void {
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const xa = af64(x, i);
    const ya = af64(y, i);
    const t = v128.load(xa);
    v128.store(xa, v128.load(ya));
    v128.store(ya, t);
  }
  if (i < len) {
    const t = ldf(x, i);
    stf(x, i, ldf(y, i));
    stf(y, i, t);
  }
}


/**
 * Rows of w (k×L) orthogonalised by one-sided Jacobi; rotations also applied
 * to vt (k×k) when non-zero. Returns the null threshold ε‖W‖_F, or −1 when the
 * sweeps did not converge.
 */
function jacobi(k: i32, L: i32, w: usize, vt: usize, nrm: usize): f64 {
  const tol = EPS * Math.sqrt(<f64>L);
  let f2 = 0.0;
  for (let i = 0; i < k; i++) {
    const r = af64(w, i * L);
    const x = dotRow(r, r, L);
    stf(nrm, i, x);
    f2 += x;
  }
  // rows below ε‖A‖_F are roundoff: never rotated, later treated as null
  const small2 = EPS * EPS * f2;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    // de Rijk: rows in descending norm order before each sweep (fewer sweeps)
    for (let i = 0; i < k - 1; i++) {
      let b = i;
      let bv = ldf(nrm, i);
      for (let j = i + 1; j < k; j++) {
        if (ldf(nrm, j) > bv) {
          b = j;
          bv = ldf(nrm, j);
        }
      }
      if (b != i) {
        stf(nrm, b, ldf(nrm, i));
        stf(nrm, i, bv);
        swapRows(af64(w, i * L), af64(w, b * L), L);
        if (vt != 0) swapRows(af64(vt, i * k), af64(vt, b * k), k);
      }
    }
    let rotated = 0;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const alpha = ldf(nrm, p);
        const beta = ldf(nrm, q);
        if (alpha <= small2 || beta <= small2) continue;
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
    if (rotated == 0) return Math.sqrt(small2);
  }
  return -1.0;
}

/**
 * Make row j of the k×L matrix w a unit vector orthogonal to rows [0, j) (those
 * are orthonormal, j < L). The start is the unit vector e_c with the smallest
 * projection p_c = Σ_i w_ic² on their span: Σ_c p_c = j, so 1 − p_c ≥ 1 − j/L > 0
 * and one candidate always suffices (the old loop tried e_0, e_1, … in turn,
 * O(L·j·L) per null row); two passes of Gram–Schmidt keep it orthogonal.
 */
function complete(k: i32, L: i32, w: usize, j: i32): void {
  const r = af64(w, j * L);
  // p_c accumulated in r itself, row by row (SIMD, fixed order)
  memory.fill(r, 0, (<usize>L) << 3);
  for (let i = 0; i < j; i++) {
    const ri = af64(w, i * L);
    for (let t = 0; t < L; t++) {
      const x = ldf(ri, t);
      stf(r, t, ldf(r, t) + x * x);
    }
  }
  let c = 0;
  let best = ldf(r, 0);
  for (let t = 1; t < L; t++) {
    if (ldf(r, t) < best) {
      best = ldf(r, t);
      c = t;
    }
  }
  memory.fill(r, 0, (<usize>L) << 3);
  stf(r, c, 1.0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < j; i++) {
      const ri = af64(w, i * L);
      const h = dotRow(ri, r, L);
      if (h != 0.0) axpyRow(-h, ri, r, L);
    }
  }
  const nr = Math.sqrt(dotRow(r, r, L));
  const inv = 1.0 / nr;
  for (let t = 0; t < L; t++) stf(r, t, ldf(r, t) * inv);
}

/**
 * Thin SVD of the m×n matrix a: singular values descending into s; when
 * wantVectors != 0, U (m×k) into u and V (n×k) into v.
 *
 * The work is done on the tall B = A (m ≥ n) or B = Aᵀ (m < n), M×N with
 * M ≥ N: B = Q R (Householder), V₀ = eigenvectors of RᵀR (a preconditioner),
 * one-sided Jacobi on the columns of R V₀ (kept as rows), R V = Uₓ Σ, then
 * B = (Q Uₓ) Σ Vᵀ.
 * @returns a status code
 */
export function dgesvd(m: i32, n: i32, wantVectors: i32, a: usize, s: usize, u: usize, v: usize, work: usize): i32 {
  const tall = m >= n;
  const N = tall ? n : m;
  const M = tall ? m : n;
  if (N == 0) return STATUS_OK;
  let o = 0;
  const bt = af64(work, o); o += M * N;
  const qm = af64(work, o); o += M * N;
  const rm = af64(work, o); o += N * N;
  const w = af64(work, o); o += N * N;
  const vt = af64(work, o); o += N * N;
  const nrm = af64(work, o); o += N;
  const qw = af64(work, o); o += dgeqrWorkSize(M, N);
  const gw = af64(work, o); o += dgemmWorkSize(M, N, N) + 32;
  const gram = af64(work, o); o += N * N;
  const v0 = af64(work, o); o += N * N;
  const ev = af64(work, o); o += N;
  const ew = af64(work, o);
  let b = a;
  if (!tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stf(bt, j * m + i, ldf(a, i * n + j));
    b = bt;
  }
  const want = wantVectors != 0;
  // values only: R-only QR (Q is never formed) and no rotation of V
  dgeqr(M, N, b, want ? qm : 0, rm, qw);
  // Preconditioner: V₀ = eigenvectors of RᵀR, so the columns of R V₀ are
  // already nearly orthogonal and Jacobi only cleans up (1–3 sweeps). Any
  // orthogonal V₀ is valid; accuracy comes from the Jacobi sweeps on R V₀.
  dgemm(1, 0, N, N, N, 1.0, rm, N, rm, N, 0.0, gram, N, gw);
  if (dsyev(N, 1, gram, ev, v0, ew) != STATUS_OK) {
    memory.fill(v0, 0, (<usize>N * <usize>N) << 3);
    for (let i = 0; i < N; i++) stf(v0, i * N + i, 1.0);
  }
  // W = (R V₀)ᵀ: row j is column j of R V₀; Vt = V₀ᵀ accumulates the rotations
  dgemm(1, 1, N, N, N, 1.0, v0, N, rm, N, 0.0, w, N, gw);
  if (want) {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) stf(vt, j * N + i, ldf(v0, i * N + j));
  }
  const small = jacobi(N, N, w, want ? vt : 0, nrm);
  if (small < 0.0) return STATUS_NO_CONVERGENCE;
  const k = N;
  const L = N;
  // singular values and a descending order (selection sort; rows swapped)
  for (let i = 0; i < k; i++) {
    const x = Math.sqrt(ldf(nrm, i));
    stf(nrm, i, x <= small ? 0.0 : x);
  }
  for (let i = 0; i < k - 1; i++) {
    let bi = i;
    let bv = ldf(nrm, i);
    for (let j = i + 1; j < k; j++) {
      const x = ldf(nrm, j);
      if (x > bv) {
        bi = j;
        bv = x;
      }
    }
    if (bi != i) {
      stf(nrm, bi, ldf(nrm, i));
      stf(nrm, i, bv);
      const ri = af64(w, i * L);
      const rb = af64(w, bi * L);
      for (let t = 0; t < L; t++) {
        const x = ldf(ri, t);
        stf(ri, t, ldf(rb, t));
        stf(rb, t, x);
      }
      if (want) {
        const vi = af64(vt, i * k);
        const vb = af64(vt, bi * k);
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
  // normalise rows of W into Uₓ (as rows); complete the null ones
  for (let j = 0; j < k; j++) {
    const sj = ldf(nrm, j);
    if (sj > 0.0) {
      const r = af64(w, j * L);
      const inv = 1.0 / sj;
      for (let t = 0; t < L; t++) stf(r, t, ldf(r, t) * inv);
    } else {
      stf(s, j, 0.0);
      complete(k, L, w, j);
    }
  }
  // R V = Uₓ Σ, so B = (Q Uₓ) Σ Vᵀ: U_B = Q Wᵀ (M × N), V_B = Vtᵀ
  const ub = tall ? u : v; // M × N
  const vb = tall ? v : u; // N × N
  dgemm(0, 1, M, N, N, 1.0, qm, N, w, N, 0.0, ub, N, gw);
  for (let j = 0; j < N; j++) for (let t = 0; t < N; t++) stf(vb, t * N + j, ldf(vt, j * N + t));
  return STATUS_OK;
}
