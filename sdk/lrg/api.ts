/**
 * Public helpers around the LRG core: the Laplacian spectrum of a graph,
 * supernodes at a given τ, the Krylov action of e^{−τL}, and SLQ curves.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import { eigh, eighTridiagonal } from "../linalg/eigh.js";
import type { Graph } from "../types.js";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptions,
  checkSeed,
  checkVector,
  message,
} from "../validate.js";
import type { LrgExports } from "./kernel.js";
import { csrLaplacian, denseLaplacian, groupsOf, symEdges, type SymEdges } from "./graph.js";
import { checkTau } from "./spectrum.js";
import {
  modesPartition,
  rhoFromEigen,
  rhoFullFromEigen,
  rhoPrimePartition,
  rhoPrimePartitionFull,
  type Partition,
} from "./supernodes.js";
import { rhoKrylov, slqCount, slqProbes } from "./slq.js";
import { scaleAnalysis } from "./scale.js";
import { DEFAULT_PROBES, DEFAULT_STEPS, MODE_MEMORY, defaultLowModes } from "./lrg.js";
import { exp } from "../math.js";

function graphOf(graph: unknown): SymEdges {
  const g = symEdges("graph", graph);
  if (g.n === 0)
    throw new DgrnRangeError(message("graph.n", "a positive integer (an empty graph has no Laplacian spectrum)", 0));
  return g;
}

/**
 * The eigenvalues of L = D − (A + Aᵀ)/2, ascending (dense eigendecomposition).
 *
 * @param graph - a {@link Graph} with nonnegative weights
 * @returns the n eigenvalues, ascending; λ_1 = 0 up to rounding
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a malformed graph
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for an empty graph; `ERR_INVALID_DATA` for negative weights
 * @example
 * ```ts
 * await init();
 * laplacianSpectrum({ n: 2, directed: false, source: Int32Array.of(0), target: Int32Array.of(1), weight: Float64Array.of(1) }); // [0, 2]
 * ```
 */
export function laplacianSpectrum(graph: Graph): Float64Array {
  return eigh(denseLaplacian(graphOf(graph)), { vectors: false }).values;
}

/** Options of {@link lrgSupernodes}. */
export interface SupernodeOptions {
  /** "rho" (ρ′ ≥ 1, default) or "modes" (N′ = #{λ ≤ 1/τ} groups by descending ρ_ij on edges). */
  rule?: "rho" | "modes";
  /** ρ′ rule only on graph edges (default true). */
  restrictToEdges?: boolean;
  /** "dense" (default) or "slq" (ρ entries by Krylov actions; mode counts by SLQ). */
  method?: "dense" | "slq";
  /** Lanczos steps (slq). Default 50. */
  steps?: number;
  /** SLQ probes for the mode count (slq, rule "modes"). Default 10. */
  probes?: number;
  /** Seed of the probes. Default 1. */
  seed?: number;
}

/**
 * Kadanoff supernodes of a graph at diffusion time τ.
 *
 * @param graph - a {@link Graph}
 * @param tau - the diffusion time, > 0
 * @param options - see {@link SupernodeOptions}
 * @returns `{ labels, groups, count }`: labels[i] the supernode of node i (numbered by smallest member)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for τ ≤ 0 or an empty graph; `ERR_INVALID_OPTION` for bad option values
 * @example
 * ```ts
 * const { groups } = lrgSupernodes(graph, 3.2); // e.g. [[0, 1, 2], [3, 4, 5]]
 * ```
 */
