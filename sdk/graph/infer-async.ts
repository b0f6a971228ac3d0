/**
 * {@link inferGraph} on the in-run worker pool (issue 20): the xcorr product
 * of the data and its circular-shift surrogates are split into tasks of a
 * fixed number of shifts ({@link SHIFTS_PER_TASK}), the shifts drawn up front
 * from the same seeded stream as the synchronous call. A surrogate product of
 * integer counts is an integer, and so are its moments Σ C_s and Σ C_s²: while
 * they stay below 2^53 (checked from the data's largest count, the lag window
 * and the number of surrogates) every sum is exact, so the chunks' sums added
 * in chunk order give the synchronous call's bits for any pool size. Outside
 * that bound, and for jitter surrogates (one sequential stream), the scores are
 * computed in the calling thread.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { WorkerPool } from "../parallel/pool.js";
import type { BinaryStates, BinnedActivity } from "../types.js";
import {
  inferFrom,
  inferInput,
  needsXcorr,
  surrogateShifts,
  windowedProducts,
  xcorrScores,
  type GraphExports,
  type InferOptions,
  type InferredGraph,
  type ResolvedInferOptions,
} from "./infer.js";

/** Surrogate shifts per task: fixed, so the split does not depend on the pool. */
export const SHIFTS_PER_TASK = 5;

/**
 * Above this many units the xcorr stays in the calling thread (same bits): a
 * chunk's three n × n arrays cross between threads by copy (600 MB at n =
 * 5,000), and there the pool measured slower than one thread — the pipeline's
 * graph stage at N = 10⁴ (5,000 units) took 43.2 s wall with 2 workers against
 * 29.2 s without, and the workers' memory took the run from 1.66 to 3.06 GB.
 */
export const POOL_MAX_UNITS = 2048;

/** One task's share of the xcorr: the observed product c (if asked) and the moments of its shifts. */
export interface XcorrChunk {
  c: Float64Array | null;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * The observed lagged product (`observed`) and Σ C_s, Σ C_s² over the listed
 * circular shifts (a pool task: "graph.xcorrChunk").
 *
 * @param T - bins
 * @param n - units
 * @param x - activity, u8 T × n
 * @param lags - [lo, hi]
 * @param shifts - circular shifts of this chunk
 * @param observed - also return the unshifted product
 * @returns the chunk's products and moments (n × n each)
 */
export function xcorrChunk(
  T: number,
  n: number,
  x: Uint8Array,
  lags: readonly [number, number],
  shifts: Int32Array,
  observed: boolean,
): XcorrChunk {
  const k = getKernel();
  const nn = n * n;
  return k.scope((s) => {
    const xp = s.copyU8(x);
    const cp = observed ? s.f64(nn) : 0;
    const sum = s.f64(nn),
      sumSq = s.f64(nn);
    windowedProducts(s, T, n, xp, lags, shifts, cp, sum, sumSq);
    const c = observed ? k.readF64(cp, nn) : null;
    return { c, sum: k.readF64(sum, nn), sumSq: k.readF64(sumSq, nn) };
  });
}

/** Whether every surrogate moment of this data is an exactly representable integer (see the module comment). */
export function exactMoments(T: number, x: Uint8Array, o: ResolvedInferOptions): boolean {
  let m = 0;
  for (let q = 0; q < x.length; q++) if (x[q]! > m) m = x[q]!;
  const cMax = T * m * m * (o.lags[1] - o.lags[0] + 1);
  return Math.max(1, o.surrogates) * cMax * cMax <= 9007199254740992; // 2^53
}

/** The xcorr z-scores of {@link xcorrScores}, with the products on the pool. */
export async function xcorrScoresAsync(
  T: number,
  n: number,
  x: Uint8Array,
  o: ResolvedInferOptions,
  pool: WorkerPool,
): Promise<Float64Array> {
  if (o.surrogate !== "shift" || !exactMoments(T, x, o) || n > POOL_MAX_UNITS) return xcorrScores(T, n, x, o);
  const k = getKernel();
  const f = k.fn<GraphExports>();
  const nn = n * n;
  // the shifts of the synchronous call: same stream, same minimum shift
  const shifts = surrogateShifts(T, o);
  const tasks: Array<[Int32Array, boolean]> = [[new Int32Array(0), true]];
  for (let a = 0; a < shifts.length; a += SHIFTS_PER_TASK)
    tasks.push([shifts.slice(a, Math.min(shifts.length, a + SHIFTS_PER_TASK)), false]);
  const running: (Promise<XcorrChunk> | null)[] = tasks.map(([sh, obs]) =>
    pool.run<XcorrChunk>("graph.xcorrChunk", [T, n, x, o.lags, sh, obs]),
  );
  let c: Float64Array | null = null;
  const sum = new Float64Array(nn),
    sumSq = new Float64Array(nn);
  for (let i = 0; i < running.length; i++) {
    const r = await running[i]!; // in chunk order (exact integer sums, so the order is a formality)
    running[i] = null; // three n × n arrays a chunk: let each go once it is added (n = 5,000: 600 MB)
    if (r.c) c = r.c;
    for (let q = 0; q < nn; q++) {
      sum[q]! += r.sum[q]!;
      sumSq[q]! += r.sumSq[q]!;
    }
  }
  return k.scope((s) => {
    // z over c in place, as the synchronous call
    const z = s.copyF64(c!);
    f.graphZScore(nn, z, s.copyF64(sum), s.copyF64(sumSq), o.surrogates, z);
    const out = k.readF64(z, nn);
    for (let i = 0; i < n; i++) out[i * n + i] = 0;
    return out;
  });
}

/**
 * {@link inferGraph} with the xcorr products (the observed one and the
 * circular-shift surrogates) on a worker pool; bit-identical to `inferGraph`
 * for any pool size. Methods and options as `inferGraph`; only the xcorr part
 * (method "xcorr", and the communities method "partial" conditions on) runs on
 * the pool.
 *
 * @param data - binned activity (counts, T × n) or binary states
 * @param options - {@link InferOptions}
 * @param pool - a pool from `createPool` (sdk/parallel)
 * @returns the same {@link InferredGraph} as `inferGraph(data, options)`
 * @throws the errors of {@link inferGraph}, before any task is sent
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const g = await inferGraphAsync(binned, { seed: 1 }, pool);
 * await pool.close();
 * ```
 */
export async function inferGraphAsync(
  data: BinnedActivity | BinaryStates,
  options: InferOptions | undefined,
  pool: WorkerPool,
): Promise<InferredGraph> {
  const input = inferInput(data, options);
  const z = needsXcorr(input, options) ? await xcorrScoresAsync(input.T, input.n, input.x, input.o, pool) : null;
  return inferFrom(input, options, () => z!);
}
