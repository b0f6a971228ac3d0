/**
 * Directed graph inference from binned activity (the microscale stage of LGD).
 *
 * - `partial` (default, issue 13): the Leiden communities of the xcorr graph,
 *   then the zero-lag correlation of each pair with the summed activity of the
 *   pair's communities partialled out (leaving the pair itself out of the
 *   sums), z_ij = √T (ρ_ij·M + ρ̄_ab) with ρ̄_ab a block level of the plain
 *   correlation; symmetric (10 ms bins hide the 1 ms synaptic delay).
 * - `xcorr`: the lag-window cross-correlation
 *   C_ij = Σ_t x_i(t) Σ_{ℓ=lo..hi} x_j(t+ℓ) (a GEMM of X with its shifts, in the
 *   kernel), z-scored per pair against seeded surrogates (circular shifts of the
 *   targets, or spike jitter): z_ij = (C_ij − μ_ij) / σ_ij; edges i → j where
 *   z_ij > threshold, weighted by z_ij.
 * - `glm`: an L2-regularised logistic GLM of x_j(t) on the lag window of every
 *   unit's past, fitted in the kernel; the couplings W_ij standardised by their
 *   off-diagonal standard deviation play the role of z.
 *
 * Optionally (`diffusionTau` > 0) the latent diffusion K(τ) = e^{−τL} of the
 * inferred graph is returned too, for community detection.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkStatus, type Scope } from "../kernel/kernel.js";
import { getKernel } from "../kernel/init.js";
import type { BinaryStates, BinnedActivity, Graph } from "../types.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptions, checkSeed, message } from "../validate.js";
import { log } from "../math.js";
import { detectCommunities } from "./communities.js";
import { checkLabels } from "./graph.js";
import { communityPartialCorrelation, zeroLagCovariance } from "./partial.js";
import { refineCommunities } from "./refine.js";
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/graph/. */
export type GraphExports = Pick<
  KernelExports,
  | "graphXcorrWorkSize"
  | "graphXcorr"
  | "graphEventCount"
  | "graphEvents"
  | "graphXcorrBlockedWorkSize"
  | "graphXcorrBlockRows"
  | "graphXcorrBlocked"
  | "graphDrawShifts"
  | "graphJitter"
  | "graphWindowCapacity"
  | "graphWindowEventsWorkSize"
  | "graphWindowEvents"
  | "graphXcorrWindowedWorkSize"
  | "graphXcorrWindowed"
  | "graphAccumulateMoments"
  | "graphZScore"
  | "graphGlmWorkSize"
  | "graphGlmFit"
>;

/** Options of {@link inferGraph}. */
export interface InferOptions {
  /** Lags in bins: `hi` (meaning 1..hi) or `[lo, hi]`, 1 ≤ lo ≤ hi. Default [1, 2]. */
  lags?: number | readonly [number, number];
  /** "partial" (default: zero-lag correlation given the communities' activity, see docs/graph.md), "xcorr" or "glm". */
  method?: "xcorr" | "glm" | "partial";
  /** Method "partial": community of each unit to condition on (default: Leiden communities of the xcorr graph, seeded). */
  communities?: ArrayLike<number>;
  /** Number of surrogates for the z-scores (xcorr). Default 20. */
  surrogates?: number;
  /** Surrogate kind (xcorr): "shift" (circular shift of the targets, default) or "jitter". */
  surrogate?: "shift" | "jitter";
  /** Jitter half-width in bins (surrogate "jitter"). Default 5. */
  jitter?: number;
  /** Seed of the surrogates (default 1). */
  seed?: number;
  /** Edge threshold on z (xcorr) or on the standardised coupling (glm). Default 2. */
  threshold?: number;
  /** Use binary states x = [count > 0] (default true) or the counts (clipped at 255). */
  binary?: boolean;
  /** GLM ridge penalty λ. Default 1e-2. */
  lambda?: number;
  /** GLM gradient step. Default 1. */
  learningRate?: number;
  /** GLM iteration budget. Default 100. */
  maxIter?: number;
}

/** The resolved options recorded with every inferred graph. */
export interface ResolvedInferOptions {
  lags: [number, number];
  method: "xcorr" | "glm" | "partial";
  surrogates: number;
  surrogate: "shift" | "jitter";
  jitter: number;
  seed: number;
  threshold: number;
  binary: boolean;
  lambda: number;
  learningRate: number;
  maxIter: number;
}

