/**
 * Tensor trains (MPS) of the empirical joint distribution of binary states,
 * built by TT-SVD on the sample representation (Oseledets 2011), and the
 * operations on them: evaluation, marginals, seeded sampling, normalisation,
 * inner products, dense expansion (n ≤ 24) and bond entanglement.
 *
 * @module
 */
import { checkNonEmptyStates } from "../io/check.js";
import type { BinaryStates } from "../types.js";
import { getKernel } from "../kernel/init.js";
import { checkStatus } from "../kernel/kernel.js";
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkBoolean, checkInteger, checkNumber, checkOptions, checkSeed, message } from "../validate.js";
import { rightBasis } from "./factor.js";
import { copyTrain, tn } from "./kernel.js";
import {
  DENSE_MAX_SITES,
  checkOrder,
  checkWeights,
  entanglementOf,
  empiricalDense,
  klDivergence,
  sampleRepresentation,
  totalVariation,
} from "./samples.js";

/** Options of {@link tensorTrain}. */
export interface TensorTrainOptions {
  /** Relative Frobenius tolerance ε > 0 … < 1: ‖T − T̃‖_F ≤ ε‖T‖_F. Default 1e-3. */
  tol?: number;
  /** Largest bond dimension kept (a positive integer). Default 64. */
  maxBond?: number;
  /** Compress the Born amplitude ψ = √P instead of P. Default false. */
  born?: boolean;
  /** Site order: position k holds column order[k] (a permutation). Default identity. */
  order?: ArrayLike<number>;
  /** Per-row weights (nonnegative, length T); default uniform 1/T. Ours: lets an exact distribution be given as its support. */
  weights?: ArrayLike<number>;
}

/** A tensor train over n binary sites. */
export interface TensorTrain {
  readonly kind: "tensorTrain";
  /** Number of sites. */
  readonly n: number;
  /** True when the train holds ψ = √P (then P̃ = ψ̃²); false when it holds P. */
  readonly born: boolean;
  /** Site k holds column `order[k]` of the states it was built from. */
  readonly order: Int32Array;
  /** Bond dimensions r_0 … r_n (r_0 = r_n = 1). */
  readonly bondDims: Int32Array;
  /** Packed cores: core k is r_k × 2 × r_{k+1}, row-major, from `offsets[k]`. */
  readonly cores: Float64Array;
  /** Element offset of each core in `cores`. */
  readonly offsets: Int32Array;
  /** Number of parameters Σ_k 2 r_k r_{k+1}. */
  readonly params: number;
  /** 2^n, the size of the full tensor (as a number; may be Infinity-free up to 2^1023). */
  readonly fullSize: number;
  /** params / 2^n. */
  readonly compression: number;
  /** ‖T‖_F of the tensor compressed (‖P‖_F, or ‖ψ‖ = 1 in the Born form). */
  readonly norm: number;
  /** ‖T − T̃‖_F / ‖T‖_F, from the discarded singular values (exact for TT-SVD). */
  readonly relError: number;
  /** Frobenius norm discarded at each bond (length n − 1). */
  readonly discarded: Float64Array;
  /** Normalised Schmidt values of the train at each bond (length n − 1), descending. */
  readonly singularValues: readonly Float64Array[];
  /** S_k = −Σ s² ln s² of the normalised Schmidt values at each bond (nats). */
  readonly entanglement: Float64Array;
  /** The tolerance and bond cap used. */
  readonly tol: number;
  readonly maxBond: number;
}

interface Parsed {
  tol: number;
  maxBond: number;
  born: boolean;
  order: Int32Array | undefined;
  weights: Float64Array | undefined;
}

/** Parse the common options of tensorTrain / treeTensorNetwork. */
export function parseTnOptions(opts: unknown, states: BinaryStates, extra: readonly string[] = ["order"]): Parsed {
  const o = checkOptions<TensorTrainOptions>("opts", opts, ["tol", "maxBond", "born", "weights", ...extra]);
  return {
    tol: o.tol === undefined ? 1e-3 : checkNumber("opts.tol", o.tol, { min: 0, max: 1, maxExclusive: true }),
    maxBond: o.maxBond === undefined ? 64 : checkInteger("opts.maxBond", o.maxBond, { min: 1, max: 4096 }),
    born: o.born === undefined ? false : checkBoolean("opts.born", o.born),
    order: o.order === undefined ? undefined : checkOrder("opts.order", o.order, states.n),
    weights: o.weights === undefined ? undefined : checkWeights("opts.weights", o.weights, states.T),
  };
}

