// Lagged cross-correlation of a binned activity matrix with its own shifts,
// its circular-shift and jitter surrogates, and the z-score against them.
//
// Memory layout (all row-major, element strides):
//   x     u8  T × n   x[t * n + i] = activity of unit i in bin t (counts clipped to 255, or 0/1)
//   c     f64 n × n   c[i * n + j] += Σ_t x_i(t) · y_j(t), y_j(t) = Σ_{ℓ=lagLo..lagHi} x_j(t + s + ℓ)
//   work  graphXcorrWorkSize(n) bytes: y (n f64) | active sources (n i32) | active targets (n i32)
//
// This is the GEMM C += Xᵀ · W_s(X) with W_s the lag-window-and-shift operator:
// the rows of Xᵀ are sparse (few units are active in a bin), so each active
// unit i adds x_i(t) · y(t) to row i of C with a SIMD f64x2 axpy over n;
// when the lag window itself is sparse (fewer than n/4 active targets), the
// scalar scatter over the active targets only is cheaper and is used instead.
// Shift s = 0 without wrap-around is the observed statistic; s > 0 with wrap is
// one circular-shift surrogate of every target relative to every source.
//
// graphXcorrBlocked computes the same C from the events of X in CSR form
//   rowPtr i32 T+1, col i32 nnz: the active units of bin t are col[rowPtr[t] .. rowPtr[t+1]), ascending
// and walks the sources in blocks of `blockRows` units, so the rows of C being
// updated stay in cache (C itself is 8 n² bytes, far larger than the caches at
// n in the thousands). work: graphXcorrBlockedWorkSize(n, T) bytes:
//   y (n f64) | active targets (n i32) | per-bin cursor (T + 1 i32).

import { af64, ldf, ldi, ldu8, stf, sti } from "../core/ptr";
import { rngBounded } from "../random/xoshiro";
import { axpyRow } from "../core/simd";

/** Scratch bytes for {@link graphXcorr} on n units. */
export function graphXcorrWorkSize(n: i32): i32 {
  return n * 8 + 2 * n * 4 + 16;
}

/**
 * C[i, :] += x_t[i] · y for the source units idx[q0 … q1), where y (n f64) holds
 * the lag-window target counts, nonzero only at its m listed entries tact[0 … m):
 * a sparse update when few targets fired, a dense SIMD row update otherwise.
 * Leaves y all zeros again.
 */
@inline function scatterSources(cPtr: usize, n: i32, row: usize, idx: usize, q0: i32, q1: i32, y: usize, tact: usize, m: i32): void {
  if (m * 4 < n) {
    for (let q = q0; q < q1; q++) {
      const i = ldi(idx, q);
      const a = <f64>ldu8(row, i);
      const ci = af64(cPtr, i * n);
      for (let r = 0; r < m; r++) {
        const j = ldi(tact, r);
        stf(ci, j, ldf(ci, j) + a * ldf(y, j));
      }
    }
  } else {
    for (let q = q0; q < q1; q++) {
      const i = ldi(idx, q);
      axpyRow(<f64>ldu8(row, i), y, af64(cPtr, i * n), n);
    }
  }
  for (let r = 0; r < m; r++) stf(y, ldi(tact, r), 0.0);
}


/**
 * c += Σ_t x(t)ᵀ ⊗ Σ_{ℓ=lagLo..lagHi} x(t + shift + ℓ). With `circular` = 1
 * the target index wraps modulo T; with 0, terms past the last bin are dropped.
 */
