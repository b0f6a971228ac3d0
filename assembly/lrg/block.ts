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

import { af64, ldf, ldi, stf } from "../core/ptr";

/** y[n×b] ← A x[n×b] for the CSR matrix A (x and y must not overlap). */
export function lrgBlockCsrMv(n: i32, rowPtr: usize, colIdx: usize, values: usize, b: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const yi = af64(y, i * b);
    for (let c = 0; c < b; c++) stf(yi, c, 0.0);
    const p1 = ldi(rowPtr, i + 1);
    for (let p = ldi(rowPtr, i); p < p1; p++) {
      const v = ldf(values, p);
      const vv = f64x2.splat(v);
      const xr = af64(x, ldi(colIdx, p) * b);
      let c = 0;
      for (; c + 2 <= b; c += 2) {
        const ya = af64(yi, c);
        v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(vv, v128.load(af64(xr, c)))));
      }
      for (; c < b; c++) stf(yi, c, ldf(yi, c) + v * ldf(xr, c));
    }
  }
}

/** g[b×c] ← xᵀ y for x[n×b], y[n×c]. */
export function lrgBlockGram(n: i32, b: i32, c: i32, x: usize, y: usize, g: usize): void {
  for (let a = 0; a < b * c; a++) stf(g, a, 0.0);
  // two rows per pass over g: half the loads and stores of g per multiply-add
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x0 = af64(x, i * b), x1 = af64(x0, b);
    const y0 = af64(y, i * c), y1 = af64(y0, c);
    for (let a = 0; a < b; a++) {
      const xa = ldf(x0, a), xb = ldf(x1, a);
      const va = f64x2.splat(xa), vb = f64x2.splat(xb);
      const ga = af64(g, a * c);
      let d = 0;
      for (; d + 2 <= c; d += 2) {
        const p = af64(ga, d);
        v128.store(p, f64x2.add(v128.load(p), f64x2.add(f64x2.mul(va, v128.load(af64(y0, d))), f64x2.mul(vb, v128.load(af64(y1, d))))));
      }
      for (; d < c; d++) stf(ga, d, ldf(ga, d) + (xa * ldf(y0, d) + xb * ldf(y1, d)));
    }
  }
  for (; i < n; i++) {
    const xi = af64(x, i * b);
    const yi = af64(y, i * c);
    for (let a = 0; a < b; a++) {
      const xa = ldf(xi, a);
      const xv = f64x2.splat(xa);
      const ga = af64(g, a * c);
      let d = 0;
      for (; d + 2 <= c; d += 2) {
        const p = af64(ga, d);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(xv, v128.load(af64(yi, d)))));
      }
      for (; d < c; d++) stf(ga, d, ldf(ga, d) + xa * ldf(yi, d));
    }
  }
}

/** y[n×c] ← x[n×b] m[b×c] (x and y must not overlap). */
export function lrgBlockTimes(n: i32, b: i32, c: i32, x: usize, m: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const xi = af64(x, i * b);
    const yi = af64(y, i * c);
    for (let d = 0; d < c; d++) stf(yi, d, 0.0);
    // two rows of m per pass over y_i
    let a = 0;
    for (; a + 2 <= b; a += 2) {
      const xa = ldf(xi, a), xb = ldf(xi, a + 1);
      const va = f64x2.splat(xa), vb = f64x2.splat(xb);
      const ma = af64(m, a * c), mb = af64(ma, c);
      let d = 0;
      for (; d + 2 <= c; d += 2) {
        const p = af64(yi, d);
        v128.store(p, f64x2.add(v128.load(p), f64x2.add(f64x2.mul(va, v128.load(af64(ma, d))), f64x2.mul(vb, v128.load(af64(mb, d))))));
      }
      for (; d < c; d++) stf(yi, d, ldf(yi, d) + (xa * ldf(ma, d) + xb * ldf(mb, d)));
    }
    for (; a < b; a++) {
      const xa = ldf(xi, a);
      const xv = f64x2.splat(xa);
      const ma = af64(m, a * c);
      let d = 0;
      for (; d + 2 <= c; d += 2) {
        const p = af64(yi, d);
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(xv, v128.load(af64(ma, d)))));
      }
      for (; d < c; d++) stf(yi, d, ldf(yi, d) + xa * ldf(ma, d));
    }
  }
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

/**
 * One Lanczos step for b independent columns at once (no reorthogonalisation
 * against earlier steps; the new vector is orthogonalised twice against q):
 *   w = A q_c − betaPrev_c qPrev_c,  alpha_c = q_cᵀ w,  w −= alpha_c q_c,
 *   beta_c = ‖w‖,  qPrev_c ← w / beta_c  (a zero column stays zero).
 * qPrev is overwritten with the next vectors; the caller swaps the two blocks.
 * work[b] is scratch. Columns with beta_c = 0 have reached an invariant subspace.
 */
export function lrgBlockLanczosStep(
  n: i32, rowPtr: usize, colIdx: usize, values: usize, b: i32,
  qPrev: usize, q: usize, betaPrev: usize, alpha: usize, beta: usize, work: usize,
): void {
  // w (in qPrev) = A q − betaPrev ∘ qPrev, row by row (row i of qPrev is read before it is written)
  for (let i = 0; i < n; i++) {
    const wi = af64(qPrev, i * b);
    for (let c = 0; c < b; c++) stf(wi, c, -ldf(betaPrev, c) * ldf(wi, c));
    const p1 = ldi(rowPtr, i + 1);
    for (let p = ldi(rowPtr, i); p < p1; p++) {
      const v = ldf(values, p);
      const vv = f64x2.splat(v);
      const xr = af64(q, ldi(colIdx, p) * b);
      let c = 0;
      for (; c + 2 <= b; c += 2) {
        const ya = af64(wi, c);
        v128.store(ya, f64x2.add(v128.load(ya), f64x2.mul(vv, v128.load(af64(xr, c)))));
      }
      for (; c < b; c++) stf(wi, c, ldf(wi, c) + v * ldf(xr, c));
    }
  }
  for (let c = 0; c < b; c++) stf(alpha, c, 0.0);
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < b; c++) stf(work, c, 0.0);
    for (let i = 0; i < n; i++) {
      const wi = af64(qPrev, i * b), qi = af64(q, i * b);
      for (let c = 0; c < b; c++) stf(work, c, ldf(work, c) + ldf(qi, c) * ldf(wi, c));
    }
    for (let i = 0; i < n; i++) {
      const wi = af64(qPrev, i * b), qi = af64(q, i * b);
      for (let c = 0; c < b; c++) stf(wi, c, ldf(wi, c) - ldf(work, c) * ldf(qi, c));
    }
    for (let c = 0; c < b; c++) stf(alpha, c, ldf(alpha, c) + ldf(work, c));
  }
  for (let c = 0; c < b; c++) stf(work, c, 0.0);
  for (let i = 0; i < n; i++) {
    const wi = af64(qPrev, i * b);
    for (let c = 0; c < b; c++) stf(work, c, ldf(work, c) + ldf(wi, c) * ldf(wi, c));
  }
  for (let c = 0; c < b; c++) {
    const s = Math.sqrt(ldf(work, c));
    stf(beta, c, s);
    stf(work, c, s > 0.0 ? 1.0 / s : 0.0);
  }
  for (let i = 0; i < n; i++) {
    const wi = af64(qPrev, i * b);
    for (let c = 0; c < b; c++) stf(wi, c, ldf(wi, c) * ldf(work, c));
  }
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
