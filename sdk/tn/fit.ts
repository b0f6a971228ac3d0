/**
 * A Born machine as a generative model that generalises: contiguous
 * train / validation / test blocks, the bond cap and the number of sweeps
 * chosen on validation likelihood (early stopping), a mixture with the
 * product model at a weight chosen on validation so that no held-out state
 * gets probability 0, and the baselines (product, Chow–Liu, Bernoulli
 * mixture with K chosen on validation) in the same run. All NLLs in bits per
 * sample.
 *
 * @module
 */
import type { BinaryStates, RGFlow } from "../types.js";
import { DgrnShapeError, DgrnTypeError } from "../errors.js";
import { exp, log } from "../math.js";
import { randomUniform } from "../random/index.js";
import { checkBoolean, checkInteger, checkOptions, checkSeed, message, checkNumber } from "../validate.js";
import { checkOrder } from "./samples.js";
import { checkNonEmptyStates } from "../io/check.js";
import { bornLogProb, bornMachine, bornProduct, bornSample, type BornMachine } from "./born.js";
import {
  bornTree,
  bornTreeLogProb,
  bornTreeProduct,
  bornTreeSample,
  bornTreeShape,
  type BornTree,
} from "./bornTree.js";
import { checkFlow } from "../lrg/flow.js";
import { bernoulliMixture, chowLiuTree, productModel, type BaselineModel } from "./baselines.js";
import type { WorkerPool } from "../parallel/pool.js";

const LN2 = 0.6931471805599453;

/** Probability floor whose crossing is reported (2^-200). */
export const LOG2_FLOOR = -200;

/** Weights of the product model tried in the mixture (ours). */
export const MIX_WEIGHTS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3];

/** Train / validation / test NLLs (bits per sample); test null without a test block. */
export interface NllTriple {
  train: number;
  validation: number;
  test: number | null;
}

/** Options of {@link fitBorn}. */
export interface FitOptions {
  /** Site order (a permutation of the columns). Default identity. */
  order?: ArrayLike<number>;
  /** Largest bond cap χ tried. Default 4. */
  maxBond?: number;
  /** Bond caps tried, ascending, each warm-started from the previous one's best; default 2, 4, … up to maxBond (and maxBond). */
  caps?: number[];
  /** Fractions of the contiguous train / validation / test blocks. Default [0.7, 0.15, 0.15]; with `test`, the states are split train / validation in the ratio of the first two. */
  split?: [number, number, number];
  /** An explicit test set (then `states` holds only train + validation). */
  test?: BinaryStates;
  /** Largest number of sweeps per cap. Default 8. */
  sweeps?: number;
  /** Gradient steps per merged tensor. Default 2. */
  steps?: number;
  /** Retrain on train + validation with the chosen caps and sweep counts. Default false. */
  refit?: boolean;
  /** Fit the baselines (product, Chow–Liu, mixture). Default true. */
  baselines?: boolean;
  /** Mixture sizes tried (ascending; stops at the first that does not improve validation). Default [1, 2, 4, 8, 12, 16, 24]. */
  components?: number[];
  /** Seed of the mixture's EM start and of sampling. Default 1. */
  seed?: number;
  /** "born-mps" (default) or "born-tree" (needs `flow`). */
  model?: "born-mps" | "born-tree";
  /** born-tree: the RG flow over the columns whose groups are the k-ary nodes. */
  flow?: RGFlow;
  /** born-tree: node cap, 2^maxNodeBits entries at the largest cap (default defaultNodeBits(χ); see bornTreeShape). */
  maxNodeBits?: number;
  /** Progress: fraction 0…1, message. */
  onProgress?: (fraction: number, message: string) => void;
}

/** One baseline's NLLs and size. */
export interface BaselineResult extends NllTriple {
  params: number;
  /** The mixture's K. */
  components?: number;
}

