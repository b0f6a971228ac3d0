// Block kernels for the Laplacian RG at scale: a sparse matrix times a block of
// vectors, small Gram products, and a lock-step Lanczos step over a block of
// independent start vectors (the SLQ probes), none of which stores a Krylov
// basis.
//
// Memory layout (caller-owned, f64 unless noted):
//   rowPtr[n+1], colIdx[nnz] (i32), values[nnz]   the matrix in CSR
//   x[n * b], y[n * b]     blocks of b vectors, ROW-major: row i holds the b
//                          values of node i (x[i*b + c] is vector c at node i),
//                          so one CSR row touches contiguous rows of the block
//   g[b * c]               small dense matrices, row-major
//   alpha[b], beta[b]      per-column scalars of the Lanczos step
// SIMD (f64x2) runs along the block width; a scalar tail covers odd widths.

import { af64, ldf, ldi, stf, bytesOfF64 } from "../core/ptr";

/**
 * Row i of y[n×b] ← A x (init = 0) or ← A x − s ∘ y_i (init = 1, s[b] per column), for the CSR
 * matrix A. Columns in groups of 4 (two f64x2 accumulators kept in registers over the row's
 * nonzeros), then 2, then 1; each entry sums its terms in nonzero order after the initial value.
 */
@inline function csrRowBlock(i: i32, rowPtr: usize, colIdx: usize, values: usize, b: i32, x: usize, y: usize, init: i32, s: usize): void {
  const yi = af64(y, i * b);
  const p0 = ldi(rowPtr, i), p1 = ldi(rowPtr, i + 1);
  let c = 0;
  for (; c + 4 <= b; c += 4) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0);
    if (init != 0) {
      a0 = f64x2.neg(f64x2.mul(v128.load(af64(s, c)), v128.load(af64(yi, c))));
      a1 = f64x2.neg(f64x2.mul(v128.load(af64(s, c + 2)), v128.load(af64(yi, c + 2))));
    }
    for (let p = p0; p < p1; p++) {
      const vv = f64x2.splat(ldf(values, p));
      const xr = af64(x, ldi(colIdx, p) * b + c);
      a0 = f64x2.add(a0, f64x2.mul(vv, v128.load(xr)));
      a1 = f64x2.add(a1, f64x2.mul(vv, v128.load(xr, 16)));
    }
    v128.store(af64(yi, c), a0);
    v128.store(af64(yi, c), a1, 16);
  }
  for (; c + 2 <= b; c += 2) {
    let a0 = f64x2.splat(0.0);
    if (init != 0) a0 = f64x2.neg(f64x2.mul(v128.load(af64(s, c)), v128.load(af64(yi, c))));
    for (let p = p0; p < p1; p++)
      a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(ldf(values, p)), v128.load(af64(x, ldi(colIdx, p) * b + c))));
    v128.store(af64(yi, c), a0);
  }
  for (; c < b; c++) {
    let a = 0.0;
    if (init != 0) a = -(ldf(s, c) * ldf(yi, c));
    for (let p = p0; p < p1; p++) a += ldf(values, p) * ldf(x, ldi(colIdx, p) * b + c);
    stf(yi, c, a);
  }
}

/** y[n×b] ← A x[n×b] for the CSR matrix A (x and y must not overlap). */
export function lrgBlockCsrMv(n: i32, rowPtr: usize, colIdx: usize, values: usize, b: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) csrRowBlock(i, rowPtr, colIdx, values, b, x, y, 0, 0);
}

/** Rows of x and y per pass of the Gram tiles (x and y chunks stay in L1/L2). */
const GRAM_ROWS: i32 = 128;

/**
 * g[b×c] ← xᵀ y for x[n×b], y[n×c]. Register-tiled: for each chunk of
 * {@link GRAM_ROWS} rows, 4×4 tiles of g accumulate in eight f64x2 registers
 * over the chunk's rows (4 scalar loads of x and 2 vector loads of y per 16
 * multiply-adds), then are added to g; tails by 2- and 1-wide tiles. The sum
 * over rows runs chunk by chunk in a fixed order (same bits in every engine).
 */
