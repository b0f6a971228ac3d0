/**
 * Effective Markov dynamics over the observed coarse states: sparse transition
 * counts keyed by hashed binary words (never a 2^M array), the transition
 * matrix over observed states, its stationary distribution; a seeded simulator.
 *
 * @module
 */
import { checkCsr } from "../linalg/sparse.js";
import { DgrnRangeError, DgrnShapeError } from "../errors.js";
import {
  checkInteger,
  checkMatrix,
  checkNumber,
  checkOptions,
  checkSeed,
  checkSquare,
  message,
  type Matrix,
} from "../validate.js";
import { countPairs, simulateCsr, type PairCounts } from "./kernel.js";
import { checkTrajectory, historyIds, wordIds } from "./trajectory.js";
import type { MarkovDynamics, SparseMatrix, Trajectory } from "./types.js";

/** Options of {@link markovDynamics}. */
export interface MarkovOptions {
  /** Markov order k ≥ 1 (default 1): the chain runs over observed k-tuples of words. */
  order?: number;
  /** Pseudocount α ≥ 0 added to every pair of the symmetrised support (default 0). */
  pseudocount?: number;
}

/** Parse order and pseudocount (shared by the functions of this stage). */
export function parseOrderAlpha(
  o: { order?: unknown; pseudocount?: unknown },
  alphaDefault: number,
): { order: number; alpha: number } {
  return {
    order: o.order === undefined ? 1 : checkInteger("options.order", o.order, { min: 1, max: 16 }),
    alpha: o.pseudocount === undefined ? alphaDefault : checkNumber("options.pseudocount", o.pseudocount, { min: 0 }),
  };
}

/**
 * Build CSR from distinct (from, to, value) entries; columns sorted within rows.
 * With `symmetrise`, the reverse of every entry is added (value 0) if missing.
 */
export function toCsr(
  nRows: number,
  from: Int32Array,
  to: Int32Array,
  value: ArrayLike<number>,
  rev?: Int32Array,
): SparseMatrix {
  let nnz = from.length;
  let fa = from;
  let ta = to;
  let va: Float64Array = Float64Array.from(value);
  if (rev) {
    let extra = 0;
    for (let e = 0; e < from.length; e++) if (rev[e]! < 0 && from[e] !== to[e]) extra++;
    if (extra > 0) {
      fa = new Int32Array(nnz + extra);
      ta = new Int32Array(nnz + extra);
      const v2 = new Float64Array(nnz + extra);
      fa.set(from);
      ta.set(to);
      v2.set(va);
      let p = nnz;
      for (let e = 0; e < from.length; e++) {
        if (rev[e]! < 0 && from[e] !== to[e]) {
          fa[p] = to[e]!;
          ta[p] = from[e]!;
          p++;
        }
      }
      va = v2;
      nnz += extra;
    }
  }
  const rowPtr = new Int32Array(nRows + 1);
  for (let e = 0; e < nnz; e++) rowPtr[fa[e]! + 1]!++;
  for (let a = 0; a < nRows; a++) rowPtr[a + 1]! += rowPtr[a]!;
  const fill = rowPtr.slice(0, nRows);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const p = fill[fa[e]!]!++;
    colIdx[p] = ta[e]!;
    values[p] = va[e]!;
  }
  for (let a = 0; a < nRows; a++) sortRow(colIdx, values, rowPtr[a]!, rowPtr[a + 1]!);
  return { rows: nRows, cols: nRows, rowPtr, colIdx, values };
}

function sortRow(col: Int32Array, val: Float64Array, lo: number, hi: number): void {
  const len = hi - lo;
  if (len < 2) return;
  let sorted = true;
  for (let i = lo + 1; i < hi && sorted; i++) sorted = col[i - 1]! < col[i]!;
  if (sorted) return;
  if (len <= 32) {
    for (let i = lo + 1; i < hi; i++) {
      const c = col[i]!;
      const v = val[i]!;
      let j = i - 1;
      while (j >= lo && col[j]! > c) {
        col[j + 1] = col[j]!;
        val[j + 1] = val[j]!;
        j--;
      }
      col[j + 1] = c;
      val[j + 1] = v;
    }
    return;
  }
  const idx = Array.from({ length: len }, (_, i) => lo + i).sort((x, y) => col[x]! - col[y]!);
  const c2 = idx.map((i) => col[i]!);
  const v2 = idx.map((i) => val[i]!);
  col.set(c2, lo);
  val.set(v2, lo);
}

