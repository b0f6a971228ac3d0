// Contractions of a tensor train (MPS) over binary sites.
//
// Memory layout (all row-major, f64 unless noted):
//   bond  i32[n + 1]   bond dimensions r_0 … r_n, with r_0 = r_n = 1
//   off   i32[n]       element offset of core k inside `cores`
//   cores f64[…]       core k has shape r_k × 2 × r_{k+1}: element A_k[α, b, β]
//                      lives at cores[off[k] + (α·2 + b)·r_{k+1} + β]
//   x     u8[m × n]    m states, row-major, x[j·n + k] ∈ {0,1} is site k of state j
// Environments (right contractions) are packed one after another:
//   sum form  E_k ∈ R^{r_k},          E_n = [1],   E_k[α] = Σ_b Σ_β A_k[α,b,β] E_{k+1}[β]
//   Born form E_k ∈ R^{r_k × r_k},    E_n = [[1]], E_k = Σ_b A_k[b] E_{k+1} A_k[b]^T
// with element offsets envOff[k] (i32[n + 1]) supplied by the SDK.
// Dense vectors index a configuration by Σ_k x_k 2^{n−1−k} (site 0 most significant).
//
// Scratch sizes are given by the *WorkSize exports; every kernel writes only
// its outputs and its scratch.

import { af64, ldf, stf, ldi, ldu8, stu8, bytesOfF64 } from "../core/ptr";
import { rngUniform01 } from "../random/xoshiro";
import { axpyRow, combineRows, dotRow2 } from "../core/simd";

/** y[0..m) ← Σ_α v[α] A[α, b, ·] for a core of shape r × 2 × m (row-major). */
@inline function vecCore(r: i32, m: i32, v: usize, core: usize, b: i32, y: usize): void {
  combineRows(r, m, v, af64(core, b * m), 2 * m, y);
}

/** Scratch (bytes) of tnEvaluate / tnSample: a few vectors of the largest bond. */
export function tnVecWorkSize(rmax: i32): i32 {
  return bytesOfF64(4 * rmax + 4);
}

/**
 * Values A_0[x_0] A_1[x_1] … A_{n−1}[x_{n−1}] of `m` states.
 * out f64[m]; work: tnVecWorkSize(rmax) bytes.
 */
