// Entries of the (unnormalised) heat-kernel density ρ = V diag(μ) Vᵀ from an
// eigendecomposition, without forming the n × n matrix unless asked to.
//
// Memory layout (f64 unless noted, caller-owned):
//   v[n * ldv]    row-major eigenvectors, column c = eigenvector c; row i holds
//                 node i's components (contiguous), so ρ_ij is a weighted dot
//                 product of rows i and j over the first k columns
//   mu[k]         mode weights (e^{-τ(λ_c - λ_min)}; any positive scale)
//   i[nPairs], j[nPairs] (i32)  the requested pairs; out[nPairs]
//   lrgRhoFull:   out[n * n], row-major, symmetric

import { af64, ldf, ldi, stf } from "../core/ptr";

@inline function rowDot(k: i32, ri: usize, rj: usize, mu: usize): f64 {
  let acc = f64x2.splat(0.0);
  let c = 0;
  for (; c + 2 <= k; c += 2) {
    acc = f64x2.add(
      acc,
      f64x2.mul(f64x2.mul(v128.load(af64(ri, c)), v128.load(af64(mu, c))), v128.load(af64(rj, c))),
    );
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; c < k; c++) s += ldf(ri, c) * ldf(mu, c) * ldf(rj, c);
  return s;
}

/** out[p] = Σ_{c<k} V[i_p, c] μ_c V[j_p, c] for each requested pair p. */
export function lrgRhoPairs(
  k: i32, vPtr: usize, ldv: i32, muPtr: usize,
  nPairs: i32, iPtr: usize, jPtr: usize, outPtr: usize,
): void {
  for (let p = 0; p < nPairs; p++) {
    const ri = af64(vPtr, ldi(iPtr, p) * ldv);
    const rj = af64(vPtr, ldi(jPtr, p) * ldv);
    stf(outPtr, p, rowDot(k, ri, rj, muPtr));
  }
}

/** The full symmetric n × n matrix V[:, :k] diag(μ) V[:, :k]ᵀ. */
export function lrgRhoFull(n: i32, k: i32, vPtr: usize, ldv: i32, muPtr: usize, outPtr: usize): void {
  for (let i = 0; i < n; i++) {
    const ri = af64(vPtr, i * ldv);
    for (let j = i; j < n; j++) {
      const s = rowDot(k, ri, af64(vPtr, j * ldv), muPtr);
      stf(outPtr, i * n + j, s);
      stf(outPtr, j * n + i, s);
    }
  }
}