export function lrgBlockGram(n: i32, b: i32, c: i32, x: usize, y: usize, g: usize): void {
  for (let a = 0; a < b * c; a++) stf(g, a, 0.0);
  for (let i0 = 0; i0 < n; i0 += GRAM_ROWS) {
    const i1 = min(n, i0 + GRAM_ROWS);
    let a = 0;
    for (; a + 4 <= b; a += 4) {
      let d = 0;
      for (; d + 4 <= c; d += 4) {
        let s00 = f64x2.splat(0.0), s01 = f64x2.splat(0.0), s10 = f64x2.splat(0.0), s11 = f64x2.splat(0.0);
        let s20 = f64x2.splat(0.0), s21 = f64x2.splat(0.0), s30 = f64x2.splat(0.0), s31 = f64x2.splat(0.0);
        for (let i = i0; i < i1; i++) {
          const xr = af64(x, i * b + a), yr = af64(y, i * c + d);
          const y0 = v128.load(yr), y1 = v128.load(yr, 16);
          const x0 = f64x2.splat(load<f64>(xr)), x1 = f64x2.splat(load<f64>(xr, 8));
          const x2 = f64x2.splat(load<f64>(xr, 16)), x3 = f64x2.splat(load<f64>(xr, 24));
          s00 = f64x2.add(s00, f64x2.mul(x0, y0));
          s01 = f64x2.add(s01, f64x2.mul(x0, y1));
          s10 = f64x2.add(s10, f64x2.mul(x1, y0));
          s11 = f64x2.add(s11, f64x2.mul(x1, y1));
          s20 = f64x2.add(s20, f64x2.mul(x2, y0));
          s21 = f64x2.add(s21, f64x2.mul(x2, y1));
          s30 = f64x2.add(s30, f64x2.mul(x3, y0));
          s31 = f64x2.add(s31, f64x2.mul(x3, y1));
        }
        const g0 = af64(g, a * c + d), g1 = af64(g0, c), g2 = af64(g1, c), g3 = af64(g2, c);
        v128.store(g0, f64x2.add(v128.load(g0), s00));
        v128.store(g0, f64x2.add(v128.load(g0, 16), s01), 16);
        v128.store(g1, f64x2.add(v128.load(g1), s10));
        v128.store(g1, f64x2.add(v128.load(g1, 16), s11), 16);
        v128.store(g2, f64x2.add(v128.load(g2), s20));
        v128.store(g2, f64x2.add(v128.load(g2, 16), s21), 16);
        v128.store(g3, f64x2.add(v128.load(g3), s30));
        v128.store(g3, f64x2.add(v128.load(g3, 16), s31), 16);
      }
      for (; d < c; d++) gramTail(i0, i1, a, 4, d, b, c, x, y, g);
    }
    for (; a < b; a++) {
      let d = 0;
      for (; d + 2 <= c; d += 2) {
        let s0 = f64x2.splat(0.0);
        for (let i = i0; i < i1; i++)
          s0 = f64x2.add(s0, f64x2.mul(f64x2.splat(ldf(x, i * b + a)), v128.load(af64(y, i * c + d))));
        const ga = af64(g, a * c + d);
        v128.store(ga, f64x2.add(v128.load(ga), s0));
      }
      for (; d < c; d++) gramTail(i0, i1, a, 1, d, b, c, x, y, g);
    }
  }
}

/** g[a..a+w, d] += Σ_{i0≤i<i1} x[i, a..a+w]·y[i, d] (the scalar tail of the Gram tiles). */
@inline function gramTail(i0: i32, i1: i32, a: i32, w: i32, d: i32, b: i32, c: i32, x: usize, y: usize, g: usize): void {
  for (let t = 0; t < w; t++) {
    let s = 0.0;
    for (let i = i0; i < i1; i++) s += ldf(x, i * b + a + t) * ldf(y, i * c + d);
    stf(g, (a + t) * c + d, ldf(g, (a + t) * c + d) + s);
  }
}

