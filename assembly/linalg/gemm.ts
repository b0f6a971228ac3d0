// General matrix multiply, C ← α op(A) op(B) + β C, row-major.
//
// Memory layout (all f64, row-major):
//   a     op(A) is m×k: A is m×k (transA = 0) or k×m (transA = 1), row stride lda.
//   b     op(B) is k×n: B is k×n (transB = 0) or n×k (transB = 1), row stride ldb.
//   c     m×n, row stride ldc; read (scaled by β) and written. β = 0 ignores C's old values.
//   work  dgemmWorkCount(m, n, k) f64: packed panels of B (KC × NC) then A (MC × KC).
//
// Goto-style blocking: for each NC-wide column block and KC-deep slice, B is
// packed into 4-column micro-panels (k-major, contiguous); for each MC-row
// block, α·op(A) is packed into 4-row micro-panels; a 4×4 register-blocked
// micro-kernel (eight f64x2 accumulators) runs over the KC slice. Transposes
// are absorbed by the packing, so one micro-kernel serves all four cases.
//
// Source: K. Goto & R. van de Geijn, "Anatomy of high-performance matrix
// multiplication", ACM TOMS 34 (2008).

import { af64, ldf, stf, bytesOfF64 } from "../core/ptr";

const MR: i32 = 4;
const NR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

@inline function roundUp(x: i32, r: i32): i32 {
  return ((x + r - 1) / r) * r;
}

@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** Scratch f64 count for {@link dgemm}. */
export function dgemmWorkCount(m: i32, n: i32, k: i32): i32 {
  const kc = imin(k, KC);
  const nc = imin(roundUp(n, NR), NC);
  const mc = imin(roundUp(m, MR), MC);
  return kc * nc + mc * kc + 16;
}

/** Scratch bytes for {@link dgemm} (the kernel ABI's unit): 8 × dgemmWorkCount. */
export function dgemmWorkSize(m: i32, n: i32, k: i32): i32 {
  return bytesOfF64(dgemmWorkCount(m, n, k));
}

/** Pack op(B)[pc .. pc+kc, jc .. jc+nc] into NR-wide micro-panels (zero-padded). */
function packB(transB: i32, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, bp: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const panel = af64(bp, j0 * kc);
    const nr = imin(NR, nc - j0);
    if (transB == 0) {
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          const src = af64(b, (pc + p) * ldb + jc + j0);
          v128.store(af64(panel, p * NR), v128.load(src));
          v128.store(af64(panel, p * NR + 2), v128.load(af64(src, 2)));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let jj = 0; jj < NR; jj++) {
            stf(panel, p * NR + jj, jj < nr ? ldf(b, (pc + p) * ldb + jc + j0 + jj) : 0.0);
          }
        }
      }
    } else {
      for (let jj = 0; jj < NR; jj++) {
        if (jj < nr) {
          const src = af64(b, (jc + j0 + jj) * ldb + pc);
          for (let p = 0; p < kc; p++) stf(panel, p * NR + jj, ldf(src, p));
        } else {
          for (let p = 0; p < kc; p++) stf(panel, p * NR + jj, 0.0);
        }
      }
    }
  }
}

/** Pack α·op(A)[ic .. ic+mc, pc .. pc+kc] into MR-tall micro-panels (zero-padded). */
function packA(transA: i32, alpha: f64, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, ap: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const panel = af64(ap, i0 * kc);
    const mr = imin(MR, mc - i0);
    if (transA == 0) {
      for (let ii = 0; ii < MR; ii++) {
        if (ii < mr) {
          const src = af64(a, (ic + i0 + ii) * lda + pc);
          for (let p = 0; p < kc; p++) stf(panel, p * MR + ii, alpha * ldf(src, p));
        } else {
          for (let p = 0; p < kc; p++) stf(panel, p * MR + ii, 0.0);
        }
      }
    } else {
      const av = f64x2.splat(alpha);
      if (mr == MR) {
        for (let p = 0; p < kc; p++) {
          const src = af64(a, (pc + p) * lda + ic + i0);
          v128.store(af64(panel, p * MR), f64x2.mul(av, v128.load(src)));
          v128.store(af64(panel, p * MR + 2), f64x2.mul(av, v128.load(af64(src, 2))));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let ii = 0; ii < MR; ii++) {
            stf(panel, p * MR + ii, ii < mr ? alpha * ldf(a, (pc + p) * lda + ic + i0 + ii) : 0.0);
          }
        }
      }
    }
  }
}

