/**
 * Entropy production rate of the effective dynamics, with its finite-data
 * correction and a surrogate baseline; σ per RG step.
 *
 * @module
 */
import type { BinaryStates, RGFlow } from "../types.js";
import { checkInteger, checkOneOf, checkOptions, checkSeed } from "../validate.js";
import { coarseStep, type CoarseRule } from "./coarse.js";
import { countPairs, shuffledSigmas, sigmaFromPairs, simulateCsr } from "./kernel.js";
import { parseOrderAlpha, toCsr, transitionPairs } from "./markov.js";
import { checkFlow, checkTrajectory, wordIds } from "./trajectory.js";
import { checkStates as checkBinaryStates } from "../io/check.js";
import type { EntropyProduction, SigmaBaseline, Trajectory } from "./types.js";
import { log } from "../math.js";
import { studentT975 } from "./interval.js";

/** Options of {@link entropyProduction}. */
export interface EntropyOptions {
  /** Pseudocount α ≥ 0 on the symmetrised support (default 0: pairs seen one way only are left out). */
  pseudocount?: number;
  /** Number of surrogates for the baseline band (default 19; 0 = none). */
  surrogates?: number;
  /**
   * Surrogate kind: "shuffle" (default; the states in a seeded random time
   * order: same occupancy, no temporal structure) or "reversible" (seeded
   * simulations of the detailed-balance chain with flux (N_ab + N_ba)/2: the
   * null distribution of the estimator on the same support).
   */
  surrogate?: "shuffle" | "reversible";
  /** Seed of the surrogates (default 1). */
  seed?: number;
}

const KEYS = ["pseudocount", "surrogates", "surrogate", "seed"];

function parse(o: Partial<EntropyOptions>) {
  const { alpha } = parseOrderAlpha(o, 0);
  return {
    alpha,
    nSur: o.surrogates === undefined ? 19 : checkInteger("options.surrogates", o.surrogates, { min: 0, max: 10000 }),
    method:
      o.surrogate === undefined
        ? ("shuffle" as const)
        : checkOneOf("options.surrogate", o.surrogate, ["shuffle", "reversible"] as const),
    seed: o.seed === undefined ? 1 : checkSeed("options.seed", o.seed),
  };
}

/**
 * Entropy production rate σ (nats per bin) of the first-order Markov dynamics
 * of a trajectory:
 *
 *   σ = Σ_{a,b} π_a P_ab ln(π_a P_ab / (π_b P_ba)),
 *
 * estimated by plugging in the (pseudocount-smoothed) pair frequencies
 * ñ_ab / Ñ for π_a P_ab, over pairs seen in both directions (α = 0) or the
 * symmetrised support (α > 0).
 *
 * Finite-data correction (stated): under detailed balance, N·σ̂ ≈ 2G with G the
 * likelihood-ratio statistic of reversibility, asymptotically χ² with β degrees
 * of freedom, β = m − (v − c) the cycle rank of the graph of the m pairs seen
 * both ways (one Kolmogorov cycle condition per independent cycle). So
 * E[σ̂] ≈ 2β/N for a reversible process; `sigmaCorrected = σ̂ − 2β/N`. The
 * surrogate band shows the estimator's spread on data with no irreversibility.
 *
 * @param trajectory - BinaryStates, FractionStates or integer labels (≥ 2 bins)
 * @param options - `pseudocount` (0), `surrogates` (19), `surrogate` ("shuffle"), `seed` (1)
 * @returns σ, the bias 2β/N, σ − bias, the surrogate baseline and bookkeeping (see {@link EntropyProduction})
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a trajectory of the wrong kind
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for fewer than 2 bins, a negative pseudocount or a bad surrogate count; `ERR_INVALID_OPTION` for an unknown option or surrogate kind
 * @example
 * ```ts
 * await init();
 * const ring = { rows: 3, cols: 3, data: new Float64Array([0.2, 0.6, 0.2, 0.2, 0.2, 0.6, 0.6, 0.2, 0.2]) };
 * const x = simulateMarkovChain(ring, { steps: 100000, seed: 3 });
 * entropyProduction(x).sigma; // ≈ (0.6 − 0.2) ln 3 = 0.439
 * ```
 */
export function entropyProduction(trajectory: Trajectory, options?: EntropyOptions): EntropyProduction {
  const o = checkOptions<EntropyOptions>("options", options, KEYS);
  const opts = parse(o);
  const rows = checkTrajectory("trajectory", trajectory, 2);
  return sigmaOfIds(wordIds(rows).ids, opts);
}

