/**
 * Types of the mesoscale-dynamics stage (sdk/dynamics/): trajectories in, typed
 * results out. The shared stage types (BinaryStates, RGFlow) live in
 * sdk/types.ts.
 *
 * @module
 */
import type { CsrMatrix } from "../linalg/sparse.js";
import type { BinaryStates } from "../types.js";

/**
 * Per-block fractions of active members: row-major T × n, `data[t * n + j]` =
 * (active members of block j at bin t) / `sizes[j]`. What
 * `coarseTrajectories(…, { rule: "fraction" })` returns.
 */
export interface FractionStates {
  readonly kind: "fraction";
  /** Number of time bins (rows). */
  readonly T: number;
  /** Number of blocks (columns). */
  readonly n: number;
  readonly data: Float64Array;
  /** Number of level-0 members of each block. */
  readonly sizes: Int32Array;
}

/**
 * One trajectory: binary words (BinaryStates), per-block fractions
 * (FractionStates), or integer state labels (one per bin; any integers).
 * Every distinct row (word) is one state.
 */
export type Trajectory = BinaryStates | FractionStates | Int32Array | readonly number[];

/**
 * A sparse square matrix in compressed sparse rows (columns sorted within each
 * row): the SDK's one CSR type ({@link CsrMatrix}, sdk/linalg/sparse.ts), under
 * the name the dynamics API has always used.
 */
export type SparseMatrix = CsrMatrix;

/** What {@link markovDynamics} returns. */
export interface MarkovDynamics {
  /** Markov order k: the chain's states are the observed k-tuples of consecutive words (histories). */
  readonly order: number;
  /** Pseudocount α added on the symmetrised support of the counts. */
  readonly pseudocount: number;
  /** Number of distinct observed words (rows of the trajectory). */
  readonly nWords: number;
  /** Number of chain states K (= nWords for order 1; observed histories otherwise). */
  readonly nStates: number;
  /** Number of counted transitions N = T − order. */
  readonly nTransitions: number;
  /** Word id of each bin (length T), ids in order of first sight. */
  readonly wordIds: Int32Array;
  /** Chain-state id of each bin (length T); −1 for the first order − 1 bins. */
  readonly stateIds: Int32Array;
  /** For each chain state, the bin where it first ends (its representative). */
  readonly firstSeen: Int32Array;
  /** Transition counts N_ab between chain states (K × K, sparse). */
  readonly counts: SparseMatrix;
  /** Transition matrix P_ab = (N_ab + α) / Σ_b (N_ab + α) over the symmetrised support (K × K, sparse). */
  readonly transition: SparseMatrix;
  /** Stationary distribution π of P (length K). */
  readonly stationary: Float64Array;
  /** Empirical occupancy of each chain state over the counted origins (length K). */
  readonly occupancy: Float64Array;
  /** Chain states with no outgoing transition (seen only at the end), if any. */
  readonly dangling: Int32Array;
}

/** The surrogate baseline of {@link EntropyProduction}. */
export interface SigmaBaseline {
  /** "shuffle" (time-shuffled trajectory) or "reversible" (simulated detailed-balance chain). */
  readonly method: "shuffle" | "reversible";
  /** Number of surrogates. */
  readonly n: number;
  readonly seed: number;
  /** The plug-in σ of each surrogate (nats per bin). */
  readonly values: Float64Array;
  readonly mean: number;
  readonly sd: number;
  /** Band: the smallest and largest surrogate σ. */
  readonly lo: number;
  readonly hi: number;
  /** (1 + #{surrogate σ ≥ σ}) / (n + 1): a one-sided surrogate p-value. */
  readonly pValue: number;
}