/**
 * Stationary distribution of a row-(sub)stochastic CSR matrix by power
 * iteration of the lazy chain (I + P)/2, started from `start`; the mass of
 * rows that sum to less than 1 (dangling states) is returned in proportion to
 * `start`. Stops when the L1 change is below 1e-12 + K·4e-16 (the rounding
 * floor of a sum over K states), or after 20,000 sweeps.
 */
export function stationaryOf(p: SparseMatrix, start: Float64Array): Float64Array {
  const K = p.rows;
  let x = start.slice();
  let y = new Float64Array(K);
  const rowSum = new Float64Array(K);
  for (let a = 0; a < K; a++) for (let e = p.rowPtr[a]!; e < p.rowPtr[a + 1]!; e++) rowSum[a]! += p.values[e]!;
  const tol = 1e-12 + K * 4e-16;
  for (let it = 0; it < 20000; it++) {
    y.fill(0);
    let leak = 0;
    for (let a = 0; a < K; a++) {
      const xa = x[a]!;
      if (xa === 0) continue;
      for (let e = p.rowPtr[a]!; e < p.rowPtr[a + 1]!; e++) y[p.colIdx[e]!]! += xa * p.values[e]!;
      leak += xa * (1 - rowSum[a]!);
    }
    let diff = 0;
    let tot = 0;
    for (let a = 0; a < K; a++) {
      const v = 0.5 * (x[a]! + y[a]! + leak * start[a]!);
      diff += Math.abs(v - x[a]!);
      y[a] = v;
      tot += v;
    }
    for (let a = 0; a < K; a++) y[a]! /= tot;
    [x, y] = [y, x];
    if (diff < tol) break;
  }
  return x;
}

/**
 * The effective Markov dynamics of one trajectory.
 *
 * States are the distinct observed words (rows), hashed in the kernel (exact:
 * a hash match is confirmed byte by byte), so nothing of size 2^M is formed.
 * With `order: k` the chain's states are the observed k-tuples of consecutive
 * words, and a transition is (w[t−k+1..t]) → (w[t−k+2..t+1]).
 *
 * Counts N_ab over the N = T − k observed transitions; transition matrix
 * P_ab = (N_ab + α) / Σ_b′ (N_ab′ + α) over the support of N (α = 0) or its
 * symmetrised support supp(N) ∪ supp(Nᵀ) (α > 0); π the stationary
 * distribution of P (power iteration from the empirical occupancy).
 *
 * @param trajectory - BinaryStates (T × M), FractionStates, or integer labels (length T)
 * @param options - `order` (default 1), `pseudocount` (default 0)
 * @returns counts, transition matrix and π as sparse/typed arrays (see {@link MarkovDynamics})
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when the trajectory is not one of the accepted kinds
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for fewer than order + 1 bins, a bad order or a negative pseudocount; `ERR_INVALID_OPTION` for an unknown option
 * @example
 * ```ts
 * await init();
 * const m = markovDynamics([0, 1, 0, 0, 1, 0]);
 * m.transition; // P = [[1/3, 2/3], [1, 0]] as CSR
 * m.stationary; // Float64Array [0.6, 0.4]
 * ```
 */
export function markovDynamics(trajectory: Trajectory, options?: MarkovOptions): MarkovDynamics {
  const o = checkOptions<MarkovOptions>("options", options, ["order", "pseudocount"]);
  const { order, alpha } = parseOrderAlpha(o, 0);
  const rows = checkTrajectory("trajectory", trajectory, order + 1);
  const words = wordIds(rows);
  const hist = historyIds(words.ids, order);
  const pairs = transitionPairs(hist.ids, order);
  return assemble(order, alpha, words.ids, words.k, hist, pairs);
}

/** Pairs (h[t], h[t+1]) for t = order − 1 … T − 2. */
export function transitionPairs(ids: Int32Array, order: number): PairCounts {
  const T = ids.length;
  return countPairs(ids.subarray(order - 1, T - 1), ids.subarray(order, T));
}

