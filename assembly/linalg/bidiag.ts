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
import { dstedc } from "./stedc";
import { axpyRow, dotRow2, dotRow4 as dotRow, scalRow } from "../core/simd";

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
 * Upper bidiagonalisation of the M×N (M ≥ N) matrix x (see the header).
 * floor: absolute threshold below which a column or row tail counts as zero.
 */
export function bidiagonalize(
  M: i32, N: i32, x: usize, d: usize, e: usize, tauq: usize, taup: usize,
  ul: usize, col: usize, y: usize, yr: usize, floor: f64,
): void {
  // step 0's left reflector and y = τq X[:, 1:]ᵀ u_0
  for (let i = 0; i < M; i++) stf(col, i, ldf(x, i * N));
  let tq = house(M, col, ul, d, floor);
  stf(tauq, 0, tq);
  memory.fill(y, 0, (<usize>N) << 3);
  if (tq != 0.0 && N > 1) {
    for (let i = 0; i < M; i++) axpyRow(ldf(ul, i), af64(x, i * N + 1), y, N - 1);
    for (let j = 0; j < N - 1; j++) stf(y, j, tq * ldf(y, j));
  }
  for (let k = 0; k < N - 1; k++) {
    const L = N - k - 1; // columns k+1 … N−1
    const rk = af64(x, k * N + k + 1);
    // row k after H_k (u_k[k] = 1), then its right reflector in place
    if (tq != 0.0) axpyRow(-1.0, y, rk, L);
    const tp = house(L, rk, rk, af64(e, k), floor);
    stf(taup, k, tp);
    const uk = af64(ul, k * M);
    memory.fill(yr, 0, (<usize>N) << 3);
    for (let i = k + 1; i < M; i++) {
      const r = af64(x, i * N + k + 1);
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
    tq = house(M - k1, af64(col, k1), af64(ul, k1 * M + k1), af64(d, k1), floor);
    stf(tauq, k1, tq);
    const sc = s_scal;
    const r1 = af64(x, k1 * N + k1 + 1);
    for (let j = 0; j < L - 1; j++) stf(y, j, tq != 0.0 ? tq * (ldf(r1, j) + sc * ldf(yr, j)) : 0.0);
  }
  stf(e, N - 1, 0.0);
  stf(taup, N - 1, 0.0);
  if (N >= 2) stf(taup, N - 2, 0.0); // G_{N−2} acts on one entry: no reflection
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
    const st = tql(n2, td, te, 0);
    if (st != STATUS_OK) return st;
    sortAscending(n2, td, 0);
    const tolZ = <f64>n2 * EPS * Math.max(Math.abs(ldf(td, 0)), Math.abs(ldf(td, n2 - 1)));
    for (let i = 0; i < N; i++) {
      const x = ldf(td, n2 - 1 - i);
      stf(s, i, x > tolZ ? x : 0.0);
    }
    return STATUS_OK;
  }
  const st = dstedc(n2, td, te, z, n2, work);
  if (st != STATUS_OK) return st;
  // the zero cluster |λ| ≤ 2N ε max|λ|: [c0, c1) of the ascending eigenvalues
  const tolZ = <f64>n2 * EPS * Math.max(Math.abs(ldf(td, 0)), Math.abs(ldf(td, n2 - 1)));
  let c1 = n2;
  while (c1 > 0 && ldf(td, c1 - 1) > tolZ) c1--;
  let c0 = c1;
  while (c0 > 0 && ldf(td, c0 - 1) >= -tolZ) c0--;
  let P = n2 - c1; // positive eigenvalues outside the cluster
  if (P > N) P = N;
  for (let i = 0; i < P; i++) {
    const j = n2 - 1 - i;
    stf(s, i, ldf(td, j));
    halves(N, n2, z, j, af64(vt, i * N), af64(ut, i * N), 1.0);
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

/** Copy the v half (to vr, when non-zero) and u half (to ur) of column j of z. */
function halves(N: i32, n2: i32, z: usize, j: i32, vr: usize, ur: usize, sg: f64): void {
  let a = 0.0;
  for (let r = 0; r < N; r++) {
    const x = ldf(z, 2 * r * n2 + j);
    a += x * x;
    if (vr != 0) stf(vr, r, x);
    if (ur != 0) stf(ur, r, sg * ldf(z, (2 * r + 1) * n2 + j));
  }
  const i = n2 - 1 - j;
  if (vr != 0 && ur != 0) stf(s_nv, n2 - 1 - j, a);
  if (vr != 0) normalise(N, vr);
  if (ur != 0) normalise(N, ur);
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