export function lrgSupernodes(
  graph: Graph,
  tau: number,
  options?: SupernodeOptions,
): { labels: Int32Array; groups: number[][]; count: number } {
  const g = graphOf(graph);
  checkNumber("tau", tau, { min: 0, minExclusive: true });
  const o = checkOptions<SupernodeOptions>("options", options, [
    "rule",
    "restrictToEdges",
    "method",
    "steps",
    "probes",
    "seed",
  ]);
  const rule = o.rule === undefined ? "rho" : checkOneOf("options.rule", o.rule, ["rho", "modes"] as const);
  const restrict = o.restrictToEdges === undefined ? true : checkBoolean("options.restrictToEdges", o.restrictToEdges);
  const method = o.method === undefined ? "dense" : checkOneOf("options.method", o.method, ["dense", "slq"] as const);
  const steps = o.steps === undefined ? 50 : checkInteger("options.steps", o.steps, { min: 2, max: 10_000 });
  const probes = o.probes === undefined ? 10 : checkInteger("options.probes", o.probes, { min: 2, max: 100_000 });
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  if (method === "slq" && !restrict) {
    throw new DgrnRangeError(
      'invalid argument. `options.restrictToEdges` must be true with method "slq". Value: `false`.',
      ErrorCode.INVALID_OPTION,
    );
  }
  let part: Partition;
  if (method === "dense") {
    const { values, vectors } = eigh(denseLaplacian(g), { vectors: true });
    if (rule === "modes") {
      let target = 0;
      while (target < g.n && values[target]! <= 1 / tau) target++;
      part = modesPartition(g, rhoFromEigen(values, vectors!, tau, g.i, g.j).pair, Math.max(1, target));
    } else if (restrict) part = rhoPrimePartition(g.n, rhoFromEigen(values, vectors!, tau, g.i, g.j));
    else part = rhoPrimePartitionFull(g.n, rhoFullFromEigen(values, vectors!, tau));
  } else {
    const rho = rhoKrylov(g, tau, steps, g.i, g.j);
    if (rule === "modes")
      part = modesPartition(g, rho.pair, Math.max(1, slqCount(slqProbes(g, probes, steps, seed), 1 / tau)));
    else part = rhoPrimePartition(g.n, { diag: rho.diag, pi: g.i, pj: g.j, pair: rho.pair });
  }
  return { labels: part.labels, groups: groupsOf(part.labels, part.count), count: part.count };
}

/**
 * The action e^{−τL} v by the Lanczos (Krylov) method: e^{−τL} v ≈ ‖v‖ Q e^{−τT} e_1,
 * never forming L densely. `steps` Lanczos steps with full reorthogonalisation.
 *
 * @param graph - a {@link Graph}
 * @param tau - the diffusion time, ≥ 0
 * @param v - the vector, length n
 * @param options - `steps` (default 50; capped at n)
 * @returns e^{−τL} v
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when v.length ≠ n
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for τ < 0
 * @example
 * ```ts
 * heatKernelAction(graph, 1, e0); // column 0 of e^{−L}
 * ```
 */
export function heatKernelAction(
  graph: Graph,
  tau: number,
  v: ArrayLike<number>,
  options?: { steps?: number },
): Float64Array {
  const g = graphOf(graph);
  checkNumber("tau", tau, { min: 0 });
  const x = checkVector("v", v);
  if (x.length !== g.n) throw new DgrnShapeError(message("v.length", `graph.n = ${g.n}`, x.length));
  const o = checkOptions<{ steps?: number }>("options", options, ["steps"]);
  const steps = o.steps === undefined ? 50 : checkInteger("options.steps", o.steps, { min: 1, max: 10_000 });
  const n = g.n;
  let nrm = 0;
  for (let i = 0; i < n; i++) nrm += x[i]! * x[i]!;
  nrm = Math.sqrt(nrm);
  if (nrm === 0) return new Float64Array(n);
  const csr = csrLaplacian(g);
  const m = Math.min(steps, n);
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  return kern.scope((s) => {
    const qp = s.f64(m * n),
      ap = s.f64(m),
      bp = s.f64(m);
    const k = f.lrgLanczos(
      n,
      s.copyI32(csr.rowPtr),
      s.copyI32(csr.colIdx),
      s.copyF64(csr.values),
      m,
      1,
      s.copyF64(x),
      qp,
      ap,
      bp,
      s.bytes(f.lrgLanczosWorkSize(n)),
    );
    const T = eighTridiagonal(kern.readF64(ap, k), kern.readF64(bp, Math.max(0, k - 1)), { vectors: true });
    const V = T.vectors!.data;
    const y = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const g0 = nrm * V[c]! * exp(-tau * T.values[c]!);
      for (let r = 0; r < k; r++) y[r] = y[r]! + V[r * k + c]! * g0;
    }
    const out = s.f64(n);
    f.lrgKrylovCombine(n, k, qp, s.copyF64(y), out);
    return kern.readF64(out, n);
  });
}

