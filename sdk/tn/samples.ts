/**
 * The sample representation of an empirical joint distribution of binary
 * states, P(x) = Σ_t w_t δ(x, x(t)), and the exact small-n utilities built on
 * it (dense enumeration, KL, total variation, Shannon entropy).
 *
 * Dense vectors index a configuration of n sites by Σ_k x_k 2^{n−1−k}: site 0
 * is the most significant bit (numpy's C-order reshape of a 2 × … × 2 tensor).
 *
 * @module
 */
import { checkNonEmptyStates } from "../io/check.js";
import type { BinaryStates } from "../types.js";
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkInteger, checkOptions, checkVector, message } from "../validate.js";
import { log } from "../math.js";

/** Largest n for which dense 2^n vectors are formed. */
export const DENSE_MAX_SITES = 24;

/** Check a permutation of 0 … n−1 (position → column). Returns it as an Int32Array. */
export function checkOrder(name: string, value: unknown, n: number): Int32Array {
  if (!(value instanceof Int32Array) && !Array.isArray(value)) {
    throw new DgrnTypeError(message(name, "an Int32Array or an array of integers", value));
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== n) throw new DgrnShapeError(message(`${name}.length`, `${n}`, arr.length));
  const out = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = checkInteger(`${name}[${i}]`, arr[i], { min: 0, max: n - 1 });
    if (seen[v])
      throw new DgrnRangeError(
        message(name, "a permutation of 0 … n−1 (no repeats)", `repeat of ${v}`),
        ErrorCode.INVALID_DATA,
      );
    seen[v] = 1;
    out[i] = v;
  }
  return out;
}

/** Check per-row weights: nonnegative, finite, length T, positive total. Returns them. */
export function checkWeights(name: string, value: unknown, T: number): Float64Array {
  const w = checkVector(name, value, T);
  let tot = 0;
  for (let i = 0; i < T; i++) {
    if (w[i]! < 0) throw new DgrnRangeError(message(`${name}[${i}]`, "a nonnegative number", w[i]));
    tot += w[i]!;
  }
  if (!(tot > 0)) throw new DgrnRangeError(message(name, "weights with a positive sum", tot));
  return w;
}

/**
 * The distinct states of a sample with their probabilities, and the chain of
 * suffix identities that TT-SVD needs: at step k, distinct suffix d (sites
 * k … n−1 in site order) is the value `bits[k][d]` followed by suffix
 * `child[k][d]` of step k + 1. Step 0's suffixes are the distinct states.
 */
export interface SampleRepresentation {
  /** Number of sites. */
  readonly n: number;
  /** Number of distinct states (= distinct suffixes at step 0). */
  readonly D: number;
  /** Probability of each distinct state (sums to 1). */
  readonly prob: Float64Array;
  /** Distinct states in site order, row-major D × n. */
  readonly states: Uint8Array;
  /** Distinct suffix counts D_k, k = 0 … n (D_n = 1: the empty suffix). */
  readonly counts: Int32Array;
  /** bits[k][d]: the value of site k in distinct suffix d of step k. */
  readonly bits: readonly Uint8Array[];
  /** child[k][d]: the index of suffix d's tail among the suffixes of step k + 1. */
  readonly child: readonly Int32Array[];
}

/**
 * Build the sample representation of `states` (columns taken in `order`),
 * with per-row weights (default uniform). O(T n) time: suffix identities are
 * built right to left by pairing (x_k, id of the tail) through a lookup table.
 *
 * @param states - T × n binary states
 * @param order - position → column (default identity)
 * @param weights - nonnegative weight per row (default 1/T each)
 * @returns the distinct states, their probabilities and the suffix chain
 */
export function sampleRepresentation(
  states: BinaryStates,
  order?: Int32Array,
  weights?: Float64Array,
): SampleRepresentation {
  const { T, n, data } = states;
  const ord = order ?? Int32Array.from({ length: n }, (_, i) => i);
  let ids = new Int32Array(T); // id of each row's current suffix (all 0: empty)
  let count = 1;
  const bits: Uint8Array[] = new Array(n);
  const child: Int32Array[] = new Array(n);
  const counts = new Int32Array(n + 1);
  counts[n] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const col = ord[k]!;
    const table = new Int32Array(2 * count).fill(-1);
    const b: number[] = [];
    const c: number[] = [];
    const next = new Int32Array(T);
    let m = 0;
    for (let t = 0; t < T; t++) {
      const x = data[t * n + col]!;
      const key = 2 * ids[t]! + x;
      let id = table[key]!;
      if (id < 0) {
        id = m++;
        table[key] = id;
        b.push(x);
        c.push(ids[t]!);
      }
      next[t] = id;
    }
    bits[k] = Uint8Array.from(b);
    child[k] = Int32Array.from(c);
    counts[k] = m;
    count = m;
    ids = next;
  }
  const D = count;
  const prob = new Float64Array(D);
  let tot = 0;
  for (let t = 0; t < T; t++) {
    const w = weights ? weights[t]! : 1;
    prob[ids[t]!]! += w;
    tot += w;
  }
  for (let d = 0; d < D; d++) prob[d]! /= tot;
  // distinct states by following the chain
  const st = new Uint8Array(D * n);
  if (n > 0) {
    for (let d = 0; d < D; d++) {
      let id = d;
      for (let k = 0; k < n; k++) {
        st[d * n + k] = bits[k]![id]!;
        id = child[k]![id]!;
      }
    }
  }
  return { n, D, prob, states: st, counts, bits, child };
}

