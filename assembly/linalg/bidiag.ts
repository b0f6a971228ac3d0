// Golub–Kahan bidiagonalisation and the bidiagonal SVD through the
// Golub–Kahan (TGK) tridiagonal matrix.
//
//   X = U_B B V_Bᵀ,  B upper bidiagonal (d on the diagonal, e above it),
//   U_B = H_0 ⋯ H_{N−1} (H_k = I − τq_k u_k u_kᵀ, from column k),
//   V_B = G_0 ⋯ G_{N−3} (G_k = I − τp_k v_k v_kᵀ, from row k, acting on rows k+1 …).
//
// Memory layout (f64, row-major):
//   x     M×N (M ≥ N), row stride N, DESTROYED: row k keeps v_k at columns
//         k+1 … N−1 (v_k[0] = 1 stored at column k+1), the layout
//         householder.ts reads with shift 1.
//   ul    N×M: row k keeps u_k at columns k … M−1 (u_k[k] = 1), read by
//         householder.ts with shift 0.
//   d, tauq  N;  e, taup  N (e[N−1] = 0).
//   col   M, y N, yr N: scratch.
//
// One pass over the trailing rows per step (ours; LAPACK's dgebd2 makes four,
// dgebrd blocks them with dlabrd): row i is updated by the left reflector
// (x_i −= u_i y, y = τq Xᵀu) and, while it sits in cache, by the right one
// (x_i −= τp (x_i·v) v); its new first entry is column k+1 of the next step,
// and x_i[k+1] · x_i[k+2 …] is accumulated into yr, so that the next step's
// y′ = τq′ (x_{k+1} + scal′ · yr) needs no second pass (u′_i = scal′ x_i[k+1]).
//
// TGK: with x = (v_0, u_0, v_1, u_1, …), the 2N×2N tridiagonal with zero
// diagonal and couplings (d_0, e_0, d_1, e_1, …, d_{N−1}) has eigenvalues ±σ_i
// and eigenvectors (v_i, ±u_i)/√2 interleaved (Golub & Kahan 1965; Fernando,
// "Accurately counting singular values of bidiagonal matrices", 1998), so its
// divide-and-conquer eigendecomposition (stedc.ts) gives the SVD of B.
//
// Sources: Golub & Van Loan (4th ed.) §5.4.8 (bidiagonalisation), §8.6.1
// (the TGK matrix); G. H. Golub & W. Kahan, SIAM J. Numer. Anal. 2 (1965).

import { af64, ldf, stf } from "../core/ptr";
import { STATUS_OK } from "../core/status";
import { dnrm2 } from "./blas1";
import { tql, sortAscending } from "./ql";
import { dstedcFrom } from "./stedc";
import { axpyRow, dotRow2, dotRow4 as dotRow, scalRow } from "../core/simd";
import { dgemm, dgemmWorkCount } from "./gemm";

/** scal = 1/(α − β) of the last reflector built by {@link house}. */
let s_scal: f64 = 0.0;
const EPS: f64 = 2.220446049250313e-16;
/**
 * Singular values below WEAK σ_max have TGK eigenvectors whose halves carry
 * errors of order ε σ_max / σ (the +σ and −σ eigenvectors mix): their halves
 * are re-orthogonalised by the caller (ours; the mixing is measured in
 * tests/linalg/svd-gk.test.ts).
 */
const WEAK: f64 = 1e-3;

/**
 * Householder vector of the len entries at c (contiguous): writes u (u[0] = 1)
 * to out, the new leading entry β to beta[0] and returns τ. A tail whose norm
 * is at or below floor is no reflection (τ = 0, u = e_0).
 */