/** Result of {@link inferGraph}: a directed weighted graph plus the dense scores it came from. */
export interface InferredGraph extends Graph {
  readonly directed: true;
  /** Row-major n × n scores: z_ij for i → j (0 on the diagonal). */
  readonly z: Float64Array;
  /** The options used (defaults filled in). */
  readonly options: ResolvedInferOptions;
  /** Method "partial": the communities conditioned on (one label per unit). */
  readonly conditionedOn?: Int32Array;
  /**
   * Method "partial" with its communities found here (no `options.communities`):
   * the co-activity graph they came from, the thresholded xcorr graph (edges
   * i → j with z_ij > threshold, weight z_ij, the same nodes), as method
   * "xcorr" returns it without its dense z. For stages that want co-activity
   * rather than synapses (e.g. coarse-graining across communities).
   */
  readonly coactivity?: Graph;
  /** GLM only: iterations used and whether the fit converged. */
  readonly fit?: { iterations: number; loss: number; converged: boolean };
}

const KEYS = [
  "lags",
  "method",
  "communities",
  "surrogates",
  "surrogate",
  "jitter",
  "seed",
  "threshold",
  "binary",
  "lambda",
  "learningRate",
  "maxIter",
] as const;

/** The default options of {@link inferGraph}. */
export const INFER_DEFAULTS: Readonly<ResolvedInferOptions> = Object.freeze({
  lags: [1, 2] as [number, number],
  method: "partial",
  surrogates: 20,
  surrogate: "shift",
  jitter: 5,
  seed: 1,
  threshold: 2,
  binary: true,
  lambda: 1e-2,
  learningRate: 1,
  maxIter: 100,
});

/**
 * Check and fill the options of {@link inferGraph} (the CLI uses it to fail fast).
 *
 * @param options - {@link InferOptions} or undefined
 * @param T - number of bins, if known (lags must stay below it)
 * @returns the complete options
 * @throws {DgrnRangeError} / {DgrnTypeError} for a bad option, one per field
 * @example
 * ```ts
 * resolveInferOptions({ lags: 3 }).lags; // [1, 3]
 * ```
 */
export function resolveInferOptions(options: unknown, T?: number): ResolvedInferOptions {
  const o = checkOptions<InferOptions>("options", options, KEYS);
  const d = INFER_DEFAULTS;
  let lags: [number, number] = [d.lags[0], d.lags[1]];
  if (o.lags !== undefined) {
    if (typeof o.lags === "number") lags = [1, checkInteger("options.lags", o.lags, { min: 1 })];
    else if (Array.isArray(o.lags) && o.lags.length === 2) {
      const lo = checkInteger("options.lags[0]", o.lags[0], { min: 1 });
      const hi = checkInteger("options.lags[1]", o.lags[1], { min: lo });
      lags = [lo, hi];
    } else throw new DgrnTypeError(message("options.lags", "a positive integer or a pair [lo, hi]", o.lags));
  }
  if (T !== undefined && lags[1] >= T)
    throw new DgrnRangeError(message("options.lags", `below the number of bins (${T})`, lags[1]));
  return {
    lags,
    method:
      o.method === undefined ? d.method : checkOneOf("options.method", o.method, ["xcorr", "glm", "partial"] as const),
    surrogates:
      o.surrogates === undefined
        ? d.surrogates
        : checkInteger("options.surrogates", o.surrogates, { min: 2, max: 10000 }),
    surrogate:
      o.surrogate === undefined
        ? d.surrogate
        : checkOneOf("options.surrogate", o.surrogate, ["shift", "jitter"] as const),
    jitter: o.jitter === undefined ? d.jitter : checkInteger("options.jitter", o.jitter, { min: 1 }),
    seed: o.seed === undefined ? d.seed : checkSeed("options.seed", o.seed),
    threshold: o.threshold === undefined ? d.threshold : checkNumber("options.threshold", o.threshold),
    binary: o.binary === undefined ? d.binary : checkBoolean("options.binary", o.binary),
    lambda: o.lambda === undefined ? d.lambda : checkNumber("options.lambda", o.lambda, { min: 0 }),
    learningRate:
      o.learningRate === undefined
        ? d.learningRate
        : checkNumber("options.learningRate", o.learningRate, { min: 0, minExclusive: true }),
    maxIter: o.maxIter === undefined ? d.maxIter : checkInteger("options.maxIter", o.maxIter, { min: 1 }),
  };
}