function sigmaOfIds(ids: Int32Array, opts: ReturnType<typeof parse>): EntropyProduction {
  let K = 0;
  for (let t = 0; t < ids.length; t++) if (ids[t]! >= K) K = ids[t]! + 1;
  const pairs = transitionPairs(ids, 1);
  const st = sigmaFromPairs(pairs, K, opts.alpha);
  const N = pairs.n;
  const bias = (2 * st.cycleRank) / N;
  let baseline: SigmaBaseline | null = null;
  if (opts.nSur > 0) {
    const values =
      opts.method === "shuffle"
        ? shuffledSigmas(ids, K, opts.alpha, opts.nSur, opts.seed)
        : reversibleSigmas(ids[0]!, K, pairs, opts);
    baseline = band(opts.method, opts.seed, values, st.sigma);
  }
  const oneWayFraction = N > 0 ? st.oneWay / N : 0;
  // no pair seen both ways (α = 0): σ̂ = 0 by construction, with no sampling variance to speak of
  const unc =
    st.pairs > 0 || opts.alpha > 0
      ? sigmaUncertainty(ids, pairs, opts.alpha, st.sigma, st.total)
      : { se: null, length: Math.max(1, Math.ceil(Math.sqrt(N))), batches: 0 };
  const sigmaCorrected = st.sigma - bias;
  const q = unc.se === null ? 0 : studentT975(unc.batches - 1);
  return {
    sigma: st.sigma,
    bias,
    sigmaCorrected,
    cycleRank: st.cycleRank,
    nPairs: st.pairs,
    nStates: K,
    nTransitions: N,
    oneWayFraction,
    pseudocount: opts.alpha,
    baseline,
    se: unc.se,
    ci: unc.se === null ? null : [Math.max(0, sigmaCorrected - q * unc.se), Math.max(0, sigmaCorrected + q * unc.se)],
    batch: { length: unc.length, count: unc.batches },
    lowerBound: opts.alpha === 0 && oneWayFraction > ONE_WAY_LIMIT,
  };
}

/** Above this fraction of one-way transitions (α = 0), σ̂ is flagged as a lower bound. */
export const ONE_WAY_LIMIT = 0.01;

/**
 * Standard error of the plug-in σ̂ by the delta method. With ñ the smoothed
 * pair counts and Ñ their sum, σ̂ − σ ≈ (1/Ñ) Σ_t (h_t − h̄), where
 * h_t = h(x_t, x_{t+1}) is the derivative Ñ ∂σ̂/∂N_ab at the observed pair:
 * ln(ñ_ab/ñ_ba) + 1 − ñ_ba/ñ_ab − σ̂ on two-way pairs, −σ̂ on self-loops and
 * left-out one-way pairs. The long-run variance of h (which carries the time
 * correlations of the process, Markov or not) is estimated by non-overlapping
 * batch means with batches of b = ⌈√N⌉ transitions: Var σ̂ ≈ N · b · s²_batch / Ñ².
 */
function sigmaUncertainty(
  ids: Int32Array,
  pairs: ReturnType<typeof countPairs>,
  alpha: number,
  sigma: number,
  total: number,
): { se: number | null; length: number; batches: number } {
  const N = pairs.n;
  const length = Math.max(1, Math.ceil(Math.sqrt(N)));
  const batches = Math.floor(N / length);
  if (batches < 10 || total <= 0) return { se: null, length, batches };
  const nnz = pairs.from.length;
  const h = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const a = pairs.from[e]!;
    const b = pairs.to[e]!;
    const r = pairs.rev[e]!;
    const nab = pairs.count[e]! + alpha;
    const nba = r >= 0 ? pairs.count[r]! + alpha : alpha;
    h[e] = a !== b && nba > 0 && nab > 0 ? log(nab / nba) + 1 - nba / nab - sigma : -sigma;
  }
  let mean = 0;
  let ss = 0;
  const means = new Float64Array(batches);
  for (let j = 0; j < batches; j++) {
    let acc = 0;
    for (let t = j * length; t < (j + 1) * length; t++) acc += h[pairIndex(pairs, ids[t]!, ids[t + 1]!)]!;
    means[j] = acc / length;
    mean += means[j]! / batches;
  }
  for (let j = 0; j < batches; j++) ss += (means[j]! - mean) * (means[j]! - mean);
  const lrv = (length * ss) / (batches - 1);
  return { se: Math.sqrt(N * lrv) / total, length, batches };
}

