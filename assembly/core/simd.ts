// The f64x2 helpers on contiguous f64 vectors, one home for every kernel
// (linalg, lrg, tn, graph): dot products, axpy, scaling, plane rotations.
// Each is @inline: the compiled code is the same as when every caller kept
// its own copy. Two dot products on purpose: they sum in different orders,
// and each caller keeps the order (and so the bits) it was tested with.
// Lane order is fixed (lane 0 + lane 1, then the scalar tail), so the sums
// are the same bits in every engine.

import { af64, ldf, stf } from "./ptr";

/** x · y over `len` contiguous f64, two f64x2 accumulators (4 lanes in flight). */
@inline export function dotRow4(x: usize, y: usize, len: i32): f64 {
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

/** x · y over `len` contiguous f64, one f64x2 accumulator. */
@inline export function dotRow2(x: usize, y: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= len; i += 2) acc0 = f64x2.add(acc0, f64x2.mul(v128.load(af64(x, i)), v128.load(af64(y, i))));
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  if (i < len) s += ldf(x, i) * ldf(y, i);
  return s;
}

/** y ← y + α x over `len` contiguous f64. */
@inline export function axpyRow(alpha: f64, x: usize, y: usize, len: i32): void {
  const a = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const ya = af64(y, i);
    v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(a, v128.load(af64(x, i)))));
  }
  if (i < len) stf(y, i, ldf(y, i) + alpha * ldf(x, i));
}

/** Plane rotation of two contiguous rows: x ← c x − s y, y ← s x + c y. */
@inline export function rotRows(x: usize, y: usize, len: i32, c: f64, s: f64): void {
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

/** y ← c y over `len` contiguous f64. */
@inline export function scalRow(c: f64, y: usize, len: i32): void {
  const s = f64x2.splat(c);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const ya = af64(y, i);
    v128.store(ya, f64x2.mul(v128.load(ya), s));
  }
  if (i < len) stf(y, i, ldf(y, i) * c);
}

/**
 * Rescale y (length `len`) by an exact power of two so that ‖y‖² ∈ [1, 4);
 * returns ln of the factor removed (−∞ for a zero vector, left at 0). No
 * logarithm is evaluated: the factor is 2^h, so ln = h·ln 2. (Born machines'
 * environments and amplitudes: no underflow over thousands of sites.)
 */
@inline export function normalisePow2(y: usize, len: i32): f64 {
  const q = dotRow2(y, y, len);
  if (!(q > 0.0)) return -Infinity;
  let h = (<i32>((reinterpret<u64>(q) >> 52) & 0x7ff) - 1023) >> 1;
  if (h < -1000) h = -1000;
  if (h > 1000) h = 1000;
  scalRow(reinterpret<f64>(<u64>(1023 - h) << 52), y, len);
  return <f64>h * 0.6931471805599453;
}

/**
 * y[0..m) ← Σ_{a<r} v[a] · row_a, row a at `base + a·rowStride` (rows of at
 * least m f64): a transposed matrix–vector product, zero coefficients skipped,
 * accumulated row by row with {@link axpyRow}.
 */
@inline export function combineRows(r: i32, m: i32, v: usize, base: usize, rowStride: i32, y: usize): void {
  for (let j = 0; j < m; j++) stf(y, j, 0.0);
  for (let a = 0; a < r; a++) {
    const va = ldf(v, a);
    if (va == 0.0) continue;
    axpyRow(va, af64(base, a * rowStride), y, m);
  }
}
