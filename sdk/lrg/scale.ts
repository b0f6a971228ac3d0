/**
 * The Laplacian RG on large sparse graphs without dense matrices:
 *
 * - the k lowest eigenpairs of L by Chebyshev-filtered block subspace iteration
 *   (Zhou & Saad, J. Comput. Phys. 219, 2006; Zhou, Saad, Tiago & Chelikowsky, 2006),
 *   the null space (one indicator per connected component) deflated exactly;
 * - λ_max by Lanczos with a residual bound;
 * - S(τ) and C(τ) as the exact contribution of those k modes plus stochastic
 *   Lanczos quadrature (Ubaru, Chen & Saad 2017) on the deflated operator, the
 *   probes projected onto the complement of the computed modes, run in lock
 *   step as one block (sparse matrix × block of vectors), no Krylov basis stored;
 * - an error band that adds the probe noise (4 jackknife standard errors) and
 *   the quadrature error (the m-step rule against its own leading m′-step rule).
 *
 * Memory: O(nnz + n·(k + guard + probes)).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { Scope } from "../kernel/kernel.js";
import { eigh, eighTridiagonal } from "../linalg/eigh.js";
import type { LrgExports } from "./kernel.js";
import { csrLaplacian, laplacianBounds, UnionFind, type SymEdges } from "./graph.js";
import { log } from "../math.js";
import { tauGrid } from "./spectrum.js";
import { curveFromMoments } from "./slq.js";
import { leadingModes, lowModesLobpcg, readSym } from "./lobpcg.js";
import { runSync, type Steps } from "./steps.js";

/**
 * From this many nodes on, the low modes come from LOBPCG with the aggregation
 * multigrid (sdk/lrg/lobpcg.ts) instead of Chebyshev-filtered subspace
 * iteration (ours, measured: 2-D torus 316², 4 modes: 9.6 s CPU against > 100 s).
 */
export const LOBPCG_MIN_NODES = 50_000;

/**
 * Whether a graph has hubs: its largest weighted degree is ≥ 10× the mean (ours). On such graphs
 * the Chebyshev filter's interval [λ_k, λ_max ≈ largest degree] is long, and the low spectrum has no
 * gap above λ_2 (Barabási–Albert m = 3: λ_2 ≈ 1.2 and the bulk right above it), so deflated modes
 * cannot carry C(τ) at τ_max = 10/λ_2.
 * @param g The graph.
 * @returns True for a graph with hubs.
 * @example
 * hasHubs(symEdges("g", star)) // true
 */
export function hasHubs(g: SymEdges): boolean {
  const d = new Float64Array(g.n);
  let total = 0;
  for (let e = 0; e < g.w.length; e++) {
    d[g.i[e]!] = d[g.i[e]!]! + g.w[e]!;
    d[g.j[e]!] = d[g.j[e]!]! + g.w[e]!;
    total += 2 * g.w[e]!;
  }
  let max = 0;
  for (let i = 0; i < g.n; i++) max = Math.max(max, d[i]!);
  return total > 0 && max >= (10 * total) / g.n;
}

/**
 * Whether the low modes of this graph come from LOBPCG: from {@link LOBPCG_MIN_NODES} nodes on, and
 * on graphs with hubs ({@link hasHubs}: the Chebyshev filter's degree then sits at its cap) (ours).
 * @param g The graph.
 * @returns True for the LOBPCG path.
 * @example
 * usesLobpcg(symEdges("g", graph))
 */
export function usesLobpcg(g: SymEdges): boolean {
  return g.n >= LOBPCG_MIN_NODES || hasHubs(g);
}

/** A progress callback: fraction of the stage in [0, 1] and a message. */
export type OnProgress = (fraction: number, message: string) => void;

/** The Laplacian in kernel memory plus its connected components (the exact null space). */
export interface Op {
  n: number;
  nnz: number;
  rp: number;
  cp: number;
  vp: number;
  /** Component label of each node and the component sizes. */
  comp: Int32Array;
  compSize: Float64Array;
  /** `comp` in kernel memory. */
  compp: number;
  /** Largest weighted degree (Gershgorin: λ_max ≤ 2·maxDegree). */
  maxDegree: number;
  /**
   * Anderson–Morley bound λ_max ≤ max over edges (i, j) of d_i + d_j (weighted degrees; Gershgorin
   * on the similar matrix Bᵀ B W of the edge space, rows sum to d_i + d_j), ≤ 2·maxDegree.
   */
  edgeBound: number;
  /** The CSR arrays themselves (sent to pool tasks). */
  csr: CsrArrays;
}