export function graphXcorr(
  T: i32, n: i32, xPtr: usize,
  lagLo: i32, lagHi: i32, shift: i32, circular: i32,
  cPtr: usize, workPtr: usize,
): void {
  const y = workPtr;
  const act = workPtr + ((<usize>n) << 3);
  const tact = act + ((<usize>n) << 2);
  for (let j = 0; j < n; j++) stf(y, j, 0.0);
  for (let t = 0; t < T; t++) {
    const row = xPtr + <usize>t * <usize>n;
    // Active sources in bin t.
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (ldu8(row, i) != 0) {
        sti(act, k, i);
        k++;
      }
    }
    if (k == 0) continue;
    // Lag window of targets; y is all zeros on entry, and the active targets are listed once.
    let m = 0;
    for (let l = lagLo; l <= lagHi; l++) {
      let u = t + shift + l;
      if (circular != 0) {
        u = u % T;
        if (u < 0) u += T;
      } else if (u >= T || u < 0) continue;
      const r = xPtr + <usize>u * <usize>n;
      for (let j = 0; j < n; j++) {
        const v = ldu8(r, j);
        if (v != 0) {
          const old = ldf(y, j);
          if (old == 0.0) {
            sti(tact, m, j);
            m++;
          }
          stf(y, j, old + <f64>v);
        }
      }
    }
    if (m == 0) continue;
    scatterSources(cPtr, n, row, act, 0, k, y, tact, m);
  }
}

/** Count the events (nonzero entries) of x (u8 T × n). */
export function graphEventCount(T: i32, n: i32, xPtr: usize): i32 {
  let c = 0;
  const total = <usize>T * <usize>n;
  for (let q: usize = 0; q < total; q++) if (load<u8>(xPtr + q) != 0) c++;
  return c;
}

/** Events of x in CSR form: rowPtr (T + 1 i32), col (nnz i32), units ascending within a bin. */
export function graphEvents(T: i32, n: i32, xPtr: usize, rowPtr: usize, colPtr: usize): void {
  let c = 0;
  for (let t = 0; t < T; t++) {
    sti(rowPtr, t, c);
    const row = xPtr + <usize>t * <usize>n;
    for (let i = 0; i < n; i++) {
      if (ldu8(row, i) != 0) {
        sti(colPtr, c, i);
        c++;
      }
    }
  }
  sti(rowPtr, T, c);
}

/** Scratch bytes for {@link graphXcorrBlocked}. */
export function graphXcorrBlockedWorkSize(n: i32, T: i32): i32 {
  return n * 8 + n * 4 + (T + 1) * 4 + 16;
}

/**
 * Source block size: one block of C rows is about 4 MiB (measured best on a
 * 2-core EPYC at n = 2,000: 128–256 rows, 5× faster than unblocked).
 */
export function graphXcorrBlockRows(n: i32): i32 {
  const b = 524288 / (n > 0 ? n : 1);
  return b < 1 ? 1 : b;
}

/**
 * c += Σ_t xs(t)ᵀ ⊗ Σ_{ℓ=lagLo..lagHi} xt(t + shift + ℓ), sources from (xs, rpS, colS),
 * targets from (xt, rpT, colT) (the same arrays for a plain or shifted product;
 * a jittered copy for jitter surrogates). Same result as {@link graphXcorr}.
 */
export function graphXcorrBlocked(
  T: i32, n: i32,
  xsPtr: usize, rpS: usize, colS: usize,
  xtPtr: usize, rpT: usize, colT: usize,
  lagLo: i32, lagHi: i32, shift: i32, circular: i32, blockRows: i32,
  cPtr: usize, workPtr: usize,
): void {
  const y = workPtr;
  const tact = y + ((<usize>n) << 3);
  const cur = tact + ((<usize>n) << 2);
  for (let j = 0; j < n; j++) stf(y, j, 0.0);
  for (let t = 0; t < T; t++) sti(cur, t, ldi(rpS, t));
  for (let b0 = 0; b0 < n; b0 += blockRows) {
    const b1 = b0 + blockRows < n ? b0 + blockRows : n;
    for (let t = 0; t < T; t++) {
      // Sources of this block active in bin t: col[cur[t] .. e), cursor advances.
      const q0 = ldi(cur, t);
      const qEnd = ldi(rpS, t + 1);
      let q1 = q0;
      while (q1 < qEnd && ldi(colS, q1) < b1) q1++;
      sti(cur, t, q1);
      if (q1 == q0) continue;
      let m = 0;
      for (let l = lagLo; l <= lagHi; l++) {
        let u = t + shift + l;
        if (circular != 0) {
          u = u % T;
          if (u < 0) u += T;
        } else if (u >= T || u < 0) continue;
        const r = xtPtr + <usize>u * <usize>n;
        const e1 = ldi(rpT, u + 1);
        for (let e = ldi(rpT, u); e < e1; e++) {
          const j = ldi(colT, e);
          const old = ldf(y, j);
          if (old == 0.0) {
            sti(tact, m, j);
            m++;
          }
          stf(y, j, old + <f64>ldu8(r, j));
        }
      }
      if (m == 0) continue;
      const row = xsPtr + <usize>t * <usize>n;
      scatterSources(cPtr, n, row, colS, q0, q1, y, tact, m);
    }
  }
}