/** Smallest rank whose tail √(Σ_{i ≥ r} s_i²) ≤ delta, at least 1, at most cap. */
export function truncationRank(s: Float64Array, delta: number, cap: number): { rank: number; discarded: number } {
  const k = s.length;
  const tail2 = new Float64Array(k + 1);
  for (let i = k - 1; i >= 0; i--) tail2[i] = tail2[i + 1]! + s[i]! * s[i]!;
  let rank = k;
  while (rank > 1 && Math.sqrt(tail2[rank - 1]!) <= delta) rank--;
  rank = Math.max(1, Math.min(rank, cap));
  return { rank, discarded: Math.sqrt(tail2[rank]!) };
}

/**
 * Tensor train of the empirical distribution P(x) = Σ_t w_t δ(x, x(t)) (or of
 * ψ = √P) by TT-SVD on the sample representation: the unfolding at bond k has
 * one column per distinct suffix of the samples (at most T), so the 2^n tensor
 * is never formed. Each step truncates with δ = ε‖T‖_F/√(n−1), which gives
 * ‖T − T̃‖_F ≤ ε‖T‖_F (Oseledets 2011, Thm 2.2) unless `maxBond` binds.
 *
 * @param states - T × n binary states (row t, column i at `data[t * n + i]`)
 * @param opts - `tol` (1e-3), `maxBond` (64), `born` (false), `order` (identity), `weights` (uniform)
 * @returns the train, with bond dimensions, parameters, error and entanglement
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a malformed `states` or option
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for `tol` ∉ [0, 1) or `maxBond` < 1; `ERR_INVALID_DATA` for non-0/1 data or a non-permutation `order`
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` for wrong `data`, `order` or `weights` lengths
 * @example
 * ```ts
 * await init();
 * const tt = tensorTrain({ T: 2, n: 3, data: new Uint8Array([0, 0, 0, 1, 1, 1]) }, { born: true });
 * tt.bondDims;     // Int32Array [1, 2, 2, 1]
 * tt.entanglement; // [ln 2, ln 2]
 * ```
 */
export function tensorTrain(states: BinaryStates, opts?: TensorTrainOptions): TensorTrain {
  const st = checkNonEmptyStates("states", states);
  const p = parseTnOptions(opts, st);
  const n = st.n;
  const order = p.order ?? Int32Array.from({ length: n }, (_, i) => i);
  const rep = sampleRepresentation(st, order, p.weights);
  const k = getKernel();
  const f = tn(k);
  let rt: Float64Array = new Float64Array(rep.D);
  let norm2 = 0;
  for (let d = 0; d < rep.D; d++) {
    const v = p.born ? Math.sqrt(rep.prob[d]!) : rep.prob[d]!;
    rt[d] = v;
    norm2 += v * v;
  }
  const norm = Math.sqrt(norm2);
  const delta = n > 1 ? (p.tol * norm) / Math.sqrt(n - 1) : 0;
  const bond = new Int32Array(n + 1);
  bond[0] = 1;
  bond[n] = 1;
  const coreList: Float64Array[] = [];
  const discarded = new Float64Array(Math.max(0, n - 1));
  let r = 1;
  for (let s = 0; s < n; s++) {
    const D = rep.counts[s]!;
    const Dn = rep.counts[s + 1]!;
    const mt = k.scope((sc) => {
      const out = sc.f64(Dn * 2 * r);
      f.tnUnfold(r, D, Dn, sc.copyF64(rt), sc.copyU8(rep.bits[s]!), sc.copyI32(rep.child[s]!), out);
      return k.readF64(out, Dn * 2 * r);
    });
    if (s === n - 1) {
      coreList.push(mt); // Dn = 1: the last core, r × 2 × 1
      break;
    }
    const c = 2 * r;
    const dec = rightBasis(mt, Dn, c);
    const { rank, discarded: disc } = truncationRank(dec.s, delta, p.maxBond);
    discarded[s] = disc;
    // core s = V[:, :rank] (2r × rank) = r × 2 × rank
    const core = new Float64Array(c * rank);
    for (let i = 0; i < c; i++) for (let j = 0; j < rank; j++) core[i * rank + j] = dec.v[i * dec.k + j]!;
    coreList.push(core);
    // remainder (transposed) = MT V[:, :rank]
    const next = new Float64Array(Dn * rank);
    for (let i = 0; i < Dn; i++) for (let j = 0; j < rank; j++) next[i * rank + j] = dec.bv[i * dec.k + j]!;
    rt = next;
    r = rank;
    bond[s + 1] = rank;
  }
  const { cores, offsets } = pack(coreList);
  let tail = 0;
  for (const d of discarded) tail += d * d;
  const base = { n, born: p.born, order, bondDims: bond, cores, offsets };
  const { singularValues, entanglement } = schmidt(base);
  return {
    kind: "tensorTrain",
    ...base,
    params: cores.length,
    fullSize: 2 ** n,
    compression: cores.length / 2 ** n,
    norm,
    relError: norm > 0 ? Math.sqrt(tail) / norm : 0,
    discarded,
    singularValues,
    entanglement,
    tol: p.tol,
    maxBond: p.maxBond,
  };
}

