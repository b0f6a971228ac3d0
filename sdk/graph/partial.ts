/**
 * The `partial` estimator of {@link inferGraph}: zero-lag correlation of two
 * units with their communities' activity partialled out, so shared cluster
 * state (co-activity) no longer counts as a connection.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { windowedProducts } from "./infer.js";

/**
 * Zero-lag covariance C_ij = (1/T) Σ_t x_i(t) x_j(t) − p_i p_j of a T × n
 * u8 matrix (row-major); the co-occurrence counts in the kernel from the
 * active units of each bin (cost Σ_t a_t², a_t the number of active units in
 * bin t; exact integers, so the same bits as summing them in any order).
 */
export function zeroLagCovariance(T: number, n: number, x: Uint8Array): Float64Array {
  const k = getKernel();
  // Σ_t x_i(t) x_j(t): the windowed product with the lag window 0..0 (exact integer counts)
  const co = k.scope((s) => {
    const c = s.f64(n * n);
    windowedProducts(s, T, n, s.copyU8(x), [0, 0], new Int32Array(0), c, 0, 0);
    return k.readF64(c, n * n);
  });
  const mean = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let i = 0; i < n; i++) mean[i]! += x[row + i]!;
  }
  for (let i = 0; i < n; i++) mean[i]! /= T;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) co[i * n + j] = co[i * n + j]! / T - mean[i]! * mean[j]!;
  return co;
}

/**
 * Partial correlations ρ_ij·M of every pair given the summed activity of the
 * pair's communities, each sum leaving out the pair itself (ours):
 * for i, j in one community a, the covariate is M = S_a − x_i − x_j; for i ∈ a,
 * j ∈ b ≠ a, the covariates are S_a − x_i and S_b − x_j. Every covariance
 * involved is a sum of entries of the zero-lag covariance C (cov(x_i, S_b) =
 * Σ_{k∈b} C_ik, cov(S_a, S_b) = Σ C over a × b), so the whole n × n matrix
 * costs O(n² + nK + K²) after C. Returns a row-major n × n matrix (0 on the
 * diagonal; 0 where a residual variance vanishes).
 *
 * @param n - units
 * @param C - zero-lag covariance, n × n ({@link zeroLagCovariance})
 * @param labels - community of each unit, 0..K−1
 * @returns partial correlations, n × n
 */
export function communityPartialCorrelation(n: number, C: Float64Array, labels: Int32Array): Float64Array {
  let K = 0;
  for (let i = 0; i < n; i++) K = Math.max(K, labels[i]! + 1);
  // cs[i·K + b] = cov(x_i, S_b); ss[a·K + b] = cov(S_a, S_b).
  const cs = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cs[i * K + labels[j]!]! += C[i * n + j]!;
  const ss = new Float64Array(K * K);
  for (let i = 0; i < n; i++) for (let b = 0; b < K; b++) ss[labels[i]! * K + b]! += cs[i * K + b]!;
  const P = new Float64Array(n * n);
  const tiny = 1e-14;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    const vi = C[i * n + i]!;
    const ciA = cs[i * K + a]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const b = labels[j]!;
      const vj = C[j * n + j]!;
      const cij = C[i * n + j]!;
      let rij: number, ri: number, rj: number;
      if (a === b) {
        // M = S_a − x_i − x_j.
        const cjA = cs[j * K + a]!;
        const ciM = ciA - vi - cij;
        const cjM = cjA - cij - vj;
        const vM = ss[a * K + a]! - 2 * ciA - 2 * cjA + vi + vj + 2 * cij;
        if (!(vM > tiny)) continue;
        rij = cij - (ciM * cjM) / vM;
        ri = vi - (ciM * ciM) / vM;
        rj = vj - (cjM * cjM) / vM;
      } else {
        // M_a = S_a − x_i, M_b = S_b − x_j.
        const ciB = cs[i * K + b]!,
          cjA = cs[j * K + a]!,
          cjB = cs[j * K + b]!;
        const ciMa = ciA - vi,
          ciMb = ciB - cij;
        const cjMa = cjA - cij,
          cjMb = cjB - vj;
        const vaa = ss[a * K + a]! - 2 * ciA + vi;
        const vbb = ss[b * K + b]! - 2 * cjB + vj;
        const vab = ss[a * K + b]! - cjA - ciB + cij;
        const det = vaa * vbb - vab * vab;
        if (!(det > tiny)) continue;
        const i11 = vbb / det,
          i22 = vaa / det,
          i12 = -vab / det;
        // p ᵀ M⁻¹ q for the 2 × 2 inverse (i11, i12; i12, i22), written out (no closure in the n² loop)
        rij = cij - (ciMa * (i11 * cjMa + i12 * cjMb) + ciMb * (i12 * cjMa + i22 * cjMb));
        ri = vi - (ciMa * (i11 * ciMa + i12 * ciMb) + ciMb * (i12 * ciMa + i22 * ciMb));
        rj = vj - (cjMa * (i11 * cjMa + i12 * cjMb) + cjMb * (i12 * cjMa + i22 * cjMb));
      }
      const den = ri * rj;
      if (!(den > tiny * tiny)) continue;
      P[i * n + j] = rij / Math.sqrt(den);
    }
  }
  return P;
}