/** The activity as a u8 T × n matrix plus its shape and ids. */
export function activityMatrix(
  data: unknown,
  binary: boolean,
): { T: number; n: number; x: Uint8Array; ids: Int32Array } {
  if (data === null || typeof data !== "object")
    throw new DgrnTypeError(message("data", "BinnedActivity or BinaryStates", data));
  const d = data as Partial<BinnedActivity> & Partial<BinaryStates>;
  if (d.kind === "binned") {
    const T = checkInteger("data.nBins", d.nBins, { min: 0 });
    const n = checkInteger("data.nNeurons", d.nNeurons, { min: 0 });
    if (!(d.counts instanceof Uint16Array)) throw new DgrnTypeError(message("data.counts", "a Uint16Array", d.counts));
    if (d.counts.length !== T * n)
      throw new DgrnShapeError(message("data.counts.length", `nBins * nNeurons = ${T * n}`, d.counts.length));
    const x = new Uint8Array(T * n);
    const c = d.counts;
    for (let q = 0; q < x.length; q++) {
      const v = c[q]!;
      x[q] = binary ? (v > 0 ? 1 : 0) : v > 255 ? 255 : v;
    }
    const ids =
      d.neuronIds instanceof Int32Array && d.neuronIds.length === n
        ? d.neuronIds
        : Int32Array.from({ length: n }, (_, i) => i);
    return { T, n, x, ids };
  }
  if (d.data instanceof Uint8Array && typeof d.T === "number" && typeof d.n === "number") {
    const T = checkInteger("data.T", d.T, { min: 0 });
    const n = checkInteger("data.n", d.n, { min: 0 });
    if (d.data.length !== T * n)
      throw new DgrnShapeError(message("data.data.length", `T * n = ${T * n}`, d.data.length));
    const x = new Uint8Array(T * n);
    for (let q = 0; q < x.length; q++) {
      const v = d.data[q]!;
      if (v > 1) throw new DgrnRangeError(message(`data.data[${q}]`, "0 or 1", v), ErrorCode.INVALID_DATA);
      x[q] = v;
    }
    const ids =
      d.neuronIds instanceof Int32Array && d.neuronIds.length === n
        ? d.neuronIds
        : Int32Array.from({ length: n }, (_, i) => i);
    return { T, n, x, ids };
  }
  throw new DgrnTypeError(
    message("data", 'BinnedActivity ({ kind: "binned", … }) or BinaryStates ({ T, n, data })', data),
  );
}

/**
 * Rows of C per source block of the windowed products: about 256 KiB of f64,
 * so the block stays in L2 (measured on the 2-core EPYC at n = 2,500 and 5,000:
 * 128 KiB–512 KiB within noise of each other, 4 MiB 1.5×, 16 MiB 2.5× slower).
 */
export function windowBlockRows(n: number): number {
  return Math.max(1, Math.floor(32768 / Math.max(n, 1)));
}

/**
 * In a kernel scope, from the activity at `xp` (u8 T × n): the observed
 * lagged product added into `c` (if `c` ≠ 0) and Σ C_s, Σ C_s² over the
 * circular `shifts` added into `sum`, `sumSq` (if any), by the windowed
 * kernels (each bin's lag window listed once; the surrogate moments one source
 * block at a time, no n × n scratch). Exact integer sums: the bits of
 * graphXcorrBlocked. Returns the events of X (CSR by
 * bin, in the scope) for callers that go on with them.
 */