function house(len: i32, c: usize, out: usize, beta: usize, floor: f64): f64 {
  const alpha = ldf(c, 0);
  const xnorm = len > 1 ? dnrm2(len - 1, c, 1, 1) : 0.0;
  stf(out, 0, 1.0);
  if (xnorm <= floor) {
    stf(beta, 0, alpha);
    if (len > 1) memory.fill(af64(out, 1), 0, (<usize>(len - 1)) << 3);
    s_scal = 0.0;
    return 0.0;
  }
  const h = Math.hypot(alpha, xnorm);
  const b = alpha >= 0.0 ? -h : h;
  const scal = 1.0 / (alpha - b);
  for (let t = 1; t < len; t++) stf(out, t, ldf(c, t) * scal);
  stf(beta, 0, b);
  s_scal = scal;
  return (b - alpha) / b;
}

/**
 * Unblocked upper bidiagonalisation of the M×N (M ≥ N) matrix x with row
 * stride ldx (ul: row stride ldu; see the header). floor: absolute threshold
 * below which a column or row tail counts as zero.
 */
function bidiagUnblocked(
  M: i32, N: i32, x: usize, ldx: i32, d: usize, e: usize, tauq: usize, taup: usize,
  ul: usize, ldu: i32, col: usize, y: usize, yr: usize, floor: f64,
): void {
  // step 0's left reflector and y = τq X[:, 1:]ᵀ u_0
  for (let i = 0; i < M; i++) stf(col, i, ldf(x, i * ldx));
  let tq = house(M, col, ul, d, floor);
  stf(tauq, 0, tq);
  memory.fill(y, 0, (<usize>N) << 3);
  if (tq != 0.0 && N > 1) {
    for (let i = 0; i < M; i++) axpyRow(ldf(ul, i), af64(x, i * ldx + 1), y, N - 1);
    for (let j = 0; j < N - 1; j++) stf(y, j, tq * ldf(y, j));
  }
  for (let k = 0; k < N - 1; k++) {
    const L = N - k - 1; // columns k+1 … N−1
    const rk = af64(x, k * ldx + k + 1);
    // row k after H_k (u_k[k] = 1), then its right reflector in place
    if (tq != 0.0) axpyRow(-1.0, y, rk, L);
    const tp = house(L, rk, rk, af64(e, k), floor);
    stf(taup, k, tp);
    const uk = af64(ul, k * ldu);
    memory.fill(yr, 0, (<usize>N) << 3);
    for (let i = k + 1; i < M; i++) {
      const r = af64(x, i * ldx + k + 1);
      const ui = tq != 0.0 ? ldf(uk, i) : 0.0;
      // x_i −= u_i y, z = x_i · v
      const nu = f64x2.splat(-ui);
      let acc = f64x2.splat(0.0);
      let j = 0;
      for (; j + 2 <= L; j += 2) {
        const ra = af64(r, j);
        const xv = f64x2.add(v128.load(ra), f64x2.mul(nu, v128.load(af64(y, j))));
        v128.store(ra, xv);
        acc = f64x2.add(acc, f64x2.mul(xv, v128.load(af64(rk, j))));
      }
      let z = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (j < L) {
        const xs = ldf(r, j) - ui * ldf(y, j);
        stf(r, j, xs);
        z += xs * ldf(rk, j);
      }
      // x_i −= τp z v; x_i[k+1] is the next column; yr += x_i[k+1] x_i[k+2 …]
      const zi = tp * z;
      const c = ldf(r, 0) - zi;
      stf(r, 0, c);
      stf(col, i, c);
      if (tp != 0.0) axpyRow(-zi, af64(rk, 1), af64(r, 1), L - 1);
      if (i >= k + 2) axpyRow(c, af64(r, 1), yr, L - 1);
    }
    // next left reflector from column k+1, rows k+1 …; y′ = τq′ (x_{k+1} + scal′ yr)
    const k1 = k + 1;
    tq = house(M - k1, af64(col, k1), af64(ul, k1 * ldu + k1), af64(d, k1), floor);
    stf(tauq, k1, tq);
    const sc = s_scal;
    const r1 = af64(x, k1 * ldx + k1 + 1);
    for (let j = 0; j < L - 1; j++) stf(y, j, tq != 0.0 ? tq * (ldf(r1, j) + sc * ldf(yr, j)) : 0.0);
  }
  stf(e, N - 1, 0.0);
  stf(taup, N - 1, 0.0);
  if (N >= 2) stf(taup, N - 2, 0.0); // G_{N−2} acts on one entry: no reflection
}

