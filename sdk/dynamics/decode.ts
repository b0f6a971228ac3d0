/**
 * Decoding stimulus labels from (coarse or fine) states: cross-validated
 * multinomial logistic regression with an L2 penalty, seeded folds, against
 * chance.
 *
 * @module
 */
import { checkLabels } from "../graph/graph.js";
import { meanInterval } from "./interval.js";
import { DgrnRangeError } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import { randomPermutation } from "../random/index.js";
import type { BinaryStates, RGFlow } from "../types.js";
import { checkInteger, checkNumber, checkOneOf, checkOptions, checkSeed, message } from "../validate.js";
import { coarseStep } from "./coarse.js";
import type { WorkerPool } from "../parallel/pool.js";
import type { DynExports } from "./kernel.js";
import { checkFlow, checkStatesOrFractions } from "./trajectory.js";
import { checkStates as checkBinaryStates } from "../io/check.js";
import type { Decoding, FractionStates } from "./types.js";

/** Options of {@link decode}. */
export interface DecodeOptions {
  /** Number of cross-validation folds, ≥ 2 (default 5). */
  folds?: number;
  /** L2 penalty λ on the weights (not the biases), ≥ 0 (default 0.01). */
  l2?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
  /** Bins per contiguous block assigned to one fold (default max(1, ⌊T / (10 · folds)⌋)). */
  block?: number;
  /** L-BFGS iterations per fit (default 200). */
  maxIter?: number;
}

const KEYS = ["folds", "l2", "seed", "block", "maxIter"];

/** Features as CSR rows: binary states keep only their active units. */
export interface Features {
  n: number;
  d: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  val: Float64Array;
}

export function features(x: BinaryStates | FractionStates): Features {
  const { T, n } = x;
  const rowPtr = new Int32Array(T + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const v = x.data[t * n + j]!;
      if (v !== 0) {
        col.push(j);
        val.push(v);
      }
    }
    rowPtr[t + 1] = col.length;
  }
  return { n: T, d: n, rowPtr, colIdx: Int32Array.from(col), val: Float64Array.from(val) };
}

function subset(f: Features, rows: Int32Array): Features {
  const rowPtr = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) nnz += f.rowPtr[rows[i]! + 1]! - f.rowPtr[rows[i]!]!;
  const colIdx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let e = f.rowPtr[r]!; e < f.rowPtr[r + 1]!; e++) {
      colIdx[p] = f.colIdx[e]!;
      val[p] = f.val[e]!;
      p++;
    }
    rowPtr[i + 1] = p;
  }
  return { n: rows.length, d: f.d, rowPtr, colIdx, val };
}

/**
 * Divide every feature by its standard deviation on the training rows (no
 * centring, so binary rows stay sparse; the intercepts absorb the means), so
 * the L2 penalty weighs every unit alike. Constant features are dropped (×0).
 */
function scaleByTrainingSd(train: Features, test: Features): void {
  const sum = new Float64Array(train.d);
  const sq = new Float64Array(train.d);
  for (let e = 0; e < train.colIdx.length; e++) {
    const v = train.val[e]!;
    sum[train.colIdx[e]!]! += v;
    sq[train.colIdx[e]!]! += v * v;
  }
  const scale = new Float64Array(train.d);
  for (let j = 0; j < train.d; j++) {
    const mean = sum[j]! / train.n;
    const v = sq[j]! / train.n - mean * mean;
    scale[j] = v > 1e-12 ? 1 / Math.sqrt(v) : 0;
  }
  for (const f of [train, test]) for (let e = 0; e < f.colIdx.length; e++) f.val[e]! *= scale[f.colIdx[e]!]!;
}

/**
 * Fit softmax regression by L-BFGS (memory 10, Armijo backtracking) and predict `test`.
 * The optimiser runs in the kernel (`dynSoftmaxFit`, one call per fit); with
 * `reference` it runs {@link lbfgs} here over the kernel's loss instead, which
 * gives the same bits (the test of the kernel optimiser).
 */