/** Result of {@link fitBorn}. */
export interface BornFit {
  readonly model: "born-mps" | "born-tree";
  /** The chosen Born machine (trained on train, or on train + validation with `refit`): an MPS, or a tree for born-tree. */
  readonly machine: BornMachine | BornTree;
  /** Weight w of the product model in P = (1 − w) P̃_Born + w P_product. */
  readonly mixWeight: number;
  /** The product model mixed in. */
  readonly product: BaselineModel;
  /** Born parameters (MPS or tree) + the product's n (the mixture weight aside). */
  readonly params: number;
  readonly bondDims: number[];
  /** NLLs of the regularised model (bits/sample). */
  readonly nll: NllTriple;
  /** NLLs of the pure Born machine (may be Infinity when a state has amplitude 0). */
  readonly nllBorn: NllTriple;
  readonly baselines: { product: BaselineResult; chowLiu: BaselineResult; mixture: BaselineResult } | null;
  /** Per cap tried: sweeps kept, params, validation NLL of the regularised model. */
  readonly caps: { maxBond: number; sweeps: number; params: number; validation: number }[];
  /** Fraction of validation / test states with pure-Born log₂ P̃ < −200 (the regularised model: always 0 below −200 − log₂(1/w) plus the product's own). */
  readonly belowFloor: { validation: number; test: number | null };
  /** Rows of each block: [start, end) of `states` (test: of `opts.test` when given). */
  readonly split: { train: [number, number]; validation: [number, number]; test: [number, number] | null };
  /** log₂ P of the regularised model per row. */
  logProb(states: BinaryStates): Float64Array;
  /** Per-row log₂ P of the test block (empty without one), for bootstrap intervals. */
  readonly testLogProb: Float64Array;
  /** The same for the baselines (empty arrays without baselines or a test block). */
  readonly baselineTestLogProb: { product: Float64Array; chowLiu: Float64Array; mixture: Float64Array };
}

function rowsOf(x: BinaryStates, a: number, b: number): BinaryStates {
  return { T: b - a, n: x.n, data: x.data.subarray(a * x.n, b * x.n) };
}

function concatRows(a: BinaryStates, b: BinaryStates): BinaryStates {
  const data = new Uint8Array((a.T + b.T) * a.n);
  data.set(a.data.subarray(0, a.T * a.n));
  data.set(b.data.subarray(0, b.T * b.n), a.T * a.n);
  return { T: a.T + b.T, n: a.n, data };
}

function meanNll(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return v.length === 0 ? 0 : -s / v.length;
}

/** log₂((1 − w) 2^a + w 2^b) elementwise. */
export function mixLog2(a: Float64Array, b: Float64Array, w: number): Float64Array {
  const out = new Float64Array(a.length);
  const la = log(1 - w);
  const lb = log(w);
  for (let i = 0; i < a.length; i++) {
    const x = la + a[i]! * LN2;
    const y = lb + b[i]! * LN2;
    if (!(x > -Infinity)) {
      out[i] = y / LN2;
      continue;
    }
    const m = x > y ? x : y;
    out[i] = (m + log(exp(x - m) + exp(y - m))) / LN2;
  }
  return out;
}

/** The best product weight on validation and its NLL. */
function bestWeight(born: Float64Array, prod: Float64Array): { w: number; nll: number } {
  let best = { w: MIX_WEIGHTS[0]!, nll: Infinity };
  for (const w of MIX_WEIGHTS) {
    const v = meanNll(mixLog2(born, prod, w));
    if (v < best.nll) best = { w, nll: v };
  }
  return best;
}

function below(v: Float64Array): number {
  let c = 0;
  for (const x of v) if (!(x >= LOG2_FLOOR)) c++;
  return v.length === 0 ? 0 : c / v.length;
}

/** A checked {@link FitOptions} with the blocks resolved: what every part of a fit reads (structured-cloneable). */
interface FitPlan {
  model: "born-mps" | "born-tree";
  flow: RGFlow | null;
  order: Int32Array;
  caps: number[];
  sweeps: number;
  steps: number;
  refit: boolean;
  withBase: boolean;
  seed: number;
  comps: number[];
  maxNodeBits: number | undefined;
  /** Train rows [0, a1), validation [a1, a2) of the states; test: the rest, or `opts.test`. */
  a1: number;
  a2: number;
  explicitTest: boolean;
}

/** The blocks of a plan. */
interface FitBlocks {
  st: BinaryStates;
  train: BinaryStates;
  val: BinaryStates;
  test: BinaryStates | null;
  /** Train, or train + validation with `refit`. */
  fitSet: BinaryStates;
}

