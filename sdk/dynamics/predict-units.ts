/**
 * Held-out prediction per coarse variable: how well the effective Markov
 * model predicts each unit's next bin, in bits, against the product of the
 * units' marginals and against persistence. An exact match of a whole
 * 500-unit word is not a useful score (it is ≈ 0 for every model at the fine
 * scale and 1 for every model at a one-node scale); a per-variable score is.
 *
 * @module
 */
import type { BinaryStates } from "../types.js";
import { log } from "../math.js";
import { historyIds } from "./trajectory.js";
import { checkStates as checkBinaryStates } from "../io/check.js";
import { encodeRows } from "./kernel.js";
import { resolvePredictOptions, trainSplit } from "./predict.js";

const BETA_GRID = [0.1, 0.3, 1, 3, 10, 30, 100];
const LN2 = 0.6931471805599453;

/** Options of {@link predictUnits}. */
export interface PredictUnitsOptions {
  /** Markov order k ≥ 1 (default 1): condition on the last k words. */
  order?: number;
  /**
   * Pseudocount β > 0 of the Markov model's per-unit prior (each unit's own
   * two-state chain), or "auto" (default): the β of {0.1, 0.3, 1, 3, 10, 30, 100}
   * with the best per-unit log-likelihood when the first 75 % of the training
   * part predicts its last 25 %.
   */
  pseudocount?: number | "auto";
  /** Fraction of the bins, from the start, used for training (default 0.8); the rest is held out. */
  trainFraction?: number;
}

/** Per-unit scores of one predictor on the held-out transitions. */
export interface UnitScores {
  /** Mean log₂-likelihood of the observed next value, over units and held-out transitions (bits per unit per bin; ≤ 0, higher is better). */
  readonly bits: number;
  /** Mean over units of the fraction of held-out bins whose value was predicted (p > ½ ↔ 1). */
  readonly accuracy: number;
  /** Mean over units of (TPR + TNR)/2, over units that take both values in the held-out part; null if none does. */
  readonly balancedAccuracy: number | null;
  /** Per unit: bits, accuracy, balanced accuracy (NaN where a unit is constant in the held-out part). */
  readonly perUnit: {
    readonly bits: Float64Array;
    readonly accuracy: Float64Array;
    readonly balancedAccuracy: Float64Array;
  };
}

/** What {@link predictUnits} returns. */
export interface UnitPrediction {
  readonly order: number;
  /** The Markov model's β (given, or chosen on the training part). */
  readonly pseudocount: number;
  /** First held-out bin: transitions t → t+1 with t + 1 ≥ split are scored. */
  readonly split: number;
  readonly nTrain: number;
  readonly nTest: number;
  /** Number of coarse variables M. */
  readonly nUnits: number;
  /** Units that never change over the whole trajectory. */
  readonly constantUnits: number;
  /**
   * True when the scale has one variable, or every variable is constant:
   * nothing per-unit to predict, so the scores are not evidence of anything
   * (reported, not plotted as wins).
   */
  readonly trivial: boolean;
  /** Fraction of held-out transitions whose history was never seen in training (the Markov model then predicts from each unit's own past). */
  readonly unseenFraction: number;
  readonly markov: UnitScores;
  readonly marginal: UnitScores;
  readonly persistence: UnitScores;
}

/**
 * Next-bin prediction per coarse variable on held-out time. The first ⌊f·T⌋
 * bins train; every transition t → t+1 with t+1 held out is scored, for every
 * unit i. Three predictors of p_i = P(y_i(t+1) = 1 | past), each smoothed so
 * no probability is 0 or 1:
 *
 * - marginal (the product model): p_i = r_i = (c_i + ½)/(n + 1), c_i = active training bins (Krichevsky–Trofimov)
 * - persistence: p_i = ρ_i if y_i(t) = 1, else 1 − ρ_i, ρ_i = (stays_i + ½)/(n′ + 1) the training frequency of y_i(t+1) = y_i(t)
 * - Markov: the per-unit marginal of the effective Markov model's next-word
 *   distribution, p_i = (S_hi + β q_i)/(N_h + β), with h the last k words,
 *   N_h its training count as an origin, S_hi the number of those whose next
 *   word had unit i on, and q_i = P(y_i(t+1) = 1 | y_i(t)) the unit's own
 *   two-state chain on training (KT-smoothed; its prior: an h unseen in
 *   training predicts from the unit's own past alone)
 *
 * `bits` is the mean log₂ p(observed value); accuracy predicts 1 when p > ½;
 * balanced accuracy averages the true-positive and true-negative rates, so a
 * sparse unit's "always 0" scores ½, not 1 − rate.
 *
 * @param states - binary coarse states, T × M
 * @param options - `order` (1), `pseudocount` ("auto"), `trainFraction` (0.8)
 * @returns per-unit and mean scores of the three predictors (see {@link UnitPrediction})
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `states` is not BinaryStates
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a pseudocount ≤ 0, a train fraction outside (0, 1), or too few bins on either side of the split; `ERR_INVALID_OPTION` for an unknown option
 * @example
 * ```ts
 * await init();
 * const p = predictUnits(coarse[0]);
 * p.markov.bits - p.marginal.bits; // bits per unit per bin the dynamics add to the product model
 * ```
 */
