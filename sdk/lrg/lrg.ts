/**
 * The Laplacian renormalization group (Villegas, Gili, Caldarelli & Gabrielli,
 * Nat. Phys. 2023): entropy and specific heat of the diffusion density
 * matrix, the scales at the peaks of C(τ), Kadanoff supernodes, the metagraph
 * and the flow it generates.
 *
 * @module
 */
import { DgrnRangeError, DgrnTypeError, ErrorCode } from "../errors.js";
import type { Graph, RGFlow, RGStep } from "../types.js";
import { eigh } from "../linalg/eigh.js";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptions,
  checkSeed,
  message,
  type Matrix,
} from "../validate.js";
import { componentCount, denseLaplacian, groupsOf, isAsymmetric, metagraph, symEdges, type SymEdges } from "./graph.js";
import { bandedPeaks, curvesCore, spectralEnds, splitFiniteSize, tauGrid, type Peak } from "./spectrum.js";
import { getKernel } from "../kernel/init.js";
import { log } from "../math.js";
import { hasHubs, levelModes, LOBPCG_MIN_NODES, scaleSteps, usesLobpcg } from "./scale.js";
import {
  MODE_CUTOFF,
  PROBE_MAX_COLOURS,
  probePlan,
  rhoChebyshev,
  rhoFromModes,
  rhoProbing,
  type LevelModes,
  type ProbePlan,
} from "./flowscale.js";
import {
  modesPartition,
  rhoFromEigen,
  rhoFullFromEigen,
  rhoPrimePartition,
  rhoPrimePartitionFull,
  type Partition,
} from "./supernodes.js";
import { slqCount, type SlqProbes } from "./slq.js";
import { runPooled, runSync, type Steps } from "./steps.js";
import { Scope } from "../kernel/kernel.js";
import type { WorkerPool } from "../parallel/pool.js";

/** Memory for exact low modes of an SLQ level, in f64 values (k·n ≤ this; 32 MiB). */
export const MODE_MEMORY = 4_000_000;

/** Options of {@link laplacianRG}. */
export interface LRGOptions {
  /** Points of the log-spaced τ grid. Default 400. */
  points?: number;
  /** First τ of the grid (input graph only). Default 0.1 / λ_max. */
  tauMin?: number;
  /** Last τ of the grid (input graph only). Default 10 / λ_2. */
  tauMax?: number;
  /** "sym": L = D − (A + Aᵀ)/2 (default); "out": L = D_out − A (needs a symmetric graph: see docs/lrg.md). */
  laplacian?: "sym" | "out";
  /** Supernode rule: "rho" (ρ′ ≥ 1, default) or "modes" (mode elimination). */
  rule?: "rho" | "modes";
  /** ρ′ rule only on graph edges (default true); false tests every pair (dense method only). */
  restrictToEdges?: boolean;
  /** "dense" eigendecomposition, "slq" Lanczos quadrature, or "auto" (dense up to 2,000 nodes). Default "auto". */
  method?: "dense" | "slq" | "auto";
  /** Seed of the SLQ probes. Default 1. */
  seed?: number;
  /** SLQ probes. Default 10. */
  probes?: number;
  /** Lanczos steps per SLQ probe and per Krylov action. Default 50. */
  steps?: number;
  /** Peak prominence threshold, relative to max C. Default 0.01. */
  prominence?: number;
  /** Compute the RG flow (default true); false gives the curves and scales only. */
  flow?: boolean;
  /** SLQ: exact low modes to start from (doubled while the rest still moves S or C at the largest τ). Default: 1.6·10⁶/n clamped to [16, 64]. */
  lowModes?: number;
  /** Progress within the stage: fraction 0…1 and a message. */
  onProgress?: (fraction: number, message: string) => void;
}

