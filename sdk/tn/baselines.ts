/**
 * Baseline models of binary states for the Born machine's held-out
 * likelihood: the independent (product) model, a Chow–Liu tree (Chow & Liu,
 * IEEE Trans. Inf. Theory 14, 462 (1968)) and a mixture of Bernoulli products
 * fitted by EM. Each gives exact log₂ probabilities of any state. Sparse:
 * every pass touches only the active units of a row.
 *
 * @module
 */
import type { BinaryStates } from "../types.js";
import { exp, log } from "../math.js";
import { randomUniform } from "../random/index.js";
import { checkInteger, checkOptions, checkSeed } from "../validate.js";
import { checkNonEmptyStates } from "../io/check.js";

const LN2 = 0.6931471805599453;

/** A fitted baseline: parameters and exact log₂ P of any row. */
export interface BaselineModel {
  readonly kind: "product" | "chowLiu" | "mixture";
  /** Free parameters. */
  readonly params: number;
  /** log₂ P(x) of each row of `states` (same n). */
  logProb(states: BinaryStates): Float64Array;
}

/** Active columns of each row (CSR). */
function activeLists(x: BinaryStates): { ptr: Int32Array; idx: Int32Array } {
  const { T, n, data } = x;
  const ptr = new Int32Array(T + 1);
  let nnz = 0;
  for (let i = 0; i < T * n; i++) nnz += data[i]!;
  const idx = new Int32Array(nnz);
  let q = 0;
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let i = 0; i < n; i++) if (data[row + i]) idx[q++] = i;
    ptr[t + 1] = q;
  }
  return { ptr, idx };
}

/**
 * Independent model P(x) = Π_i p_i^{x_i} (1 − p_i)^{1−x_i}, p_i with the
 * Krichevsky–Trofimov pseudocount ½ (ours), so no state has probability 0.
 *
 * @param train - T × n binary states
 * @returns the model (n parameters)
 * @example
 * ```ts
 * const m = productModel(train); const nll = -mean(m.logProb(test));
 * ```
 */
export function productModel(train: BinaryStates): BaselineModel {
  const x = checkNonEmptyStates("train", train);
  const { T, n, data } = x;
  const c = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) c[i] = c[i]! + data[t * n + i]!;
  const l1 = new Float64Array(n);
  const l0 = new Float64Array(n);
  let base = 0;
  for (let i = 0; i < n; i++) {
    const p = (c[i]! + 0.5) / (T + 1);
    l1[i] = log(p) / LN2;
    l0[i] = log(1 - p) / LN2;
    base += l0[i]!;
  }
  return {
    kind: "product",
    params: n,
    logProb(s: BinaryStates): Float64Array {
      const y = checkNonEmptyStates("states", s);
      const a = activeLists(y);
      const out = new Float64Array(y.T);
      for (let t = 0; t < y.T; t++) {
        let v = base;
        for (let q = a.ptr[t]!; q < a.ptr[t + 1]!; q++) v += l1[a.idx[q]!]! - l0[a.idx[q]!]!;
        out[t] = v;
      }
      return out;
    },
  };
}

/**
 * Chow–Liu tree: the maximum-likelihood tree-structured distribution (maximum
 * spanning tree of the plug-in mutual informations, Prim's algorithm, root =
 * column 0), conditional tables with pseudocount ½ per cell (ours).
 *
 * @param train - T × n binary states
 * @returns the model (2n − 1 parameters)
 * @example
 * ```ts
 * const m = chowLiuTree(train);
 * ```
 */
