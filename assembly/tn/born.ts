// Contractions of a Born machine MPS trained by maximum likelihood
// (Han, Wang, Fan, Wang & Zhang, PRX 8, 031012 (2018)): per-sample
// environments, the amplitudes and the log-likelihood gradient on a merged
// two-site tensor, and rescaled log-amplitudes of any state.
//
// Memory layout (f64 unless noted, row-major):
//   x      u8[T]          one site of T samples (the SDK stores the states site-major,
//                         xs[k·T + t], and passes the column of site k)
//   core   f64[rl·2·rr]   A[α, b, β] at (α·2 + b)·rr + β
//   M      f64[rl·2·2·rr] merged tensor M[α, a, b, β] at ((α·2 + a)·2 + b)·rr + β
//   L, R   f64[T·S]       one environment vector per sample, sample t at t·S (S ≥ bond, the
//                         stride); L_t = contraction of the sites left of the bond (a row),
//                         R_t = of the sites right of it (a column); each is rescaled to a
//                         squared norm in [1, 4) by exact powers of two, the log of the factor
//                         removed in ls f64[T] (natural log; no logarithm is evaluated per site)
//   psi    f64[T]         ψ̂_t = L_t · M[·, x_a, x_b, ·] · R_t (of the normalised environments)
// The gradient term Φ_t / ψ_t with Φ_t = L_t ⊗ e_{x_a} ⊗ e_{x_b} ⊗ R_t is invariant
// to the scale of L_t and R_t, so the normalisation never changes it.
//
// No kernel allocates; scratch sizes are the *WorkSize exports.

import { af64, ldf, stf, ldi, ldu8, bytesOfF64 } from "../core/ptr";
import { axpyRow, combineRows, dotRow2, normalisePow2 } from "../core/simd";

const LN2: f64 = 0.6931471805599453;

// A running log-sum of many positive factors with one logarithm at the end:
// the product's mantissa (in [1, 2)) and binary exponent are kept apart.
let accM: f64 = 1.0;
let accE: i64 = 0;
let accL: f64 = 0.0;

@inline function accReset(): void {
  accM = 1.0;
  accE = 0;
  accL = 0.0;
}

/** Multiply the running product by v > 0 (tiny, zero or huge factors fall back to a logarithm). */
@inline function accMul(v: f64): void {
  const m = accM * v;
  if (!(m >= 1e-290) || !(m <= 1e290)) {
    accL += Math.log(v);
    return;
  }
  const bits = reinterpret<u64>(m);
  accE += <i64>(<i32>((bits >> 52) & 0x7ff) - 1023);
  accM = reinterpret<f64>((bits & 0x800fffffffffffff) | (<u64>1023 << 52));
}

/** ln of the running product. */
@inline function accLog(): f64 {
  return Math.log(accM) + <f64>accE * LN2 + accL;
}

/**
 * Left environments one site further: out_t = normalise(in_t · A[·, x_t, ·]),
 * lsOut_t = lsIn_t + ln ‖in_t · A[·, x_t, ·]‖. in/out f64[T·S] (stride S).
 */
export function bornEnvLeft(
  T: i32, rl: i32, rr: i32, S: i32, core: usize, x: usize,
  envIn: usize, lsIn: usize, envOut: usize, lsOut: usize,
): void {
  for (let t = 0; t < T; t++) {
    const b = <i32>ldu8(x, t);
    const y = af64(envOut, t * S);
    combineRows(rl, rr, af64(envIn, t * S), af64(core, b * rr), 2 * rr, y);
    stf(lsOut, t, ldf(lsIn, t) + normalisePow2(y, rr));
  }
}

/**
 * Right environments one site further left: out_t[α] = Σ_β A[α, x_t, β] in_t[β],
 * normalised, with lsOut_t = lsIn_t + ln ‖·‖. in/out f64[T·S].
 */
export function bornEnvRight(
  T: i32, rl: i32, rr: i32, S: i32, core: usize, x: usize,
  envIn: usize, lsIn: usize, envOut: usize, lsOut: usize,
): void {
  for (let t = 0; t < T; t++) {
    const b = <i32>ldu8(x, t);
    const v = af64(envIn, t * S);
    const y = af64(envOut, t * S);
    for (let a = 0; a < rl; a++) stf(y, a, dotRow2(af64(core, (a * 2 + b) * rr), v, rr));
    stf(lsOut, t, ldf(lsIn, t) + normalisePow2(y, rl));
  }
}

/** Scratch (bytes) of bornMergedAmp: one vector of the right bond. */
export function bornMergedWorkSize(rr: i32): i32 {
  return bytesOfF64(rr + 2);
}

/**
 * Amplitudes of the merged tensor: psi_t = Σ_{α,β} L_t[α] M[α, xa_t, xb_t, β] R_t[β].
 * Returns Σ_t ln psi_t² (natural log; −∞ when some psi_t = 0). work: bornMergedWorkSize(rr) bytes.
 */
