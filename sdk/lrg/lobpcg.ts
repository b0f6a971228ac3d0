/**
 * The lowest eigenpairs of a large graph Laplacian by LOBPCG (Knyazev, SIAM J.
 * Sci. Comput. 23, 2001) preconditioned by a plain-aggregation algebraic
 * multigrid V-cycle built on the graph itself (Vaněk, Mandel & Brezina,
 * Computing 56, 1996, for the aggregation; with piecewise-constant
 * interpolation the Galerkin coarse operator Pᵀ L P is again a graph Laplacian:
 * the summed edge weights between aggregates).
 *
 * - start: the coarsest level's lowest modes (dense, generalized problem with
 *   the aggregate sizes as mass) prolonged to the fine graph and smoothed;
 * - iteration: Rayleigh–Ritz on [X, T R, P] with the null space (one indicator
 *   per component) projected out, soft locking (converged columns get no new
 *   directions), [T R, P] orthonormalised against X and among themselves (SVQB
 *   with dropping), L applied to the new directions (a matrix × block product
 *   is cheap next to the Gram products);
 * - stop: the leading k columns have ‖L x − θ x‖ ≤ rtol·θ.
 *
 * All arithmetic is +, −, ×, /, √ in JavaScript or the kernel's block products,
 * so the result is the same bits in every engine. Memory: the hierarchy
 * (≈ 1.3 × the fine CSR) plus about 12 n×b blocks.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { Scope } from "../kernel/kernel.js";
import { eigh } from "../linalg/eigh.js";
import type { LrgExports } from "./kernel.js";
import type { LowModes, OnProgress, Op } from "./scale.js";

/** One level of the aggregation hierarchy (CSR of a graph Laplacian in kernel memory). */
interface Level {
  n: number;
  rp: number;
  cp: number;
  vp: number;
  dinv: Float64Array;
  /** dinv and agg in kernel memory. */
  dp: number;
  ap: number;
  /** Aggregate of each node on the next coarser level (null on the coarsest). */
  agg: Int32Array | null;
  /** The level as an operator (components carried down the aggregation). */
  op: Op;
  /** Scratch blocks n × bmax. */
  x: number;
  r: number;
  t: number;
}

/** The V-cycle preconditioner T ≈ L⁺ and what the coarse start needs. */
export interface Multigrid {
  levels: Level[];
  /** Dense pseudo-inverse of the coarsest Laplacian (row-major), or null when the coarsest is not small. */
  coarsePinv: Float64Array | null;
  /** Coarsest level's Laplacian (dense), its component labels and the mass (fine nodes per coarsest node). */
  coarseDense: Float64Array;
  coarseMass: Float64Array;
  /** Fine node → coarsest node. */
  toCoarsest: Int32Array;
  bmax: number;
}

/** Smoother weight (damped Jacobi; D⁻¹L has its spectrum in [0, 2], so ω < 1 converges). */
const OMEGA = 0.6;
/** Over-correction of the plain-aggregation coarse correction (ours, measured; Vaněk's remedy for piecewise-constant interpolation). */
const ALPHA = 1.8;
/** Strength of connection: w_ij ≥ θ·√(d_i d_j) (Vaněk et al.; keeps hubs from swallowing their leaves). */
const STRONG = 0.08;
/** Coarsest level solved densely at or below this size. */
const COARSEST = 500;
/** Damped Jacobi sweeps on a prolonged start block (ours, measured). */
const SMOOTH_START = 4;

interface Csr {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

function diagonal(a: Csr): Float64Array {
  const d = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++)
    for (let p = a.rowPtr[i]!; p < a.rowPtr[i + 1]!; p++) if (a.colIdx[p] === i) d[i] = d[i]! + a.values[p]!;
  return d;
}