/** What the deflated SLQ of a level measured (null for dense levels). */
export interface LRGSlqInfo {
  /** Connected components (exact zero modes) and exact nonzero low modes used. */
  components: number;
  lowModes: number;
  /** λ_2 (smallest nonzero eigenvalue) and its residual ‖Lv − λv‖ (eigenvalue error ≤ residual²/gap). */
  lambda2: number;
  lambda2Residual: number;
  /** λ_max (Lanczos) and its residual bound. */
  lambdaMax: number;
  lambdaMaxResidual: number;
  /** Estimate of the first eigenvalue not computed exactly. */
  nextEigenvalue: number;
  probes: number;
  steps: number;
  /** Sparse matrix–vector products (block columns counted one each). */
  matvecs: number;
  /** How much the SLQ part moves S and C at the largest τ, and whether that is inside the band there. */
  restAtTauMax: { entropy: number; specificHeat: number; adequate: boolean };
  /** The two parts of the C band: probe noise (4 jackknife SE) and quadrature error. */
  specificHeatNoise: Float64Array;
  specificHeatQuadrature: Float64Array;
  /** The widest C band in units of C·ln N (where the curve is least certain) and its τ. */
  widestBand: { tau: number; halfWidth: number };
  /**
   * What a reader of the curve must know (empty when nothing): a C band wider than
   * {@link WIDE_BAND} in C·ln N, or an SLQ part at τ_max larger than its band (too few exact modes).
   */
  warnings: string[];
}

/** A C band half-width (in C·ln N) above which the SLQ level warns (ours: the 10⁴/10⁵ acceptance error is 0.05). */
export const WIDE_BAND = 0.1;

/** A peak of C(τ) (as in the JSON: `{ tau, C }`, plus where and how prominent). */
export type LRGPeak = Peak;

/** The curves and scales of one level of the flow. */
export interface LRGLevel {
  /** Nodes at this level. */
  n: number;
  /** "dense" or "slq": how this level's curves were computed. */
  method: "dense" | "slq";
  tau: Float64Array;
  /** S(τ), normalised by ln n of this level. */
  entropy: Float64Array;
  /** C(τ). */
  specificHeat: Float64Array;
  /** SLQ only: half-widths of the error bands (probe noise, 4 jackknife SE, + quadrature error; see docs/lrg.md); null for dense. */
  entropyError: Float64Array | null;
  specificHeatError: Float64Array | null;
  peaks: LRGPeak[];
  /**
   * Maxima of C beyond the Fiedler time set by the discrete lowest modes of a finite graph, with no
   * spectral gap above them (e.g. a torus's at τ ≈ 2.6/λ_2): reported here, not in `peaks`; the flow
   * tries them after the scales (rule: {@link splitFiniteSize}, docs/lrg.md).
   */
  finiteSizePeaks: LRGPeak[];
  /** 1 / λ_2, λ_2 the smallest nonzero eigenvalue (the slowest mode); null without edges. */
  fiedlerTime: number | null;
  /** 1 / λ_max; null without edges. */
  finestTime: number | null;
  /** Connected components at this level. */
  components: number;
  /** SLQ levels: what the deflated quadrature measured; null for dense levels. */
  slq: LRGSlqInfo | null;
}

/** Result of {@link laplacianRG}: the input graph's level, the flow, and every level of it. */
export interface LRGResult extends LRGLevel {
  /** The Laplacian spectrum of the input graph (dense method only), ascending. */
  eigenvalues: Float64Array | null;
  /** The coarse-graining steps and why they stopped. */
  flow: RGFlow;
  /** levels[0] is the input graph; levels[s + 1] the metagraph after step s. */
  levels: LRGLevel[];
  /** The symmetrised weights of each level, as coarse-grained: graphs[0] = (A + Aᵀ)/2 of the input, graphs[s + 1] the metagraph after step s (whose Laplacian is that level's L). */
  graphs: SymEdges[];
  /** The options as used. */
  options: Required<Omit<LRGOptions, "tauMin" | "tauMax" | "lowModes" | "onProgress">> & {
    tauMin: number | null;
    tauMax: number | null;
    lowModes: number | null;
  };
}

/** Largest n for which "auto" diagonalises. */
export const AUTO_DENSE_MAX = 2000;

/**
 * Largest level (in nodes) that the flow coarse-grains by Krylov actions (SLQ
 * levels): a step costs n actions of e^{−τL}, O(n² · steps) in all, so larger
 * levels stop the flow with a reason instead of running for hours.
 */
