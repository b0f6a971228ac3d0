// Householder QR, thin: A = Q R with Q m×k (orthonormal columns), R k×n upper
// triangular (upper trapezoidal when m < n), k = min(m, n), diag(R) ≥ 0.
//
// Memory layout (all f64, row-major, contiguous):
//   a     m×n   the matrix (read only).
//   q     m×k   out.
//   r     k×n   out.
//   work  dgeqrWorkSize(m, n) f64:
//           At  n×m  Aᵀ, so every column of A is a contiguous row; the
//                    reflector v_j lives in row j at [j, m) (v_j[0] = 1);
//           tau k;
//           then the scratch of the blocked formation of Q (householder.ts).
//
// Source: Golub & Van Loan §5.2.2 (Householder QR), §5.1.6 (backward
// accumulation), §5.1.7 (compact WY).

import { af64, ldf, stf } from "../core/ptr";
import { dnrm2 } from "./blas1";
import { applyReflectorsLeft, householderWorkSize } from "./householder";

@inline function dotRow(x: usize, y: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= len; i += 2) acc0 = f64x2.add(acc0, f64x2.mul(v128.load(af64(x, i)), v128.load(af64(y, i))));
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  if (i < len) s += ldf(x, i) * ldf(y, i);
  return s;
}

@inline function axpyRow(alpha: f64, x: usize, y: usize, len: i32): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const ya = af64(y, i);
    v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(av, v128.load(af64(x, i)))));
  }
  if (i < len) stf(y, i, ldf(y, i) + alpha * ldf(x, i));
}

/** Scratch f64 count for {@link dgeqr}. */
export function dgeqrWorkSize(m: i32, n: i32): i32 {
  const k = m < n ? m : n;
  return n * m + k + 8 + householderWorkSize(m, k);
}

/** Thin Householder QR of the m×n matrix at a into q (m×k) and r (k×n). */
export function dgeqr(m: i32, n: i32, a: usize, q: usize, r: usize, work: usize): void {
  const k = m < n ? m : n;
  if (k == 0) return;
  const at = work;
  const tau = af64(work, n * m);
  const qt = af64(work, n * m + k + 8); // scratch of the blocked Q formation
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stf(at, j * m + i, ldf(a, i * n + j));
  for (let j = 0; j < k; j++) {
    const v = af64(at, j * m + j);
    const len = m - j;
    const alpha = ldf(v, 0);
    const xnorm = len > 1 ? dnrm2(len - 1, v, 1, 1) : 0.0;
    let t = 0.0;
    if (xnorm != 0.0) {
      const h = Math.hypot(alpha, xnorm);
      const beta = alpha >= 0.0 ? -h : h;
      t = (beta - alpha) / beta;
      const scal = 1.0 / (alpha - beta);
      for (let i = 1; i < len; i++) stf(v, i, ldf(v, i) * scal);
      stf(tau, j, t);
      // apply H_j to columns l > j (rows of At)
      stf(v, 0, 1.0);
      for (let l = j + 1; l < n; l++) {
        const col = af64(at, l * m + j);
        const s = t * dotRow(v, col, len);
        if (s != 0.0) axpyRow(-s, v, col, len);
      }
      // R[j][j] = β; keep it outside the reflector storage
      stf(r, j * n + j, beta);
    } else {
      stf(tau, j, 0.0);
      stf(r, j * n + j, alpha);
      stf(v, 0, 1.0);
    }
  }
  // R: rows j, columns l > j from At (column l's entry j)
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < j; l++) stf(r, j * n + l, 0.0);
    for (let l = j + 1; l < n; l++) stf(r, j * n + l, ldf(at, l * m + j));
  }
  // Q = H_0 ⋯ H_{k−1} [I; 0], blocked (compact WY, three GEMMs per block)
  memory.fill(q, 0, (<usize>m * <usize>k) << 3);
  for (let j = 0; j < k; j++) stf(q, j * k + j, 1.0);
  applyReflectorsLeft(m, k, k, 0, at, m, tau, q, k, true, qt);
  // diag(R) ≥ 0: flip row j of R and column j of Q together
  for (let j = 0; j < k; j++) {
    if (ldf(r, j * n + j) < 0.0) {
      for (let l = j; l < n; l++) stf(r, j * n + l, -ldf(r, j * n + l));
      for (let i = 0; i < m; i++) stf(q, i * k + j, -ldf(q, i * k + j));
    }
  }
}
