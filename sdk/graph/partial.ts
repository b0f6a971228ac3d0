/**
 * The `partial` estimator of {@link inferGraph}: zero-lag correlation of two
 * units with their communities' activity partialled out, so shared cluster
 * state (co-activity) no longer counts as a connection.
 *
 * @module
 */

/**
 * Zero-lag covariance C_ij = (1/T) Σ_t x_i(t) x_j(t) − p_i p_j of a T × n
 * u8 matrix (row-major), from the active units of each bin (cost Σ_t a_t²,
 * a_t the number of active units in bin t).
 */
export function zeroLagCovariance(T: number, n: number, x: Uint8Array): Float64Array {
  const co = new Float64Array(n * n);
  const mean = new Float64Array(n);
  const act = new Int32Array(n);
  const val = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    let a = 0;
    const row = t * n;
    for (let i = 0; i < n; i++) {
      const v = x[row + i]!;
      if (v !== 0) {
        act[a] = i;
        val[a++] = v;
      }
    }
    for (let p = 0; p < a; p++) {
      const i = act[p]!,
        vi = val[p]!;
      mean[i]! += vi;
      const r = i * n;
      for (let q = 0; q < a; q++) co[r + act[q]!]! += vi * val[q]!;
    }
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
        const quad = (p1: number, p2: number, q1: number, q2: number): number =>
          p1 * (i11 * q1 + i12 * q2) + p2 * (i12 * q1 + i22 * q2);
        rij = cij - quad(ciMa, ciMb, cjMa, cjMb);
        ri = vi - quad(ciMa, ciMb, ciMa, ciMb);
        rj = vj - quad(cjMa, cjMb, cjMa, cjMb);
      }
      const den = ri * rj;
      if (!(den > tiny * tiny)) continue;
      P[i * n + j] = rij / Math.sqrt(den);
    }
  }
  return P;
}
