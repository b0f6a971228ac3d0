// Symmetric eigendecomposition: Householder tridiagonalisation (dsytd2-like,
// one fused pass per step), then the tridiagonal problem by divide and
// conquer (stedc.ts) when vectors are wanted, or by implicit QL (the
// tql2/tqli recurrence) for values only, then the blocked back-transformation.
//
// Memory layout (all f64, row-major, contiguous):
//   a     n×n   the symmetric matrix (the upper triangle is read), DESTROYED:
//               on return row k holds the Householder vector v_k in columns
//               k+1 … n−1 (v_k[0] = 1 stored at column k+1).
//   w     n     eigenvalues, ascending, on return.
//   z     n×n   eigenvectors on return (when wantVectors): column j is the
//               eigenvector of w[j].
//   work  dsyevWorkCount(n) f64: e (n), tau (n), p (n), q (n), pnext (n), then
//         either the divide-and-conquer scratch or the blocked
//         back-transformation's (householder.ts).
//
// Tridiagonal only (dstev): d (n) diagonal in / eigenvalues out, e (n) with
// e[i] = T[i, i+1] for i < n−1 (destroyed), z as above (vectors of T).
//
// Sources: Golub & Van Loan, Matrix Computations (4th ed.) §8.3 (Householder
// tridiagonalisation, QL/QR), §5.1.7 (compact WY, Schreiber & Van Loan 1989);
// the QL loop follows the EISPACK tql2 / Numerical Recipes tqli recurrence.

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";
import { STATUS_OK } from "../core/status";
import { dnrm2 } from "./blas1";
import { tql, sortAscending } from "./ql";
import { applyReflectorsLeft, householderWorkCount } from "./householder";
import { dstedc, dstedcWorkCount } from "./stedc";
import { axpyRow, dotRow4 as dotRow } from "../core/simd";
import { dgemm } from "./gemm";


/** Scratch f64 count for {@link dsyev}. */
export function dsyevWorkCount(n: i32): i32 {
  const bt = householderWorkCount(n, n);
  const dc = dstedcWorkCount(n);
  return 5 * n + 8 + (bt > dc ? bt : dc);
}

/** Scratch bytes for {@link dsyev} (the kernel ABI's unit): 8 × dsyevWorkCount. */
export function dsyevWorkSize(n: i32): i32 {
  return bytesOfF64(dsyevWorkCount(n));
}

/** Scratch f64 count for {@link dstev}. */
export function dstevWorkCount(n: i32): i32 {
  return dstedcWorkCount(n);
}

/** Scratch bytes for {@link dstev} (the kernel ABI's unit): 8 × dstevWorkCount. */
export function dstevWorkSize(n: i32): i32 {
  return bytesOfF64(dstevWorkCount(n));
}

// ---------------------------------------------------------------------------
// Small SIMD helpers on contiguous rows.



/** In-place transpose of an n×n row-major matrix. */
export function dtransposeSquare(n: i32, a: usize): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ij = i * n + j;
      const ji = j * n + i;
      const t = ldf(a, ij);
      stf(a, ij, ldf(a, ji));
      stf(a, ji, t);
    }
  }
}

/**
 * Eigen-decomposition of a symmetric tridiagonal matrix.
 * @returns a status code
 */
export function dstev(n: i32, wantVectors: i32, d: usize, e: usize, z: usize, work: usize): i32 {
  if (n <= 0) return STATUS_OK;
  if (wantVectors != 0) return dstedc(n, d, e, z, n, work);
  const st = tql(n, d, e, 0);
  if (st != STATUS_OK) return st;
  sortAscending(n, d, 0);
  return STATUS_OK;
}

// ---------------------------------------------------------------------------
// Householder tridiagonalisation.

