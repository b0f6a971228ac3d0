/**
 * Graphs as the Laplacian RG sees them: validation of the shared {@link Graph}
 * type, the symmetrised edge set, dense and CSR Laplacians, union-find, and the
 * metagraph of a partition.
 *
 * @module
 */
import type { Graph } from "../types.js";
import type { Matrix } from "../validate.js";
import type { CsrMatrix } from "../linalg/sparse.js";
import { checkGraph, sparseLaplacian } from "../graph/graph.js";

export type { CsrMatrix };

/**
 * An undirected weighted graph with unique edges i < j and positive summed
 * weights: the form every LRG computation works on.
 */
export interface SymEdges {
  readonly n: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly w: Float64Array;
}

/**
 * Check a {@link Graph} and return its symmetrised edge set: A_s = (A + Aᵀ)/2
 * for directed graphs; undirected edges count once in each direction; repeated
 * edges add; self-loops are dropped (they cancel in L = D − A).
 */
export function symEdges(name: string, graph: unknown): SymEdges {
  // The one Graph validator (sdk/graph/graph.ts): the same defect gets the same code and message in every stage.
  const g = checkGraph(name, graph, { nonnegative: true });
  const { n, source: src, target: dst, weight: w } = g;
  const m = src.length;
  const scale = g.directed ? 0.5 : 1;
  const acc = new Map<number, number>();
  for (let e = 0; e < m; e++) {
    const x = w[e]!;
    const a = src[e]!;
    const b = dst[e]!;
    if (a === b || x === 0) continue;
    const key = a < b ? a * n + b : b * n + a;
    acc.set(key, (acc.get(key) ?? 0) + scale * x);
  }
  const keys = [...acc.keys()].sort((p, q) => p - q);
  const I = new Int32Array(keys.length);
  const J = new Int32Array(keys.length);
  const W = new Float64Array(keys.length);
  keys.forEach((key, e) => {
    I[e] = Math.floor(key / n);
    J[e] = key - I[e]! * n;
    W[e] = acc.get(key)!;
  });
  return { n, i: I, j: J, w: W };
}

/** Whether a graph has any directed edge that is not matched by its reverse with the same weight. */
export function isAsymmetric(g: Graph): boolean {
  if (!g.directed) return false;
  const acc = new Map<number, number>();
  for (let e = 0; e < g.source.length; e++) {
    const a = g.source[e]!,
      b = g.target[e]!;
    if (a === b) continue;
    acc.set(a * g.n + b, (acc.get(a * g.n + b) ?? 0) + g.weight[e]!);
  }
  for (const [key, w] of acc) {
    const a = Math.floor(key / g.n),
      b = key - a * g.n;
    if (Math.abs((acc.get(b * g.n + a) ?? 0) - w) > 1e-12 * Math.abs(w)) return true;
  }
  return false;
}

/** The dense Laplacian L = D − A_s, row-major n × n. */
export function denseLaplacian(g: SymEdges): Matrix {
  const n = g.n;
  const data = new Float64Array(n * n);
  for (let e = 0; e < g.w.length; e++) {
    const a = g.i[e]!,
      b = g.j[e]!,
      w = g.w[e]!;
    data[a * n + b] = data[a * n + b]! - w;
    data[b * n + a] = data[b * n + a]! - w;
    data[a * n + a] = data[a * n + a]! + w;
    data[b * n + b] = data[b * n + b]! + w;
  }
  return { rows: n, cols: n, data };
}

/** The Laplacian L = D − A_s in CSR, diagonal included, columns ascending within each row (the SDK's one builder, sparseLaplacian). */
export function csrLaplacian(g: SymEdges): CsrMatrix {
  const { rowPtr, colIdx, values } = sparseLaplacian(toGraph(g));
  return { rows: g.n, cols: g.n, rowPtr, colIdx, values };
}

/** Union-find with path halving and union by size. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;
  /** Number of disjoint sets. */
  count: number;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.count = n;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  /** Join the sets of a and b; returns whether they were apart. */
  union(a: number, b: number): boolean {
    let ra = this.find(a),
      rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = this.size[ra]! + this.size[rb]!;
    this.count--;
    return true;
  }
  /** Labels 0 … count−1, numbered in order of each set's smallest member. */
  labels(): Int32Array {
    const n = this.parent.length;
    const out = new Int32Array(n);
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      let l = map.get(r);
      if (l === undefined) map.set(r, (l = map.size));
      out[i] = l;
    }
    return out;
  }
}

/**
 * Rigorous upper bounds of λ_max(L): 2·(largest weighted degree) (Gershgorin) and the
 * Anderson–Morley bound max over edges of d_i + d_j (Gershgorin on the similar edge-space
 * matrix Bᵀ B W, whose rows sum to d_i + d_j; holds for positive weights). 0 without edges.
 */
export function laplacianBounds(g: SymEdges): { maxDegree: number; edgeBound: number } {
  const d = new Float64Array(g.n);
  for (let e = 0; e < g.w.length; e++) {
    d[g.i[e]!] = d[g.i[e]!]! + g.w[e]!;
    d[g.j[e]!] = d[g.j[e]!]! + g.w[e]!;
  }
  let maxDegree = 0,
    edgeBound = 0;
  for (let i = 0; i < g.n; i++) maxDegree = Math.max(maxDegree, d[i]!);
  for (let e = 0; e < g.w.length; e++) edgeBound = Math.max(edgeBound, d[g.i[e]!]! + d[g.j[e]!]!);
  return { maxDegree, edgeBound: Math.min(edgeBound, 2 * maxDegree) };
}

/** Number of connected components. */
export function componentCount(g: SymEdges): number {
  const uf = new UnionFind(g.n);
  for (let e = 0; e < g.w.length; e++) uf.union(g.i[e]!, g.j[e]!);
  return uf.count;
}

/** Groups (lists of members, ascending) of a labelling 0 … k−1. */
export function groupsOf(labels: Int32Array, k: number): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) out[labels[i]!]!.push(i);
  return out;
}

/**
 * The metagraph of a partition: one node per group, the weight between two
 * groups the sum of the weights of the edges between their members; edges
 * inside a group vanish (they would be self-loops, which cancel in L).
 */
export function metagraph(g: SymEdges, labels: Int32Array, k: number): SymEdges {
  const acc = new Map<number, number>();
  for (let e = 0; e < g.w.length; e++) {
    const a = labels[g.i[e]!]!,
      b = labels[g.j[e]!]!;
    if (a === b) continue;
    const key = a < b ? a * k + b : b * k + a;
    acc.set(key, (acc.get(key) ?? 0) + g.w[e]!);
  }
  const keys = [...acc.keys()].sort((p, q) => p - q);
  const I = new Int32Array(keys.length),
    J = new Int32Array(keys.length),
    W = new Float64Array(keys.length);
  keys.forEach((key, e) => {
    I[e] = Math.floor(key / k);
    J[e] = key - I[e]! * k;
    W[e] = acc.get(key)!;
  });
  return { n: k, i: I, j: J, w: W };
}

/** As a shared {@link Graph} (undirected). */
export function toGraph(g: SymEdges): Graph {
  return { n: g.n, directed: false, source: g.i.slice(), target: g.j.slice(), weight: g.w.slice() };
}