export function chowLiuTree(train: BinaryStates): BaselineModel {
  const x = checkNonEmptyStates("train", train);
  const { T, n } = x;
  const a = activeLists(x);
  const c1 = new Float64Array(n);
  const c11 = new Float64Array(n * n);
  for (let t = 0; t < T; t++) {
    const lo = a.ptr[t]!;
    const hi = a.ptr[t + 1]!;
    for (let p = lo; p < hi; p++) {
      const i = a.idx[p]!;
      c1[i] = c1[i]! + 1;
      for (let q = lo; q < hi; q++) c11[i * n + a.idx[q]!] = c11[i * n + a.idx[q]!]! + 1;
    }
  }
  // x ln x table for counts 0…T (plug-in MI = Σ (c/T) ln(c T / (c_i c_j)))
  const xlx = new Float64Array(T + 1);
  for (let c = 1; c <= T; c++) xlx[c] = c * log(c);
  const h1 = (i: number) => xlx[c1[i]!]! + xlx[T - c1[i]!]!;
  const mi = (i: number, j: number) => {
    const n11 = c11[i * n + j]!;
    const n10 = c1[i]! - n11;
    const n01 = c1[j]! - n11;
    const n00 = T - n11 - n10 - n01;
    return (xlx[n11]! + xlx[n10]! + xlx[n01]! + xlx[n00]! - h1(i) - h1(j) + xlx[T]!) / T;
  };
  // Prim on the dense MI graph
  const parent = new Int32Array(n).fill(-1);
  const inTree = new Uint8Array(n);
  const bestW = new Float64Array(n).fill(-Infinity);
  inTree[0] = 1;
  for (let j = 1; j < n; j++) {
    bestW[j] = mi(0, j);
    parent[j] = 0;
  }
  for (let it = 1; it < n; it++) {
    let u = -1;
    let w = -Infinity;
    for (let j = 0; j < n; j++)
      if (!inTree[j] && (u < 0 || bestW[j]! > w)) {
        u = j;
        w = bestW[j]!;
      }
    inTree[u] = 1;
    for (let j = 0; j < n; j++)
      if (!inTree[j]) {
        const m = mi(u, j);
        if (m > bestW[j]!) {
          bestW[j] = m;
          parent[j] = u;
        }
      }
  }
  // log₂ tables: lt[i*4 + 2*xp + xi] = log₂ P(x_i | x_parent); root uses xp = 0
  const lt = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) {
      const q = (c1[i]! + 0.5) / (T + 1);
      lt[i * 4] = log(1 - q) / LN2;
      lt[i * 4 + 1] = log(q) / LN2;
      continue;
    }
    const n11 = c11[i * n + p]!;
    const n1p = c1[p]!;
    const n0p = T - n1p;
    const n10 = c1[i]! - n11; // x_i = 1, parent 0
    lt[i * 4 + 0] = log((n0p - n10 + 0.5) / (n0p + 1)) / LN2;
    lt[i * 4 + 1] = log((n10 + 0.5) / (n0p + 1)) / LN2;
    lt[i * 4 + 2] = log((n1p - n11 + 0.5) / (n1p + 1)) / LN2;
    lt[i * 4 + 3] = log((n11 + 0.5) / (n1p + 1)) / LN2;
  }
  return {
    kind: "chowLiu",
    params: 2 * n - 1,
    logProb(s: BinaryStates): Float64Array {
      const y = checkNonEmptyStates("states", s);
      const out = new Float64Array(y.T);
      for (let t = 0; t < y.T; t++) {
        const row = t * y.n;
        let v = 0;
        for (let i = 0; i < n; i++) {
          const p = parent[i]!;
          const xp = p < 0 ? 0 : y.data[row + p]!;
          v += lt[i * 4 + 2 * xp + y.data[row + i]!]!;
        }
        out[t] = v;
      }
      return out;
    },
  };
}

/** Options of {@link bernoulliMixture}. */
export interface MixtureOptions {
  /** Number of components K ≥ 1. Default 8. */
  components?: number;
  /** EM iterations at most. Default 200. */
  iterations?: number;
  /** Seed of the random initial responsibilities. Default 1. */
  seed?: number;
}

/**
 * Mixture of K Bernoulli products, P(x) = Σ_k π_k Π_i p_ki^{x_i}(1 − p_ki)^{1−x_i},
 * by EM from seeded random responsibilities, with a Beta(½, ½) prior on p_ki
 * and a Dirichlet(1) prior on π (MAP-EM, ours) so no state gets probability 0.
 * Stops when the mean log-likelihood changes by < 1e-6 of itself (relative).
 *
 * @param train - T × n binary states
 * @param opts - `components` (8), `iterations` (200), `seed` (1)
 * @returns the model (K·n + K − 1 parameters)
 * @example
 * ```ts
 * const m = bernoulliMixture(train, { components: 15, seed: 1 });
 * ```
 */