// ---------------------------------------------------------------------------
// Blocked bidiagonalisation (the dgebrd/dlabrd scheme, row-major).

/** Columns (and rows) per panel of the blocked bidiagonalisation. */
const BRD_NB: i32 = 32;
/**
 * The last BRD_NX columns, and every matrix with N ≤ BRD_NX, are reduced
 * unblocked (LAPACK's crossover; measured here, benchmarks/linalg-cpu.bench.ts).
 */
export const BRD_NX: i32 = 128;

/** Scratch f64 count for {@link bidiagonalize} (beyond col, y, yr). */
export function bidiagWorkCount(M: i32, N: i32): i32 {
  return 2 * BRD_NB * M + 2 * BRD_NB * N + 4 * BRD_NB + M + dgemmWorkCount(M, N, 2 * BRD_NB) + 32;
}

/**
 * Upper bidiagonalisation of the M×N (M ≥ N) matrix x (see the header).
 * floor: absolute threshold below which a column or row tail counts as zero.
 * work: bidiagWorkCount(M, N) f64 (read only when N > BRD_NX).
 *
 * Blocked (Dongarra, Sorensen & Hammarling 1989; LAPACK dgebrd): panels of
 * BRD_NB columns and rows are reduced by {@link labrd} against the not yet
 * updated trailing matrix, which then gets the rank-2·BRD_NB update
 * A ← A − U Yᵀ − X Vᵀ as one GEMM ([U X] · [Y V]ᵀ, k = 64); the last
 * BRD_NX columns by the unblocked pass.
 */
export function bidiagonalize(
  M: i32, N: i32, x: usize, d: usize, e: usize, tauq: usize, taup: usize,
  ul: usize, col: usize, y: usize, yr: usize, floor: f64, work: usize,
): void {
  let k0 = 0;
  if (N > BRD_NX) {
    const ux = work; // 2NB × M: rows [0, NB) U (copied for the GEMM), [NB, 2NB) the panel's x_q
    const yv = af64(ux, 2 * BRD_NB * M); // 2NB × N: rows [0, NB) the panel's y_q, [NB, 2NB) V (copied)
    const cf = af64(yv, 2 * BRD_NB * N); // 4 NB coefficients
    const corr = af64(cf, 4 * BRD_NB); // M
    const gw = af64(corr, M + 8);
    for (; N - k0 > BRD_NX; k0 += BRD_NB) {
      labrd(M, N, k0, BRD_NB, x, d, e, tauq, taup, ul, col, yr, ux, yv, cf, corr, floor);
      const k1 = k0 + BRD_NB;
      for (let q = 0; q < BRD_NB; q++) {
        memory.copy(af64(ux, q * M + k1), af64(ul, (k0 + q) * M + k1), (<usize>(M - k1)) << 3);
        memory.copy(af64(yv, (BRD_NB + q) * N + k1), af64(x, (k0 + q) * N + k1), (<usize>(N - k1)) << 3);
      }
      dgemm(1, 0, M - k1, N - k1, 2 * BRD_NB, -1.0, af64(ux, k1), M, af64(yv, k1), N, 1.0, af64(x, k1 * N + k1), N, gw);
    }
  }
  bidiagUnblocked(
    M - k0, N - k0, af64(x, k0 * N + k0), N, af64(d, k0), af64(e, k0), af64(tauq, k0), af64(taup, k0),
    af64(ul, k0 * M + k0), M, col, y, yr, floor,
  );
}