function pack(list: Float64Array[]): { cores: Float64Array; offsets: Int32Array } {
  const offsets = new Int32Array(list.length);
  let tot = 0;
  list.forEach((c, i) => {
    offsets[i] = tot;
    tot += c.length;
  });
  const cores = new Float64Array(tot);
  list.forEach((c, i) => cores.set(c, offsets[i]!));
  return { cores, offsets };
}

interface Bare {
  n: number;
  bondDims: Int32Array;
  cores: Float64Array;
  offsets: Int32Array;
}

/**
 * Schmidt values at every bond of a train whose cores 0 … n−2 are left
 * isometries (as TT-SVD leaves them): a right-to-left SVD sweep.
 */
function schmidt(t: Bare): { singularValues: Float64Array[]; entanglement: Float64Array } {
  const { n, bondDims: bond, cores, offsets } = t;
  const sv: Float64Array[] = new Array(Math.max(0, n - 1));
  const ent = new Float64Array(Math.max(0, n - 1));
  if (n < 2) return { singularValues: sv, entanglement: ent };
  // C: r_k × cols, starting with the last core (r_{n−1} × 2)
  let rows = bond[n - 1]!;
  let cols = 2;
  let C = cores.slice(offsets[n - 1]!, offsets[n - 1]! + rows * cols);
  for (let k = n - 1; k >= 1; k--) {
    // left singular vectors of C = right singular vectors of Cᵀ (cols × rows)
    const Ct = new Float64Array(cols * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) Ct[j * rows + i] = C[i * cols + j]!;
    const dec = rightBasis(Ct, cols, rows);
    const kk = dec.k;
    let tot = 0;
    for (const s of dec.s) tot += s * s;
    const nrm = Math.sqrt(tot);
    sv[k - 1] = dec.s.map((s) => (nrm > 0 ? s / nrm : 0));
    ent[k - 1] = entanglementOf(dec.s);
    // US = U diag(s): rows × kk; next C = A_{k−1} (2 r_{k−1} × r_k) · US → r_{k−1} × 2kk
    const rp = bond[k - 1]!;
    const A = cores.subarray(offsets[k - 1]!, offsets[k - 1]! + rp * 2 * rows);
    const next = new Float64Array(rp * 2 * kk);
    const u = dec.v;
    for (let i = 0; i < 2 * rp; i++) {
      for (let a = 0; a < rows; a++) {
        const x = A[i * rows + a]!;
        if (x === 0) continue;
        for (let j = 0; j < kk; j++) next[i * kk + j]! += x * u[a * kk + j]! * dec.s[j]!;
      }
    }
    C = next;
    cols = 2 * kk;
    rows = rp;
  }
  return { singularValues: sv, entanglement: ent };
}

