/**
 * Born machine MPS trained by maximum likelihood (Han, Wang, Fan, Wang &
 * Zhang, PRX 8, 031012 (2018)): ψ(x) = A¹[x₁]⋯Aⁿ[xₙ], P̃(x) = ψ(x)²/Z.
 * Two-site sweeps; on the merged tensor M of bond (k, k+1) the gradient of
 * the mean negative log-likelihood is 2M/Z − (2/T) Σ_t Φ_t/ψ(x_t) with
 * Φ_t = L_t ⊗ e_{x_k} ⊗ e_{x_{k+1}} ⊗ R_t; the train is kept in mixed-canonical
 * form around the bond, so Z = ‖M‖² exactly at every step. After the update
 * the merged tensor is split by SVD, truncated to the bond cap χ and a
 * relative cutoff, and the orthogonality centre moves on.
 *
 * The per-sample contractions (environments, merged amplitudes, gradient,
 * rescaled log-amplitudes) are kernels in assembly/tn/born.ts.
 *
 * @module
 */
import type { BinaryStates } from "../types.js";
import { getKernel } from "../kernel/init.js";
import type { Kernel } from "../kernel/kernel.js";
import { svd } from "../linalg/svd.js";
import { DgrnShapeError, DgrnTypeError } from "../errors.js";
import { checkInteger, checkNumber, checkOptions, message } from "../validate.js";
import { checkOrder } from "./samples.js";
import { checkNonEmptyStates } from "../io/check.js";
import { log } from "../math.js";
import type { TensorTrain } from "./tt.js";
import { ttMarginal, ttSample } from "./tt.js";
import type { KernelExports } from "../kernel/exports.generated.js";

const LN2 = 0.6931471805599453;

/** Kernel exports of assembly/tn/born.ts. */
export type BornExports = Pick<
  KernelExports,
  | "bornEnvLeft"
  | "bornEnvRight"
  | "bornMergedWorkSize"
  | "bornMergedAmp"
  | "bornMergedGrad"
  | "bornLineLogSum"
  | "bornLogSum"
  | "bornLogAmpWorkSize"
  | "bornLogAmp"
>;

/** Options of {@link bornMachine}. */
export interface BornOptions {
  /** Site order: position k holds column order[k]. Default identity. */
  order?: ArrayLike<number>;
  /** Bond cap χ (≥ 1). Default 4. */
  maxBond?: number;
  /** Relative singular-value cutoff: s_i < cutoff · s_0 is dropped. Default 1e-8. */
  cutoff?: number;
  /** Largest number of sweeps (one sweep = left-to-right and back). Default 8. */
  sweeps?: number;
  /** Gradient steps per merged tensor (each with a backtracking line search). Default 2. */
  steps?: number;
  /** Validation states: keep the sweep with the best validation NLL and stop after `patience` sweeps without improvement. */
  validation?: BinaryStates;
  /** Sweeps without validation improvement before stopping. Default 1. */
  patience?: number;
  /** Start from this machine (same n and order), e.g. a smaller bond cap's result. Default: the product of smoothed marginals. */
  init?: BornMachine;
  /** Progress within the training: fraction 0…1 and a message (sweep k of K, validation NLL). */
  onProgress?: (fraction: number, message: string) => void;
}

/** One sweep's record. */
export interface BornSweep {
  sweep: number;
  /** Mean NLL of the training states after the sweep (bits/sample). */
  train: number;
  /** Validation NLL (bits/sample) of the pure Born model, or null without validation states. */
  validation: number | null;
  /** Largest bond after the sweep. */
  maxBondDim: number;
}

/** A trained Born machine: a normalised, right-canonical Born tensor train. */
export interface BornMachine {
  readonly kind: "bornMachine";
  readonly n: number;
  /** Site k holds column order[k]. */
  readonly order: Int32Array;
  /** The Born train ψ (born: true, ‖ψ‖ = 1, right-canonical: every core but the first is a right isometry). */
  readonly train: TensorTrain;
  readonly bondDims: Int32Array;
  /** Σ_k 2 r_k r_{k+1}. */
  readonly params: number;
  readonly maxBond: number;
  /** The sweep kept (0 = the initial state). */
  readonly sweeps: number;
  readonly history: BornSweep[];
}

