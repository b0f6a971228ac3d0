// Mesoscale dynamics kernels: hashing binary words into state ids, sparse
// transition counting (CSR by two counting sorts), entropy production, seeded
// shuffles and Markov-chain simulation. Nothing here allocates: every table
// lives in caller-owned scratch.
//
// Memory layout
//   rows      u8  [T × rowBytes]   row t at xPtr + t*rowBytes (a binary word, one
//                                  byte per unit, or any fixed-width record)
//   ids       i32 [T]              dense state id of each row, in order of first sight
//   first     i32 [K]              row index of each id's first occurrence
//   encode work: dynEncodeWorkSize(T) bytes = cap × 8, cap = pow2 ≥ 2T (min 16);
//              slot = { i32 row+1 (0 = empty), u32 low hash bits }
//   counts    CSR over ids below k: i32 rowPtr [k+1], i32 col [nnz] (ascending
//              within a row), i32 cnt [nnz]; i32 rev [nnz] = entry of the reverse
//              pair or −1; i32 from [nnz] = the row of each entry
//   transition work: dynTransitionsWorkSize(n, k) bytes = (2n + k + 1) × 4
//   σ work:    dynSigmaWorkSize(k) bytes = k × 4 (union-find parents)
//   chain     CSR: i32 rowPtr [K+1], i32 colIdx [nnz], f64 cum [nnz] (cumulative
//              row probabilities, last entry of a row = 1)

import { ldi, sti, ldf } from "../core/ptr";
import { rngBounded, rngUniform01 } from "../random/xoshiro";

@inline function mix64(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

@inline function rotl(x: u64, k: u64): u64 {
  return (x << k) | (x >> (64 - k));
}

/** 64-bit hash of `nb` bytes at `p` (8 bytes per step, then the tail). */
function hashBytes(p: usize, nb: i32): u64 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ (<u64>nb);
  let i = 0;
  for (; i + 8 <= nb; i += 8) {
    h = rotl(h ^ (load<u64>(p + <usize>i) * 0x87c37b91114253d5), 31) * 0x4cf5ad432745937f;
  }
  let tail: u64 = 0;
  let sh: u64 = 0;
  for (; i < nb; i++) {
    tail |= (<u64>load<u8>(p + <usize>i)) << sh;
    sh += 8;
  }
  h = rotl(h ^ (tail * 0x87c37b91114253d5), 31) * 0x4cf5ad432745937f;
  return mix64(h);
}

/** Whether the `nb`-byte records at `p` and `q` are equal. */
function equalBytes(p: usize, q: usize, nb: i32): bool {
  let i = 0;
  for (; i + 8 <= nb; i += 8) if (load<u64>(p + <usize>i) != load<u64>(q + <usize>i)) return false;
  for (; i < nb; i++) if (load<u8>(p + <usize>i) != load<u8>(q + <usize>i)) return false;
  return true;
}

@inline function tableCap(n: i32): i32 {
  let cap = 16;
  while (cap < 2 * n) cap <<= 1;
  return cap;
}

/** Scratch bytes for {@link dynEncodeRows} over `t` rows. */
export function dynEncodeWorkSize(t: i32): i32 {
  return tableCap(t) * 8;
}

/**
 * Dense ids for the distinct rows: ids[t] = id of row t, ids in order of first
 * sight; first[id] = row of its first occurrence. Exact (hash, then byte
 * comparison on a match). Returns K, the number of distinct rows.
 */