/** Check a TensorTrain argument (its own invariants, cheaply). */
export function checkTrain(name: string, value: unknown): TensorTrain {
  const t = value as TensorTrain;
  if (t === null || typeof t !== "object" || t.kind !== "tensorTrain") {
    throw new DgrnTypeError(message(name, "a TensorTrain (from tensorTrain)", value));
  }
  const { n, bondDims, offsets, cores } = t;
  if (
    !(bondDims instanceof Int32Array) ||
    bondDims.length !== n + 1 ||
    !(offsets instanceof Int32Array) ||
    offsets.length !== n
  ) {
    throw new DgrnShapeError(message(`${name}.bondDims`, `an Int32Array of length n + 1 = ${n + 1}`, bondDims));
  }
  let tot = 0;
  for (let k = 0; k < n; k++) {
    if (offsets[k] !== tot) throw new DgrnShapeError(message(`${name}.offsets[${k}]`, `${tot}`, offsets[k]));
    tot += bondDims[k]! * 2 * bondDims[k + 1]!;
  }
  if (!(cores instanceof Float64Array) || cores.length !== tot)
    throw new DgrnShapeError(message(`${name}.cores.length`, `${tot}`, cores?.length));
  return t;
}

/** Rows of `states` re-ordered into site order. */
function siteRows(t: TensorTrain, states: BinaryStates): Uint8Array {
  const st = checkNonEmptyStates("states", states);
  if (st.n !== t.n) throw new DgrnShapeError(message("states.n", `the train's n = ${t.n}`, st.n));
  const out = new Uint8Array(st.T * t.n);
  for (let j = 0; j < st.T; j++) for (let k = 0; k < t.n; k++) out[j * t.n + k] = st.data[j * t.n + t.order[k]!]!;
  return out;
}

/** Raw values of the train (P̃ or ψ̃) at rows in site order. */
function evalRaw(t: TensorTrain, x: Uint8Array, m: number): Float64Array {
  const k = getKernel();
  const f = tn(k);
  return k.scope((s) => {
    const p = copyTrain(s, t);
    const out = s.f64(m);
    f.tnEvaluate(t.n, p.bond, p.cores, p.off, m, s.copyU8(x), out, s.bytes(f.tnVecWorkSize(p.rmax)), p.rmax);
    return k.readF64(out, m);
  });
}

/**
 * P̃(x) for each state (ψ̃(x)² for a Born train); states are given in the
 * column layout the train was built from (its `order` is applied).
 *
 * @param t - a train
 * @param states - m × n binary states
 * @returns Float64Array(m)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when states.n ≠ t.n
 * @example
 * ```ts
 * ttEvaluate(tt, { T: 1, n: 3, data: new Uint8Array([1, 1, 1]) }); // [0.5]
 * ```
 */
export function ttEvaluate(t: TensorTrain, states: BinaryStates): Float64Array {
  checkTrain("t", t);
  const st = checkNonEmptyStates("states", states);
  const x = siteRows(t, st);
  const v = evalRaw(t, x, st.T);
  if (t.born) for (let i = 0; i < v.length; i++) v[i] = v[i]! * v[i]!;
  return v;
}

/**
 * The train's values as a dense vector of length 2^n (n ≤ 24), in site order
 * (index Σ_k x_k 2^{n−1−k}). For a Born train this is ψ̃; pass
 * `{ probability: true }` for P̃ = ψ̃².
 *
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when n > 24
 * @example
 * ```ts
 * ttDense(tt); // Float64Array(8)
 * ```
 */
export function ttDense(t: TensorTrain, opts?: { probability?: boolean }): Float64Array {
  checkTrain("t", t);
  const o = checkOptions<{ probability: boolean }>("opts", opts, ["probability"]);
  const prob = o.probability === undefined ? false : checkBoolean("opts.probability", o.probability);
  checkInteger("t.n", t.n, { min: 1, max: DENSE_MAX_SITES });
  const v = denseRaw(t);
  if (prob && t.born) for (let i = 0; i < v.length; i++) v[i] = v[i]! * v[i]!;
  return v;
}

function denseRaw(t: Bare): Float64Array {
  const k = getKernel();
  const f = tn(k);
  const n = t.n;
  const h = n >> 1;
  return k.scope((s) => {
    const p = copyTrain(s, t);
    const out = s.f64(2 ** n);
    f.tnDense(n, p.bond, p.cores, p.off, h, out, s.bytes(f.tnDenseWorkSize(n, h, p.rmax)), p.rmax);
    return k.readF64(out, 2 ** n);
  });
}

/**
 * ⟨A, B⟩ = Σ_x A(x) B(x) of the tensors two trains hold (same n; orders
 * are not reconciled: both are read in site order).
 *
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the site counts differ
 * @example
 * ```ts
 * ttInner(tt, tt); // ‖T̃‖²
 * ```
 */