/** A Laplacian in CSR as plain arrays (what a pool task receives). */
export interface CsrArrays {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

/** Load L = D − A_s into kernel memory owned by `s`. */
export function loadOp(s: Scope, g: SymEdges): Op {
  const csr = csrLaplacian(g);
  const uf = new UnionFind(g.n);
  for (let e = 0; e < g.w.length; e++) uf.union(g.i[e]!, g.j[e]!);
  const comp = uf.labels();
  const compSize = new Float64Array(uf.count);
  for (let i = 0; i < g.n; i++) compSize[comp[i]!] = compSize[comp[i]!]! + 1;
  const { maxDegree, edgeBound } = laplacianBounds(g);
  return opFromCsr(s, { n: g.n, rowPtr: csr.rowPtr, colIdx: csr.colIdx, values: csr.values }, comp, compSize, {
    maxDegree,
    edgeBound,
  });
}

/** An {@link Op} from CSR arrays and the components (in a pool task, or from {@link loadOp}). */
export function opFromCsr(
  s: Scope,
  csr: CsrArrays,
  comp: Int32Array,
  compSize: Float64Array,
  bounds: { maxDegree: number; edgeBound: number },
): Op {
  return {
    n: csr.n,
    nnz: csr.values.length,
    rp: s.copyI32(csr.rowPtr),
    cp: s.copyI32(csr.colIdx),
    vp: s.copyF64(csr.values),
    comp,
    compSize,
    compp: s.copyI32(comp),
    maxDegree: bounds.maxDegree,
    edgeBound: bounds.edgeBound,
    csr,
  };
}

/** Project every column of the row-major block x[n×b] onto the complement of the null space (subtract per-component means). */
export function projectNull(op: Op, x: number, b: number): void {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const nc = op.compSize.length;
  kern.scope((s) => {
    const cp = op.compp;
    const sums = s.f64(nc * b);
    kern.f64(sums, nc * b).fill(0);
    f.lrgRestrictBlock(op.n, b, cp, x, sums);
    const S = kern.f64(sums, nc * b);
    for (let q = 0; q < nc; q++) for (let c = 0; c < b; c++) S[q * b + c] = S[q * b + c]! / op.compSize[q]!;
    f.lrgProlongBlock(op.n, b, cp, -1, sums, x);
  });
}

/**
 * Orthonormalise the columns of x[n×b] in place by SVQB (Stathopoulos & Wu
 * 2002): G = xᵀx = U Σ Uᵀ, x ← x U Σ^{-1/2}; twice. `tmp` is an n×b scratch block.
 */
function svqb(s: Scope, op: Op, x: number, tmp: number, b: number): void {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const g = s.f64(b * b);
  for (let pass = 0; pass < 2; pass++) {
    f.lrgBlockGram(op.n, b, b, x, x, g);
    const G = readSym(g, b);
    const e = eigh({ rows: b, cols: b, data: G }, { vectors: true });
    const U = e.vectors!.data;
    const smax = Math.max(...e.values);
    const M = new Float64Array(b * b);
    for (let c = 0; c < b; c++) {
      const sc = 1 / Math.sqrt(Math.max(e.values[c]!, 1e-15 * smax, 1e-300));
      for (let r = 0; r < b; r++) M[r * b + c] = U[r * b + c]! * sc;
    }
    kern.f64(g, b * b).set(M);
    f.lrgBlockTimes(op.n, b, b, x, g, tmp);
    kern.f64(x, op.n * b).set(kern.f64(tmp, op.n * b));
  }
}

/**
 * |last component| of the unit eigenvector of the tridiagonal T for its top
 * eigenvalue θ: two steps of inverse iteration with σ just above θ (T − σI is
 * negative definite, so the elimination needs no pivoting).
 */
function topLastComponent(alpha: number[], beta: number[], theta: number): number {
  const m = alpha.length;
  const sigma = theta + Math.max(1e-10 * Math.abs(theta), 1e-300);
  let y = new Float64Array(m).fill(1);
  const c = new Float64Array(m),
    d = new Float64Array(m);
  for (let it = 0; it < 2; it++) {
    // Thomas algorithm on (T − σI) x = y
    let piv = alpha[0]! - sigma;
    c[0] = m > 1 ? beta[0]! / piv : 0;
    d[0] = y[0]! / piv;
    for (let i = 1; i < m; i++) {
      piv = alpha[i]! - sigma - beta[i - 1]! * c[i - 1]!;
      c[i] = i < m - 1 ? beta[i]! / piv : 0;
      d[i] = (y[i]! - beta[i - 1]! * d[i - 1]!) / piv;
    }
    const x = new Float64Array(m);
    x[m - 1] = d[m - 1]!;
    for (let i = m - 2; i >= 0; i--) x[i] = d[i]! - c[i]! * x[i + 1]!;
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += x[i]! * x[i]!;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) x[i] = x[i]! / nrm;
    y = x;
  }
  return Math.abs(y[m - 1]!);
}

/** What {@link lambdaMaxLanczos} found. */
export interface LmaxResult {
  value: number;
  /** Residual bound: an eigenvalue lies within this of `value`. */
  residual: number;
  steps: number;
}

/**
 * λ_max by plain Lanczos (O(n) memory), stopped when the top Ritz value's
 * residual bound |β_m s_m| ≤ rtol·θ, or when θ (a lower bound of λ_max) is
 * within rtol·θ of the Anderson–Morley upper bound `op.edgeBound` (then the
 * bracket is rigorous and `residual` is its width), or after maxSteps.
 */
export function lambdaMaxLanczos(s: Scope, op: Op, seed: number, rtol: number, maxSteps: number): LmaxResult {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = op.n;
  const q = s.f64(n),
    qp = s.f64(n),
    al = s.f64(1),
    be = s.f64(1),
    bp = s.f64(1),
    wk = s.bytes(f.lrgBlockLanczosStepWorkSize(1));
  kern
    .fn<{ rngFillGaussian(st: number, n: number, out: number, stride: number, off: number): void }>()
    .rngFillGaussian(s.rng(seed, 7), n, q, 1, 0);
  projectNull(op, q, 1);
  const Q = kern.f64(q, n);
  let nrm = 0;
  for (let i = 0; i < n; i++) nrm += Q[i]! * Q[i]!;
  nrm = Math.sqrt(nrm);
  if (!(nrm > 0)) return { value: 0, residual: 0, steps: 0 };
  for (let i = 0; i < n; i++) Q[i] = Q[i]! / nrm;
  kern.f64(qp, n).fill(0);
  kern.f64(bp, 1)[0] = 0;
  const alpha: number[] = [],
    beta: number[] = [];
  let cur = q,
    prev = qp;
  let best = { value: 0, residual: Infinity, steps: 0 };
  for (let j = 0; j < maxSteps; j++) {
    f.lrgBlockLanczosStep(n, op.rp, op.cp, op.vp, 1, prev, cur, bp, al, be, wk);
    alpha.push(kern.f64(al, 1)[0]!);
    const b = kern.f64(be, 1)[0]!;
    kern.f64(bp, 1)[0] = b;
    [cur, prev] = [prev, cur];
    const done = b <= 1e-14 * Math.abs(alpha[0]! + 1);
    if ((j + 1) % 50 === 0 || done || j + 1 === maxSteps) {
      const m = alpha.length;
      const T = eighTridiagonal(Float64Array.from(alpha), Float64Array.from(beta), { vectors: false });
      const value = T.values[m - 1]!;
      const residual = done ? 0 : Math.abs(b * topLastComponent(alpha, beta, value));
      const stalled = value - best.value <= 1e-9 * value;
      best = { value, residual, steps: m };
      if (done || residual <= rtol * value || stalled) return best;
      if (op.edgeBound - value <= rtol * value) return { value, residual: Math.max(0, op.edgeBound - value), steps: m };
    }
    // the bracket [θ, edgeBound] is checked every 10 steps between the residual checks (a tridiagonal
    // eigenvalue solve of size m costs far less than 10 sparse products) (ours)
    else if ((j + 1) % 10 === 0 && op.edgeBound > 0) {
      const T = eighTridiagonal(Float64Array.from(alpha), Float64Array.from(beta), { vectors: false });
      const value = T.values[alpha.length - 1]!;
      if (op.edgeBound - value <= rtol * value)
        return { value, residual: Math.max(0, op.edgeBound - value), steps: alpha.length };
    }
    beta.push(b);
  }
  return best;
}