/**
 * Absolute deflation floor of the tridiagonalisation: max(ε‖A‖_max, 1e−300),
 * set by dsyev from the upper triangle. A sub-row whose norm is at or below it
 * is treated as zero (no reflector: a perturbation of at most ε‖A‖, backward
 * stable). Without it a round-off-sized sub-row (a Laplacian's zero rows after
 * earlier reflections, entries ~1e−300) gives β ~ 1e−320 and 1/(α − β) = ∞,
 * which fills T with NaN and the QL never converges.
 */
let s_houseFloor: f64 = 1e-300;

/** max(ε · max |a_ij| over the upper triangle, 1e−300). */
function upperFloor(n: i32, a: usize): f64 {
  let m = 0.0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = Math.abs(ldf(a, i * n + j));
      if (x > m) m = x;
    }
  }
  const f = 2.220446049250313e-16 * m;
  return f > 1e-300 ? f : 1e-300;
}

/**
 * Householder vector for row k of a (the entries a[k, k+1..n−1]): overwrites
 * them with v (v[0] = 1), sets d[k] = a[k,k], e[k] = β, returns τ.
 */
function house(n: i32, a: usize, k: i32, d: usize, e: usize): f64 {
  const row = af64(a, k * n + k + 1);
  const m = n - k - 1;
  stf(d, k, ldf(a, k * n + k));
  const alpha = ldf(row, 0);
  const xnorm = m > 1 ? dnrm2(m - 1, row, 1, 1) : 0.0;
  if (xnorm <= s_houseFloor) {
    stf(e, k, alpha);
    stf(row, 0, 1.0);
    return 0.0;
  }
  const h = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0.0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const scal = 1.0 / (alpha - beta);
  for (let i = 1; i < m; i++) stf(row, i, ldf(row, i) * scal);
  stf(row, 0, 1.0);
  stf(e, k, beta);
  return tau;
}

/**
 * Rows i and i+1 of the fused tridiagonalisation step (see tridiagonalize):
 * rank-2 update a_ij −= v_i w_j + w_i v_j over the upper part, then
 * p′_i += Σ_j a_ij v′_j and p′_j += v′_i a_ij for j > i (and the same for i+1).
 * Index vectors are absolute (vrow = v_k, q = w, vn = v_{k+1}, pn = p′).
 */
@inline function fusedPair(n: i32, a: usize, i: i32, vrow: usize, q: usize, vn: usize, pn: usize, doUpdate: bool): void {
  const i1 = i + 1;
  const r0 = af64(a, i * n);
  const r1 = af64(a, i1 * n);
  const v0 = doUpdate ? ldf(vrow, i) : 0.0;
  const w0 = doUpdate ? ldf(q, i) : 0.0;
  const v1 = doUpdate ? ldf(vrow, i1) : 0.0;
  const w1 = doUpdate ? ldf(q, i1) : 0.0;
  const vn0 = ldf(vn, i);
  const vn1 = ldf(vn, i1);
  // scalar head: a_ii, a_{i,i+1}, a_{i+1,i+1}
  const a00 = ldf(r0, i) - 2.0 * v0 * w0;
  stf(r0, i, a00);
  const a01 = ldf(r0, i1) - v0 * ldf(q, i1) - w0 * ldf(vrow, i1);
  stf(r0, i1, a01);
  const a11 = ldf(r1, i1) - 2.0 * v1 * w1;
  stf(r1, i1, a11);
  let dot0 = a00 * vn0 + a01 * vn1;
  let dot1 = a11 * vn1;
  let p1 = vn0 * a01;
  const nv0 = f64x2.splat(-v0);
  const nw0 = f64x2.splat(-w0);
  const nv1 = f64x2.splat(-v1);
  const nw1 = f64x2.splat(-w1);
  const s0 = f64x2.splat(vn0);
  const s1 = f64x2.splat(vn1);
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let j = i + 2;
  for (; j + 2 <= n; j += 2) {
    const qv = v128.load(af64(q, j));
    const vv = v128.load(af64(vrow, j));
    const nvv = v128.load(af64(vn, j));
    const ra0 = af64(r0, j);
    const ra1 = af64(r1, j);
    let x0 = v128.load(ra0);
    let x1 = v128.load(ra1);
    x0 = f64x2.add(f64x2.add(x0, f64x2.mul(nv0, qv)), f64x2.mul(nw0, vv));
    x1 = f64x2.add(f64x2.add(x1, f64x2.mul(nv1, qv)), f64x2.mul(nw1, vv));
    v128.store(ra0, x0);
    v128.store(ra1, x1);
    acc0 = f64x2.add(acc0, f64x2.mul(x0, nvv));
    acc1 = f64x2.add(acc1, f64x2.mul(x1, nvv));
    const pa = af64(pn, j);
    v128.store(pa, f64x2.add(v128.load(pa), f64x2.add(f64x2.mul(s0, x0), f64x2.mul(s1, x1))));
  }
  dot0 += f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  dot1 += f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1);
  if (j < n) {
    const qj = ldf(q, j);
    const vj = ldf(vrow, j);
    const x0 = ldf(r0, j) - v0 * qj - w0 * vj;
    const x1 = ldf(r1, j) - v1 * qj - w1 * vj;
    stf(r0, j, x0);
    stf(r1, j, x1);
    const vnj = ldf(vn, j);
    dot0 += x0 * vnj;
    dot1 += x1 * vnj;
    stf(pn, j, ldf(pn, j) + vn0 * x0 + vn1 * x1);
  }
  stf(pn, i, ldf(pn, i) + dot0);
  stf(pn, i1, ldf(pn, i1) + p1 + dot1);
}