/** Row r of {@link labrd}'s pass on its own (see there). */
@inline function passRow(
  r: i32, N: i32, x: usize, c1: i32, L: i32, rc: usize, tp: f64, corr: usize, xi: usize, col: usize, yn: usize,
  last: bool, acc: bool,
): void {
  const ar = af64(x, r * N + c1);
  const xr = tp != 0.0 ? tp * (dotRow(ar, rc, L) - ldf(corr, r)) : 0.0;
  stf(xi, r, xr);
  if (!last) {
    const a1 = ldf(col, r) + ldf(ar, 0) - xr;
    stf(col, r, a1);
    if (acc && a1 != 0.0) axpyRow(a1, af64(ar, 1), yn, L - 1);
  }
}

let s_d0: f64 = 0.0;
let s_d1: f64 = 0.0;
let s_d2: f64 = 0.0;
let s_d3: f64 = 0.0;

/** s_d0 … s_d3 = p_k · v (len entries), one load of v for the four rows. */
@inline function dot4(p0: usize, p1: usize, p2: usize, p3: usize, v: usize, len: i32): void {
  let a0 = f64x2.splat(0.0);
  let a1 = f64x2.splat(0.0);
  let a2 = f64x2.splat(0.0);
  let a3 = f64x2.splat(0.0);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const vv = v128.load(af64(v, j));
    a0 = f64x2.add(a0, f64x2.mul(v128.load(af64(p0, j)), vv));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(af64(p1, j)), vv));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(af64(p2, j)), vv));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(af64(p3, j)), vv));
  }
  let t0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  let t1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  let t2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
  let t3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
  if (j < len) {
    const vj = ldf(v, j);
    t0 += ldf(p0, j) * vj;
    t1 += ldf(p1, j) * vj;
    t2 += ldf(p2, j) * vj;
    t3 += ldf(p3, j) * vj;
  }
  s_d0 = t0;
  s_d1 = t1;
  s_d2 = t2;
  s_d3 = t3;
}

/** y += a0 p0 + a1 p1 + a2 p2 + a3 p3 (len entries), one load and store of y. */
@inline function axpy4(
  a0: f64, a1: f64, a2: f64, a3: f64, p0: usize, p1: usize, p2: usize, p3: usize, y: usize, len: i32,
): void {
  const s0 = f64x2.splat(a0);
  const s1 = f64x2.splat(a1);
  const s2 = f64x2.splat(a2);
  const s3 = f64x2.splat(a3);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const ya = af64(y, j);
    const t01 = f64x2.add(f64x2.mul(s0, v128.load(af64(p0, j))), f64x2.mul(s1, v128.load(af64(p1, j))));
    const t23 = f64x2.add(f64x2.mul(s2, v128.load(af64(p2, j))), f64x2.mul(s3, v128.load(af64(p3, j))));
    v128.store(ya, f64x2.add(v128.load(ya), f64x2.add(t01, t23)));
  }
  if (j < len) stf(y, j, ldf(y, j) + ((a0 * ldf(p0, j) + a1 * ldf(p1, j)) + (a2 * ldf(p2, j) + a3 * ldf(p3, j))));
}

/**
 * One panel of {@link bidiagonalize}: columns and rows k0 … k0+nb−1 reduced,
 * their reflectors stored as in the header, and X (rows [NB, 2NB) of ux, x_q
 * over rows), Y (rows [0, NB) of yv, y_q over columns) such that the trailing
 * matrix is A − U Yᵀ − X Vᵀ (LAPACK dlabrd's formulas, Golub & Van Loan
 * §5.4.8). Row c is updated and reflected, then one pass over the trailing
 * rows r > c computes x_c[r] = τp (A_r · v_c − corr_r) (corr = U Yᵀv + X Vᵀv,
 * formed before the pass from contiguous rows), finishes column c+1's entry
 * a_r (its panel terms were subtracted before the pass, all but −x_c[r]) and,
 * with the row still in cache, accumulates a_r A_r[c+2 …] into yr, so that the
 * next y = τq (Aᵀu − Y Uᵀu − V Xᵀu) needs no second pass (u_r = scal a_r, as
 * in the unblocked scheme; ours, LAPACK makes two passes).
 */