/** Entry of pair (a, b) in the CSR of `pairs` (binary search within row a; the pair exists). */
function pairIndex(pairs: ReturnType<typeof countPairs>, a: number, b: number): number {
  let lo = pairs.rowPtr[a]!;
  let hi = pairs.rowPtr[a + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pairs.to[mid]! < b) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** σ of chains simulated from the detailed-balance flux (N_ab + N_ba)/2 (the same support, both ways). */
function reversibleSigmas(
  x0: number,
  K: number,
  pairs: ReturnType<typeof countPairs>,
  opts: ReturnType<typeof parse>,
): Float64Array {
  const from: number[] = [];
  const to: number[] = [];
  const flux: number[] = [];
  for (let e = 0; e < pairs.from.length; e++) {
    const r = pairs.rev[e]!;
    const f = 0.5 * (pairs.count[e]! + (r >= 0 ? pairs.count[r]! : 0));
    from.push(pairs.from[e]!);
    to.push(pairs.to[e]!);
    flux.push(f);
    if (r < 0) {
      // the unseen reverse of a one-way pair carries the same symmetrised flux
      from.push(pairs.to[e]!);
      to.push(pairs.from[e]!);
      flux.push(f);
    }
  }
  const csr = toCsr(K, Int32Array.from(from), Int32Array.from(to), flux);
  const out = new Float64Array(opts.nSur);
  for (let r = 0; r < opts.nSur; r++) {
    const sim = simulateCsr(csr.rowPtr, csr.colIdx, csr.values, pairs.n + 1, x0, opts.seed, 100 + r);
    out[r] = sigmaFromPairs(transitionPairs(sim, 1), K, opts.alpha).sigma;
  }
  return out;
}

function band(method: "shuffle" | "reversible", seed: number, values: Float64Array, sigma: number): SigmaBaseline {
  const n = values.length;
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let above = 0;
  for (const v of values) {
    mean += v / n;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    if (v >= sigma) above++;
  }
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return {
    method,
    n,
    seed,
    values,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    lo,
    hi,
    pValue: (1 + above) / (n + 1),
  };
}

/** Options of {@link entropyProductionFlow}. */
export interface EntropyFlowOptions extends EntropyOptions {
  /** Block rule of the coarse trajectories: "any" (default) or "majority". */
  rule?: "any" | "majority";
  /** Called after each level with the fraction of levels done (0…1] and a line for humans. */
  onProgress?: (fraction: number, message: string) => void;
}

/** σ at one level of an RG flow. */
export interface EntropyProductionStep extends EntropyProduction {
  /** 0 = the fine states; s ≥ 1 = after RG step s. */
  readonly level: number;
  /** Number of units (supernodes) at this level. */
  readonly units: number;
}

/**
 * σ per RG step: the entropy production of the fine states (level 0) and of the
 * coarse trajectory after every step of the flow, to show how irreversibility
 * changes under coarse-graining. Every level uses the same options (and the
 * same surrogate seed).
 *
 * @param states - binary states, T × n0
 * @param flow - the RG flow over the n0 units
 * @param options - {@link entropyProduction}'s options and `rule` ("any" | "majority"; default "any")
 * @returns one {@link EntropyProductionStep} per level, fine first
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `states` or `flow` is not of its kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the flow does not match the states
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown option or rule
 * @example
 * ```ts
 * await init();
 * const steps = entropyProductionFlow(states, flow, { surrogates: 0 });
 * steps.map((s) => s.sigma); // fine, then one per RG step
 * ```
 */
export function entropyProductionFlow(
  states: BinaryStates,
  flow: RGFlow,
  options?: EntropyFlowOptions,
): EntropyProductionStep[] {
  const o = checkOptions<EntropyFlowOptions>("options", options, [...KEYS, "rule", "onProgress"]);
  const onProgress = o.onProgress ?? (() => {});
  const rule: CoarseRule =
    o.rule === undefined ? "any" : checkOneOf("options.rule", o.rule, ["any", "majority"] as const);
  const opts = parse(o);
  const x = checkBinaryStates("states", states);
  if (x.T < 2) checkTrajectory("states", x, 2);
  const f = checkFlow("flow", flow, x.n);
  const levels: BinaryStates[] = [x, ...f.steps.map((s) => coarseStep(x, s.assignment, s.n, rule) as BinaryStates)];
  return levels.map((y, level) => {
    const step = {
      level,
      units: y.n,
      ...sigmaOfIds(wordIds({ T: y.T, rowBytes: y.n, bytes: y.data, source: y }).ids, opts),
    };
    onProgress((level + 1) / levels.length, `σ at level ${level} (${y.n} units)`);
    return step;
  });
}