/** The k lowest nonzero eigenpairs (plus the exact null space, which is not in `vectors`). */
export interface LowModes {
  /** Ascending nonzero eigenvalues λ_{c+1} … λ_{c+k} (c = #components). */
  values: Float64Array;
  /** Residual norms ‖L v − λ v‖ of each. */
  residuals: Float64Array;
  /** Pointer to the n×k row-major block of eigenvectors (in the caller's scope). */
  vectors: number;
  k: number;
  /** Ritz value of the first mode not returned (an estimate of λ_{c+k+1}); Infinity if none. */
  next: number;
  /** The lowest Ritz value and its residual (λ_2 even when k = 0). */
  lowest: number;
  lowestResidual: number;
  sweeps: number;
  /** Sparse matrix–vector products spent (block columns counted one each). */
  matvecs: number;
}

/** Options of {@link lowModes}. */
export interface LowModeOptions {
  /** Modes wanted (nonzero ones). */
  k: number;
  /** Extra block columns (guard vectors). */
  guard: number;
  /** Smallest and largest Chebyshev degree per sweep (chosen from the Ritz values in between). */
  degree: number;
  maxDegree: number;
  /** Relative residual target ‖Lv − θv‖ ≤ rtol·θ. */
  rtol: number;
  maxSweeps: number;
  seed: number;
  /** Upper bound of the spectrum. */
  upper: number;
  onProgress?: OnProgress;
}

/**
 * The lowest nonzero eigenpairs of L by Chebyshev-filtered subspace iteration
 * on the complement of the null space. Returns the longest converged leading
 * run of modes, cut where the spectrum has a gap (so a degenerate cluster is
 * never split).
 */
export function lowModes(s: Scope, op: Op, o: LowModeOptions): LowModes {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = op.n;
  const dim = n - op.compSize.length; // nonzero modes available
  const kw = Math.max(0, Math.min(o.k, dim));
  const b = Math.min(dim, kw + o.guard);
  if (b <= 0)
    return {
      values: new Float64Array(0),
      residuals: new Float64Array(0),
      vectors: 0,
      k: 0,
      next: Infinity,
      lowest: 0,
      lowestResidual: 0,
      sweeps: 0,
      matvecs: 0,
    };
  const x = s.f64(n * b),
    y = s.f64(n * b),
    z = s.f64(n * b),
    hp = s.f64(b * b);
  kern
    .fn<{ rngFillGaussian(st: number, n: number, out: number, stride: number, off: number): void }>()
    .rngFillGaussian(s.rng(o.seed, 11), n * b, x, 1, 0);
  projectNull(op, x, b);
  svqb(s, op, x, y, b);
  let theta: Float64Array = new Float64Array(b),
    res = new Float64Array(b);
  let matvecs = 0,
    sweeps = 0;
  // Rayleigh–Ritz on x (y = L x); leaves x the Ritz vectors, y = L x, theta, res
  const rr = () => {
    f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, x, y);
    matvecs += b;
    f.lrgBlockGram(n, b, b, x, y, hp);
    const e = eigh({ rows: b, cols: b, data: readSym(hp, b) }, { vectors: true });
    theta = e.values;
    kern.f64(hp, b * b).set(e.vectors!.data);
    f.lrgBlockTimes(n, b, b, x, hp, z);
    kern.f64(x, n * b).set(kern.f64(z, n * b));
    f.lrgBlockTimes(n, b, b, y, hp, z);
    kern.f64(y, n * b).set(kern.f64(z, n * b));
    // residuals ‖y_c − θ_c x_c‖
    const X = kern.f64(x, n * b),
      Y = kern.f64(y, n * b);
    res = new Float64Array(b);
    for (let i = 0; i < n; i++) {
      const r = i * b;
      for (let c = 0; c < b; c++) {
        const d = Y[r + c]! - theta[c]! * X[r + c]!;
        res[c] = res[c]! + d * d;
      }
    }
    for (let c = 0; c < b; c++) res[c] = Math.sqrt(res[c]!);
  };
  rr();
  const ub = o.upper;
  // converged: a small residual, or a Ritz value that stopped moving (1e-12 relative over a sweep:
  // inside a tight cluster single vectors converge slowly, the cluster's subspace does not) (ours)
  let prevTheta = new Float64Array(b).fill(Infinity);
  const ok = (c: number) =>
    res[c]! <= o.rtol * Math.max(theta[c]!, 1e-300) || Math.abs(prevTheta[c]! - theta[c]!) <= 1e-12 * theta[c]!;
  const converged = () => {
    let c = 0;
    while (c < kw && ok(c)) c++;
    return c;
  };
  let best = 0,
    stall = 0;
  while (sweeps < o.maxSweeps && converged() < kw) {
    // stop when the converged count has not grown for 4 sweeps (the block ends inside a cluster,
    // or the wanted modes sit in a dense cluster whose vectors converge slowly)
    const cv = converged();
    if (cv > best) {
      best = cv;
      stall = 0;
    } else if (++stall >= (best > 0 ? 4 : 10)) break;
    // filter: damp [a, ub], amplify below a (scaled Chebyshev, Zhou & Saad 2007)
    const a = theta[b - 1]!;
    const a0 = Math.min(theta[0]!, 0.5 * a);
    const e = (ub - a) / 2,
      c = (ub + a) / 2;
    if (!(e > 0)) break;
    // degree: the wanted modes gain a factor ≈ e^5 on the cut per sweep, T_d(y) ≈ e^{d·acosh y} (ours)
    const ref = Math.min(theta[Math.max(0, kw - 1)]!, a - 0.2 * (a - theta[0]!));
    const yk = (c - ref) / e;
    const acosh = (y: number) => log(Math.max(1, y) + Math.sqrt(Math.max(0, y * y - 1)));
    let degree = Math.max(o.degree, Math.min(o.maxDegree, Math.ceil(5 / Math.max(1e-12, acosh(yk)))));
    // keep the filter's gain from the lowest to the last wanted Ritz value below e^18 ≈ 7·10⁷, or the
    // wanted columns drown in rounding next to the lowest one (ours)
    const spread = acosh((c - a0) / e) - acosh(yk);
    if (spread > 0) degree = Math.max(4, Math.min(degree, Math.floor(18 / spread)));
    let sigma = e / (a0 - c);
    const tau = 2 / sigma;
    // y = (L x − c x)·σ/e ; x stays the previous term
    f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, x, y);
    f.lrgCombine3(n * b, sigma / e, y, (-c * sigma) / e, x, 0, x, y);
    let p0 = x,
      p1 = y,
      p2 = z;
    for (let d = 2; d <= degree; d++) {
      const s1 = 1 / (tau - sigma);
      f.lrgBlockCsrMv(n, op.rp, op.cp, op.vp, b, p1, p2);
      // p2 = (L p1 − c p1)·2σ1/e − σσ1 p0
      f.lrgCombine3(n * b, (2 * s1) / e, p2, (-2 * c * s1) / e, p1, -sigma * s1, p0, p2);
      [p0, p1, p2] = [p1, p2, p0];
      sigma = s1;
    }
    matvecs += b * degree;
    if (p1 !== x) kern.f64(x, n * b).set(kern.f64(p1, n * b));
    projectNull(op, x, b);
    svqb(s, op, x, y, b);
    prevTheta = theta.slice();
    rr();
    sweeps++;
    o.onProgress?.(
      Math.min(1, converged() / Math.max(1, kw)),
      `low modes: ${converged()}/${kw} converged, sweep ${sweeps}`,
    );
  }
  // the leading converged run, cut at a gap (relative 1e-6) so no degenerate cluster is split
  return {
    ...leadingModes(s, n, b, kw, x, theta, res, ok),
    sweeps,
    matvecs,
  };
}