export function bornMergedAmp(
  T: i32, rl: i32, rr: i32, S: i32, M: usize, xa: usize, xb: usize,
  L: usize, R: usize, psi: usize, work: usize,
): f64 {
  accReset();
  for (let t = 0; t < T; t++) {
    const a = <i32>ldu8(xa, t);
    const b = <i32>ldu8(xb, t);
    combineRows(rl, rr, af64(L, t * S), af64(M, (a * 2 + b) * rr), 4 * rr, work);
    const p = dotRow2(work, af64(R, t * S), rr);
    stf(psi, t, p);
    accMul(p * p);
  }
  return accLog();
}

/**
 * Data term of the log-likelihood gradient on the merged tensor:
 * G[α, a, b, β] = (1/T) Σ_t [xa_t = a, xb_t = b] L_t[α] R_t[β] / psi_t (terms with psi_t = 0 skipped).
 * G f64[rl·4·rr] is overwritten.
 */
export function bornMergedGrad(
  T: i32, rl: i32, rr: i32, S: i32, xa: usize, xb: usize,
  L: usize, R: usize, psi: usize, G: usize,
): void {
  const sz = rl * 4 * rr;
  for (let i = 0; i < sz; i++) stf(G, i, 0.0);
  const invT = 1.0 / <f64>T;
  for (let t = 0; t < T; t++) {
    const p = ldf(psi, t);
    if (p == 0.0) continue;
    const a = <i32>ldu8(xa, t);
    const b = <i32>ldu8(xb, t);
    const l = af64(L, t * S);
    const r = af64(R, t * S);
    const w = invT / p;
    for (let al = 0; al < rl; al++) {
      const c = ldf(l, al) * w;
      if (c == 0.0) continue;
      const row = af64(G, ((al * 2 + a) * 2 + b) * rr);
      axpyRow(c, r, row, rr);
    }
  }
}

/**
 * Σ_t ln (psi_t + eta (g_t − psi_t))²: the log-likelihood along the line
 * M + eta (G − M) (psi and g are the amplitudes of M and of G). −∞ when a term vanishes.
 */
export function bornLineLogSum(T: i32, psi: usize, g: usize, eta: f64): f64 {
  accReset();
  const c = 1.0 - eta;
  for (let t = 0; t < T; t++) {
    const v = c * ldf(psi, t) + eta * ldf(g, t);
    accMul(v * v);
  }
  return accLog();
}

/** Σ_t (ln psi_t² + 2 lsL_t + 2 lsR_t): the unnormalised log-likelihood of the samples (nats). */
export function bornLogSum(T: i32, psi: usize, lsL: usize, lsR: usize): f64 {
  accReset();
  let acc = 0.0;
  for (let t = 0; t < T; t++) {
    const p = ldf(psi, t);
    accMul(p * p);
    acc += 2.0 * (ldf(lsL, t) + ldf(lsR, t));
  }
  return accLog() + acc;
}

/** Scratch (bytes) of bornLogAmp: two vectors of the largest bond. */
export function bornLogAmpWorkSize(rmax: i32): i32 {
  return bytesOfF64(2 * rmax + 4);
}

/**
 * ln ψ(x_j)² of m states (rows of x u8[m × n], site order) for a train in the
 * layout of assembly/tn/mps.ts (bond i32[n+1], off i32[n], cores), with the
 * left vector renormalised after every site so that no amplitude underflows.
 * out f64[m] (−∞ for an exact zero). work: bornLogAmpWorkSize(rmax) bytes.
 */
export function bornLogAmp(
  n: i32, bond: usize, cores: usize, off: usize,
  m: i32, x: usize, out: usize, work: usize, rmax: i32,
): void {
  const v0 = work;
  const v1 = af64(work, rmax + 2);
  for (let j = 0; j < m; j++) {
    stf(v0, 0, 1.0);
    let cur = v0;
    let nxt = v1;
    let acc = 0.0;
    for (let k = 0; k < n; k++) {
      const r = ldi(bond, k);
      const r1 = ldi(bond, k + 1);
      const b = <i32>ldu8(x, j * n + k);
      combineRows(r, r1, cur, af64(cores, ldi(off, k) + b * r1), 2 * r1, nxt);
      const h = normalisePow2(nxt, r1);
      if (!(h > -Infinity)) {
        acc = -Infinity;
        break;
      }
      acc += 2.0 * h;
      const tmp = cur;
      cur = nxt;
      nxt = tmp;
    }
    // the last vector is the scalar ψ / Π scales: its square's log completes ln ψ²
    if (acc > -Infinity) {
      const v = ldf(cur, 0);
      acc += Math.log(v * v);
    }
    stf(out, j, acc);
  }
}