export function windowedProducts(
  s: Scope,
  T: number,
  n: number,
  xp: number,
  lags: readonly [number, number],
  shifts: Int32Array,
  c: number,
  sum: number,
  sumSq: number,
): { nnz: number; rp: number; col: number } {
  const f = getKernel().fn<GraphExports>();
  const [lo, hi] = lags;
  // the window's counts (≤ 255 per bin) are held as i32
  if (255 * (hi - lo + 1) > 2147483647)
    throw new DgrnRangeError(message("options.lags", "a window of at most 8,421,504 bins", `${lo}..${hi}`));
  const nnz = f.graphEventCount(T, n, xp);
  const rp = s.i32(T + 1);
  const col = s.i32(Math.max(nnz, 1));
  f.graphEvents(T, n, xp, rp, col);
  const cap = f.graphWindowCapacity(nnz, lo, hi);
  const wrp = s.i32(T + 1),
    wcol = s.i32(cap),
    wval = s.i32(cap);
  const wwork = s.bytes(f.graphWindowEventsWorkSize(n));
  const blockRows = windowBlockRows(n);
  const work = s.bytes(f.graphXcorrWindowedWorkSize(n, T, blockRows));
  if (c !== 0) {
    f.graphWindowEvents(T, n, xp, rp, col, lo, hi, 0, wrp, wcol, wval, wwork);
    f.graphXcorrWindowed(T, n, xp, rp, col, wrp, wcol, wval, 1, s.copyI32([0]), blockRows, c, 0, 0, work);
  }
  if (shifts.length > 0) {
    f.graphWindowEvents(T, n, xp, rp, col, lo, hi, 1, wrp, wcol, wval, wwork);
    const sp = s.copyI32(shifts);
    f.graphXcorrWindowed(T, n, xp, rp, col, wrp, wcol, wval, shifts.length, sp, blockRows, 0, sum, sumSq, work);
  }
  return { nnz, rp, col };
}

/** The circular shifts of the shift surrogates: at least 10 lag windows from zero, drawn from the seeded stream. */
export function surrogateShifts(T: number, o: ResolvedInferOptions): Int32Array {
  const k = getKernel();
  const f = k.fn<GraphExports>();
  // Shifts at least 10 lag windows away from zero, so the surrogate never sees the real lags.
  const minShift = Math.min(Math.max(10 * o.lags[1], 1), Math.floor(T / 4));
  return k.scope((s) => {
    const out = s.i32(Math.max(o.surrogates, 1));
    f.graphDrawShifts(T, o.surrogates, minShift, s.rng(o.seed, 0x6a), out);
    return k.readI32(out, o.surrogates);
  });
}

/** Dense xcorr z-scores (n × n), in the kernel. */
export function xcorrScores(T: number, n: number, x: Uint8Array, o: ResolvedInferOptions): Float64Array {
  const k = getKernel();
  const f = k.fn<GraphExports>();
  const nn = n * n;
  const [lo, hi] = o.lags;
  const shifts = o.surrogate === "shift" ? surrogateShifts(T, o) : new Int32Array(0);
  return k.scope((s) => {
    const xp = s.copyU8(x);
    const c = s.f64(nn);
    const sum = s.f64(nn);
    const sumSq = s.f64(nn);
    const { nnz, rp, col } = windowedProducts(s, T, n, xp, o.lags, shifts, c, sum, sumSq);
    if (o.surrogate === "jitter") {
      const rng = s.rng(o.seed, 0x6a);
      const blockRows = f.graphXcorrBlockRows(n);
      const xj = s.u8(T * n);
      const cs = s.f64(nn);
      const work = s.bytes(f.graphXcorrBlockedWorkSize(n, T));
      const rpJ = s.i32(T + 1);
      // Jitter moves events but never creates more than there were.
      const colJ = s.i32(Math.max(nnz, 1));
      for (let r = 0; r < o.surrogates; r++) {
        k.u8(xj, T * n).fill(0);
        f.graphJitter(T, n, xp, o.jitter, rng, xj);
        f.graphEvents(T, n, xj, rpJ, colJ);
        k.f64(cs, nn).fill(0);
        f.graphXcorrBlocked(T, n, xp, rp, col, xj, rpJ, colJ, lo, hi, 0, 0, blockRows, cs, work);
        f.graphAccumulateMoments(nn, cs, sum, sumSq);
      }
    }
    // z over c in place (entry by entry): one n × n buffer fewer
    f.graphZScore(nn, c, sum, sumSq, o.surrogates, c);
    const out = k.readF64(c, nn);
    for (let i = 0; i < n; i++) out[i * n + i] = 0;
    return out;
  });
}