export const SLQ_FLOW_MAX = 20000;

/** Default SLQ probes and Lanczos steps per probe. */
export const DEFAULT_PROBES = 16;
export const DEFAULT_STEPS = 150;

function checkProgress(v: unknown): (fraction: number, message: string) => void {
  if (typeof v !== "function")
    throw new DgrnTypeError(message("options.onProgress", "a function (fraction, message) => void", v));
  return v as (fraction: number, message: string) => void;
}

/**
 * Default number of exact low modes for n nodes: 1.6·10⁶/n clamped to [16, 64]; on the LOBPCG path
 * ({@link usesLobpcg}: from 5·10⁴ nodes on, or hub graphs) 8·10⁶/n clamped to [4, 8] (8 up to 10⁶
 * nodes: 12 block columns of LOBPCG, ≈ 1.2 GB of blocks at 10⁶), since its cost grows as
 * (k + guard)²·n; on graphs with hubs ({@link hasHubs}) 1: their low spectrum has no gap above λ_2,
 * so deflated modes do not carry C at τ_max = 10/λ_2 whatever k (Barabási–Albert m = 3, 10⁵ nodes:
 * the SLQ part moves C by 0.36 there with k = 1, 2, 4 and 8 alike), and λ_2 alone is what they give;
 * LOBPCG for k = 1 took 7.6 s CPU against 23 s for k = 8 there. The scale analysis still raises k when
 * the quadrature counts few enough modes below 36/τ_max to carry it (ours, measured).
 * @param n Nodes.
 * @param g The graph, when known (for the hub test).
 * @returns The starting k.
 * @example
 * defaultLowModes(10_000) // 64
 */
export function defaultLowModes(n: number, g?: SymEdges): number {
  if (g && hasHubs(g)) return 1;
  if (n >= LOBPCG_MIN_NODES || (g && usesLobpcg(g))) return Math.max(4, Math.min(8, Math.floor((2 * MODE_MEMORY) / n)));
  return Math.max(16, Math.min(64, Math.floor(1_600_000 / Math.max(1, n))));
}

/** {@link LRGOptions} checked and filled. */
export interface Parsed {
  points: number;
  tauMin: number | null;
  tauMax: number | null;
  laplacian: "sym" | "out";
  rule: "rho" | "modes";
  restrictToEdges: boolean;
  method: "dense" | "slq" | "auto";
  seed: number;
  probes: number;
  steps: number;
  prominence: number;
  flow: boolean;
  lowModes: number | null;
  onProgress: ((fraction: number, message: string) => void) | null;
}

const KEYS = [
  "points",
  "tauMin",
  "tauMax",
  "laplacian",
  "rule",
  "restrictToEdges",
  "method",
  "seed",
  "probes",
  "steps",
  "prominence",
  "flow",
  "lowModes",
  "onProgress",
];