export function dynEncodeRows(t: i32, rowBytes: i32, xPtr: usize, idsPtr: usize, firstPtr: usize, workPtr: usize): i32 {
  const cap = tableCap(t);
  const mask = <u32>(cap - 1);
  memory.fill(workPtr, 0, <usize>cap * 8);
  let k = 0;
  for (let r = 0; r < t; r++) {
    const p = xPtr + <usize>r * <usize>rowBytes;
    const h = hashBytes(p, rowBytes);
    const tag = <u32>(h >> 32);
    let slot = <u32>h & mask;
    while (true) {
      const sp = workPtr + ((<usize>slot) << 3);
      const occ = load<i32>(sp);
      if (occ == 0) {
        store<i32>(sp, r + 1);
        store<u32>(sp, tag, 4);
        sti(firstPtr, k, r);
        sti(idsPtr, r, k);
        k++;
        break;
      }
      if (load<u32>(sp, 4) == tag) {
        const r0 = occ - 1;
        if (equalBytes(xPtr + <usize>r0 * <usize>rowBytes, p, rowBytes)) {
          sti(idsPtr, r, ldi(idsPtr, r0));
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return k;
}

/** Scratch bytes for {@link dynCountTransitions}: n pairs, ids below `k`. */
export function dynTransitionsWorkSize(n: i32, k: i32): i32 {
  return (2 * n + k + 1) * 4;
}

/**
 * Sparse transition counts as CSR, without hashing: two stable counting sorts
 * (by target, then by source) put the pairs in row-major order with sorted
 * columns, then equal neighbours are merged. O(n + k) time.
 *   in:  a[i], b[i] ∈ [0, k), i < n
 *   out: rowPtr [k+1], col [nnz], cnt [nnz] (col and cnt need room for n)
 * Returns nnz.
 */
export function dynCountTransitions(
  n: i32, k: i32, aPtr: usize, bPtr: usize,
  rowPtr: usize, colPtr: usize, cntPtr: usize, workPtr: usize,
): i32 {
  const tmpA = workPtr;
  const tmpB = workPtr + ((<usize>n) << 2);
  const fill = workPtr + ((<usize>(2 * n)) << 2);
  // pass 1: stable counting sort by target
  memory.fill(fill, 0, (<usize>(k + 1)) << 2);
  for (let i = 0; i < n; i++) {
    const b = ldi(bPtr, i) + 1;
    sti(fill, b, ldi(fill, b) + 1);
  }
  for (let j = 0; j < k; j++) sti(fill, j + 1, ldi(fill, j + 1) + ldi(fill, j));
  for (let i = 0; i < n; i++) {
    const b = ldi(bPtr, i);
    const p = ldi(fill, b);
    sti(fill, b, p + 1);
    sti(tmpA, p, ldi(aPtr, i));
    sti(tmpB, p, b);
  }
  // pass 2: stable counting sort by source → rows with ascending columns
  memory.fill(rowPtr, 0, (<usize>(k + 1)) << 2);
  for (let i = 0; i < n; i++) {
    const a = ldi(tmpA, i) + 1;
    sti(rowPtr, a, ldi(rowPtr, a) + 1);
  }
  for (let j = 0; j < k; j++) sti(rowPtr, j + 1, ldi(rowPtr, j + 1) + ldi(rowPtr, j));
  for (let j = 0; j < k; j++) sti(fill, j, ldi(rowPtr, j));
  for (let i = 0; i < n; i++) {
    const a = ldi(tmpA, i);
    const p = ldi(fill, a);
    sti(fill, a, p + 1);
    sti(colPtr, p, ldi(tmpB, i));
  }
  // merge equal neighbours in place
  let w = 0;
  let start = 0;
  for (let a = 0; a < k; a++) {
    const end = ldi(rowPtr, a + 1);
    sti(rowPtr, a, w);
    let r = start;
    while (r < end) {
      const c = ldi(colPtr, r);
      let m = 1;
      r++;
      while (r < end && ldi(colPtr, r) == c) {
        m++;
        r++;
      }
      sti(colPtr, w, c);
      sti(cntPtr, w, m);
      w++;
    }
    start = end;
  }
  sti(rowPtr, k, w);
  return w;
}

/** rev[e] = index of entry (b, a) for entry e = (a, b) of a square CSR with sorted columns, or −1. */
export function dynCsrReverse(k: i32, rowPtr: usize, colPtr: usize, revPtr: usize): void {
  for (let a = 0; a < k; a++) {
    const e1 = ldi(rowPtr, a + 1);
    for (let e = ldi(rowPtr, a); e < e1; e++) {
      const b = ldi(colPtr, e);
      let lo = ldi(rowPtr, b);
      let hi = ldi(rowPtr, b + 1);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ldi(colPtr, mid) < a) lo = mid + 1;
        else hi = mid;
      }
      sti(revPtr, e, lo < ldi(rowPtr, b + 1) && ldi(colPtr, lo) == a ? lo : -1);
    }
  }
}

/** from[e] = row of entry e of a CSR matrix (k rows). */
export function dynCsrRows(k: i32, rowPtr: usize, outPtr: usize): void {
  for (let a = 0; a < k; a++) {
    const e1 = ldi(rowPtr, a + 1);
    for (let e = ldi(rowPtr, a); e < e1; e++) sti(outPtr, e, a);
  }
}

@inline function ufFind(parent: usize, x: i32): i32 {
  while (ldi(parent, x) != x) {
    const g = ldi(parent, ldi(parent, x));
    sti(parent, x, g);
    x = g;
  }
  return x;
}

/** Scratch bytes for {@link dynSigma} over `k` states. */
export function dynSigmaWorkSize(k: i32): i32 {
  return k * 4;
}

/**
 * Plug-in entropy production from sparse pair counts with pseudocount α on the
 * symmetrised support S = supp(N) ∪ supp(Nᵀ):
 *   ñ_ab = N_ab + α on S,  Ñ = Σ_S ñ_ab,
 *   σ = Σ_{(a,b) ∈ S, a≠b, ñ_ab>0, ñ_ba>0} (ñ_ab/Ñ) ln(ñ_ab/ñ_ba).
 * With α = 0, pairs seen in one direction only are left out.
 * stats (f64 × 4): [Ñ, transitions on one-way pairs, unordered two-way pairs m,
 * cycle rank β = m − (vertices − components) of the two-way pair graph].
 */
export function dynSigma(
  nnz: i32, aPtr: usize, bPtr: usize, cntPtr: usize, revPtr: usize,
  alpha: f64, k: i32, statsPtr: usize, workPtr: usize,
): f64 {
  let total = 0.0;
  let oneWay = 0.0;
  for (let e = 0; e < nnz; e++) {
    const c = <f64>ldi(cntPtr, e);
    total += c + alpha;
    if (ldi(revPtr, e) < 0 && ldi(aPtr, e) != ldi(bPtr, e)) {
      total += alpha; // the unseen reverse entry of S
      oneWay += c;
    }
  }
  for (let i = 0; i < k; i++) sti(workPtr, i, i);
  let s = 0.0;
  let m = 0.0;
  let merged = 0.0;
  const twoWay = alpha > 0.0;
  for (let e = 0; e < nnz; e++) {
    const a = ldi(aPtr, e);
    const b = ldi(bPtr, e);
    if (a == b) continue;
    const r = ldi(revPtr, e);
    const f = <f64>ldi(cntPtr, e) + alpha;
    if (r < 0) {
      if (!twoWay) continue;
      // both (a,b) and its unseen reverse (b,a) with ñ_ba = α
      s += f * Math.log(f / alpha) + alpha * Math.log(alpha / f);
    } else {
      s += f * Math.log(f / (<f64>ldi(cntPtr, r) + alpha));
      if (a > b) continue; // count each unordered pair once below
    }
    m += 1.0;
    const ra = ufFind(workPtr, a);
    const rb = ufFind(workPtr, b);
    if (ra != rb) {
      sti(workPtr, ra, rb);
      merged += 1.0;
    }
  }
  store<f64>(statsPtr, total);
  store<f64>(statsPtr, oneWay, 8);
  store<f64>(statsPtr, m, 16);
  store<f64>(statsPtr, m - merged, 24);
  return total > 0.0 ? s / total : 0.0;
}

/** Shuffle the i32 array at `p` (length n) in place, Fisher–Yates with unbiased bounded draws. */
export function dynShuffleI32(s: usize, n: i32, p: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>rngBounded(s, <u32>(i + 1));
    const t = ldi(p, i);
    sti(p, i, ldi(p, j));
    sti(p, j, t);
  }
}

/**
 * Simulate T steps of a Markov chain from state x0: out[0] = x0, out[t+1] drawn
 * from row out[t] of the CSR chain (binary search in the cumulative row). A
 * state with an empty row stays where it is.
 */
export function dynSimulateChain(
  t: i32, x0: i32, rowPtr: usize, colIdx: usize, cumPtr: usize, s: usize, outPtr: usize,
): void {
  if (t <= 0) return;
  let x = x0;
  sti(outPtr, 0, x);
  for (let i = 1; i < t; i++) {
    let lo = ldi(rowPtr, x);
    let hi = ldi(rowPtr, x + 1);
    if (hi > lo) {
      const u = rngUniform01(s);
      hi -= 1; // the last entry catches u ≥ cum[hi−1] (and rounding)
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (u < ldf(cumPtr, mid)) hi = mid;
        else lo = mid + 1;
      }
      x = ldi(colIdx, lo);
    }
    sti(outPtr, i, x);
  }
}
