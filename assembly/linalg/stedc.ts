// Symmetric tridiagonal eigenproblem by divide and conquer (Cuppen's method
// with the Gu–Eisenstat eigenvectors), the scheme of LAPACK's dstedc.
//
//   T = diag(T1, T2) + ρ v vᵀ,  v = e_{n1−1} + sign(β) e_{n1},  ρ = |β|
//   T_i = Q_i D_i Q_iᵀ (recursively; QL at the leaves)
//   D + ρ z zᵀ, z = [last row of Q1, sign(β) · first row of Q2]: deflation
//   (tiny z_i, or close d_i, d_j rotated apart), the secular equation
//   1 + ρ Σ z_i² / (d_i − λ) = 0 for the rest, ẑ recomputed from the roots
//   (Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995)) so the vectors
//   u_j = ẑ / (d − λ_j) are orthogonal to working precision, and
//   Q ← diag(Q1, Q2) U as two GEMMs over the non-zero row blocks.
//
// Memory layout:
//   d     n     diagonal in, eigenvalues ascending out.
//   e     n     e[i] = T[i, i+1] (i < n−1); destroyed.
//   q     n×n   row-major with row stride ldq; column j = eigenvector j out.
//   work  dstedcWorkCount(n) f64 (the i32 scratch lives inside it too).
//
// Sources: J. J. M. Cuppen, Numer. Math. 36 (1981); M. Gu & S. C. Eisenstat,
// SIAM J. Matrix Anal. Appl. 16 (1995) 172–191; LAPACK dlaed0–dlaed4 (read for
// the deflation test and the secular-equation model, not copied).

import { af64, ai32, ldf, ldi, stf, sti, bytesOfF64 } from "../core/ptr";
import { STATUS_OK } from "../core/status";
import { dgemm, dgemmWorkCount } from "./gemm";
import { deflationFloor, tql } from "./ql";

const EPS: f64 = 2.220446049250313e-16;
/** Subproblems of at most this size are solved by implicit QL. */
const LEAF: i32 = 24;

/** Scratch f64 count for {@link dstedc}. */
export function dstedcWorkCount(n: i32): i32 {
  // three n×n panels, 8 vectors, leaf Zᵀ, i32 scratch (6n ints = 3n f64), gemm
  return 3 * n * n + 8 * n + LEAF * LEAF + 3 * n + dgemmWorkCount(n, n, n) + 64;
}

/** Scratch bytes for {@link dstedc} (the kernel ABI's unit): 8 × dstedcWorkCount. */
export function dstedcWorkSize(n: i32): i32 {
  return bytesOfF64(dstedcWorkCount(n));
}

// --- the secular equation ---------------------------------------------------

/**
 * Root j of 1 + ρ Σ z_i² / (d_i − λ) = 0 (d ascending, ρ > 0, Σ z² ≤ 1).
 * Writes delta[i] = d_i − λ_j (accurately, through the nearer pole as origin)
 * and returns λ_j.
 */
