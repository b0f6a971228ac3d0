// Thin singular value decomposition by one-sided (Hestenes) Jacobi.
//
// Memory layout (all f64, row-major, contiguous):
//   a     m×n   the matrix (read only).
//   s     k     singular values, descending, k = min(m, n).
//   u     m×k   left singular vectors (columns), when wantVectors.
//   v     n×k   right singular vectors (columns), when wantVectors.
//   work  dgesvdWorkCount(m, n) f64: with B = A (m ≥ n) or Aᵀ (m < n), M×N,
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

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";
import { STATUS_OK, STATUS_NO_CONVERGENCE } from "../core/status";
import { dgemm, dgemmWorkCount } from "./gemm";
import { dgeqr, dgeqrWorkCount } from "./qr";
import { dsyev, dsyevWorkCount } from "./eigh";
import { dotRow4 as dotRow, rotRows } from "../core/simd";
import { bidiagonalize, bidiagWorkCount, bdsvd, complete } from "./bidiag";
import { dstedcWorkCount } from "./stedc";
import { applyReflectorsLeft, householderWorkCount } from "./householder";

const EPS: f64 = 2.220446049250313e-16;
const MAX_SWEEPS: i32 = 80;

/**
 * From this many columns of the tall B on (N = min(m, n)), Golub–Kahan
 * bidiagonalisation + the TGK divide and conquer replaces one-sided Jacobi
 * (measured crossover, benchmarks/linalg-cpu.bench.ts; ours).
 */
export const GK_MIN: i32 = 48;

/** Scratch f64 count for the Golub–Kahan path ({@link dgesvdGK}). */
function gkWorkCount(M: i32, N: i32): i32 {
  const dc = dstedcWorkCount(2 * N);
  const hw = householderWorkCount(M, N);
  const bw = bidiagWorkCount(M, N);
  const mx = dc > hw ? dc : hw;
  return 2 * M * N + 12 * N + M + 6 * N * N + (mx > bw ? mx : bw) + 32;
}

/** Scratch f64 count for {@link dgesvd}. */
export function dgesvdWorkCount(m: i32, n: i32): i32 {
  const N = m < n ? m : n;
  const M = m < n ? n : m;
  return N >= GK_MIN ? gkWorkCount(M, N) : jacobiWorkCount(M, N);
}

/** Scratch bytes for {@link dgesvd} (the kernel ABI's unit): 8 × dgesvdWorkCount. */
export function dgesvdWorkSize(m: i32, n: i32): i32 {
  return bytesOfF64(dgesvdWorkCount(m, n));
}

function jacobiWorkCount(M: i32, N: i32): i32 {
  // Bᵀ copy (wide), Q, R, W, Vt, norms, QR scratch, GEMM scratch, then the
  // preconditioner's Gram matrix, eigenvectors, eigenvalues and eigh scratch
  return M * N + M * N + N * N + N * N + N * N + N + dgeqrWorkCount(M, N) + dgemmWorkCount(M, N, N) + 32 +
    N * N + N * N + N + dsyevWorkCount(N);
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
  if (N >= GK_MIN) return dgesvdGK(m, n, wantVectors, a, s, u, v, work);
  let o = 0;
  const bt = af64(work, o); o += M * N;
  const qm = af64(work, o); o += M * N;
  const rm = af64(work, o); o += N * N;
  const w = af64(work, o); o += N * N;
  const vt = af64(work, o); o += N * N;
  const nrm = af64(work, o); o += N;
  const qw = af64(work, o); o += dgeqrWorkCount(M, N);
  const gw = af64(work, o); o += dgemmWorkCount(M, N, N) + 32;
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

/**
 * The Golub–Kahan path of {@link dgesvd}: B (M×N, M ≥ N) scaled by a power of
 * two to max|b| ∈ [0.5, 1) (exact), bidiagonalised (bidiag.ts), the
 * bidiagonal's SVD from the TGK matrix (divide and conquer with vectors,
 * implicit QL for values only), then U = H_0⋯H_{N−1} [U_B; 0] and
 * V = G_0⋯G_{N−3} V_B by the blocked compact-WY application (householder.ts).
 */
function dgesvdGK(m: i32, n: i32, wantVectors: i32, a: usize, s: usize, u: usize, v: usize, work: usize): i32 {
  const tall = m >= n;
  const N = tall ? n : m;
  const M = tall ? m : n;
  const want = wantVectors != 0;
  let o = 0;
  const xb = af64(work, o); o += M * N;
  const ul = af64(work, o); o += M * N;
  const d = af64(work, o); o += N;
  const e = af64(work, o); o += N;
  const tauq = af64(work, o); o += N;
  const taup = af64(work, o); o += N;
  const col = af64(work, o); o += M;
  const y = af64(work, o); o += N;
  const yr = af64(work, o); o += N;
  const td = af64(work, o); o += 2 * N;
  const te = af64(work, o); o += 2 * N + 8;
  const ut = af64(work, o); o += N * N;
  const vt = af64(work, o); o += N * N;
  const z = af64(work, o); o += 4 * N * N;
  const rest = af64(work, o);
  // B = A or Aᵀ, scaled by 2^−h so that max |b| ∈ [0.5, 1)
  let mx = 0.0;
  for (let i = 0; i < m * n; i++) {
    const t = Math.abs(ldf(a, i));
    if (t > mx) mx = t;
  }
  if (mx == 0.0) {
    memory.fill(s, 0, (<usize>N) << 3);
    if (want) {
      // A = 0: any orthonormal U, V; the leading columns of the identity
      memory.fill(u, 0, (<usize>(m * N)) << 3);
      memory.fill(v, 0, (<usize>(n * N)) << 3);
      for (let i = 0; i < N; i++) {
        stf(u, i * N + i, 1.0);
        stf(v, i * N + i, 1.0);
      }
    }
    return STATUS_OK;
  }
  let h = <i32>((reinterpret<u64>(mx) >> 52) & 0x7ff) - 1022; // mx = f·2^h, f ∈ [0.5, 1)
  if (h < -1000) h = -1000;
  if (h > 1000) h = 1000;
  const down = reinterpret<f64>(<u64>(1023 - h) << 52);
  const up = reinterpret<f64>(<u64>(1023 + h) << 52);
  if (tall) {
    for (let i = 0; i < m * n; i++) stf(xb, i, ldf(a, i) * down);
  } else {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stf(xb, j * m + i, ldf(a, i * n + j) * down);
  }
  bidiagonalize(M, N, xb, d, e, tauq, taup, ul, col, y, yr, EPS, rest);
  const st = bdsvd(N, d, e, s, ut, vt, td, te, want ? z : 0, col, rest);
  if (st != STATUS_OK) return st;
  if (want) {
    const ub = tall ? u : v; // M × N
    const vb = tall ? v : u; // N × N
    for (let r = 0; r < N; r++) for (let i = 0; i < N; i++) stf(ub, r * N + i, ldf(ut, i * N + r));
    if (M > N) memory.fill(af64(ub, N * N), 0, (<usize>((M - N) * N)) << 3);
    for (let r = 0; r < N; r++) for (let i = 0; i < N; i++) stf(vb, r * N + i, ldf(vt, i * N + r));
    applyReflectorsLeft(M, N, N, 0, ul, M, tauq, ub, N, false, rest);
    if (N > 2) applyReflectorsLeft(N, N, N - 2, 1, xb, N, taup, vb, N, false, rest);
  }
  for (let i = 0; i < N; i++) stf(s, i, ldf(s, i) * up);
  return STATUS_OK;
}