export function fitPredict(
  train: Features,
  y: Int32Array,
  C: number,
  lambda: number,
  maxIter: number,
  test: Features,
  reference = false,
): { pred: Int32Array; w: Float64Array } {
  const k = getKernel();
  const f = k.fn<DynExports>();
  const nw = (train.d + 1) * C;
  return k.scope((s) => {
    const rp = s.copyI32(train.rowPtr);
    const ci = s.copyI32(train.colIdx.length ? train.colIdx : [0]);
    const vp = s.copyF64(train.val.length ? train.val : [0]);
    const yp = s.copyI32(y);
    const wp = s.f64(nw);
    let w: Float64Array;
    if (reference) {
      const gp = s.f64(nw);
      const work = s.bytes(f.dynSoftmaxWorkSize(C));
      const evalAt = (w: Float64Array, g: Float64Array): number => {
        k.f64(wp, nw).set(w);
        const loss = f.dynSoftmaxLossGrad(train.n, train.d, C, rp, ci, vp, yp, wp, lambda, gp, work);
        g.set(k.f64(gp, nw));
        return loss;
      };
      w = lbfgs(evalAt, new Float64Array(nw), maxIter);
      k.f64(wp, nw).set(w);
    } else {
      k.f64(wp, nw).fill(0);
      f.dynSoftmaxFit(
        train.n,
        train.d,
        C,
        rp,
        ci,
        vp,
        yp,
        lambda,
        maxIter,
        1e-6,
        wp,
        s.bytes(f.dynSoftmaxFitWorkSize(nw, C)),
      );
      w = k.readF64(wp, nw);
    }
    const trp = s.copyI32(test.rowPtr);
    const tci = s.copyI32(test.colIdx.length ? test.colIdx : [0]);
    const tvp = s.copyF64(test.val.length ? test.val : [0]);
    const out = s.i32(Math.max(test.n, 1));
    f.dynSoftmaxPredict(test.n, test.d, C, trp, tci, tvp, wp, out, s.bytes(f.dynSoftmaxWorkSize(C)));
    return { pred: k.readI32(out, test.n), w };
  });
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Minimise a smooth function by L-BFGS. `fg(w, g)` returns f(w) and writes ∇f into g. */
export function lbfgs(
  fg: (w: Float64Array, g: Float64Array) => number,
  w0: Float64Array,
  maxIter: number,
  gtol = 1e-6,
): Float64Array {
  const n = w0.length;
  const mem = 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const R: number[] = [];
  let w = w0.slice();
  let g = new Float64Array(n);
  let fx = fg(w, g);
  const d = new Float64Array(n);
  const wn = new Float64Array(n);
  const gn = new Float64Array(n);
  const alpha = new Float64Array(mem);
  for (let it = 0; it < maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]!));
    if (gmax < gtol) break;
    // two-loop recursion: d = −H g
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = R[j]! * dotv(S[j]!, d);
      const yj = Y[j]!;
      for (let i = 0; i < n; i++) d[i]! -= alpha[j]! * yj[i]!;
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dotv(S[last]!, Y[last]!) / dotv(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
    for (let j = 0; j < S.length; j++) {
      const beta = R[j]! * dotv(Y[j]!, d);
      const sj = S[j]!;
      for (let i = 0; i < n; i++) d[i]! += (alpha[j]! - beta) * sj[i]!;
    }
    let gd = dotv(g, d);
    if (!(gd < 0)) {
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gd = dotv(g, d);
      S.length = Y.length = R.length = 0;
    }
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-gd)) : 1;
    let fn = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) wn[i] = w[i]! + step * d[i]!;
      fn = fg(wn, gn);
      if (fn <= fx + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    if (!(fn <= fx)) break; // no decrease possible at this precision
    const sv = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sv[i] = wn[i]! - w[i]!;
      yv[i] = gn[i]! - g[i]!;
    }
    const sy = dotv(sv, yv);
    if (sy > 1e-12) {
      if (S.length === mem) {
        S.shift();
        Y.shift();
        R.shift();
      }
      S.push(sv);
      Y.push(yv);
      R.push(1 / sy);
    }
    const done = Math.abs(fx - fn) <= 1e-12 * Math.max(1, Math.abs(fx));
    w = wn.slice();
    g = gn.slice();
    fx = fn;
    if (done) break;
  }
  return w;
}