/** The options of {@link laplacianRG}, checked and filled (no graph needed). */
export function resolveLRGOptions(options: unknown): Parsed {
  const o = checkOptions<LRGOptions>("options", options, KEYS);
  const tauMin =
    o.tauMin === undefined ? null : checkNumber("options.tauMin", o.tauMin, { min: 0, minExclusive: true });
  const tauMax =
    o.tauMax === undefined ? null : checkNumber("options.tauMax", o.tauMax, { min: 0, minExclusive: true });
  if (tauMin !== null && tauMax !== null && !(tauMax > tauMin)) {
    throw new DgrnRangeError(message("options.tauMax", `a number > options.tauMin = ${tauMin}`, tauMax));
  }
  const p: Parsed = {
    points: o.points === undefined ? 400 : checkInteger("options.points", o.points, { min: 3, max: 1_000_000 }),
    tauMin,
    tauMax,
    laplacian:
      o.laplacian === undefined ? "sym" : checkOneOf("options.laplacian", o.laplacian, ["sym", "out"] as const),
    rule: o.rule === undefined ? "rho" : checkOneOf("options.rule", o.rule, ["rho", "modes"] as const),
    restrictToEdges:
      o.restrictToEdges === undefined ? true : checkBoolean("options.restrictToEdges", o.restrictToEdges),
    method: o.method === undefined ? "auto" : checkOneOf("options.method", o.method, ["dense", "slq", "auto"] as const),
    seed: o.seed === undefined ? 1 : checkSeed("options.seed", o.seed),
    probes:
      o.probes === undefined ? DEFAULT_PROBES : checkInteger("options.probes", o.probes, { min: 2, max: 100_000 }),
    steps: o.steps === undefined ? DEFAULT_STEPS : checkInteger("options.steps", o.steps, { min: 2, max: 10_000 }),
    prominence: o.prominence === undefined ? 0.01 : checkNumber("options.prominence", o.prominence, { min: 0, max: 1 }),
    flow: o.flow === undefined ? true : checkBoolean("options.flow", o.flow),
    lowModes: o.lowModes === undefined ? null : checkInteger("options.lowModes", o.lowModes, { min: 0, max: 100_000 }),
    onProgress: o.onProgress === undefined ? null : checkProgress(o.onProgress),
  };
  if (p.method === "slq" && !p.restrictToEdges) {
    throw new DgrnRangeError(
      'invalid argument. `options.restrictToEdges` must be true with method "slq" (every pair of a large graph would need n² heat-kernel entries). Value: `false`.',
      ErrorCode.INVALID_OPTION,
    );
  }
  return p;
}

/** What one level's analysis keeps for the supernode step. */
interface Analysis {
  level: LRGLevel;
  eig: { values: Float64Array; vectors: Matrix | null } | null;
  /** SLQ levels: the exact low modes and the deflated quadratures (for mode counts). */
  modes: LevelModes | null;
  probes: SlqProbes | null;
  /** Probing plans by τ (SLQ levels above {@link SLQ_FLOW_MAX}; null: the graph is not local enough at τ). */
  plans?: Map<number, ProbePlan | null>;
}

function emptyLevel(n: number, method: "dense" | "slq", components: number): LRGLevel {
  const z = new Float64Array(0);
  return {
    n,
    method,
    tau: z,
    entropy: z,
    specificHeat: new Float64Array(0),
    entropyError: null,
    specificHeatError: null,
    peaks: [],
    finiteSizePeaks: [],
    fiedlerTime: null,
    finestTime: null,
    components,
    slq: null,
  };
}

function* analyse(g: SymEdges, o: Parsed, first: boolean): Steps<Analysis> {
  const n = g.n;
  const method = o.method === "auto" ? (n <= AUTO_DENSE_MAX ? "dense" : "slq") : o.method;
  const components = componentCount(g);
  if (method === "slq" && !o.restrictToEdges) {
    throw new DgrnRangeError(
      `invalid argument. \`options.restrictToEdges\` must be true when "auto" picks SLQ (n = ${n} > ${AUTO_DENSE_MAX}). Value: \`false\`.`,
      ErrorCode.INVALID_OPTION,
    );
  }
  if (n < 2) return { level: emptyLevel(n, method, components), eig: null, modes: null, probes: null };
  const userRange = first && (o.tauMin !== null || o.tauMax !== null);
  if (g.w.length === 0) {
    // L = 0: S ≡ 1 and C ≡ 0 on a user grid; without one there is no scale
    const level = emptyLevel(n, method, components);
    if (userRange && o.tauMin !== null && o.tauMax !== null) {
      level.tau = tauGrid(o.tauMin, o.tauMax, o.points);
      level.entropy = new Float64Array(o.points).fill(1);
      level.specificHeat = new Float64Array(o.points);
    }
    return { level, eig: null, modes: null, probes: null };
  }
  if (method === "slq") return yield* analyseSlq(g, o, first, components);
  const e = eigh(denseLaplacian(g), { vectors: o.flow });
  const { lambda2, lambdaMax } = spectralEnds(e.values);
  const tMin = first && o.tauMin !== null ? o.tauMin : 0.1 / lambdaMax;
  const tMax = first && o.tauMax !== null ? o.tauMax : 10 / lambda2;
  if (!(tMax > tMin)) {
    throw new DgrnRangeError(message("options.tauMax", `a number > tauMin = ${tMin}`, tMax));
  }
  const tau = tauGrid(tMin, tMax, o.points);
  const c = curvesCore(e.values, new Float64Array(n).fill(1), tau, n);
  const { zeros } = spectralEnds(e.values);
  const split = splitFiniteSize(
    bandedPeaks(tau, c.specificHeat, null, o.prominence),
    e.values.subarray(zeros),
    Infinity,
  );
  const level: LRGLevel = {
    n,
    method,
    tau,
    entropy: c.entropy,
    specificHeat: c.specificHeat,
    entropyError: null,
    specificHeatError: null,
    peaks: split.scales,
    finiteSizePeaks: split.finiteSize,
    fiedlerTime: 1 / lambda2,
    finestTime: 1 / lambdaMax,
    components,
    slq: null,
  };
  return { level, eig: e, modes: null, probes: null };
}