/**
 * Jitter surrogate: every event of x moves by a uniform offset in [−J, J] bins
 * (reflected at the ends), drawn independently per event from `rng`; counts
 * that land in the same bin add (clipped at 255). `out` (u8 T × n) must start at 0.
 */
export function graphJitter(T: i32, n: i32, xPtr: usize, J: i32, rng: usize, outPtr: usize): void {
  const w = <u32>(2 * J + 1);
  for (let t = 0; t < T; t++) {
    const row = xPtr + <usize>t * <usize>n;
    for (let i = 0; i < n; i++) {
      const v = <i32>ldu8(row, i);
      for (let e = 0; e < v; e++) {
        let u = t + <i32>rngBounded(rng, w) - J;
        if (u < 0) u = -u;
        if (u >= T) u = 2 * (T - 1) - u;
        if (u < 0) u = 0;
        const p = outPtr + <usize>u * <usize>n + <usize>i;
        const o = <i32>load<u8>(p);
        if (o < 255) store<u8>(p, <u8>(o + 1));
      }
    }
  }
}

/**
 * z = (c − μ) / σ per entry, with μ = sum / S and σ² = sumSq / S − μ² + μ / S
 * (the surrogate variance plus a Poisson floor μ/S, so a pair that never
 * co-fires in any surrogate does not divide by zero). S ≥ 1. z may be c (in place).
 */
export function graphZScore(nn: i32, cPtr: usize, sumPtr: usize, sumSqPtr: usize, S: i32, zPtr: usize): void {
  const inv = 1.0 / <f64>S;
  for (let q = 0; q < nn; q++) {
    const mu = ldf(sumPtr, q) * inv;
    let v = ldf(sumSqPtr, q) * inv - mu * mu;
    if (v < 0.0) v = 0.0;
    v += mu * inv;
    const c = ldf(cPtr, q);
    stf(zPtr, q, v > 0.0 ? (c - mu) / Math.sqrt(v) : 0.0);
  }
}

/** sum += c, sumSq += c² over nn entries (one surrogate's moments). */
export function graphAccumulateMoments(nn: i32, cPtr: usize, sumPtr: usize, sumSqPtr: usize): void {
  let q = 0;
  for (; q + 2 <= nn; q += 2) {
    const v = v128.load(af64(cPtr, q));
    const ps = af64(sumPtr, q);
    const pq = af64(sumSqPtr, q);
    v128.store(ps, f64x2.add(v128.load(ps), v));
    v128.store(pq, f64x2.add(v128.load(pq), f64x2.mul(v, v)));
  }
  for (; q < nn; q++) {
    const v = ldf(cPtr, q);
    stf(sumPtr, q, ldf(sumPtr, q) + v);
    stf(sumSqPtr, q, ldf(sumSqPtr, q) + v * v);
  }
}

/**
 * The circular shifts of `nSurr` surrogates, each uniform in [minShift, T − minShift]
 * (or in [1, T − 1] when that span is empty), drawn from the seeded state at `rng`,
 * written to `out` (i32 × nSurr): drawn once, they can be split into chunks
 * (issue 20: surrogates on a worker pool) and give the same shifts.
 */
export function graphDrawShifts(T: i32, nSurr: i32, minShift: i32, rng: usize, outPtr: usize): void {
  const span = T - 2 * minShift + 1;
  for (let s = 0; s < nSurr; s++) {
    const shift = span > 0 ? minShift + <i32>rngBounded(rng, <u32>span) : 1 + <i32>rngBounded(rng, <u32>(T - 1));
    sti(outPtr, s, shift);
  }
}