/** Check the states and options of {@link fitBorn} and resolve them into a plan (no fitting). */
function planFit(states: BinaryStates, opts: FitOptions | undefined): { plan: FitPlan; blocks: FitBlocks } {
  const st = checkNonEmptyStates("states", states);
  const o = checkOptions<FitOptions>("opts", opts, [
    "order",
    "maxBond",
    "caps",
    "split",
    "test",
    "sweeps",
    "steps",
    "refit",
    "baselines",
    "components",
    "seed",
    "model",
    "flow",
    "maxNodeBits",
    "onProgress",
  ]);
  const { T, n } = st;
  const model = o.model ?? "born-mps";
  if (model !== "born-mps" && model !== "born-tree")
    throw new DgrnTypeError(message("opts.model", '"born-mps" or "born-tree"', model));
  if (model === "born-tree" && o.flow === undefined)
    throw new DgrnTypeError(
      message("opts.flow", "an RGFlow over the columns (born-tree needs the flow's tree)", o.flow),
    );
  const flow = model === "born-tree" ? checkFlow("opts.flow", o.flow, n) : null;
  const order =
    o.order === undefined ? Int32Array.from({ length: n }, (_, i) => i) : checkOrder("opts.order", o.order, n);
  const maxBond = o.maxBond === undefined ? 4 : checkInteger("opts.maxBond", o.maxBond, { min: 1, max: 256 });
  let caps: number[];
  if (o.caps !== undefined) {
    if (!Array.isArray(o.caps) || o.caps.length === 0)
      throw new DgrnTypeError(message("opts.caps", "a non-empty array of bond caps", o.caps));
    caps = o.caps.map((c, i) => checkInteger(`opts.caps[${i}]`, c, { min: 1, max: 256 }));
  } else {
    caps = [];
    for (let c = 2; c < maxBond; c *= 2) caps.push(c);
    caps.push(maxBond);
  }
  const sweeps = o.sweeps === undefined ? 8 : checkInteger("opts.sweeps", o.sweeps, { min: 1, max: 1000 });
  const steps = o.steps === undefined ? 2 : checkInteger("opts.steps", o.steps, { min: 1, max: 100 });
  const refit = o.refit === undefined ? false : checkBoolean("opts.refit", o.refit);
  const withBase = o.baselines === undefined ? true : checkBoolean("opts.baselines", o.baselines);
  const seed = o.seed === undefined ? 1 : checkSeed("opts.seed", o.seed);
  const comps =
    o.components === undefined
      ? [1, 2, 4, 8, 12, 16, 24]
      : o.components.map((c, i) => checkInteger(`opts.components[${i}]`, c, { min: 1, max: 1000 }));
  let test: BinaryStates | null = null;
  if (o.test !== undefined) {
    test = checkNonEmptyStates("opts.test", o.test);
    if (test.n !== n) throw new DgrnShapeError(message("opts.test.n", `${n}`, test.n));
  }
  const explicitTest = test !== null;
  const fr = o.split ?? [0.7, 0.15, 0.15];
  if (!Array.isArray(fr) || fr.length !== 3)
    throw new DgrnTypeError(message("opts.split", "three fractions [train, validation, test]", fr));
  fr.forEach((v, i) => checkNumber(`opts.split[${i}]`, v, { min: 0 }));
  let a1: number;
  let a2: number;
  if (test) {
    a1 = Math.round((T * fr[0]) / (fr[0] + fr[1]));
    a2 = T;
  } else {
    const tot = fr[0] + fr[1] + fr[2];
    a1 = Math.round((T * fr[0]) / tot);
    a2 = Math.round((T * (fr[0] + fr[1])) / tot);
  }
  checkInteger("train block length", a1, { min: 1 });
  checkInteger("validation block length", a2 - a1, { min: 1 });
  const plan: FitPlan = {
    model,
    flow,
    order,
    caps,
    sweeps,
    steps,
    refit,
    withBase,
    seed,
    comps,
    maxNodeBits: o.maxNodeBits,
    a1,
    a2,
    explicitTest,
  };
  return { plan, blocks: blocksOf(st, plan, test) };
}

/** The train / validation / test blocks of a plan (test: the explicit test set, or the rows after a2). */
function blocksOf(st: BinaryStates, plan: FitPlan, explicit: BinaryStates | null): FitBlocks {
  const { a1, a2 } = plan;
  const train = rowsOf(st, 0, a1);
  const val = rowsOf(st, a1, a2);
  let test = explicit;
  if (!test && a2 < st.T) test = rowsOf(st, a2, st.T);
  if (test && test.T === 0) test = null;
  return { st, train, val, test, fitSet: plan.refit ? concatRows(train, val) : train };
}

