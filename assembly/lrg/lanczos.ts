// Lanczos tridiagonalisation of a sparse symmetric matrix with full
// reorthogonalisation, for stochastic Lanczos quadrature (Ubaru, Chen & Saad
// 2017) and for the Krylov action of e^{-τL}.
//
// Memory layout (caller-owned):
//   rowPtr[n+1], colIdx[nnz] (i32), values[nnz] (f64)   the matrix in CSR
//   q0[n]            start vector (any norm > 0; not modified)
//   q[m * n]         output basis, row-major: row j = Lanczos vector q_j
//   alpha[m], beta[m] output: T = tridiag(beta[0..k-2], alpha[0..k-1], beta[0..k-2]);
//                    beta[k-1] is the final residual norm
//   work[n]          scratch (lrgLanczosWorkSize)
// reorth ≠ 0: full reorthogonalisation against every earlier q_i (quadrature);
// reorth = 0: the plain three-term recurrence (enough for the action of e^{-τL}).
// The CSR product is linalg's dcsrmv.
// Returns k, the number of steps taken (k < m after an invariant subspace is
// found, k = 0 for a zero start vector).

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";
import { rngNext } from "../random/xoshiro";
import { dcsrmv } from "../linalg/sparse";
import { axpyRow, dotRow2 } from "../core/simd";

/** Scratch bytes needed by lrgLanczos for order n. */
export function lrgLanczosWorkSize(n: i32): i32 {
  return bytesOfF64(n);
}

export function lrgLanczos(
  n: i32, rowPtr: usize, colIdx: usize, values: usize,
  m: i32, reorth: i32, q0Ptr: usize, qPtr: usize, alphaPtr: usize, betaPtr: usize, workPtr: usize,
): i32 {
  const nrm0 = Math.sqrt(dotRow2(q0Ptr, q0Ptr, n));
  if (!(nrm0 > 0.0) || m <= 0) return 0;
  const q0 = af64(qPtr, 0);
  for (let i = 0; i < n; i++) stf(q0, i, ldf(q0Ptr, i) / nrm0);
  let anorm = 0.0;
  for (let j = 0; j < m; j++) {
    const qj = af64(qPtr, j * n);
    const w = workPtr;
    dcsrmv(n, rowPtr, colIdx, values, qj, 1, 0, w, 1, 0);
    const a = dotRow2(qj, w, n);
    stf(alphaPtr, j, a);
    axpyRow(-a, qj, w, n);
    if (j > 0) axpyRow(-ldf(betaPtr, j - 1), af64(qPtr, (j - 1) * n), w, n);
    // full reorthogonalisation (reorth ≠ 0): classical Gram–Schmidt, twice
    for (let pass = 0; pass < (reorth != 0 ? 2 : 0); pass++) {
      for (let i = 0; i <= j; i++) {
        const qi = af64(qPtr, i * n);
        axpyRow(-dotRow2(qi, w, n), qi, w, n);
      }
    }
    const b = Math.sqrt(dotRow2(w, w, n));
    stf(betaPtr, j, b);
    const t = Math.abs(a) + b + (j > 0 ? ldf(betaPtr, j - 1) : 0.0);
    if (t > anorm) anorm = t;
    if (j + 1 == m || b <= 1e-12 * anorm) return j + 1;
    const qn = af64(qPtr, (j + 1) * n);
    const inv = 1.0 / b;
    for (let i = 0; i < n; i++) stf(qn, i, ldf(w, i) * inv);
  }
  return m;
}

/** out[n] = Σ_{j<k} c_j q_j (rows of the Lanczos basis). */
export function lrgKrylovCombine(n: i32, k: i32, qPtr: usize, cPtr: usize, outPtr: usize): void {
  for (let i = 0; i < n; i++) stf(outPtr, i, 0.0);
  for (let j = 0; j < k; j++) axpyRow(ldf(cPtr, j), af64(qPtr, j * n), outPtr, n);
}

/** Rademacher probe z ∈ {±1}^n from the generator at `rng`, projected orthogonal to the constant vector when `deflate` ≠ 0. */
export function lrgRademacher(rng: usize, n: i32, deflate: i32, outPtr: usize): void {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const v: f64 = (rngNext(rng) >> 63) != 0 ? 1.0 : -1.0;
    stf(outPtr, i, v);
    s += v;
  }
  if (deflate != 0 && n > 0) {
    const mean = s / <f64>n;
    for (let i = 0; i < n; i++) stf(outPtr, i, ldf(outPtr, i) - mean);
  }
}
