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
import type { SymEdges } from "./graph.js";
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
  const d = coef.length - 1;
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const B = Math.max(1, Math.min(block, n));
  const ne = g.i.length;
  // edges by column j (both directions): entry (i, j) read from column j's result
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < ne; e++) deg[g.j[e]! + 1] = deg[g.j[e]! + 1]! + 1;
  for (let i = 0; i < n; i++) deg[i + 1] = deg[i + 1]! + deg[i]!;
  const byCol = new Int32Array(ne),
    fill = deg.slice(0, n);
  for (let e = 0; e < ne; e++) byCol[fill[g.j[e]!]!++] = e;
  const diag = new Float64Array(n),
    pair = new Float64Array(ne);
  kern.scope((s) => {
    const op = loadOp(s, g);
    const t0 = s.f64(n * B),
      t1 = s.f64(n * B),
      t2 = s.f64(n * B),
      y = s.f64(n * B),
      lx = s.f64(n * B);
    for (let j0 = 0; j0 < n; j0 += B) {
      const b = Math.min(B, n - j0);
      const T0 = kern.f64(t0, n * b);
      T0.fill(0);
      for (let c = 0; c < b; c++) T0[(j0 + c) * b + c] = 1;
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
      const Y = kern.f64(y, n * b);
      for (let c = 0; c < b; c++) {
        const j = j0 + c;
        diag[j] = Y[j * b + c]!;
        for (let p = deg[j]!; p < deg[j + 1]!; p++) {
          const e = byCol[p]!;
          pair[e] = Y[g.i[e]! * b + c]!;
        }
      }
      onProgress?.(Math.min(1, (j0 + b) / n), `ρ by Chebyshev (degree ${d}): ${j0 + b}/${n} columns`);
    }
  });
  return { diag, pi: g.i, pj: g.j, pair };
}