/** An SLQ level: exact low modes + deflated SLQ with a band (sdk/lrg/scale.ts). */
function* analyseSlq(g: SymEdges, o: Parsed, first: boolean, components: number): Steps<Analysis> {
  const n = g.n;
  const kern = getKernel();
  const k0 = o.lowModes ?? defaultLowModes(n, g);
  const prog = o.onProgress ? (f: number, m: string) => o.onProgress!(first ? 0.9 * f : 0.9 + 0.1 * f, m) : undefined;
  // a scope that lives across the driver's waits (kern.scope's body must not yield)
  const s = new Scope(kern);
  try {
    const r = yield* scaleSteps(s, g, {
      probes: o.probes,
      steps: o.steps,
      seed: o.seed,
      points: o.points,
      tauMin: first ? o.tauMin : null,
      tauMax: first ? o.tauMax : null,
      lowModes: k0,
      maxLowModes: Math.max(k0, Math.min(512, Math.floor(MODE_MEMORY / Math.max(1, n)))),
      onProgress: prog,
    });
    const c = r.curves;
    const split = splitFiniteSize(
      bandedPeaks(r.tau, c.specificHeat, c.specificHeatError, o.prominence),
      r.values,
      r.k >= n - r.components ? Infinity : r.next,
    );
    const level: LRGLevel = {
      n,
      method: "slq",
      tau: r.tau,
      entropy: c.entropy,
      specificHeat: c.specificHeat,
      entropyError: c.entropyError,
      specificHeatError: c.specificHeatError,
      peaks: split.scales,
      finiteSizePeaks: split.finiteSize,
      fiedlerTime: r.lambda2 > 0 ? 1 / r.lambda2 : null,
      finestTime: 1 / r.lambdaMax,
      components,
      slq: {
        components: r.components,
        lowModes: r.k,
        lambda2: r.lambda2,
        lambda2Residual: r.lambda2Residual,
        lambdaMax: r.lambdaMax,
        lambdaMaxResidual: r.lambdaMaxResidual,
        nextEigenvalue: r.next,
        probes: o.probes,
        steps: r.steps,
        matvecs: r.matvecs,
        restAtTauMax: r.restAtTauMax,
        specificHeatNoise: c.specificHeatNoise,
        specificHeatQuadrature: c.specificHeatQuadrature,
        ...slqWarnings(r.tau, c.specificHeatError, n, r.restAtTauMax, r.k),
      },
    };
    const modes: LevelModes = {
      comp: r.op.comp,
      compSize: r.op.compSize,
      values: r.values,
      vectors: r.k > 0 ? kern.readF64(r.modes.vectors, n * r.k) : new Float64Array(0),
      k: r.k,
      next: r.k >= n - r.components ? Infinity : r.next,
      upper: r.upper,
    };
    return { level, eig: null, modes, probes: r.probesForCount };
  } finally {
    s.dispose();
  }
}