/** Per-probe Gauss quadratures of the deflated operator (m steps and the leading m′ steps). */
export interface DeflatedProbes {
  nodes: Float64Array[];
  weights: Float64Array[];
  /** The same from the leading m′ < m steps (for the quadrature-error estimate). */
  nodesShort: Float64Array[];
  weightsShort: Float64Array[];
  /** Gauss–Radau rules with the node at a lower bound of the deflated spectrum. */
  nodesRadau: Float64Array[];
  weightsRadau: Float64Array[];
  steps: number;
  stepsShort: number;
  /** Largest Ritz value seen and its residual bound. */
  ritzMax: number;
}

/**
 * Gauss–Radau extension of a Lanczos tridiagonal T_m with a prescribed node a
 * below the spectrum (Golub & Meurant, "Matrices, Moments and Quadrature",
 * 2010, §6.2): solve (T_m − aI)δ = β_m² e_m and append α′ = a + δ_m. For
 * e^{−τx} the Gauss rule is a lower bound and this rule an upper bound.
 */
function radau(alpha: number[], beta: number[], a: number): { alpha: number[]; beta: number[] } | null {
  const m = alpha.length;
  if (m === 0 || beta.length < m || !(beta[m - 1]! > 0)) return null;
  const bm = beta[m - 1]!;
  // Thomas algorithm on the positive definite T_m − aI
  const c = new Float64Array(m),
    d = new Float64Array(m);
  let piv = alpha[0]! - a;
  if (!(piv > 0)) return null;
  c[0] = m > 1 ? beta[0]! / piv : 0;
  d[0] = m === 1 ? (bm * bm) / piv : 0;
  for (let i = 1; i < m; i++) {
    piv = alpha[i]! - a - beta[i - 1]! * c[i - 1]!;
    if (!(piv > 0)) return null;
    c[i] = i < m - 1 ? beta[i]! / piv : 0;
    d[i] = ((i === m - 1 ? bm * bm : 0) - beta[i - 1]! * d[i - 1]!) / piv;
  }
  return { alpha: [...alpha, a + d[m - 1]!], beta: beta.slice(0, m) };
}

function quadrature(alpha: number[], beta: number[], nz: number): { th: Float64Array; w: Float64Array } {
  const m = alpha.length;
  if (m === 0) return { th: new Float64Array(0), w: new Float64Array(0) };
  const T = eighTridiagonal(Float64Array.from(alpha), Float64Array.from(beta.slice(0, m - 1)), { vectors: true });
  const th = new Float64Array(m),
    w = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    th[c] = Math.max(0, T.values[c]!);
    w[c] = nz * T.vectors!.data[c]! * T.vectors!.data[c]!;
  }
  return { th, w };
}

/**
 * SLQ probes per pool task: fixed, so the split by probe index does not depend on the pool size. 8,
 * not 4: on a graph with random neighbours (Barabási–Albert) every nonzero of the lock-step product
 * is a cache miss for the row of the block it reads, so wider blocks share it (BA m = 3, 10⁶ nodes,
 * 16 probes × 150 steps: 116 s CPU in tasks of 4); the default 16 probes make one task per worker
 * of a 2-core machine (ours, measured).
 */
export const PROBES_PER_TASK = 8;

/**
 * The next `c` probes from `rng` into the row-major block q[n×c]: Rademacher vectors with the null
 * space and the k computed modes projected out (twice), then normalised. Every column's arithmetic is
 * independent of c (the block kernels sum per column in row order), so a probe has the same bits
 * whether it is drawn in one block of all probes or in a chunk. Returns the squared norms before
 * normalising (0: a probe with nothing left, which is skipped).
 */