/** What the Born part of a fit leaves (structured-cloneable: a pool task returns it). */
interface BornPart {
  machine: BornMachine | BornTree;
  mixWeight: number;
  nll: NllTriple;
  nllBorn: NllTriple;
  caps: { maxBond: number; sweeps: number; params: number; validation: number }[];
  belowFloor: { validation: number; test: number | null };
  testLogProb: Float64Array;
  /** The cap chosen (0: none beat the product start). */
  cap: number;
}

/** What the baselines part leaves (structured-cloneable). */
interface BaselinePart {
  baselines: NonNullable<BornFit["baselines"]>;
  testLogProb: { product: Float64Array; chowLiu: Float64Array; mixture: Float64Array };
}

/** The Born machine of a plan: caps ascending, warm-started, early stopping on the regularised validation NLL. */
function fitBornPart(plan: FitPlan, b: FitBlocks, prog: (f: number, m: string) => void): BornPart {
  const { n } = b.st;
  const { caps, sweeps, steps, flow, order } = plan;
  const { train, val, test } = b;
  type Machine = BornMachine | BornTree;
  const shape =
    flow !== null
      ? bornTreeShape(flow, n, {
          maxBond: Math.max(...caps),
          ...(plan.maxNodeBits !== undefined ? { maxNodeBits: plan.maxNodeBits } : {}),
        })
      : null;
  // the tree starts with its bonds padded to 2 (see bornTreeProduct): bond-1 nodes without leaves could never grow
  const start = (x: BinaryStates): Machine =>
    shape ? bornTreeProduct(x, shape, { bond: Math.min(2, Math.max(...caps)) }) : bornProduct(x, order);
  const step = (
    x: BinaryStates,
    init: Machine,
    cap: number,
    nsw: number,
    onProgress?: (f: number, m: string) => void,
  ): Machine =>
    init.kind === "bornTree"
      ? bornTree(x, flow!, {
          init,
          maxBond: cap,
          capBond: Math.max(...caps),
          sweeps: nsw,
          steps,
          ...(plan.maxNodeBits !== undefined ? { maxNodeBits: plan.maxNodeBits } : {}),
          ...(onProgress ? { onProgress } : {}),
        })
      : bornMachine(x, { init, maxBond: cap, sweeps: nsw, steps, ...(onProgress ? { onProgress } : {}) });
  const prodTrain = productModel(train);
  const prodVal = prodTrain.logProb(val);
  let cur: Machine = start(train);
  const capRows: BornPart["caps"] = [];
  let best: { machine: Machine; nll: number; cap: number } = {
    machine: cur,
    nll: bestWeight(lpOf(cur, val), prodVal).nll,
    cap: 0,
  };
  const totalWork = caps.length * sweeps;
  let done = 0;
  for (const cap of caps) {
    let capBest = { machine: cur, nll: Infinity, sweeps: 0 };
    let since = 0;
    for (let sw = 1; sw <= sweeps; sw++) {
      const base = done;
      cur = step(train, cur, cap, 1, (f, m) => prog((base + f) / totalWork, `χ ≤ ${cap}, ${m}`));
      done++;
      const v = bestWeight(lpOf(cur, val), prodVal).nll;
      prog(done / totalWork, `χ ≤ ${cap}, sweep ${sw} of ${sweeps}: validation NLL ${v.toFixed(2)} bits`);
      if (v < capBest.nll - 1e-9) {
        capBest = { machine: cur, nll: v, sweeps: sw };
        since = 0;
      } else if (++since >= 1) break;
    }
    done = caps.indexOf(cap) * sweeps + sweeps;
    capRows.push({ maxBond: cap, sweeps: capBest.sweeps, params: capBest.machine.params, validation: capBest.nll });
    cur = capBest.machine;
    if (capBest.nll < best.nll - 1e-9) best = { machine: capBest.machine, nll: capBest.nll, cap };
    else break;
  }
  let machine = best.machine;
  let product = prodTrain;
  if (plan.refit) {
    product = productModel(b.fitSet);
    let mm = start(b.fitSet);
    for (const row of capRows) {
      if (row.maxBond > best.cap || best.cap === 0) break;
      if (row.sweeps > 0) mm = step(b.fitSet, mm, row.maxBond, row.sweeps);
    }
    machine = mm;
  }
  const bv = lpOf(machine, val);
  const pv = product.logProb(val);
  const { w } = bestWeight(bv, pv);
  const bt = lpOf(machine, train);
  const btest = test ? lpOf(machine, test) : new Float64Array(0);
  const testLp = test ? mixLog2(btest, product.logProb(test), w) : new Float64Array(0);
  return {
    machine,
    mixWeight: w,
    nll: {
      train: meanNll(mixLog2(bt, product.logProb(train), w)),
      validation: meanNll(mixLog2(bv, pv, w)),
      test: test ? meanNll(testLp) : null,
    },
    nllBorn: { train: meanNll(bt), validation: meanNll(bv), test: test ? meanNll(btest) : null },
    caps: capRows,
    belowFloor: { validation: below(bv), test: test ? below(btest) : null },
    testLogProb: testLp,
    cap: best.cap,
  };
}