/**
 * The warnings of every SLQ level of a result (levels[ℓ].slq.warnings): the input graph's as they
 * are, a coarse level's prefixed "level ℓ (n nodes): ". Empty for dense levels and quiet SLQ ones.
 * @param r A result of {@link laplacianRG}.
 * @returns The sentences, in level order.
 * @example
 * lrgSlqWarnings(laplacianRG(g, { method: "slq" })) // e.g. ["C(τ) is uncertain for 6.70 ≤ τ ≤ 7.71: …"]
 */
export function lrgSlqWarnings(r: Pick<LRGResult, "levels">): string[] {
  const out: string[] = [];
  r.levels.forEach((l, k) => {
    for (const w of l.slq?.warnings ?? []) out.push(k === 0 ? w : `level ${k} (${l.n} nodes): ${w}`);
  });
  return out;
}

/** The widest band and the warnings of an SLQ level (see {@link LRGSlqInfo.warnings}). */
function slqWarnings(
  tau: Float64Array,
  band: Float64Array,
  n: number,
  rest: { entropy: number; specificHeat: number; adequate: boolean },
  k: number,
): { widestBand: { tau: number; halfWidth: number }; warnings: string[] } {
  const ln = log(n);
  let at = 0;
  for (let t = 1; t < band.length; t++) if (band[t]! > band[at]!) at = t;
  const widestBand = { tau: band.length ? tau[at]! : 0, halfWidth: band.length ? band[at]! * ln : 0 };
  const warnings: string[] = [];
  if (widestBand.halfWidth > WIDE_BAND) {
    let lo = at,
      hi = at;
    while (lo > 0 && band[lo - 1]! * ln > WIDE_BAND) lo--;
    while (hi < band.length - 1 && band[hi + 1]! * ln > WIDE_BAND) hi++;
    warnings.push(
      `C(τ) is uncertain for ${tau[lo]!.toPrecision(3)} ≤ τ ≤ ${tau[hi]!.toPrecision(3)}: its band reaches ±${widestBand.halfWidth.toFixed(2)} in C·ln N at τ = ${widestBand.tau.toPrecision(3)} (more than ${WIDE_BAND}); peaks there are not reported unless they stand out of it (raise lowModes, probes or steps)`,
    );
  }
  if (!rest.adequate)
    warnings.push(
      `the ${k} exact low modes do not carry C(τ) at the largest τ: the stochastic part still moves C by ${rest.specificHeat.toExponential(1)} there, more than its band (raise lowModes)`,
    );
  return { widestBand, warnings };
}

function partitionAt(g: SymEdges, a: Analysis, tau: number, o: Parsed): Partition {
  const n = g.n;
  if (a.eig) {
    const { values, vectors } = a.eig;
    if (o.rule === "modes") {
      let target = 0;
      while (target < n && values[target]! <= 1 / tau) target++;
      const rho = rhoFromEigen(values, vectors!, tau, g.i, g.j);
      return modesPartition(g, rho.pair, Math.max(1, target));
    }
    if (!o.restrictToEdges) return rhoPrimePartitionFull(n, rhoFullFromEigen(values, vectors!, tau));
    return rhoPrimePartition(n, rhoFromEigen(values, vectors!, tau, g.i, g.j));
  }
  let m = a.modes!;
  if (o.rule === "modes" && m.next <= 1 / tau && a.probes) {
    // the count N′ = #{λ ≤ 1/τ} needs modes past 1/τ: compute them when they fit (k·n ≤ 4·MODE_MEMORY)
    const est = m.k + slqCount(a.probes, 1 / tau);
    const want = Math.ceil(1.25 * est) + 8;
    if (want * n <= 4 * MODE_MEMORY && want > m.k) {
      const more = levelModes(g, want, o.seed, o.onProgress ?? undefined);
      if (more.k > m.k) m = more;
      a.modes = m;
    }
  }
  const plan = m.next * tau >= MODE_CUTOFF || n <= SLQ_FLOW_MAX ? null : planAt(g, a, tau);
  const rho =
    m.next * tau >= MODE_CUTOFF
      ? rhoFromModes(g, m, tau)
      : plan
        ? rhoProbing(g, plan, 32, o.onProgress ?? undefined)
        : rhoChebyshev(g, tau, m.upper, 32, o.onProgress ?? undefined);
  if (o.rule === "modes") {
    // N′ = #{λ ≤ 1/τ}: exact when the computed modes reach past 1/τ, else exact part + SLQ count of the rest
    let target = m.compSize.length;
    for (let c = 0; c < m.k; c++) if (m.values[c]! <= 1 / tau) target++;
    if (m.next <= 1 / tau && a.probes) target += slqCount(a.probes, 1 / tau);
    return modesPartition(g, rho.pair, Math.max(1, target));
  }
  return rhoPrimePartition(n, rho);
}

