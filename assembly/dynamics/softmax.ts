// Multinomial logistic regression (softmax) kernels for decoding: the L2-
// regularised mean cross-entropy and its gradient, and arg-max prediction.
// The SDK runs the optimiser (L-BFGS) and calls these for the heavy part.
//
// Memory layout
//   features  CSR over n samples × d features: i32 rowPtr [n+1], i32 colIdx [nnz],
//             f64 val [nnz] (binary states pass only their active units, val = 1)
//   labels    i32 y [n], each in [0, C)
//   weights   f64 W [(d+1) × C] row-major: row j < d = feature j's weight for
//             every class, row d = the class biases (not regularised)
//   grad      f64 [(d+1) × C], same layout
//   work      dynSoftmaxWorkSize(C) bytes: the logits of one sample
// Class loops run two lanes at a time (f64x2) with a scalar tail.

import { af64, ldf, ldi, stf, sti } from "../core/ptr";

/** Scratch bytes for the softmax kernels with `c` classes. */
export function dynSoftmaxWorkSize(c: i32): i32 {
  return c * 8 + 16;
}

/** y[0..c) += alpha * x[0..c) */
@inline function axpyC(c: i32, alpha: f64, x: usize, y: usize): void {
  const a = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= c; i += 2) {
    const ya = af64(y, i);
    v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(a, v128.load(af64(x, i)))));
  }
  for (; i < c; i++) stf(y, i, ldf(y, i) + alpha * ldf(x, i));
}

/** z = bias + Σ_k val_k W[col_k] for sample i (logits, c values at z). */
@inline function logits(i: i32, d: i32, c: i32, rowPtr: usize, colIdx: usize, valPtr: usize, wPtr: usize, z: usize): void {
  const bias = af64(wPtr, d * c);
  for (let j = 0; j < c; j++) stf(z, j, ldf(bias, j));
  const k1 = ldi(rowPtr, i + 1);
  for (let k = ldi(rowPtr, i); k < k1; k++) axpyC(c, ldf(valPtr, k), af64(wPtr, ldi(colIdx, k) * c), z);
}

/**
 * L(W) = −(1/n) Σ_i ln softmax(z_i)[y_i] + (λ/2) Σ_{j<d} ‖W_j‖², and ∇L into grad.
 * Returns L.
 */
export function dynSoftmaxLossGrad(
  n: i32, d: i32, c: i32,
  rowPtr: usize, colIdx: usize, valPtr: usize, yPtr: usize,
  wPtr: usize, lambda: f64, gradPtr: usize, workPtr: usize,
): f64 {
  const nw = (d + 1) * c;
  memory.fill(gradPtr, 0, (<usize>nw) << 3);
  const z = workPtr;
  let loss = 0.0;
  for (let i = 0; i < n; i++) {
    logits(i, d, c, rowPtr, colIdx, valPtr, wPtr, z);
    let mx = -Infinity;
    for (let j = 0; j < c; j++) mx = Math.max(mx, ldf(z, j));
    let sum = 0.0;
    for (let j = 0; j < c; j++) sum += Math.exp(ldf(z, j) - mx);
    const lse = mx + Math.log(sum);
    const y = ldi(yPtr, i);
    loss += lse - ldf(z, y);
    // z ← softmax − onehot(y): the gradient of this sample's loss w.r.t. its logits
    for (let j = 0; j < c; j++) stf(z, j, Math.exp(ldf(z, j) - lse));
    stf(z, y, ldf(z, y) - 1.0);
    const k1 = ldi(rowPtr, i + 1);
    for (let k = ldi(rowPtr, i); k < k1; k++) axpyC(c, ldf(valPtr, k), z, af64(gradPtr, ldi(colIdx, k) * c));
    axpyC(c, 1.0, z, af64(gradPtr, d * c));
  }
  const inv = n > 0 ? 1.0 / <f64>n : 0.0;
  let reg = 0.0;
  const dc = d * c;
  for (let j = 0; j < nw; j++) {
    let g = ldf(gradPtr, j) * inv;
    if (j < dc) {
      const w = ldf(wPtr, j);
      g += lambda * w;
      reg += w * w;
    }
    stf(gradPtr, j, g);
  }
  return loss * inv + 0.5 * lambda * reg;
}

/** out[i] = arg max_c z_i[c] (the first on ties), i < n. */
export function dynSoftmaxPredict(
  n: i32, d: i32, c: i32,
  rowPtr: usize, colIdx: usize, valPtr: usize, wPtr: usize, outPtr: usize, workPtr: usize,
): void {
  const z = workPtr;
  for (let i = 0; i < n; i++) {
    logits(i, d, c, rowPtr, colIdx, valPtr, wPtr, z);
    let best = 0;
    let mx = ldf(z, 0);
    for (let j = 1; j < c; j++) {
      const v = ldf(z, j);
      if (v > mx) {
        mx = v;
        best = j;
      }
    }
    sti(outPtr, i, best);
  }
}