/** C[0..mr, 0..nr] += Ap(4×kc) · Bp(kc×4). */
@inline function micro(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0.0);
  let c01 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0);
  let c11 = f64x2.splat(0.0);
  let c20 = f64x2.splat(0.0);
  let c21 = f64x2.splat(0.0);
  let c30 = f64x2.splat(0.0);
  let c31 = f64x2.splat(0.0);
  let pa = ap;
  let pb = bp;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0));
    c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    const a1 = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a1, b0));
    c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    const a2 = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a2, b0));
    c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    const a3 = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a3, b0));
    c31 = f64x2.add(c31, f64x2.mul(a3, b1));
    pa += 32;
    pb += 32;
  }
  if (mr == MR && nr == NR) {
    let r = c;
    v128.store(r, f64x2.add(v128.load(r), c00));
    v128.store(r, f64x2.add(v128.load(r, 16), c01), 16);
    r = af64(c, ldc);
    v128.store(r, f64x2.add(v128.load(r), c10));
    v128.store(r, f64x2.add(v128.load(r, 16), c11), 16);
    r = af64(c, 2 * ldc);
    v128.store(r, f64x2.add(v128.load(r), c20));
    v128.store(r, f64x2.add(v128.load(r, 16), c21), 16);
    r = af64(c, 3 * ldc);
    v128.store(r, f64x2.add(v128.load(r), c30));
    v128.store(r, f64x2.add(v128.load(r, 16), c31), 16);
    return;
  }
  for (let i = 0; i < mr; i++) {
    const lo = i == 0 ? c00 : i == 1 ? c10 : i == 2 ? c20 : c30;
    const hi = i == 0 ? c01 : i == 1 ? c11 : i == 2 ? c21 : c31;
    const r = af64(c, i * ldc);
    if (nr > 0) stf(r, 0, ldf(r, 0) + f64x2.extract_lane(lo, 0));
    if (nr > 1) stf(r, 1, ldf(r, 1) + f64x2.extract_lane(lo, 1));
    if (nr > 2) stf(r, 2, ldf(r, 2) + f64x2.extract_lane(hi, 0));
    if (nr > 3) stf(r, 3, ldf(r, 3) + f64x2.extract_lane(hi, 1));
  }
}

/**
 * C ← α op(A) op(B) + β C (row-major; see the header for the layout).
 */
export function dgemm(
  transA: i32, transB: i32,
  m: i32, n: i32, k: i32,
  alpha: f64,
  a: usize, lda: i32,
  b: usize, ldb: i32,
  beta: f64,
  c: usize, ldc: i32,
  work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  // C ← β C
  if (beta != 1.0) {
    for (let i = 0; i < m; i++) {
      const r = af64(c, i * ldc);
      if (beta == 0.0) {
        memory.fill(r, 0, (<usize>n) << 3);
      } else {
        const bv = f64x2.splat(beta);
        let j = 0;
        for (; j + 2 <= n; j += 2) v128.store(af64(r, j), f64x2.mul(bv, v128.load(af64(r, j))));
        if (j < n) stf(r, j, beta * ldf(r, j));
      }
    }
  }
  if (alpha == 0.0 || k <= 0) return;
  const kcMax = imin(k, KC);
  const ncMax = imin(roundUp(n, NR), NC);
  const bp = work;
  const ap = af64(work, kcMax * ncMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = imin(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = imin(KC, k - pc);
      packB(transB, b, ldb, pc, kc, jc, nc, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = imin(MC, m - ic);
        packA(transA, alpha, a, lda, ic, mc, pc, kc, ap);
        for (let j0 = 0; j0 < nc; j0 += NR) {
          const nr = imin(NR, nc - j0);
          const bpan = af64(bp, j0 * kc);
          for (let i0 = 0; i0 < mc; i0 += MR) {
            const mr = imin(MR, mc - i0);
            micro(kc, af64(ap, i0 * kc), bpan, af64(c, (ic + i0) * ldc + jc + j0), ldc, mr, nr);
          }
        }
      }
    }
  }
}

/**
 * Throughput probe for the benchmarks: `iters` rounds of six independent
 * f64x2 multiply chains and six independent f64x2 add chains (24 flop per
 * round, no FMA; loop-carried, so nothing is hoisted), the most a 128-bit
 * mul+add kernel can issue on this core; GEMM's fraction of the peak is its
 * GFLOP/s over this one's. Returns a sum of the chains (so the work is kept).
 */
export function dflopsProbe(iters: i32, x: f64): f64 {
  const m = f64x2.splat(x); // x ≈ 1: the products stay finite
  const c = f64x2.splat(1e-9);
  let p0 = f64x2.splat(1.0);
  let p1 = f64x2.splat(1.5);
  let p2 = f64x2.splat(2.0);
  let p3 = f64x2.splat(2.5);
  let p4 = f64x2.splat(3.0);
  let p5 = f64x2.splat(3.5);
  let s0 = f64x2.splat(0.0);
  let s1 = f64x2.splat(1.0);
  let s2 = f64x2.splat(2.0);
  let s3 = f64x2.splat(3.0);
  let s4 = f64x2.splat(4.0);
  let s5 = f64x2.splat(5.0);
  for (let i = 0; i < iters; i++) {
    p0 = f64x2.mul(p0, m);
    s0 = f64x2.add(s0, c);
    p1 = f64x2.mul(p1, m);
    s1 = f64x2.add(s1, c);
    p2 = f64x2.mul(p2, m);
    s2 = f64x2.add(s2, c);
    p3 = f64x2.mul(p3, m);
    s3 = f64x2.add(s3, c);
    p4 = f64x2.mul(p4, m);
    s4 = f64x2.add(s4, c);
    p5 = f64x2.mul(p5, m);
    s5 = f64x2.add(s5, c);
  }
  const t = f64x2.add(
    f64x2.add(f64x2.add(p0, p1), f64x2.add(p2, p3)),
    f64x2.add(f64x2.add(p4, p5), f64x2.add(f64x2.add(s0, s1), f64x2.add(f64x2.add(s2, s3), f64x2.add(s4, s5)))),
  );
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}