interface Site {
  rl: number;
  rr: number;
  a: Float64Array; // rl × 2 × rr
}

/** Smoothed marginals P(x_k = 1) with a Krichevsky–Trofimov pseudocount ½ (ours). */
function marginals(x: Uint8Array, T: number, n: number): Float64Array {
  const c = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) c[k] = c[k]! + x[t * n + k]!;
  for (let k = 0; k < n; k++) c[k] = (c[k]! + 0.5) / (T + 1);
  return c;
}

/** Pack sites into a TensorTrain (Born form). */
function packTrain(sites: Site[], order: Int32Array, maxBond: number): TensorTrain {
  const n = sites.length;
  const bondDims = new Int32Array(n + 1);
  const offsets = new Int32Array(n);
  let tot = 0;
  bondDims[0] = 1;
  for (let k = 0; k < n; k++) {
    offsets[k] = tot;
    tot += sites[k]!.a.length;
    bondDims[k + 1] = sites[k]!.rr;
  }
  const cores = new Float64Array(tot);
  for (let k = 0; k < n; k++) cores.set(sites[k]!.a, offsets[k]!);
  let params = 0;
  for (let k = 0; k < n; k++) params += 2 * bondDims[k]! * bondDims[k + 1]!;
  const fullSize = 2 ** n;
  return {
    kind: "tensorTrain",
    n,
    born: true,
    order,
    bondDims,
    cores,
    offsets,
    params,
    fullSize,
    compression: params / fullSize,
    norm: 1,
    relError: 0,
    discarded: new Float64Array(Math.max(0, n - 1)),
    singularValues: [],
    entanglement: new Float64Array(Math.max(0, n - 1)),
    tol: 0,
    maxBond,
  };
}

function unpack(t: TensorTrain): Site[] {
  const out: Site[] = [];
  for (let k = 0; k < t.n; k++) {
    const rl = t.bondDims[k]!;
    const rr = t.bondDims[k + 1]!;
    out.push({ rl, rr, a: t.cores.slice(t.offsets[k]!, t.offsets[k]! + rl * 2 * rr) });
  }
  return out;
}

/** Rows of `x` (T × n, column layout) as site-major bytes xs[k·T + t] in `order`. */
function siteMajor(x: BinaryStates, order: Int32Array): Uint8Array {
  const { T, n, data } = x;
  const out = new Uint8Array(T * n);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let k = 0; k < n; k++) out[k * T + t] = data[row + order[k]!]!;
  }
  return out;
}

/** Rows of `x` in site order (row-major). */
function siteRows(x: BinaryStates, order: Int32Array): Uint8Array {
  const { T, n, data } = x;
  const out = new Uint8Array(T * n);
  for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) out[t * n + k] = data[t * n + order[k]!]!;
  return out;
}

/** ln ψ(x)² of site-ordered rows (kernel, rescaled). */
function logAmp(t: TensorTrain, rows: Uint8Array, m: number): Float64Array {
  const k = getKernel();
  const f = k.fn<BornExports>();
  return k.scope((s) => {
    let rmax = 1;
    for (const r of t.bondDims) rmax = Math.max(rmax, r);
    const out = s.f64(Math.max(1, m));
    f.bornLogAmp(
      t.n,
      s.copyI32(t.bondDims),
      s.copyF64(t.cores),
      s.copyI32(t.offsets),
      m,
      s.copyU8(rows),
      out,
      s.bytes(f.bornLogAmpWorkSize(rmax)),
      rmax,
    );
    return k.readF64(out, m);
  });
}

function checkMachine(name: string, value: unknown): BornMachine {
  const b = value as BornMachine;
  if (b === null || typeof b !== "object" || b.kind !== "bornMachine")
    throw new DgrnTypeError(message(name, "a BornMachine (from bornMachine)", value));
  return b;
}