function secularRoot(k: i32, j: i32, d: usize, z: usize, rho: f64, delta: usize): f64 {
  let origin = j;
  let lo = 0.0;
  let hi = 0.0;
  if (j < k - 1) {
    const dj = ldf(d, j);
    const mid = 0.5 * (ldf(d, j + 1) - dj);
    let f = 1.0;
    for (let i = 0; i < k; i++) {
      const zi = ldf(z, i);
      f += (rho * zi * zi) / (ldf(d, i) - dj - mid);
    }
    if (f >= 0.0) {
      origin = j;
      lo = 0.0;
      hi = mid;
    } else {
      origin = j + 1;
      lo = -mid;
      hi = 0.0;
    }
  } else {
    lo = 0.0;
    hi = rho;
  }
  const d0 = ldf(d, origin);
  for (let i = 0; i < k; i++) stf(delta, i, ldf(d, i) - d0);
  const left = j; // poles δ_j (left) and δ_{j+1} (right)
  const hasRight = j < k - 1;
  const dl = ldf(delta, left);
  const dr = hasRight ? ldf(delta, left + 1) : 0.0;
  let tau = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    let psi = 0.0;
    let dpsi = 0.0;
    let phi = 0.0;
    let dphi = 0.0;
    let amag = 0.0;
    for (let i = 0; i <= left; i++) {
      const zi = ldf(z, i);
      const t = (rho * zi * zi) / (ldf(delta, i) - tau);
      psi += t;
      dpsi += t / (ldf(delta, i) - tau);
      amag += Math.abs(t);
    }
    for (let i = left + 1; i < k; i++) {
      const zi = ldf(z, i);
      const t = (rho * zi * zi) / (ldf(delta, i) - tau);
      phi += t;
      dphi += t / (ldf(delta, i) - tau);
      amag += Math.abs(t);
    }
    const f = 1.0 + psi + phi;
    if (f == 0.0) break;
    if (Math.abs(f) <= 4.0 * EPS * (<f64>k) * (1.0 + amag)) break;
    if (f < 0.0) lo = tau;
    else hi = tau;
    // two-pole rational model (one pole for the last root)
    const D1 = dl - tau;
    const b = dpsi * D1 * D1;
    const a = psi - dpsi * D1;
    let next = 0.0;
    let ok = false;
    if (hasRight) {
      const D2 = dr - tau;
      const dd = dphi * D2 * D2;
      const c = phi - dphi * D2;
      const C0 = 1.0 + a + c;
      const B = C0 * (D1 + D2) + b + dd;
      const P = D1 * D2 * f;
      // C0 η² − B η + P = 0
      let disc = B * B - 4.0 * C0 * P;
      if (disc < 0.0) disc = 0.0;
      const sq = Math.sqrt(disc);
      const qq = 0.5 * (B + (B >= 0.0 ? sq : -sq));
      if (qq != 0.0) {
        const r2 = P / qq;
        const c2 = tau + r2;
        if (c2 > lo && c2 < hi) {
          next = c2;
          ok = true;
        } else if (C0 != 0.0) {
          const c1 = tau + qq / C0;
          if (c1 > lo && c1 < hi) {
            next = c1;
            ok = true;
          }
        }
      }
    } else {
      const C0 = 1.0 + a + phi;
      if (C0 != 0.0) {
        const c1 = tau + D1 + b / C0;
        if (c1 > lo && c1 < hi) {
          next = c1;
          ok = true;
        }
      }
    }
    if (!ok) next = 0.5 * (lo + hi);
    const step = Math.abs(next - tau);
    tau = next;
    if (step <= 2.0 * EPS * Math.abs(tau) || hi - lo <= 2.0 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
  }
  for (let i = 0; i < k; i++) stf(delta, i, ldf(delta, i) - tau);
  return d0 + tau;
}

// --- divide and conquer -----------------------------------------------------

// Scratch pointers, set once per dstedc call (module globals: no allocation).
let s_qg: usize = 0;
let s_qn: usize = 0;
let s_u: usize = 0;
let s_z: usize = 0;
let s_ds: usize = 0;
let s_dk: usize = 0;
let s_zk: usize = 0;
let s_lam: usize = 0;
let s_zh: usize = 0;
let s_vals: usize = 0;
let s_tmp: usize = 0;
let s_leaf: usize = 0;
let s_perm: usize = 0;
let s_col: usize = 0;
let s_grp: usize = 0;
let s_nd: usize = 0;
let s_df: usize = 0;
let s_ord: usize = 0;
let s_gw: usize = 0;
/** The top-level order and the least eigenvalue whose vector is wanted there (see dstedc). */
let s_topN: i32 = 0;
let s_minLam: f64 = -Infinity;
/** Absolute deflation floor ε‖T‖_max of the whole matrix (ql.ts deflationFloor). */
let s_floor: f64 = 0.0;

function solve(n: i32, d: usize, e: usize, q: usize, ldq: i32): i32 {
  if (n <= LEAF) {
    const zt = s_leaf;
    memory.fill(zt, 0, (<usize>n * <usize>n) << 3);
    for (let i = 0; i < n; i++) stf(zt, i * n + i, 1.0);
    const st = tql(n, d, e, zt, s_floor);
    if (st != STATUS_OK) return st;
    // sort ascending, writing column j of q = row (sorted j) of zt
    for (let i = 0; i < n; i++) sti(s_ord, i, i);
    for (let i = 1; i < n; i++) {
      const oi = ldi(s_ord, i);
      const v = ldf(d, oi);
      let j = i - 1;
      while (j >= 0 && ldf(d, ldi(s_ord, j)) > v) {
        sti(s_ord, j + 1, ldi(s_ord, j));
        j--;
      }
      sti(s_ord, j + 1, oi);
    }
    for (let j = 0; j < n; j++) stf(s_tmp, j, ldf(d, ldi(s_ord, j)));
    for (let j = 0; j < n; j++) {
      stf(d, j, ldf(s_tmp, j));
      const src = af64(zt, ldi(s_ord, j) * n);
      for (let i = 0; i < n; i++) stf(q, i * ldq + j, ldf(src, i));
    }
    return STATUS_OK;
  }
  const n1 = n >> 1;
  const n2 = n - n1;
  const beta = ldf(e, n1 - 1);
  const rho0 = Math.abs(beta);
  const sgn = beta >= 0.0 ? 1.0 : -1.0;
  stf(d, n1 - 1, ldf(d, n1 - 1) - rho0);
  stf(d, n1, ldf(d, n1) - rho0);
  // zero the off-diagonal blocks of q
  for (let i = 0; i < n1; i++) memory.fill(af64(q, i * ldq + n1), 0, (<usize>n2) << 3);
  for (let i = n1; i < n; i++) memory.fill(af64(q, i * ldq), 0, (<usize>n1) << 3);
  let st = solve(n1, d, e, q, ldq);
  if (st != STATUS_OK) return st;
  st = solve(n2, af64(d, n1), af64(e, n1), af64(q, n1 * ldq + n1), ldq);
  if (st != STATUS_OK) return st;
  return merge(n, n1, d, q, ldq, rho0, sgn);
}