/**
 * Decode labels from states by K-fold cross-validated multinomial logistic
 * regression (softmax with intercepts; L2 penalty λ/2 ‖W‖² on the mean
 * cross-entropy; L-BFGS). Features are divided by their training-fold standard
 * deviation (not centred; constant units dropped) so λ weighs every unit alike. Folds are seeded: the bins are cut into contiguous
 * blocks (default ⌊T / (10 K)⌋ bins, which limits leakage between neighbouring,
 * autocorrelated bins) and the blocks are dealt to the K folds in a seeded
 * random order. Every distinct label is a class (−1, "no stimulus", included).
 * Chance = the pooled held-out accuracy of always answering the training folds'
 * most frequent label.
 *
 * @param states - BinaryStates or FractionStates, T × M
 * @param labels - one integer label per bin (length T)
 * @param options - `folds` (5), `l2` (0.01), `seed` (1), `block`, `maxIter` (200)
 * @returns accuracy, chance, margin, per-fold accuracy and confusion counts (see {@link Decoding})
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for states or labels of the wrong kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when labels.length ≠ T
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for fewer than 2 classes, folds < 2, more folds than blocks, a negative l2
 * @example
 * ```ts
 * await init();
 * const d = decode(coarse, labels, { folds: 5, seed: 1 });
 * d.accuracy - d.chance; // the margin over chance
 * ```
 */
export function decode(
  states: BinaryStates | FractionStates,
  labels: Int32Array | readonly number[],
  options?: DecodeOptions,
): Decoding {
  const plan = decodePlan(states, labels, options);
  const folds: FoldResult[] = [];
  for (let k = 0; k < plan.folds; k++) folds.push(decodeFold(plan.task, k));
  return decodeCombine(plan, folds);
}

/** What one fold needs (structured-cloneable: a pool task's argument). */
export interface FoldTask {
  feats: Features;
  foldOf: Int32Array;
  y: Int32Array;
  C: number;
  l2: number;
  maxIter: number;
}

/** One fold's held-out answer. */
export interface FoldResult {
  /** Test bins, ascending. */
  te: Int32Array;
  /** Predicted class index per test bin. */
  pred: Int32Array;
  /** The training folds' most frequent class. */
  major: number;
}

/** Checked options, folds and features of one {@link decode} call. */
interface DecodePlan {
  task: FoldTask;
  folds: number;
  block: number;
  l2: number;
  seed: number;
  classes: Int32Array;
  T: number;
  nFeatures: number;
}

function decodePlan(
  states: BinaryStates | FractionStates,
  labels: Int32Array | readonly number[],
  options?: DecodeOptions,
): DecodePlan {
  const o = checkOptions<DecodeOptions>("options", options, KEYS);
  const folds = o.folds === undefined ? 5 : checkInteger("options.folds", o.folds, { min: 2, max: 1000 });
  const l2 = o.l2 === undefined ? 0.01 : checkNumber("options.l2", o.l2, { min: 0 });
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  const maxIter = o.maxIter === undefined ? 200 : checkInteger("options.maxIter", o.maxIter, { min: 1, max: 100000 });
  const x = checkStatesOrFractions("states", states);
  const lab = checkLabels("labels", labels, x.T);
  const T = x.T;
  const block =
    o.block === undefined
      ? Math.max(1, Math.floor(T / (10 * folds)))
      : checkInteger("options.block", o.block, { min: 1 });
  const classes = Int32Array.from(new Set(lab)).sort();
  const C = classes.length;
  if (C < 2) throw new DgrnRangeError(message("labels", "at least 2 distinct labels", `${C} label`));
  const nBlocks = Math.ceil(T / block);
  if (nBlocks < folds)
    throw new DgrnRangeError(message("options.folds", `at most the number of blocks (${nBlocks})`, folds));
  const cIndex = new Map<number, number>();
  classes.forEach((c, i) => cIndex.set(c, i));
  const y = Int32Array.from(lab, (l) => cIndex.get(l)!);
  const perm = randomPermutation(nBlocks, { seed, stream: 11 });
  const foldOf = new Int32Array(T);
  for (let p = 0; p < nBlocks; p++) {
    const b = perm[p]!;
    for (let t = b * block; t < Math.min(T, (b + 1) * block); t++) foldOf[t] = p % folds;
  }
  return {
    task: { feats: features(x), foldOf, y, C, l2, maxIter },
    folds,
    block,
    l2,
    seed,
    classes,
    T,
    nFeatures: x.n,
  };
}

