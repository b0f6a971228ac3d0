// L2-regularised logistic GLM of every unit's next state on the lag window of
// all units' past, fitted by full-batch gradient descent with momentum.
//
// Model: p_j(t) = σ(b_j + Σ_i W_ij f_i(t)),  f_i(t) = Σ_{ℓ=lagLo..lagHi} x_i(t − ℓ),
//        y_j(t) = [x_j(t) > 0],  t = lagHi … T−1.
// Loss:  (1/T') Σ_t Σ_j [log(1 + e^{η_j(t)}) − y_j(t) η_j(t)] + (λ/2) ‖W‖²_F.
//
// Memory layout:
//   x     u8  T × n     activity, x[t * n + i]
//   w     f64 n × n     W[i * n + j] = coupling i → j (in: start, out: fit)
//   b     f64 n         biases (in: start, out: fit)
//   work  graphGlmWorkSize(n) bytes:
//         gW (n×n f64) | vW (n×n f64) | gb (n) | vb (n) | f (n) | eta (n) | active (n i32)
//
// Each bin costs two sparse-row GEMM passes: η(t) = b + Σ_{i: f_i(t)≠0} f_i(t) W[i,:]
// and gW[i,:] += f_i(t) (σ(η(t)) − y(t)), both SIMD f64x2 axpys over n.

import { af64, ldf, ldi, ldu8, stf, sti } from "../core/ptr";
import { STATUS_NO_CONVERGENCE, STATUS_OK } from "../core/status";
import { axpyRow } from "../core/simd";

/** Scratch bytes for {@link graphGlmFit}. */
export function graphGlmWorkSize(n: i32): i32 {
  return 2 * n * n * 8 + 4 * n * 8 + n * 4 + 16;
}

/** Loss and gradient at (W, b); gradient into gW, gb. Returns the loss. */
function lossGrad(
  T: i32, n: i32, xPtr: usize, lagLo: i32, lagHi: i32, lambda: f64,
  w: usize, b: usize, gW: usize, gb: usize, f: usize, eta: usize, act: usize,
): f64 {
  const nn = n * n;
  for (let q = 0; q < nn; q++) stf(gW, q, 0.0);
  for (let j = 0; j < n; j++) stf(gb, j, 0.0);
  let loss = 0.0;
  const t0 = lagHi;
  const Tp = T - t0;
  const inv = 1.0 / <f64>Tp;
  for (let t = t0; t < T; t++) {
    for (let i = 0; i < n; i++) stf(f, i, 0.0);
    for (let l = lagLo; l <= lagHi; l++) {
      const r = xPtr + <usize>(t - l) * <usize>n;
      for (let i = 0; i < n; i++) {
        const v = ldu8(r, i);
        if (v != 0) stf(f, i, ldf(f, i) + <f64>v);
      }
    }
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (ldf(f, i) != 0.0) {
        sti(act, k, i);
        k++;
      }
    }
    for (let j = 0; j < n; j++) stf(eta, j, ldf(b, j));
    for (let q = 0; q < k; q++) {
      const i = ldi(act, q);
      axpyRow(ldf(f, i), af64(w, i * n), eta, n);
    }
    const row = xPtr + <usize>t * <usize>n;
    for (let j = 0; j < n; j++) {
      const e = ldf(eta, j);
      const y: f64 = ldu8(row, j) != 0 ? 1.0 : 0.0;
      // log(1 + e^η) computed stably; residual σ(η) − y.
      let sp: f64, p: f64;
      if (e > 0.0) {
        const z = Math.exp(-e);
        sp = e + Math.log1p(z);
        p = 1.0 / (1.0 + z);
      } else {
        const z = Math.exp(e);
        sp = Math.log1p(z);
        p = z / (1.0 + z);
      }
      loss += sp - y * e;
      const r = (p - y) * inv;
      stf(eta, j, r);
      stf(gb, j, ldf(gb, j) + r);
    }
    for (let q = 0; q < k; q++) {
      const i = ldi(act, q);
      axpyRow(ldf(f, i), eta, af64(gW, i * n), n);
    }
  }
  let reg = 0.0;
  for (let q = 0; q < nn; q++) {
    const v = ldf(w, q);
    reg += v * v;
    stf(gW, q, ldf(gW, q) + lambda * v);
  }
  return loss * inv + 0.5 * lambda * reg;
}

/**
 * Fit W, b by gradient descent with heavy-ball momentum μ = 0.9 and step `lr`,
 * at most `maxIter` iterations, stopping when the relative loss decrease over
 * one iteration is below `tol`. Writes the iterations used to `info[0]` (f64)
 * and the final loss to `info[1]`. Returns STATUS_OK or STATUS_NO_CONVERGENCE.
 * T must exceed lagHi.
 */
export function graphGlmFit(
  T: i32, n: i32, xPtr: usize, lagLo: i32, lagHi: i32,
  lambda: f64, lr: f64, maxIter: i32, tol: f64,
  wPtr: usize, bPtr: usize, infoPtr: usize, workPtr: usize,
): i32 {
  const nn = n * n;
  const gW = workPtr;
  const vW = gW + ((<usize>nn) << 3);
  const gb = vW + ((<usize>nn) << 3);
  const vb = gb + ((<usize>n) << 3);
  const f = vb + ((<usize>n) << 3);
  const eta = f + ((<usize>n) << 3);
  const act = eta + ((<usize>n) << 3);
  for (let q = 0; q < nn; q++) stf(vW, q, 0.0);
  for (let j = 0; j < n; j++) stf(vb, j, 0.0);
  const mu = 0.9;
  let prev = Infinity;
  let it = 0;
  let status = STATUS_NO_CONVERGENCE;
  let loss = 0.0;
  for (; it < maxIter; it++) {
    loss = lossGrad(T, n, xPtr, lagLo, lagHi, lambda, wPtr, bPtr, gW, gb, f, eta, act);
    if (prev - loss >= 0.0 && prev - loss <= tol * Math.abs(loss)) {
      status = STATUS_OK;
      it++;
      break;
    }
    prev = loss;
    const vmu = f64x2.splat(mu);
    const vlr = f64x2.splat(lr);
    let q = 0;
    for (; q + 2 <= nn; q += 2) {
      const pv = af64(vW, q);
      const pw = af64(wPtr, q);
      const v = f64x2.sub(f64x2.mul(vmu, v128.load(pv)), f64x2.mul(vlr, v128.load(af64(gW, q))));
      v128.store(pv, v);
      v128.store(pw, f64x2.add(v128.load(pw), v));
    }
    for (; q < nn; q++) {
      const v = mu * ldf(vW, q) - lr * ldf(gW, q);
      stf(vW, q, v);
      stf(wPtr, q, ldf(wPtr, q) + v);
    }
    for (let j = 0; j < n; j++) {
      const v = mu * ldf(vb, j) - lr * ldf(gb, j);
      stf(vb, j, v);
      stf(bPtr, j, ldf(bPtr, j) + v);
    }
  }
  stf(infoPtr, 0, <f64>it);
  stf(infoPtr, 1, loss);
  return status;
}
