/**
 * Latent diffusion: the heat kernel K(τ) = e^{−τL} of an inferred graph, as a
 * new undirected weighted graph. Diffusion spreads weight along indirect paths
 * (through units that were never observed, whose influence shows only as
 * chains of observed couplings), so communities are found on K rather than on
 * the sparse, noisy inferred edges.
 *
 * L = D − A_s with A_s = (A + Aᵀ)/2 the symmetrised weights (MISSION.md §3).
 * τ is given in units of 1/⟨k⟩, the inverse mean weighted degree of A_s (ours),
 * so the default does not depend on the scale of the weights.
 *
 * @module
 */
import { expmSym } from "../linalg/expm.js";
import type { Graph } from "../types.js";
import { checkInteger, checkNumber, checkOptions } from "../validate.js";
import { checkGraph, toDense } from "./graph.js";

/** Options of {@link latentDiffusion}. */
export interface DiffusionOptions {
  /** Diffusion time in units of 1/⟨k⟩ (mean weighted degree). Default 1. */
  tau?: number;
  /** Keep the `neighbors` largest entries of each row of K (union over rows); 0 keeps all. Default 30. */
  neighbors?: number;
}

/** Symmetrised dense adjacency (A + Aᵀ)/2 with a zero diagonal. */
export function symmetrize(g: Graph): Float64Array {
  const n = g.n;
  const a = toDense(g);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) s[i * n + j] = g.directed ? (a[i * n + j]! + a[j * n + i]!) / 2 : a[i * n + j]!;
  }
  return s;
}

/** Dense Laplacian D − A of a symmetric adjacency, and its mean degree. */
export function laplacian(n: number, a: Float64Array): { l: Float64Array; meanDegree: number } {
  const l = new Float64Array(n * n);
  let tot = 0;
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = 0; j < n; j++) {
      const v = a[i * n + j]!;
      d += v;
      l[i * n + j] = -v;
    }
    l[i * n + i] = d;
    tot += d;
  }
  return { l, meanDegree: n ? tot / n : 0 };
}

/**
 * The heat kernel e^{−τL} of a graph as an undirected weighted graph (diagonal dropped).
 *
 * @param graph - a weighted graph with nonnegative weights (directed graphs are symmetrised)
 * @param options - `tau` in units of 1/⟨k⟩ (default 1); `neighbors` kept per node (default 30, 0 = all)
 * @returns an undirected graph on the same nodes, weights K_ij (i < j)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative `tau` or `neighbors`
 * @example
 * ```ts
 * const k = latentDiffusion(inferGraph(binned), { tau: 1 });
 * detectCommunities(k, { seed: 1 });
 * ```
 */
export function latentDiffusion(graph: Graph, options?: DiffusionOptions): Graph {
  const g = checkGraph("graph", graph, { nonnegative: true });
  const { tau, neighbors } = resolveDiffusionOptions(options);
  return diffuseUnchecked(g, tau, neighbors);
}

/** The options of {@link latentDiffusion}, checked and filled (no graph needed). */
export function resolveDiffusionOptions(options: unknown): Required<DiffusionOptions> {
  const o = checkOptions<DiffusionOptions>("options", options, ["tau", "neighbors"]);
  return {
    tau: o.tau === undefined ? 1 : checkNumber("options.tau", o.tau, { min: 0 }),
    neighbors: o.neighbors === undefined ? 30 : checkInteger("options.neighbors", o.neighbors, { min: 0 }),
  };
}

/** {@link latentDiffusion} on a checked graph. */
export function diffuseUnchecked(g: Graph, tau: number, keep: number): Graph {
  const n = g.n;
  const a = symmetrize(g);
  const { l, meanDegree } = laplacian(n, a);
  const t = meanDegree > 0 ? tau / meanDegree : 0;
  const K = expmSym({ rows: n, cols: n, data: l }, t).data;
  const mark = new Uint8Array(n * n);
  if (keep > 0 && keep < n - 1) {
    const idx = new Int32Array(n - 1);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < n; j++) if (j !== i) idx[c++] = j;
      const sorted = Array.from(idx).sort((x, y) => K[i * n + y]! - K[i * n + x]! || x - y);
      for (let q = 0; q < keep; q++) {
        const j = sorted[q]!;
        mark[Math.min(i, j) * n + Math.max(i, j)] = 1;
      }
    }
  } else for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) mark[i * n + j] = 1;
  const src: number[] = [], tgt: number[] = [], w: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = K[i * n + j]!;
      if (mark[i * n + j] && v > 0) {
        src.push(i);
        tgt.push(j);
        w.push(v);
      }
    }
  }
  return {
    n,
    directed: false,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
    ...(g.nodeIds ? { nodeIds: g.nodeIds } : {}),
  };
}