/** The probing plan of an SLQ level at τ (cached: the colouring is a breadth-first search per node). */
function planAt(g: SymEdges, a: Analysis, tau: number): ProbePlan | null {
  a.plans ??= new Map();
  if (!a.plans.has(tau)) a.plans.set(tau, probePlan(g, tau));
  return a.plans.get(tau)!;
}

/**
 * Whether an SLQ level can be coarse-grained at τ: the low modes suffice, or n is small enough for
 * Chebyshev on every column, or e^{−τL} is local enough for a probing with ≤ {@link PROBE_MAX_COLOURS} colours.
 */
function slqStepFeasible(g: SymEdges, a: Analysis, tau: number): boolean {
  if (a.modes === null) return false;
  if (a.modes.next * tau >= MODE_CUTOFF || a.level.n <= SLQ_FLOW_MAX) return true;
  return planAt(g, a, tau) !== null;
}

/**
 * Laplacian renormalization of a graph: S(τ), C(τ), the peaks of C, the
 * Fiedler and finest times, and the RG flow of supernodes and metagraphs.
 *
 * @param graph - a {@link Graph}; directed graphs are symmetrised (A + Aᵀ)/2; weights ≥ 0
 * @param options - see {@link LRGOptions}
 * @returns an {@link LRGResult}
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a malformed graph or option of the wrong type
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for an empty graph or bad numbers; `ERR_INVALID_DATA` for
 *   negative weights or node ids out of range; `ERR_INVALID_OPTION` for unknown options or values,
 *   `laplacian: "out"` on an asymmetric directed graph, or `restrictToEdges: false` with SLQ
 * @example
 * ```ts
 * await init();
 * // two triangles joined by one edge
 * const g = { n: 6, directed: false, source: Int32Array.from([0, 0, 1, 3, 3, 4, 2]),
 *   target: Int32Array.from([1, 2, 2, 4, 5, 5, 3]), weight: new Float64Array(7).fill(1) };
 * const r = laplacianRG(g);
 * r.peaks; r.flow.steps[0]?.groups; r.flow.stopReason;
 * ```
 */
export function laplacianRG(graph: Graph, options?: LRGOptions): LRGResult {
  return runSync(laplacianRGSteps(graph, options));
}