function labrd(
  M: i32, N: i32, k0: i32, nb: i32, x: usize, d: usize, e: usize, tauq: usize, taup: usize,
  ul: usize, col: usize, yr: usize, ux: usize, yv: usize, cf: usize, corr: usize, floor: f64,
): void {
  const X = af64(ux, BRD_NB * M);
  const Y = yv;
  // column k0 (up to date) → u_{k0}; y_0 = τq A[k0:, k0+1:]ᵀ u_{k0}
  for (let r = k0; r < M; r++) stf(col, r, ldf(x, r * N + k0));
  let tq = house(M - k0, af64(col, k0), af64(ul, k0 * M + k0), af64(d, k0), floor);
  stf(tauq, k0, tq);
  {
    const L0 = N - k0 - 1;
    const y0 = af64(Y, k0 + 1);
    memory.fill(y0, 0, (<usize>L0) << 3);
    if (tq != 0.0) {
      const u0 = af64(ul, k0 * M);
      for (let r = k0; r < M; r++) {
        const ur = ldf(u0, r);
        if (ur != 0.0) axpyRow(ur, af64(x, r * N + k0 + 1), y0, L0);
      }
      scalRow(tq, y0, L0);
    }
  }
  for (let i = 0; i < nb; i++) {
    const c = k0 + i;
    const c1 = c + 1;
    const L = N - c1; // columns c+1 … N−1
    const R = M - c1; // rows c+1 … M−1
    const rc = af64(x, c * N + c1);
    // row c −= Σ_{q≤i} u_q[c] y_q + Σ_{q<i} x_q[c] v_q (u_i[c] = 1)
    for (let q = 0; q <= i; q++) {
      const uq = q == i ? 1.0 : ldf(ul, (k0 + q) * M + c);
      if (uq != 0.0) axpyRow(-uq, af64(Y, q * N + c1), rc, L);
    }
    for (let q = 0; q < i; q++) {
      const xq = ldf(X, q * M + c);
      if (xq != 0.0) axpyRow(-xq, af64(x, (k0 + q) * N + c1), rc, L);
    }
    const tp = house(L, rc, rc, af64(e, c), floor);
    stf(taup, c, tp);
    const last = i == nb - 1;
    // corr = Σ_{q≤i} (y_q·v) u_q + Σ_{q<i} (v_q·v) x_q over rows c+1 …
    const cr = af64(corr, c1);
    memory.fill(cr, 0, (<usize>R) << 3);
    if (tp != 0.0) {
      for (let q = 0; q <= i; q++) {
        const g = dotRow(af64(Y, q * N + c1), rc, L);
        if (g != 0.0) axpyRow(g, af64(ul, (k0 + q) * M + c1), cr, R);
      }
      for (let q = 0; q < i; q++) {
        const h = dotRow(af64(x, (k0 + q) * N + c1), rc, L);
        if (h != 0.0) axpyRow(h, af64(X, q * M + c1), cr, R);
      }
    }
    // column c+1's panel terms but −x_c[r]: −Σ_{q≤i} y_q[c+1] u_q − Σ_{q<i} v_q[c+1] x_q
    const cc = af64(col, c1);
    if (!last) {
      memory.fill(cc, 0, (<usize>R) << 3);
      for (let q = 0; q <= i; q++) {
        const g = ldf(Y, q * N + c1);
        if (g != 0.0) axpyRow(-g, af64(ul, (k0 + q) * M + c1), cc, R);
      }
      for (let q = 0; q < i; q++) {
        const h = ldf(x, (k0 + q) * N + c1);
        if (h != 0.0) axpyRow(-h, af64(X, q * M + c1), cc, R);
      }
      memory.fill(af64(yr, c1 + 1), 0, (<usize>(L - 1)) << 3);
    }
    // the pass over rows c+1 … M−1
    const xi = af64(X, i * M);
    const yn = af64(yr, c1 + 1);
    // row c+1 alone (its column entry becomes u's leading 1: no yr term), then
    // four rows at a time (v and yr loaded once for the four)
    let r = c1 + 1;
    passRow(c1, N, x, c1, L, rc, tp, corr, xi, col, yn, last, false);
    if (tp != 0.0) {
      for (; r + 4 <= M; r += 4) {
        const p0 = af64(x, r * N + c1);
        const p1 = af64(p0, N);
        const p2 = af64(p1, N);
        const p3 = af64(p2, N);
        dot4(p0, p1, p2, p3, rc, L);
        const x0 = tp * (s_d0 - ldf(corr, r));
        const x1 = tp * (s_d1 - ldf(corr, r + 1));
        const x2 = tp * (s_d2 - ldf(corr, r + 2));
        const x3 = tp * (s_d3 - ldf(corr, r + 3));
        stf(xi, r, x0);
        stf(xi, r + 1, x1);
        stf(xi, r + 2, x2);
        stf(xi, r + 3, x3);
        if (!last) {
          const a0 = ldf(col, r) + ldf(p0, 0) - x0;
          const a1 = ldf(col, r + 1) + ldf(p1, 0) - x1;
          const a2 = ldf(col, r + 2) + ldf(p2, 0) - x2;
          const a3 = ldf(col, r + 3) + ldf(p3, 0) - x3;
          stf(col, r, a0);
          stf(col, r + 1, a1);
          stf(col, r + 2, a2);
          stf(col, r + 3, a3);
          axpy4(a0, a1, a2, a3, af64(p0, 1), af64(p1, 1), af64(p2, 1), af64(p3, 1), yn, L - 1);
        }
      }
    }
    for (; r < M; r++) passRow(r, N, x, c1, L, rc, tp, corr, xi, col, yn, last, true);
    if (last) break;
    // column c+1 → u_{c+1}; y_{i+1} = τq (A[c+1, c+2:] + scal yr − Y Uᵀu − V Xᵀu)
    tq = house(R, cc, af64(ul, c1 * M + c1), af64(d, c1), floor);
    stf(tauq, c1, tq);
    const sc = s_scal;
    const Ln = L - 1;
    const ynew = af64(Y, (i + 1) * N + c1 + 1);
    if (tq == 0.0) {
      memory.fill(ynew, 0, (<usize>Ln) << 3);
      continue;
    }
    const a1r = af64(x, c1 * N + c1 + 1);
    for (let j = 0; j < Ln; j++) stf(ynew, j, ldf(a1r, j) + sc * ldf(yn, j));
    const un = af64(ul, c1 * M + c1);
    for (let q = 0; q <= i; q++) {
      const g = dotRow(af64(ul, (k0 + q) * M + c1), un, R);
      if (g != 0.0) axpyRow(-g, af64(Y, q * N + c1 + 1), ynew, Ln);
      const h = dotRow(af64(X, q * M + c1), un, R);
      if (h != 0.0) axpyRow(-h, af64(x, (k0 + q) * N + c1 + 1), ynew, Ln);
    }
    scalRow(tq, ynew, Ln);
  }
}