/** log₂ P̃ of a Born machine (MPS or tree) per row. */
function lpOf(mm: BornMachine | BornTree, x: BinaryStates): Float64Array {
  return mm.kind === "bornTree" ? bornTreeLogProb(mm, x) : bornLogProb(mm, x);
}

/** The baselines of a plan: product, Chow–Liu, and the Bernoulli mixture with K chosen on validation. */
function fitBaselinesPart(plan: FitPlan, b: FitBlocks): BaselinePart {
  const { train, val, test, fitSet } = b;
  const { refit, comps, seed } = plan;
  const baseTest: BaselinePart["testLogProb"] = {
    product: new Float64Array(0),
    chowLiu: new Float64Array(0),
    mixture: new Float64Array(0),
  };
  const triple = (m: BaselineModel): BaselineResult => {
    const tl = test ? m.logProb(test) : new Float64Array(0);
    baseTest[m.kind] = tl;
    return {
      train: meanNll(m.logProb(train)),
      validation: meanNll(m.logProb(val)),
      test: test ? meanNll(tl) : null,
      params: m.params,
    };
  };
  const prodR = triple(productModel(fitSet));
  const clR = triple(chowLiuTree(fitSet));
  let bestK: { K: number; v: number; model: BaselineModel | null } = { K: comps[0]!, v: Infinity, model: null };
  for (const K of comps) {
    if (K > train.T) break;
    const mk = bernoulliMixture(train, { components: K, seed });
    const v = meanNll(mk.logProb(val));
    if (v < bestK.v) bestK = { K, v, model: mk };
    else break;
  }
  // without refit the chosen model was fitted on the same rows with the same seed: reuse it
  const mixModel =
    refit || bestK.model === null ? bernoulliMixture(fitSet, { components: bestK.K, seed }) : bestK.model;
  const mixR = { ...triple(mixModel), components: bestK.K };
  return { baselines: { product: prodR, chowLiu: clR, mixture: mixR }, testLogProb: baseTest };
}

/** The fit from its parts (the product model rebuilt: it is a closure, not data). */
function assembleFit(plan: FitPlan, b: FitBlocks, born: BornPart, base: BaselinePart | null): BornFit {
  const { machine, mixWeight: w } = born;
  const product = productModel(b.fitSet);
  const lp = (s: BinaryStates) => mixLog2(lpOf(machine, s), product.logProb(s), w);
  const { a1, a2 } = plan;
  const { test } = b;
  return {
    model: plan.model,
    machine,
    mixWeight: w,
    product,
    params: machine.params + b.st.n,
    bondDims: Array.from(machine.bondDims),
    nll: born.nll,
    nllBorn: born.nllBorn,
    baselines: base ? base.baselines : null,
    caps: born.caps,
    belowFloor: born.belowFloor,
    split: {
      train: [0, a1],
      validation: [a1, a2],
      test: test ? (plan.explicitTest ? [0, test.T] : [a2, b.st.T]) : null,
    },
    logProb: lp,
    testLogProb: born.testLogProb,
    baselineTestLogProb: base
      ? base.testLogProb
      : { product: new Float64Array(0), chowLiu: new Float64Array(0), mixture: new Float64Array(0) },
  };
}

/** The closing progress line of a fit. */
function fitDone(plan: FitPlan, born: BornPart): string {
  return `Born ${plan.model === "born-tree" ? "tree" : "MPS"} χ ≤ ${born.cap || 1}: validation NLL ${born.nll.validation.toFixed(2)} bits`;
}

