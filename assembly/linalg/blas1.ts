// Level-1 BLAS on strided f64 vectors (stdlib-js ndarray ABI):
//   (n, xPtr, strideX, offsetX, ...) — element i of x lives at
//   xPtr + 8 * (offsetX + i * strideX).
// Unit-stride, zero-offset calls take a SIMD f64x2 main loop and a scalar tail.
// Reductions accumulate in two lanes, then add the lanes (a fixed order, so the
// result is the same bits in every runtime).

import { af64, ldf, stf } from "../core/ptr";

/** x · y */
export function ddot(
  n: i32,
  xPtr: usize, strideX: i32, offsetX: i32,
  yPtr: usize, strideY: i32, offsetY: i32,
): f64 {
  if (n <= 0) return 0.0;
  if (strideX == 1 && strideY == 1) {
    const xp = af64(xPtr, offsetX);
    const yp = af64(yPtr, offsetY);
    let acc = f64x2.splat(0.0);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      acc = f64x2.add(acc, f64x2.mul(v128.load(af64(xp, i)), v128.load(af64(yp, i))));
    }
    let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; i < n; i++) sum += ldf(xp, i) * ldf(yp, i);
    return sum;
  }
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += ldf(xPtr, offsetX + i * strideX) * ldf(yPtr, offsetY + i * strideY);
  return sum;
}

/** y ← α x + y */
export function daxpy(
  n: i32, alpha: f64,
  xPtr: usize, strideX: i32, offsetX: i32,
  yPtr: usize, strideY: i32, offsetY: i32,
): void {
  if (n <= 0 || alpha == 0.0) return;
  if (strideX == 1 && strideY == 1) {
    const xp = af64(xPtr, offsetX);
    const yp = af64(yPtr, offsetY);
    const a = f64x2.splat(alpha);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const ya = af64(yp, i);
      v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(a, v128.load(af64(xp, i)))));
    }
    for (; i < n; i++) stf(yp, i, ldf(yp, i) + alpha * ldf(xp, i));
    return;
  }
  for (let i = 0; i < n; i++) {
    const iy = offsetY + i * strideY;
    stf(yPtr, iy, ldf(yPtr, iy) + alpha * ldf(xPtr, offsetX + i * strideX));
  }
}

/** x ← α x */
export function dscal(n: i32, alpha: f64, xPtr: usize, strideX: i32, offsetX: i32): void {
  if (n <= 0) return;
  if (strideX == 1) {
    const xp = af64(xPtr, offsetX);
    const a = f64x2.splat(alpha);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const xa = af64(xp, i);
      v128.store(xa, f64x2.mul(a, v128.load(xa)));
    }
    for (; i < n; i++) stf(xp, i, alpha * ldf(xp, i));
    return;
  }
  for (let i = 0; i < n; i++) {
    const ix = offsetX + i * strideX;
    stf(xPtr, ix, alpha * ldf(xPtr, ix));
  }
}

/** ‖x‖₂, scaled to avoid overflow and underflow (the LAPACK dnrm2 recurrence). */
export function dnrm2(n: i32, xPtr: usize, strideX: i32, offsetX: i32): f64 {
  if (n <= 0) return 0.0;
  let scale = 0.0;
  let ssq = 1.0;
  for (let i = 0; i < n; i++) {
    const v = ldf(xPtr, offsetX + i * strideX);
    if (v != 0.0) {
      const a = Math.abs(v);
      if (scale < a) {
        const r = scale / a;
        ssq = 1.0 + ssq * r * r;
        scale = a;
      } else {
        const r = a / scale;
        ssq += r * r;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** Σ x_i */
export function dsum(n: i32, xPtr: usize, strideX: i32, offsetX: i32): f64 {
  if (n <= 0) return 0.0;
  if (strideX == 1) {
    const xp = af64(xPtr, offsetX);
    let acc = f64x2.splat(0.0);
    let i = 0;
    for (; i + 2 <= n; i += 2) acc = f64x2.add(acc, v128.load(af64(xp, i)));
    let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; i < n; i++) sum += ldf(xp, i);
    return sum;
  }
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += ldf(xPtr, offsetX + i * strideX);
  return sum;
}

/** max_i |x_i|; seeded with -Infinity so an all-NaN-free input of any sign works. */
export function damax(n: i32, xPtr: usize, strideX: i32, offsetX: i32): f64 {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(ldf(xPtr, offsetX + i * strideX));
    if (a > m) m = a;
  }
  return n > 0 ? m : 0.0;
}

/** y ← x */
export function dcopy(
  n: i32,
  xPtr: usize, strideX: i32, offsetX: i32,
  yPtr: usize, strideY: i32, offsetY: i32,
): void {
  if (strideX == 1 && strideY == 1) {
    memory.copy(af64(yPtr, offsetY), af64(xPtr, offsetX), (<usize>n) << 3);
    return;
  }
  for (let i = 0; i < n; i++) stf(yPtr, offsetY + i * strideY, ldf(xPtr, offsetX + i * strideX));
}
