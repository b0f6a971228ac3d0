/**
 * Typed access to the dynamics kernels (assembly/dynamics/) and the internal
 * helpers every public function of this stage shares: state encoding, sparse
 * pair counting, the σ sum. Inputs here are already validated.
 *
 * @module
 * @internal
 */
import { getKernel } from "../kernel/init.js";
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/dynamics/. */
export type DynExports = Pick<
  KernelExports,
  | "dynEncodeWorkSize"
  | "dynEncodeRows"
  | "dynTransitionsWorkSize"
  | "dynCountTransitions"
  | "dynCsrReverse"
  | "dynCsrRows"
  | "dynSigmaWorkSize"
  | "dynSigma"
  | "dynShuffleI32"
  | "dynSimulateChain"
  | "dynSoftmaxWorkSize"
  | "dynSoftmaxLossGrad"
  | "dynSoftmaxFitWorkSize"
  | "dynSoftmaxFit"
  | "dynSoftmaxPredict"
>;

/** Dense ids of `t` fixed-width records of `rowBytes` bytes each. */
export function encodeRows(
  bytes: Uint8Array,
  t: number,
  rowBytes: number,
): { ids: Int32Array; first: Int32Array; k: number } {
  const k = getKernel();
  const f = k.fn<DynExports>();
  return k.scope((s) => {
    const x = s.copyU8(bytes.length === t * rowBytes ? bytes : bytes.subarray(0, t * rowBytes));
    const ids = s.i32(Math.max(t, 1));
    const first = s.i32(Math.max(t, 1));
    const work = s.bytes(f.dynEncodeWorkSize(t));
    const n = f.dynEncodeRows(t, rowBytes, x, ids, first, work);
    return { ids: k.readI32(ids, t), first: k.readI32(first, n), k: n };
  });
}

/**
 * Distinct pairs (a[i], b[i]) with counts, in row-major order with ascending
 * columns (a CSR over ids below k), and the index of each pair's reverse
 * (−1 if unseen).
 */
export interface PairCounts {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly count: Int32Array;
  readonly rev: Int32Array;
  /** CSR row pointers over the k ids (length k + 1). */
  readonly rowPtr: Int32Array;
  /** Number of pairs counted. */
  readonly n: number;
}

function maxId(x: Int32Array): number {
  let m = -1;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  return m;
}

/** Count the pairs (a[i], b[i]), i < a.length, ids in [0, k) (k defaults to the largest id + 1). */
export function countPairs(a: Int32Array, b: Int32Array, k = Math.max(maxId(a), maxId(b)) + 1): PairCounts {
  const kr = getKernel();
  const f = kr.fn<DynExports>();
  const n = a.length;
  return kr.scope((s) => {
    const m = Math.max(n, 1);
    const pa = s.copyI32(a);
    const pb = s.copyI32(b);
    const rowPtr = s.i32(k + 1);
    const col = s.i32(m);
    const cnt = s.i32(m);
    const rev = s.i32(m);
    const from = s.i32(m);
    const work = s.bytes(f.dynTransitionsWorkSize(n, k));
    const nnz = f.dynCountTransitions(n, k, pa, pb, rowPtr, col, cnt, work);
    f.dynCsrReverse(k, rowPtr, col, rev);
    f.dynCsrRows(k, rowPtr, from);
    return {
      from: kr.readI32(from, nnz),
      to: kr.readI32(col, nnz),
      count: kr.readI32(cnt, nnz),
      rev: kr.readI32(rev, nnz),
      rowPtr: kr.readI32(rowPtr, k + 1),
      n,
    };
  });
}

/** σ and its bookkeeping from pair counts over `nStates` states (see dynSigma). */
export interface SigmaStats {
  sigma: number;
  total: number;
  oneWay: number;
  pairs: number;
  cycleRank: number;
}

/** The plug-in σ of pair counts with pseudocount α. */
export function sigmaFromPairs(p: PairCounts, nStates: number, alpha: number): SigmaStats {
  const k = getKernel();
  const f = k.fn<DynExports>();
  return k.scope((s) => {
    const nnz = p.from.length;
    const stats = s.f64(4);
    const work = s.bytes(Math.max(4, f.dynSigmaWorkSize(nStates)));
    const sigma = f.dynSigma(
      nnz,
      s.copyI32(p.from),
      s.copyI32(p.to),
      s.copyI32(p.count),
      s.copyI32(p.rev),
      alpha,
      nStates,
      stats,
      work,
    );
    const st = k.readF64(stats, 4);
    return { sigma, total: st[0]!, oneWay: st[1]!, pairs: st[2]!, cycleRank: st[3]! };
  });
}

/**
 * σ of `nSur` time-shuffled copies of the id sequence (one generator, so the
 * surrogates are independent and the whole set is fixed by the seed). Counting
 * and σ run in the kernel without copying the ids back out.
 */
export function shuffledSigmas(
  ids: Int32Array,
  nStates: number,
  alpha: number,
  nSur: number,
  seed: number,
): Float64Array {
  const k = getKernel();
  const f = k.fn<DynExports>();
  const out = new Float64Array(nSur);
  const n = ids.length - 1;
  if (n < 1) return out;
  return k.scope((s) => {
    const st = s.rng(seed, 8);
    const x = s.copyI32(ids);
    const m = Math.max(n, 1);
    const rowPtr = s.i32(nStates + 1);
    const col = s.i32(m);
    const cnt = s.i32(m);
    const rev = s.i32(m);
    const from = s.i32(m);
    const stats = s.f64(4);
    const tw = s.bytes(f.dynTransitionsWorkSize(n, nStates));
    const sw = s.bytes(Math.max(4, f.dynSigmaWorkSize(nStates)));
    for (let r = 0; r < nSur; r++) {
      f.dynShuffleI32(st, ids.length, x);
      // pairs (x[t], x[t+1]): the second array is the same buffer one element on
      const nnz = f.dynCountTransitions(n, nStates, x, x + 4, rowPtr, col, cnt, tw);
      f.dynCsrReverse(nStates, rowPtr, col, rev);
      f.dynCsrRows(nStates, rowPtr, from);
      out[r] = f.dynSigma(nnz, from, col, cnt, rev, alpha, nStates, stats, sw);
    }
    return out;
  });
}

/** Simulate `t` steps of a CSR chain (rows need not be normalised: cumulative sums are normalised here). */
export function simulateCsr(
  rowPtr: Int32Array,
  colIdx: Int32Array,
  values: Float64Array,
  t: number,
  x0: number,
  seed: number,
  stream: number,
): Int32Array {
  const nRows = rowPtr.length - 1;
  const cum = new Float64Array(values.length);
  for (let a = 0; a < nRows; a++) {
    let tot = 0;
    for (let e = rowPtr[a]!; e < rowPtr[a + 1]!; e++) tot += values[e]!;
    let acc = 0;
    for (let e = rowPtr[a]!; e < rowPtr[a + 1]!; e++) {
      acc += values[e]!;
      cum[e] = acc / tot;
    }
  }
  const k = getKernel();
  const f = k.fn<DynExports>();
  return k.scope((s) => {
    const out = s.i32(Math.max(t, 1));
    f.dynSimulateChain(t, x0, s.copyI32(rowPtr), s.copyI32(colIdx), s.copyF64(cum), s.rng(seed, stream), out);
    return k.readI32(out, t);
  });
}