/**
 * Reduce the symmetric a (upper triangle used) to tridiagonal T = Qᵀ a Q,
 * Q = H_0 ⋯ H_{n−3}, H_k = I − τ_k v_k v_kᵀ (the unblocked dsytd2 scheme).
 * One pass over the upper trailing triangle per step: the rank-2 update of
 * row i for step k is fused with step k+1's symmetric product p' = τ' A v'
 * (row i contributes a dot product to p'_i and an axpy to p'_{j>i}).
 * All index vectors (p, q = w, pn) are indexed by absolute column.
 */
function tridiagonalize(n: i32, a: usize, d: usize, e: usize, tau: usize, p: usize, q: usize, pn: usize): void {
  if (n == 1) {
    stf(d, 0, ldf(a, 0));
    stf(e, 0, 0.0);
    stf(tau, 0, 0.0);
    return;
  }
  if (n == 2) {
    stf(d, 0, ldf(a, 0));
    stf(d, 1, ldf(a, 3));
    stf(e, 0, ldf(a, 1));
    stf(e, 1, 0.0);
    stf(tau, 0, 0.0);
    stf(tau, 1, 0.0);
    return;
  }
  // step 0: Householder from row 0 and p = τ A22 v from full rows (a is full here)
  let t = house(n, a, 0, d, e);
  stf(tau, 0, t);
  {
    const v = af64(a, 1);
    for (let i = 1; i < n; i++) stf(p, i, t * dotRow(af64(a, i * n + 1), v, n - 1));
  }
  for (let k = 0; k <= n - 3; k++) {
    const vrow = af64(a, k * n); // v_k[j] = vrow[j], j ≥ k+1, vrow[k+1] = 1
    const m = n - k - 1;
    const tk = ldf(tau, k);
    // w = p − (τ/2)(pᵀv) v at absolute indices k+1 … n−1 (in q)
    const pv = dotRow(af64(p, k + 1), af64(vrow, k + 1), m);
    const kk = -0.5 * tk * pv;
    for (let j = k + 1; j < n; j++) stf(q, j, ldf(p, j) + kk * ldf(vrow, j));
    const doUpdate = tk != 0.0;
    // row k+1 (its upper part, columns k+1 … n−1)
    if (doUpdate) {
      const r = af64(a, (k + 1) * n + k + 1);
      axpyRow(-ldf(vrow, k + 1), af64(q, k + 1), r, m);
      axpyRow(-ldf(q, k + 1), af64(vrow, k + 1), r, m);
    }
    const next = k + 1 <= n - 3;
    let tn = 0.0;
    if (next) {
      tn = house(n, a, k + 1, d, e);
      stf(tau, k + 1, tn);
      memory.fill(af64(pn, k + 2), 0, (<usize>(n - k - 2)) << 3);
    }
    const vn = af64(a, (k + 1) * n); // v_{k+1}[j] = vn[j], j ≥ k+2
    let i0 = k + 2;
    if (next) {
      // two rows at a time: the shared vectors (q, v_k, v_{k+1}, p′) are
      // loaded once for both rows
      for (; i0 + 1 < n; i0 += 2) fusedPair(n, a, i0, vrow, q, vn, pn, doUpdate);
    }
    for (let i = i0; i < n; i++) {
      const r = af64(a, i * n);
      const vi = doUpdate ? ldf(vrow, i) : 0.0;
      const wi = doUpdate ? ldf(q, i) : 0.0;
      const aii = ldf(r, i) - 2.0 * vi * wi;
      stf(r, i, aii);
      if (next) {
        const vni = ldf(vn, i);
        const nvi = f64x2.splat(-vi);
        const nwi = f64x2.splat(-wi);
        const vnis = f64x2.splat(vni);
        let acc = f64x2.splat(0.0);
        let j = i + 1;
        for (; j + 2 <= n; j += 2) {
          const ra = af64(r, j);
          let x = v128.load(ra);
          x = f64x2.add(x, f64x2.mul(nvi, v128.load(af64(q, j))));
          x = f64x2.add(x, f64x2.mul(nwi, v128.load(af64(vrow, j))));
          v128.store(ra, x);
          acc = f64x2.add(acc, f64x2.mul(x, v128.load(af64(vn, j))));
          const pa = af64(pn, j);
          v128.store(pa, f64x2.add(v128.load(pa), f64x2.mul(vnis, x)));
        }
        let dot = aii * vni + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
        if (j < n) {
          const x = ldf(r, j) - vi * ldf(q, j) - wi * ldf(vrow, j);
          stf(r, j, x);
          dot += x * ldf(vn, j);
          stf(pn, j, ldf(pn, j) + vni * x);
        }
        stf(pn, i, ldf(pn, i) + dot);
      } else if (doUpdate) {
        for (let j = i + 1; j < n; j++) stf(r, j, ldf(r, j) - vi * ldf(q, j) - wi * ldf(vrow, j));
      }
    }
    if (next) {
      for (let j = k + 2; j < n; j++) stf(pn, j, tn * ldf(pn, j));
      const sw = p;
      p = pn;
      pn = sw;
    }
  }
  stf(d, n - 2, ldf(a, (n - 2) * n + n - 2));
  stf(d, n - 1, ldf(a, (n - 1) * n + n - 1));
  stf(e, n - 2, ldf(a, (n - 2) * n + n - 1));
  stf(e, n - 1, 0.0);
  stf(tau, n - 2, 0.0);
  stf(tau, n - 1, 0.0);
}