// ── Windowed products (issue 20) ──────────────────────────────────────────
//
// The lag window of every bin is listed once, in CSR form,
//   wrp i32 T+1, wcol i32, wval i32:  W(u) = Σ_{ℓ=lagLo..lagHi} x(u + ℓ)
// (u + ℓ mod T when circular, else dropped past the last bin), its entries in
// the order the y / active-target accumulation of graphXcorrBlocked lists them.
// A product with shift s then reads W((t + s) mod T) for the sources of bin t
// instead of rebuilding the window for every source block and surrogate; and
// the surrogate moments are accumulated one source block at a time, so no
// n × n product is ever held (scratch: blockRows × n). Every product is a sum
// of integer counts, exact in f64, so the results are the bits of
// graphXcorrBlocked with the same shifts.

/** Capacity (entries) of the lag-window CSR of {@link graphWindowEvents}: (hi − lo + 1) · nnz. */
export function graphWindowCapacity(nnz: i32, lagLo: i32, lagHi: i32): i32 {
  const c = (lagHi - lagLo + 1) * nnz;
  return c > 0 ? c : 1;
}

/** Scratch bytes for {@link graphWindowEvents}: y (n f64). */
export function graphWindowEventsWorkSize(n: i32): i32 {
  return n * 8 + 16;
}

/**
 * The lag window W(u) of every bin u (layout above) from x (u8 T × n) and its
 * events (rowPtr, col: {@link graphEvents}). Returns the number of entries.
 */
export function graphWindowEvents(
  T: i32, n: i32, xPtr: usize, rowPtr: usize, colPtr: usize,
  lagLo: i32, lagHi: i32, circular: i32,
  wrp: usize, wcol: usize, wval: usize, workPtr: usize,
): i32 {
  const y = workPtr;
  for (let j = 0; j < n; j++) stf(y, j, 0.0);
  let c = 0;
  for (let u = 0; u < T; u++) {
    sti(wrp, u, c);
    const c0 = c;
    for (let l = lagLo; l <= lagHi; l++) {
      let v = u + l;
      if (circular != 0) {
        v = v % T;
        if (v < 0) v += T;
      } else if (v >= T || v < 0) continue;
      const r = xPtr + <usize>v * <usize>n;
      const e1 = ldi(rowPtr, v + 1);
      for (let e = ldi(rowPtr, v); e < e1; e++) {
        const j = ldi(colPtr, e);
        const old = ldf(y, j);
        if (old == 0.0) {
          sti(wcol, c, j);
          c++;
        }
        stf(y, j, old + <f64>ldu8(r, j));
      }
    }
    for (let e = c0; e < c; e++) {
      const j = ldi(wcol, e);
      sti(wval, e, <i32>ldf(y, j)); // a count ≤ 255 · (lagHi − lagLo + 1): exact in i32
      stf(y, j, 0.0);
    }
  }
  sti(wrp, T, c);
  return c;
}

/**
 * Rows b0 … b1−1 of the product with shift s, added into cb (row i at
 * cb + (i − b0)·n): cb[i, j] += x_i(t) · W((t + s) mod T)_j, the events of the
 * block's sources in bin t being colS[bs[t] … be[t]). A window with at least
 * n/4 entries is expanded into y (n f64, all zeros, left so) and added with
 * one SIMD axpy per source, as graphXcorrBlocked does.
 */
