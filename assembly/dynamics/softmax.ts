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
import { axpyRow } from "../core/simd";

/** Scratch bytes for the softmax kernels with `c` classes. */
export function dynSoftmaxWorkSize(c: i32): i32 {
  return c * 8 + 16;
}

/** z = bias + Σ_k val_k W[col_k] for sample i (logits, c values at z). */
@inline function logits(i: i32, d: i32, c: i32, rowPtr: usize, colIdx: usize, valPtr: usize, wPtr: usize, z: usize): void {
  const bias = af64(wPtr, d * c);
  for (let j = 0; j < c; j++) stf(z, j, ldf(bias, j));
  const k1 = ldi(rowPtr, i + 1);
  for (let k = ldi(rowPtr, i); k < k1; k++) axpyRow(ldf(valPtr, k), af64(wPtr, ldi(colIdx, k) * c), z, c);
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
    const y = ldi(yPtr, i);
    const zy = ldf(z, y);
    // z ← e^{z − max} (one exp per class), then softmax = that / its sum
    let sum = 0.0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(ldf(z, j) - mx);
      stf(z, j, e);
      sum += e;
    }
    loss += mx + Math.log(sum) - zy;
    // z ← softmax − onehot(y): the gradient of this sample's loss w.r.t. its logits
    const invSum = 1.0 / sum;
    for (let j = 0; j < c; j++) stf(z, j, ldf(z, j) * invSum);
    stf(z, y, ldf(z, y) - 1.0);
    const k1 = ldi(rowPtr, i + 1);
    for (let k = ldi(rowPtr, i); k < k1; k++) axpyRow(ldf(valPtr, k), z, af64(gradPtr, ldi(colIdx, k) * c), c);
    axpyRow(1.0, z, af64(gradPtr, d * c), c);
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

// ---- L-BFGS fit in the kernel (issue 20)
//
// dynSoftmaxFit runs the SDK's reference optimiser (sdk/dynamics/decode.ts
// `lbfgs`: memory 10, two-loop recursion, Armijo backtracking from step 1, or
// min(1, 1/√(−gᵀd)) on the first iteration) on dynSoftmaxLossGrad, with every
// floating-point operation in the same order, so the weights are bit-identical
// to the reference. Inner products are plain sequential sums (as in the
// reference); element-wise updates run f64x2 (no reassociation, same bits).
//
// Memory layout of work (dynSoftmaxFitWorkSize(nw, c) bytes, nw = (d+1)·c):
//   S   f64 [11 × nw]   ring of steps s_j = w_{k+1} − w_k (oldest first from `head`;
//                       11 slots for a memory of 10, so a candidate pair never overwrites a kept one)
//   Y   f64 [11 × nw]   ring of gradient changes y_j
//   R   f64 [11]        1 / (s_jᵀ y_j)
//   A   f64 [11]        two-loop coefficients α_j
//   g, dir, wn, gn      f64 [nw] each
//   z   dynSoftmaxWorkSize(c) bytes (logits of one sample)

const LBFGS_MEM: i32 = 10;
const RING: i32 = LBFGS_MEM + 1;

/** Scratch bytes for {@link dynSoftmaxFit} with nw weights and c classes. */
export function dynSoftmaxFitWorkSize(nw: i32, c: i32): i32 {
  return (2 * RING * nw + 2 * RING + 4 * nw) * 8 + dynSoftmaxWorkSize(c);
}

/** Σ_i a_i b_i, sequential (the reference's order). */
@inline function dotSeq(n: i32, a: usize, b: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += ldf(a, i) * ldf(b, i);
  return s;
}

@inline function copyN(n: i32, src: usize, dst: usize): void {
  memory.copy(dst, src, (<usize>n) << 3);
}

/**
 * Minimise dynSoftmaxLossGrad over W by L-BFGS from the weights at wPtr (in
 * place: on return wPtr holds the fit). Stops after maxIter iterations, when
 * max |∇| < gtol, when no decrease is possible, or when the relative decrease
 * is ≤ 1e−12. Returns the number of iterations run.
 */
