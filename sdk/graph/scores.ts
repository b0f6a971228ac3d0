/**
 * Scores of an inferred graph against a simulator's ground truth: edge AUROC
 * on all observed E→E pairs, within clusters and between clusters, each beside
 * the AUROC of the "same cluster" indicator on the same pairs, plus ARI / NMI
 * of the communities.
 *
 * @module
 */
import { DgrnShapeError, DgrnTypeError } from "../errors.js";
import type { Graph } from "../types.js";
import { message } from "../validate.js";
import { checkGraph } from "./graph.js";
import { adjustedRandIndex, auroc, normalizedMutualInfo } from "./metrics.js";

/** Edge AUROC on one set of pairs. */
export interface EdgeScoreSet {
  /** AUROC of the inferred scores z_ij for "i → j is a synapse" (null when the set lacks positives or negatives). */
  auroc: number | null;
  /** AUROC of the "same true cluster" indicator on the same pairs (0.5 within or between clusters, where it is constant). */
  sameCluster: number | null;
  /** Ordered pairs in the set. */
  pairs: number;
  /** Of which true synapses. */
  synapses: number;
}

/** What {@link scoreGraph} returns. */
export interface GraphScores {
  /** Edge AUROC on all observed E→E pairs (= `edges.all.auroc`). */
  auroc: number | null;
  /** ARI of the communities of the observed excitatory neurons vs their true clusters. */
  ari: number | null;
  /** NMI of the same. */
  nmi: number | null;
  /** Edge AUROC on all observed E→E pairs, within-cluster pairs and between-cluster pairs. */
  edges: { all: EdgeScoreSet; within: EdgeScoreSet; between: EdgeScoreSet };
}

/**
 * AUROC of a binary score: with a = P(s = 1 | positive), b = P(s = 1 | negative),
 * AUROC = a(1 − b) + ½(ab + (1 − a)(1 − b)) (ties count one half).
 */
function binaryAuroc(posOn: number, pos: number, negOn: number, neg: number): number | null {
  if (pos === 0 || neg === 0) return null;
  const a = posOn / pos,
    b = negOn / neg;
  return a * (1 - b) + 0.5 * (a * b + (1 - a) * (1 - b));
}

/**
 * Score an inferred graph against ground truth (ours: the scoring protocol of
 * docs/graph.md §6). Pairs are ordered pairs (i, j), i ≠ j, of observed
 * excitatory neurons; a pair is positive when the truth has a synapse i → j
 * with weight > 0; "within" pairs share a true cluster.
 *
 * @param inferred - the inferred graph's dense scores `z` (row-major n × n, i → j) and `nodeIds` (observed index → truth neuron id; default 0..n−1)
 * @param communities - community label of each observed node (length n)
 * @param truth - `clusters` (cluster per truth neuron, −1 inhibitory) and `weights` (the true synapses)
 * @returns {@link GraphScores}
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a missing `z` or truth field
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when lengths disagree
 * @example
 * ```ts
 * const s = scoreGraph(g, com.labels, sim.truth);
 * s.edges.within.auroc; // synapses found beyond co-activity?
 * ```
 */
export function scoreGraph(
  inferred: { n: number; z: Float64Array; nodeIds?: Int32Array },
  communities: ArrayLike<number>,
  truth: { clusters: Int32Array; weights: Graph },
): GraphScores {
  if (!(inferred?.z instanceof Float64Array))
    throw new DgrnTypeError(message("inferred.z", "a Float64Array", inferred?.z));
  if (!(truth?.clusters instanceof Int32Array))
    throw new DgrnTypeError(message("truth.clusters", "an Int32Array", truth?.clusters));
  const w = checkGraph("truth.weights", truth.weights);
  const n = inferred.n;
  if (inferred.z.length !== n * n)
    throw new DgrnShapeError(message("inferred.z.length", `n * n = ${n * n}`, inferred.z.length));
  if (communities.length !== n)
    throw new DgrnShapeError(message("communities.length", `inferred.n = ${n}`, communities.length));
  const ids = inferred.nodeIds ?? Int32Array.from({ length: n }, (_, i) => i);
  const N = truth.clusters.length;
  const cl = truth.clusters;
  // Observed excitatory neurons, and truth id → their position among them.
  const exc: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= N) throw new DgrnShapeError(message(`inferred.nodeIds[${i}]`, `a neuron id below ${N}`, id));
    if (cl[id]! >= 0) exc.push(i);
  }
  const m = exc.length;
  const pos = new Int32Array(N).fill(-1);
  exc.forEach((i, a) => (pos[ids[i]!] = a));
  const syn = new Uint8Array(m * m);
  for (let e = 0; e < w.source.length; e++) {
    const a = pos[w.source[e]!]!,
      b = pos[w.target[e]!]!;
    if (a >= 0 && b >= 0 && a !== b && w.weight[e]! > 0) syn[a * m + b] = 1;
  }
  // Typed arrays of exactly the pairs of each set (no per-pair pushes: 16 M pairs at 5,000 units).
  let nWithin = 0;
  for (let a = 0; a < m; a++) {
    const ci = cl[ids[exc[a]!]!]!;
    for (let b = 0; b < m; b++) if (a !== b && cl[ids[exc[b]!]!]! === ci) nWithin++;
  }
  const nAll = m * (m - 1);
  const sets = {
    all: { s: new Float64Array(nAll), y: new Uint8Array(nAll) },
    within: { s: new Float64Array(nWithin), y: new Uint8Array(nWithin) },
    between: { s: new Float64Array(nAll - nWithin), y: new Uint8Array(nAll - nWithin) },
  };
  // Counts for the same-cluster indicator on all pairs: [positives in same cluster, positives, negatives in same cluster, negatives].
  let posSame = 0,
    nPos = 0,
    negSame = 0,
    nNeg = 0;
  let qa = 0,
    qw = 0,
    qb = 0;
  for (let a = 0; a < m; a++) {
    const i = exc[a]!;
    const ci = cl[ids[i]!]!;
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const j = exc[b]!;
      const same = cl[ids[j]!]! === ci;
      const y = syn[a * m + b]!;
      const s = inferred.z[i * n + j]!;
      sets.all.s[qa] = s;
      sets.all.y[qa++] = y;
      if (same) {
        sets.within.s[qw] = s;
        sets.within.y[qw++] = y;
      } else {
        sets.between.s[qb] = s;
        sets.between.y[qb++] = y;
      }
      if (y) {
        nPos++;
        if (same) posSame++;
      } else {
        nNeg++;
        if (same) negSame++;
      }
    }
  }
  const score = (set: { s: Float64Array; y: Uint8Array }, sameCluster: number | null): EdgeScoreSet => {
    let k = 0;
    for (const v of set.y) k += v;
    const ok = k > 0 && k < set.y.length;
    return {
      auroc: ok ? auroc(set.s, set.y) : null,
      sameCluster: ok ? sameCluster : null,
      pairs: set.y.length,
      synapses: k,
    };
  };
  const edges = {
    all: score(sets.all, binaryAuroc(posSame, nPos, negSame, nNeg)),
    within: score(sets.within, 0.5),
    between: score(sets.between, 0.5),
  };
  const got = exc.map((i) => communities[i]!);
  const want = exc.map((i) => cl[ids[i]!]!);
  return {
    auroc: edges.all.auroc,
    ari: m > 1 ? adjustedRandIndex(got, want) : null,
    nmi: m > 1 ? normalizedMutualInfo(got, want) : null,
    edges,
  };
}
