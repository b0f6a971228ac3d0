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
 * Default method (`"chebyshev"`): no dense n×n step. K is applied to blocks of
 * unit vectors on the sparse Laplacian by its Chebyshev expansion,
 *   e^{−tL} = e^{−c} [I_0(c) + 2 Σ_{k≥1} (−1)^k I_k(c) T_k(S)],  S = (2/λ̄) L − I,  c = tλ̄/2,
 * with λ̄ = 2·max_i d_i ≥ λ_max(L) (Gershgorin) and I_k the modified Bessel
 * functions (Abramowitz & Stegun 9.6.34; the expansion as in Hochbruck & Lubich
 * 1997 / Druskin & Knizhnerman 1989). The series is cut when |a_k| < 1e−15 past
 * k > c, and t is split into s = ⌈c/32⌉ equal steps so e^{c} never overflows.
 * Each column of K is reduced to its top `neighbors` entries at once, so memory
 * is O(n·b + n·neighbors) (b = 32 columns per block). Cost: O(deg · nnz · n),
 * vs O(n³) for the dense eigendecomposition (`method: "dense"`, kept as the
 * reference). Both agree to 1e−12 per entry (tests/graph/diffusion.test.ts).
 * Before either, a node with more than `maxDegree` neighbours keeps only its
 * heaviest (default 64; {@link heaviestEdges}), so nnz ≤ 2·maxDegree·n.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { LinalgExports } from "../linalg/kernel.js";
import { expmSym } from "../linalg/expm.js";
import { exp } from "../math.js";
import type { WorkerPool } from "../parallel/pool.js";
import type { Graph } from "../types.js";
import { checkInteger, checkNumber, checkOneOf, checkOptions } from "../validate.js";
import { LIMITS } from "../limits.js";
import { checkGraph, sparseLaplacian, toDense } from "./graph.js";

/** Options of {@link latentDiffusion}. */
export interface DiffusionOptions {
  /** Diffusion time in units of 1/⟨k⟩ (mean weighted degree). Default 1. */
  tau?: number;
  /** Keep the `neighbors` largest entries of each row of K (union over rows); 0 keeps all. Default 30. */
  neighbors?: number;
  /** `"chebyshev"` (default): sparse Chebyshev action, no dense step; `"dense"`: eigendecomposition of the dense Laplacian (the reference). */
  method?: "chebyshev" | "dense";
  /**
   * Diffuse the graph of each node's `maxDegree` heaviest edges (of the
   * symmetrised weights; an edge stays when either end keeps it), a k-nearest-
   * neighbour graph, when some node has more; 0 diffuses every edge. A graph
   * whose degrees are all ≤ maxDegree is diffused as it is. τ stays in units of
   * the given graph's 1/⟨k⟩. Default {@link DIFFUSION_MAX_DEGREE}.
   */
  maxDegree?: number;
}

/**
 * Default `maxDegree` of {@link latentDiffusion} (ours). The Chebyshev action
 * costs ~ n · nnz · terms, and the partial graph's nnz is every
 * within-community pair (n²/K): 2.5 M edges and 33 s at 5,000 nodes. Capped
 * at this degree it is ≤ n · 2·cap·n (48 → 7 s at 5,000 nodes). On the
 * default run (N = 1,000, seed 1) no node has more than 60 neighbours, so it
 * diffuses the same graph as before; the measured effect at N = 1,000–10⁴
 * (communities and RG flow unchanged) is in docs/graph.md §2, "Input degree cap".
 */
export const DIFFUSION_MAX_DEGREE = 64;

/** Symmetrised dense adjacency (A + Aᵀ)/2 with a zero diagonal. */
export function symmetrize(g: Graph): Float64Array {
  const n = g.n;
  const a = toDense(g);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      if (i !== j) s[i * n + j] = g.directed ? (a[i * n + j]! + a[j * n + i]!) / 2 : a[i * n + j]!;
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
  const g0 = checkGraph("graph", graph, { nonnegative: true });
  const { tau, neighbors, method, maxDegree } = resolveDiffusionOptions(options);
  const { graph: g, meanDegree } = degreeCap(g0, maxDegree);
  return method === "dense"
    ? diffuseUnchecked(g, tau, neighbors, meanDegree)
    : diffuseChebyshev(g, tau, neighbors, meanDegree);
}