function probeStarts(s: Scope, op: Op, modes: LowModes, rng: number, c: number, q: number, tmp: number): Float64Array {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = op.n,
    k = modes.k;
  const col = s.f64(n);
  for (let p = 0; p < c; p++) {
    f.lrgRademacher(rng, n, 0, col);
    const cv = kern.f64(col, n);
    const Qv = kern.f64(q, n * c);
    for (let i = 0; i < n; i++) Qv[i * c + p] = cv[i]!;
  }
  projectNull(op, q, c);
  if (k > 0) {
    const g = s.f64(k * c);
    for (let pass = 0; pass < 2; pass++) {
      f.lrgBlockGram(n, k, c, modes.vectors, q, g);
      f.lrgBlockTimes(n, k, c, modes.vectors, g, tmp);
      f.lrgCombine3(n * c, 1, q, -1, tmp, 0, q, q);
    }
  }
  const Q = kern.f64(q, n * c);
  const nz = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let p = 0; p < c; p++) nz[p] = nz[p]! + Q[i * c + p]! * Q[i * c + p]!;
  for (let i = 0; i < n; i++)
    for (let p = 0; p < c; p++) Q[i * c + p] = nz[p]! > 0 ? Q[i * c + p]! / Math.sqrt(nz[p]!) : 0;
  return nz;
}

/** Lanczos coefficients of independent probes: alpha[p], beta[p] for probe p (empty for a zero start). */
export interface ProbeRecurrences {
  alpha: number[][];
  beta: number[][];
}

/**
 * `m` lock-step Lanczos steps (no reorthogonalisation, no basis stored) of the `c` unit columns of
 * q[n×c] (overwritten, as is the scratch block qp[n×c]) with the CSR matrix (rp, cp, vp) in kernel
 * memory. A column stops at an invariant subspace (β ≤ 10⁻¹² ‖T‖); a zero column never starts.
 */
export function lanczosLockstep(
  s: Scope,
  csr: { n: number; rp: number; cp: number; vp: number },
  c: number,
  q: number,
  qp: number,
  m: number,
  onProgress?: OnProgress,
): ProbeRecurrences {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const n = csr.n;
  const bp = s.f64(c),
    al = s.f64(c),
    be = s.f64(c),
    wk = s.bytes(f.lrgBlockLanczosStepWorkSize(c));
  kern.f64(qp, n * c).fill(0);
  kern.f64(bp, c).fill(0);
  const alpha: number[][] = Array.from({ length: c }, () => []);
  const beta: number[][] = Array.from({ length: c }, () => []);
  const live = new Uint8Array(c);
  {
    const Q = kern.f64(q, n * c);
    for (let i = 0; i < n; i++) for (let p = 0; p < c; p++) if (Q[i * c + p] !== 0) live[p] = 1;
  }
  let cur = q,
    prev = qp;
  const anorm = new Float64Array(c);
  for (let j = 0; j < m && live.some((v) => v); j++) {
    f.lrgBlockLanczosStep(n, csr.rp, csr.cp, csr.vp, c, prev, cur, bp, al, be, wk);
    const A = kern.f64(al, c),
      B = kern.f64(be, c);
    for (let p = 0; p < c; p++) {
      if (!live[p]) continue;
      alpha[p]!.push(A[p]!);
      beta[p]!.push(B[p]!);
      anorm[p] = Math.max(anorm[p]!, Math.abs(A[p]!) + B[p]!);
      if (B[p]! <= 1e-12 * anorm[p]!) live[p] = 0;
    }
    kern.f64(bp, c).set(B);
    [cur, prev] = [prev, cur];
    if (onProgress && (j % 16 === 15 || j === m - 1))
      onProgress((j + 1) / m, `SLQ: Lanczos step ${j + 1}/${m} × ${c} probes`);
  }
  return { alpha, beta };
}

/**
 * SLQ on the complement of the null space and of the k computed modes:
 * `probes` Rademacher vectors projected (twice) and run through `steps`
 * lock-step Lanczos steps — in the calling thread as one block, or on a pool
 * in chunks of {@link PROBES_PER_TASK} probes (task "lrg.probes"; same bits).
 */
export function* deflatedProbesSteps(
  s: Scope,
  op: Op,
  modes: LowModes,
  probes: number,
  steps: number,
  seed: number,
  onProgress?: OnProgress,
): Steps<DeflatedProbes> {
  // a lower bound of the deflated spectrum: the largest computed mode (the cut is at a gap), else 0
  const lowerBound = modes.k > 0 ? modes.values[modes.k - 1]! : 0;
  const kern = getKernel();
  const n = op.n,
    P = probes,
    k = modes.k;
  const m = Math.max(1, Math.min(steps, n - op.compSize.length - k));
  const mShort = Math.max(1, Math.floor((2 * m) / 3));
  const rng = s.rng(seed, 0);
  const nz = new Float64Array(P);
  const local = (): ProbeRecurrences =>
    kern.scope((t) => {
      const q = t.f64(n * P),
        qp = t.f64(n * P);
      nz.set(probeStarts(t, op, modes, rng, P, q, qp));
      return lanczosLockstep(t, op, P, q, qp, m, onProgress);
    });
  const chunks = (): unknown[][] =>
    kern.scope((t) => {
      const out: unknown[][] = [];
      for (let p0 = 0; p0 < P; p0 += PROBES_PER_TASK) {
        const c = Math.min(PROBES_PER_TASK, P - p0);
        const q = t.f64(n * c),
          tmp = t.f64(n * c);
        nz.set(probeStarts(t, op, modes, rng, c, q, tmp), p0);
        out.push([op.csr, kern.readF64(q, n * c), c, m]);
      }
      onProgress?.(0, `SLQ: ${m} Lanczos steps × ${P} probes in ${out.length} tasks of ≤ ${PROBES_PER_TASK}`);
      return out;
    });
  const parts = (yield {
    kind: "map",
    task: "lrg.probes",
    argsList: chunks,
    local: () => [local()],
  }) as ProbeRecurrences[];
  const alpha = parts.flatMap((r) => r.alpha),
    beta = parts.flatMap((r) => r.beta);
  // normalised probes (Girard): every probe is scaled to the exact trace of the projector, dim = n − c − k,
  // so Tr f(L) at τ → 0 is exact and the probe noise is that of the direction only (ours)
  const dim = n - op.compSize.length - k;
  const out: DeflatedProbes = {
    nodes: [],
    weights: [],
    nodesShort: [],
    weightsShort: [],
    nodesRadau: [],
    weightsRadau: [],
    steps: m,
    stepsShort: mShort,
    ritzMax: 0,
  };
  for (let p = 0; p < P; p++) {
    const a = alpha[p]!,
      b = beta[p]!;
    const scale = nz[p]! > 0 ? dim : 0;
    const full = quadrature(a, b, scale);
    const short = quadrature(a.slice(0, Math.min(a.length, mShort)), b, scale);
    const rd = radau(a, b, lowerBound);
    const upper = rd ? quadrature(rd.alpha, rd.beta, scale) : full;
    out.nodesRadau.push(upper.th);
    out.weightsRadau.push(upper.w);
    out.nodes.push(full.th);
    out.weights.push(full.w);
    out.nodesShort.push(short.th);
    out.weightsShort.push(short.w);
    for (const t of full.th) out.ritzMax = Math.max(out.ritzMax, t);
  }
  return out;
}

