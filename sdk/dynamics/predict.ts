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
import { log } from "../math.js";

const ALPHA_GRID = [0.1, 0.3, 1, 3, 10, 30, 100];

/** Options of {@link predict}. */
export interface PredictOptions {
  /** Markov order k ≥ 1 (default 1): condition on the last k words. */
  order?: number;
  /**
   * Pseudocount α > 0 of all three models (the Dirichlet smoothing toward the
   * simpler model; keeps every log-likelihood finite), or "auto" (default): for
   * each model the α of {0.1, 0.3, 1, 3, 10, 30, 100} with its best
   * log-likelihood when the first 75 % of the training part predicts its last 25 %.
   */
  pseudocount?: number | "auto";
  /** Fraction of the bins, from the start, used for training (default 0.8); the rest is held out. */
  trainFraction?: number;
}

/**
 * The training length of a `trainFraction` split of T bins for an order-k
 * model: ⌊frac·T⌋, which must leave ≥ k + 1 training bins and ≥ 1 held-out bin.
 */
export function trainSplit(frac: number, T: number, order: number): number {
  const split = Math.floor(frac * T);
  if (split < order + 1 || split >= T) {
    throw new DgrnRangeError(
      message(
        "options.trainFraction",
        `a split leaving >= ${order + 1} training bins and >= 1 held-out bin (T = ${T})`,
        frac,
      ),
    );
  }
  return split;
}

/** The options shared by {@link predict} and `predictUnits` (order, pseudocount, trainFraction), checked and filled. */
export function resolvePredictOptions(options: unknown): {
  order: number;
  pseudocount: number | "auto";
  trainFraction: number;
} {
  const o = checkOptions<PredictOptions>("options", options, ["order", "pseudocount", "trainFraction"]);
  return {
    order: o.order === undefined ? 1 : checkInteger("options.order", o.order, { min: 1, max: 16 }),
    pseudocount:
      o.pseudocount === undefined || o.pseudocount === "auto"
        ? "auto"
        : checkNumber("options.pseudocount", o.pseudocount, { min: 0, minExclusive: true }),
    trainFraction:
      o.trainFraction === undefined
        ? 0.8
        : checkNumber("options.trainFraction", o.trainFraction, {
            min: 0,
            max: 1,
            minExclusive: true,
            maxExclusive: true,
          }),
  };
}

/**
 * Next-state prediction on held-out time. The first ⌊f·T⌋ bins train; every
 * transition t → t+1 whose target bin t+1 is held out is scored. Words never
 * seen in training share one "unseen" class in the marginal. Three nested
 * models, each the Dirichlet prior of the next:
 *
 * - marginal:    m_b = (c_b + α) / (C + α(|V| + 1)), c_b = training count of word b, V the training vocabulary
 * - persistence: q(b | a) = ρ [b = a] + (1 − ρ) m_b, ρ = (stays + α)/(N + 2α) on training, a the current word
 * - Markov:      P(b | h) = (N_hb + α q(b | a)) / (N_h + α), h the last k words (q for an h unseen in training)
 *
 * `logLikelihood` is the mean ln P of the observed next word (nats per
 * transition); `accuracy` the fraction where the most probable word was the
 * observed one (persistence predicts "no change"; the marginal its mode).
 *
 * @param trajectory - BinaryStates, FractionStates or integer labels
 * @param options - `order` (1), `pseudocount` ("auto"), `trainFraction` (0.8)
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
  const { order, pseudocount: alphaOpt, trainFraction: frac } = resolvePredictOptions(options);
  const rows = checkTrajectory("trajectory", trajectory, 2);
  const T = rows.T;
  const split = trainSplit(frac, T, order);
  const words = wordIds(rows).ids;
  const hist = historyIds(words, order);
  let alpha: Alphas;
  if (alphaOpt === "auto") {
    // choose each model's α on the training part alone: fit on its first 75 %,
    // score its last 25 % (marginal first, then persistence, then Markov)
    alpha = { marginal: 1, persistence: 1, markov: 1 };
    const inner = Math.floor(0.75 * split);
    if (inner >= order + 1 && inner < split) {
      for (const which of ["marginal", "persistence", "markov"] as const) {
        let best = -Infinity;
        let bestA = 1;
        for (const a of ALPHA_GRID) {
          const ll = score(words, hist, order, inner, split, { ...alpha, [which]: a })[which].logLikelihood;
          if (ll > best) {
            best = ll;
            bestA = a;
          }
        }
        alpha[which] = bestA;
      }
    }
  } else alpha = { marginal: alphaOpt, persistence: alphaOpt, markov: alphaOpt };
  return { order, pseudocount: alpha, ...score(words, hist, order, split, T, alpha) };
}

/** Pseudocounts of the three models. */
interface Alphas {
  marginal: number;
  persistence: number;
  markov: number;
}

