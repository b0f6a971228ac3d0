/**
 * Kadanoff supernodes at a diffusion time τ: the ρ′ rule of Villegas et al.
 * (2023) and the mode-elimination rule of Nurisso et al. (higher-order LRG),
 * from an eigendecomposition (dense) or from ρ entries computed any other way
 * (Krylov, for SLQ).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { Matrix } from "../validate.js";
import type { LrgExports } from "./kernel.js";
import { UnionFind, type SymEdges } from "./graph.js";
import { exp } from "../math.js";

/** Entries of the unnormalised heat kernel (any common positive scale): the diagonal and the pairs asked for. */
export interface RhoEntries {
  /** ρ_ii for every node. */
  diag: Float64Array;
  /** ρ_ij for pair p = (pi[p], pj[p]). */
  pi: Int32Array;
  pj: Int32Array;
  pair: Float64Array;
}

/** Relative tolerance of the ρ′ ≥ 1 test (rounding in ρ is ~ n·ε). */
export const RHO_TOLERANCE = 1e-10;

/** Mode weights e^{−τ(λ_c − λ_1)} and how many leading modes carry them (the rest underflow). */
export function modeWeights(values: Float64Array, tau: number): { mu: Float64Array; k: number } {
  const n = values.length;
  const l1 = n ? values[0]! : 0;
  let k = 0;
  while (k < n && tau * (values[k]! - l1) < 745) k++;
  const mu = new Float64Array(k);
  for (let c = 0; c < k; c++) mu[c] = exp(-tau * (values[c]! - l1));
  return { mu, k };
}

/** ρ on the diagonal and on the given pairs, from eigenvectors V (row-major, column c for values[c]). */
export function rhoFromEigen(
  values: Float64Array,
  vectors: Matrix,
  tau: number,
  pi: Int32Array,
  pj: Int32Array,
): RhoEntries {
  const n = values.length;
  const { mu, k } = modeWeights(values, tau);
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  return kern.scope((s) => {
    const v = s.copyF64(vectors.data);
    const m = s.copyF64(mu);
    const di = new Int32Array(n);
    for (let i = 0; i < n; i++) di[i] = i;
    const dp = s.copyI32(di);
    const dOut = s.f64(n);
    f.lrgRhoPairs(k, v, n, m, n, dp, dp, dOut);
    const np = pi.length;
    const pOut = s.f64(np);
    if (np) f.lrgRhoPairs(k, v, n, m, np, s.copyI32(pi), s.copyI32(pj), pOut);
    return { diag: kern.readF64(dOut, n), pi, pj, pair: kern.readF64(pOut, np) };
  });
}

/** The full matrix ρ (unnormalised), for the unrestricted ρ′ rule. */
export function rhoFullFromEigen(values: Float64Array, vectors: Matrix, tau: number): Float64Array {
  const n = values.length;
  const { mu, k } = modeWeights(values, tau);
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  return kern.scope((s) => {
    const out = s.f64(n * n);
    f.lrgRhoFull(n, k, s.copyF64(vectors.data), n, s.copyF64(mu), out);
    return kern.readF64(out, n * n);
  });
}

/** Labels and their number. */
export interface Partition {
  labels: Int32Array;
  count: number;
}

/** ρ′ rule on the pairs given: link i–j when ρ_ij ≥ (1 − tol) min(ρ_ii, ρ_jj); supernodes = components. */
export function rhoPrimePartition(n: number, rho: RhoEntries, tol = RHO_TOLERANCE): Partition {
  const uf = new UnionFind(n);
  for (let p = 0; p < rho.pair.length; p++) {
    const a = rho.pi[p]!,
      b = rho.pj[p]!;
    if (a === b) continue;
    if (rho.pair[p]! >= (1 - tol) * Math.min(rho.diag[a]!, rho.diag[b]!)) uf.union(a, b);
  }
  return { labels: uf.labels(), count: uf.count };
}

/** ρ′ rule over every pair, from the full matrix. */
export function rhoPrimePartitionFull(n: number, rho: Float64Array, tol = RHO_TOLERANCE): Partition {
  const uf = new UnionFind(n);
  for (let a = 0; a < n; a++) {
    const raa = rho[a * n + a]!;
    for (let b = a + 1; b < n; b++) {
      if (rho[a * n + b]! >= (1 - tol) * Math.min(raa, rho[b * n + b]!)) uf.union(a, b);
    }
  }
  return { labels: uf.labels(), count: uf.count };
}

/**
 * Mode elimination: merge graph edges in descending ρ_ij with union-find until
 * `target` groups remain (or the edges run out). Ties in ρ_ij (common on
 * vertex-transitive graphs) go to the pair whose merged group would be
 * smallest, then to the lower edge index, so a cycle coarse-grains into balanced arcs.
 */
export function modesPartition(g: SymEdges, rhoPair: Float64Array, target: number): Partition {
  const n = g.n;
  const uf = new UnionFind(n);
  if (target >= n) return { labels: uf.labels(), count: n };
  const order = Array.from({ length: rhoPair.length }, (_, e) => e);
  order.sort((a, b) => rhoPair[b]! - rhoPair[a]! || a - b);
  let p = 0;
  while (uf.count > target && p < order.length) {
    // the block of edges tied with order[p] (relative 1e-12)
    const top = rhoPair[order[p]!]!;
    let q = p;
    while (q < order.length && rhoPair[order[q]!]! >= top - 1e-12 * Math.abs(top)) q++;
    // (blocks above 4,096 tied edges are taken in index order: the size-aware
    // choice below is quadratic in the block)
    if (q - p > 4096) {
      for (let r = p; r < q && uf.count > target; r++) uf.union(g.i[order[r]!]!, g.j[order[r]!]!);
      p = q;
      continue;
    }
    const block = order.slice(p, q);
    // within a tie block: repeatedly take the edge joining the two smallest groups
    let live = block.filter((e) => uf.find(g.i[e]!) !== uf.find(g.j[e]!));
    while (live.length && uf.count > target) {
      let best = -1,
        bestSize = Infinity;
      for (const e of live) {
        const sz = uf.size[uf.find(g.i[e]!)]! + uf.size[uf.find(g.j[e]!)]!;
        if (sz < bestSize) {
          bestSize = sz;
          best = e;
        }
      }
      uf.union(g.i[best]!, g.j[best]!);
      live = live.filter((e) => uf.find(g.i[e]!) !== uf.find(g.j[e]!));
    }
    p = q;
  }
  return { labels: uf.labels(), count: uf.count };
}