/**
 * Train a Born machine MPS with model selection on contiguous blocks and
 * compare it with the baselines, all in bits per sample.
 *
 * @param states - T × n binary states in time order
 * @param opts - see {@link FitOptions}
 * @returns the chosen model, its NLLs, the baselines', the caps tried
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for malformed states or options
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when a block would be empty
 * @example
 * ```ts
 * import { init, fitBorn } from "dgrn";
 * await init();
 * const fit = fitBorn(states, { order, maxBond: 4 });
 * fit.nll.test; fit.baselines!.mixture.test; // bits/sample
 * ```
 */
export function fitBorn(states: BinaryStates, opts?: FitOptions): BornFit {
  const { plan, blocks } = planFit(states, opts);
  const prog = opts?.onProgress ?? (() => {});
  const born = fitBornPart(plan, blocks, prog);
  const base = plan.withBase ? fitBaselinesPart(plan, blocks) : null;
  prog(1, fitDone(plan, born));
  return assembleFit(plan, blocks, born, base);
}

/** {@link fitBorn}'s options without the progress callback (what crosses to a pool worker). */
export type FitTaskOptions = Omit<FitOptions, "onProgress">;

/**
 * One part of a fit, for a pool worker: the Born machine ("born") or the
 * baselines ("baselines") of `fitBorn(states, opts)`. Same checks, same bits.
 *
 * @param states - as for fitBorn
 * @param opts - as for fitBorn, without `onProgress`
 * @param part - "born" or "baselines"
 * @returns the part's plain data
 */
export function fitPart(
  states: BinaryStates,
  opts: FitTaskOptions,
  part: "born" | "baselines",
): BornPart | BaselinePart {
  const { plan, blocks } = planFit(states, opts);
  return part === "born" ? fitBornPart(plan, blocks, () => {}) : fitBaselinesPart(plan, blocks);
}

/**
 * {@link fitBorn} on a worker pool: the Born machine and the baselines as two
 * tasks that run side by side. The same bits as fitBorn for any pool size.
 * Progress comes at the end of each part (a worker does not report within a task).
 *
 * @param states - T × n binary states in time order
 * @param opts - see {@link FitOptions}
 * @param pool - a pool from createPool (size 0: in this thread)
 * @returns the same fit as fitBorn(states, opts)
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for malformed states or options (before any task starts)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when a block would be empty
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const fit = await fitBornAsync(states, { order, maxBond: 4 }, pool);
 * await pool.close();
 * ```
 */
export async function fitBornAsync(
  states: BinaryStates,
  opts: FitOptions | undefined,
  pool: WorkerPool,
): Promise<BornFit> {
  const { plan, blocks } = planFit(states, opts);
  const prog = opts?.onProgress ?? (() => {});
  const { onProgress: _ignored, ...taskOpts }: FitOptions = opts ?? {};
  const st = blocks.st;
  // a view of a larger buffer would be cloned whole: send its own bytes
  const own = (v: BinaryStates): BinaryStates => {
    const whole = v.data.byteOffset === 0 && v.data.byteLength === v.data.buffer.byteLength;
    return whole ? v : { T: v.T, n: v.n, data: v.data.slice(0, v.T * v.n) };
  };
  const x = own(st);
  if (blocks.test && plan.explicitTest) taskOpts.test = own(blocks.test);
  const [born, base] = await Promise.all([
    pool.run<BornPart>("tn.fitPart", [x, taskOpts, "born"]).then((r) => {
      if (plan.withBase) prog(0.5, "Born machine fitted");
      return r;
    }),
    plan.withBase ? pool.run<BaselinePart>("tn.fitPart", [x, taskOpts, "baselines"]) : Promise.resolve(null),
  ]);
  prog(1, fitDone(plan, born));
  return assembleFit(plan, blocks, born, base);
}

/**
 * Entropy H(P) = −E log₂ P of the fitted (regularised) model, estimated from
 * exact seeded samples, with its standard error.
 *
 * @param fit - a {@link fitBorn} result
 * @param m - number of samples (default 1000)
 * @param opts - `seed` (1)
 * @returns `{ mean, se }` in bits
 * @example
 * ```ts
 * modelEntropy(fit, 1000, { seed: 1 }); // { mean, se }
 * ```
 */