export function tnEvaluate(
  n: i32, bond: usize, cores: usize, off: usize,
  m: i32, x: usize, out: usize, work: usize, rmax: i32,
): void {
  const v = work;
  const y = af64(work, rmax + 2);
  for (let j = 0; j < m; j++) {
    stf(v, 0, 1.0);
    let cur = v;
    let nxt = y;
    for (let k = 0; k < n; k++) {
      const r = ldi(bond, k);
      const r1 = ldi(bond, k + 1);
      vecCore(r, r1, cur, af64(cores, ldi(off, k)), <i32>ldu8(x, j * n + k), nxt);
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    stf(out, j, ldf(cur, 0));
  }
}

/** Right environments of the sum form (see header). env f64[Σ r_k], envOff i32[n + 1]. */
export function tnEnvSum(n: i32, bond: usize, cores: usize, off: usize, env: usize, envOff: usize): void {
  stf(env, ldi(envOff, n), 1.0);
  for (let k = n - 1; k >= 0; k--) {
    const r = ldi(bond, k);
    const r1 = ldi(bond, k + 1);
    const core = af64(cores, ldi(off, k));
    const e1 = af64(env, ldi(envOff, k + 1));
    const e = af64(env, ldi(envOff, k));
    for (let a = 0; a < r; a++) {
      stf(e, a, dotRow2(af64(core, a * 2 * r1), e1, r1) + dotRow2(af64(core, (a * 2 + 1) * r1), e1, r1));
    }
  }
}

/** Scratch (bytes) of tnEnvBorn and tnInner: three rmax × rmax blocks. */
export function tnMatWorkSize(rmax: i32): i32 {
  return bytesOfF64(3 * rmax * rmax + 4);
}

/**
 * Right environments of the Born form (see header). env f64[Σ r_k²].
 * work: tnMatWorkSize(rmax) bytes.
 */
export function tnEnvBorn(n: i32, bond: usize, cores: usize, off: usize, env: usize, envOff: usize, work: usize): void {
  stf(env, ldi(envOff, n), 1.0);
  for (let k = n - 1; k >= 0; k--) {
    const r = ldi(bond, k);
    const r1 = ldi(bond, k + 1);
    const core = af64(cores, ldi(off, k));
    const e1 = af64(env, ldi(envOff, k + 1));
    const e = af64(env, ldi(envOff, k));
    for (let i = 0; i < r * r; i++) stf(e, i, 0.0);
    for (let b = 0; b < 2; b++) {
      // T[α', β] = Σ_β' E1[β, β'] A[α', b, β']   (E1 symmetric)
      for (let a2 = 0; a2 < r; a2++) {
        const row = af64(core, (a2 * 2 + b) * r1);
        for (let bb = 0; bb < r1; bb++) stf(work, a2 * r1 + bb, dotRow2(af64(e1, bb * r1), row, r1));
      }
      // E[α, α'] += Σ_β A[α, b, β] T[α', β]
      for (let a = 0; a < r; a++) {
        const row = af64(core, (a * 2 + b) * r1);
        for (let a2 = 0; a2 < r; a2++) {
          stf(e, a * r + a2, ldf(e, a * r + a2) + dotRow2(row, af64(work, a2 * r1), r1));
        }
      }
    }
  }
}

/**
 * ⟨A, B⟩ = Σ_x A(x) B(x) of two trains on the same n sites, by the left
 * transfer L ← Σ_b A_k[b]^T L B_k[b]. work: tnMatWorkSize(max(rmaxA, rmaxB)) bytes.
 */
export function tnInner(
  n: i32,
  bondA: usize, coresA: usize, offA: usize,
  bondB: usize, coresB: usize, offB: usize,
  work: usize, rmax: i32,
): f64 {
  const L = work;
  const T = af64(work, rmax * rmax);
  const N = af64(work, 2 * rmax * rmax);
  stf(L, 0, 1.0);
  for (let k = 0; k < n; k++) {
    const ra = ldi(bondA, k);
    const ra1 = ldi(bondA, k + 1);
    const rb = ldi(bondB, k);
    const rb1 = ldi(bondB, k + 1);
    const ca = af64(coresA, ldi(offA, k));
    const cb = af64(coresB, ldi(offB, k));
    for (let i = 0; i < ra1 * rb1; i++) stf(N, i, 0.0);
    for (let b = 0; b < 2; b++) {
      // T[α, ·] = Σ_α' L[α, α'] B[α', b, ·]   (ra × rb1)
      for (let a = 0; a < ra; a++) vecCore(rb, rb1, af64(L, a * rb), cb, b, af64(T, a * rb1));
      // N[β, ·] += Σ_α A[α, b, β] T[α, ·]
      for (let a = 0; a < ra; a++) {
        const arow = af64(ca, (a * 2 + b) * ra1);
        const trow = af64(T, a * rb1);
        for (let be = 0; be < ra1; be++) {
          const s = ldf(arow, be);
          if (s == 0.0) continue;
          const nrow = af64(N, be * rb1);
          for (let j = 0; j < rb1; j++) stf(nrow, j, ldf(nrow, j) + s * ldf(trow, j));
        }
      }
    }
    memory.copy(L, N, (<usize>(ra1 * rb1)) << 3);
  }
  return ldf(L, 0);
}

/**
 * `m` seeded samples, site by site from the conditionals. born = 0: the sum
 * form, p(x_k = b | x_<k) ∝ max(0, ℓ A_k[b] E_{k+1}); born = 1: p ∝ v_b^T E_{k+1} v_b
 * with v_b = ℓ A_k[b]. The left vector ℓ is renormalised after every site.
 * env from tnEnvSum / tnEnvBorn; out u8[m × n]; work: tnVecWorkSize(rmax) bytes.
 * Returns 0, or 2 when a conditional has no positive mass (the SDK reports it).
 */
export function tnSample(
  n: i32, bond: usize, cores: usize, off: usize, born: i32,
  env: usize, envOff: usize, m: i32, rng: usize, out: usize, work: usize, rmax: i32,
): i32 {
  const l = work;
  const y0 = af64(work, rmax + 1);
  const y1 = af64(work, 2 * rmax + 2);
  const tmp = af64(work, 3 * rmax + 3);
  let status = 0;
  for (let j = 0; j < m; j++) {
    stf(l, 0, 1.0);
    for (let k = 0; k < n; k++) {
      const r = ldi(bond, k);
      const r1 = ldi(bond, k + 1);
      const core = af64(cores, ldi(off, k));
      const e1 = af64(env, ldi(envOff, k + 1));
      vecCore(r, r1, l, core, 0, y0);
      vecCore(r, r1, l, core, 1, y1);
      let p0 = 0.0;
      let p1 = 0.0;
      if (born == 0) {
        p0 = dotRow2(y0, e1, r1);
        p1 = dotRow2(y1, e1, r1);
      } else {
        for (let a = 0; a < r1; a++) stf(tmp, a, dotRow2(af64(e1, a * r1), y0, r1));
        p0 = dotRow2(y0, tmp, r1);
        for (let a = 0; a < r1; a++) stf(tmp, a, dotRow2(af64(e1, a * r1), y1, r1));
        p1 = dotRow2(y1, tmp, r1);
      }
      if (!(p0 > 0.0)) p0 = 0.0;
      if (!(p1 > 0.0)) p1 = 0.0;
      const tot = p0 + p1;
      if (!(tot > 0.0)) {
        status = 2;
        p0 = 0.5;
        p1 = 0.5;
      }
      const u = rngUniform01(rng) * (p0 + p1);
      const bit: i32 = u < p0 ? 0 : 1;
      stu8(out, j * n + k, <u8>bit);
      const pb = bit == 0 ? p0 : p1;
      const src = bit == 0 ? y0 : y1;
      const scale = pb > 0.0 ? (born == 0 ? 1.0 / pb : 1.0 / Math.sqrt(pb)) : 1.0;
      for (let a = 0; a < r1; a++) stf(l, a, ldf(src, a) * scale);
    }
  }
  return status;
}

/** Scratch (bytes) of tnDense for a split after h sites. */
export function tnDenseWorkSize(n: i32, h: i32, rmax: i32): i32 {
  return bytesOfF64(2 * (<i32>(1 << h)) * rmax + 2 * rmax * (<i32>(1 << (n - h))) + 8);
}

/**
 * The full tensor, out f64[2^n] (index Σ x_k 2^{n−1−k}). The first h sites are
 * expanded into X (2^h × r_h), the rest into Y (r_h × 2^{n−h}), then out = X·Y.
 * work: tnDenseWorkSize(n, h, rmax) bytes.
 */
export function tnDense(n: i32, bond: usize, cores: usize, off: usize, h: i32, out: usize, work: usize, rmax: i32): void {
  const lsz = (1 << h) * rmax;
  const rsz = rmax * (1 << (n - h));
  let X = work;
  let X2 = af64(work, lsz);
  let Y = af64(work, 2 * lsz);
  let Y2 = af64(work, 2 * lsz + rsz);
  // left: X has shape rows × r
  stf(X, 0, 1.0);
  let rows = 1;
  for (let k = 0; k < h; k++) {
    const r = ldi(bond, k);
    const r1 = ldi(bond, k + 1);
    const core = af64(cores, ldi(off, k));
    for (let i = 0; i < rows; i++) {
      vecCore(r, r1, af64(X, i * r), core, 0, af64(X2, (2 * i) * r1));
      vecCore(r, r1, af64(X, i * r), core, 1, af64(X2, (2 * i + 1) * r1));
    }
    rows *= 2;
    const t = X;
    X = X2;
    X2 = t;
  }
  // right: Y has shape r_{k+1} × cols
  stf(Y, 0, 1.0);
  let cols = 1;
  for (let k = n - 1; k >= h; k--) {
    const r = ldi(bond, k);
    const r1 = ldi(bond, k + 1);
    const core = af64(cores, ldi(off, k));
    const nc = 2 * cols;
    for (let i = 0; i < r * nc; i++) stf(Y2, i, 0.0);
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < 2; b++) {
        const row = af64(core, (a * 2 + b) * r1);
        const dst = af64(Y2, a * nc + b * cols);
        for (let be = 0; be < r1; be++) {
          const s = ldf(row, be);
          if (s == 0.0) continue;
          const src = af64(Y, be * cols);
          axpyRow(s, src, dst, cols);
        }
      }
    }
    cols = nc;
    const t = Y;
    Y = Y2;
    Y2 = t;
  }
  // out[i, j] = Σ_a X[i, a] Y[a, j]
  const rh = ldi(bond, h);
  for (let i = 0; i < rows; i++) {
    const dst = af64(out, i * cols);
    for (let j = 0; j < cols; j++) stf(dst, j, 0.0);
    for (let a = 0; a < rh; a++) {
      const s = ldf(X, i * rh + a);
      if (s == 0.0) continue;
      const src = af64(Y, a * cols);
      axpyRow(s, src, dst, cols);
    }
  }
}

/**
 * TT-SVD unfolding from the sample representation. The remainder is stored
 * transposed, RT (D × r): row d is distinct suffix d (sites k … n−1). Suffix d
 * is site value bit[d] followed by suffix child[d] of the next step. Writes
 * MT (Dn × 2r), the transposed unfolding: MT[child[d], α·2 + bit[d]] = RT[d, α]
 * (zero elsewhere).
 */
export function tnUnfold(r: i32, D: i32, Dn: i32, rt: usize, bit: usize, child: usize, mt: usize): void {
  const c2 = 2 * r;
  memory.fill(mt, 0, (<usize>Dn * <usize>c2) << 3);
  for (let d = 0; d < D; d++) {
    const b = <i32>ldu8(bit, d);
    const dst = af64(mt, ldi(child, d) * c2 + b);
    const src = af64(rt, d * r);
    for (let a = 0; a < r; a++) stf(dst, 2 * a, ldf(src, a));
  }
}