export function predictUnits(states: BinaryStates, options?: PredictUnitsOptions): UnitPrediction {
  const { order, pseudocount: betaOpt, trainFraction: frac } = resolvePredictOptions(options);
  const x = checkBinaryStates("states", states);
  const T = x.T;
  const split = trainSplit(frac, T, order);
  const words = encodeRows(x.data, T, x.n).ids;
  const hist = historyIds(words, order);
  let beta = typeof betaOpt === "number" ? betaOpt : 1;
  if (betaOpt === "auto") {
    const inner = Math.floor(0.75 * split);
    if (inner >= order + 1 && inner < split) {
      let best = -Infinity;
      // one pass over the inner held-out bins scores every β of the grid (same sums as one call per β)
      const perBeta = scoreUnits(x, hist.ids, order, inner, split, BETA_GRID, true).markovByBeta;
      BETA_GRID.forEach((b, q) => {
        const ll = perBeta[q]!.bits;
        if (ll > best) {
          best = ll;
          beta = b;
        }
      });
    }
  }
  let constant = 0;
  for (let i = 0; i < x.n; i++) {
    let changes = false;
    for (let t = 1; t < T && !changes; t++) changes = x.data[t * x.n + i] !== x.data[i];
    if (!changes) constant++;
  }
  const { markovByBeta: _m, ...s } = scoreUnits(x, hist.ids, order, split, T, [beta]);
  void _m;
  return {
    order,
    pseudocount: beta,
    split,
    nTrain: split - order,
    nTest: T - split,
    nUnits: x.n,
    constantUnits: constant,
    trivial: x.n <= 1 || constant === x.n,
    ...s,
  };
}

/** Accumulates one predictor's per-unit scores. */
class Tally {
  readonly bits: Float64Array;
  readonly hit: Float64Array;
  readonly tp: Float64Array;
  readonly tn: Float64Array;
  constructor(m: number) {
    this.bits = new Float64Array(m);
    this.hit = new Float64Array(m);
    this.tp = new Float64Array(m);
    this.tn = new Float64Array(m);
  }
  /** Unit i's prediction p1 = P(1) and the observed value y; `lp` = log₂ P(y) when already known. */
  add(i: number, p1: number, y: number, lp = log(y ? p1 : 1 - p1) / LN2): void {
    this.bits[i]! += lp;
    const guess = p1 > 0.5 ? 1 : 0;
    if (guess === y) {
      this.hit[i]!++;
      if (y) this.tp[i]!++;
      else this.tn[i]!++;
    }
  }
  done(nTest: number, pos: Float64Array): UnitScores {
    const m = this.bits.length;
    const bits = new Float64Array(m);
    const accuracy = new Float64Array(m);
    const bal = new Float64Array(m);
    let sb = 0;
    let sa = 0;
    let sBal = 0;
    let nBal = 0;
    for (let i = 0; i < m; i++) {
      bits[i] = this.bits[i]! / nTest;
      accuracy[i] = this.hit[i]! / nTest;
      const P = pos[i]!;
      const N = nTest - P;
      bal[i] = P > 0 && N > 0 ? 0.5 * (this.tp[i]! / P + this.tn[i]! / N) : NaN;
      sb += bits[i]!;
      sa += accuracy[i]!;
      if (P > 0 && N > 0) {
        sBal += bal[i]!;
        nBal++;
      }
    }
    return {
      bits: m ? sb / m : 0,
      accuracy: m ? sa / m : 0,
      balancedAccuracy: nBal ? sBal / nBal : null,
      perUnit: { bits, accuracy, balancedAccuracy: bal },
    };
  }
}