export function ttInner(a: TensorTrain, b: TensorTrain): number {
  checkTrain("a", a);
  checkTrain("b", b);
  if (a.n !== b.n) throw new DgrnShapeError(message("b.n", `a.n = ${a.n}`, b.n));
  return innerRaw(a, b);
}

function innerRaw(a: Bare, b: Bare): number {
  const k = getKernel();
  const f = tn(k);
  return k.scope((s) => {
    const pa = copyTrain(s, a);
    const pb = copyTrain(s, b);
    const rmax = Math.max(pa.rmax, pb.rmax);
    return f.tnInner(a.n, pa.bond, pa.cores, pa.off, pb.bond, pb.cores, pb.off, s.bytes(f.tnMatWorkSize(rmax)), rmax);
  });
}

/**
 * Total mass Σ_x P̃(x) of the distribution a train represents (for a Born
 * train, ‖ψ̃‖²).
 *
 * @example
 * ```ts
 * ttTotal(tt); // ≈ 1
 * ```
 */
export function ttTotal(t: TensorTrain): number {
  checkTrain("t", t);
  if (t.born) return innerRaw(t, t);
  const k = getKernel();
  const f = tn(k);
  return k.scope((s) => {
    const p = copyTrain(s, t);
    const envOff = envOffsets(t.bondDims, false);
    const env = s.f64(envOff[t.n]! + 1);
    f.tnEnvSum(t.n, p.bond, p.cores, p.off, env, s.copyI32(envOff));
    return k.f64(env, 1)[0]!;
  });
}

/**
 * The train rescaled so that it represents a normalised distribution:
 * Σ_x P̃(x) = 1 (or ‖ψ̃‖ = 1). Returns a new train.
 *
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when the total is not positive
 * @example
 * ```ts
 * ttTotal(ttNormalize(tt)); // 1
 * ```
 */
export function ttNormalize(t: TensorTrain): TensorTrain {
  const z = ttTotal(t);
  if (!(z > 0)) throw new DgrnRangeError(message("t", "a train with a positive total mass", z));
  const scale = t.born ? 1 / Math.sqrt(z) : 1 / z;
  const cores = t.cores.slice();
  const o = t.offsets[t.n - 1]!;
  for (let i = o; i < cores.length; i++) cores[i]! *= scale;
  return { ...t, cores, norm: t.norm };
}

function envOffsets(bond: Int32Array, born: boolean): Int32Array {
  const n = bond.length - 1;
  const off = new Int32Array(n + 1);
  let tot = 0;
  for (let k = 0; k <= n; k++) {
    off[k] = tot;
    tot += born ? bond[k]! * bond[k]! : bond[k]!;
  }
  return off;
}

/**
 * `m` seeded samples from the distribution the train represents, site by
 * site from its exact conditionals (negative values of a truncated P̃ are
 * clipped at 0 inside each conditional; ours). Returned in the column layout
 * the train was built from.
 *
 * @param t - a train
 * @param m - number of samples (a nonnegative integer)
 * @param opts - `seed` (default 1)
 * @returns BinaryStates with T = m
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a bad `m` or seed
 * @example
 * ```ts
 * const x = ttSample(tt, 100, { seed: 3 });
 * ```
 */
export function ttSample(t: TensorTrain, m: number, opts?: { seed?: number }): BinaryStates {
  checkTrain("t", t);
  checkInteger("m", m, { min: 0 });
  const o = checkOptions<{ seed: number }>("opts", opts, ["seed"]);
  const seed = o.seed === undefined ? 1 : checkSeed("opts.seed", o.seed);
  const k = getKernel();
  const f = tn(k);
  const n = t.n;
  const x = k.scope((s) => {
    const p = copyTrain(s, t);
    const envOff = envOffsets(t.bondDims, t.born);
    const env = s.f64(envOff[n]! + 1);
    const eo = s.copyI32(envOff);
    if (t.born) f.tnEnvBorn(n, p.bond, p.cores, p.off, env, eo, s.bytes(f.tnMatWorkSize(p.rmax)));
    else f.tnEnvSum(n, p.bond, p.cores, p.off, env, eo);
    const out = s.u8(Math.max(1, m * n));
    const st = f.tnSample(
      n,
      p.bond,
      p.cores,
      p.off,
      t.born ? 1 : 0,
      env,
      eo,
      m,
      s.rng(seed, 0),
      out,
      s.bytes(f.tnVecWorkSize(p.rmax)),
      p.rmax,
    );
    checkStatus(st, "ttSample (a conditional with no positive mass)");
    return k.readU8(out, m * n);
  });
  const data = new Uint8Array(m * n);
  for (let j = 0; j < m; j++) for (let q = 0; q < n; q++) data[j * n + t.order[q]!] = x[j * n + q]!;
  return { T: m, n, data };
}