/** Greedy aggregation on strong connections; returns the aggregate of each node and the count. */
function aggregate(a: Csr, d: Float64Array): { agg: Int32Array; count: number } {
  const { n, rowPtr, colIdx, values } = a;
  const agg = new Int32Array(n).fill(-1);
  const strong = (i: number, p: number) => {
    const j = colIdx[p]!;
    return j !== i && -values[p]! >= STRONG * Math.sqrt(d[i]! * d[j]!);
  };
  let count = 0;
  // phase 1: a node whose strong neighbours are all free starts an aggregate with them
  for (let i = 0; i < n; i++) {
    if (agg[i]! >= 0) continue;
    let free = true,
      any = false;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      if (!strong(i, p)) continue;
      any = true;
      if (agg[colIdx[p]!]! >= 0) {
        free = false;
        break;
      }
    }
    if (!any || !free) continue;
    agg[i] = count;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) if (strong(i, p)) agg[colIdx[p]!] = count;
    count++;
  }
  // phase 2: join the aggregate of the strongest aggregated neighbour
  const joined = agg.slice();
  for (let i = 0; i < n; i++) {
    if (agg[i]! >= 0) continue;
    let best = -1,
      bw = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const j = colIdx[p]!;
      if (j !== i && agg[j]! >= 0 && -values[p]! > bw && strong(i, p)) {
        bw = -values[p]!;
        best = agg[j]!;
      }
    }
    if (best >= 0) joined[i] = best;
  }
  // phase 3: the rest start aggregates with their free neighbours (any strength)
  for (let i = 0; i < n; i++) {
    if (joined[i]! >= 0) continue;
    joined[i] = count;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const j = colIdx[p]!;
      if (j !== i && joined[j]! < 0) joined[j] = count;
    }
    count++;
  }
  return { agg: joined, count };
}