export function modelEntropy(fit: BornFit, m = 1000, opts?: { seed?: number }): { mean: number; se: number } {
  checkInteger("m", m, { min: 2 });
  const seed = opts?.seed === undefined ? 1 : checkSeed("opts.seed", opts.seed);
  const n = fit.machine.n;
  const born =
    fit.machine.kind === "bornTree" ? bornTreeSample(fit.machine, m, { seed }) : bornSample(fit.machine, m, { seed });
  const u = randomUniform(2 * m * n + m, { seed, stream: 1 });
  // product component: the model's own marginals from its log-probabilities of unit vectors
  const zero = { T: 1, n, data: new Uint8Array(n) };
  const l0 = fit.product.logProb(zero)[0]!;
  const unit = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) unit[i * n + i] = 1;
  const lu = fit.product.logProb({ T: n, n, data: unit });
  const p1 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = (lu[i]! - l0) * LN2; // ln(p/(1−p))
    p1[i] = 1 / (1 + exp(-d));
  }
  const data = born.data.slice();
  for (let j = 0; j < m; j++) {
    if (u[j]! < fit.mixWeight) for (let i = 0; i < n; i++) data[j * n + i] = u[m + j * n + i]! < p1[i]! ? 1 : 0;
  }
  const lp = fit.logProb({ T: m, n, data });
  let s = 0;
  let q = 0;
  for (const v of lp) {
    s -= v;
    q += v * v;
  }
  const mean = s / m;
  const varr = Math.max(0, q / m - mean * mean);
  return { mean, se: Math.sqrt(varr / (m - 1)) };
}

/**
 * Moving-block bootstrap 95 % interval of the mean of a time series (blocks
 * of length `block`, `reps` resamples, seeded; percentile interval).
 *
 * @example
 * ```ts
 * blockBootstrap(nllPerBin, { block: 20, reps: 500, seed: 1 }); // { lo, hi }
 * ```
 */
export function blockBootstrap(
  values: Float64Array,
  opts?: { block?: number; reps?: number; seed?: number },
): { lo: number; hi: number } {
  const N = values.length;
  if (N === 0) return { lo: NaN, hi: NaN };
  const b = Math.max(1, Math.min(N, opts?.block ?? 20));
  const reps = opts?.reps ?? 500;
  const nb = Math.ceil(N / b);
  const u = randomUniform(reps * nb, { seed: opts?.seed ?? 1, stream: 2 });
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let s = 0;
    let c = 0;
    for (let j = 0; j < nb; j++) {
      const start = Math.floor(u[r * nb + j]! * (N - b + 1));
      for (let i = 0; i < b && c < N; i++, c++) s += values[start + i]!;
    }
    means[r] = s / c;
  }
  means.sort();
  return { lo: means[Math.floor(0.025 * (reps - 1))]!, hi: means[Math.ceil(0.975 * (reps - 1))]! };
}

/** One fold of {@link crossValidateBorn}. */
export interface BornFold {
  fold: number;
  /** Held-out rows [start, end) of the input. */
  test: [number, number];
  /** Held-out NLL (bits/sample) of the regularised Born model and of the baselines (null without baselines). */
  born: number;
  product: number | null;
  chowLiu: number | null;
  mixture: number | null;
  /** Largest bond and parameters of the Born model chosen inside the fold. */
  maxBondDim: number;
  params: number;
}

/** Result of {@link crossValidateBorn}. */
export interface BornCrossValidation {
  readonly K: number;
  readonly folds: BornFold[];
  /** Mean held-out NLL over folds (bits/sample) and its standard error across folds. */
  readonly mean: { born: number; product: number | null; chowLiu: number | null; mixture: number | null };
  readonly se: { born: number; product: number | null; chowLiu: number | null; mixture: number | null };
}

/**
 * K-fold blocks: the states are cut into K contiguous blocks, each held out
 * once; the other blocks (in time order) are split train / validation in the
 * ratio of `split` (default 70 : 15, validation = their last part) and
 * {@link fitBorn} chooses the bond cap, the sweeps, the product-mix weight and
 * the mixture's K on that validation block, inside each fold.
 *
 * @param states - T × n states in time order
 * @param K - number of folds (2 … 100; every block must hold ≥ 2 rows)
 * @param opts - the {@link FitOptions} of every fold's fit (`test` not allowed)
 * @returns per-fold held-out NLLs of the Born model and the baselines, their means and standard errors
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `opts.test` is given
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for K out of range or blocks too short
 * @example
 * ```ts
 * const cv = crossValidateBorn(states, 5, { order, maxBond: 4 });
 * cv.mean.born; cv.mean.mixture; // bits/sample, averaged over the 5 held-out blocks
 * ```
 */