/**
 * The marginal distribution P̃(x_S) of a subset S of columns (|S| ≤ 24), as a
 * dense vector indexed by the columns in the order given (first listed = most
 * significant bit). Summed sites are contracted with Σ_b A[b] (P form) or with
 * Σ_b A[b] ⊗ A[b] (Born form, bond r²). Not renormalised.
 *
 * @param t - a train
 * @param columns - distinct column indices in [0, n)
 * @returns Float64Array(2^|S|)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a column out of range or |S| > 24; `ERR_INVALID_DATA` for a repeat
 * @example
 * ```ts
 * ttMarginal(tt, [0]); // [P(x_0 = 0), P(x_0 = 1)]
 * ```
 */
export function ttMarginal(t: TensorTrain, columns: ArrayLike<number>): Float64Array {
  checkTrain("t", t);
  if (!Array.isArray(columns) && !(columns instanceof Int32Array))
    throw new DgrnTypeError(message("columns", "an array of column indices", columns));
  const cols = Array.from(columns as ArrayLike<number>);
  checkInteger("columns.length", cols.length, { min: 1, max: DENSE_MAX_SITES });
  const n = t.n;
  const posOf = new Int32Array(n);
  for (let k = 0; k < n; k++) posOf[t.order[k]!] = k;
  const seen = new Set<number>();
  const pos = cols.map((c, i) => {
    checkInteger(`columns[${i}]`, c, { min: 0, max: n - 1 });
    if (seen.has(c))
      throw new DgrnRangeError(message("columns", "distinct column indices", `repeat of ${c}`), ErrorCode.INVALID_DATA);
    seen.add(c);
    return posOf[c]!;
  });
  const keep = new Uint8Array(n);
  for (const q of pos) keep[q] = 1;
  // per-site matrices of the P form: M_k[b] (r × r'), bond dims r (or r² for Born)
  const mats: { r: number; r1: number; m0: Float64Array; m1: Float64Array }[] = [];
  for (let k = 0; k < n; k++) {
    const r = t.bondDims[k]!;
    const r1 = t.bondDims[k + 1]!;
    const A = t.cores.subarray(t.offsets[k]!, t.offsets[k]! + r * 2 * r1);
    const get = (b: number) => {
      if (!t.born) {
        const m = new Float64Array(r * r1);
        for (let a = 0; a < r; a++) for (let c = 0; c < r1; c++) m[a * r1 + c] = A[(a * 2 + b) * r1 + c]!;
        return m;
      }
      const R = r * r;
      const R1 = r1 * r1;
      const m = new Float64Array(R * R1);
      for (let a = 0; a < r; a++)
        for (let a2 = 0; a2 < r; a2++)
          for (let c = 0; c < r1; c++) {
            const x = A[(a * 2 + b) * r1 + c]!;
            if (x === 0) continue;
            for (let c2 = 0; c2 < r1; c2++) m[(a * r + a2) * R1 + c * r1 + c2] = x * A[(a2 * 2 + b) * r1 + c2]!;
          }
      return m;
    };
    mats.push({ r: t.born ? r * r : r, r1: t.born ? r1 * r1 : r1, m0: get(0), m1: get(1) });
  }
  // fold: a pending left matrix L (1 × R) of summed sites, absorbed into the next kept core
  const kept: { r: number; r1: number; m0: Float64Array; m1: Float64Array }[] = [];
  let L: Float64Array | null = new Float64Array([1]);
  let Lr = 1;
  for (let k = 0; k < n; k++) {
    const M = mats[k]!;
    if (keep[k]) {
      const m0 = matmul(L!, Lr, M.r, M.m0, M.r1);
      const m1 = matmul(L!, Lr, M.r, M.m1, M.r1);
      kept.push({ r: Lr, r1: M.r1, m0, m1 });
      L = identity(M.r1);
      Lr = M.r1;
    } else {
      const sum = new Float64Array(M.m0.length);
      for (let i = 0; i < sum.length; i++) sum[i] = M.m0[i]! + M.m1[i]!;
      L = matmul(L!, Lr, M.r, sum, M.r1);
    }
  }
  // trailing summed sites: L is Lr × 1 now; fold into the last kept core
  const last = kept[kept.length - 1]!;
  last.m0 = matmul(last.m0, last.r, Lr, L!, 1);
  last.m1 = matmul(last.m1, last.r, Lr, L!, 1);
  last.r1 = 1;
  // pack as a P-form train over the kept sites (site order) and expand
  const ns = kept.length;
  const bond = new Int32Array(ns + 1);
  const list: Float64Array[] = [];
  kept.forEach((c, i) => {
    bond[i] = c.r;
    const core = new Float64Array(c.r * 2 * c.r1);
    for (let a = 0; a < c.r; a++)
      for (let j = 0; j < c.r1; j++) {
        core[a * 2 * c.r1 + j] = c.m0[a * c.r1 + j]!;
        core[(a * 2 + 1) * c.r1 + j] = c.m1[a * c.r1 + j]!;
      }
    list.push(core);
  });
  bond[ns] = 1;
  const { cores, offsets } = pack(list);
  const dense = denseRaw({ n: ns, bondDims: bond, cores, offsets });
  // kept sites are in ascending position; re-index to the order the columns were listed
  const sortedPos = pos.slice().sort((a, b) => a - b);
  const rank = pos.map((q) => sortedPos.indexOf(q)); // bit position (in site order) of listed column i
  const out = new Float64Array(dense.length);
  for (let idx = 0; idx < dense.length; idx++) {
    let j = 0;
    for (let i = 0; i < ns; i++) j = j * 2 + ((idx >> (ns - 1 - rank[i]!)) & 1);
    out[j] = dense[idx]!;
  }
  return out;
}