// ---------------------------------------------------------------------------
// Blocked tridiagonalisation (the dsytrd/dlatrd scheme, lower form read on
// our upper-triangle rows: column c below the diagonal is row c right of it).

/** Columns per panel of the blocked tridiagonalisation. */
const TRD_NB: i32 = 32;
/** Rows per GEMM of the trailing rank-2k update (upper triangle by row blocks). */
const TRD_BS: i32 = 128;
/** From this order on the blocked tridiagonalisation is used (measured, ours). */
export const TRD_BLOCKED_MIN: i32 = 160;

/**
 * p[j] = Σ_{i ≥ c0} A_ji v_i for j ≥ c0 over the symmetric trailing block of
 * a (upper triangle of rows c0 … n−1 read), two rows at a time so that the
 * shared vectors are loaded once. v, p indexed by absolute column.
 */
function symvUpper(n: i32, a: usize, c0: i32, v: usize, p: usize): void {
  memory.fill(af64(p, c0), 0, (<usize>(n - c0)) << 3);
  let r = c0;
  for (; r + 1 < n; r += 2) {
    const r1 = r + 1;
    const x0 = af64(a, r * n);
    const x1 = af64(a, r1 * n);
    const v0 = ldf(v, r);
    const v1 = ldf(v, r1);
    const a01 = ldf(x0, r1);
    let dot0 = ldf(x0, r) * v0 + a01 * v1;
    let dot1 = a01 * v0 + ldf(x1, r1) * v1;
    const s0 = f64x2.splat(v0);
    const s1 = f64x2.splat(v1);
    let acc0 = f64x2.splat(0.0);
    let acc1 = f64x2.splat(0.0);
    let j = r + 2;
    for (; j + 2 <= n; j += 2) {
      const xa = v128.load(af64(x0, j));
      const xb = v128.load(af64(x1, j));
      const vv = v128.load(af64(v, j));
      acc0 = f64x2.add(acc0, f64x2.mul(xa, vv));
      acc1 = f64x2.add(acc1, f64x2.mul(xb, vv));
      const pa = af64(p, j);
      v128.store(pa, f64x2.add(v128.load(pa), f64x2.add(f64x2.mul(s0, xa), f64x2.mul(s1, xb))));
    }
    dot0 += f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
    dot1 += f64x2.extract_lane(acc1, 0) + f64x2.extract_lane(acc1, 1);
    if (j < n) {
      const xa = ldf(x0, j);
      const xb = ldf(x1, j);
      const vj = ldf(v, j);
      dot0 += xa * vj;
      dot1 += xb * vj;
      stf(p, j, ldf(p, j) + v0 * xa + v1 * xb);
    }
    stf(p, r, ldf(p, r) + dot0);
    stf(p, r1, ldf(p, r1) + dot1);
  }
  if (r < n) stf(p, r, ldf(p, r) + ldf(a, r * n + r) * ldf(v, r));
}

