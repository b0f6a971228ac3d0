/**
 * Held-out prediction of the next coarse state by the effective Markov model,
 * against the marginal and persistence baselines.
 *
 * @module
 */
import { DgrnRangeError } from "../errors.js";
import { checkInteger, checkNumber, checkOptions, message } from "../validate.js";
import { countPairs } from "./kernel.js";
import { toCsr } from "./markov.js";
import { checkTrajectory, historyIds, wordIds } from "./trajectory.js";
import type { Prediction, Trajectory } from "./types.js";

/** Options of {@link predict}. */
export interface PredictOptions {
  /** Markov order k ≥ 1 (default 1): condition on the last k words. */
  order?: number;
  /** Pseudocount α > 0 (default 1): Dirichlet smoothing toward the marginal; keeps every log-likelihood finite. */
  pseudocount?: number;
  /** Fraction of the bins, from the start, used for training (default 0.8); the rest is held out. */
  trainFraction?: number;
}

/**
 * Next-state prediction on held-out time. The first ⌊f·T⌋ bins train; every
 * transition t → t+1 whose target bin t+1 is held out is scored. Outcomes are
 * the training vocabulary V plus one "unseen" class, so all three models are
 * distributions over the same |V| + 1 outcomes:
 *
 * - marginal:    m_b = (c_b + α) / (C + α(|V| + 1)), c_b = training count of word b
 * - Markov:      P(b | h) = (N_hb + α m_b) / (N_h + α)  (h = the last k words; m_b for an unseen h)
 * - persistence: P(b | a) = ρ [b = a] + (1 − ρ) m_b, ρ = (stays + α)/(N + 2α) on training
 *
 * `logLikelihood` is the mean ln P of the observed outcome (nats per
 * transition); `accuracy` the fraction where the most probable word was the
 * observed one (persistence predicts "no change").
 *
 * @param trajectory - BinaryStates, FractionStates or integer labels
 * @param options - `order` (1), `pseudocount` (1), `trainFraction` (0.8)
 * @returns scores of the Markov model and both baselines (see {@link Prediction})
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a trajectory of the wrong kind
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a pseudocount ≤ 0, a train fraction outside (0, 1), or too few bins on either side of the split
 * @example
 * ```ts
 * await init();
 * const p = predict(trajectory, { trainFraction: 0.8 });
 * p.markov.logLikelihood > p.marginal.logLikelihood; // the dynamics carry information
 * ```
 */
export function predict(trajectory: Trajectory, options?: PredictOptions): Prediction {
  const o = checkOptions<PredictOptions>("options", options, ["order", "pseudocount", "trainFraction"]);
  const order = o.order === undefined ? 1 : checkInteger("options.order", o.order, { min: 1, max: 16 });
  const alpha = o.pseudocount === undefined ? 1 : checkNumber("options.pseudocount", o.pseudocount, { min: 0, minExclusive: true });
  const frac = o.trainFraction === undefined ? 0.8 : checkNumber("options.trainFraction", o.trainFraction, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const rows = checkTrajectory("trajectory", trajectory, 2);
  const T = rows.T;
  const split = Math.floor(frac * T);
  if (split < order + 1 || split >= T) {
    throw new DgrnRangeError(message("options.trainFraction", `a split leaving >= ${order + 1} training bins and >= 1 held-out bin (T = ${T})`, frac));
  }
  const words = wordIds(rows).ids;
  const hist = historyIds(words, order);
  // word ids are in order of first sight, so the training vocabulary is 0 … V−1
  let V = 0;
  for (let t = 0; t < split; t++) if (words[t]! >= V) V = words[t]! + 1;
  const cls = (w: number) => (w < V ? w : V); // V = the "unseen" class

  // marginal over V ∪ {unseen}
  const c = new Float64Array(V + 1);
  for (let t = 0; t < split; t++) c[words[t]!]!++;
  const m = new Float64Array(V + 1);
  for (let b = 0; b <= V; b++) m[b] = (c[b]! + alpha) / (split + alpha * (V + 1));
  let mode = 0;
  for (let b = 1; b < V; b++) if (m[b]! > m[mode]!) mode = b;

  // Markov counts on training transitions (h_t → w_{t+1}), t + 1 < split
  const nTrain = split - order;
  const pc = countPairs(hist.ids.subarray(order - 1, split - 1), words.subarray(order, split));
  const csr = toCsr(hist.k, pc.from, pc.to, pc.count);
  const rowTot = new Float64Array(hist.k);
  const rowBest = new Int32Array(hist.k).fill(-1);
  for (let h = 0; h < hist.k; h++) {
    let tot = 0;
    let best = mode;
    let bestScore = alpha * m[mode]!;
    for (let e = csr.rowPtr[h]!; e < csr.rowPtr[h + 1]!; e++) {
      tot += csr.values[e]!;
      const sc = csr.values[e]! + alpha * m[csr.colIdx[e]!]!;
      if (sc > bestScore) {
        bestScore = sc;
        best = csr.colIdx[e]!;
      }
    }
    rowTot[h] = tot;
    rowBest[h] = tot > 0 ? best : mode;
  }
  const countOf = (h: number, b: number): number => {
    let lo = csr.rowPtr[h]!;
    let hi = csr.rowPtr[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (csr.colIdx[mid]! < b) lo = mid + 1;
      else hi = mid;
    }
    return lo < csr.rowPtr[h + 1]! && csr.colIdx[lo] === b ? csr.values[lo]! : 0;
  };

  let stays = 0;
  for (let t = order - 1; t < split - 1; t++) if (words[t + 1] === words[t]) stays++;
  const rho = (stays + alpha) / (nTrain + 2 * alpha);

  let llM = 0, llMarg = 0, llP = 0, accM = 0, accMarg = 0, accP = 0, unseen = 0;
  const nTest = T - split;
  for (let t = split - 1; t < T - 1; t++) {
    const w = words[t + 1]!;
    const b = cls(w);
    if (b === V) unseen++;
    const h = hist.ids[t]!;
    const trained = h >= 0 && rowTot[h]! > 0;
    const pMarkov = trained ? (countOf(h, b) + alpha * m[b]!) / (rowTot[h]! + alpha) : m[b]!;
    llM += Math.log(pMarkov);
    llMarg += Math.log(m[b]!);
    const same = cls(words[t]!) === b ? 1 : 0;
    llP += Math.log(rho * same + (1 - rho) * m[b]!);
    if ((trained ? rowBest[h]! : mode) === w) accM++;
    if (mode === w) accMarg++;
    if (words[t] === w) accP++;
  }
  return {
    order,
    pseudocount: alpha,
    split,
    nTrain,
    nTest,
    vocabulary: V,
    unseenFraction: unseen / nTest,
    markov: { logLikelihood: llM / nTest, accuracy: accM / nTest },
    marginal: { logLikelihood: llMarg / nTest, accuracy: accMarg / nTest },
    persistence: { logLikelihood: llP / nTest, accuracy: accP / nTest },
  };
}
