// Householder QR, thin: A = Q R with Q m×k (orthonormal columns), R k×n upper
// triangular (upper trapezoidal when m < n), k = min(m, n), diag(R) ≥ 0.
//
// Memory layout (all f64, row-major, contiguous):
//   a     m×n   the matrix (read only).
//   q     m×k   out; 0 = R only (Q not formed).
//   r     k×n   out.
//   work  dgeqrWorkCount(m, n) f64:
//           At  n×m  Aᵀ, so every column of A is a contiguous row; the
//                    reflector v_j lives in row j at [j, m) (v_j[0] = 1);
//           tau k;
//           then the scratch of the blocked formation of Q (householder.ts).
//
// Source: Golub & Van Loan §5.2.2 (Householder QR), §5.1.6 (backward
// accumulation), §5.1.7 (compact WY).

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";
import { dnrm2 } from "./blas1";
import { applyReflectorsLeft, householderWorkCount, packBlock, NB } from "./householder";
import { dgemm } from "./gemm";
import { axpyRow, dotRow2 as dotRow } from "../core/simd";



/** Scratch f64 count for {@link dgeqr}. */
export function dgeqrWorkCount(m: i32, n: i32): i32 {
  const k = m < n ? m : n;
  return n * m + k + 8 + householderWorkCount(m, n);
}

/** Scratch bytes for {@link dgeqr} (the kernel ABI's unit): 8 × dgeqrWorkCount. */
export function dgeqrWorkSize(m: i32, n: i32): i32 {
  return bytesOfF64(dgeqrWorkCount(m, n));
}

/** Thin Householder QR of the m×n matrix at a into q (m×k) and r (k×n). */
export function dgeqr(m: i32, n: i32, a: usize, q: usize, r: usize, work: usize): void {
  const k = m < n ? m : n;
  if (k == 0) return;
  const at = work;
  const tau = af64(work, n * m);
  const qt = af64(work, n * m + k + 8); // blocked-update scratch (householder.ts layout)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stf(at, j * m + i, ldf(a, i * n + j));
  // panels of NB columns: level-2 inside the panel, then the trailing columns
  // ← Q_bᵀ (trailing) in compact WY form, as rows of At:
  //   At₂ ← At₂ − ((At₂ V) T) Vᵀ
  const vt = qt; // NB × m
  const tt = af64(qt, NB * m); // NB × NB
  const w1 = af64(tt, NB * NB); // n × NB
  const w2 = af64(w1, n * NB); // n × NB
  const gw = af64(w2, n * NB);
  for (let j0 = 0; j0 < k; j0 += NB) {
    const j1 = j0 + NB < k ? j0 + NB : k;
    for (let j = j0; j < j1; j++) {
      const v = af64(at, j * m + j);
      const len = m - j;
      const alpha = ldf(v, 0);
      const xnorm = len > 1 ? dnrm2(len - 1, v, 1, 1) : 0.0;
      if (xnorm != 0.0) {
        const h = Math.hypot(alpha, xnorm);
        const beta = alpha >= 0.0 ? -h : h;
        const t = (beta - alpha) / beta;
        const scal = 1.0 / (alpha - beta);
        for (let i = 1; i < len; i++) stf(v, i, ldf(v, i) * scal);
        stf(tau, j, t);
        stf(v, 0, 1.0);
        // apply H_j to the panel's columns l > j (rows of At)
        for (let l = j + 1; l < j1; l++) {
          const col = af64(at, l * m + j);
          const s = t * dotRow(v, col, len);
          if (s != 0.0) axpyRow(-s, v, col, len);
        }
        stf(r, j * n + j, beta); // R[j][j], kept outside the reflector storage
      } else {
        stf(tau, j, 0.0);
        stf(r, j * n + j, alpha);
        stf(v, 0, 1.0);
      }
    }
    const nt = n - j1;
    if (nt > 0) {
      const nb = j1 - j0;
      const L = m - j0;
      packBlock(nb, L, at, m, j0, 0, tau, vt, tt, w1);
      const trail = af64(at, j1 * m + j0);
      dgemm(0, 1, nt, nb, L, 1.0, trail, m, vt, L, 0.0, w1, nb, gw);
      dgemm(0, 0, nt, nb, nb, 1.0, w1, nb, tt, NB, 0.0, w2, nb, gw);
      dgemm(0, 0, nt, L, nb, -1.0, w2, nb, vt, L, 1.0, trail, m, gw);
    }
  }
  // R: rows j, columns l > j from At (column l's entry j)
  for (let j = 0; j < k; j++) {
    for (let l = 0; l < j; l++) stf(r, j * n + l, 0.0);
    for (let l = j + 1; l < n; l++) stf(r, j * n + l, ldf(at, l * m + j));
  }
  // Q = H_0 ⋯ H_{k−1} [I; 0], blocked (compact WY, three GEMMs per block);
  // q = 0 asks for R only (the values-only SVD), and Q is never formed
  if (q != 0) {
    memory.fill(q, 0, (<usize>m * <usize>k) << 3);
    for (let j = 0; j < k; j++) stf(q, j * k + j, 1.0);
    applyReflectorsLeft(m, k, k, 0, at, m, tau, q, k, true, qt);
  }
  // diag(R) ≥ 0: flip row j of R and column j of Q together
  for (let j = 0; j < k; j++) {
    if (ldf(r, j * n + j) < 0.0) {
      for (let l = j; l < n; l++) stf(r, j * n + l, -ldf(r, j * n + l));
      if (q != 0) for (let i = 0; i < m; i++) stf(q, i * k + j, -ldf(q, i * k + j));
    }
  }
}