function assemble(
  order: number,
  alpha: number,
  words: Int32Array,
  nWords: number,
  hist: { ids: Int32Array; first: Int32Array; k: number },
  pairs: PairCounts,
): MarkovDynamics {
  const K = hist.k;
  const counts = toCsr(K, pairs.from, pairs.to, pairs.count);
  const trans = toCsr(K, pairs.from, pairs.to, pairs.count, alpha > 0 ? pairs.rev : undefined);
  const occupancy = new Float64Array(K);
  const dangling: number[] = [];
  for (let a = 0; a < K; a++) {
    let tot = 0;
    for (let e = trans.rowPtr[a]!; e < trans.rowPtr[a + 1]!; e++) tot += trans.values[e]! + alpha;
    for (let e = trans.rowPtr[a]!; e < trans.rowPtr[a + 1]!; e++) trans.values[e] = (trans.values[e]! + alpha) / tot;
    if (tot === 0) dangling.push(a);
  }
  for (let e = 0; e < pairs.from.length; e++) occupancy[pairs.from[e]!]! += pairs.count[e]! / pairs.n;
  const start = occupancy.slice();
  if (dangling.length > 0) for (const a of dangling) start[a] = 1 / pairs.n; // keep the last state reachable
  let z = 0;
  for (let a = 0; a < K; a++) z += start[a]!;
  for (let a = 0; a < K; a++) start[a]! /= z;
  return {
    order,
    pseudocount: alpha,
    nWords,
    nStates: K,
    nTransitions: pairs.n,
    wordIds: words,
    stateIds: hist.ids,
    firstSeen: hist.first,
    counts,
    transition: trans,
    stationary: stationaryOf(trans, start),
    occupancy,
    dangling: Int32Array.from(dangling),
  };
}

/** Options of {@link simulateMarkovChain}. */
export interface SimulateChainOptions {
  /** Number of states in the output, T ≥ 1 (the initial state included). */
  steps: number;
  /** Initial state (default 0). */
  initial?: number;
  /** Seed (default 1). */
  seed?: number;
}

/**
 * Simulate a Markov chain in the kernel: x[0] = initial, x[t+1] ~ P[x[t], ·].
 * For tests, surrogates and parametric bootstraps.
 *
 * @param p - a row-stochastic matrix: a dense {@link Matrix} (K × K) or a {@link SparseMatrix}; rows must sum to 1 (± 1e-9)
 * @param options - `steps` (required), `initial` (default 0), `seed` (default 1)
 * @returns the state sequence (Int32Array of length `steps`)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative entry, a row not summing to 1, or a bad `steps`/`initial`
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` for a non-square matrix
 * @example
 * ```ts
 * await init();
 * const ring = { rows: 3, cols: 3, data: new Float64Array([0.2, 0.6, 0.2, 0.2, 0.2, 0.6, 0.6, 0.2, 0.2]) };
 * const x = simulateMarkovChain(ring, { steps: 1000, seed: 7 });
 * ```
 */
export function simulateMarkovChain(p: Matrix | SparseMatrix, options: SimulateChainOptions): Int32Array {
  const o = checkOptions<SimulateChainOptions>("options", options, ["steps", "initial", "seed"]);
  const steps = checkInteger("options.steps", o.steps, { min: 1, max: 2 ** 31 - 1 });
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  const csr = checkStochastic("p", p);
  const initial =
    o.initial === undefined ? 0 : checkInteger("options.initial", o.initial, { min: 0, max: csr.rows - 1 });
  return simulateCsr(csr.rowPtr, csr.colIdx, csr.values, steps, initial, seed, 9);
}

function checkStochastic(name: string, p: unknown): SparseMatrix {
  let csr: SparseMatrix;
  if (p !== null && typeof p === "object" && "rowPtr" in p) {
    // the one CSR validator (sdk/linalg/sparse.ts), then squareness
    const s = checkCsr(name, p);
    if (s.cols !== s.rows || s.rows < 1)
      throw new DgrnShapeError(message(name, "a square matrix with at least one row", `${s.rows}×${s.cols}`));
    csr = s;
  } else {
    const m = checkMatrix(name, p);
    const K = checkSquare(name, m);
    if (K < 1) throw new DgrnRangeError(message(`${name}.rows`, "a positive integer", K));
    const rowPtr = new Int32Array(K + 1);
    const col: number[] = [];
    const val: number[] = [];
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) {
        const v = m.data[a * K + b]!;
        if (v !== 0) {
          col.push(b);
          val.push(v);
        }
      }
      rowPtr[a + 1] = col.length;
    }
    csr = { rows: K, cols: K, rowPtr, colIdx: Int32Array.from(col), values: Float64Array.from(val) };
  }
  for (let a = 0; a < csr.rows; a++) {
    let tot = 0;
    for (let e = csr.rowPtr[a]!; e < csr.rowPtr[a + 1]!; e++) {
      const v = csr.values[e]!;
      if (!(v >= 0) || !Number.isFinite(v))
        throw new DgrnRangeError(message(`${name} entry (${a}, ${csr.colIdx[e]})`, "a finite probability >= 0", v));
      tot += v;
    }
    if (Math.abs(tot - 1) > 1e-9)
      throw new DgrnRangeError(message(`${name} row ${a} sum`, "1 (a row-stochastic matrix)", tot));
  }
  return csr;
}