/** Galerkin coarse operator Pᵀ A P for the 0/1 aggregation P (a graph Laplacian again). */
function coarsen(a: Csr, agg: Int32Array, nc: number): Csr {
  const { n, rowPtr, colIdx, values } = a;
  // bucket fine rows by aggregate
  const start = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) start[agg[i]! + 1]!++;
  for (let c = 0; c < nc; c++) start[c + 1] = start[c + 1]! + start[c]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, nc);
  for (let i = 0; i < n; i++) order[fill[agg[i]!]!++] = i;
  const where = new Int32Array(nc).fill(-1);
  const cols: number[] = [];
  const vals: number[] = [];
  const rp = new Int32Array(nc + 1);
  const rowCols: number[] = [];
  for (let c = 0; c < nc; c++) {
    rowCols.length = 0;
    const base = cols.length;
    for (let q = start[c]!; q < start[c + 1]!; q++) {
      const i = order[q]!;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
        const cj = agg[colIdx[p]!]!;
        let at = where[cj]!;
        if (at < 0) {
          at = cols.length;
          where[cj] = at;
          cols.push(cj);
          vals.push(0);
          rowCols.push(cj);
        }
        vals[at] = vals[at]! + values[p]!;
      }
    }
    // sort the row's columns (deterministic order) and reset the markers
    const idx = Array.from({ length: cols.length - base }, (_, t) => base + t).sort((u, v) => cols[u]! - cols[v]!);
    const sc = idx.map((u) => cols[u]!),
      sv = idx.map((u) => vals[u]!);
    for (let t = 0; t < sc.length; t++) {
      cols[base + t] = sc[t]!;
      vals[base + t] = sv[t]!;
    }
    for (const cj of rowCols) where[cj] = -1;
    rp[c + 1] = cols.length;
  }
  return { n: nc, rowPtr: rp, colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

/**
 * Build the hierarchy for the Laplacian of `op` (from its CSR arrays).
 * @param bmax Widest block the V-cycle will be applied to.
 */
export function buildMultigrid(s: Scope, op: Op, bmax: number): Multigrid {
  // the fine level's CSR as the op keeps it (the same numbers as in kernel memory; no second copy)
  let a: Csr = op.csr;
  const levels: Level[] = [];
  let toCoarsest = Int32Array.from({ length: op.n }, (_, i) => i);
  let comp = op.comp;
  let mass = new Float64Array(op.n).fill(1);
  for (;;) {
    const d = diagonal(a);
    const dinv = d.map((v) => (v > 0 ? 1 / v : 0));
    const first = levels.length === 0;
    const lv: Level = {
      n: a.n,
      rp: first ? op.rp : s.copyI32(a.rowPtr),
      cp: first ? op.cp : s.copyI32(a.colIdx),
      vp: first ? op.vp : s.copyF64(a.values),
      dinv,
      op: first
        ? op
        : (() => {
            const cs = new Float64Array(op.compSize.length);
            for (let i = 0; i < a.n; i++) cs[comp[i]!] = cs[comp[i]!]! + 1;
            return {
              n: a.n,
              nnz: a.values.length,
              rp: 0,
              cp: 0,
              vp: 0,
              comp,
              compSize: cs,
              compp: s.copyI32(comp),
              maxDegree: 0,
              edgeBound: 0,
              csr: a,
            };
          })(),
      dp: s.copyF64(dinv),
      ap: 0,
      agg: null,
      // the finest level reads its input and writes its output in the caller's blocks: scratch t only
      x: first ? 0 : s.f64(a.n * bmax),
      r: first ? 0 : s.f64(a.n * bmax),
      t: s.f64(a.n * bmax),
    };
    if (!first) {
      lv.op.rp = lv.rp;
      lv.op.cp = lv.cp;
      lv.op.vp = lv.vp;
    }
    levels.push(lv);
    if (a.n <= COARSEST) break;
    const { agg, count } = aggregate(a, d);
    // coarsening stalled (e.g. a star-like remainder): stop here, the V-cycle ends with smoothing (ours)
    if (count > 0.85 * a.n) break;
    lv.agg = agg;
    lv.ap = s.copyI32(agg);
    const c2 = new Int32Array(count);
    for (let i = 0; i < a.n; i++) c2[agg[i]!] = comp[i]!;
    comp = c2;
    const m2 = new Float64Array(count);
    for (let i = 0; i < a.n; i++) m2[agg[i]!] = m2[agg[i]!]! + mass[i]!;
    mass = m2;
    for (let i = 0; i < op.n; i++) toCoarsest[i] = agg[toCoarsest[i]!]!;
    a = coarsen(a, agg, count);
  }
  const last = a;
  const nc = last.n;
  const dense = new Float64Array(nc <= COARSEST ? nc * nc : 0);
  let pinv: Float64Array | null = null;
  if (nc <= COARSEST) {
    for (let i = 0; i < nc; i++)
      for (let p = last.rowPtr[i]!; p < last.rowPtr[i + 1]!; p++)
        dense[i * nc + last.colIdx[p]!] = dense[i * nc + last.colIdx[p]!]! + last.values[p]!;
    const e = eigh({ rows: nc, cols: nc, data: dense }, { vectors: true });
    const U = e.vectors!.data;
    const top = Math.max(1e-300, ...e.values);
    pinv = new Float64Array(nc * nc);
    for (let c = 0; c < nc; c++) {
      const l = e.values[c]!;
      if (!(l > 1e-10 * top)) continue;
      for (let i = 0; i < nc; i++) {
        const ui = U[i * nc + c]! / l;
        if (ui === 0) continue;
        for (let j = 0; j < nc; j++) pinv[i * nc + j] = pinv[i * nc + j]! + ui * U[j * nc + c]!;
      }
    }
  }
  toCoarsest = toCoarsest.slice();
  return { levels, coarsePinv: pinv, coarseDense: dense, coarseMass: mass, toCoarsest, bmax };
}

/** x[n×b] ← T r[n×b] on level l (one V-cycle, 2 pre- and 2 post-smoothing Jacobi sweeps, zero start). */
function vcycle(mg: Multigrid, l: number, r: number, x: number, b: number): void {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const lv = mg.levels[l]!;
  const n = lv.n,
    nb = n * b;
  const last = l === mg.levels.length - 1;
  if (last && mg.coarsePinv) {
    const P = mg.coarsePinv,
      R = kern.f64(r, nb),
      X = kern.f64(x, nb);
    X.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const pij = P[i * n + j]!;
        if (pij === 0) continue;
        for (let c = 0; c < b; c++) X[i * b + c] = X[i * b + c]! + pij * R[j * b + c]!;
      }
    return;
  }
  const smooth = () => {
    f.lrgBlockCsrMv(n, lv.rp, lv.cp, lv.vp, b, x, lv.t);
    f.lrgJacobiBlock(n, b, lv.dp, OMEGA, r, lv.t, x, 0);
  };
  f.lrgJacobiBlock(n, b, lv.dp, OMEGA, r, lv.t, x, 1);
  smooth();
  if (!last) {
    const nx = mg.levels[l + 1]!;
    // residual r − L x, restricted (summed over aggregates) into the next level's r
    f.lrgBlockCsrMv(n, lv.rp, lv.cp, lv.vp, b, x, lv.t);
    f.lrgCombine3(nb, 1, r, -1, lv.t, 0, r, lv.t);
    kern.f64(nx.r, nx.n * b).fill(0);
    f.lrgRestrictBlock(n, b, lv.ap, lv.t, nx.r);
    vcycle(mg, l + 1, nx.r, nx.x, b);
    f.lrgProlongBlock(n, b, lv.ap, ALPHA, nx.x, x);
  }
  smooth();
  smooth();
}

