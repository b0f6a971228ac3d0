// Spectral sums of the Laplacian renormalization group (Villegas et al. 2023).
//
// A spectrum is given as m nodes θ_k with weights w_k: for a dense
// eigendecomposition θ = the eigenvalues and w = 1; for stochastic Lanczos
// quadrature θ = Ritz values and w = the quadrature weights scaled to the trace.
//
// Memory layout (all f64, unit stride, caller-owned):
//   theta[m], weight[m]          the spectrum
//   tau[nTau]                    the diffusion times (> 0)
//   lrgSpectralCurves: entropy[nTau], heat[nTau]; work[m] (lrgSpectralWorkSize)
//   lrgTraceMoments:   out[3 * nTau] = (Z, M1, M2) per τ, see below
//
// Stability: every exponent is shifted by θ_min, so e^{-τ(θ-θ_min)} ≤ 1 and the
// largest term is never below w_min; nothing overflows for any τ ≥ 0, and the
// variance is taken in two passes about the mean.

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";

/** Scratch bytes needed by lrgSpectralCurves for m nodes. */
export function lrgSpectralWorkSize(m: i32): i32 {
  return bytesOfF64(m);
}

@inline function minOf(m: i32, p: usize): f64 {
  let lo = Infinity;
  for (let k = 0; k < m; k++) {
    const v = ldf(p, k);
    if (v < lo) lo = v;
  }
  return lo;
}

/**
 * Normalised entropy S(τ) = [ln Z(τ) + τ⟨θ⟩] / ln N and specific heat
 * C(τ) = τ² Var(θ) / ln N of the distribution μ_k ∝ w_k e^{-τθ_k}, for each τ.
 * `invLnN` = 1 / ln N.
 */
export function lrgSpectralCurves(
  m: i32, thetaPtr: usize, weightPtr: usize,
  nTau: i32, tauPtr: usize, invLnN: f64,
  entropyPtr: usize, heatPtr: usize, workPtr: usize,
): void {
  if (m <= 0) return;
  const shift = minOf(m, thetaPtr);
  for (let t = 0; t < nTau; t++) {
    const tau = ldf(tauPtr, t);
    // pass 1: the shifted Boltzmann factors (exp is scalar: there is no SIMD exp)
    for (let k = 0; k < m; k++) {
      stf(workPtr, k, ldf(weightPtr, k) * Math.exp(-tau * (ldf(thetaPtr, k) - shift)));
    }
    // pass 2: Z and the first moment of (θ - shift)
    const sh = f64x2.splat(shift);
    let z2 = f64x2.splat(0.0);
    let m2 = f64x2.splat(0.0);
    let k = 0;
    for (; k + 2 <= m; k += 2) {
      const e = v128.load(af64(workPtr, k));
      z2 = f64x2.add(z2, e);
      m2 = f64x2.add(m2, f64x2.mul(e, f64x2.sub(v128.load(af64(thetaPtr, k)), sh)));
    }
    let z = f64x2.extract_lane(z2, 0) + f64x2.extract_lane(z2, 1);
    let m1 = f64x2.extract_lane(m2, 0) + f64x2.extract_lane(m2, 1);
    for (; k < m; k++) {
      const e = ldf(workPtr, k);
      z += e;
      m1 += e * (ldf(thetaPtr, k) - shift);
    }
    const mean = m1 / z; // ⟨θ⟩ - shift
    // pass 3: the variance about the mean
    const c = f64x2.splat(mean + shift);
    let v2 = f64x2.splat(0.0);
    k = 0;
    for (; k + 2 <= m; k += 2) {
      const d = f64x2.sub(v128.load(af64(thetaPtr, k)), c);
      v2 = f64x2.add(v2, f64x2.mul(v128.load(af64(workPtr, k)), f64x2.mul(d, d)));
    }
    let v = f64x2.extract_lane(v2, 0) + f64x2.extract_lane(v2, 1);
    for (; k < m; k++) {
      const d = ldf(thetaPtr, k) - mean - shift;
      v += ldf(workPtr, k) * d * d;
    }
    v /= z;
    // ln Σ w e^{-τθ} = ln z - τ·shift and ⟨θ⟩ = mean + shift, so the shift cancels
    stf(entropyPtr, t, (Math.log(z) + tau * mean) * invLnN);
    stf(heatPtr, t, tau * (tau * v) * invLnN); // τ·(τ·v): τ² alone overflows for τ > 1e154
  }
}

/**
 * Shifted trace moments for one quadrature (one Lanczos probe), per τ:
 *   out[3t]   = Σ w e^{-τ(θ-s)},  out[3t+1] = Σ w e^{-τ(θ-s)} (θ-s),
 *   out[3t+2] = Σ w e^{-τ(θ-s)} (θ-s)²,   s = `shift`.
 * With one common shift for all probes the moments add linearly across probes
 * (the SDK's jackknife over probes needs that).
 */
export function lrgTraceMoments(
  m: i32, thetaPtr: usize, weightPtr: usize,
  nTau: i32, tauPtr: usize, shift: f64, outPtr: usize,
): void {
  for (let t = 0; t < nTau; t++) {
    const tau = ldf(tauPtr, t);
    let z = 0.0, a = 0.0, b = 0.0;
    for (let k = 0; k < m; k++) {
      const d = ldf(thetaPtr, k) - shift;
      const e = ldf(weightPtr, k) * Math.exp(-tau * d);
      z += e;
      a += e * d;
      b += e * d * d;
    }
    stf(outPtr, 3 * t, z);
    stf(outPtr, 3 * t + 1, a);
    stf(outPtr, 3 * t + 2, b);
  }
}