/** Options of {@link slqSpectralCurves}. */
export interface SlqOptions {
  /** Rademacher probes. Default 16. */
  probes?: number;
  /** Lanczos steps per probe. Default 150. */
  steps?: number;
  /** Seed. Default 1. */
  seed?: number;
  /** Exact low modes to start from (grown while they do not suffice at the largest τ). Default 1.6·10⁶/n clamped to [16, 64]. */
  lowModes?: number;
  /** Progress: fraction 0…1 and a message. */
  onProgress?: (fraction: number, message: string) => void;
}

/** Result of {@link slqSpectralCurves}: the curves, their bands, λ_max and λ_2, and what the deflation used. */
export interface SlqResult {
  entropy: Float64Array;
  specificHeat: Float64Array;
  /** Half-width of the band of S: 4 jackknife standard errors over probes + the quadrature error + 1e-9. */
  entropyError: Float64Array;
  /** Half-width of the band of C, likewise. */
  specificHeatError: Float64Array;
  /** λ_max by Lanczos (a Ritz value, ≤ λ_max). */
  lambdaMax: number;
  /** λ_2, the smallest nonzero eigenvalue, by Chebyshev-filtered subspace iteration. */
  lambda2: number;
  /** Exact nonzero low modes used and connected components. */
  lowModes: number;
  components: number;
}

/**
 * S(τ) and C(τ) of a large sparse graph: the exact contribution of the k
 * lowest modes plus stochastic Lanczos quadrature on the deflated operator,
 * with an error band; no dense matrix, memory O(nnz + n·(k + probes)).
 *
 * @param graph - a {@link Graph} with n ≥ 2
 * @param tau - diffusion times, each > 0
 * @param options - see {@link SlqOptions}
 * @returns the curves, their bands, λ_max and λ_2
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for τ ≤ 0, n < 2, probes < 2 or steps < 2
 * @example
 * ```ts
 * const r = slqSpectralCurves(graph, tauGrid(1e-2, 1e2, 200), { probes: 20, seed: 3 });
 * ```
 */
export function slqSpectralCurves(graph: Graph, tau: ArrayLike<number>, options?: SlqOptions): SlqResult {
  const g = graphOf(graph);
  if (g.n < 2) throw new DgrnRangeError(message("graph.n", "at least 2 (S is normalised by ln N)", g.n));
  const t = checkTau("tau", tau);
  const o = checkOptions<SlqOptions>("options", options, ["probes", "steps", "seed", "lowModes", "onProgress"]);
  const probes =
    o.probes === undefined ? DEFAULT_PROBES : checkInteger("options.probes", o.probes, { min: 2, max: 100_000 });
  const steps = o.steps === undefined ? DEFAULT_STEPS : checkInteger("options.steps", o.steps, { min: 2, max: 10_000 });
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  const k0 =
    o.lowModes === undefined
      ? defaultLowModes(g.n, g)
      : checkInteger("options.lowModes", o.lowModes, { min: 0, max: 100_000 });
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    throw new DgrnTypeError(message("options.onProgress", "a function", o.onProgress));
  if (g.w.length === 0) {
    return {
      entropy: new Float64Array(t.length).fill(1),
      specificHeat: new Float64Array(t.length),
      entropyError: new Float64Array(t.length),
      specificHeatError: new Float64Array(t.length),
      lambdaMax: 0,
      lambda2: 0,
      lowModes: 0,
      components: g.n,
    };
  }
  return getKernel().scope((s) => {
    const r = scaleAnalysis(s, g, {
      probes,
      steps,
      seed,
      points: t.length,
      tauMin: null,
      tauMax: null,
      tau: t,
      lowModes: k0,
      maxLowModes: Math.max(k0, Math.min(512, Math.floor(MODE_MEMORY / g.n))),
      onProgress: o.onProgress,
    });
    const c = r.curves;
    return {
      entropy: c.entropy,
      specificHeat: c.specificHeat,
      entropyError: c.entropyError,
      specificHeatError: c.specificHeatError,
      lambdaMax: r.lambdaMax,
      lambda2: r.lambda2,
      lowModes: r.k,
      components: r.components,
    };
  });
}
