// Contractions of a tree Born machine (a Born machine on the tree of an RG
// flow, k-ary nodes): per-sample environments of a node, the amplitudes and
// the log-likelihood gradient of a merged two-node tensor. One "block tensor"
// layout serves every node and every merged tensor:
//
// Memory layout (row-major):
//   A     f64[2^L · D]  block tensor: the L leaf legs (physical dim 2) first, as one
//                       index ℓ = Σ_i x_i 2^(L−1−i) (first leaf most significant),
//                       then q bond legs of dims e_0 … e_{q−1}, D = Π e_k
//   cols  i32[L]        byte addresses of L u8 columns of T samples (the SDK keeps the
//                       states site-major: the column of site i is T bytes)
//   dims  i32[q]        e_0 … e_{q−1}
//   envs  i32[q]        byte addresses of q per-sample vector arrays f64[T·S]: the vector
//                       of sample t on bond leg k at t·S (S ≥ e_k, the stride); each is
//                       rescaled to a squared norm in [1, 4) by exact powers of two
//   lss   i32[q]        byte addresses of q f64[T]: ln of the factor removed from each
//   psi   f64[T]        amplitudes of the normalised environments
// The gradient term Φ_t/ψ_t is invariant to the environments' scales, so the
// rescaling never changes it (as in assembly/tn/born.ts).
//
// No kernel allocates; scratch sizes are the *WorkSize exports.

import { af64, ldf, stf, ldi, ldu8, bytesOfF64 } from "../core/ptr";
import { axpyRow, combineRows, dotRow2, normalisePow2 } from "../core/simd";

/** ℓ_t = Σ_i x_i[t] 2^(L−1−i). */
@inline function leafIndex(L: i32, cols: usize, t: i32): i32 {
  let l = 0;
  for (let i = 0; i < L; i++) l = (l << 1) | <i32>ldu8(<usize>ldi(cols, i), t);
  return l;
}

/** y[r] = Σ_a v[a] x[a·R + r] over a < e, r < R (the leading leg contracted). */
@inline function lead(e: i32, R: i32, v: usize, x: usize, y: usize): void {
  combineRows(e, R, v, x, R, y);
}

/** Scratch (bytes) of bornTreeEnv / bornTreeAmp / bornTreeGrad for a block of D bond entries. */
export function bornTreeWorkSize(D: i32): i32 {
  return bytesOfF64(2 * D + 4);
}

/**
 * Contract the block of sample t with the vectors of every bond leg except
 * `free`, leaving a vector of dims[free] at the returned address (in work or A).
 */
@inline function contractBut(
  t: i32, q: i32, dims: usize, envs: usize, S: i32, A: usize, D: i32, L: i32, cols: usize, free: i32, work: usize,
): usize {
  const w0 = work;
  const w1 = af64(work, D + 2);
  let src = af64(A, leafIndex(L, cols, t) * D);
  let R = D;
  // leading legs 0 … free−1
  for (let k = 0; k < free; k++) {
    const e = ldi(dims, k);
    R = R / e;
    const dst = src == w0 ? w1 : w0;
    lead(e, R, af64(<usize>ldi(envs, k), t * S), src, dst);
    src = dst;
  }
  // trailing legs q−1 … free+1: y[p] = Σ_j x[p·e + j] v[j], in place once in scratch
  for (let k = q - 1; k > free; k--) {
    const e = ldi(dims, k);
    const P = R / e;
    const v = af64(<usize>ldi(envs, k), t * S);
    const dst = src == w0 || src == w1 ? src : w0;
    for (let p = 0; p < P; p++) stf(dst, p, dotRow2(af64(src, p * e), v, e));
    src = dst;
    R = P;
  }
  return src;
}

/**
 * Environment of the free bond leg: out_t = normalise(A_ℓt contracted with the
 * vectors of every other bond leg), lsOut_t = Σ_{k≠free} lss_k[t] + ln of the
 * factor. out f64[T·S] (stride S), lsOut f64[T]. work: bornTreeWorkSize(D) bytes.
 */
export function bornTreeEnv(
  T: i32, L: i32, cols: usize, q: i32, dims: usize, envs: usize, lss: usize, S: i32,
  A: usize, free: i32, out: usize, lsOut: usize, work: usize,
): void {
  let D = 1;
  for (let k = 0; k < q; k++) D *= ldi(dims, k);
  const ef = ldi(dims, free);
  for (let t = 0; t < T; t++) {
    const src = contractBut(t, q, dims, envs, S, A, D, L, cols, free, work);
    const y = af64(out, t * S);
    for (let j = 0; j < ef; j++) stf(y, j, ldf(src, j));
    let ls = normalisePow2(y, ef);
    for (let k = 0; k < q; k++) if (k != free) ls += ldf(<usize>ldi(lss, k), t);
    stf(lsOut, t, ls);
  }
}

/**
 * Amplitudes psi_t = A_ℓt contracted with the vectors of all q bond legs (of the
 * normalised environments). psi f64[T]. work: bornTreeWorkSize(D) bytes.
 */
export function bornTreeAmp(
  T: i32, L: i32, cols: usize, q: i32, dims: usize, envs: usize, S: i32, A: usize, psi: usize, work: usize,
): void {
  let D = 1;
  for (let k = 0; k < q; k++) D *= ldi(dims, k);
  const last = q - 1;
  const el = ldi(dims, last);
  const vl = envs;
  for (let t = 0; t < T; t++) {
    const src = contractBut(t, q, dims, envs, S, A, D, L, cols, last, work);
    stf(psi, t, dotRow2(src, af64(<usize>ldi(vl, last), t * S), el));
  }
}

/**
 * Data term of the gradient: G[ℓ_t, j_0 … j_{q−1}] += (1/T) Π_k v_k,t[j_k] / psi_t
 * (samples with psi_t = 0 skipped). G f64[2^L · D] is overwritten.
 * work: bornTreeWorkSize(D) bytes.
 */
export function bornTreeGrad(
  T: i32, L: i32, cols: usize, q: i32, dims: usize, envs: usize, S: i32, psi: usize, G: usize, work: usize,
): void {
  let D = 1;
  for (let k = 0; k < q; k++) D *= ldi(dims, k);
  const sz = D << L;
  for (let i = 0; i < sz; i++) stf(G, i, 0.0);
  const invT = 1.0 / <f64>T;
  const last = q - 1;
  const el = ldi(dims, last);
  for (let t = 0; t < T; t++) {
    const p = ldf(psi, t);
    if (p == 0.0) continue;
    // outer product of legs 0 … q−2 in work, expanded in place from the back
    stf(work, 0, invT / p);
    let P = 1;
    for (let k = 0; k < last; k++) {
      const e = ldi(dims, k);
      const v = af64(<usize>ldi(envs, k), t * S);
      for (let i = P - 1; i >= 0; i--) {
        const c = ldf(work, i);
        for (let j = e - 1; j >= 0; j--) stf(work, i * e + j, c * ldf(v, j));
      }
      P *= e;
    }
    const base = af64(G, leafIndex(L, cols, t) * D);
    const v = af64(<usize>ldi(envs, last), t * S);
    for (let i = 0; i < P; i++) {
      const c = ldf(work, i);
      if (c == 0.0) continue;
      const row = af64(base, i * el);
      axpyRow(c, v, row, el);
    }
  }
}