/**
 * y[n×c] ← x[n×b] m[b×c] (x and y must not overlap). Register-tiled: 4 rows ×
 * 4 columns of y accumulate in eight f64x2 registers over a (4 scalar loads of
 * x and 2 vector loads of m per 16 multiply-adds); tails by narrower tiles.
 * Each y entry is the sum over a in ascending order.
 */
export function lrgBlockTimes(n: i32, b: i32, c: i32, x: usize, m: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = af64(x, i * b), x1 = af64(x0, b), x2 = af64(x1, b), x3 = af64(x2, b);
    const y0 = af64(y, i * c), y1 = af64(y0, c), y2 = af64(y1, c), y3 = af64(y2, c);
    let d = 0;
    for (; d + 4 <= c; d += 4) {
      let s00 = f64x2.splat(0.0), s01 = f64x2.splat(0.0), s10 = f64x2.splat(0.0), s11 = f64x2.splat(0.0);
      let s20 = f64x2.splat(0.0), s21 = f64x2.splat(0.0), s30 = f64x2.splat(0.0), s31 = f64x2.splat(0.0);
      for (let a = 0; a < b; a++) {
        const mr = af64(m, a * c + d);
        const m0 = v128.load(mr), m1 = v128.load(mr, 16);
        const v0 = f64x2.splat(ldf(x0, a)), v1 = f64x2.splat(ldf(x1, a));
        const v2 = f64x2.splat(ldf(x2, a)), v3 = f64x2.splat(ldf(x3, a));
        s00 = f64x2.add(s00, f64x2.mul(v0, m0));
        s01 = f64x2.add(s01, f64x2.mul(v0, m1));
        s10 = f64x2.add(s10, f64x2.mul(v1, m0));
        s11 = f64x2.add(s11, f64x2.mul(v1, m1));
        s20 = f64x2.add(s20, f64x2.mul(v2, m0));
        s21 = f64x2.add(s21, f64x2.mul(v2, m1));
        s30 = f64x2.add(s30, f64x2.mul(v3, m0));
        s31 = f64x2.add(s31, f64x2.mul(v3, m1));
      }
      v128.store(af64(y0, d), s00);
      v128.store(af64(y0, d), s01, 16);
      v128.store(af64(y1, d), s10);
      v128.store(af64(y1, d), s11, 16);
      v128.store(af64(y2, d), s20);
      v128.store(af64(y2, d), s21, 16);
      v128.store(af64(y3, d), s30);
      v128.store(af64(y3, d), s31, 16);
    }
    for (; d < c; d++) {
      for (let r = 0; r < 4; r++) timesEntry(i + r, d, b, c, x, m, y);
    }
  }
  for (; i < n; i++) for (let d = 0; d < c; d++) timesEntry(i, d, b, c, x, m, y);
}

/** y[i, d] ← Σ_a x[i, a]·m[a, d] (the scalar tail of the product tiles). */
@inline function timesEntry(i: i32, d: i32, b: i32, c: i32, x: usize, m: usize, y: usize): void {
  let s = 0.0;
  for (let a = 0; a < b; a++) s += ldf(x, i * b + a) * ldf(m, a * c + d);
  stf(y, i * c + d, s);
}

/** out[len] ← a·x + b·y + c·z elementwise (out may be any of x, y, z). */
export function lrgCombine3(len: i32, a: f64, x: usize, b: f64, y: usize, c: f64, z: usize, out: usize): void {
  const av = f64x2.splat(a), bv = f64x2.splat(b), cv = f64x2.splat(c);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const r = f64x2.add(
      f64x2.add(f64x2.mul(av, v128.load(af64(x, i))), f64x2.mul(bv, v128.load(af64(y, i)))),
      f64x2.mul(cv, v128.load(af64(z, i))),
    );
    v128.store(af64(out, i), r);
  }
  for (; i < len; i++) stf(out, i, a * ldf(x, i) + b * ldf(y, i) + c * ldf(z, i));
}