/**
 * SVD of the N×N upper bidiagonal (d, e) through the 2N×2N TGK matrix:
 * singular values descending into s; with vectors, row i of ut / vt (N×N) is
 * the left / right singular vector of s[i]. td, te: 2N each; z: 4N² (0 for
 * values only); nvb: N; work: dstedcWorkCount(2N) (vectors). d, e are read
 * only. Row i of ut / vt is normalised and orthogonal to rows [0, i).
 * @returns a status code
 */
export function bdsvd(
  N: i32, d: usize, e: usize, s: usize, ut: usize, vt: usize,
  td: usize, te: usize, z: usize, nvb: usize, work: usize,
): i32 {
  const n2 = 2 * N;
  memory.fill(td, 0, (<usize>n2) << 3);
  for (let r = 0; r < N; r++) {
    stf(te, 2 * r, ldf(d, r));
    stf(te, 2 * r + 1, r < N - 1 ? ldf(e, r) : 0.0);
  }
  s_nv = nvb;
  if (z == 0) {
    const st = tql(n2, td, te, 0, -1.0, true);
    if (st != STATUS_OK) return st;
    sortAscending(n2, td, 0);
    const tolZ = <f64>n2 * EPS * Math.max(Math.abs(ldf(td, 0)), Math.abs(ldf(td, n2 - 1)));
    for (let i = 0; i < N; i++) {
      const x = ldf(td, n2 - 1 - i);
      stf(s, i, x > tolZ ? x : 0.0);
    }
    return STATUS_OK;
  }
  // only the columns of λ ≥ −(bound on the zero cluster's tolerance below) are read:
  // |λ| ≤ 2 max|te| (Gershgorin, zero diagonal)
  let emax = 0.0;
  for (let r = 0; r < n2; r++) emax = Math.max(emax, Math.abs(ldf(te, r)));
  const st = dstedcFrom(n2, td, te, z, n2, work, -4.0 * <f64>n2 * EPS * emax);
  if (st != STATUS_OK) return st;
  // the zero cluster |λ| ≤ 2N ε max|λ|: [c0, c1) of the ascending eigenvalues
  const tolZ = <f64>n2 * EPS * Math.max(Math.abs(ldf(td, 0)), Math.abs(ldf(td, n2 - 1)));
  let c1 = n2;
  while (c1 > 0 && ldf(td, c1 - 1) > tolZ) c1--;
  let c0 = c1;
  while (c0 > 0 && ldf(td, c0 - 1) >= -tolZ) c0--;
  let P = n2 - c1; // positive eigenvalues outside the cluster
  if (P > N) P = N;
  // row i of vt / ut = the v / u half of column n2−1−i of z, normalised;
  // s_nv[i] = the v half's norm² before. Eight columns at a time: each row of
  // z gives one contiguous run of 8 (z is 2N×2N, 32 MB at N = 1000, and a
  // column at a time fetched one cache line per entry)
  for (let i0 = 0; i0 < P; i0 += 8) {
    const ib = P - i0 < 8 ? P - i0 : 8;
    const c0 = n2 - i0 - ib; // columns c0 … c0+ib−1 = n2−1−(i0+ib−1) … n2−1−i0
    for (let t = 0; t < ib; t++) {
      stf(s, i0 + t, ldf(td, n2 - 1 - i0 - t));
      stf(s_nv, i0 + t, 0.0);
    }
    for (let r = 0; r < N; r++) {
      const zv = af64(z, 2 * r * n2 + c0);
      const zu = af64(zv, n2);
      for (let t = 0; t < ib; t++) {
        const c = ib - 1 - t;
        const x = ldf(zv, c);
        stf(s_nv, i0 + t, ldf(s_nv, i0 + t) + x * x);
        stf(vt, (i0 + t) * N + r, x);
        stf(ut, (i0 + t) * N + r, ldf(zu, c));
      }
    }
    for (let t = 0; t < ib; t++) {
      normalise(N, af64(vt, (i0 + t) * N));
      normalise(N, af64(ut, (i0 + t) * N));
    }
  }
  // rows below WEAK σ_max, or with unbalanced halves, count as ±σ-mixed:
  // orthogonalised against the rows before them
  const weak = WEAK * ldf(td, n2 - 1);
  let from = P;
  for (let i = 0; i < P; i++) {
    if (ldf(s, i) < weak || Math.abs(ldf(s_nv, i) - 0.5) > 0.5e-9) {
      from = i;
      break;
    }
  }
  for (let i = from; i < P; i++) {
    if (!orthoRow(N, ut, i)) complete(N, N, ut, i);
    if (!orthoRow(N, vt, i)) complete(N, N, vt, i);
  }
  // the zero cluster fills rows [P, N) of each side: first the columns that
  // are (almost) all v half or all u half (the couplings below the floor
  // split T, so most null vectors of B and Bᵀ come out pure, and exactly
  // orthogonal to every other eigenvector's half); then the halves of the
  // mixed ones (±σ pairs of a round-off block: both halves of a pair carry
  // the same direction), kept when they add a new direction; the rest
  // completed. Pairing is immaterial at σ = 0.
  for (let i = P; i < N; i++) stf(s, i, 0.0);
  fillCluster(N, n2, z, c0, c1, P, vt, 0);
  fillCluster(N, n2, z, c0, c1, P, ut, 1);
  return STATUS_OK;
}