function merge(n: i32, n1: i32, d: usize, q: usize, ldq: i32, rho0: f64, sgn: f64): i32 {
  const z = s_z;
  for (let i = 0; i < n1; i++) stf(z, i, ldf(q, (n1 - 1) * ldq + i));
  for (let i = n1; i < n; i++) stf(z, i, sgn * ldf(q, n1 * ldq + i));
  let zn2 = 0.0;
  for (let i = 0; i < n; i++) zn2 += ldf(z, i) * ldf(z, i);
  const rho = rho0 * zn2;
  const zs = 1.0 / Math.sqrt(zn2);
  for (let i = 0; i < n; i++) stf(z, i, ldf(z, i) * zs);
  // merge the two ascending halves of d into perm
  {
    let a = 0;
    let b = n1;
    for (let t = 0; t < n; t++) {
      if (b >= n || (a < n1 && ldf(d, a) <= ldf(d, b))) sti(s_perm, t, a++);
      else sti(s_perm, t, b++);
    }
  }
  const ds = s_ds;
  const zz = s_tmp; // z in sorted order
  let dmax = 0.0;
  let zmax = 0.0;
  for (let t = 0; t < n; t++) {
    const p = ldi(s_perm, t);
    stf(ds, t, ldf(d, p));
    stf(zz, t, ldf(z, p));
    sti(s_col, t, p);
    sti(s_grp, t, p < n1 ? 1 : 3);
    dmax = Math.max(dmax, Math.abs(ldf(d, p)));
    zmax = Math.max(zmax, Math.abs(ldf(z, p)));
  }
  const tol = 8.0 * EPS * Math.max(dmax, zmax);
  // deflation
  let K = 0;
  let nD = 0;
  let pj = -1;
  for (let t = 0; t < n; t++) {
    if (rho * Math.abs(ldf(zz, t)) <= tol) {
      sti(s_df, nD++, t);
      continue;
    }
    if (pj < 0) {
      pj = t;
      continue;
    }
    let s = ldf(zz, pj);
    let c = ldf(zz, t);
    const tau = Math.hypot(c, s);
    const tt = ldf(ds, t) - ldf(ds, pj);
    c /= tau;
    s = -s / tau;
    if (Math.abs(tt * c * s) <= tol) {
      stf(zz, t, tau);
      stf(zz, pj, 0.0);
      const cx = ldi(s_col, pj);
      const cy = ldi(s_col, t);
      for (let i = 0; i < n; i++) {
        const xa = af64(q, i * ldq + cx);
        const ya = af64(q, i * ldq + cy);
        const x = load<f64>(xa);
        const y = load<f64>(ya);
        store<f64>(xa, c * x + s * y);
        store<f64>(ya, c * y - s * x);
      }
      if (ldi(s_grp, pj) != ldi(s_grp, t)) {
        sti(s_grp, pj, 2);
        sti(s_grp, t, 2);
      }
      const dp = ldf(ds, pj);
      const dt = ldf(ds, t);
      stf(ds, pj, dp * c * c + dt * s * s);
      stf(ds, t, dp * s * s + dt * c * c);
      sti(s_df, nD++, pj);
      pj = t;
    } else {
      sti(s_nd, K++, pj);
      pj = t;
    }
  }
  if (pj >= 0) sti(s_nd, K++, pj);
  // the non-deflated problem, in sorted order
  const dk = s_dk;
  const zk = s_zk;
  const lam = s_lam;
  for (let r = 0; r < K; r++) {
    const t = ldi(s_nd, r);
    stf(dk, r, ldf(ds, t));
    stf(zk, r, ldf(zz, t));
  }
  // keep dk ascending after the deflation rotations (insertion sort, nearly sorted)
  for (let r = 1; r < K; r++) {
    const vd = ldf(dk, r);
    const vz = ldf(zk, r);
    const vt = ldi(s_nd, r);
    let s = r - 1;
    while (s >= 0 && ldf(dk, s) > vd) {
      stf(dk, s + 1, ldf(dk, s));
      stf(zk, s + 1, ldf(zk, s));
      sti(s_nd, s + 1, ldi(s_nd, s));
      s--;
    }
    stf(dk, s + 1, vd);
    stf(zk, s + 1, vz);
    sti(s_nd, s + 1, vt);
  }
  const ut = s_u; // row j: d − λ_j, then u_j
  if (K == 1) {
    stf(lam, 0, ldf(dk, 0) + rho * ldf(zk, 0) * ldf(zk, 0));
    stf(ut, 0, 1.0);
  } else if (K > 1) {
    for (let j = 0; j < K; j++) stf(lam, j, secularRoot(K, j, dk, zk, rho, af64(ut, j * K)));
    // Gu–Eisenstat: ẑ_i² = Π_j (λ_j − d_i) / (ρ Π_{j≠i} (d_j − d_i))
    const zh = s_zh;
    for (let i = 0; i < K; i++) {
      let prod = -ldf(ut, i * K + i) / rho;
      const di = ldf(dk, i);
      for (let j = 0; j < K; j++) {
        if (j == i) continue;
        prod *= -ldf(ut, j * K + i) / (ldf(dk, j) - di);
      }
      const zabs = Math.sqrt(Math.abs(prod));
      stf(zh, i, ldf(zk, i) >= 0.0 ? zabs : -zabs);
    }
    for (let j = 0; j < K; j++) {
      const row = af64(ut, j * K);
      let s = 0.0;
      for (let i = 0; i < K; i++) {
        const x = ldf(zh, i) / ldf(row, i);
        stf(row, i, x);
        s += x * x;
      }
      const inv = 1.0 / Math.sqrt(s);
      for (let i = 0; i < K; i++) stf(row, i, ldf(row, i) * inv);
    }
  }
  // order the K basis vectors by group (1: top rows only, 2: both, 3: bottom only)
  let c1 = 0;
  let c2 = 0;
  for (let r = 0; r < K; r++) {
    const g = ldi(s_grp, ldi(s_nd, r));
    if (g == 1) c1++;
    else if (g == 2) c2++;
  }
  {
    let p1 = 0;
    let p2 = c1;
    let p3 = c1 + c2;
    for (let r = 0; r < K; r++) {
      const g = ldi(s_grp, ldi(s_nd, r));
      sti(s_ord, g == 1 ? p1++ : g == 2 ? p2++ : p3++, r);
    }
  }
  const qg = s_qg; // n × K, columns in group order
  const ug = s_qn; // K × K: U rows in group order (temporarily in qn)
  // source column of q for each gathered column (kept in s_perm, free by now)
  for (let c = 0; c < K; c++) sti(s_perm, c, ldi(s_col, ldi(s_nd, ldi(s_ord, c))));
  for (let i = 0; i < n; i++) {
    const qr = af64(q, i * ldq);
    const gr = af64(qg, i * K);
    for (let c = 0; c < K; c++) stf(gr, c, ldf(qr, ldi(s_perm, c)));
  }
  for (let c = 0; c < K; c++) {
    const r = ldi(s_ord, c);
    for (let j = 0; j < K; j++) stf(ug, c * K + j, ldf(ut, j * K + r));
  }
  // U no longer needed as Uᵀ: move ug into u, then qn = Q_new (n × K)
  memory.copy(ut, ug, (<usize>K * <usize>K) << 3);
  const qn = s_qn;
  const c12 = c1 + c2;
  const c23 = K - c1;
  // at the top level with a lower bound on the wanted eigenvalues, only the
  // columns λ_j ≥ s_minLam are formed (the rest are zero)
  let j0 = 0;
  if (n == s_topN) while (j0 < K && ldf(lam, j0) < s_minLam) j0++;
  const Kc = K - j0;
  if (j0 > 0) for (let i = 0; i < n; i++) memory.fill(af64(qn, i * K), 0, (<usize>j0) << 3);
  if (c12 > 0 && Kc > 0) dgemm(0, 0, n1, Kc, c12, 1.0, qg, K, af64(ut, j0), K, 0.0, af64(qn, j0), K, s_gw);
  else for (let i = 0; i < n1; i++) memory.fill(af64(qn, i * K), 0, (<usize>K) << 3);
  if (c23 > 0 && Kc > 0) {
    dgemm(0, 0, n - n1, Kc, c23, 1.0, af64(qg, n1 * K + c1), K, af64(ut, c1 * K + j0), K, 0.0, af64(qn, n1 * K + j0), K, s_gw);
  } else for (let i = n1; i < n; i++) memory.fill(af64(qn, i * K), 0, (<usize>K) << 3);
  // all n eigenpairs: λ_j with qn[:, j] (j < K), deflated ds[t] with q[:, col[t]]
  // merge the two ascending lists into the final order
  const vals = s_vals;
  // deflated values ascending (insertion sort on df by ds)
  for (let r = 1; r < nD; r++) {
    const v = ldi(s_df, r);
    const x = ldf(ds, v);
    let s = r - 1;
    while (s >= 0 && ldf(ds, ldi(s_df, s)) > x) {
      sti(s_df, s + 1, ldi(s_df, s));
      s--;
    }
    sti(s_df, s + 1, v);
  }
  // final columns into qg (n × n, ld n) — qg's gathered copy is no longer needed
  // final order: s_perm[t] = j ≥ 0 for column j of qn, or −1 − c for column c of q
  {
    let a = 0;
    let b = 0;
    for (let t = 0; t < n; t++) {
      const takeA = b >= nD || (a < K && ldf(lam, a) <= ldf(ds, ldi(s_df, b)));
      if (takeA) {
        stf(vals, t, ldf(lam, a));
        sti(s_perm, t, a);
        a++;
      } else {
        stf(vals, t, ldf(ds, ldi(s_df, b)));
        sti(s_perm, t, -1 - ldi(s_col, ldi(s_df, b)));
        b++;
      }
    }
  }
  // assemble row by row into fin (= qg, free now), then copy back into q
  const fin = qg;
  for (let i = 0; i < n; i++) {
    const qr = af64(q, i * ldq);
    const nr = af64(qn, i * K);
    const fr = af64(fin, i * n);
    for (let t = 0; t < n; t++) {
      const src = ldi(s_perm, t);
      stf(fr, t, src >= 0 ? ldf(nr, src) : ldf(qr, -1 - src));
    }
  }
  for (let t = 0; t < n; t++) stf(d, t, ldf(vals, t));
  for (let i = 0; i < n; i++) memory.copy(af64(q, i * ldq), af64(fin, i * n), (<usize>n) << 3);
  return STATUS_OK;
}