/** Standardised GLM couplings (n × n), fitted in the kernel. */
function glmScores(
  T: number,
  n: number,
  x: Uint8Array,
  o: ResolvedInferOptions,
): { z: Float64Array; fit: NonNullable<InferredGraph["fit"]> } {
  const k = getKernel();
  const f = k.fn<GraphExports>();
  const nn = n * n;
  const [lo, hi] = o.lags;
  // Start the biases at the logit of each unit's rate.
  const b0 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let a = 0;
    for (let t = 0; t < T; t++) if (x[t * n + j]) a++;
    const p = Math.min(Math.max(a / Math.max(T, 1), 1e-4), 1 - 1e-4);
    b0[j] = log(p / (1 - p));
  }
  return k.scope((s) => {
    const xp = s.copyU8(x);
    const w = s.f64(nn);
    const b = s.copyF64(b0);
    const info = s.f64(2);
    const status = f.graphGlmFit(
      T,
      n,
      xp,
      lo,
      hi,
      o.lambda,
      o.learningRate,
      o.maxIter,
      1e-7,
      w,
      b,
      info,
      s.bytes(f.graphGlmWorkSize(n)),
    );
    if (status !== 0 && status !== 1) checkStatus(status, "inferGraph (glm)");
    const wv = k.readF64(w, nn);
    const inf = k.readF64(info, 2);
    let m = 0,
      m2 = 0,
      cnt = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const v = wv[i * n + j]!;
        m += v;
        m2 += v * v;
        cnt++;
      }
    }
    const mean = cnt ? m / cnt : 0;
    const sd = cnt ? Math.sqrt(Math.max(m2 / cnt - mean * mean, 0)) : 0;
    const z = new Float64Array(nn);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j && sd > 0) z[i * n + j] = (wv[i * n + j]! - mean) / sd;
    return { z, fit: { iterations: inf[0]!, loss: inf[1]!, converged: status === 0 } };
  });
}

/**
 * Communities of the thresholded xcorr graph (Leiden, seeded, refined against
 * the resolution limit): what method "partial" conditions on by default;
 * returns the thresholded graph too (`coactivity`).
 */
function xcorrCommunities(
  z: Float64Array,
  n: number,
  o: ResolvedInferOptions,
  ids: Int32Array,
): { labels: Int32Array; graph: Graph } {
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = z[i * n + j]!;
      if (i !== j && v > o.threshold && v > 0) (src.push(i), tgt.push(j), w.push(v));
    }
  const graph: Graph = {
    n,
    directed: true,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
    nodeIds: ids.slice(),
  };
  if (src.length === 0) return { labels: new Int32Array(n), graph };
  return { labels: refineCommunities(graph, detectCommunities(graph, { seed: o.seed }).labels, o.seed), graph };
}

/**
 * Method "partial": z_ij = √T · (ρ_ij·M + ρ̄_ab), the zero-lag correlation
 * given the pair's community sums (√T ρ_ij·M ≈ N(0, 1) for independent units),
 * plus a block level ρ̄_ab: for a ≠ b the mean plain correlation between
 * communities a ∋ i and b ∋ j, for a = b one common level, the mean plain
 * correlation over all within-community pairs. Pairs are ranked between blocks
 * by co-activity, within communities by what co-activity does not explain.
 */
function partialScores(T: number, n: number, x: Uint8Array, labels: Int32Array): Float64Array {
  // Relabel to 0..K−1.
  const map = new Map<number, number>();
  const lab = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let k = map.get(labels[i]!);
    if (k === undefined) map.set(labels[i]!, (k = map.size));
    lab[i] = k;
  }
  const K = map.size;
  const C = zeroLagCovariance(T, n, x);
  const P = communityPartialCorrelation(n, C, lab);
  // Block level: the mean plain correlation over the pairs of each community pair (a, b).
  const sum = new Float64Array(K * K),
    cnt = new Float64Array(K * K);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = C[i * n + i]! * C[j * n + j]!;
      if (i === j || !(d > 0)) continue;
      const q = lab[i]! * K + lab[j]!;
      sum[q]! += C[i * n + j]! / Math.sqrt(d);
      cnt[q]!++;
    }
  // One level for every within-community pair (so within-community pairs of different
  // communities stay comparable), the block mean for each pair of communities.
  let wSum = 0,
    wCnt = 0;
  for (let a = 0; a < K; a++) ((wSum += sum[a * K + a]!), (wCnt += cnt[a * K + a]!));
  const within = wCnt > 0 ? wSum / wCnt : 0;
  const r = Math.sqrt(T);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const a = lab[i]!,
        b = lab[j]!;
      const q = a * K + b;
      const level = a === b ? within : cnt[q]! > 0 ? sum[q]! / cnt[q]! : 0;
      P[i * n + j] = r * (P[i * n + j]! + level);
    }
  return P;
}

