/**
 * Node order for the tensor network (MISSION.md §2): communities laid out in
 * the order of the metagraph's Fiedler vector, nodes inside each community in
 * the order of the Fiedler vector of its subgraph. Correlated units end up
 * adjacent, which keeps bond dimensions small.
 *
 * @module
 */
import { eigh } from "../linalg/eigh.js";
import type { Graph } from "../types.js";
import { checkGraph, checkLabels } from "./graph.js";
import { laplacian } from "./diffusion.js";
import { canonicalLabels } from "./communities.js";

/**
 * Fiedler vector of a symmetric weighted adjacency (m × m, row-major): the
 * eigenvector of the second smallest Laplacian eigenvalue, with its sign fixed
 * so that the entry of largest magnitude (first on ties) is positive. For
 * m ≤ 2 returns 0, 1, … (the order is then arbitrary but deterministic).
 *
 * @param m - number of nodes
 * @param a - symmetric m × m adjacency, row-major (not checked)
 * @returns a new Float64Array of length m
 * @example
 * ```ts
 * fiedlerVector(3, Float64Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0])); // ends of the path have opposite signs
 * ```
 */
export function fiedlerVector(m: number, a: Float64Array): Float64Array {
  if (m <= 2) return Float64Array.from({ length: m }, (_, i) => i);
  const { l } = laplacian(m, a);
  const { vectors } = eigh({ rows: m, cols: m, data: l });
  const v = new Float64Array(m);
  let big = 0,
    arg = 0;
  for (let i = 0; i < m; i++) {
    v[i] = vectors!.data[i * m + 1]!;
    if (Math.abs(v[i]!) > big + 1e-12) {
      big = Math.abs(v[i]!);
      arg = i;
    }
  }
  if (v[arg]! < 0) for (let i = 0; i < m; i++) v[i] = -v[i]!;
  return v;
}

function sortBy(items: number[], key: (x: number) => number): number[] {
  return items.slice().sort((x, y) => key(x) - key(y) || x - y);
}

/**
 * The node order: a permutation, position → node.
 *
 * @param graph - a weighted graph (directed graphs are symmetrised, (A + Aᵀ)/2)
 * @param labels - a community label per node (e.g. {@link detectCommunities}`(graph).labels`)
 * @returns Int32Array of length n: `order[p]` is the node at position p; each community is contiguous
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `labels.length !== graph.n`
 * @example
 * ```ts
 * const order = communityOrder(g, detectCommunities(g).labels);
 * ```
 */
export function communityOrder(graph: Graph, labels: ArrayLike<number>): Int32Array {
  const g = checkGraph("graph", graph);
  const lab = canonicalLabels(checkLabels("labels", labels, g.n));
  const n = g.n;
  let K = 0;
  for (let i = 0; i < n; i++) K = Math.max(K, lab[i]! + 1);
  const members: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < n; i++) members[lab[i]!]!.push(i);
  // Metagraph and per-community subgraphs from the symmetrised edge list.
  const meta = new Float64Array(K * K);
  const local = new Int32Array(n);
  for (const mem of members) mem.forEach((v, p) => (local[v] = p));
  const sub = members.map((mem) => new Float64Array(mem.length * mem.length));
  for (let e = 0; e < g.source.length; e++) {
    const s = g.source[e]!,
      t = g.target[e]!;
    if (s === t) continue;
    const w = g.directed ? g.weight[e]! / 2 : g.weight[e]!;
    const a = lab[s]!,
      b = lab[t]!;
    if (a !== b) {
      meta[a * K + b]! += w;
      meta[b * K + a]! += w;
    } else {
      const m = members[a]!.length;
      const arr = sub[a]!;
      arr[local[s]! * m + local[t]!]! += w;
      arr[local[t]! * m + local[s]!]! += w;
    }
  }
  const fm = fiedlerVector(K, meta);
  const comOrder = sortBy(
    Array.from({ length: K }, (_, c) => c),
    (c) => fm[c]!,
  );
  const out = new Int32Array(n);
  let p = 0;
  for (const c of comOrder) {
    const mem = members[c]!;
    const f = fiedlerVector(mem.length, sub[c]!);
    for (const q of sortBy(
      Array.from({ length: mem.length }, (_, i) => i),
      (i) => f[i]!,
    ))
      out[p++] = mem[q]!;
  }
  return out;
}