/**
 * The graph of each node's `k` heaviest edges: the symmetrised weights
 * (A + Aᵀ)/2 (as the Laplacian sees them), each node's `k` largest by (weight
 * desc, neighbour asc), an edge kept when either end keeps it; undirected.
 * Returns `g` itself when k = 0 or no node has more than k neighbours.
 *
 * @param g - a checked graph
 * @param k - edges kept per node (0 = all)
 * @returns the sparsified graph (or `g`)
 * @example
 * ```ts
 * heaviestEdges(g, 128).source.length; // ≤ 128 · g.n
 * ```
 */
export function heaviestEdges(g: Graph, k: number): Graph {
  return degreeCap(g, k).graph;
}

/** What {@link degreeCap} did to a graph before its diffusion. */
export interface DegreeCap {
  /** The graph that is diffused: `g` itself when nothing was cut. */
  graph: Graph;
  /** When it sparsified: the input graph's mean weighted degree (the diffusion time's unit). */
  meanDegree?: number;
  /** Nodes with more than `maxDegree` neighbours (0: the graph is diffused as it is). */
  nodesOver: number;
  /** The largest number of neighbours of a node. */
  largestDegree: number;
  /** Undirected pairs of the symmetrised input, and of the graph that is diffused. */
  pairsGiven: number;
  pairsKept: number;
}

/** Nodes over `k` neighbours, the largest degree and the pair count of a Laplacian's rows (each holds its diagonal once). */
function rowCounts(rp: Int32Array, n: number, k: number) {
  let nodesOver = 0,
    largestDegree = 0;
  for (let i = 0; i < n; i++) {
    const d = rp[i + 1]! - rp[i]! - 1;
    if (d > k) nodesOver++;
    if (d > largestDegree) largestDegree = d;
  }
  return { nodesOver, largestDegree, pairsGiven: (rp[n]! - n) / 2 };
}

/**
 * Whether {@link latentDiffusion}'s input degree cap cuts a graph, without cutting it:
 * the nodes over `k` neighbours, the largest degree, the undirected pairs (one sparse Laplacian).
 *
 * @param g - a checked graph
 * @param k - the cap (`maxDegree`; 0: none, then every count is 0)
 */
export function degreeCapCounts(g: Graph, k: number): { nodesOver: number; largestDegree: number; pairsGiven: number } {
  if (k <= 0) return { nodesOver: 0, largestDegree: 0, pairsGiven: 0 };
  return rowCounts(sparseLaplacian(g).rowPtr, g.n, k);
}

/**
 * The input degree cap of {@link latentDiffusion} with what it did: the graph
 * that is diffused and how many nodes and pairs the cap cut (the pipeline
 * reports it, results.json `graph.diffusionCap`, with a warning).
 *
 * @param g - a checked graph
 * @param k - the cap (`maxDegree`; 0: none)
 */
export function degreeCap(g: Graph, k: number): DegreeCap {
  const n = g.n;
  if (k <= 0) return { graph: g, nodesOver: 0, largestDegree: 0, pairsGiven: 0, pairsKept: 0 };
  const L = sparseLaplacian(g);
  const rp = L.rowPtr,
    ci = L.colIdx,
    lv = L.values;
  const { nodesOver, largestDegree, pairsGiven } = rowCounts(rp, n, k);
  if (nodesOver === 0) return { graph: g, nodesOver, largestDegree, pairsGiven, pairsKept: pairsGiven };
  let tot = 0;
  for (let i = 0; i < n; i++) tot += L.degree[i]!;
  // keep[q] marks CSR entry q (i, j) chosen by row i; a pair (i < j) stays when either row chose it
  const keep = new Uint8Array(ci.length);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const p0 = rp[i]!,
      p1 = rp[i + 1]!;
    if (p1 - p0 - 1 <= k) {
      for (let q = p0; q < p1; q++) keep[q] = 1;
      continue;
    }
    idx.length = 0;
    for (let q = p0; q < p1; q++) if (ci[q] !== i) idx.push(q);
    // off-diagonal values are −w: ascending value is descending weight; ties by neighbour (column order)
    idx.sort((a, b) => lv[a]! - lv[b]! || a - b);
    for (let r = 0; r < k; r++) keep[idx[r]!] = 1;
  }
  // the partner of entry (i, j) is entry (j, i): rows are sorted by column, so find it by binary search
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let q = rp[i]!; q < rp[i + 1]!; q++) {
      const j = ci[q]!;
      if (j <= i) continue;
      let chosen = keep[q] === 1;
      if (!chosen) {
        let lo = rp[j]!,
          hi = rp[j + 1]! - 1;
        while (lo < hi) {
          const m = (lo + hi) >> 1;
          if (ci[m]! < i) lo = m + 1;
          else hi = m;
        }
        chosen = keep[lo] === 1;
      }
      const v = -lv[q]!;
      if (chosen && v > 0) (src.push(i), tgt.push(j), w.push(v));
    }
  }
  return {
    graph: {
      n,
      directed: false,
      source: Int32Array.from(src),
      target: Int32Array.from(tgt),
      weight: Float64Array.from(w),
      ...(g.nodeIds ? { nodeIds: g.nodeIds } : {}),
    },
    meanDegree: n ? tot / n : 0,
    nodesOver,
    largestDegree,
    pairsGiven,
    pairsKept: src.length,
  };
}