function identity(r: number): Float64Array {
  const m = new Float64Array(r * r);
  for (let i = 0; i < r; i++) m[i * r + i] = 1;
  return m;
}

/** (p × q) · (q × s), plain loops: the matrices here are bond-sized. */
function matmul(a: Float64Array, p: number, q: number, b: Float64Array, s: number): Float64Array {
  const out = new Float64Array(p * s);
  for (let i = 0; i < p; i++)
    for (let l = 0; l < q; l++) {
      const x = a[i * q + l]!;
      if (x === 0) continue;
      for (let j = 0; j < s; j++) out[i * s + j]! += x * b[l * s + j]!;
    }
  return out;
}

/** Summary of a train, as the CLI prints it. */
export interface TrainSummary {
  n: number;
  born: boolean;
  bondDims: number[];
  maxBondDim: number;
  params: number;
  fullSize: number;
  compression: number;
  relError: number;
  entanglement: number[];
  /** KL(P ‖ P̃) in nats vs the empirical distribution (n ≤ 24), else null. */
  kl: number | null;
  /** Total variation vs the empirical distribution (n ≤ 24), else null. */
  tv: number | null;
}

/**
 * Numbers that describe a train; with the states it was built from and
 * n ≤ 24, also the exact KL and total variation of P̃ (clipped at 0 and
 * renormalised) against the empirical distribution, by enumeration.
 *
 * @example
 * ```ts
 * ttSummary(tt, states).relError;
 * ```
 */
export function ttSummary(t: TensorTrain, states?: BinaryStates, opts?: { weights?: ArrayLike<number> }): TrainSummary {
  checkTrain("t", t);
  const o = checkOptions<{ weights: ArrayLike<number> }>("opts", opts, ["weights"]);
  let kl: number | null = null;
  let tv: number | null = null;
  if (states !== undefined && t.n <= DENSE_MAX_SITES) {
    const p = empiricalDense(states, { order: t.order, ...(o.weights ? { weights: o.weights } : {}) });
    const q = ttDense(t, { probability: true });
    kl = klDivergence(p, q);
    tv = totalVariation(p, q);
  }
  let mx = 0;
  for (const r of t.bondDims) mx = Math.max(mx, r);
  return {
    n: t.n,
    born: t.born,
    bondDims: Array.from(t.bondDims),
    maxBondDim: mx,
    params: t.params,
    fullSize: t.fullSize,
    compression: t.compression,
    relError: t.relError,
    entanglement: Array.from(t.entanglement),
    kl,
    tv,
  };
}