/**
 * log₂ P̃(x) of each row (columns in the layout the machine was trained on).
 * Exact (the train is normalised); −Infinity only for an exact zero amplitude.
 *
 * @param bm - a Born machine
 * @param states - m × n binary states
 * @returns Float64Array(m) of log₂ probabilities
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when states.n ≠ bm.n
 * @example
 * ```ts
 * const lp = bornLogProb(bm, test); // bits: −mean(lp) is the test NLL
 * ```
 */
export function bornLogProb(bm: BornMachine, states: BinaryStates): Float64Array {
  checkMachine("bm", bm);
  const st = checkNonEmptyStates("states", states);
  if (st.n !== bm.n) throw new DgrnShapeError(message("states.n", `the machine's n = ${bm.n}`, st.n));
  const v = logAmp(bm.train, siteRows(st, bm.order), st.T);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / LN2;
  return v;
}

/**
 * Exact seeded samples of P̃ (sequential conditionals of the right-canonical train).
 *
 * @example
 * ```ts
 * const s = bornSample(bm, 1000, { seed: 1 });
 * ```
 */
export function bornSample(bm: BornMachine, m: number, opts?: { seed?: number }): BinaryStates {
  checkMachine("bm", bm);
  return ttSample(bm.train, m, opts);
}

/**
 * Exact marginal P̃(x_S) of up to 24 columns, dense, first listed = most significant bit.
 *
 * @example
 * ```ts
 * bornMarginal(bm, [0, 1]); // P̃(x0 x1) for 00, 01, 10, 11
 * ```
 */
export function bornMarginal(bm: BornMachine, columns: ArrayLike<number>): Float64Array {
  checkMachine("bm", bm);
  return ttMarginal(bm.train, columns);
}

/** The product of smoothed marginals as a χ = 1 Born machine (the start of training). */
export function bornProduct(states: BinaryStates, order?: ArrayLike<number>): BornMachine {
  const st = checkNonEmptyStates("states", states);
  const ord = order === undefined ? Int32Array.from({ length: st.n }, (_, i) => i) : checkOrder("order", order, st.n);
  const p = marginals(siteRows(st, ord), st.T, st.n);
  const sites: Site[] = [];
  for (let k = 0; k < st.n; k++)
    sites.push({ rl: 1, rr: 1, a: new Float64Array([Math.sqrt(1 - p[k]!), Math.sqrt(p[k]!)]) });
  const train = packTrain(sites, ord, 1);
  return {
    kind: "bornMachine",
    n: st.n,
    order: ord,
    train,
    bondDims: train.bondDims,
    params: train.params,
    maxBond: 1,
    sweeps: 0,
    history: [],
  };
}

/** Merge sites k, k+1 into M (rl × 2 × 2 × rr). */
function merge(a: Site, b: Site): Float64Array {
  const { rl } = a;
  const rm = a.rr;
  const { rr } = b;
  const M = new Float64Array(rl * 4 * rr);
  for (let al = 0; al < rl; al++)
    for (let x = 0; x < 2; x++)
      for (let m = 0; m < rm; m++) {
        const c = a.a[(al * 2 + x) * rm + m]!;
        if (c === 0) continue;
        for (let y = 0; y < 2; y++) {
          const src = (m * 2 + y) * rr;
          const dst = ((al * 2 + x) * 2 + y) * rr;
          for (let be = 0; be < rr; be++) M[dst + be] = M[dst + be]! + c * b.a[src + be]!;
        }
      }
  return M;
}

/** Split M by SVD into (U, s·Vᵀ) (right move) or (U·s, Vᵀ) (left move), truncated and renormalised. */
function split(M: Float64Array, rl: number, rr: number, cap: number, cutoff: number, right: boolean): [Site, Site] {
  const rows = rl * 2;
  const cols = 2 * rr;
  const dec = svd({ rows, cols, data: M });
  const s = dec.s;
  const kk = s.length;
  let r = 0;
  const s0 = s[0]!;
  while (r < kk && r < cap && s[r]! > cutoff * s0) r++;
  r = Math.max(1, r);
  let q = 0;
  for (let i = 0; i < r; i++) q += s[i]! * s[i]!;
  const inv = 1 / Math.sqrt(q);
  const U = dec.u!.data; // rows × kk
  const V = dec.v!.data; // cols × kk
  const A = new Float64Array(rows * r);
  const B = new Float64Array(r * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) A[i * r + j] = U[i * kk + j]! * (right ? 1 : s[j]! * inv);
  for (let j = 0; j < r; j++)
    for (let c = 0; c < cols; c++) B[j * cols + c] = V[c * kk + j]! * (right ? s[j]! * inv : 1);
  return [
    { rl, rr: r, a: A },
    { rl: r, rr, a: B },
  ];
}