/** Scratch bytes of {@link lrgBlockLanczosStep} for b columns: 2b f64. */
export function lrgBlockLanczosStepWorkSize(b: i32): i32 {
  return bytesOfF64(2 * b);
}

/**
 * One Lanczos step for b independent columns at once (no reorthogonalisation
 * against earlier steps; the new vector is orthogonalised twice against q):
 *   w = A q_c − betaPrev_c qPrev_c,  alpha_c = q_cᵀ w,  w −= alpha_c q_c,
 *   beta_c = ‖w‖,  qPrev_c ← w / beta_c  (a zero column stays zero).
 * qPrev is overwritten with the next vectors; the caller swaps the two blocks.
 * work: lrgBlockLanczosStepWorkSize(b) bytes. Columns with beta_c = 0 have reached an invariant subspace.
 */
export function lrgBlockLanczosStep(
  n: i32, rowPtr: usize, colIdx: usize, values: usize, b: i32,
  qPrev: usize, q: usize, betaPrev: usize, alpha: usize, beta: usize, work: usize,
): void {
  // Three passes over the block (the step is memory bound): (1) w (in qPrev) = A q − betaPrev ∘ qPrev
  // row by row (row i of qPrev is read before it is written), d1 = qᵀw accumulated from the row just
  // written; (2) w −= d1 q, with d2 = qᵀw and ‖w‖² accumulated on the way; (3) w ← (w − d2 q)/β,
  // β² = ‖w‖² − d2² (‖q‖ = 1). alpha = d1 + d2: the classical Gram–Schmidt step done twice.
  const d1 = work;
  for (let c = 0; c < b; c++) stf(d1, c, 0.0);
  for (let i = 0; i < n; i++) {
    csrRowBlock(i, rowPtr, colIdx, values, b, q, qPrev, 1, betaPrev);
    rowDotAdd(b, af64(q, i * b), af64(qPrev, i * b), d1);
  }
  // alpha holds d2, beta holds ‖w‖² during pass 2
  for (let c = 0; c < b; c++) {
    stf(alpha, c, 0.0);
    stf(beta, c, 0.0);
  }
  for (let i = 0; i < n; i++) {
    const qi = af64(q, i * b), wi = af64(qPrev, i * b);
    colAxpy(b, -1.0, d1, qi, wi);
    rowDotAdd(b, qi, wi, alpha);
    rowDotAdd(b, wi, wi, beta);
  }
  // work[0, b) ← d2·(1/β), work[b, 2b) ← 1/β
  const inv = af64(work, b);
  for (let c = 0; c < b; c++) {
    const d2 = ldf(alpha, c);
    const bb = Math.sqrt(max(0.0, ldf(beta, c) - d2 * d2));
    const r = bb > 0.0 ? 1.0 / bb : 0.0;
    stf(alpha, c, ldf(d1, c) + d2);
    stf(beta, c, bb);
    stf(inv, c, r);
    stf(d1, c, d2 * r);
  }
  for (let i = 0; i < n; i++) {
    const qi = af64(q, i * b), wi = af64(qPrev, i * b);
    let c = 0;
    for (; c + 2 <= b; c += 2)
      v128.store(af64(wi, c), f64x2.sub(f64x2.mul(v128.load(af64(wi, c)), v128.load(af64(inv, c))), f64x2.mul(v128.load(af64(d1, c)), v128.load(af64(qi, c)))));
    for (; c < b; c++) stf(wi, c, ldf(wi, c) * ldf(inv, c) - ldf(d1, c) * ldf(qi, c));
  }
}