export function dynSoftmaxFit(
  n: i32, d: i32, c: i32,
  rowPtr: usize, colIdx: usize, valPtr: usize, yPtr: usize,
  lambda: f64, maxIter: i32, gtol: f64,
  wPtr: usize, workPtr: usize,
): i32 {
  const nw = (d + 1) * c;
  const S = workPtr;
  const Y = af64(S, RING * nw);
  const R = af64(Y, RING * nw);
  const A = af64(R, RING);
  const g = af64(A, RING);
  const dir = af64(g, nw);
  const wn = af64(dir, nw);
  const gn = af64(wn, nw);
  const z = af64(gn, nw);
  let head = 0; // ring slot of the oldest pair
  let len = 0;
  let fx = dynSoftmaxLossGrad(n, d, c, rowPtr, colIdx, valPtr, yPtr, wPtr, lambda, g, z);
  let it = 0;
  for (; it < maxIter; it++) {
    let gmax = 0.0;
    for (let i = 0; i < nw; i++) gmax = Math.max(gmax, Math.abs(ldf(g, i)));
    if (gmax < gtol) break;
    // two-loop recursion: dir = −H g
    for (let i = 0; i < nw; i++) stf(dir, i, -ldf(g, i));
    for (let j = len - 1; j >= 0; j--) {
      const slot = (head + j) % RING;
      const sj = af64(S, slot * nw);
      const yj = af64(Y, slot * nw);
      const aj = ldf(R, slot) * dotSeq(nw, sj, dir);
      stf(A, slot, aj);
      axpyRow(-aj, yj, dir, nw); // y − a·x: the same bits as y + (−a)·x
    }
    if (len > 0) {
      const last = (head + len - 1) % RING;
      const sl = af64(S, last * nw);
      const yl = af64(Y, last * nw);
      const gamma = dotSeq(nw, sl, yl) / dotSeq(nw, yl, yl);
      const gv = f64x2.splat(gamma);
      let i = 0;
      for (; i + 2 <= nw; i += 2) {
        const p = af64(dir, i);
        v128.store(p, f64x2.mul(v128.load(p), gv));
      }
      for (; i < nw; i++) stf(dir, i, ldf(dir, i) * gamma);
    }
    for (let j = 0; j < len; j++) {
      const slot = (head + j) % RING;
      const sj = af64(S, slot * nw);
      const yj = af64(Y, slot * nw);
      const beta = ldf(R, slot) * dotSeq(nw, yj, dir);
      axpyRow(ldf(A, slot) - beta, sj, dir, nw);
    }
    let gd = dotSeq(nw, g, dir);
    if (!(gd < 0.0)) {
      for (let i = 0; i < nw; i++) stf(dir, i, -ldf(g, i));
      gd = dotSeq(nw, g, dir);
      head = 0;
      len = 0;
    }
    let step = len == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-gd)) : 1.0;
    let fn = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      copyN(nw, wPtr, wn);
      axpyRow(step, dir, wn, nw);
      fn = dynSoftmaxLossGrad(n, d, c, rowPtr, colIdx, valPtr, yPtr, wn, lambda, gn, z);
      if (fn <= fx + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    if (!(fn <= fx)) break; // no decrease possible at this precision
    // the candidate pair goes into the free slot after the newest
    const slot = (head + len) % RING;
    const sv = af64(S, slot * nw);
    const yv = af64(Y, slot * nw);
    let sy = 0.0;
    for (let i = 0; i < nw; i++) {
      const si = ldf(wn, i) - ldf(wPtr, i);
      const yi = ldf(gn, i) - ldf(g, i);
      stf(sv, i, si);
      stf(yv, i, yi);
    }
    sy = dotSeq(nw, sv, yv);
    if (sy > 1e-12) {
      stf(R, slot, 1.0 / sy);
      if (len < LBFGS_MEM) len++;
      else head = (head + 1) % RING;
    }
    const done = Math.abs(fx - fn) <= 1e-12 * Math.max(1.0, Math.abs(fx));
    copyN(nw, wn, wPtr);
    copyN(nw, gn, g);
    fx = fn;
    if (done) {
      it++;
      break;
    }
  }
  return it;
}