/** The training options the MPS and the tree Born machine share, checked and filled. */
export interface TrainingOptions {
  maxBond: number;
  cutoff: number;
  sweeps: number;
  steps: number;
  patience: number;
  validation: BinaryStates | undefined;
  onProgress: ((f: number, m: string) => void) | undefined;
}

/** What {@link ascendMerged} needs of a Born machine's merged tensor (MPS bond or tree edge). */
export interface MergedTensorIo {
  k: Kernel;
  /** Training samples. */
  T: number;
  /** f64[T]: the amplitudes ψ_t of the current M (kept up to date). */
  psi: number;
  /** f64[T]: scratch for the amplitudes of the ascent direction. */
  gpsi: number;
  /** f64[M.length]: kernel copy of the gradient, then of the direction. */
  Gp: number;
  /** ∂/∂M of the mean log-likelihood (amplitudes in `psi`) into `Gp`. */
  grad(): void;
  /** Amplitudes of the tensor at `Gp` into `gpsi`. */
  ampG(): void;
  /** Σ_t ln((1 − η) ψ_t + η ψG_t)² (kernel bornLineLogSum). */
  lineLogSum(eta: number): number;
}

/**
 * Projected-gradient descent of the scale-invariant objective −ℓ(M)/T + ln ‖M‖²
 * over the merged tensor M of one bond or edge, in place, `steps` steps at
 * most: direction d = G·‖M‖² − M (⟂ M), a backtracking line search on the
 * exact objective along d (ψ is linear in M: no contraction per trial), then
 * M renormalised. `ll` = Σ_t ln ψ_t² at M (amplitudes in `io.psi`). The MPS
 * and the tree Born machines share it.
 */
export function ascendMerged(M: Float64Array, ll: number, steps: number, io: MergedTensorIo): void {
  const { k, T, psi, gpsi, Gp } = io;
  const sz = M.length;
  let nm = 0;
  for (let i = 0; i < sz; i++) nm += M[i]! * M[i]!;
  // objective (nats): −ℓ/T + ln ‖M‖²
  let fcur = -ll / T + log(nm);
  let eta = 1;
  for (let step = 0; step < steps; step++) {
    io.grad();
    const G = k.f64(Gp, sz).slice();
    // direction d = G·‖M‖² − M (the descent direction of the scale-invariant objective, ⟂ M)
    for (let i = 0; i < sz; i++) G[i] = G[i]! * nm;
    k.f64(Gp, sz).set(G);
    io.ampG();
    let dd = 0;
    let md = 0;
    for (let i = 0; i < sz; i++) {
      const d = G[i]! - M[i]!;
      dd += d * d;
      md += M[i]! * d;
    }
    if (!(dd > 1e-30 * nm)) break;
    let accepted = false;
    eta = Math.min(2 * eta, 2);
    for (let tries = 0; tries < 12; tries++) {
      const z = nm + 2 * eta * md + eta * eta * dd;
      const fn = -io.lineLogSum(eta) / T + log(z);
      if (fn < fcur - 1e-12 * Math.abs(fcur)) {
        for (let i = 0; i < sz; i++) M[i] = M[i]! + eta * (G[i]! - M[i]!);
        fcur = fn;
        accepted = true;
        break;
      }
      eta *= 0.5;
    }
    if (!accepted) break;
    // renormalise M (ψ scales with it)
    let q = 0;
    for (let i = 0; i < sz; i++) q += M[i]! * M[i]!;
    const inv = 1 / Math.sqrt(q);
    for (let i = 0; i < sz; i++) M[i] = M[i]! * inv;
    nm = 1;
    // ψ is linear in M: the accepted M's amplitudes are (1 − η)ψ + η ψ_G, rescaled (no contraction)
    const P = k.f64(psi, T);
    const Q = k.f64(gpsi, T);
    const c1 = 1 - eta;
    for (let t = 0; t < T; t++) P[t] = (c1 * P[t]! + eta * Q[t]!) * inv;
  }
}