/**
 * Probe-noise half-width in jackknife standard errors (ours): 4, not 3, because the
 * errors at neighbouring τ are fully correlated (one set of probes draws the whole
 * curve) and the SE is itself estimated from the probes.
 */
export const BAND_Z = 4;

/** Absolute floor of every band: rounding in the spectral sums and the eigenvalue error of the exact modes (ours). */
export const BAND_FLOOR = 1e-9;

/** Curves with their band and its parts. */
export interface BandedCurves {
  entropy: Float64Array;
  specificHeat: Float64Array;
  /** Half-width of the band of S: probe noise (4 jackknife SE) + quadrature error. */
  entropyError: Float64Array;
  specificHeatError: Float64Array;
  /** The probe-noise part (4 jackknife SE) and the quadrature part of the C band. */
  specificHeatNoise: Float64Array;
  specificHeatQuadrature: Float64Array;
  /** S and C from the exact modes alone (what the SLQ part adds is the difference). */
  entropyExactOnly: Float64Array;
  specificHeatExactOnly: Float64Array;
}

/**
 * S and C = exact modes (null space + computed modes) + SLQ of the rest, with
 * the band 4·SE_jackknife + max(|Gauss(m) − Gauss(m′)|, |Gauss(m) − Radau(m + 1)|) + floor.
 */
export function bandedCurves(
  exactValues: Float64Array,
  pr: DeflatedProbes,
  tau: Float64Array,
  n: number,
): BandedCurves {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const nt = tau.length,
    P = pr.nodes.length;
  const moments = (th: Float64Array, w: Float64Array): Float64Array =>
    kern.scope((s) => {
      const out = s.f64(3 * nt);
      if (th.length) f.lrgTraceMoments(th.length, s.copyF64(th), s.copyF64(w), nt, s.copyF64(tau), 0, out);
      else kern.f64(out, 3 * nt).fill(0);
      return kern.readF64(out, 3 * nt);
    });
  const ex = moments(exactValues, new Float64Array(exactValues.length).fill(1));
  const full = pr.nodes.map((th, p) => moments(th, pr.weights[p]!));
  const short = pr.nodesShort.map((th, p) => moments(th, pr.weightsShort[p]!));
  const rad = pr.nodesRadau.map((th, p) => moments(th, pr.weightsRadau[p]!));
  const invLn = 1 / log(n);
  const curve = (z: number, a: number, b: number, t: number) => curveFromMoments(z, a, b, t, invLn);
  const S = new Float64Array(nt),
    C = new Float64Array(nt),
    dS = new Float64Array(nt),
    dC = new Float64Array(nt);
  const nC = new Float64Array(nt),
    qC = new Float64Array(nt),
    S0 = new Float64Array(nt),
    C0 = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    const z0 = ex[3 * t]!,
      a0 = ex[3 * t + 1]!,
      b0 = ex[3 * t + 2]!;
    let z = 0,
      a = 0,
      b = 0,
      zs = 0,
      as = 0,
      bs = 0,
      zr = 0,
      ar = 0,
      br = 0;
    for (let p = 0; p < P; p++) {
      zr += rad[p]![3 * t]!;
      ar += rad[p]![3 * t + 1]!;
      br += rad[p]![3 * t + 2]!;
      z += full[p]![3 * t]!;
      a += full[p]![3 * t + 1]!;
      b += full[p]![3 * t + 2]!;
      zs += short[p]![3 * t]!;
      as += short[p]![3 * t + 1]!;
      bs += short[p]![3 * t + 2]!;
    }
    const tt = tau[t]!;
    [S[t], C[t]] = curve(z0 + z / P, a0 + a / P, b0 + b / P, tt);
    [S0[t], C0[t]] = z0 > 0 ? curve(z0, a0, b0, tt) : [0, 0];
    const [Ss, Cs] = curve(z0 + zs / P, a0 + as / P, b0 + bs / P, tt);
    const [Sr, Cr] = curve(z0 + zr / P, a0 + ar / P, b0 + br / P, tt);
    let seS = 0,
      seC = 0;
    if (P > 1) {
      const js = new Float64Array(P),
        jc = new Float64Array(P);
      for (let p = 0; p < P; p++) {
        [js[p], jc[p]] = curve(
          z0 + (z - full[p]![3 * t]!) / (P - 1),
          a0 + (a - full[p]![3 * t + 1]!) / (P - 1),
          b0 + (b - full[p]![3 * t + 2]!) / (P - 1),
          tt,
        );
      }
      const se = (xs: Float64Array) => {
        let mu = 0;
        for (const v of xs) mu += v;
        mu /= P;
        let ss = 0;
        for (const v of xs) ss += (v - mu) * (v - mu);
        return Math.sqrt(((P - 1) / P) * ss);
      };
      seS = se(js);
      seC = se(jc);
    }
    nC[t] = BAND_Z * seC;
    qC[t] = Math.max(Math.abs(C[t]! - Cs), Math.abs(C[t]! - Cr));
    dS[t] = BAND_Z * seS + Math.max(Math.abs(S[t]! - Ss), Math.abs(S[t]! - Sr)) + BAND_FLOOR;
    dC[t] = nC[t]! + qC[t]! + BAND_FLOOR;
  }
  return {
    entropy: S,
    specificHeat: C,
    entropyError: dS,
    specificHeatError: dC,
    specificHeatNoise: nC,
    specificHeatQuadrature: qC,
    entropyExactOnly: S0,
    specificHeatExactOnly: C0,
  };
}

