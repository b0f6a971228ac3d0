/**
 * Supernodes of a large sparse graph without a dense ρ: heat-kernel entries on
 * the diagonal and on graph edges from the exactly computed low modes when they
 * carry all of e^{−τL} that matters at τ (τ·λ_{k+1} ≥ {@link MODE_CUTOFF}), else
 * from a block Chebyshev action of e^{−τL} on all unit vectors (sparse matrix ×
 * block of vectors, no Krylov basis stored). Memory O(nnz + n·(k + block)).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { LrgExports } from "./kernel.js";
import { laplacianBounds, type SymEdges } from "./graph.js";
import { loadOp } from "./scale.js";
import { exp } from "../math.js";
import type { RhoEntries } from "./supernodes.js";

/** e^{−τ(λ_{k+1} − λ_1)} below e^{−MODE_CUTOFF} is dropped: the low modes alone give ρ (ours). */
export const MODE_CUTOFF = 36;

/** The low modes of a level, copied out of kernel memory. */
export interface LevelModes {
  /** Component label per node (the null space: one indicator per component). */
  comp: Int32Array;
  compSize: Float64Array;
  /** The k lowest nonzero eigenvalues and their n×k row-major eigenvectors. */
  values: Float64Array;
  vectors: Float64Array;
  k: number;
  /** Estimate of λ_{k+1} (Infinity when every nonzero mode was computed). */
  next: number;
  /** Upper bound of the spectrum. */
  upper: number;
}

/** ρ = e^{−τL} on the diagonal and the edges, from the null space and the k low modes. */
export function rhoFromModes(g: SymEdges, m: LevelModes, tau: number): RhoEntries {
  const n = g.n,
    k = m.k;
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const mu = new Float64Array(k);
  for (let c = 0; c < k; c++) mu[c] = exp(-tau * m.values[c]!);
  const ne = g.i.length;
  const diag = new Float64Array(n),
    pair = new Float64Array(ne);
  if (k > 0) {
    kern.scope((s) => {
      const v = s.copyF64(m.vectors),
        mp = s.copyF64(mu);
      const di = new Int32Array(n);
      for (let i = 0; i < n; i++) di[i] = i;
      const dp = s.copyI32(di),
        dOut = s.f64(n);
      f.lrgRhoPairs(k, v, k, mp, n, dp, dp, dOut);
      diag.set(kern.f64(dOut, n));
      if (ne) {
        const pOut = s.f64(ne);
        f.lrgRhoPairs(k, v, k, mp, ne, s.copyI32(g.i), s.copyI32(g.j), pOut);
        pair.set(kern.f64(pOut, ne));
      }
    });
  }
  for (let i = 0; i < n; i++) diag[i] = diag[i]! + 1 / m.compSize[m.comp[i]!]!;
  for (let e = 0; e < ne; e++)
    if (m.comp[g.i[e]!] === m.comp[g.j[e]!]) pair[e] = pair[e]! + 1 / m.compSize[m.comp[g.i[e]!]!]!;
  return { diag, pi: g.i, pj: g.j, pair };
}

/**
 * Chebyshev coefficients of e^{−τx} on [0, ub]: e^{−τx} = Σ_j c_j T_j(2x/ub − 1),
 * c_0 = e^{−β}I_0(β), c_j = 2(−1)^j e^{−β}I_j(β), β = τ·ub/2, the scaled Bessel
 * functions by Miller's backward recurrence (no exponential needed), truncated
 * where they fall below 1e-16.
 */
export function chebyshevExpCoefficients(tau: number, ub: number): Float64Array {
  const beta = (tau * ub) / 2;
  const top = Math.ceil(9 * Math.sqrt(beta) + 40);
  const I = new Float64Array(top + 2);
  I[top + 1] = 0;
  I[top] = 1e-300;
  for (let j = top; j >= 1; j--) {
    I[j - 1] = I[j + 1]! + ((2 * j) / beta) * I[j]!;
    if (I[j - 1]! > 1e250) for (let q = j - 1; q <= top + 1; q++) I[q] = I[q]! * 1e-250;
  }
  let sum = I[0]!;
  for (let j = 1; j <= top; j++) sum += 2 * I[j]!;
  let d = top;
  while (d > 1 && I[d]! / sum < 1e-17) d--;
  const c = new Float64Array(d + 1);
  c[0] = I[0]! / sum;
  for (let j = 1; j <= d; j++) c[j] = 2 * (j % 2 ? -1 : 1) * (I[j]! / sum);
  return c;
}