/** Rows [P, N) of w from the half `off` (0: v, 1: u) of the cluster columns [c0, c1) of z (see bdsvd). */
function fillCluster(N: i32, n2: i32, z: usize, c0: i32, c1: i32, P: i32, w: usize, off: i32): void {
  let r = P;
  for (let j = c0; j < c1 && r < N; j++) {
    if (halfNorm2(N, n2, z, j, off) > 1.0 - 1e-9) {
      copyHalf(N, n2, z, j, off, af64(w, r * N));
      normalise(N, af64(w, r * N));
      r++;
    }
  }
  for (let j = c0; j < c1 && r < N; j++) {
    const f = halfNorm2(N, n2, z, j, off);
    if (f > 1.0 - 1e-9 || f < 1e-18) continue;
    copyHalf(N, n2, z, j, off, af64(w, r * N));
    normalise(N, af64(w, r * N));
    if (orthoRow(N, w, r)) r++;
  }
  for (; r < N; r++) complete(N, N, w, r);
}

function copyHalf(N: i32, n2: i32, z: usize, j: i32, off: i32, out: usize): void {
  for (let r = 0; r < N; r++) stf(out, r, ldf(z, (2 * r + off) * n2 + j));
}

@inline function normalise(L: i32, r: usize): void {
  const nr = Math.sqrt(dotRow2(r, r, L));
  if (nr > 0.0) scalRow(1.0 / nr, r, L);
}