/** Apply the preconditioner to the fine block r[n×b] into x[n×b] (both caller-owned). */
export function precondition(mg: Multigrid, r: number, x: number, b: number, l = 0): void {
  vcycle(mg, l, r, x, b);
}

/** Options of {@link lowModesLobpcg}. */
export interface LobpcgOptions {
  k: number;
  guard: number;
  rtol: number;
  /** A column also counts as converged when its Kato–Temple eigenvalue bound ‖r‖²/gap is below this × θ. */
  eigenTolerance: number;
  maxIterations: number;
  seed: number;
  onProgress?: OnProgress;
  /** Projection onto the complement of the null space (from scale.ts). */
  projectNull: (op: Op, x: number, b: number) => void;
}

/** A symmetric b×b matrix from kernel memory, symmetrised exactly (shared with scale.ts). */
export function readSym(p: number, b: number): Float64Array {
  const a = getKernel().readF64(p, b * b);
  for (let i = 0; i < b; i++)
    for (let j = i + 1; j < b; j++) a[i * b + j] = a[j * b + i] = 0.5 * (a[i * b + j]! + a[j * b + i]!);
  return a;
}

/**
 * Orthonormalise the m columns of z[n×m] in place (SVQB, Stathopoulos & Wu 2002), dropping
 * directions whose singular value is below 1e-8 of the largest; returns the kept count
 * (the kept columns are packed to the front, z then holds an n×kept block).
 */
function svqbDrop(s: Scope, n: number, z: number, tmp: number, m: number): number {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const g = s.f64(m * m);
  let width = m;
  for (let pass = 0; pass < 2 && width > 0; pass++) {
    f.lrgBlockGram(n, width, width, z, z, g);
    const G = readSym(g, width);
    const e = eigh({ rows: width, cols: width, data: G }, { vectors: true });
    const U = e.vectors!.data;
    const smax = Math.max(...e.values);
    if (!(smax > 0)) return 0;
    const keep: number[] = [];
    for (let c = 0; c < width; c++) if (e.values[c]! > 1e-16 * smax) keep.push(c);
    const w2 = keep.length;
    const M = new Float64Array(width * w2);
    for (let t = 0; t < w2; t++) {
      const c = keep[t]!;
      const sc = 1 / Math.sqrt(e.values[c]!);
      for (let r = 0; r < width; r++) M[r * w2 + t] = U[r * width + c]! * sc;
    }
    kern.f64(g, width * w2).set(M);
    f.lrgBlockTimes(n, width, w2, z, g, tmp);
    kern.f64(z, n * w2).set(kern.f64(tmp, n * w2));
    width = w2;
    // a well-conditioned first pass leaves orthogonality at rounding level: no second pass (ours)
    let smin = Infinity;
    for (const c of keep) smin = Math.min(smin, e.values[c]!);
    if (w2 === e.values.length && smin >= 1e-4 * smax) break;
  }
  return width;
}

/**
 * The low modes a block iteration hands on: the leading converged run of its
 * Ritz pairs, at most `kw` (extended through a converged degenerate cluster,
 * else cut back before it, at a relative gap of 1e-6, so no cluster is split),
 * their vectors copied out of the n × b block `x`. Shared by LOBPCG and the
 * Chebyshev-filtered subspace iteration (sdk/lrg/scale.ts).
 */
export function leadingModes(
  s: Scope,
  n: number,
  b: number,
  kw: number,
  x: number,
  theta: Float64Array,
  res: Float64Array,
  ok: (c: number) => boolean,
) {
  let k = 0;
  while (k < b && ok(k)) k++;
  const kc = k; // converged
  k = Math.min(k, kw);
  while (k > 0 && k < kc && theta[k]! - theta[k - 1]! <= 1e-6 * theta[k]!) k++;
  while (k > 0 && k < b && theta[k]! - theta[k - 1]! <= 1e-6 * theta[k]!) k--;
  const kern = getKernel();
  const vectors = s.f64(n * Math.max(1, k));
  const X = kern.f64(x, n * b),
    V = kern.f64(vectors, n * Math.max(1, k));
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) V[i * k + c] = X[i * b + c]!;
  return {
    values: theta.slice(0, k),
    residuals: res.slice(0, k),
    vectors,
    k,
    next: k < b ? theta[k]! : Infinity,
    lowest: theta[0]!,
    lowestResidual: res[0]!,
  };
}

