// Chebyshev action of a polynomial in a sparse matrix on a block of vectors:
//   Y ← Σ_{k=0..deg} c_k T_k(S) X,   S = α L + β I,
// with T_k the Chebyshev polynomials (T_0 = 1, T_1 = x, T_{k+1} = 2x T_k − T_{k−1})
// and L a CSR matrix. With L a graph Laplacian scaled so the spectrum of S lies
// in [−1, 1] and c_k the Bessel coefficients of e^{−tx}, Y = e^{−tL} X
// (sdk/graph/diffusion.ts).
//
// Memory layout:
//   rowPtr  i32, n + 1; colIdx i32, nnz; values f64, nnz: L in CSR (n×n).
//   x       f64, n×b row-major (row stride b): the block X; read only.
//   coef    f64, deg + 1.
//   y       f64, n×b row-major: the result; overwritten.
//   work    f64, chebyshevWorkSize(n, b) = 2·n·b: T_{k−1} and T_k.
// b must be even (the SDK pads the block with zero columns). The main loop
// runs over the block's columns in f64x2 pairs, 8 columns (4 registers) at a
// time, then pairs; the sum over a row's entries is in CSR order, so the
// result does not depend on the engine.

import { af64, ldf, ldi, bytesOfF64 } from "../core/ptr";

/** Scratch bytes for {@link dchebmm}. */
export function dchebmmWorkSize(n: i32, b: i32): i32 {
  return bytesOfF64(2 * n * b);
}

/** One f64x2 pair: s = α acc + β cur (then 2s − prev if twice); out ← s; y += c s. */
@inline function finish(acc: v128, va: v128, vb: v128, two: v128, vc: v128, twice: bool, ci: usize, pi: usize, oi: usize, yi: usize): void {
  let s = f64x2.add(f64x2.mul(va, acc), f64x2.mul(vb, v128.load(ci)));
  if (twice) s = f64x2.sub(f64x2.mul(two, s), v128.load(pi));
  v128.store(oi, s);
  v128.store(yi, f64x2.add(v128.load(yi), f64x2.mul(vc, s)));
}

/** out[i,:] ← 2(α (L cur)[i,:] + β cur[i,:]) − prev[i,:] (twice) or α (L cur)[i,:] + β cur[i,:] (prev unused); y += c·out. */
function step(
  n: i32, b: i32, rowPtr: usize, colIdx: usize, values: usize,
  alpha: f64, beta: f64, twice: bool, cur: usize, prev: usize, out: usize, y: usize, c: f64,
): void {
  const va = f64x2.splat(alpha);
  const vb = f64x2.splat(beta);
  const two = f64x2.splat(2.0);
  const vc = f64x2.splat(c);
  for (let i = 0; i < n; i++) {
    const p0 = ldi(rowPtr, i);
    const p1 = ldi(rowPtr, i + 1);
    let q = 0;
    for (; q + 8 <= b; q += 8) {
      let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
      for (let p = p0; p < p1; p++) {
        const v = f64x2.splat(ldf(values, p));
        const src = af64(cur, ldi(colIdx, p) * b + q);
        a0 = f64x2.add(a0, f64x2.mul(v, v128.load(src)));
        a1 = f64x2.add(a1, f64x2.mul(v, v128.load(af64(src, 2))));
        a2 = f64x2.add(a2, f64x2.mul(v, v128.load(af64(src, 4))));
        a3 = f64x2.add(a3, f64x2.mul(v, v128.load(af64(src, 6))));
      }
      const ci = af64(cur, i * b + q);
      const pi = af64(prev, i * b + q);
      const oi = af64(out, i * b + q);
      const yi = af64(y, i * b + q);
      finish(a0, va, vb, two, vc, twice, ci, pi, oi, yi);
      finish(a1, va, vb, two, vc, twice, af64(ci, 2), af64(pi, 2), af64(oi, 2), af64(yi, 2));
      finish(a2, va, vb, two, vc, twice, af64(ci, 4), af64(pi, 4), af64(oi, 4), af64(yi, 4));
      finish(a3, va, vb, two, vc, twice, af64(ci, 6), af64(pi, 6), af64(oi, 6), af64(yi, 6));
    }
    for (; q + 2 <= b; q += 2) {
      let a0 = f64x2.splat(0.0);
      for (let p = p0; p < p1; p++) {
        a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(ldf(values, p)), v128.load(af64(cur, ldi(colIdx, p) * b + q))));
      }
      let s = f64x2.add(f64x2.mul(va, a0), f64x2.mul(vb, v128.load(af64(cur, i * b + q))));
      if (twice) s = f64x2.sub(f64x2.mul(two, s), v128.load(af64(prev, i * b + q)));
      v128.store(af64(out, i * b + q), s);
      const yi = af64(y, i * b + q);
      v128.store(yi, f64x2.add(v128.load(yi), f64x2.mul(vc, s)));
    }
  }
}

/** Y ← Σ_k coef[k] T_k(αL + βI) X for the CSR matrix L; b even. */
export function dchebmm(
  n: i32, rowPtr: usize, colIdx: usize, values: usize, alpha: f64, beta: f64,
  b: i32, x: usize, coef: usize, deg: i32, y: usize, work: usize,
): void {
  const nb = n * b;
  const c0 = f64x2.splat(ldf(coef, 0));
  for (let q = 0; q + 2 <= nb; q += 2) v128.store(af64(y, q), f64x2.mul(c0, v128.load(af64(x, q))));
  if (deg < 1) return;
  let prev = work;              // T_{k−1}
  let cur = af64(work, nb);     // T_k
  // T_1 = S X into cur; y += c_1 T_1
  step(n, b, rowPtr, colIdx, values, alpha, beta, false, x, x, cur, y, ldf(coef, 1));
  if (deg < 2) return;
  // T_2 = 2 S T_1 − X into prev (prev holds nothing yet: read X as T_0)
  step(n, b, rowPtr, colIdx, values, alpha, beta, true, cur, x, prev, y, ldf(coef, 2));
  // now prev = T_2, cur = T_1: swap so cur = T_k, prev = T_{k−1}
  let t = prev; prev = cur; cur = t;
  for (let k = 3; k <= deg; k++) {
    // T_{k} = 2 S T_{k−1} − T_{k−2}, written over T_{k−2} row by row (row i of T_{k−2} is read only for row i)
    step(n, b, rowPtr, colIdx, values, alpha, beta, true, cur, prev, prev, y, ldf(coef, k));
    t = prev; prev = cur; cur = t;
  }
}