/**
 * Row i of w (unit norm, L wide) orthogonalised twice against rows [0, i)
 * (orthonormal) and normalised; false (row left as is) when less than a
 * quarter of it is left, i.e. it lay in their span.
 */
function orthoRow(L: i32, w: usize, i: i32): bool {
  const r = af64(w, i * L);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < i; j++) {
      const rj = af64(w, j * L);
      const h = dotRow2(rj, r, L);
      if (h != 0.0) axpyRow(-h, rj, r, L);
    }
  }
  const nr = Math.sqrt(dotRow2(r, r, L));
  if (!(nr > 0.25)) return false;
  scalRow(1.0 / nr, r, L);
  return true;
}

/** Half norms² of the non-cluster rows (N f64 of the caller's scratch). */
let s_nv: usize = 0;

/** Σ_r z[2r + off][j]² (off 0: the v half, 1: the u half). */
function halfNorm2(N: i32, n2: i32, z: usize, j: i32, off: i32): f64 {
  let t = 0.0;
  for (let r = 0; r < N; r++) {
    const x = ldf(z, (2 * r + off) * n2 + j);
    t += x * x;
  }
  return t;
}

/**
 * Make row j of the k×L matrix w a unit vector orthogonal to rows [0, j) (those
 * are orthonormal, j < L). The start is the unit vector e_c with the smallest
 * projection p_c = Σ_i w_ic² on their span: Σ_c p_c = j, so 1 − p_c ≥ 1 − j/L > 0
 * and one candidate always suffices (the old loop tried e_0, e_1, … in turn,
 * O(L·j·L) per null row); two passes of Gram–Schmidt keep it orthogonal.
 */
export function complete(k: i32, L: i32, w: usize, j: i32): void {
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