export function bernoulliMixture(train: BinaryStates, opts?: MixtureOptions): BaselineModel {
  const x = checkNonEmptyStates("train", train);
  const o = checkOptions<MixtureOptions>("opts", opts, ["components", "iterations", "seed"]);
  const K = o.components === undefined ? 8 : checkInteger("opts.components", o.components, { min: 1, max: 1000 });
  const iters = o.iterations === undefined ? 200 : checkInteger("opts.iterations", o.iterations, { min: 1 });
  const seed = o.seed === undefined ? 1 : checkSeed("opts.seed", o.seed);
  const { T, n } = x;
  const a = activeLists(x);
  const resp = randomUniform(T * K, { seed });
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += resp[t * K + k]!;
    for (let k = 0; k < K; k++) resp[t * K + k] = resp[t * K + k]! / s;
  }
  const lp1 = new Float64Array(K * n); // ln p_ki
  const lp0 = new Float64Array(K * n); // ln (1 − p_ki)
  const lpi = new Float64Array(K);
  const base = new Float64Array(K);
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * n);
  const ll = new Float64Array(K);
  const dk = new Float64Array(n * K); // ln p − ln (1 − p), unit-major
  const mstep = () => {
    nk.fill(0);
    s1.fill(0);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) nk[k] = nk[k]! + resp[t * K + k]!;
      // unit-major (i·K + k): the K sums of one active unit are contiguous (same sums, same order)
      const rt = t * K;
      for (let q = a.ptr[t]!; q < a.ptr[t + 1]!; q++) {
        const off = a.idx[q]! * K;
        for (let k = 0; k < K; k++) s1[off + k] = s1[off + k]! + resp[rt + k]!;
      }
    }
    for (let k = 0; k < K; k++) {
      lpi[k] = log((nk[k]! + 1) / (T + K));
      let b = 0;
      for (let i = 0; i < n; i++) {
        const p = (s1[i * K + k]! + 0.5) / (nk[k]! + 1);
        lp1[k * n + i] = log(p);
        lp0[k * n + i] = log(1 - p);
        b += lp0[k * n + i]!;
        dk[i * K + k] = lp1[k * n + i]! - lp0[k * n + i]!;
      }
      base[k] = b;
    }
  };
  /** Component log-likelihoods of row t of a CSR set into ll; returns ln Σ_k e^{ll_k}. */
  const rowLL = (ptr: Int32Array, idx: Int32Array, t: number): number => {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) ll[k] = base[k]! + lpi[k]!;
    // the same additions per component in the same order as a per-component loop, unit-major
    for (let q = ptr[t]!; q < ptr[t + 1]!; q++) {
      const off = idx[q]! * K;
      for (let k = 0; k < K; k++) ll[k] = ll[k]! + dk[off + k]!;
    }
    for (let k = 0; k < K; k++) if (ll[k]! > mx) mx = ll[k]!;
    let s = 0;
    for (let k = 0; k < K; k++) {
      // e^d underflows to exactly 0 below d ≈ −745.13: skip the call (same bits)
      const d = ll[k]! - mx;
      ll[k] = d < -746 ? 0 : exp(d);
      s += ll[k]!;
    }
    return mx + log(s);
  };
  let prev = -Infinity;
  for (let it = 0; it < iters; it++) {
    mstep();
    let tot = 0;
    for (let t = 0; t < T; t++) {
      const lz = rowLL(a.ptr, a.idx, t);
      tot += lz;
      let s = 0;
      for (let k = 0; k < K; k++) s += ll[k]!;
      for (let k = 0; k < K; k++) resp[t * K + k] = ll[k]! / s;
    }
    const cur = tot / T;
    if (Math.abs(cur - prev) < 1e-6 * Math.abs(cur) + 1e-9) break;
    prev = cur;
  }
  mstep();
  return {
    kind: "mixture",
    params: K * n + K - 1,
    logProb(s: BinaryStates): Float64Array {
      const y = checkNonEmptyStates("states", s);
      const b = activeLists(y);
      const out = new Float64Array(y.T);
      for (let t = 0; t < y.T; t++) out[t] = rowLL(b.ptr, b.idx, t) / LN2;
      return out;
    },
  };
}