/** The options of {@link latentDiffusion}, checked and filled (no graph needed). */
export function resolveDiffusionOptions(options: unknown): Required<DiffusionOptions> {
  const o = checkOptions<DiffusionOptions>("options", options, ["tau", "neighbors", "method", "maxDegree"]);
  return {
    // τ is in units of 1/⟨k⟩: beyond ~10 every node has spread over the whole graph, and the
    // Chebyshev action's cost grows with τ, so a stated limit (ours) stops a typo such as 1e308 from hanging.
    tau: o.tau === undefined ? 1 : checkNumber("options.tau", o.tau, { min: 0, max: 1000 }),
    neighbors: o.neighbors === undefined ? 30 : checkInteger("options.neighbors", o.neighbors, { min: 0 }),
    method:
      o.method === undefined ? "chebyshev" : checkOneOf("options.method", o.method, ["chebyshev", "dense"] as const),
    maxDegree:
      o.maxDegree === undefined
        ? DIFFUSION_MAX_DEGREE
        : checkInteger("options.maxDegree", o.maxDegree, { min: 0, max: LIMITS.nodes }),
  };
}

/** e^{−c}·I_k(c) for k = 0 … while it matters, as Chebyshev coefficients a_k = (2 − δ_k0)(−1)^k e^{−c} I_k(c). */
export function chebyshevExpCoefficients(c: number): Float64Array {
  const out: number[] = [];
  const ec = exp(-c);
  const h = c / 2,
    h2 = h * h;
  let lead = 1; // (c/2)^k / k!
  for (let k = 0; k < 10000; k++) {
    if (k > 0) lead = (lead * h) / k;
    // I_k(c) = Σ_j (c/2)^{2j+k} / (j! (j+k)!)
    let term = lead,
      sum = lead;
    for (let j = 1; term > 1e-18 * sum; j++) {
      term = (term * h2) / (j * (j + k));
      sum += term;
    }
    const a = (k === 0 ? 1 : 2) * ec * sum;
    out.push(k % 2 === 0 ? a : -a);
    if (k > c && a < 1e-15) break;
  }
  return Float64Array.from(out);
}

/** Columns per block of the Chebyshev action (even; the kernel runs 8 at a time). */
const BLOCK = 32;

/** Everything the column blocks need: the Laplacian in CSR, the scaling, the coefficients (structured-cloneable). */
export interface ChebyshevPlan {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
  /** S = alpha·L − I. */
  alpha: number;
  coef: Float64Array;
  /** The time is applied in `steps` equal steps. */
  steps: number;
  /** Entries kept per column. */
  take: number;
}

/**
 * The {@link ChebyshevPlan} of a checked graph; `timeDegree` (default: this
 * graph's mean weighted degree) is the ⟨k⟩ that τ is in units of — the input
 * graph's when `g` is its {@link heaviestEdges} sparsification.
 */