/** What {@link entropyProduction} returns. All rates in nats per bin. */
export interface EntropyProduction {
  /** Plug-in σ = Σ (ñ_ab/Ñ) ln(ñ_ab/ñ_ba). */
  readonly sigma: number;
  /** Expected plug-in σ under detailed balance: 2β/N (β = cycle rank of the two-way pair graph). */
  readonly bias: number;
  /** σ − bias (may be negative for a reversible process). */
  readonly sigmaCorrected: number;
  /** Cycle rank β = m − (vertices − components) of the graph of pairs seen both ways. */
  readonly cycleRank: number;
  /** Unordered pairs a ≠ b seen in both directions (m). */
  readonly nPairs: number;
  readonly nStates: number;
  readonly nTransitions: number;
  /** Fraction of transitions on pairs seen in one direction only (left out when pseudocount = 0). */
  readonly oneWayFraction: number;
  readonly pseudocount: number;
  /** Surrogate baseline, or null when `surrogates: 0`. */
  readonly baseline: SigmaBaseline | null;
  /**
   * Standard error of σ̂ (nats per bin): delta method on the pair frequencies,
   * with the long-run variance of the influence series estimated by batch
   * means (see docs/dynamics.md); null when there are fewer than 10 batches
   * or (pseudocount 0) no pair is seen in both directions.
   */
  readonly se: number | null;
  /** 95 % interval [lo, hi] around `sigmaCorrected` (lo clamped at 0), or null with `se`. */
  readonly ci: readonly [number, number] | null;
  /** Batch length b of the batch-means variance (⌈√N⌉) and the number of batches. */
  readonly batch: { readonly length: number; readonly count: number };
  /**
   * True when pseudocount = 0 and more than 1 % of transitions are on pairs
   * seen one way only: those pairs are left out, and each left-out pair's term
   * (f_ab − f_ba) ln(f_ab/f_ba) is ≥ 0, so σ̂ (and its interval) bounds σ from below.
   */
  readonly lowerBound: boolean;
}

/** Scores of one predictor on held-out transitions. */
export interface PredictionScore {
  /** Mean next-state log-likelihood, nats per transition (higher is better). */
  readonly logLikelihood: number;
  /** Fraction of transitions whose most probable next state was the observed one. */
  readonly accuracy: number;
}

/** What {@link predict} returns. */
export interface Prediction {
  readonly order: number;
  /** The pseudocount α each model used (given, or chosen on the training part). */
  readonly pseudocount: { readonly marginal: number; readonly persistence: number; readonly markov: number };
  /** First held-out bin: the transitions t → t+1 with t + 1 ≥ split are scored. */
  readonly split: number;
  readonly nTrain: number;
  readonly nTest: number;
  /** Distinct words in the training part (+1 "unseen" class completes the outcome space). */
  readonly vocabulary: number;
  /** Fraction of held-out next words never seen in training. */
  readonly unseenFraction: number;
  readonly markov: PredictionScore;
  readonly marginal: PredictionScore;
  readonly persistence: PredictionScore;
}

/** What {@link decode} returns. */
export interface Decoding {
  /** Pooled held-out accuracy over all folds. */
  readonly accuracy: number;
  /** Accuracy of each fold. */
  readonly foldAccuracy: Float64Array;
  /**
   * 95 % interval of the accuracy from the spread of the fold accuracies
   * (mean ± t_{0.975, folds−1} · sd/√folds; folds are blocks of time, so this
   * respects the time correlations a binomial interval would ignore), clamped to [0, 1].
   */
  readonly ci: readonly [number, number] | null;
  /** The same interval for the margin over chance (paired per fold); "at chance" when it contains 0. */
  readonly marginCi: readonly [number, number] | null;
  /** Chance: pooled accuracy of always predicting the training folds' most frequent label. */
  readonly chance: number;
  /** 1 / number of classes. */
  readonly uniformChance: number;
  /** accuracy − chance. */
  readonly margin: number;
  /** The distinct labels, ascending (class c ↔ classes[c]). */
  readonly classes: Int32Array;
  /** Confusion counts, classes × classes, row = true, column = predicted. */
  readonly confusion: Int32Array;
  readonly folds: number;
  readonly block: number;
  readonly l2: number;
  readonly seed: number;
  /** Number of features (units). */
  readonly nFeatures: number;
}
