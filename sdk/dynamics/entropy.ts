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
import { checkBinaryStates, checkFlow, checkTrajectory, wordIds } from "./trajectory.js";
import type { EntropyProduction, SigmaBaseline, Trajectory } from "./types.js";

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
    method: o.surrogate === undefined ? ("shuffle" as const) : checkOneOf("options.surrogate", o.surrogate, ["shuffle", "reversible"] as const),
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
      opts.method === "shuffle" ? shuffledSigmas(ids, K, opts.alpha, opts.nSur, opts.seed) : reversibleSigmas(ids[0]!, K, pairs, opts);
    baseline = band(opts.method, opts.seed, values, st.sigma);
  }
  return {
    sigma: st.sigma,
    bias,
    sigmaCorrected: st.sigma - bias,
    cycleRank: st.cycleRank,
    nPairs: st.pairs,
    nStates: K,
    nTransitions: N,
    oneWayFraction: N > 0 ? st.oneWay / N : 0,
    pseudocount: opts.alpha,
    baseline,
  };
}

/** σ of chains simulated from the detailed-balance flux (N_ab + N_ba)/2 (the same support, both ways). */
function reversibleSigmas(x0: number, K: number, pairs: ReturnType<typeof countPairs>, opts: ReturnType<typeof parse>): Float64Array {
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
  return { method, n, seed, values, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, lo, hi, pValue: (1 + above) / (n + 1) };
}

/** Options of {@link entropyProductionFlow}. */
export interface EntropyFlowOptions extends EntropyOptions {
  /** Block rule of the coarse trajectories: "any" (default) or "majority". */
  rule?: "any" | "majority";
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
export function entropyProductionFlow(states: BinaryStates, flow: RGFlow, options?: EntropyFlowOptions): EntropyProductionStep[] {
  const o = checkOptions<EntropyFlowOptions>("options", options, [...KEYS, "rule"]);
  const rule: CoarseRule = o.rule === undefined ? "any" : checkOneOf("options.rule", o.rule, ["any", "majority"] as const);
  const opts = parse(o);
  const x = checkBinaryStates("states", states);
  if (x.T < 2) checkTrajectory("states", x, 2);
  const f = checkFlow("flow", flow, x.n);
  const levels: BinaryStates[] = [x, ...f.steps.map((s) => coarseStep(x, s.assignment, s.n, rule) as BinaryStates)];
  return levels.map((y, level) => ({
    level,
    units: y.n,
    ...sigmaOfIds(wordIds({ T: y.T, rowBytes: y.n, bytes: y.data, source: y }).ids, opts),
  }));
}