/**
 * Fit on every fold but `k`, predict fold `k` (a pool task: "decode.fold").
 *
 * @param t - the features, fold of every bin, class indices and fit options
 * @param k - the held-out fold
 * @returns the test bins, their predicted classes and the training majority class
 */
export function decodeFold(t: FoldTask, k: number): FoldResult {
  const { feats, foldOf, y, C } = t;
  const T = foldOf.length;
  let nTe = 0;
  for (let q = 0; q < T; q++) if (foldOf[q] === k) nTe++;
  const tr = new Int32Array(T - nTe);
  const te = new Int32Array(nTe);
  for (let q = 0, a = 0, b = 0; q < T; q++) {
    if (foldOf[q] === k) te[b++] = q;
    else tr[a++] = q;
  }
  const ytr = Int32Array.from(tr, (q) => y[q]!);
  const freq = new Int32Array(C);
  for (const c of ytr) freq[c]!++;
  let major = 0;
  for (let c = 1; c < C; c++) if (freq[c]! > freq[major]!) major = c;
  const ftr = subset(feats, tr);
  const fte = subset(feats, te);
  scaleByTrainingSd(ftr, fte);
  const { pred } = fitPredict(ftr, ytr, C, t.l2, t.maxIter, fte);
  return { te, pred, major };
}

function decodeCombine(plan: DecodePlan, results: FoldResult[]): Decoding {
  const { folds, T, classes } = plan;
  const { y, C } = plan.task;
  const confusion = new Int32Array(C * C);
  const foldAccuracy = new Float64Array(folds);
  const foldMargin = new Float64Array(folds);
  let correct = 0;
  let chanceCorrect = 0;
  for (let k = 0; k < folds; k++) {
    const { te, pred, major } = results[k]!;
    let ok = 0;
    let okChance = 0;
    for (let i = 0; i < te.length; i++) {
      const truth = y[te[i]!]!;
      confusion[truth * C + pred[i]!]!++;
      if (pred[i] === truth) ok++;
      if (truth === major) okChance++;
    }
    correct += ok;
    chanceCorrect += okChance;
    foldAccuracy[k] = te.length ? ok / te.length : 0;
    foldMargin[k] = te.length ? (ok - okChance) / te.length : 0;
  }
  const accuracy = correct / T;
  const chance = chanceCorrect / T;
  const ci = meanInterval(foldAccuracy);
  const mci = meanInterval(foldMargin);
  return {
    accuracy,
    foldAccuracy,
    ci: ci ? [Math.max(0, ci[0]), Math.min(1, ci[1])] : null,
    marginCi: mci,
    chance,
    uniformChance: 1 / C,
    margin: accuracy - chance,
    classes,
    confusion,
    folds,
    block: plan.block,
    l2: plan.l2,
    seed: plan.seed,
    nFeatures: plan.nFeatures,
  };
}

/**
 * {@link decode} on a worker pool: one task per fold ("decode.fold"), the folds'
 * answers combined in fold order, so the result is bit-identical to `decode`
 * for any pool size (0, 1, 2, … workers).
 *
 * @param states - BinaryStates or FractionStates, T × M
 * @param labels - one integer label per bin (length T)
 * @param options - as {@link decode}
 * @param pool - a pool from `createPool` (sdk/parallel)
 * @returns the same {@link Decoding} as `decode(states, labels, options)`
 * @throws the errors of {@link decode}, before any task is sent
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const d = await decodeAsync(coarse, labels, { folds: 5, seed: 1 }, pool);
 * await pool.close();
 * ```
 */
export async function decodeAsync(
  states: BinaryStates | FractionStates,
  labels: Int32Array | readonly number[],
  options: DecodeOptions | undefined,
  pool: WorkerPool,
): Promise<Decoding> {
  const plan = decodePlan(states, labels, options);
  const res = await pool.map<FoldResult>(
    "decode.fold",
    Array.from({ length: plan.folds }, (_, k) => [plan.task, k]),
  );
  return decodeCombine(plan, res);
}