/** Dense index Σ_k x_k 2^{n−1−k} of row `row` of a row-major u8 matrix with n columns. */
export function denseIndex(x: Uint8Array, row: number, n: number): number {
  let idx = 0;
  for (let k = 0; k < n; k++) idx = idx * 2 + x[row * n + k]!;
  return idx;
}

/**
 * The empirical distribution as a dense vector of length 2^n (n ≤ 24), in
 * site order (site k = column `order[k]`).
 *
 * @param states - T × n binary states
 * @param opts - `order` (position → column), `weights` (per row)
 * @returns P as a Float64Array(2^n), summing to 1
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when n > 24
 * @example
 * ```ts
 * empiricalDense({ T: 2, n: 2, data: new Uint8Array([0, 1, 1, 1]) }); // [0, 0.5, 0, 0.5]
 * ```
 */
export function empiricalDense(
  states: BinaryStates,
  opts?: { order?: ArrayLike<number>; weights?: ArrayLike<number> },
): Float64Array {
  const st = checkNonEmptyStates("states", states);
  const o = checkOptions<{ order: ArrayLike<number>; weights: ArrayLike<number> }>("opts", opts, ["order", "weights"]);
  checkInteger("states.n", st.n, { min: 1, max: DENSE_MAX_SITES });
  const order = o.order === undefined ? undefined : checkOrder("opts.order", o.order, st.n);
  const w = o.weights === undefined ? undefined : checkWeights("opts.weights", o.weights, st.T);
  const rep = sampleRepresentation(st, order, w);
  const out = new Float64Array(2 ** st.n);
  for (let d = 0; d < rep.D; d++) out[denseIndex(rep.states, d, st.n)]! += rep.prob[d]!;
  return out;
}

/** Check two dense distributions of equal length. */
function checkDistributionPair(p: unknown, q: unknown): [Float64Array, Float64Array] {
  const pv = checkVector("p", p);
  const qv = checkVector("q", q);
  if (qv.length !== pv.length) throw new DgrnShapeError(message("q.length", `p.length = ${pv.length}`, qv.length));
  return [pv, qv];
}

/** Smallest probability a reconstruction is given inside KL (ours): keeps KL finite. */
export const KL_FLOOR = 1e-300;

/**
 * Kullback–Leibler divergence KL(p ‖ q) = Σ_x p(x) ln(p(x)/q(x)) in nats, for
 * dense vectors. `q` is first made a distribution: negative entries (a
 * truncated tensor can have them) are set to 0, it is renormalised, and
 * entries below {@link KL_FLOOR} are raised to it (ours; keeps KL finite).
 * `p` is renormalised too.
 *
 * @param p - the reference distribution (e.g. the empirical one)
 * @param q - the reconstruction
 * @returns KL in nats (≥ 0)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the lengths differ
 * @example
 * ```ts
 * klDivergence([0.5, 0.5], [0.25, 0.75]); // 0.1438…
 * ```
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [pv, qv] = checkDistributionPair(p, q);
  const qp = clipNormalise(qv);
  const ps = sumPos(pv);
  let kl = 0;
  for (let i = 0; i < pv.length; i++) {
    const pi = pv[i]! / ps;
    if (pi > 0) kl += pi * log(pi / Math.max(qp[i]!, KL_FLOOR));
  }
  return Math.max(0, kl);
}

/**
 * Total variation distance ½ Σ_x |p(x) − q(x)| between dense vectors, after
 * clipping q at 0 and renormalising both (as in {@link klDivergence}).
 *
 * @example
 * ```ts
 * totalVariation([1, 0], [0.5, 0.5]); // 0.5
 * ```
 */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [pv, qv] = checkDistributionPair(p, q);
  const qp = clipNormalise(qv);
  const ps = sumPos(pv);
  let tv = 0;
  for (let i = 0; i < pv.length; i++) tv += Math.abs(pv[i]! / ps - qp[i]!);
  return tv / 2;
}

/**
 * Shannon entropy H(p) = −Σ p ln p in nats of a vector of nonnegative weights
 * (renormalised; zeros contribute nothing).
 *
 * @example
 * ```ts
 * shannonEntropy([0.5, 0.5]); // ln 2
 * ```
 */
export function shannonEntropy(p: ArrayLike<number>): number {
  const pv = checkVector("p", p);
  for (let i = 0; i < pv.length; i++)
    if (pv[i]! < 0) throw new DgrnRangeError(message(`p[${i}]`, "a nonnegative number", pv[i]));
  return entropyOf(pv);
}

/** H of nonnegative weights, unchecked. */
export function entropyOf(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]!;
  if (!(s > 0)) return 0;
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]! / s;
    if (q > 0) h -= q * log(q);
  }
  return h;
}

/** Entanglement entropy −Σ p ln p of p_i = s_i² / Σ s_j² for singular values s. */
export function entanglementOf(s: ArrayLike<number>): number {
  const sq = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) sq[i] = s[i]! * s[i]!;
  return entropyOf(sq);
}

function sumPos(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! > 0) s += v[i]!;
  return s > 0 ? s : 1;
}

function clipNormalise(q: Float64Array): Float64Array {
  const out = new Float64Array(q.length);
  let s = 0;
  for (let i = 0; i < q.length; i++) {
    const v = q[i]! > 0 ? q[i]! : 0;
    out[i] = v;
    s += v;
  }
  if (s > 0) for (let i = 0; i < q.length; i++) out[i]! /= s;
  return out;
}