export function chebyshevPlan(g: Graph, tau: number, keep: number, timeDegree?: number): ChebyshevPlan {
  const n = g.n;
  const L = sparseLaplacian(g);
  let tot = 0,
    dmax = 0;
  for (let i = 0; i < n; i++) {
    tot += L.degree[i]!;
    if (L.degree[i]! > dmax) dmax = L.degree[i]!;
  }
  const meanDegree = timeDegree ?? (n ? tot / n : 0);
  const t = meanDegree > 0 ? tau / meanDegree : 0;
  const lam = 2 * dmax;
  const cTot = (t * lam) / 2;
  const steps = Math.max(1, Math.ceil(cTot / 32));
  const all = keep === 0 || keep >= n - 1;
  return {
    n,
    rowPtr: L.rowPtr,
    colIdx: L.colIdx,
    values: L.values,
    alpha: lam > 0 ? 2 / lam : 0,
    coef: chebyshevExpCoefficients(cTot / steps),
    steps,
    take: Math.max(0, all ? n - 1 : keep),
  };
}

/** Selected entries of some columns: pair keys min·n + max and values, in column order. */
export interface ColumnPairs {
  key: Float64Array;
  val: Float64Array;
}

/**
 * Columns j0 … j1−1 of e^{−tL}, each reduced to its top `plan.take` off-diagonal
 * entries by (value desc, row asc). Each column's result depends only on the
 * plan and the column, so any split of the columns gives the same pairs.
 *
 * @param plan - from {@link chebyshevPlan}
 * @param j0 - first column
 * @param j1 - one past the last column
 * @returns the selected pairs, column by column
 */
export function diffusionColumns(plan: ChebyshevPlan, j0: number, j1: number): ColumnPairs {
  const { n, coef, steps, take, alpha } = plan;
  const pairKey = new Float64Array((j1 - j0) * take),
    pairVal = new Float64Array((j1 - j0) * take);
  let np = 0;
  const heapV = new Float64Array(take),
    heapI = new Int32Array(take);
  const k = getKernel();
  const f = k.fn<LinalgExports>();
  k.scope((s) => {
    const rp = s.copyI32(plan.rowPtr),
      ci = s.copyI32(plan.colIdx),
      vp = s.copyF64(plan.values);
    const cp = s.copyF64(coef);
    const b = BLOCK;
    const x = s.f64(n * b),
      y = s.f64(n * b),
      y2 = s.f64(n * b);
    const work = s.bytes(f.dchebmmWorkSize(n, b));
    for (let c0 = j0; c0 < j1; c0 += b) {
      const w = Math.min(b, j1 - c0);
      const X = k.f64(x, n * b);
      X.fill(0);
      for (let c = 0; c < w; c++) X[(c0 + c) * b + c] = 1;
      let src = x,
        dst = y;
      for (let r = 0; r < steps; r++) {
        f.dchebmm(n, rp, ci, vp, alpha, -1, b, src, cp, coef.length - 1, dst, work);
        src = dst;
        dst = dst === y ? y2 : y;
      }
      const Y = k.f64(src, n * b);
      for (let c = 0; c < w; c++) {
        const i = c0 + c;
        // top `take` of column i over rows r ≠ i, by (value desc, index asc): a min-heap on (value, −index)
        let h = 0;
        for (let r = 0; r < n; r++) {
          if (r === i) continue;
          const v = Y[r * b + c]!;
          if (h < take) {
            let p = h++;
            while (p > 0) {
              const u = (p - 1) >> 1;
              if (heapV[u]! < v || (heapV[u] === v && heapI[u]! > r)) break;
              heapV[p] = heapV[u]!;
              heapI[p] = heapI[u]!;
              p = u;
            }
            heapV[p] = v;
            heapI[p] = r;
          } else if (v > heapV[0]! || (v === heapV[0] && r < heapI[0]!)) {
            let p = 0;
            for (;;) {
              let m = 2 * p + 1;
              if (m >= h) break;
              if (m + 1 < h && (heapV[m + 1]! < heapV[m]! || (heapV[m + 1] === heapV[m] && heapI[m + 1]! > heapI[m]!)))
                m++;
              if (heapV[m]! > v || (heapV[m] === v && heapI[m]! < r)) break;
              heapV[p] = heapV[m]!;
              heapI[p] = heapI[m]!;
              p = m;
            }
            heapV[p] = v;
            heapI[p] = r;
          }
        }
        for (let q = 0; q < h; q++) {
          const r = heapI[q]!;
          pairKey[np] = i < r ? i * n + r : r * n + i;
          pairVal[np++] = heapV[q]!;
        }
      }
    }
  });
  return { key: pairKey.slice(0, np), val: pairVal.slice(0, np) };
}