@inline function windowBlock(
  T: i32, n: i32, xsPtr: usize, colS: usize, bs: usize, be: usize, b0: i32,
  wrp: usize, wcol: usize, wval: usize, shift: i32, cb: usize, y: usize,
): void {
  for (let t = 0; t < T; t++) {
    const q0 = ldi(bs, t);
    const q1 = ldi(be, t);
    if (q1 == q0) continue;
    let u = t + shift;
    if (u >= T) u -= T;
    const e0 = ldi(wrp, u);
    const e1 = ldi(wrp, u + 1);
    const m = e1 - e0;
    if (m == 0) continue;
    const row = xsPtr + <usize>t * <usize>n;
    if (m * 4 < n) {
      for (let q = q0; q < q1; q++) {
        const i = ldi(colS, q);
        const a = <f64>ldu8(row, i);
        const ci = af64(cb, (i - b0) * n);
        for (let e = e0; e < e1; e++) {
          const j = ldi(wcol, e);
          stf(ci, j, ldf(ci, j) + a * <f64>ldi(wval, e));
        }
      }
    } else {
      for (let e = e0; e < e1; e++) stf(y, ldi(wcol, e), <f64>ldi(wval, e));
      for (let q = q0; q < q1; q++) {
        const i = ldi(colS, q);
        axpyRow(<f64>ldu8(row, i), y, af64(cb, (i - b0) * n), n);
      }
      for (let e = e0; e < e1; e++) stf(y, ldi(wcol, e), 0.0);
    }
  }
}

/** For each bin t, the events of the sources b0 … b1−1: colS[bs[t] … be[t]); cur[t] advances past them. */
@inline function blockRanges(T: i32, colS: usize, rpS: usize, cur: usize, b1: i32, bs: usize, be: usize): void {
  for (let t = 0; t < T; t++) {
    const q0 = ldi(cur, t);
    const qEnd = ldi(rpS, t + 1);
    let q1 = q0;
    while (q1 < qEnd && ldi(colS, q1) < b1) q1++;
    sti(bs, t, q0);
    sti(be, t, q1);
    sti(cur, t, q1);
  }
}

/** Scratch bytes for {@link graphXcorrWindowed}: blockRows × n f64 | y (n f64) | 3 (T + 1) i32. */
export function graphXcorrWindowedWorkSize(n: i32, T: i32, blockRows: i32): i32 {
  return blockRows * n * 8 + n * 8 + 3 * (T + 1) * 4 + 32;
}

/**
 * With c ≠ 0: c += the product with shift `shifts[0]` (one shift, nShifts = 1;
 * shift 0 on a non-circular window is the observed statistic). With c = 0:
 * sum += C_s and sumSq += C_s² for each listed shift s (circular window), the
 * sources in blocks of `blockRows`. (xs, rpS, colS): sources and their events;
 * (wrp, wcol, wval): the window ({@link graphWindowEvents}). Shifts in [0, T).
 * Same bits as graphXcorrBlocked with the same shifts.
 */
export function graphXcorrWindowed(
  T: i32, n: i32, xsPtr: usize, rpS: usize, colS: usize,
  wrp: usize, wcol: usize, wval: usize,
  nShifts: i32, shiftsPtr: usize, blockRows: i32,
  cPtr: usize, sumPtr: usize, sumSqPtr: usize, workPtr: usize,
): void {
  const br = blockRows < 1 ? 1 : blockRows;
  const cb = workPtr;
  const y = cb + ((<usize>br * <usize>n) << 3);
  const cur = y + ((<usize>n) << 3);
  const bs = cur + ((<usize>(T + 1)) << 2);
  const be = bs + ((<usize>(T + 1)) << 2);
  for (let j = 0; j < n; j++) stf(y, j, 0.0);
  for (let t = 0; t < T; t++) sti(cur, t, ldi(rpS, t));
  for (let b0 = 0; b0 < n; b0 += br) {
    const b1 = b0 + br < n ? b0 + br : n;
    const len = (b1 - b0) * n;
    blockRanges(T, colS, rpS, cur, b1, bs, be);
    if (cPtr != 0) {
      windowBlock(T, n, xsPtr, colS, bs, be, b0, wrp, wcol, wval, ldi(shiftsPtr, 0), af64(cPtr, b0 * n), y);
      continue;
    }
    for (let s = 0; s < nShifts; s++) {
      for (let q = 0; q < len; q++) stf(cb, q, 0.0);
      windowBlock(T, n, xsPtr, colS, bs, be, b0, wrp, wcol, wval, ldi(shiftsPtr, s), cb, y);
      graphAccumulateMoments(len, cb, af64(sumPtr, b0 * n), af64(sumSqPtr, b0 * n));
    }
  }
}