/**
 * y[n×b] ← p(L) t0[n×b] for the Chebyshev expansion p(x) = Σ_j c_j T_j(2x/ub − 1) (three-term
 * recurrence on blocks; t0 is overwritten; t1, t2, lx are n×b scratch).
 */
function chebyshevBlock(
  op: { n: number; rp: number; cp: number; vp: number },
  coef: Float64Array,
  ub: number,
  b: number,
  t0: number,
  t1: number,
  t2: number,
  lx: number,
  y: number,
): void {
  const f = getKernel().fn<LrgExports>();
  const n = op.n,
    d = coef.length - 1;
  // T1 = L̃ T0 = (2/ub) L T0 − T0
  f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, t0, lx);
  f.lrgCombine3(n * b, 2 / ub, lx, -1, t0, 0, t0, t1);
  f.lrgCombine3(n * b, coef[0]!, t0, d >= 1 ? coef[1]! : 0, t1, 0, t0, y);
  let p0 = t0,
    p1 = t1,
    p2 = t2;
  for (let q = 2; q <= d; q++) {
    f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, p1, lx);
    // T_{q} = (4/ub) L T_{q−1} − 2 T_{q−1} − T_{q−2}
    f.lrgCombine3(n * b, 4 / ub, lx, -2, p1, -1, p0, p2);
    f.lrgCombine3(n * b, 1, y, coef[q]!, p2, 0, p2, y);
    [p0, p1, p2] = [p1, p2, p0];
  }
}

/** Edges grouped by their column node j (CSR-like: edges of column j are byCol[start[j] … start[j+1]−1]). */
function edgesByColumn(g: SymEdges): { start: Int32Array; byCol: Int32Array } {
  const n = g.n,
    ne = g.i.length;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < ne; e++) start[g.j[e]! + 1] = start[g.j[e]! + 1]! + 1;
  for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const byCol = new Int32Array(ne),
    fill = start.slice(0, n);
  for (let e = 0; e < ne; e++) byCol[fill[g.j[e]!]!++] = e;
  return { start, byCol };
}

/**
 * ρ = e^{−τL} on the diagonal and the edges by a block Chebyshev action on the
 * unit vectors, `block` columns at a time. Cost: (n / block) · degree block
 * products; the degree grows like √(τ·ub).
 */
export function rhoChebyshev(
  g: SymEdges,
  tau: number,
  ub: number,
  block: number,
  onProgress?: (f: number, m: string) => void,
): RhoEntries {
  const n = g.n;
  const coef = chebyshevExpCoefficients(tau, ub);
  // every node its own probe: group c is node c
  const start = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) start[i] = i;
  const members = start.subarray(0, n);
  return rhoByGroups(g, coef, ub, start, members, block, (done) =>
    onProgress?.(done / n, `ρ by Chebyshev (degree ${coef.length - 1}): ${done}/${n} columns`),
  );
}

/**
 * The block Chebyshev action shared by {@link rhoChebyshev} and {@link rhoProbing}: for each
 * group c of nodes (members[start[c] … start[c+1]−1]), p(L) applied to the group's indicator,
 * `block` groups at a time, read back at every member j (diagonal) and at the edges of column j.
 * Exact for p(L)_ij when no other member of j's group lies within the degree of i.
 */