/** Options of {@link decodeFlow}. */
export interface DecodeFlowOptions extends DecodeOptions {
  /** Block rule: "any" (default), "majority" or "fraction". */
  rule?: "any" | "majority" | "fraction";
  /** Called after each level with the fraction of levels done (0…1] and a line for humans. */
  onProgress?: (fraction: number, message: string) => void;
}

/** Decoding at one level of the flow. */
export interface DecodingStep extends Decoding {
  /** 0 = the fine states; s ≥ 1 = after RG step s. */
  readonly level: number;
}

/**
 * Decoding from the fine states and from the coarse trajectory of every RG
 * step, with the same folds (same seed and block), so the levels compare
 * directly: how much stimulus information the coarse variables keep.
 *
 * @param states - fine binary states, T × n0
 * @param flow - the RG flow
 * @param labels - one label per bin
 * @param options - {@link decode}'s options and `rule` (default "any")
 * @returns one {@link DecodingStep} per level, fine first
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for arguments of the wrong kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the flow or labels do not match the states
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown option or rule
 * @example
 * ```ts
 * await init();
 * decodeFlow(states, flow, labels).map((d) => [d.level, d.accuracy, d.chance]);
 * ```
 */
export function decodeFlow(
  states: BinaryStates,
  flow: RGFlow,
  labels: Int32Array | readonly number[],
  options?: DecodeFlowOptions,
): DecodingStep[] {
  const o = checkOptions<DecodeFlowOptions>("options", options, [...KEYS, "rule", "onProgress"]);
  const rule =
    o.rule === undefined ? "any" : checkOneOf("options.rule", o.rule, ["any", "majority", "fraction"] as const);
  const x = checkBinaryStates("states", states);
  const f = checkFlow("flow", flow, x.n);
  const { rule: _r, onProgress, ...rest } = o;
  void _r;
  const levels = [x, ...f.steps.map((s) => coarseStep(x, s.assignment, s.n, rule))];
  return levels.map((y, level) => {
    const d = { level, ...decode(y, labels, rest) };
    onProgress?.((level + 1) / levels.length, `decoding at level ${level} (${y.n} units)`);
    return d;
  });
}

/**
 * {@link decodeFlow} on a worker pool: every level's folds are tasks of one
 * batch ("decode.fold"), combined per level in fold order, so the result is
 * bit-identical to `decodeFlow` for any pool size. `onProgress` is called as
 * each level's folds are all back.
 *
 * @param states - fine binary states, T × n0
 * @param flow - the RG flow
 * @param labels - one label per bin
 * @param options - as {@link decodeFlow}
 * @param pool - a pool from `createPool` (sdk/parallel)
 * @returns the same {@link DecodingStep}s as `decodeFlow(states, flow, labels, options)`
 * @throws the errors of {@link decodeFlow}, before any task is sent
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const steps = await decodeFlowAsync(states, flow, labels, { seed: 1 }, pool);
 * await pool.close();
 * ```
 */
export async function decodeFlowAsync(
  states: BinaryStates,
  flow: RGFlow,
  labels: Int32Array | readonly number[],
  options: DecodeFlowOptions | undefined,
  pool: WorkerPool,
): Promise<DecodingStep[]> {
  const o = checkOptions<DecodeFlowOptions>("options", options, [...KEYS, "rule", "onProgress"]);
  const rule =
    o.rule === undefined ? "any" : checkOneOf("options.rule", o.rule, ["any", "majority", "fraction"] as const);
  const x = checkBinaryStates("states", states);
  const f = checkFlow("flow", flow, x.n);
  const { rule: _r, onProgress, ...rest } = o;
  void _r;
  const levels = [x, ...f.steps.map((s) => coarseStep(x, s.assignment, s.n, rule))];
  const plans = levels.map((y) => decodePlan(y, labels, rest));
  let done = 0;
  const perLevel = plans.map((plan, level) =>
    Promise.all(Array.from({ length: plan.folds }, (_, k) => pool.run<FoldResult>("decode.fold", [plan.task, k]))).then(
      (res) => {
        done++;
        onProgress?.(done / levels.length, `decoding at level ${level} (${levels[level]!.n} units)`);
        return res;
      },
    ),
  );
  const results = await Promise.all(perLevel);
  return plans.map((plan, level) => ({ level, ...decodeCombine(plan, results[level]!) }));
}