/**
 * Eigenvalues (ascending, into d) and eigenvectors (columns of q, row stride
 * ldq) of the symmetric tridiagonal (d, e) by divide and conquer. With
 * {@link dstedcFrom}'s minLambda > −∞ the top-level merge forms only the columns of the
 * eigenvalues it found ≥ minLambda (the TGK SVD wants the non-negative half:
 * its top merge GEMMs halve); the other non-deflated columns are then zero.
 * @returns a status code
 */
export function dstedc(n: i32, d: usize, e: usize, q: usize, ldq: i32, work: usize): i32 {
  return dstedcFrom(n, d, e, q, ldq, work, -Infinity);
}

/** {@link dstedc} with the top-level lower bound minLambda (see there). */
export function dstedcFrom(n: i32, d: usize, e: usize, q: usize, ldq: i32, work: usize, minLambda: f64): i32 {
  if (n <= 0) return STATUS_OK;
  s_topN = n;
  s_minLam = minLambda;
  const nn = n * n;
  s_qg = work;
  s_qn = af64(work, nn);
  s_u = af64(work, 2 * nn);
  let o = 3 * nn;
  s_z = af64(work, o); o += n;
  s_ds = af64(work, o); o += n;
  s_dk = af64(work, o); o += n;
  s_zk = af64(work, o); o += n;
  s_lam = af64(work, o); o += n;
  s_zh = af64(work, o); o += n;
  s_vals = af64(work, o); o += n;
  s_tmp = af64(work, o); o += n;
  s_leaf = af64(work, o); o += LEAF * LEAF;
  const ib = af64(work, o); o += 3 * n + 2;
  s_perm = ib;
  s_col = ai32(ib, n);
  s_grp = ai32(ib, 2 * n);
  s_nd = ai32(ib, 3 * n);
  s_df = ai32(ib, 4 * n);
  s_ord = ai32(ib, 5 * n);
  s_gw = af64(work, o);
  stf(e, n - 1, 0.0);
  // Split at negligible couplings against the whole matrix's norm (LAPACK
  // dstedc splits before dividing): the leaves and merges then see exact zeros.
  s_floor = deflationFloor(n, d, e);
  for (let i = 0; i < n - 1; i++) if (Math.abs(ldf(e, i)) <= s_floor) stf(e, i, 0.0);
  return solve(n, d, e, q, ldq);
}