function rhoByGroups(
  g: SymEdges,
  coef: Float64Array,
  ub: number,
  start: Int32Array,
  members: Int32Array,
  block: number,
  progress: (groupsDone: number) => void,
): RhoEntries {
  const n = g.n;
  const C = start.length - 1;
  const kern = getKernel();
  const B = Math.max(1, Math.min(block, C));
  const ne = g.i.length;
  // edges by column j (both directions): entry (i, j) read from column j's result
  const { start: deg, byCol } = edgesByColumn(g);
  const diag = new Float64Array(n),
    pair = new Float64Array(ne);
  kern.scope((s) => {
    const op = loadOp(s, g);
    const t0 = s.f64(n * B),
      t1 = s.f64(n * B),
      t2 = s.f64(n * B),
      y = s.f64(n * B),
      lx = s.f64(n * B);
    for (let c0 = 0; c0 < C; c0 += B) {
      const b = Math.min(B, C - c0);
      const T0 = kern.f64(t0, n * b);
      T0.fill(0);
      for (let c = 0; c < b; c++) for (let q = start[c0 + c]!; q < start[c0 + c + 1]!; q++) T0[members[q]! * b + c] = 1;
      chebyshevBlock(op, coef, ub, b, t0, t1, t2, lx, y);
      const Y = kern.f64(y, n * b);
      for (let c = 0; c < b; c++)
        for (let q = start[c0 + c]!; q < start[c0 + c + 1]!; q++) {
          const j = members[q]!;
          diag[j] = Y[j * b + c]!;
          for (let p = deg[j]!; p < deg[j + 1]!; p++) {
            const e = byCol[p]!;
            pair[e] = Y[g.i[e]! * b + c]!;
          }
        }
      progress(c0 + b);
    }
  });
  return { diag, pi: g.i, pj: g.j, pair };
}

/** Truncation error of the probing ρ: Σ_{j>d} |c_j| of the Chebyshev series of e^{−τx} (ours). */
export const PROBE_TOLERANCE = 1e-12;

/** Most colours (probe vectors) a probing ρ may use; beyond, the ball of radius d + 1 is not local (ours). */
export const PROBE_MAX_COLOURS = 4096;

/**
 * The Chebyshev series of e^{−τx} on [0, ub] cut at the lowest degree d whose dropped tail
 * Σ_{j>d} |c_j| is ≤ tol. Since |T_j| ≤ 1 on [0, ub] ⊇ spec(L), every entry of the degree-d
 * polynomial p(L) is within that tail of e^{−τL} (‖e^{−τL} − p(L)‖₂ ≤ Σ_{j>d} |c_j|).
 */
export function truncatedExpCoefficients(tau: number, ub: number, tol: number): { coef: Float64Array; tail: number } {
  const c = chebyshevExpCoefficients(tau, ub);
  let d = c.length - 1,
    tail = 0;
  while (d > 0 && tail + Math.abs(c[d]!) <= tol) tail += Math.abs(c[d--]!);
  // the full series was already cut below 1e-17 relative: count that part once more as a bound
  return { coef: c.slice(0, d + 1), tail: tail + 1e-16 };
}

/** A distance-R colouring: nodes within graph distance R of each other get different colours. */
export interface Colouring {
  colour: Int32Array;
  count: number;
  radius: number;
}

/**
 * Greedy distance-R colouring (nodes in index order, each takes the smallest colour not used in
 * its ball of radius R, found by breadth-first search). Returns null as soon as a ball holds more
 * than `maxColours` nodes (then a probing is not cheaper than unit vectors).
 */
