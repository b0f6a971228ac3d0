/**
 * Scores against ground truth: edge AUROC, and ARI / NMI of two partitions;
 * plus the directed weighted modularity of a partition, computed directly.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, ErrorCode } from "../errors.js";
import type { Graph } from "../types.js";
import { checkNumber, checkOptions, checkVector, message } from "../validate.js";
import { checkGraph, checkLabels } from "./graph.js";
import { log } from "../math.js";

/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive),
 * computed as the Mann–Whitney statistic with average ranks for ties:
 * AUROC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋), R₊ the rank sum of the positives.
 *
 * @param scores - one finite score per item (higher = more likely positive)
 * @param labels - one 0/1 (or boolean) label per item
 * @returns the AUROC in [0, 1]
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when lengths differ
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a label that is not 0/1, or when either class is empty
 * @example
 * ```ts
 * auroc([0.9, 0.8, 0.1], [1, 0, 0]); // 1
 * ```
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  const s = checkVector("scores", scores);
  if (labels === null || typeof labels !== "object" || typeof (labels as ArrayLike<unknown>).length !== "number") {
    throw new DgrnRangeError(message("labels", "an array of 0/1 labels", labels), ErrorCode.INVALID_TYPE);
  }
  const n = s.length;
  if (labels.length !== n) throw new DgrnShapeError(message("labels.length", `scores.length = ${n}`, labels.length));
  const y = new Uint8Array(n);
  let np = 0;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v === 1 || v === true) {
      y[i] = 1;
      np++;
    } else if (v !== 0 && v !== false) throw new DgrnRangeError(message(`labels[${i}]`, "0 or 1", v));
  }
  const nn = n - np;
  if (np === 0 || nn === 0)
    throw new DgrnRangeError(message("labels", "a mix of positives and negatives", `${np} positive, ${nn} negative`));
  // U = Σ over (positive, negative) pairs of [s₊ > s₋] + ½[s₊ = s₋] = R₊ − n₊(n₊+1)/2 (Mann–Whitney), by
  // sorting each class and one merge: O(n log n) on typed arrays. Every term is an integer or a half and the
  // sum stays below 2⁵³, so the result has the bits of the rank-sum formula.
  const pos = new Float64Array(np),
    neg = new Float64Array(nn);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i]) pos[a++] = s[i]!;
    else neg[b++] = s[i]!;
  }
  pos.sort();
  neg.sort();
  // twice U: 2·#(s₋ < s₊) + #(s₋ = s₊) for each positive
  let twiceU = 0;
  for (let p = 0, lt = 0, le = 0; p < np; p++) {
    const v = pos[p]!;
    while (lt < nn && neg[lt]! < v) lt++;
    if (le < lt) le = lt;
    while (le < nn && neg[le]! <= v) le++;
    twiceU += lt + le;
  }
  return twiceU / 2 / (np * nn);
}

/** Contingency table of two labelings (labels remapped to 0..k−1). */
function contingency(
  a: Int32Array,
  b: Int32Array,
): { table: Map<number, number>; ra: number[]; cb: number[]; n: number } {
  const ma = new Map<number, number>(),
    mb = new Map<number, number>();
  const table = new Map<number, number>();
  const ra: number[] = [],
    cb: number[] = [];
  for (let i = 0; i < a.length; i++) {
    let x = ma.get(a[i]!);
    if (x === undefined) {
      x = ma.size;
      ma.set(a[i]!, x);
      ra.push(0);
    }
    let y = mb.get(b[i]!);
    if (y === undefined) {
      y = mb.size;
      mb.set(b[i]!, y);
      cb.push(0);
    }
    ra[x]!++;
    cb[y]!++;
    const key = x * 1048576 + y;
    table.set(key, (table.get(key) ?? 0) + 1);
  }
  return { table, ra, cb, n: a.length };
}

function checkLabelPair(a: unknown, b: unknown): [Int32Array, Int32Array] {
  const la = checkLabels("a", a);
  const lb = checkLabels("b", b, la.length);
  if (la.length === 0) throw new DgrnRangeError(message("a.length", "at least 1", 0));
  return [la, lb];
}