/**
 * A[k1:, k1:] −= V Wᵀ + W Vᵀ on the upper triangle (by row blocks of
 * TRD_BS, two GEMMs each; the lower part of a diagonal block is scratch).
 * V: nb rows of a from row k0 (v_p at absolute columns), W: nb × n at w.
 */
function rank2kUpper(n: i32, a: usize, k0: i32, nb: i32, k1: i32, w: usize, gw: usize): void {
  const vt = af64(a, k0 * n);
  for (let r0 = k1; r0 < n; r0 += TRD_BS) {
    const mr = r0 + TRD_BS < n ? TRD_BS : n - r0;
    const nc = n - r0;
    const c = af64(a, r0 * n + r0);
    dgemm(1, 0, mr, nc, nb, -1.0, af64(vt, r0), n, af64(w, r0), n, 1.0, c, n, gw);
    dgemm(1, 0, mr, nc, nb, -1.0, af64(w, r0), n, af64(vt, r0), n, 1.0, c, n, gw);
  }
}

/**
 * The blocked form of {@link tridiagonalize} (same output layout): panels of
 * TRD_NB columns, each column c updated by the panel's earlier reflectors
 * (a_c −= Σ_p v_p w_p[c] + w_p v_p[c]), reduced, and its
 * w = τ (A v − V (Wᵀv) − W (Vᵀv)), w −= ½τ (wᵀv) v from one symmetric
 * product with the not yet updated trailing block; then the trailing block
 * gets the rank-2k update through the GEMM kernel. Half of the memory
 * traffic of the unblocked pass becomes GEMM (LAPACK dsytrd, Dongarra,
 * Hammarling & Sorensen 1989). work: TRD_NB × n (W), n (p), GEMM scratch.
 */