export function distanceColouring(g: SymEdges, radius: number, maxColours: number): Colouring | null {
  const n = g.n,
    ne = g.i.length;
  // adjacency (both directions)
  const start = new Int32Array(n + 1);
  for (let e = 0; e < ne; e++) {
    if (g.i[e] === g.j[e]) continue;
    start[g.i[e]! + 1]!++;
    start[g.j[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const adj = new Int32Array(start[n]!),
    fill = start.slice(0, n);
  for (let e = 0; e < ne; e++) {
    const a = g.i[e]!,
      b = g.j[e]!;
    if (a === b) continue;
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  const colour = new Int32Array(n).fill(-1);
  const seen = new Int32Array(n).fill(-1);
  const used = new Int32Array(maxColours + 1).fill(-1);
  const queue = new Int32Array(n);
  let count = 0;
  for (let v = 0; v < n; v++) {
    // BFS to depth R from v, marking the colours of already coloured nodes
    let head = 0,
      tail = 0,
      levelEnd = 1,
      depth = 0;
    queue[tail++] = v;
    seen[v] = v;
    while (head < tail) {
      if (head === levelEnd) {
        depth++;
        levelEnd = tail;
      }
      const u = queue[head++]!;
      if (colour[u]! >= 0) used[colour[u]!] = v;
      if (depth >= radius) continue;
      for (let p = start[u]!; p < start[u + 1]!; p++) {
        const w = adj[p]!;
        if (seen[w] === v) continue;
        seen[w] = v;
        queue[tail++] = w;
      }
      if (tail > maxColours) return null;
    }
    let c = 0;
    while (used[c] === v) c++;
    if (c >= maxColours) return null;
    colour[v] = c;
    if (c + 1 > count) count = c + 1;
  }
  return { colour, count, radius };
}

/** What {@link rhoProbing} needs, decided before any block product: the truncated series and the colouring. */
export interface ProbePlan {
  coef: Float64Array;
  /** Bound on |ρ_ij − p(L)_ij| for every entry. */
  tail: number;
  colouring: Colouring;
  /** The rigorous upper bound of λ_max the series is taken on. */
  ub: number;
}

/**
 * Plan a probing ρ at τ: the degree d from {@link PROBE_TOLERANCE} relative to the smallest
 * diagonal entry's scale (1/n, the stationary weight), and a distance-(d + 1) colouring; null when
 * the colouring needs more than `maxColours` colours. The series is taken on [0, ub] with ub the
 * Anderson–Morley bound ({@link laplacianBounds}), so the tail bound is rigorous.
 */
export function probePlan(g: SymEdges, tau: number, maxColours = PROBE_MAX_COLOURS): ProbePlan | null {
  const ub = laplacianBounds(g).edgeBound * (1 + 1e-12);
  if (!(ub > 0)) return null;
  const { coef, tail } = truncatedExpCoefficients(tau, ub, PROBE_TOLERANCE / Math.max(1, g.n));
  const colouring = distanceColouring(g, coef.length, maxColours);
  return colouring ? { coef, tail, colouring, ub } : null;
}

/**
 * ρ = e^{−τL} on the diagonal and the edges by probing (ours, after the probing methods for
 * sparse matrix functions of Tang & Saad 2011): the degree-d Chebyshev polynomial p(L) has
 * p(L)_ij = 0 when dist(i, j) > d, so with a distance-(d + 1) colouring the action of p(L) on
 * the indicator z_c of colour c gives (p(L) z_c)_i = p(L)_ij exactly for the node j of colour c
 * at distance ≤ 1 from i (every other node of colour c is at distance ≥ d + 1 from i).
 * Each entry is then within `plan.tail` of e^{−τL}; `colours / block` block products of degree d
 * instead of `n / block`. Memory O(nnz + 5·block·n).
 */
export function rhoProbing(
  g: SymEdges,
  plan: ProbePlan,
  block: number,
  onProgress?: (f: number, m: string) => void,
): RhoEntries {
  const n = g.n;
  const { coef, colouring, ub } = plan;
  const C = colouring.count;
  // nodes by colour
  const cs = new Int32Array(C + 1);
  for (let i = 0; i < n; i++) cs[colouring.colour[i]! + 1]!++;
  for (let c = 0; c < C; c++) cs[c + 1] = cs[c + 1]! + cs[c]!;
  const members = new Int32Array(n),
    fill = cs.slice(0, C);
  for (let i = 0; i < n; i++) members[fill[colouring.colour[i]!]!++] = i;
  return rhoByGroups(g, coef, ub, cs, members, block, (done) =>
    onProgress?.(
      Math.min(1, done / C),
      `ρ by probing (degree ${coef.length - 1}, ${C} colours): ${done}/${C} probe vectors`,
    ),
  );
}