/** Train on bins [0, split), score the transitions into bins [split, end). */
function scoreUnits(
  x: BinaryStates,
  hist: Int32Array,
  order: number,
  split: number,
  end: number,
  betas: readonly number[],
  markovOnly = false,
): {
  unseenFraction: number;
  markov: UnitScores;
  markovByBeta: UnitScores[];
  marginal: UnitScores;
  persistence: UnitScores;
} {
  const { n: m, data } = x;
  const at = (t: number, i: number) => data[t * m + i]!;
  // marginal and persistence (per unit, Krichevsky–Trofimov)
  const r = new Float64Array(m);
  const rho = new Float64Array(m);
  // the Markov model's prior: each unit's own two-state chain, q_i(v) = P(y_i(t+1) = 1 | y_i(t) = v) (KT)
  const own = new Float64Array(2 * m);
  // log₂ of r, 1 − r, ρ, 1 − ρ per unit (the baselines take only these values)
  const lr = new Float64Array(4 * m);
  for (let i = 0; i < m; i++) {
    let c = 0;
    let stays = 0;
    for (let t = 0; t < split; t++) c += at(t, i);
    const from = [0, 0];
    const to1 = [0, 0];
    for (let t = order - 1; t < split - 1; t++) {
      if (at(t + 1, i) === at(t, i)) stays++;
      from[at(t, i)]!++;
      to1[at(t, i)]! += at(t + 1, i);
    }
    own[2 * i] = (to1[0]! + 0.5) / (from[0]! + 1);
    own[2 * i + 1] = (to1[1]! + 0.5) / (from[1]! + 1);
    r[i] = (c + 0.5) / (split + 1);
    rho[i] = (stays + 0.5) / (split - order + 1);
    lr[4 * i] = log(r[i]!) / LN2;
    lr[4 * i + 1] = log(1 - r[i]!) / LN2;
    lr[4 * i + 2] = log(rho[i]!) / LN2;
    lr[4 * i + 3] = log(1 - rho[i]!) / LN2;
  }
  // training origins of each history: CSR of the times t (order−1 ≤ t < split−1) by h = hist[t]
  let K = 0;
  for (let t = order - 1; t < split - 1; t++) if (hist[t]! >= K) K = hist[t]! + 1;
  const ptr = new Int32Array(K + 1);
  for (let t = order - 1; t < split - 1; t++) ptr[hist[t]! + 1]!++;
  for (let h = 0; h < K; h++) ptr[h + 1]! += ptr[h]!;
  const fill = ptr.slice(0, K);
  const times = new Int32Array(Math.max(0, split - order));
  for (let t = order - 1; t < split - 1; t++) times[fill[hist[t]!]!++] = t;
  const cache = new Map<number, Float64Array>();
  const onNext = (h: number): Float64Array => {
    let s = cache.get(h);
    if (!s) {
      s = new Float64Array(m);
      for (let e = ptr[h]!; e < ptr[h + 1]!; e++) {
        const t1 = times[e]! + 1;
        for (let i = 0; i < m; i++) s[i]! += at(t1, i);
      }
      cache.set(h, s);
    }
    return s;
  };
  const nTest = end - split;
  const nb = betas.length;
  const mks = betas.map(() => new Tally(m));
  const mg = new Tally(m);
  const ps = new Tally(m);
  const pos = new Float64Array(m);
  let unseen = 0;
  for (let t = split - 1; t < end - 1; t++) {
    const h = hist[t]!;
    const seen = h >= 0 && h < K && ptr[h + 1]! > ptr[h]!;
    if (!seen) unseen++;
    const S = seen ? onNext(h) : null;
    const Nh = seen ? ptr[h + 1]! - ptr[h]! : 0;
    for (let i = 0; i < m; i++) {
      const y = at(t + 1, i);
      pos[i]! += y;
      const cur = at(t, i);
      const q = cur ? rho[i]! : 1 - rho[i]!;
      if (!markovOnly) {
        mg.add(i, r[i]!, y, lr[4 * i + (y ? 0 : 1)]!);
        ps.add(i, q, y, lr[4 * i + (y === cur ? 2 : 3)]!);
      }
      const q0 = own[2 * i + cur]!;
      for (let q = 0; q < nb; q++) {
        const beta = betas[q]!;
        mks[q]!.add(i, S ? (S[i]! + beta * q0) / (Nh + beta) : q0, y);
      }
    }
  }
  const markovByBeta = mks.map((mk) => mk.done(nTest, pos));
  return {
    unseenFraction: unseen / nTest,
    markov: markovByBeta[0]!,
    markovByBeta,
    marginal: mg.done(nTest, pos),
    persistence: ps.done(nTest, pos),
  };
}