/**
 * The lowest nonzero eigenpairs of L by LOBPCG with the aggregation V-cycle,
 * started from the coarsest level's modes. Returns them in the {@link LowModes}
 * form the deflated SLQ uses (the leading converged run, cut at a gap).
 */
function lobpcgOnLevel(
  s: Scope,
  mg: Multigrid,
  l: number,
  op: Op,
  o: LobpcgOptions,
  b: number,
  kw: number,
  x0: number | null,
  rtol: number,
  maxIterations: number,
): {
  x: number;
  theta: Float64Array;
  res: Float64Array;
  iterations: number;
  matvecs: number;
  ok: (c: number) => boolean;
} {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = op.n;
  const x = s.f64(n * b),
    ax = s.f64(n * b),
    z = s.f64(n * 2 * b),
    az = s.f64(n * 2 * b),
    tmp = s.f64(n * 2 * b),
    p = s.f64(n * b),
    w = s.f64(n * b),
    gxz = s.f64(b * 2 * b),
    gzz = s.f64(4 * b * b),
    cm = s.f64(2 * b * b);
  let matvecs = 0;
  // start: coarsest modes of Lc y = λ M y (M = aggregate sizes), prolonged, plus random columns
  {
    const nc = mg.coarseMass.length;
    const rngFill = kern.fn<{
      rngFillGaussian(st: number, n: number, out: number, stride: number, off: number): void;
    }>();
    rngFill.rngFillGaussian(s.rng(o.seed, 13), n * b, x, 1, 0);
    if (x0 !== null) {
      const X0 = kern.f64(x0, n * b),
        Xv = kern.f64(x, n * b);
      for (let t = 0; t < n * b; t++) Xv[t] = X0[t]! + 1e-6 * Xv[t]!;
    } else if (mg.coarseDense.length && l === mg.levels.length - 1) {
      const M = mg.coarseMass;
      const A = new Float64Array(nc * nc);
      for (let i = 0; i < nc; i++)
        for (let j = 0; j < nc; j++) A[i * nc + j] = mg.coarseDense[i * nc + j]! / Math.sqrt(M[i]! * M[j]!);
      const e = eigh({ rows: nc, cols: nc, data: A }, { vectors: true });
      const U = e.vectors!.data;
      const top = Math.max(1e-300, ...e.values);
      const nz: number[] = [];
      for (let c = 0; c < nc && nz.length < b; c++) if (e.values[c]! > 1e-9 * top) nz.push(c);
      const Xv = kern.f64(x, n * b);
      for (let i = 0; i < n; i++) {
        const ci = i;
        for (let t = 0; t < nz.length; t++)
          Xv[i * b + t] = U[ci * nc + nz[t]!]! / Math.sqrt(M[ci]!) + 1e-3 * Xv[i * b + t]!;
      }
    }
    o.projectNull(op, x, b);
    // smooth the staircase: 4 damped Jacobi sweeps x ← x − ω D⁻¹ L x (damp the jumps, keep the smooth part)
    const dinv = mg.levels[l]!.dinv;
    for (let sweep = 0; sweep < SMOOTH_START; sweep++) {
      f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, x, ax);
      const Xs = kern.f64(x, n * b),
        AXs = kern.f64(ax, n * b);
      for (let i = 0; i < n; i++) {
        const wgt = OMEGA * dinv[i]!;
        for (let c = 0; c < b; c++) Xs[i * b + c] = Xs[i * b + c]! - wgt * AXs[i * b + c]!;
      }
    }
    matvecs += SMOOTH_START * b;
    o.projectNull(op, x, b);
    svqbDrop(s, n, x, tmp, b);
  }
  let theta: Float64Array = new Float64Array(b),
    res = new Float64Array(b);
  const rr = (pass: "x" | "xz", mz: number) => {
    if (pass === "x") {
      f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, x, ax);
      matvecs += b;
      f.lrgBlockGram(n, b, b, x, ax, gzz);
      const e = eigh({ rows: b, cols: b, data: readSym(gzz, b) }, { vectors: true });
      theta = e.values;
      kern.f64(cm, b * b).set(e.vectors!.data);
      f.lrgBlockTimes(n, b, b, x, cm, tmp);
      kern.f64(x, n * b).set(kern.f64(tmp, n * b));
      f.lrgBlockTimes(n, b, b, ax, cm, tmp);
      kern.f64(ax, n * b).set(kern.f64(tmp, n * b));
      return;
    }
    // Rayleigh–Ritz on [x z] (orthonormal): H = [[diag θ, XᵀAZ], [ZᵀAX, ZᵀAZ]]
    const m = b + mz;
    f.lrgBlockGram(n, b, mz, x, az, gxz);
    f.lrgBlockGram(n, mz, mz, z, az, gzz);
    const XZ = kern.readF64(gxz, b * mz);
    const ZZ = readSym(gzz, mz);
    const H = new Float64Array(m * m);
    for (let i = 0; i < b; i++) H[i * m + i] = theta[i]!;
    for (let i = 0; i < b; i++) for (let j = 0; j < mz; j++) H[i * m + b + j] = H[(b + j) * m + i] = XZ[i * mz + j]!;
    for (let i = 0; i < mz; i++) for (let j = 0; j < mz; j++) H[(b + i) * m + b + j] = ZZ[i * mz + j]!;
    const e = eigh({ rows: m, cols: m, data: H }, { vectors: true });
    const C = e.vectors!.data;
    theta = e.values.slice(0, b);
    // Cx = C[0:b, 0:b], Cz = C[b:m, 0:b]
    const Cx = new Float64Array(b * b),
      Cz = new Float64Array(mz * b);
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) Cx[i * b + j] = C[i * m + j]!;
    for (let i = 0; i < mz; i++) for (let j = 0; j < b; j++) Cz[i * b + j] = C[(b + i) * m + j]!;
    // p ← z Cz ; x ← x Cx + p ; then A x by one sparse block product (nnz/n·b multiply-adds per
    // row instead of the (b + mz)·b of updating A x densely, and no drift between x and A x) (ours)
    kern.f64(cm, mz * b).set(Cz);
    f.lrgBlockTimes(n, mz, b, z, cm, p);
    kern.f64(cm, b * b).set(Cx);
    f.lrgBlockTimes(n, b, b, x, cm, tmp);
    f.lrgCombine3(n * b, 1, tmp, 1, p, 0, p, x);
    f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, x, ax);
    matvecs += b;
  };
  const residuals = () => {
    const X = kern.f64(x, n * b),
      AX = kern.f64(ax, n * b),
      W = kern.f64(w, n * b);
    res = new Float64Array(b);
    for (let i = 0; i < n; i++) {
      const r = i * b;
      for (let c = 0; c < b; c++) {
        const d = AX[r + c]! - theta[c]! * X[r + c]!;
        W[r + c] = d;
        res[c] = res[c]! + d * d;
      }
    }
    for (let c = 0; c < b; c++) res[c] = Math.sqrt(res[c]!);
  };
  rr("x", 0);
  let havep = false,
    it = 0;
  // converged: ‖r‖ ≤ rtol·θ, or the eigenvalue is already within 1e-7·θ — |θ − λ| ≤ ‖r‖²/gap
  // (Kato–Temple), the gap taken to the nearest Ritz value outside θ's own cluster — with
  // ‖r‖ ≤ 1e-3·θ for the vector (ours)
  const gapOf = (c: number) => {
    let g = Infinity;
    for (let d = 0; d < b; d++) {
      const dd = Math.abs(theta[d]! - theta[c]!);
      if (dd > 1e-6 * theta[c]! && dd < g) g = dd;
    }
    return g;
  };
  const ok = (c: number) => {
    const t = Math.max(theta[c]!, 1e-300),
      r = res[c]!;
    if (r <= rtol * t) return true;
    const g = gapOf(c);
    return r <= 1e-3 * t && c < b - 1 && isFinite(g) && (r * r) / g <= o.eigenTolerance * t;
  };
  const converged = () => {
    let c = 0;
    while (c < kw && ok(c)) c++;
    return c;
  };
  residuals();
  while (it < maxIterations && converged() < kw) {
    // active columns: not converged (soft locking)
    const act: number[] = [];
    for (let c = 0; c < b; c++) if (!ok(c)) act.push(c);
    const na = act.length;
    const np = havep ? na : 0;
    const mz0 = na + np;
    // z = [T r_act, p_act]
    {
      const W = kern.f64(w, n * b),
        T = kern.f64(tmp, n * na);
      for (let i = 0; i < n; i++) for (let t = 0; t < na; t++) T[i * na + t] = W[i * b + act[t]!]!;
    }
    precondition(mg, tmp, az, na, l); // az as scratch for T r
    {
      const Z = kern.f64(z, n * mz0),
        TR = kern.f64(az, n * na),
        P = kern.f64(p, n * b);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < na; t++) Z[i * mz0 + t] = TR[i * na + t]!;
        for (let t = 0; t < np; t++) Z[i * mz0 + na + t] = P[i * b + act[t]!]!;
      }
    }
    o.projectNull(op, z, mz0);
    const colNorms2 = () => {
      const Z = kern.f64(z, n * mz0),
        nz = new Float64Array(mz0);
      for (let i = 0; i < n; i++) for (let t = 0; t < mz0; t++) nz[t] = nz[t]! + Z[i * mz0 + t]! * Z[i * mz0 + t]!;
      return nz;
    };
    const before = colNorms2();
    // z ⟂ x, a second time only when the first pass cancelled more than half of a column's
    // norm (the "twice is enough" criterion of Kahan–Parlett: without cancellation one
    // classical Gram–Schmidt pass leaves |xᵀz| at rounding level) (ours)
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) {
        const after = colNorms2();
        let cancelled = false;
        for (let t = 0; t < mz0; t++) if (after[t]! < 0.25 * before[t]!) cancelled = true;
        if (!cancelled) break;
      }
      f.lrgBlockGram(n, b, mz0, x, z, gxz);
      f.lrgBlockTimes(n, b, mz0, x, gxz, tmp);
      f.lrgCombine3(n * mz0, 1, z, -1, tmp, 0, z, z);
    }
    const mz = svqbDrop(s, n, z, tmp, mz0);
    if (mz === 0) break;
    f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, mz, z, az);
    matvecs += mz + na * 7; // the V-cycle costs about 7 fine products per column (ours, counted)
    rr("xz", mz);
    havep = true;
    residuals();
    it++;
    let worst = 0;
    for (let c = 0; c < kw; c++) worst = Math.max(worst, res[c]! / Math.max(theta[c]!, 1e-300));
    o.onProgress?.(
      Math.min(1, converged() / Math.max(1, kw)),
      `low modes (LOBPCG): ${converged()}/${kw} converged, iteration ${it}, largest ‖r‖/θ ${worst.toExponential(1)}`,
    );
  }
  return { x, theta, res, iterations: it, matvecs, ok };
}