/** Most Lanczos steps per probe the quadrature rule below asks for (time grows linearly in it). */
export const MAX_QUADRATURE_STEPS = 1200;

/**
 * Lanczos steps per probe for the deflated quadrature (ours, measured on exact torus spectra): at
 * least `steps`, and enough that the m-node Gauss rule (exact to degree 2m − 1) resolves e^{−τx} on
 * [λ_{k+1}, λ_max] up to the τ where the deflated part still matters, τ_eff = min(τ_max, 10/λ_{k+1}):
 * m ≥ 0.75·√(τ_eff·λ_max). On the 10⁶-node 2-D torus with k = 12 (λ_{k+1} = 2·10⁻⁴) that is 478;
 * a model of the estimator on the exact spectrum gave max |C − C_exact|·ln N = 0.96 at 150 steps,
 * 0.19 at 300 and 0.077 at 450 and 600 (the rest is probe noise). Capped at {@link MAX_QUADRATURE_STEPS}.
 */
export function quadratureSteps(steps: number, lambdaMax: number, modes: LowModes, tauMax: number): number {
  const next = modes.k > 0 && isFinite(modes.next) ? modes.next : modes.lowest;
  if (!(next > 0) || !(lambdaMax > 0)) return steps;
  const tEff = Math.min(tauMax, 10 / next);
  return Math.max(steps, Math.min(MAX_QUADRATURE_STEPS, Math.ceil(0.75 * Math.sqrt(tEff * lambdaMax))));
}

/** What the SLQ part may move S or C at the largest τ regardless of the band there (ours). */
export const REST_TOLERANCE = 1e-6;

/** Options of {@link scaleAnalysis}. */
export interface ScaleOptions {
  probes: number;
  steps: number;
  seed: number;
  points: number;
  tauMin: number | null;
  tauMax: number | null;
  /** Initial number of exact low modes (grown ×2 while the criterion fails), and the cap. */
  lowModes: number;
  maxLowModes: number;
  /** A τ grid to use instead of the default one (then points, tauMin, tauMax are ignored). */
  tau?: Float64Array;
  onProgress?: OnProgress;
}

/** What {@link scaleAnalysis} measured. */
export interface ScaleResult {
  tau: Float64Array;
  curves: BandedCurves;
  lambda2: number;
  lambdaMax: number;
  lambdaMaxResidual: number;
  /** Residual bound of λ_2 (‖Lv − λv‖; the eigenvalue error is ≤ residual²/gap). */
  lambda2Residual: number;
  /** Exact modes used: the null space and the k lowest nonzero ones. */
  components: number;
  k: number;
  values: Float64Array;
  /** Estimate of the first eigenvalue not deflated. */
  next: number;
  /** |S, C with − without the SLQ part| at the grid's largest τ, and whether it is below the band there. */
  restAtTauMax: { entropy: number; specificHeat: number; adequate: boolean };
  steps: number;
  matvecs: number;
  /** The low modes' eigenvectors stay available while the caller's scope lives. */
  modes: LowModes;
  op: Op;
  /** The upper spectral bound used by the filters. */
  upper: number;
  /** The deflated quadratures with the exact modes added (weight 1 each), for counts #{λ ≤ x}. */
  probesForCount: { nodes: Float64Array[]; weights: Float64Array[] };
}

/**
 * S(τ), C(τ) with a band, λ_2 and λ_max for a large sparse graph, all in the
 * caller's kernel scope (the low modes are kept for the supernode step); as
 * steps for {@link runSync} or {@link runPooled}: λ_max is a task of its own
 * (on a pool it runs beside the low modes), the SLQ probes are tasks of
 * {@link PROBES_PER_TASK} probes.
 */
