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
import type { BinaryStates, RGFlow } from "../types.js";
import { bornEntanglement } from "./born.js";
import {
  blockBootstrap,
  fitBorn,
  fitBornAsync,
  modelEntropy,
  type BornFit,
  type FitOptions,
  type NllTriple,
} from "./fit.js";
import type { WorkerPool } from "../parallel/pool.js";

/** One scale's row. */
export interface TnScale {
  step: number;
  n: number;
  /** Held-out (test) NLL of each model, bits per bin (`bornTree` only with the `tree` option). */
  heldOut: {
    born: number | null;
    product: number | null;
    chowLiu: number | null;
    mixture: number | null;
    bornTree?: number | null;
  };
  /** The model with the lowest held-out NLL. */
  best: "born" | "product" | "chowLiu" | "mixture" | "bornTree";
  /** With the `tree` option: the tree Born machine of this level's sub-flow. */
  bornTree?: {
    test: number | null;
    validation: number;
    params: number;
    maxBond: number;
    nodes: number;
    splitGroups: number;
    mixWeight: number;
  };
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
  /** With the `tree` option: the microscale tree fit. */
  fitTree?: BornFit;
}

/**
 * The flow seen from level ℓ: its steps ℓ, ℓ+1, … over the n_ℓ supernodes of
 * step ℓ (level 0 = the flow itself), assignments rebuilt from the groups.
 *
 * @example
 * ```ts
 * const f = {
 *   n0: 4,
 *   stopReason: "one node",
 *   steps: [
 *     { tau: 1, n: 2, groups: [[0, 1], [2, 3]], assignment: Int32Array.of(0, 0, 1, 1) },
 *     { tau: 2, n: 1, groups: [[0, 1]], assignment: Int32Array.of(0, 0, 0, 0) },
 *   ],
 * };
 * subFlow(f, 1).n0; // 2: the flow seen from the two supernodes of step 1
 * ```
 */
export function subFlow(flow: RGFlow, level: number): RGFlow {
  if (level === 0) return flow;
  const n0 = flow.steps[level - 1]!.n;
  let assign = Int32Array.from({ length: n0 }, (_, i) => i);
  const steps = flow.steps.slice(level).map((st) => {
    const of = new Int32Array(st.groups.reduce((a, g) => a + g.length, 0));
    st.groups.forEach((g, j) => g.forEach((i) => (of[i] = j)));
    assign = Int32Array.from(assign, (a) => of[a]!);
    return { tau: st.tau, n: st.n, groups: st.groups, assignment: assign };
  });
  return { n0, steps, stopReason: flow.stopReason };
}

/** Options of {@link tnAcrossScales}. */
export interface TnScalesOptions {
  maxBond?: number;
  caps?: number[];
  seed?: number;
  samples?: number;
  block?: number;
  /** Also fit the tree Born machine of the flow at every level (level ℓ: the sub-flow from step ℓ). */
  tree?: { flow: RGFlow; maxBond?: number; maxNodeBits?: number; caps?: number[] };
  onProgress?: (fraction: number, message: string) => void;
}

/** The fitBorn options of level ℓ: the MPS, and with `tree` the tree Born machine of the sub-flow from step ℓ. */
function levelOptions(
  l: number,
  order: ArrayLike<number>,
  opts: TnScalesOptions,
): { mps: FitOptions; tree: FitOptions | null } {
  const seed = opts.seed ?? 1;
  const mps: FitOptions = {
    maxBond: opts.maxBond ?? 4,
    ...(opts.caps ? { caps: opts.caps } : {}),
    seed,
    ...(l === 0 ? { order } : {}),
  };
  const tr = opts.tree;
  const tree: FitOptions | null = tr
    ? {
        model: "born-tree",
        flow: subFlow(tr.flow, l),
        maxBond: tr.maxBond ?? 2,
        ...(tr.caps ? { caps: tr.caps } : {}),
        ...(tr.maxNodeBits !== undefined ? { maxNodeBits: tr.maxNodeBits } : {}),
        baselines: false,
        seed,
      }
    : null;
  return { mps, tree };
}

/** The row of level ℓ from its fits (the block bootstrap and H(P̃) here); `h0` = Ĥ(X) (NaN while ℓ = 0 is computed). */
function scaleRow(
  x: BinaryStates,
  l: number,
  fit: BornFit,
  tfit: BornFit | null,
  h0: number,
  opts: TnScalesOptions,
): TnScale {
  const seed = opts.seed ?? 1;
  const b = fit.baselines!;
  const cand: [TnScale["best"], number | null, Float64Array][] = [
    ["born", fit.nll.test, fit.testLogProb],
    ["product", b.product.test, fit.baselineTestLogProb.product],
    ["chowLiu", b.chowLiu.test, fit.baselineTestLogProb.chowLiu],
    ["mixture", b.mixture.test, fit.baselineTestLogProb.mixture],
  ];
  if (tfit) cand.push(["bornTree", tfit.nll.test, tfit.testLogProb]);
  let best = cand[0]!;
  for (const c of cand) if (c[1] !== null && (best[1] === null || c[1] < best[1])) best = c;
  const H = best[1] ?? fit.nll.validation;
  const neg = Float64Array.from(best[2], (v) => -v);
  const ci = neg.length > 0 ? blockBootstrap(neg, { block: opts.block ?? 20, reps: 500, seed }) : { lo: H, hi: H };
  const ratioTo = l === 0 ? H : h0;
  const me = modelEntropy(fit, opts.samples ?? 1000, { seed });
  return {
    step: l,
    n: x.n,
    heldOut: {
      born: fit.nll.test,
      product: b.product.test,
      chowLiu: b.chowLiu.test,
      mixture: b.mixture.test,
      ...(tfit ? { bornTree: tfit.nll.test } : {}),
    },
    best: best[0],
    entropy: H,
    entropyLo: ci.lo,
    entropyHi: ci.hi,
    entropyPerUnit: H / x.n,
    ratio: H / ratioTo,
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
    ...(tfit && tfit.machine.kind === "bornTree"
      ? {
          bornTree: {
            test: tfit.nll.test,
            validation: tfit.nll.validation,
            params: tfit.params,
            maxBond: Math.max(...tfit.bondDims),
            nodes: tfit.machine.shape.parent.length,
            splitGroups: tfit.machine.shape.splitGroups,
            mixWeight: tfit.mixWeight,
          },
        }
      : {}),
  };
}