function tridiagonalizeBlocked(n: i32, a: usize, d: usize, e: usize, tau: usize, work: usize): void {
  const w = work;
  const p = af64(work, TRD_NB * n);
  const gw = af64(p, n + 8);
  const last = n - 2; // reflectors for columns 0 … n−3
  for (let k0 = 0; k0 < last; k0 += TRD_NB) {
    const nb = k0 + TRD_NB < last ? TRD_NB : last - k0;
    for (let i = 0; i < nb; i++) {
      const c = k0 + i;
      const rc = af64(a, c * n);
      const len = n - c;
      // row c (columns c …) ← minus the panel's earlier rank-2 terms
      for (let q = 0; q < i; q++) {
        const vq = af64(a, (k0 + q) * n);
        const wq = af64(w, q * n);
        axpyRow(-ldf(wq, c), af64(vq, c), af64(rc, c), len);
        axpyRow(-ldf(vq, c), af64(wq, c), af64(rc, c), len);
      }
      const t = house(n, a, c, d, e);
      stf(tau, c, t);
      const wi = af64(w, i * n);
      if (t == 0.0) {
        memory.fill(wi, 0, (<usize>n) << 3);
        continue;
      }
      const c1 = c + 1;
      const m = n - c1;
      // v = row c from column c+1 (v[c+1] = 1); p = A22 v over rows c+1 …
      symvUpper(n, a, c1, rc, p);
      for (let q = 0; q < i; q++) {
        const vq = af64(a, (k0 + q) * n);
        const wq = af64(w, q * n);
        const al = dotRow(af64(wq, c1), af64(rc, c1), m); // w_qᵀ v
        const be = dotRow(af64(vq, c1), af64(rc, c1), m); // v_qᵀ v
        axpyRow(-al, af64(vq, c1), af64(p, c1), m);
        axpyRow(-be, af64(wq, c1), af64(p, c1), m);
      }
      for (let j = c1; j < n; j++) stf(wi, j, t * ldf(p, j));
      const kk = -0.5 * t * dotRow(af64(wi, c1), af64(rc, c1), m);
      axpyRow(kk, af64(rc, c1), af64(wi, c1), m);
      // entries left of column c+1 are never read for this panel's updates
      // of later rows (they start at their own column ≥ c+1) nor by the GEMMs
      memory.fill(wi, 0, (<usize>c1) << 3);
    }
    rank2kUpper(n, a, k0, nb, k0 + nb, w, gw);
  }
  stf(d, n - 2, ldf(a, (n - 2) * n + n - 2));
  stf(d, n - 1, ldf(a, (n - 1) * n + n - 1));
  stf(e, n - 2, ldf(a, (n - 2) * n + n - 1));
  stf(e, n - 1, 0.0);
  stf(tau, n - 2, 0.0);
  stf(tau, n - 1, 0.0);
}

/**
 * Eigen-decomposition of the symmetric n×n matrix at a (destroyed).
 * Eigenvalues ascending into w; eigenvectors as the columns of z when
 * wantVectors != 0 (z is ignored otherwise).
 * @returns a status code
 */
export function dsyev(n: i32, wantVectors: i32, a: usize, w: usize, z: usize, work: usize): i32 {
  if (n <= 0) return STATUS_OK;
  const e = work;
  const tau = af64(work, n);
  const p = af64(work, 2 * n);
  const q = af64(work, 3 * n);
  const pn = af64(work, 4 * n);
  const rest = af64(work, 5 * n + 8);
  s_houseFloor = upperFloor(n, a);
  if (n >= TRD_BLOCKED_MIN) tridiagonalizeBlocked(n, a, w, e, tau, rest);
  else tridiagonalize(n, a, w, e, tau, p, q, pn);
  if (wantVectors == 0) {
    const st = tql(n, w, e, 0);
    if (st != STATUS_OK) return st;
    sortAscending(n, w, 0);
    return STATUS_OK;
  }
  const st = dstedc(n, w, e, z, n, rest);
  if (st != STATUS_OK) return st;
  // Z ← H_0 ⋯ H_{n−3} Z (reflector k acts on rows k+1 …)
  applyReflectorsLeft(n, n, n - 2, 1, a, n, tau, z, n, false, rest);
  return STATUS_OK;
}