/** {@link laplacianRG} as steps: each SLQ level's λ_max and probes are pool requests (sdk/lrg/steps.ts). */
function* laplacianRGSteps(graph: Graph, options?: LRGOptions): Steps<LRGResult> {
  const o = resolveLRGOptions(options);
  let g = symEdges("graph", graph);
  if (g.n === 0)
    throw new DgrnRangeError(message("graph.n", "a positive integer (an empty graph has no Laplacian spectrum)", 0));
  if (o.laplacian === "out" && isAsymmetric(graph)) {
    throw new DgrnRangeError(
      'invalid argument. `options.laplacian` "out" needs a graph whose weights are symmetric (the out-degree Laplacian of an asymmetric graph is not symmetric, and dgrn has only a symmetric eigensolver); use "sym". Value: `"out"`.',
      ErrorCode.INVALID_OPTION,
    );
  }
  const n0 = g.n;
  const first = yield* analyse(g, o, true);
  const levels: LRGLevel[] = [first.level];
  const graphs: SymEdges[] = [g];
  const steps: RGStep[] = [];
  let assignment = new Int32Array(n0);
  for (let i = 0; i < n0; i++) assignment[i] = i;
  let stopReason = "";
  let cur = first;
  if (!o.flow) stopReason = "flow not computed (flow: false)";
  while (o.flow) {
    const n = g.n;
    if (n === 1) {
      stopReason = "one node";
      break;
    }
    if (g.w.length === 0) {
      stopReason = `no edges: the ${n} nodes are disconnected`;
      break;
    }
    // scales first, then the finite-size maxima: a step at a finite-size peak is still a coarse-graining
    // (the inferred graphs of the pipeline take theirs there); only the reported scales exclude them (ours)
    const peaks = [...cur.level.peaks, ...cur.level.finiteSizePeaks];
    if (cur.level.method === "slq" && peaks.length > 0 && !peaks.some((pk) => slqStepFeasible(g, cur, pk.tau))) {
      stopReason = `not coarse-grained: at every peak τ* the ${cur.modes!.k} exact low modes do not carry e^{−τ*L} (τ*·λ_{k+1} < ${MODE_CUTOFF}), ${n} nodes > ${SLQ_FLOW_MAX}, the most a step takes by a Chebyshev action on every column, and e^{−τ*L} is not local enough for a probing (a ball of radius d + 1, d the Chebyshev degree, holds more than ${PROBE_MAX_COLOURS} nodes); the curves and peaks are complete (raise lowModes, or use flow: false to skip this message)`;
      break;
    }
    if (peaks.length === 0) {
      stopReason = `no peak: C(τ) has no interior maximum with prominence ≥ ${o.prominence} × max C`;
      break;
    }
    let part: Partition | null = null;
    let at = 0;
    for (const pk of peaks) {
      if (cur.level.method === "slq" && !slqStepFeasible(g, cur, pk.tau)) continue;
      const p = partitionAt(g, cur, pk.tau, o);
      if (p.count < n) {
        part = p;
        at = pk.tau;
        break;
      }
    }
    if (!part) {
      const where = peaks.map((p) => p.tau.toPrecision(4)).join(", ");
      stopReason =
        o.rule === "modes"
          ? `fixed point: N′ = #{λ_i ≤ 1/τ*} merges nothing at any peak of C (τ* = ${where})`
          : `fixed point: ρ′_ij = ρ_ij / min(ρ_ii, ρ_jj) < 1 for every ${o.restrictToEdges ? "edge" : "pair"} at every peak of C (τ* = ${where})`;
      break;
    }
    const groups = groupsOf(part.labels, part.count);
    const next = new Int32Array(n0);
    for (let i = 0; i < n0; i++) next[i] = part.labels[assignment[i]!]!;
    assignment = next;
    steps.push({ tau: at, groups, assignment: assignment.slice(), n: part.count });
    g = metagraph(g, part.labels, part.count);
    graphs.push(g);
    cur = yield* analyse(g, o, false);
    levels.push(cur.level);
  }
  const { tauMin, tauMax, onProgress: _p, ...rest } = o;
  void _p;
  return {
    ...first.level,
    eigenvalues: first.eig ? first.eig.values : null,
    flow: { n0, steps, stopReason },
    levels,
    graphs,
    options: { ...rest, tauMin, tauMax },
  };
}

/**
 * {@link laplacianRG} with the independent parts of every SLQ level on a worker pool: λ_max by
 * Lanczos beside the low modes, and the SLQ probes in chunks of a fixed size (sdk/lrg/steps.ts). The
 * result is bit-identical to {@link laplacianRG} for any pool size (dense levels run in this thread).
 *
 * @param graph - a {@link Graph}, as for {@link laplacianRG}
 * @param options - see {@link LRGOptions}
 * @param pool - a pool from `createPool` (sdk/parallel)
 * @returns an {@link LRGResult}
 * @throws as {@link laplacianRG}
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const r = await laplacianRGAsync(graph, { method: "slq", flow: false }, pool);
 * await pool.close();
 * ```
 */
export function laplacianRGAsync(graph: Graph, options: LRGOptions | undefined, pool: WorkerPool): Promise<LRGResult> {
  try {
    return runPooled(laplacianRGSteps(graph, options), pool);
  } catch (e) {
    return Promise.reject(e);
  }
}