/** The result from every level's fits, rows in level order. */
function scalesResult(
  levels: BinaryStates[],
  fits: BornFit[],
  tfits: (BornFit | null)[],
  opts: TnScalesOptions,
): TnScalesResult {
  const rows: TnScale[] = [];
  let h0 = NaN;
  levels.forEach((x, l) => {
    const row = scaleRow(x, l, fits[l]!, tfits[l]!, h0, opts);
    if (l === 0) h0 = row.entropy;
    rows.push(row);
  });
  const m0 = fits[0]!.machine;
  return {
    fit: fits[0]!,
    entanglement: m0.kind === "bornMachine" ? bornEntanglement(m0) : new Float64Array(0),
    scales: rows,
    ...(tfits[0] ? { fitTree: tfits[0] } : {}),
  };
}

/**
 * Model X and each coarse level Y_ℓ with {@link fitBorn} (contiguous 70/15/15
 * blocks) and summarise per scale.
 *
 * @param levels - level 0 = the fine states X, then the coarse states of each RG step
 * @param order - site order of level 0 (community order); coarse levels keep their supernode order
 * @param opts - `maxBond` (4), `caps` (see fitBorn), `seed` (1), `samples` for H(P̃) (1000), `block` of the bootstrap (20 bins), `tree` (`{ flow, maxBond: 2, maxNodeBits, caps }`: also the tree Born machine per level, see {@link subFlow}), `onProgress`
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
  opts: TnScalesOptions = {},
): TnScalesResult {
  const prog = opts.onProgress ?? (() => {});
  // work ∝ n: the microscale dominates
  const weights = levels.map((x) => x.n);
  const tot = weights.reduce((a, b) => a + b, 0);
  const treeShare = opts.tree ? 0.5 : 0;
  let doneW = 0;
  const fits: BornFit[] = [];
  const tfits: (BornFit | null)[] = [];
  levels.forEach((x, l) => {
    const w = weights[l]! / tot;
    const base = doneW;
    const lo = levelOptions(l, order, opts);
    fits.push(
      fitBorn(x, {
        ...lo.mps,
        onProgress: (f, m) => prog(base + w * (1 - treeShare) * f, `scale ${l} (${x.n} variables): ${m}`),
      }),
    );
    tfits.push(
      lo.tree
        ? fitBorn(x, {
            ...lo.tree,
            onProgress: (f, m) =>
              prog(base + w * (1 - treeShare) + w * treeShare * f, `scale ${l} (${x.n} variables), tree: ${m}`),
          })
        : null,
    );
    doneW += w;
  });
  return scalesResult(levels, fits, tfits, opts);
}

/**
 * {@link tnAcrossScales} on a worker pool: every level's Born MPS, its
 * baselines and (with `tree`) its tree Born machine are tasks, all started at
 * once, the largest level first; the rows are assembled in level order. The
 * same bits as tnAcrossScales for any pool size.
 *
 * @param levels - as for tnAcrossScales
 * @param order - as for tnAcrossScales
 * @param opts - as for tnAcrossScales (progress: one event per finished part)
 * @param pool - a pool from createPool (size 0: in this thread)
 * @returns the same result as tnAcrossScales(levels, order, opts)
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const { scales } = await tnAcrossScalesAsync(levels, order, {}, pool);
 * await pool.close();
 * ```
 */
export async function tnAcrossScalesAsync(
  levels: BinaryStates[],
  order: ArrayLike<number>,
  opts: TnScalesOptions,
  pool: WorkerPool,
): Promise<TnScalesResult> {
  const prog = opts.onProgress ?? (() => {});
  const parts = levels.length * (opts.tree ? 2 : 1);
  let done = 0;
  const tick = (l: number, what: string) => (f: number, m: string) => {
    if (f < 1) return;
    done++;
    prog(done / parts, `scale ${l} (${levels[l]!.n} variables)${what}: ${m}`);
  };
  const jobs = levels.map((x, l) => {
    const lo = levelOptions(l, order, opts);
    return Promise.all([
      fitBornAsync(x, { ...lo.mps, onProgress: tick(l, "") }, pool),
      lo.tree ? fitBornAsync(x, { ...lo.tree, onProgress: tick(l, ", tree") }, pool) : Promise.resolve(null),
    ]);
  });
  const all = await Promise.all(jobs);
  return scalesResult(
    levels,
    all.map((a) => a[0]),
    all.map((a) => a[1]),
    opts,
  );
}

/** Re-exported for the pipeline's results. */
export type { NllTriple };