interface Scores {
  split: number;
  nTrain: number;
  nTest: number;
  vocabulary: number;
  unseenFraction: number;
  markov: { logLikelihood: number; accuracy: number };
  marginal: { logLikelihood: number; accuracy: number };
  persistence: { logLikelihood: number; accuracy: number };
}

/** Train on bins [0, split), score transitions into bins [split, end). */
function score(
  words: Int32Array,
  hist: { ids: Int32Array; first: Int32Array; k: number },
  order: number,
  split: number,
  end: number,
  al: Alphas,
): Scores {
  const alpha = al.markov;
  // word ids are in order of first sight, so the training vocabulary is 0 … V−1
  let V = 0;
  for (let t = 0; t < split; t++) if (words[t]! >= V) V = words[t]! + 1;
  const cls = (w: number) => (w < V ? w : V); // V = the "unseen" class

  // marginal over V ∪ {unseen}
  const c = new Float64Array(V + 1);
  for (let t = 0; t < split; t++) c[words[t]!]!++;
  const m = new Float64Array(V + 1);
  for (let b = 0; b <= V; b++) m[b] = (c[b]! + al.marginal) / (split + al.marginal * (V + 1));
  let mode = 0;
  for (let b = 1; b < V; b++) if (m[b]! > m[mode]!) mode = b;

  let stays = 0;
  for (let t = order - 1; t < split - 1; t++) if (words[t + 1] === words[t]) stays++;
  const nTrain = split - order;
  const rho = (stays + al.persistence) / (nTrain + 2 * al.persistence);
  // persistence q(w | a) = ρ [w = a] + (1 − ρ) m_cls(w): the current word a is named even when unseen
  const qPers = (a: number, w: number): number => (w === a ? rho : 0) + (1 - rho) * m[cls(w)]!;

  // Markov counts on training transitions (h_t → w_{t+1}), t + 1 < split
  const pc = countPairs(hist.ids.subarray(order - 1, split - 1), words.subarray(order, split));
  const csr = toCsr(hist.k, pc.from, pc.to, pc.count);
  const rowTot = new Float64Array(hist.k);
  const rowBest = new Int32Array(hist.k).fill(-1);
  const lastWord = (h: number): number => words[hist.first[h]!]!;
  for (let h = 0; h < hist.k; h++) {
    const a = lastWord(h);
    // arg max_w N_hw + α q(w | a): a row entry, the current word, or the marginal mode
    let best = mode;
    let bestScore = alpha * qPers(a, mode);
    const sa = alpha * qPers(a, a);
    let tot = 0;
    for (let e = csr.rowPtr[h]!; e < csr.rowPtr[h + 1]!; e++) tot += csr.values[e]!;
    const na = countOfRow(h, a);
    if (na + sa > bestScore) {
      bestScore = na + sa;
      best = a;
    }
    for (let e = csr.rowPtr[h]!; e < csr.rowPtr[h + 1]!; e++) {
      const w = csr.colIdx[e]!;
      const sc = csr.values[e]! + alpha * qPers(a, w);
      if (sc > bestScore) {
        bestScore = sc;
        best = w;
      }
    }
    rowTot[h] = tot;
    rowBest[h] = best;
  }
  function countOfRow(h: number, b: number): number {
    let lo = csr.rowPtr[h]!;
    let hi = csr.rowPtr[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (csr.colIdx[mid]! < b) lo = mid + 1;
      else hi = mid;
    }
    return lo < csr.rowPtr[h + 1]! && csr.colIdx[lo] === b ? csr.values[lo]! : 0;
  }

  let llM = 0,
    llMarg = 0,
    llP = 0,
    accM = 0,
    accMarg = 0,
    accP = 0,
    unseen = 0;
  const nTest = end - split;
  for (let t = split - 1; t < end - 1; t++) {
    const w = words[t + 1]!;
    const a = words[t]!;
    if (w >= V) unseen++;
    const h = hist.ids[t]!;
    const trained = h >= 0 && h < hist.k && rowTot[h]! > 0;
    const q = qPers(a, w);
    const pMarkov = trained ? (countOfRow(h, w) + alpha * q) / (rowTot[h]! + alpha) : q;
    llM += log(pMarkov);
    llMarg += log(m[cls(w)]!);
    llP += log(q);
    const guessM = trained ? rowBest[h]! : qPers(a, a) >= qPers(a, mode) ? a : mode;
    if (guessM === w) accM++;
    if (mode === w) accMarg++;
    if (a === w) accP++;
  }
  return {
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