export function lowModesLobpcg(s: Scope, op: Op, o: LobpcgOptions): LowModes & { iterations: number; levels: number } {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = op.n;
  const dim = n - op.compSize.length;
  const kw = Math.max(0, Math.min(o.k, dim));
  const b = Math.min(dim, kw + o.guard);
  const empty = {
    values: new Float64Array(0),
    residuals: new Float64Array(0),
    vectors: 0,
    k: 0,
    next: Infinity,
    lowest: 0,
    lowestResidual: 0,
    sweeps: 0,
    matvecs: 0,
    iterations: 0,
    levels: 0,
  };
  if (b <= 0) return empty;
  const mg = buildMultigrid(s, op, b);
  // cascade: the coarsest level's modes (dense start), then LOBPCG level by level, each started
  // from the coarser level's vectors prolonged (piecewise constant) and smoothed; the coarse levels
  // to ‖r‖ ≤ 10⁻²θ, the fine one to rtol (ours)
  let start: number | null = null;
  let matvecs = 0,
    iterations = 0;
  let fin: ReturnType<typeof lobpcgOnLevel> | null = null;
  for (let l = mg.levels.length - 1; l >= 0; l--) {
    const lv = mg.levels[l]!;
    const bl = Math.min(b, lv.n - lv.op.compSize.length);
    if (bl < b) continue; // too small a level for the block
    const fine = l === 0;
    const r = lobpcgOnLevel(s, mg, l, lv.op, o, b, kw, start, fine ? o.rtol : 1e-2, fine ? o.maxIterations : 40);
    matvecs += r.matvecs;
    iterations += r.iterations;
    fin = r;
    if (!fine) {
      const up = mg.levels[l - 1]!;
      const xp = s.f64(up.n * b);
      kern.f64(xp, up.n * b).fill(0);
      f.lrgProlongBlock(up.n, b, up.ap, 1, r.x, xp);
      start = xp;
    }
  }
  const { x, theta, res, ok } = fin!;
  return {
    ...leadingModes(s, n, b, kw, x, theta, res, ok),
    sweeps: iterations,
    matvecs,
    iterations,
    levels: mg.levels.length,
  };
}