/**
 * Infer a directed weighted graph over the observed units.
 *
 * @param data - binned activity (counts, T × n) or binary states
 * @param options - {@link InferOptions}; defaults in {@link INFER_DEFAULTS}
 * @returns an {@link InferredGraph}: edges i → j with z_ij > threshold (weight z_ij), the dense z, the options
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for data that is neither kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the data length disagrees with its shape
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` / `ERR_INVALID_OPTION` for a bad option
 * @example
 * ```ts
 * const g = inferGraph(binned, { lags: [1, 2], surrogates: 20, seed: 1 });
 * g.source.length; // number of significant edges
 * ```
 */
export function inferGraph(data: BinnedActivity | BinaryStates, options?: InferOptions): InferredGraph {
  const input = inferInput(data, options);
  return inferFrom(input, options, xcorrScores);
}

/** The checked activity matrix and options of one {@link inferGraph} call. */
export interface InferInput {
  T: number;
  n: number;
  x: Uint8Array;
  ids: Int32Array;
  o: ResolvedInferOptions;
}

/** Check the data and options of {@link inferGraph} (every error before any work). */
export function inferInput(data: BinnedActivity | BinaryStates, options?: InferOptions): InferInput {
  const pre = resolveInferOptions(options);
  const { T, n, x, ids } = activityMatrix(data, pre.binary);
  const o = resolveInferOptions(options, T);
  if (T < 2) throw new DgrnRangeError(message("data", "at least 2 bins", T));
  const given = (options as InferOptions | undefined)?.communities;
  if (o.method === "partial" && given !== undefined) checkLabels("options.communities", given, n);
  return { T, n, x, ids, o };
}

/** Whether {@link inferFrom} needs the xcorr z-scores (method "xcorr", or "partial" without given communities). */
export function needsXcorr(input: InferInput, options?: InferOptions): boolean {
  return (
    input.o.method === "xcorr" ||
    (input.o.method === "partial" && (options as InferOptions | undefined)?.communities === undefined)
  );
}

/**
 * The rest of {@link inferGraph} once the input is checked, with the xcorr
 * z-scores from `xcorr` (called at most once; inferGraphAsync passes scores
 * computed on a worker pool).
 */
export function inferFrom(
  input: InferInput,
  options: InferOptions | undefined,
  xcorr: (T: number, n: number, x: Uint8Array, o: ResolvedInferOptions) => Float64Array,
): InferredGraph {
  const { T, n, x, ids, o } = input;
  let conditionedOn: Int32Array | undefined;
  let coactivity: Graph | undefined;
  let z: Float64Array, fit: InferredGraph["fit"];
  if (o.method === "partial") {
    const given = (options as InferOptions | undefined)?.communities;
    if (given === undefined)
      ({ labels: conditionedOn, graph: coactivity } = xcorrCommunities(xcorr(T, n, x, o), n, o, ids));
    else conditionedOn = checkLabels("options.communities", given, n);
    z = partialScores(T, n, x, conditionedOn);
  } else ({ z, fit } = o.method === "xcorr" ? { z: xcorr(T, n, x, o), fit: undefined } : glmScores(T, n, x, o));
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = z[i * n + j]!;
      if (i !== j && v > o.threshold && v > 0) {
        src.push(i);
        tgt.push(j);
        w.push(v);
      }
    }
  }
  return {
    n,
    directed: true,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
    nodeIds: ids,
    z,
    options: o,
    ...(fit ? { fit } : {}),
    ...(conditionedOn ? { conditionedOn } : {}),
    ...(coactivity ? { coactivity } : {}),
  };
}