/**
 * Check and fill the training options of a Born machine over `n` sites (bond
 * cap, SVD cutoff, sweeps, gradient steps, patience, validation states,
 * progress callback): one resolver for the MPS and the tree.
 */
export function resolveTraining(
  o: {
    maxBond?: number;
    cutoff?: number;
    sweeps?: number;
    steps?: number;
    patience?: number;
    validation?: BinaryStates;
    onProgress?: (f: number, m: string) => void;
  },
  n: number,
): TrainingOptions {
  let validation: BinaryStates | undefined;
  if (o.validation !== undefined) {
    validation = checkNonEmptyStates("opts.validation", o.validation);
    if (validation.n !== n) throw new DgrnShapeError(message("opts.validation.n", `${n}`, validation.n));
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    throw new DgrnTypeError(message("opts.onProgress", "a function", o.onProgress));
  return {
    maxBond: o.maxBond === undefined ? 4 : checkInteger("opts.maxBond", o.maxBond, { min: 1, max: 256 }),
    cutoff:
      o.cutoff === undefined ? 1e-8 : checkNumber("opts.cutoff", o.cutoff, { min: 0, max: 1, maxExclusive: true }),
    sweeps: o.sweeps === undefined ? 8 : checkInteger("opts.sweeps", o.sweeps, { min: 0, max: 1000 }),
    steps: o.steps === undefined ? 2 : checkInteger("opts.steps", o.steps, { min: 0, max: 100 }),
    patience: o.patience === undefined ? 1 : checkInteger("opts.patience", o.patience, { min: 1, max: 1000 }),
    validation,
    onProgress: o.onProgress,
  };
}

interface Resolved extends TrainingOptions {
  order: Int32Array;
  init: BornMachine | undefined;
}

function resolve(opts: unknown, st: BinaryStates): Resolved {
  const o = checkOptions<BornOptions>("opts", opts, [
    "order",
    "maxBond",
    "cutoff",
    "sweeps",
    "steps",
    "validation",
    "patience",
    "init",
    "onProgress",
  ]);
  const order =
    o.order === undefined ? Int32Array.from({ length: st.n }, (_, i) => i) : checkOrder("opts.order", o.order, st.n);
  const training = resolveTraining(o, st.n);
  let init: BornMachine | undefined;
  if (o.init !== undefined) {
    init = checkMachine("opts.init", o.init);
    if (init.n !== st.n) throw new DgrnShapeError(message("opts.init.n", `${st.n}`, init.n));
  }
  return { ...training, order: init ? init.order : order, init };
}

/**
 * Train a Born machine MPS on binary states by maximum likelihood (two-site
 * sweeps, SVD truncation to `maxBond`, mixed-canonical form so Z = ‖M‖² at
 * every step). With `validation`, the sweep with the lowest validation NLL is
 * kept (early stopping).
 *
 * @param states - T × n training states (row t, column i at data[t·n + i])
 * @param opts - `order`, `maxBond` (4), `cutoff` (1e-8), `sweeps` (8), `steps` (2), `validation`, `patience` (1), `init`, `onProgress`
 * @returns the machine: a normalised right-canonical Born train, bond dims, params, per-sweep history
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for malformed states or options
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for an option out of range
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when validation or init has another n
 * @example
 * ```ts
 * import { init, bornMachine, bornLogProb } from "dgrn";
 * await init();
 * const bm = bornMachine(train, { maxBond: 4, validation: val });
 * const nll = -bornLogProb(bm, test).reduce((a, b) => a + b, 0) / test.T; // bits/sample
 * ```
 */
export function bornMachine(states: BinaryStates, opts?: BornOptions): BornMachine {
  const st = checkNonEmptyStates("states", states);
  const o = resolve(opts, st);
  const { T, n } = st;
  const start = o.init ?? bornProduct(st, o.order);
  const order = start.order;
  const sites = unpack(start.train);
  const history: BornSweep[] = [];
  const valRows = o.validation ? siteRows(o.validation, order) : null;
  const valNll = (t: TensorTrain): number => {
    if (!valRows) return NaN;
    const v = logAmp(t, valRows, o.validation!.T);
    let s = 0;
    for (const x of v) s += x;
    return -s / o.validation!.T / LN2;
  };
  const trainRows = siteRows(st, order);
  const trainNll = (t: TensorTrain): number => {
    const v = logAmp(t, trainRows, T);
    let s = 0;
    for (const x of v) s += x;
    return -s / T / LN2;
  };
  let best = packTrain(sites, order, o.maxBond);
  let bestVal = valRows ? valNll(best) : Infinity;
  let bestSweep = 0;
  if (!o.init)
    history.push({
      sweep: 0,
      train: trainNll(best),
      validation: valRows ? bestVal : null,
      maxBondDim: Math.max(...best.bondDims),
    });
  if (n < 2 || o.sweeps === 0) return finish(best, order, o.maxBond, 0, history);

  const k = getKernel();
  const f = k.fn<BornExports>();
  const S = Math.max(o.maxBond, ...Array.from(start.bondDims));
  const xsHost = siteMajor(st, order);
  let since = 0;
  k.scope((sc) => {
    const xs = sc.copyU8(xsHost);
    const env = sc.f64((n + 1) * T * S);
    const ls = sc.f64((n + 1) * T);
    const cap4 = 4 * S * S;
    const Mp = sc.f64(cap4);
    const Gp = sc.f64(cap4);
    const core = sc.f64(2 * S * S);
    const psi = sc.f64(T);
    const gpsi = sc.f64(T);
    const work = sc.bytes(f.bornMergedWorkSize(S));
    const envAt = (b: number) => env + b * T * S * 8;
    const lsAt = (b: number) => ls + b * T * 8;
    const xAt = (kk: number) => xs + kk * T;
    const ones = () => {
      // boundary vectors [1] at 0 and n
      const e = k.f64(env, (n + 1) * T * S);
      for (let t = 0; t < T; t++) {
        e[t * S] = 1;
        e[n * T * S + t * S] = 1;
      }
      k.f64(ls, (n + 1) * T).fill(0);
    };
    const putCore = (s: Site) => k.f64(core, s.a.length).set(s.a);
    const rightEnv = (kk: number) => {
      const s = sites[kk]!;
      putCore(s);
      f.bornEnvRight(T, s.rl, s.rr, S, core, xAt(kk), envAt(kk + 1), lsAt(kk + 1), envAt(kk), lsAt(kk));
    };
    const leftEnv = (kk: number) => {
      const s = sites[kk]!;
      putCore(s);
      f.bornEnvLeft(T, s.rl, s.rr, S, core, xAt(kk), envAt(kk), lsAt(kk), envAt(kk + 1), lsAt(kk + 1));
    };
    ones();
    for (let kk = n - 1; kk >= 2; kk--) rightEnv(kk);

    /** Optimise the merged tensor of bond kk in place (normalised on return). */
    const optimise = (kk: number, M: Float64Array, rl: number, rr: number): void => {
      const sz = rl * 4 * rr;
      const L = envAt(kk);
      const R = envAt(kk + 2);
      k.f64(Mp, sz).set(M);
      const ll = f.bornMergedAmp(T, rl, rr, S, Mp, xAt(kk), xAt(kk + 1), L, R, psi, work);
      ascendMerged(M, ll, o.steps, {
        k,
        T,
        psi,
        gpsi,
        Gp,
        grad: () => f.bornMergedGrad(T, rl, rr, S, xAt(kk), xAt(kk + 1), L, R, psi, Gp),
        ampG: () => void f.bornMergedAmp(T, rl, rr, S, Gp, xAt(kk), xAt(kk + 1), L, R, gpsi, work),
        lineLogSum: (eta) => f.bornLineLogSum(T, psi, gpsi, eta),
      });
    };

    const total = o.sweeps;
    for (let sw = 1; sw <= o.sweeps; sw++) {
      // left to right: the centre is at site 0 (right-canonical train)
      for (let kk = 0; kk < n - 1; kk++) {
        const a = sites[kk]!;
        const b = sites[kk + 1]!;
        const M = merge(a, b);
        optimise(kk, M, a.rl, b.rr);
        const [u, v] = split(M, a.rl, b.rr, o.maxBond, o.cutoff, true);
        sites[kk] = u;
        sites[kk + 1] = v;
        leftEnv(kk);
        if (o.onProgress && (kk & 63) === 0)
          o.onProgress(
            (sw - 1 + (0.5 * kk) / (n - 1)) / total,
            `sweep ${sw} of ${total}: bond ${kk + 1} of ${n - 1} →`,
          );
      }
      // right to left, back to a right-canonical train
      for (let kk = n - 2; kk >= 0; kk--) {
        const a = sites[kk]!;
        const b = sites[kk + 1]!;
        const M = merge(a, b);
        optimise(kk, M, a.rl, b.rr);
        const [u, v] = split(M, a.rl, b.rr, o.maxBond, o.cutoff, false);
        sites[kk] = u;
        sites[kk + 1] = v;
        rightEnv(kk + 1);
        if (o.onProgress && (kk & 63) === 0)
          o.onProgress(
            (sw - 0.5 + (0.5 * (n - 2 - kk)) / (n - 1)) / total,
            `sweep ${sw} of ${total}: bond ${kk + 1} of ${n - 1} ←`,
          );
      }
      const cur = packTrain(sites, order, o.maxBond);
      const v = valRows ? valNll(cur) : NaN;
      history.push({
        sweep: sw,
        train: trainNll(cur),
        validation: valRows ? v : null,
        maxBondDim: Math.max(...cur.bondDims),
      });
      o.onProgress?.(sw / total, `sweep ${sw} of ${total}${valRows ? `: validation NLL ${v.toFixed(2)} bits` : ""}`);
      if (!valRows || v < bestVal) {
        best = cur;
        bestVal = v;
        bestSweep = sw;
        since = 0;
      } else if (++since >= o.patience) break;
    }
  });
  return finish(best, order, o.maxBond, bestSweep, history);
}

function finish(t: TensorTrain, order: Int32Array, maxBond: number, sweeps: number, history: BornSweep[]): BornMachine {
  return {
    kind: "bornMachine",
    n: t.n,
    order,
    train: t,
    bondDims: t.bondDims,
    params: t.params,
    maxBond,
    sweeps,
    history,
  };
}

/**
 * The NLL (nats, −mean ln P̃) and its gradient with respect to the merged
 * tensor of bond (k, k+1), for a train that is in mixed-canonical form around
 * that bond (sites < k left isometries, sites > k+1 right isometries), so that
 * Z = ‖M‖². Exposed for the finite-difference test of the kernels.
 *
 * @param states - T × n states in site order
 * @param t - a Born train, mixed-canonical around bond k
 * @param k - the bond (0 ≤ k < n − 1)
 * @returns the merged tensor M (rl × 2 × 2 × rr), the NLL and ∇ = 2M/Z − 2·mean Φ_t/ψ_t
 * @example
 * ```ts
 * const { nll, grad } = bornMergedGradient(states, train, 3);
 * ```
 */
export function bornMergedGradient(
  states: BinaryStates,
  t: TensorTrain,
  k: number,
): { merged: Float64Array; nll: number; grad: Float64Array } {
  const st = checkNonEmptyStates("states", states);
  checkInteger("k", k, { min: 0, max: t.n - 2 });
  const { T, n } = st;
  const sites = unpack(t);
  const ker = getKernel();
  const f = ker.fn<BornExports>();
  let S = 1;
  for (const r of t.bondDims) S = Math.max(S, r);
  const ident = Int32Array.from({ length: n }, (_, i) => i);
  const xsHost = siteMajor(st, ident);
  const M = merge(sites[k]!, sites[k + 1]!);
  const rl = sites[k]!.rl;
  const rr = sites[k + 1]!.rr;
  return ker.scope((sc) => {
    const xs = sc.copyU8(xsHost);
    const env = sc.f64((n + 1) * T * S);
    const ls = sc.f64((n + 1) * T);
    const core = sc.f64(2 * S * S);
    const e = ker.f64(env, (n + 1) * T * S);
    for (let i = 0; i < T; i++) {
      e[i * S] = 1;
      e[n * T * S + i * S] = 1;
    }
    const envAt = (b: number) => env + b * T * S * 8;
    const lsAt = (b: number) => ls + b * T * 8;
    for (let q = 0; q < k; q++) {
      const s = sites[q]!;
      ker.f64(core, s.a.length).set(s.a);
      f.bornEnvLeft(T, s.rl, s.rr, S, core, xs + q * T, envAt(q), lsAt(q), envAt(q + 1), lsAt(q + 1));
    }
    for (let q = n - 1; q > k + 1; q--) {
      const s = sites[q]!;
      ker.f64(core, s.a.length).set(s.a);
      f.bornEnvRight(T, s.rl, s.rr, S, core, xs + q * T, envAt(q + 1), lsAt(q + 1), envAt(q), lsAt(q));
    }
    const Mp = sc.copyF64(M);
    const psi = sc.f64(T);
    const G = sc.f64(M.length);
    f.bornMergedAmp(
      T,
      rl,
      rr,
      S,
      Mp,
      xs + k * T,
      xs + (k + 1) * T,
      envAt(k),
      envAt(k + 2),
      psi,
      sc.bytes(f.bornMergedWorkSize(S)),
    );
    const ll = f.bornLogSum(T, psi, lsAt(k), lsAt(k + 2));
    f.bornMergedGrad(T, rl, rr, S, xs + k * T, xs + (k + 1) * T, envAt(k), envAt(k + 2), psi, G);
    let z = 0;
    for (const v of M) z += v * v;
    const g = ker.readF64(G, M.length);
    const grad = new Float64Array(M.length);
    for (let i = 0; i < M.length; i++) grad[i] = (2 * M[i]!) / z - 2 * g[i]!;
    return { merged: M, nll: -ll / T + log(z), grad };
  });
}

/**
 * Schmidt values and entanglement S_k = −Σ s̄² ln s̄² (nats) at every bond of
 * a Born machine (its train is right-canonical and normalised, so one
 * left-to-right SVD sweep gives them).
 *
 * @param bm - a Born machine
 * @returns entanglement per bond (length n − 1)
 * @example
 * ```ts
 * bornEntanglement(bm); // Float64Array(n − 1)
 * ```
 */
export function bornEntanglement(bm: BornMachine): Float64Array {
  checkMachine("bm", bm);
  const sites = unpack(bm.train);
  const n = sites.length;
  const out = new Float64Array(Math.max(0, n - 1));
  let carry = sites[0]!.a.slice();
  let rl = 1;
  for (let k = 0; k < n - 1; k++) {
    const rr = sites[k]!.rr;
    const dec = svd({ rows: rl * 2, cols: rr, data: carry });
    const s = dec.s;
    const kk = s.length;
    let q = 0;
    for (const v of s) q += v * v;
    let e = 0;
    for (const v of s) {
      const p = (v * v) / q;
      if (p > 0) e -= p * log(p);
    }
    out[k] = e;
    // carry = diag(s) Vᵀ · core_{k+1}  (kk × 2 × rr')
    const V = dec.v!.data;
    const nx = sites[k + 1]!;
    const next = new Float64Array(kk * 2 * nx.rr);
    for (let j = 0; j < kk; j++)
      for (let m = 0; m < rr; m++) {
        const c = s[j]! * V[m * kk + j]!;
        if (c === 0) continue;
        for (let z = 0; z < 2 * nx.rr; z++)
          next[j * 2 * nx.rr + z] = next[j * 2 * nx.rr + z]! + c * nx.a[m * 2 * nx.rr + z]!;
      }
    carry = next;
    rl = kk;
  }
  return out;
}