/** out[c] += x[c]·y[c] for one row of b columns (f64x2 across columns). */
@inline function rowDotAdd(b: i32, x: usize, y: usize, out: usize): void {
  let c = 0;
  for (; c + 2 <= b; c += 2) {
    const o = af64(out, c);
    v128.store(o, f64x2.add(v128.load(o), f64x2.mul(v128.load(af64(x, c)), v128.load(af64(y, c)))));
  }
  for (; c < b; c++) stf(out, c, ldf(out, c) + ldf(x, c) * ldf(y, c));
}

/** y[c] += s·a[c]·x[c] for one row of b columns. */
@inline function colAxpy(b: i32, s: f64, a: usize, x: usize, y: usize): void {
  const sv = f64x2.splat(s);
  let c = 0;
  for (; c + 2 <= b; c += 2) {
    const p = af64(y, c);
    v128.store(p, f64x2.add(v128.load(p), f64x2.mul(sv, f64x2.mul(v128.load(af64(a, c)), v128.load(af64(x, c))))));
  }
  for (; c < b; c++) stf(y, c, ldf(y, c) + s * ldf(a, c) * ldf(x, c));
}

// Multigrid helpers (sdk/lrg/lobpcg.ts). Layout as above; agg[n] (i32) maps a
// fine node to its aggregate (or its component), dinv[n] is the inverse diagonal.

/** Damped Jacobi on a block: x ← (first ? 0 : x) + ω·dinv ∘ (r − (first ? 0 : t)), with t = A x computed by the caller. */
export function lrgJacobiBlock(n: i32, b: i32, dinv: usize, omega: f64, r: usize, t: usize, x: usize, first: i32): void {
  for (let i = 0; i < n; i++) {
    const w = omega * ldf(dinv, i);
    const wv = f64x2.splat(w);
    const o = i * b;
    const xi = af64(x, o), ri = af64(r, o), ti = af64(t, o);
    let c = 0;
    if (first != 0) {
      for (; c + 2 <= b; c += 2) v128.store(af64(xi, c), f64x2.mul(wv, v128.load(af64(ri, c))));
      for (; c < b; c++) stf(xi, c, w * ldf(ri, c));
    } else {
      for (; c + 2 <= b; c += 2) {
        const p = af64(xi, c);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(wv, f64x2.sub(v128.load(af64(ri, c)), v128.load(af64(ti, c))))));
      }
      for (; c < b; c++) stf(xi, c, ldf(xi, c) + w * (ldf(ri, c) - ldf(ti, c)));
    }
  }
}

/** rc[agg[i]] += r[i] row by row (rc is not cleared: the caller zeroes it). */
export function lrgRestrictBlock(n: i32, b: i32, agg: usize, r: usize, rc: usize): void {
  for (let i = 0; i < n; i++) {
    const ri = af64(r, i * b), ci = af64(rc, ldi(agg, i) * b);
    let c = 0;
    for (; c + 2 <= b; c += 2) {
      const p = af64(ci, c);
      v128.store(p, f64x2.add(v128.load(p), v128.load(af64(ri, c))));
    }
    for (; c < b; c++) stf(ci, c, ldf(ci, c) + ldf(ri, c));
  }
}

/** x[i] += alpha·xc[agg[i]] row by row. */
export function lrgProlongBlock(n: i32, b: i32, agg: usize, alpha: f64, xc: usize, x: usize): void {
  const av = f64x2.splat(alpha);
  for (let i = 0; i < n; i++) {
    const xi = af64(x, i * b), ci = af64(xc, ldi(agg, i) * b);
    let c = 0;
    for (; c + 2 <= b; c += 2) {
      const p = af64(xi, c);
      v128.store(p, f64x2.add(v128.load(p), f64x2.mul(av, v128.load(af64(ci, c)))));
    }
    for (; c < b; c++) stf(xi, c, ldf(xi, c) + alpha * ldf(ci, c));
  }
}