/**
 * Adjusted Rand index of two partitions (Hubert & Arabie 1985):
 * ARI = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E), E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2).
 * 1 for identical partitions (up to renaming); 1 also when both are trivial in the same way.
 *
 * @param a - a label per item (any integers)
 * @param b - a label per item, same length
 * @returns the ARI (≤ 1; about 0 for independent partitions)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when lengths differ
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 7, 7]); // 1
 * ```
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [la, lb] = checkLabelPair(a, b);
  const { table, ra, cb, n } = contingency(la, lb);
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sij = 0;
  for (const v of table.values()) sij += c2(v);
  const sa = ra.reduce((s, x) => s + c2(x), 0);
  const sb = cb.reduce((s, x) => s + c2(x), 0);
  const expected = (sa * sb) / c2(n || 1);
  const maxIdx = (sa + sb) / 2;
  if (maxIdx === expected) return 1;
  return (sij - expected) / (maxIdx - expected);
}

/**
 * Normalized mutual information of two partitions, arithmetic-mean
 * normalisation: NMI = I(a; b) / ((H(a) + H(b)) / 2), natural logs. 1 when both
 * partitions are trivial.
 *
 * @param a - a label per item
 * @param b - a label per item, same length
 * @returns NMI in [0, 1]
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when lengths differ
 * @example
 * ```ts
 * normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * ```
 */
export function normalizedMutualInfo(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [la, lb] = checkLabelPair(a, b);
  const { table, ra, cb, n } = contingency(la, lb);
  const h = (v: number[]) => v.reduce((s, x) => (x > 0 ? s - (x / n) * log(x / n) : s), 0);
  const ha = h(ra),
    hb = h(cb);
  let mi = 0;
  for (const [key, v] of table) {
    const x = Math.floor(key / 1048576),
      y = key % 1048576;
    mi += (v / n) * log((v * n) / (ra[x]! * cb[y]!));
  }
  const den = (ha + hb) / 2;
  if (den === 0) return 1;
  return Math.max(0, Math.min(1, mi / den));
}

/** Options of {@link modularity}. */
export interface ModularityOptions {
  /** Resolution γ (default 1). */
  resolution?: number;
}

/**
 * Weighted modularity of a partition.
 *
 * Directed (Leicht & Newman 2008; the form graphology's directed Louvain optimises):
 * Q = (1/m) Σ_ij [A_ij − γ k_i^out k_j^in / m] δ(c_i, c_j), m = Σ_ij A_ij.
 * Undirected: Q = (1/2m) Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j), with A symmetric
 * (each listed edge counted in both directions, a self-loop once on the diagonal).
 * Computed per community as Σ_c [W_c/m − γ K_c^out K_c^in / m²] in O(edges + n).
 *
 * @param graph - a weighted graph (nonnegative weights)
 * @param labels - a community label per node
 * @param options - `resolution` γ (default 1)
 * @returns Q (0 for a graph without edges)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `labels.length !== graph.n`
 * @example
 * ```ts
 * modularity(g, detectCommunities(g).labels);
 * ```
 */
export function modularity(graph: Graph, labels: ArrayLike<number>, options?: ModularityOptions): number {
  const g = checkGraph("graph", graph);
  const lab = checkLabels("labels", labels, g.n);
  const o = checkOptions<ModularityOptions>("options", options, ["resolution"]);
  const gamma = o.resolution === undefined ? 1 : checkNumber("options.resolution", o.resolution, { min: 0 });
  return modularityUnchecked(g, lab, gamma);
}

/** {@link modularity} without the checks (the caller has validated). */
export function modularityUnchecked(g: Graph, lab: Int32Array, gamma: number): number {
  const map = new Map<number, number>();
  const c = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) {
    let k = map.get(lab[i]!);
    if (k === undefined) {
      k = map.size;
      map.set(lab[i]!, k);
    }
    c[i] = k;
  }
  const K = map.size;
  const win = new Float64Array(K),
    kout = new Float64Array(K),
    kin = new Float64Array(K);
  let m = 0;
  for (let e = 0; e < g.source.length; e++) {
    const s = g.source[e]!,
      t = g.target[e]!,
      w = g.weight[e]!;
    const cs = c[s]!,
      ct = c[t]!;
    const both = !g.directed && s !== t;
    const mult = both ? 2 : 1;
    m += mult * w;
    kout[cs]! += w;
    kin[ct]! += w;
    if (both) {
      kout[ct]! += w;
      kin[cs]! += w;
    }
    if (cs === ct) win[cs]! += mult * w;
  }
  if (m === 0) return 0;
  let q = 0;
  for (let k = 0; k < K; k++) q += win[k]! / m - (gamma * kout[k]! * kin[k]!) / (m * m);
  return q;
}
