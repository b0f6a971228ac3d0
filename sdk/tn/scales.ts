/**
 * DTNR across scales, made testable: at every RG step ℓ the coarse
 * variables Y_ℓ (the block variables of the dynamics stage) are modelled with
 * the same machinery as the microscale (Born MPS with model selection, and
 * the baselines), and Ĥ(Y_ℓ) = the best held-out cross-entropy (bits per
 * bin) is reported with a block-bootstrap 95 % interval, per coarse variable,
 * as R_ℓ = Ĥ(Y_ℓ)/Ĥ(X), beside the model's own entropy H(P̃) from exact samples.
 *
 * @module
 */
import type { BinaryStates } from "../types.js";
import { bornEntanglement } from "./born.js";
import { blockBootstrap, fitBorn, modelEntropy, type BornFit, type NllTriple } from "./fit.js";

/** One scale's row. */
export interface TnScale {
  step: number;
  n: number;
  /** Held-out (test) NLL of each model, bits per bin. */
  heldOut: { born: number | null; product: number | null; chowLiu: number | null; mixture: number | null };
  /** The model with the lowest held-out NLL. */
  best: "born" | "product" | "chowLiu" | "mixture";
  /** Ĥ(Y_ℓ): the best held-out cross-entropy (bits per bin) and its block-bootstrap 95 % interval. */
  entropy: number;
  entropyLo: number;
  entropyHi: number;
  /** Ĥ(Y_ℓ) / n_ℓ. */
  entropyPerUnit: number;
  /** R_ℓ = Ĥ(Y_ℓ)/Ĥ(X). */
  ratio: number;
  /** H(P̃) of the Born model from exact samples (bits), and its standard error. */
  modelEntropy: number;
  modelEntropySe: number;
  /** Parameters of the Born model (MPS + product mix) and of the baselines. */
  params: number;
  paramsProduct: number;
  paramsChowLiu: number;
  paramsMixture: number;
  mixtureComponents: number;
  maxBond: number;
  mixWeight: number;
  /** log₂ of the number of states, n_ℓ. */
  log2FullSize: number;
}

/** What {@link tnAcrossScales} returns. */
export interface TnScalesResult {
  /** The microscale fit (level 0, in the given order). */
  fit: BornFit;
  /** Born-form entanglement per bond of the microscale model (nats). */
  entanglement: Float64Array;
  scales: TnScale[];
}

/**
 * Model X and each coarse level Y_ℓ with {@link fitBorn} (contiguous 70/15/15
 * blocks) and summarise per scale.
 *
 * @param levels - level 0 = the fine states X, then the coarse states of each RG step
 * @param order - site order of level 0 (community order); coarse levels keep their supernode order
 * @param opts - `maxBond` (4), `caps` (see fitBorn), `seed` (1), `samples` for H(P̃) (1000), `block` of the bootstrap (20 bins), `onProgress`
 * @returns the microscale fit and one row per level
 * @example
 * ```ts
 * const { scales } = tnAcrossScales([states, ...coarseTrajectories(states, flow)], order);
 * scales.map((s) => s.ratio); // R_ℓ
 * ```
 */
export function tnAcrossScales(
  levels: BinaryStates[],
  order: ArrayLike<number>,
  opts: {
    maxBond?: number;
    caps?: number[];
    seed?: number;
    samples?: number;
    block?: number;
    onProgress?: (fraction: number, message: string) => void;
  } = {},
): TnScalesResult {
  const seed = opts.seed ?? 1;
  const prog = opts.onProgress ?? (() => {});
  // work ∝ n: the microscale dominates
  const weights = levels.map((x) => x.n);
  const tot = weights.reduce((a, b) => a + b, 0);
  let doneW = 0;
  const rows: TnScale[] = [];
  let fit0: BornFit | null = null;
  let h0 = NaN;
  levels.forEach((x, l) => {
    const w = weights[l]! / tot;
    const base = doneW;
    const fit = fitBorn(x, {
      maxBond: opts.maxBond ?? 4,
      ...(opts.caps ? { caps: opts.caps } : {}),
      seed,
      ...(l === 0 ? { order } : {}),
      onProgress: (f, m) => prog(base + w * f, `scale ${l} (${x.n} variables): ${m}`),
    });
    doneW += w;
    if (l === 0) fit0 = fit;
    const b = fit.baselines!;
    const cand: [TnScale["best"], number | null, Float64Array][] = [
      ["born", fit.nll.test, fit.testLogProb],
      ["product", b.product.test, fit.baselineTestLogProb.product],
      ["chowLiu", b.chowLiu.test, fit.baselineTestLogProb.chowLiu],
      ["mixture", b.mixture.test, fit.baselineTestLogProb.mixture],
    ];
    let best = cand[0]!;
    for (const c of cand) if (c[1] !== null && (best[1] === null || c[1] < best[1])) best = c;
    const H = best[1] ?? fit.nll.validation;
    const neg = Float64Array.from(best[2], (v) => -v);
    const ci = neg.length > 0 ? blockBootstrap(neg, { block: opts.block ?? 20, reps: 500, seed }) : { lo: H, hi: H };
    if (l === 0) h0 = H;
    const me = modelEntropy(fit, opts.samples ?? 1000, { seed });
    rows.push({
      step: l,
      n: x.n,
      heldOut: { born: fit.nll.test, product: b.product.test, chowLiu: b.chowLiu.test, mixture: b.mixture.test },
      best: best[0],
      entropy: H,
      entropyLo: ci.lo,
      entropyHi: ci.hi,
      entropyPerUnit: H / x.n,
      ratio: H / h0,
      modelEntropy: me.mean,
      modelEntropySe: me.se,
      params: fit.params,
      paramsProduct: b.product.params,
      paramsChowLiu: b.chowLiu.params,
      paramsMixture: b.mixture.params,
      mixtureComponents: b.mixture.components ?? 0,
      maxBond: Math.max(...fit.bondDims),
      mixWeight: fit.mixWeight,
      log2FullSize: x.n,
    });
  });
  const m0 = fit0!.machine;
  return { fit: fit0!, entanglement: m0.kind === "bornMachine" ? bornEntanglement(m0) : new Float64Array(0), scales: rows };
}

/** Re-exported for the pipeline's results. */
export type { NllTriple };