/** The diffusion graph from the selected pairs of all columns (in column order). */
export function pairsToGraph(g: Graph, parts: ColumnPairs[]): Graph {
  const n = g.n;
  let np = 0;
  for (const p of parts) np += p.key.length;
  const pairKey = new Float64Array(np),
    pairVal = new Float64Array(np);
  let o = 0;
  for (const p of parts) {
    pairKey.set(p.key, o);
    pairVal.set(p.val, o);
    o += p.key.length;
  }
  // sort pairs by key; a pair chosen from both ends takes the mean of its two values (K is symmetric)
  const order = new Int32Array(np);
  for (let q = 0; q < np; q++) order[q] = q;
  order.sort((a, b) => pairKey[a]! - pairKey[b]! || a - b);
  const src: number[] = [],
    tgt: number[] = [],
    wts: number[] = [];
  for (let q = 0; q < np;) {
    const key = pairKey[order[q]!]!;
    let v = pairVal[order[q]!]!;
    if (q + 1 < np && pairKey[order[q + 1]!] === key) {
      v = 0.5 * (v + pairVal[order[q + 1]!]!);
      q += 2;
    } else q += 1;
    if (v > 0) {
      const i = Math.floor(key / n);
      src.push(i);
      tgt.push(key - i * n);
      wts.push(v);
    }
  }
  return {
    n,
    directed: false,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(wts),
    ...(g.nodeIds ? { nodeIds: g.nodeIds } : {}),
  };
}

/** Columns per task of {@link latentDiffusionAsync}: fixed, so the split does not depend on the pool. */
export const COLUMNS_PER_TASK = 256;

/**
 * {@link latentDiffusion} by the sparse Chebyshev action on a checked graph (no dense n×n array).
 *
 * @param g - a checked graph
 * @param tau - diffusion time in units of 1/⟨k⟩
 * @param keep - neighbours kept per node (0 = all)
 * @param timeDegree - the ⟨k⟩ τ is in units of (default: g's own)
 * @returns the diffusion graph
 */
export function diffuseChebyshev(g: Graph, tau: number, keep: number, timeDegree?: number): Graph {
  const plan = chebyshevPlan(g, tau, keep, timeDegree);
  return pairsToGraph(g, [diffusionColumns(plan, 0, g.n)]);
}

/**
 * {@link latentDiffusion} on a worker pool: the columns are split into chunks of
 * {@link COLUMNS_PER_TASK}, one task each, and joined in column order, so the
 * result is bit-identical to the synchronous call for any pool size.
 *
 * @param graph - a weighted graph with nonnegative weights
 * @param options - as {@link latentDiffusion} (`method: "dense"` runs in the calling thread)
 * @param pool - a pool from `createPool` (sdk/parallel)
 * @returns the diffusion graph
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative `tau` or `neighbors`
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const k = await latentDiffusionAsync(g, { tau: 1 }, pool);
 * await pool.close();
 * ```
 */
export async function latentDiffusionAsync(
  graph: Graph,
  options: DiffusionOptions | undefined,
  pool: WorkerPool,
): Promise<Graph> {
  const g0 = checkGraph("graph", graph, { nonnegative: true });
  const { tau, neighbors: keep, method, maxDegree } = resolveDiffusionOptions(options);
  const { graph: g, meanDegree } = degreeCap(g0, maxDegree);
  if (method === "dense") return diffuseUnchecked(g, tau, keep, meanDegree);
  const plan = chebyshevPlan(g, tau, keep, meanDegree);
  const args: unknown[][] = [];
  for (let j0 = 0; j0 < g.n; j0 += COLUMNS_PER_TASK) args.push([plan, j0, Math.min(g.n, j0 + COLUMNS_PER_TASK)]);
  const parts = await pool.map<ColumnPairs>("diffusion.columns", args);
  return pairsToGraph(g, parts);
}

/** {@link latentDiffusion} by the dense eigendecomposition on a checked graph (the reference; O(n³)). */
export function diffuseUnchecked(g: Graph, tau: number, keep: number, timeDegree?: number): Graph {
  const n = g.n;
  const a = symmetrize(g);
  const { l, meanDegree: own } = laplacian(n, a);
  const meanDegree = timeDegree ?? own;
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
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
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