export function* scaleSteps(s: Scope, g: SymEdges, o: ScaleOptions): Steps<ScaleResult> {
  const op = loadOp(s, g);
  const prog = o.onProgress;
  const n = g.n,
    nc = op.compSize.length;
  prog?.(0, `λ_max by Lanczos (${n} nodes, ${op.nnz} nonzeros)`);
  const lmSteps = Math.min(2000, Math.max(50, n));
  const bounds = { maxDegree: op.maxDegree, edgeBound: op.edgeBound };
  const lmHandle = (yield {
    kind: "start",
    task: "lrg.lambdaMax",
    args: [op.csr, op.comp, op.compSize, bounds, o.seed, 1e-6, lmSteps],
    local: () => lambdaMaxLanczos(s, op, o.seed, 1e-6, lmSteps),
  }) as number;
  const useLobpcg = usesLobpcg(g);
  // hub graphs: one guard column per 4 wanted ones, not 4 (their λ_3, λ_4, … sit right above λ_2, so
  // guard columns barely speed the leading one up and cost a column each per iteration; BA m = 3,
  // 10⁵ nodes, k = 1: LOBPCG 12.4 s CPU with 4 guards, 7.1 s with 2, 4.2 s with 1, λ_2 the same to
  // 10⁻¹⁰) (ours, measured)
  const hubs = useLobpcg && hasHubs(g);
  // the upper spectral bound from λ_max (the Chebyshev filter needs it first; LOBPCG does not, and
  // then λ_max runs beside it on a pool)
  const lmBox: { r: LmaxResult | null; upper: number } = { r: null, upper: 0 };
  const haveLmax = (r: LmaxResult): LmaxResult => {
    lmBox.r = r;
    lmBox.upper = Math.min(op.edgeBound, r.value + r.residual + 1e-6 * r.value) * (1 + 1e-9);
    prog?.(0.05, `λ_max = ${r.value} (${r.steps} Lanczos steps, residual ${r.residual.toExponential(1)})`);
    return r;
  };
  if (!useLobpcg) haveLmax((yield { kind: "wait", handle: lmHandle }) as LmaxResult);
  let kWant = Math.min(o.lowModes, o.maxLowModes);
  let modes: LowModes;
  let tau: Float64Array;
  let probes: DeflatedProbes;
  let curves: BandedCurves;
  let matvecs = 0;
  let rest: ScaleResult["restAtTauMax"];
  let kPrev = -1;
  for (;;) {
    const span = (a: number, b: number) => (f: number, m: string) => prog?.(a + (b - a) * f, m);
    modes = useLobpcg
      ? getKernel().scope((inner) => {
          // the solver's blocks and hierarchy are freed before the SLQ probes are allocated
          const m = lowModesLobpcg(inner, op, {
            k: kWant,
            guard: hubs ? Math.max(1, Math.ceil(kWant / 4)) : Math.max(4, Math.ceil(kWant / 4)),
            rtol: 1e-5,
            eigenTolerance: 1e-7,
            maxIterations: 200,
            seed: o.seed,
            projectNull,
            onProgress: span(0.05, 0.5),
          });
          const v = s.f64(n * Math.max(1, m.k));
          getKernel()
            .f64(v, n * Math.max(1, m.k))
            .set(getKernel().f64(m.vectors, n * Math.max(1, m.k)));
          return { ...m, vectors: v };
        })
      : lowModes(s, op, {
          k: kWant,
          guard: Math.max(4, Math.ceil(kWant / 4)),
          degree: 16,
          maxDegree: 400,
          rtol: 1e-5,
          maxSweeps: 60,
          seed: o.seed,
          upper: lmBox.upper,
          onProgress: span(0.05, 0.5),
        });
    matvecs += modes.matvecs;
    const lmax: LmaxResult = lmBox.r ?? haveLmax((yield { kind: "wait", handle: lmHandle }) as LmaxResult);
    const lambda2 = modes.k > 0 ? modes.values[0]! : modes.lowest > 0 ? modes.lowest : lmax.value;
    const tMin = o.tauMin ?? 0.1 / lmax.value;
    const tMax = o.tauMax ?? 10 / lambda2;
    tau = o.tau ?? tauGrid(tMin, tMax, o.points);
    const steps = quadratureSteps(o.steps, lmax.value, modes, tau[tau.length - 1]!);
    probes = yield* deflatedProbesSteps(s, op, modes, o.probes, steps, o.seed, span(0.5, 0.95));
    matvecs += probes.steps * o.probes;
    const exact = new Float64Array(nc + modes.k);
    exact.set(modes.values, nc);
    curves = bandedCurves(exact, probes, tau, n);
    const t = tau.length - 1;
    const dS = Math.abs(curves.entropy[t]! - curves.entropyExactOnly[t]!);
    const dC = Math.abs(curves.specificHeat[t]! - curves.specificHeatExactOnly[t]!);
    rest = {
      entropy: dS,
      specificHeat: dC,
      adequate:
        dS <= Math.max(REST_TOLERANCE, curves.entropyError[t]!) &&
        dC <= Math.max(REST_TOLERANCE, curves.specificHeatError[t]!),
    };
    if (rest.adequate || kWant >= o.maxLowModes || modes.k >= n - nc || modes.k <= kPrev) break;
    // modes that still matter at τ_max (τ_max·λ ≤ 36), counted from the quadrature nodes: when more
    // than the cap, more modes cannot meet the criterion and another solve is wasted (ours)
    const cut = 36 / tau[t]!;
    let count = modes.k;
    for (let p = 0; p < probes.nodes.length; p++) {
      const th = probes.nodes[p]!,
        w = probes.weights[p]!;
      for (let c = 0; c < th.length; c++) if (th[c]! <= cut) count += w[c]! / probes.nodes.length;
    }
    if (count > o.maxLowModes) break;
    kPrev = modes.k;
    kWant = Math.min(o.maxLowModes, Math.max(2 * kWant, Math.ceil(1.25 * count) + 4));
  }
  prog?.(1, `done: k = ${modes.k} exact modes, ${probes.steps} Lanczos steps × ${o.probes} probes`);
  return {
    tau,
    curves,
    lambda2: modes.k > 0 ? modes.values[0]! : modes.lowest,
    lambdaMax: lmBox.r!.value,
    lambdaMaxResidual: lmBox.r!.residual,
    lambda2Residual: modes.k > 0 ? modes.residuals[0]! : modes.lowestResidual,
    components: nc,
    k: modes.k,
    values: modes.values,
    next: modes.next,
    restAtTauMax: rest,
    steps: probes.steps,
    matvecs: matvecs + lmBox.r!.steps,
    modes,
    op,
    upper: lmBox.upper,
    probesForCount: { nodes: probes.nodes, weights: probes.weights },
  };
}

/**
 * {@link scaleSteps} in the calling thread.
 * @param s The caller's scope (the result's pointers live in it).
 * @param g The graph.
 * @param o The options.
 * @returns What the analysis measured.
 * @example
 * getKernel().scope((s) => scaleAnalysis(s, g, o).curves.specificHeat)
 */
export function scaleAnalysis(s: Scope, g: SymEdges, o: ScaleOptions): ScaleResult {
  return runSync(scaleSteps(s, g, o));
}

/**
 * The k lowest nonzero modes of a graph, copied out of kernel memory (for a
 * flow step that needs more modes than the curves did).
 */
export function levelModes(
  g: SymEdges,
  k: number,
  seed: number,
  onProgress?: OnProgress,
): {
  comp: Int32Array;
  compSize: Float64Array;
  values: Float64Array;
  vectors: Float64Array;
  k: number;
  next: number;
  upper: number;
} {
  const kern = getKernel();
  return kern.scope((s) => {
    const op = loadOp(s, g);
    const lm = lambdaMaxLanczos(s, op, seed, 1e-6, Math.min(2000, Math.max(50, g.n)));
    const upper = Math.min(op.edgeBound, lm.value + lm.residual + 1e-6 * lm.value) * (1 + 1e-9);
    const m = lowModes(s, op, {
      k,
      guard: Math.max(4, Math.ceil(k / 4)),
      degree: 16,
      maxDegree: 400,
      rtol: 1e-5,
      maxSweeps: 60,
      seed,
      upper,
      onProgress,
    });
    const dim = g.n - op.compSize.length;
    return {
      comp: op.comp,
      compSize: op.compSize,
      values: m.values,
      vectors: m.k > 0 ? kern.readF64(m.vectors, g.n * m.k) : new Float64Array(0),
      k: m.k,
      next: m.k >= dim ? Infinity : m.next,
      upper,
    };
  });
}