export function crossValidateBorn(states: BinaryStates, K: number, opts: FitOptions = {}): BornCrossValidation {
  const { folds, prog } = foldPlan(states, K, opts);
  const rows = folds.map((f, k) =>
    foldRow(
      k,
      f.test,
      fitBorn(f.rest, { ...f.opts, onProgress: (fr, m) => prog((k + fr) / K, `fold ${k + 1} of ${K}: ${m}`) }),
    ),
  );
  return crossValidation(K, rows);
}

/**
 * {@link crossValidateBorn} on a worker pool: every fold's Born machine and
 * baselines are tasks ({@link fitBornAsync}), all folds started at once; the
 * folds are combined in fold order. The same bits as crossValidateBorn for any
 * pool size; progress comes once per finished fold.
 *
 * @param states - T × n states in time order
 * @param K - number of folds (2 … 100)
 * @param opts - the {@link FitOptions} of every fold's fit (`test` not allowed)
 * @param pool - a pool from createPool (size 0: in this thread)
 * @returns the same as crossValidateBorn(states, K, opts)
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `opts.test` is given (before any task starts)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for K out of range or blocks too short
 * @example
 * ```ts
 * const cv = await crossValidateBornAsync(states, 5, { order, maxBond: 4 }, pool);
 * cv.mean.born; // bits/sample
 * ```
 */
export async function crossValidateBornAsync(
  states: BinaryStates,
  K: number,
  opts: FitOptions,
  pool: WorkerPool,
): Promise<BornCrossValidation> {
  const { folds, prog } = foldPlan(states, K, opts);
  let done = 0;
  const fits = await Promise.all(
    folds.map((f) =>
      fitBornAsync(f.rest, f.opts, pool).then((fit) => {
        done++;
        prog(done / K, `fold ${done} of ${K} done`);
        return fit;
      }),
    ),
  );
  return crossValidation(
    K,
    fits.map((fit, k) => foldRow(k, folds[k]!.test, fit)),
  );
}

/** The K contiguous folds of {@link crossValidateBorn}: held-out rows, the other rows, each fold's fit options. */
function foldPlan(states: BinaryStates, K: number, opts: FitOptions) {
  const st = checkNonEmptyStates("states", states);
  checkInteger("K", K, { min: 2, max: 100 });
  checkInteger("rows per fold", Math.floor(st.T / K), { min: 2 });
  if (opts.test !== undefined)
    throw new DgrnTypeError(message("opts.test", "absent (every block is held out once)", "a test set"));
  const fr = opts.split ?? [0.7, 0.15, 0.15];
  const { onProgress, ...rest } = opts;
  const folds = Array.from({ length: K }, (_, k) => {
    const a = Math.round((st.T * k) / K);
    const b = Math.round((st.T * (k + 1)) / K);
    return {
      test: [a, b] as [number, number],
      rest: concatRows(rowsOf(st, 0, a), rowsOf(st, b, st.T)),
      opts: { ...rest, split: [fr[0], fr[1], 0] as [number, number, number], test: rowsOf(st, a, b) },
    };
  });
  return { folds, prog: onProgress ?? (() => {}) };
}

/** One fold's row. */
function foldRow(k: number, test: [number, number], fit: BornFit): BornFold {
  const bl = fit.baselines;
  return {
    fold: k,
    test,
    born: fit.nll.test!,
    product: bl ? bl.product.test : null,
    chowLiu: bl ? bl.chowLiu.test : null,
    mixture: bl ? bl.mixture.test : null,
    maxBondDim: Math.max(...fit.bondDims),
    params: fit.params,
  };
}

/** Means and standard errors across folds, in fold order. */
function crossValidation(K: number, folds: BornFold[]): BornCrossValidation {
  const stat = (key: "born" | "product" | "chowLiu" | "mixture"): [number | null, number | null] => {
    const v = folds.map((f) => f[key]);
    if (v.some((x) => x === null)) return [null, null];
    const xs = v as number[];
    const mu = xs.reduce((s, x) => s + x, 0) / K;
    const vr = xs.reduce((s, x) => s + (x - mu) * (x - mu), 0) / (K - 1);
    return [mu, Math.sqrt(vr / K)];
  };
  const [bm, bs] = stat("born");
  const [pm, ps] = stat("product");
  const [cm, cs] = stat("chowLiu");
  const [mm, ms] = stat("mixture");
  return {
    K,
    folds,
    mean: { born: bm!, product: pm, chowLiu: cm, mixture: mm },
    se: { born: bs!, product: ps, chowLiu: cs, mixture: ms },
  };
}
