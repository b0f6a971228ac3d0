/**
 * Tree Born machine along an RG flow, trained by maximum likelihood: the
 * analogue of the Born machine MPS (sdk/tn/born.ts) on the tree the flow
 * defines (Cheng, Wang, Xiang & Zhang, PRB 99, 155131 (2019) for binary
 * trees; here the nodes are k-ary). The leaves are the observed units
 * (physical dim 2); every group of an RG step with two or more members is
 * one node whose children are the members (a supernode's members merge in
 * one node); the last level's nodes merge in a root.
 *
 * ψ(x) = the contraction of the node tensors with the leaves fixed at x,
 * P̃(x) = ψ(x)²/Z. The stored machine is upward canonical (every node but
 * the root is an isometry from its children to its parent bond, the root is
 * normalised), so Z = 1. Training: sweeps over the tree's edges (a
 * depth-first tour, each edge twice, down and up); on edge (v, parent p) the
 * tensors are merged, M = A_v · A_p over bond v, the gradient of the mean NLL
 * on M is 2M/Z − (2/T) Σ_t Φ_t/ψ_t with Z = ‖M‖² (the tree is canonical
 * around the edge), a line-searched step is taken, and M is split by SVD
 * (rows = v's children, columns = p's other legs) truncated to the bond cap χ
 * and a cutoff; the orthogonality centre moves to the next node of the tour.
 *
 * **Node cap** (ours): a node with k children of bond χ and a parent bond χ
 * holds 2^(leaves) · χ^(k_internal) · χ entries, and the merged tensor of an
 * edge about the square of that. A node's size is capped at 2^maxNodeBits
 * entries, counted with every internal bond at the largest cap χ. A group
 * whose members do not fit is split into consecutive runs that fit, each run
 * one k-ary node, and the run nodes merge again under the same rule (so a
 * group of 45 leaves at maxNodeBits 8, χ = 4, becomes 8 nodes of ≤ 6 leaves,
 * then 3 nodes of ≤ 3 children, then one node). Groups that fit (every group
 * of the 4×4 Ising plaquette flow) are exactly one node.
 *
 * @module
 */
import type { BinaryStates, RGFlow } from "../types.js";
import { getKernel } from "../kernel/init.js";
import { svd } from "../linalg/svd.js";
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkInteger, checkOptions, checkSeed, message } from "../validate.js";
import { checkNonEmptyStates } from "../io/check.js";
import { checkFlow } from "../lrg/flow.js";
import { log } from "../math.js";
import { randomUniform } from "../random/index.js";
import { ascendMerged, resolveTraining, type BornExports, type TrainingOptions } from "./born.js";
import type { KernelExports } from "../kernel/exports.generated.js";

const LN2 = 0.6931471805599453;

/** Kernel exports of assembly/tn/bornTree.ts. */
export type BornTreeExports = Pick<KernelExports, "bornTreeWorkSize" | "bornTreeEnv" | "bornTreeAmp" | "bornTreeGrad">;

/** The shape of a tree Born machine (fixed by the flow and the node cap). */
export interface BornTreeShape {
  /** Number of leaves (observed units). */
  readonly n: number;
  /** Per node (post-order: children before parents; the root is last): its leaf children (column indices). */
  readonly leaves: readonly Int32Array[];
  /** Per node: its internal children (node ids). */
  readonly kids: readonly Int32Array[];
  /** Per node: its parent (−1 for the root). */
  readonly parent: Int32Array;
  /** Per node: the RG level whose group it stands for (1…, or steps + 1 for the root; a run node of a split group has its group's level). */
  readonly level: Int32Array;
  /** The cap used: node size ≤ 2^maxNodeBits at bond χ = capBond. */
  readonly maxNodeBits: number;
  readonly capBond: number;
  /** Groups of two or more members that had to be split into runs to fit the cap. */
  readonly splitGroups: number;
}

/** Options of {@link bornTree}. */
export interface BornTreeOptions {
  /** Bond cap χ (≥ 1). Default 4. */
  maxBond?: number;
  /** Node cap: a node holds at most 2^maxNodeBits entries at bond χ = the tree's capBond. Default {@link defaultNodeBits}(χ). */
  maxNodeBits?: number;
  /** Relative singular-value cutoff. Default 1e-8. */
  cutoff?: number;
  /** Largest number of sweeps (one sweep = the tour of every edge down and up). Default 8. */
  sweeps?: number;
  /** Gradient steps per merged tensor. Default 2. */
  steps?: number;
  /** Validation states: keep the sweep with the best validation NLL (early stopping). */
  validation?: BinaryStates;
  /** Sweeps without validation improvement before stopping. Default 1. */
  patience?: number;
  /** Start from this machine (same shape), e.g. a smaller cap's result. Default: the product of smoothed marginals. */
  init?: BornTree;
  /** The bond the shape is built for when no init is given (the largest cap a fit will try). Default maxBond. */
  capBond?: number;
  /** Progress: fraction 0…1, message. */
  onProgress?: (fraction: number, message: string) => void;
}

/** One sweep's record. */
export interface BornTreeSweep {
  sweep: number;
  train: number;
  validation: number | null;
  maxBondDim: number;
}

/** A trained tree Born machine (upward canonical, Z = 1). */
export interface BornTree {
  readonly kind: "bornTree";
  readonly n: number;
  readonly shape: BornTreeShape;
  /** Per node: the tensor, legs [leaf children (one index, first leaf most significant), internal children, parent bond]. */
  readonly tensors: readonly Float64Array[];
  /** Per node: its parent bond (1 at the root). */
  readonly bondDims: Int32Array;
  /** Σ over nodes of the tensor sizes. */
  readonly params: number;
  readonly maxBond: number;
  readonly sweeps: number;
  readonly history: BornTreeSweep[];
}

function checkTree(name: string, value: unknown): BornTree {
  const b = value as BornTree;
  if (b === null || typeof b !== "object" || b.kind !== "bornTree")
    throw new DgrnTypeError(message(name, "a BornTree (from bornTree)", value));
  return b;
}

/**
 * The tree of a flow over n leaves under the node cap.
 *
 * @param flow - an RGFlow over n level-0 nodes (checked with checkFlow)
 * @param n - number of leaves
 * @param opts - `maxBond` χ the cap is counted at (4), `maxNodeBits` (default {@link defaultNodeBits}(χ): 3 at χ = 2, 6 at χ = 4)
 * @returns the shape (post-order nodes, root last)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when maxNodeBits < 3·⌈log₂ χ⌉ (two children and a parent must fit)
 * @example
 * ```ts
 * const shape = bornTreeShape(flow, flow.n0, { maxBond: 4 });
 * shape.kids.length; // nodes
 * ```
 */
export function bornTreeShape(
  flow: RGFlow,
  n: number,
  opts: { maxBond?: number; maxNodeBits?: number } = {},
): BornTreeShape {
  checkFlow("flow", flow, n);
  const chi = opts.maxBond === undefined ? 4 : checkInteger("opts.maxBond", opts.maxBond, { min: 1, max: 256 });
  const bits =
    opts.maxNodeBits === undefined
      ? defaultNodeBits(chi)
      : checkInteger("opts.maxNodeBits", opts.maxNodeBits, { min: 2, max: 20 });
  const cap = 2 ** bits;
  if (chi * chi * chi > cap)
    throw new DgrnRangeError(
      message(
        "opts.maxNodeBits",
        `large enough for two children and a parent: 2^maxNodeBits ≥ χ³ = ${chi * chi * chi}`,
        bits,
      ),
      ErrorCode.OUT_OF_RANGE,
    );
  const leaves: Int32Array[] = [];
  const kids: Int32Array[] = [];
  const parentL: number[] = [];
  const level: number[] = [];
  let splitGroups = 0;
  // an item is a leaf (−1 − i) or a node id
  const dim = (it: number) => (it < 0 ? 2 : chi);
  const makeNode = (items: number[], lev: number): number => {
    const id = leaves.length;
    leaves.push(Int32Array.from(items.filter((i) => i < 0).map((i) => -1 - i)));
    kids.push(Int32Array.from(items.filter((i) => i >= 0)));
    parentL.push(-1);
    level.push(lev);
    for (const c of items) if (c >= 0) parentL[c] = id;
    return id;
  };
  const merge = (items: number[], lev: number, isRoot: boolean): number => {
    let cur = items;
    for (;;) {
      const budget = isRoot ? cap : cap / chi;
      let size = 1;
      for (const it of cur) size *= dim(it);
      if (size <= budget || cur.length <= 1) return cur.length === 1 && cur[0]! >= 0 ? cur[0]! : makeNode(cur, lev);
      // consecutive runs that fit with their parent bond
      const next: number[] = [];
      let run: number[] = [];
      let rs = 1;
      for (const it of cur) {
        if (run.length > 0 && rs * dim(it) > cap / chi) {
          next.push(run.length === 1 ? run[0]! : makeNode(run, lev));
          run = [];
          rs = 1;
        }
        run.push(it);
        rs *= dim(it);
      }
      if (run.length > 0) next.push(run.length === 1 ? run[0]! : makeNode(run, lev));
      cur = next;
    }
  };
  let items: number[] = Array.from({ length: n }, (_, i) => -1 - i);
  flow.steps.forEach((st, s) => {
    const next: number[] = [];
    for (const g of st.groups) {
      const members = g.map((j) => items[j]!);
      if (members.length === 1) next.push(members[0]!);
      else {
        let size = 1;
        for (const it of members) size *= dim(it);
        if (size > cap / chi) splitGroups++;
        next.push(merge(members, s + 1, false));
      }
    }
    items = next;
  });
  if (items.length > 1 || items[0]! < 0) merge(items, flow.steps.length + 1, true);
  else if (items.length === 1 && leaves.length === 0) makeNode(items, flow.steps.length + 1);
  // the root is the last node made (every merge's result is the newest node)
  return {
    n,
    leaves,
    kids,
    parent: Int32Array.from(parentL),
    level: Int32Array.from(level),
    maxNodeBits: bits,
    capBond: chi,
    splitGroups,
  };
}

/**
 * Default node cap: the smallest b ≥ 3 with χ³ ≤ 2^b (two children and a parent
 * at the largest bond): 3 at χ = 2 (leaf nodes of 2 units, binary internal
 * nodes), 6 at χ = 4 (leaf nodes of ≤ 4 units). Smaller nodes generalise
 * better on the default data (docs/tn.md: 95.0 / 95.3 / 99.0 / 110.2 bits at
 * 3 / 4 / 5… bits; ours).
 */
export function defaultNodeBits(chi: number): number {
  let b = 3;
  while (2 ** b < chi * chi * chi) b++;
  return b;
}

/** Size of node v's tensor for the given parent-bond dims. */
function nodeSize(shape: BornTreeShape, r: Int32Array, v: number): number {
  let s = (1 << shape.leaves[v]!.length) * r[v]!;
  for (const c of shape.kids[v]!) s *= r[c]!;
  return s;
}

function paramsOf(shape: BornTreeShape, r: Int32Array): number {
  let p = 0;
  for (let v = 0; v < r.length; v++) p += nodeSize(shape, r, v);
  return p;
}

/** Permute a row-major tensor: out legs = dims[perm[0]], dims[perm[1]], …. */
function permute(data: Float64Array, dims: number[], perm: number[]): Float64Array {
  const q = dims.length;
  const stride = new Array<number>(q);
  let s = 1;
  for (let k = q - 1; k >= 0; k--) {
    stride[k] = s;
    s *= dims[k]!;
  }
  const od = perm.map((p) => dims[p]!);
  const os = perm.map((p) => stride[p]!);
  const out = new Float64Array(data.length);
  const idx = new Array<number>(q).fill(0);
  let src = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[src]!;
    for (let k = q - 1; k >= 0; k--) {
      idx[k]!++;
      src += os[k]!;
      if (idx[k]! < od[k]!) break;
      src -= os[k]! * od[k]!;
      idx[k] = 0;
    }
  }
  return out;
}

/** Smoothed marginals (KT ½), as in the MPS. */
function marginals(st: BinaryStates): Float64Array {
  const { T, n, data } = st;
  const c = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) c[k] = c[k]! + data[t * n + k]!;
  for (let k = 0; k < n; k++) c[k] = (c[k]! + 0.5) / (T + 1);
  return c;
}

/**
 * The product of smoothed marginals as a tree Born machine on `shape` (the
 * start of training). With `bond` 2 the internal bonds are padded to 2 with a
 * second isometry column (the first leaf flipped to the orthogonal amplitude,
 * or the first child's second component) that carries no weight, so P̃ is
 * still the product, but every merged tensor has room to grow: with all bonds
 * at 1 a node without leaves would be a rank-1 bottleneck forever (ours).
 *
 * @param states - T × n states (marginals with a KT ½ pseudocount)
 * @param shape - from {@link bornTreeShape}
 * @param opts - `bond` 1 or 2 (default 1)
 * @returns a normalised upward-canonical tree with P̃ = the product model
 * @example
 * ```ts
 * const t0 = bornTreeProduct(train, bornTreeShape(flow, train.n));
 * ```
 */
export function bornTreeProduct(states: BinaryStates, shape: BornTreeShape, opts?: { bond?: number }): BornTree {
  const st = checkNonEmptyStates("states", states);
  if (st.n !== shape.n) throw new DgrnShapeError(message("states.n", `the shape's n = ${shape.n}`, st.n));
  const bond = opts?.bond === undefined ? 1 : checkInteger("opts.bond", opts.bond, { min: 1, max: 2 });
  const p = marginals(st);
  const m = shape.parent.length;
  const r = new Int32Array(m).fill(1);
  const tensors: Float64Array[] = [];
  for (let v = 0; v < m; v++) {
    const lv = shape.leaves[v]!;
    const kv = shape.kids[v]!;
    const L = lv.length;
    let K = 1;
    for (const c of kv) K *= r[c]!;
    const rv = v === m - 1 ? 1 : Math.min(bond, (1 << L) * K);
    r[v] = rv;
    const a = new Float64Array((1 << L) * K * rv);
    for (let l = 0; l < 1 << L; l++) {
      let x = 1;
      let y = 1;
      for (let i = 0; i < L; i++) {
        const bit = (l >> (L - 1 - i)) & 1;
        const q = p[lv[i]!]!;
        const amp = Math.sqrt(bit ? q : 1 - q);
        x *= amp;
        // the first leaf's orthogonal amplitude (−√q, √(1−q))
        y *= i === 0 ? (bit ? Math.sqrt(1 - q) : -Math.sqrt(q)) : amp;
      }
      a[l * K * rv] = x;
      if (rv > 1 && L > 0) a[l * K * rv + 1] = y;
    }
    if (rv > 1 && L === 0) a[(K / r[kv[0]!]!) * rv + 1] = 1;
    tensors.push(a);
  }
  return finish(shape, tensors, r, bond, 0, []);
}

function finish(
  shape: BornTreeShape,
  tensors: Float64Array[],
  r: Int32Array,
  maxBond: number,
  sweeps: number,
  history: BornTreeSweep[],
): BornTree {
  return {
    kind: "bornTree",
    n: shape.n,
    shape,
    tensors,
    bondDims: r,
    params: paramsOf(shape, r),
    maxBond,
    sweeps,
    history,
  };
}

/** Site-major columns of states: col i at i·T. */
function siteMajor(st: BinaryStates): Uint8Array {
  const { T, n, data } = st;
  const out = new Uint8Array(T * n);
  for (let t = 0; t < T; t++) {
    const row = t * n;
    for (let k = 0; k < n; k++) out[k * T + t] = data[row + k]!;
  }
  return out;
}

/** Upward envs of every node for T states in kernel memory; returns root value / log-scale readers. */
function upwardLog(tree: BornTree, st: BinaryStates): Float64Array {
  const ker = getKernel();
  const f = ker.fn<BornTreeExports>();
  const { shape } = tree;
  const m = shape.parent.length;
  const out = new Float64Array(st.T);
  const CH = 2048;
  let S = 1;
  for (const x of tree.bondDims) S = Math.max(S, x);
  let Dmax = 1;
  for (let v = 0; v < m; v++) Dmax = Math.max(Dmax, nodeSize(shape, tree.bondDims, v) >> shape.leaves[v]!.length);
  for (let t0 = 0; t0 < st.T; t0 += CH) {
    const T = Math.min(CH, st.T - t0);
    const part: BinaryStates = { T, n: st.n, data: st.data.subarray(t0 * st.n, (t0 + T) * st.n) };
    ker.scope((sc) => {
      const xs = sc.copyU8(siteMajor(part));
      const env = sc.f64(m * T * S);
      const ls = sc.f64(m * T);
      const work = sc.bytes(f.bornTreeWorkSize(Dmax));
      const tens = tree.tensors.map((a) => sc.copyF64(a));
      const envAt = (v: number) => env + v * T * S * 8;
      const lsAt = (v: number) => ls + v * T * 8;
      for (let v = 0; v < m; v++) {
        const lv = shape.leaves[v]!;
        const kv = shape.kids[v]!;
        const q = kv.length + 1;
        const cols = sc.copyI32(Array.from(lv, (i) => xs + i * T));
        const dims = sc.copyI32([...Array.from(kv, (c) => tree.bondDims[c]!), tree.bondDims[v]!]);
        const envs = sc.copyI32([...Array.from(kv, (c) => envAt(c)), envAt(v)]);
        const lss = sc.copyI32([...Array.from(kv, (c) => lsAt(c)), lsAt(v)]);
        f.bornTreeEnv(T, lv.length, cols, q, dims, envs, lss, S, tens[v]!, q - 1, envAt(v), lsAt(v), work);
      }
      const root = m - 1;
      const e = ker.f64(envAt(root), T * S);
      const l = ker.f64(lsAt(root), T);
      for (let t = 0; t < T; t++) {
        const y = e[t * S]!;
        out[t0 + t] = l[t]! > -Infinity ? (2 * l[t]! + log(y * y)) / LN2 : -Infinity;
      }
    });
  }
  return out;
}

/**
 * log₂ P̃(x) of each row, exact (Z = 1).
 *
 * @param tree - a tree Born machine
 * @param states - m × n binary states
 * @returns Float64Array(m)
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when states.n ≠ tree.n
 * @example
 * ```ts
 * const lp = bornTreeLogProb(tree, test);
 * ```
 */
export function bornTreeLogProb(tree: BornTree, states: BinaryStates): Float64Array {
  checkTree("tree", tree);
  const st = checkNonEmptyStates("states", states);
  if (st.n !== tree.n) throw new DgrnShapeError(message("states.n", `the machine's n = ${tree.n}`, st.n));
  return upwardLog(tree, st);
}

/** Split a rows × cols matrix by SVD truncated to cap / cutoff: [U (rows × r), W (r × cols)], s·Vᵀ normalised into U (centre on U) or W. */
function splitSvd(
  M: Float64Array,
  rows: number,
  cols: number,
  cap: number,
  cutoff: number,
  centreOnU: boolean,
): { U: Float64Array; W: Float64Array; r: number } {
  const dec = svd({ rows, cols, data: M });
  const s = dec.s;
  const kk = s.length;
  let r = 0;
  const s0 = s[0]!;
  while (r < kk && r < cap && s[r]! > cutoff * s0) r++;
  r = Math.max(1, r);
  let q = 0;
  for (let i = 0; i < r; i++) q += s[i]! * s[i]!;
  const inv = q > 0 ? 1 / Math.sqrt(q) : 1;
  const Ud = dec.u!.data;
  const Vd = dec.v!.data;
  const U = new Float64Array(rows * r);
  const W = new Float64Array(r * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < r; j++) U[i * r + j] = Ud[i * kk + j]! * (centreOnU ? s[j]! * inv : 1);
  for (let j = 0; j < r; j++)
    for (let c = 0; c < cols; c++) W[j * cols + c] = Vd[c * kk + j]! * (centreOnU ? 1 : s[j]! * inv);
  return { U, W, r };
}

interface EdgeLayout {
  /** M0 = A_v · A_p′ as a matrix rows × cols. */
  rows: number;
  cols: number;
  /** dims of M0's legs [Lv, kv…, Lp, kp′…, γ] and the permutation to the kernel layout [Lv, Lp, kv…, kp′…, γ]. */
  m0Dims: number[];
  toKernel: number[];
  fromKernel: number[];
  /** A_p legs [Lp, kp…, γ] → A_p′ [v, Lp, kp′…, γ]. */
  pDims: number[];
  pToPrime: number[];
  pFromPrime: number[];
  /** Kernel leaf columns and bond legs (node ids whose up env, and −1 − p for p's down env). */
  leafCols: number[];
  bondLegs: number[];
  bondDims: number[];
}

function edgeLayout(shape: BornTreeShape, r: Int32Array, v: number): EdgeLayout {
  const p = shape.parent[v]!;
  const lv = shape.leaves[v]!;
  const kv = Array.from(shape.kids[v]!);
  const lp = shape.leaves[p]!;
  const kpAll = Array.from(shape.kids[p]!);
  const j = kpAll.indexOf(v);
  const kp = kpAll.filter((c) => c !== v);
  const rowsD = [1 << lv.length, ...kv.map((c) => r[c]!)];
  const colsD = [1 << lp.length, ...kp.map((c) => r[c]!), r[p]!];
  const rows = rowsD.reduce((a, b) => a * b, 1);
  const cols = colsD.reduce((a, b) => a * b, 1);
  const a = kv.length;
  const b = kp.length;
  const toKernel = [0, a + 1, ...kv.map((_, i) => 1 + i), ...kp.map((_, i) => a + 2 + i), a + b + 2];
  const fromKernel = new Array<number>(toKernel.length);
  toKernel.forEach((src, dst) => (fromKernel[src] = dst));
  const pDims = [1 << lp.length, ...kpAll.map((c) => r[c]!), r[p]!];
  // A_p legs: 0 = Lp, 1 + i = kid i, last = γ; prime: [v(1+j), Lp(0), others…, γ]
  const pToPrime = [1 + j, 0, ...kpAll.map((_, i) => 1 + i).filter((x) => x !== 1 + j), kpAll.length + 1];
  const pFromPrime = new Array<number>(pToPrime.length);
  pToPrime.forEach((src, dst) => (pFromPrime[src] = dst));
  return {
    rows,
    cols,
    m0Dims: [...rowsD, ...colsD],
    toKernel,
    fromKernel,
    pDims,
    pToPrime,
    pFromPrime,
    leafCols: [...Array.from(lv), ...Array.from(lp)],
    bondLegs: [...kv, ...kp, -1 - p],
    bondDims: [...kv.map((c) => r[c]!), ...kp.map((c) => r[c]!), r[p]!],
  };
}

/** M0 = A_v (rows × r_v) · A_p′ (r_v × cols). */
function mergeEdge(shape: BornTreeShape, tensors: Float64Array[], r: Int32Array, v: number, lay: EdgeLayout) {
  const p = shape.parent[v]!;
  const Ap = permute(tensors[p]!, lay.pDims, lay.pToPrime);
  const rv = r[v]!;
  const Av = tensors[v]!;
  const { rows, cols } = lay;
  const M0 = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let b = 0; b < rv; b++) {
      const c = Av[i * rv + b]!;
      if (c === 0) continue;
      const src = b * cols;
      const dst = i * cols;
      for (let k = 0; k < cols; k++) M0[dst + k] = M0[dst + k]! + c * Ap[src + k]!;
    }
  return M0;
}

interface Resolved extends TrainingOptions {
  maxNodeBits: number | undefined;
  capBond: number;
  init: BornTree | undefined;
}

function resolve(opts: unknown, n: number): Resolved {
  const o = checkOptions<BornTreeOptions>("opts", opts, [
    "maxBond",
    "maxNodeBits",
    "cutoff",
    "sweeps",
    "steps",
    "validation",
    "patience",
    "init",
    "capBond",
    "onProgress",
  ]);
  const training = resolveTraining(o, n);
  let init: BornTree | undefined;
  if (o.init !== undefined) {
    init = checkTree("opts.init", o.init);
    if (init.n !== n) throw new DgrnShapeError(message("opts.init.n", `${n}`, init.n));
  }
  return {
    ...training,
    maxNodeBits: o.maxNodeBits === undefined ? 8 : checkInteger("opts.maxNodeBits", o.maxNodeBits, { min: 2, max: 20 }),
    capBond: o.capBond === undefined ? training.maxBond : checkInteger("opts.capBond", o.capBond, { min: 1, max: 256 }),
    init,
  };
}

/** Kernel-side training state shared by the trainer and the gradient check. */
class Engine {
  readonly ker = getKernel();
  readonly f = this.ker.fn<BornTreeExports & BornExports>();
  readonly up: number;
  readonly down: number;
  readonly lsUp: number;
  readonly lsDown: number;
  readonly xs: number;
  readonly Mp: number;
  readonly Gp: number;
  readonly psi: number;
  readonly gpsi: number;
  readonly work: number;
  readonly scratchA: number;
  constructor(
    readonly sc: {
      f64(n: number): number;
      bytes(n: number): number;
      copyU8(a: ArrayLike<number>): number;
      copyI32(a: ArrayLike<number>): number;
    },
    readonly shape: BornTreeShape,
    readonly T: number,
    readonly S: number,
    Mmax: number,
    xsHost: Uint8Array,
  ) {
    const m = shape.parent.length;
    this.xs = sc.copyU8(xsHost);
    this.up = sc.f64(m * T * S);
    this.down = sc.f64(m * T * S);
    this.lsUp = sc.f64(m * T);
    this.lsDown = sc.f64(m * T);
    this.Mp = sc.f64(Mmax);
    this.Gp = sc.f64(Mmax);
    this.scratchA = sc.f64(Mmax);
    this.psi = sc.f64(T);
    this.gpsi = sc.f64(T);
    this.work = sc.bytes(this.f.bornTreeWorkSize(Mmax));
    // the root's down env is [1], scale 0
    const root = m - 1;
    const d = this.ker.f64(this.downAt(root), T * S);
    for (let t = 0; t < T; t++) d[t * S] = 1;
    this.ker.f64(this.lsDown + root * T * 8, T).fill(0);
  }
  upAt(v: number): number {
    return this.up + v * this.T * this.S * 8;
  }
  downAt(v: number): number {
    return this.down + v * this.T * this.S * 8;
  }
  lsUpAt(v: number): number {
    return this.lsUp + v * this.T * 8;
  }
  lsDownAt(v: number): number {
    return this.lsDown + v * this.T * 8;
  }
  /** Pointer arrays for a list of leaf columns and bond legs (node id: up env; −1 − p: p's down env). */
  legs(leafCols: number[], bondLegs: number[], dims: number[]) {
    const { sc, T } = this;
    return {
      L: leafCols.length,
      cols: sc.copyI32(leafCols.map((i) => this.xs + i * T)),
      q: bondLegs.length,
      dims: sc.copyI32(dims),
      envs: sc.copyI32(bondLegs.map((b) => (b >= 0 ? this.upAt(b) : this.downAt(-1 - b)))),
      lss: sc.copyI32(bondLegs.map((b) => (b >= 0 ? this.lsUpAt(b) : this.lsDownAt(-1 - b)))),
    };
  }
  /**
   * The environment of one leg of a node's tensor, from the environments of its
   * other legs: the tensor with the given leaves and bond legs, contracted over
   * every leg but `free`, into (out, lsOut).
   */
  private envInto(
    tensor: Float64Array,
    leaves: number[],
    legs: number[],
    dims: number[],
    free: number,
    out: number,
    lsOut: number,
  ): void {
    const g = this.legs(leaves, legs, dims);
    this.ker.f64(this.scratchA, tensor.length).set(tensor);
    this.f.bornTreeEnv(
      this.T,
      g.L,
      g.cols,
      g.q,
      g.dims,
      g.envs,
      g.lss,
      this.S,
      this.scratchA,
      free,
      out,
      lsOut,
      this.work,
    );
  }
  /** Up env of node v from its tensor. */
  upEnv(tensors: Float64Array[], r: Int32Array, v: number): void {
    const kv = Array.from(this.shape.kids[v]!);
    const legs = [...kv, v];
    this.envInto(
      tensors[v]!,
      Array.from(this.shape.leaves[v]!),
      legs,
      [...kv.map((c) => r[c]!), r[v]!],
      legs.length - 1,
      this.upAt(v),
      this.lsUpAt(v),
    );
  }
  /** Down env of internal child c of p from p's tensor. */
  downEnv(tensors: Float64Array[], r: Int32Array, c: number): void {
    const p = this.shape.parent[c]!;
    const kp = Array.from(this.shape.kids[p]!);
    this.envInto(
      tensors[p]!,
      Array.from(this.shape.leaves[p]!),
      [...kp, -1 - p],
      [...kp.map((k) => r[k]!), r[p]!],
      kp.indexOf(c),
      this.downAt(c),
      this.lsDownAt(c),
    );
  }
}

/**
 * Train a tree Born machine on binary states by maximum likelihood along an RG flow.
 *
 * @param states - T × n training states
 * @param flow - an RGFlow over the n columns (its groups give the k-ary nodes)
 * @param opts - `maxBond` (4), `maxNodeBits` (8), `cutoff` (1e-8), `sweeps` (8), `steps` (2), `validation`, `patience` (1), `init`, `capBond`, `onProgress`
 * @returns the machine (upward canonical, Z = 1), its bond dims, params and per-sweep history
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for malformed states, flow or options
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the flow, validation or init has another n
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for an option out of range
 * @example
 * ```ts
 * const tree = bornTree(train, flow, { maxBond: 4, validation: val });
 * const nll = -bornTreeLogProb(tree, test).reduce((a, b) => a + b, 0) / test.T;
 * ```
 */
export function bornTree(states: BinaryStates, flow: RGFlow, opts?: BornTreeOptions): BornTree {
  const st = checkNonEmptyStates("states", states);
  const o = resolve(opts, st.n);
  const shape =
    o.init?.shape ??
    bornTreeShape(flow, st.n, {
      maxBond: Math.max(o.capBond, o.maxBond),
      ...(o.maxNodeBits !== undefined ? { maxNodeBits: o.maxNodeBits } : {}),
    });
  if (o.init) checkFlow("flow", flow, st.n);
  const start = o.init ?? bornTreeProduct(st, shape, { bond: Math.min(2, o.maxBond) });
  const tensors: Float64Array[] = start.tensors.map((a) => a.slice());
  const r = start.bondDims.slice();
  const m = shape.parent.length;
  const history: BornTreeSweep[] = [];
  const nllOf = (t: BornTree, x: BinaryStates) => {
    const v = upwardLog(t, x);
    let s = 0;
    for (const y of v) s += y;
    return -s / x.T;
  };
  let best = finish(
    shape,
    tensors.map((a) => a.slice()),
    r.slice(),
    o.maxBond,
    0,
    [],
  );
  let bestVal = o.validation ? nllOf(best, o.validation) : Infinity;
  let bestSweep = 0;
  if (!o.init)
    history.push({ sweep: 0, train: nllOf(best, st), validation: o.validation ? bestVal : null, maxBondDim: 1 });
  if (o.sweeps === 0) return finish(shape, best.tensors as Float64Array[], best.bondDims, o.maxBond, 0, history);
  const T = st.T;
  const chi = Math.max(o.maxBond, ...Array.from(r));
  // largest merged tensor at bond χ
  const rc = new Int32Array(m).fill(chi);
  rc[m - 1] = 1;
  let Mmax = 1;
  for (let v = 0; v < m - 1; v++) {
    const p = shape.parent[v]!;
    Mmax = Math.max(Mmax, (nodeSize(shape, rc, v) / chi) * (nodeSize(shape, rc, p) / chi));
  }
  for (let v = 0; v < m; v++) Mmax = Math.max(Mmax, nodeSize(shape, rc, v), tensors[v]!.length);
  Mmax = Math.max(Mmax, 4);
  const xsHost = siteMajor(st);
  const ker = getKernel();
  let since = 0;
  ker.scope((sc) => {
    const E = new Engine(sc, shape, T, chi, Mmax, xsHost);
    const f = E.f;
    for (let v = 0; v < m - 1; v++) E.upEnv(tensors, r, v);
    /** Optimise M (kernel layout) in place; amp/grad via the given legs. */
    const optimise = (M: Float64Array, g: ReturnType<Engine["legs"]>): void => {
      const sz = M.length;
      const amp = (ptr: number, out: number) =>
        f.bornTreeAmp(T, g.L, g.cols, g.q, g.dims, g.envs, chi, ptr, out, E.work);
      ker.f64(E.Mp, sz).set(M);
      amp(E.Mp, E.psi);
      const ll = f.bornLineLogSum(T, E.psi, E.psi, 0);
      ascendMerged(M, ll, o.steps, {
        k: ker,
        T,
        psi: E.psi,
        gpsi: E.gpsi,
        Gp: E.Gp,
        grad: () => f.bornTreeGrad(T, g.L, g.cols, g.q, g.dims, g.envs, chi, E.psi, E.Gp, E.work),
        ampG: () => amp(E.Gp, E.gpsi),
        lineLogSum: (eta) => f.bornLineLogSum(T, E.psi, E.gpsi, eta),
      });
    };
    /** Edge (v, parent): merge, optimise, split; centre to v (down) or to the parent (up). */
    const edge = (v: number, downward: boolean): void => {
      const p = shape.parent[v]!;
      const lay = edgeLayout(shape, r, v);
      const M0 = mergeEdge(shape, tensors, r, v, lay);
      const Mk = permute(M0, lay.m0Dims, lay.toKernel);
      optimise(Mk, E.legs(lay.leafCols, lay.bondLegs, lay.bondDims));
      const kdims = lay.toKernel.map((i) => lay.m0Dims[i]!);
      const back = permute(Mk, kdims, lay.fromKernel);
      const { U, W, r: nr } = splitSvd(back, lay.rows, lay.cols, o.maxBond, o.cutoff, downward);
      r[v] = nr;
      tensors[v] = U;
      const pd = lay.pDims.slice();
      pd[1 + Array.from(shape.kids[p]!).indexOf(v)] = nr;
      const primeDims = lay.pToPrime.map((i) => pd[i]!);
      tensors[p] = permute(W, primeDims, lay.pFromPrime);
      if (downward) E.downEnv(tensors, r, v);
      else E.upEnv(tensors, r, v);
    };
    const root = m - 1;
    const edges = m - 1;
    const total = o.sweeps;
    let done = 0;
    const tick = (sw: number) => {
      done++;
      if (o.onProgress && (done & 31) === 0)
        o.onProgress(
          (sw - 1 + done / Math.max(1, 2 * edges)) / total,
          `sweep ${sw} of ${total}: edge ${done} of ${2 * edges}`,
        );
    };
    const visit = (p: number, sw: number): void => {
      for (const v of shape.kids[p]!) {
        edge(v, true);
        tick(sw);
        visit(v, sw);
        edge(v, false);
        tick(sw);
      }
    };
    for (let sw = 1; sw <= o.sweeps; sw++) {
      done = 0;
      if (edges === 0) {
        // a single node: optimise the root tensor on its own
        const g = E.legs(Array.from(shape.leaves[root]!), [-1 - root], [1]);
        const M = tensors[root]!.slice();
        optimise(M, g);
        tensors[root] = M;
      } else visit(root, sw);
      const cur = finish(
        shape,
        tensors.map((a) => a.slice()),
        r.slice(),
        o.maxBond,
        sw,
        [],
      );
      const v = o.validation ? nllOf(cur, o.validation) : NaN;
      history.push({
        sweep: sw,
        train: nllOf(cur, st),
        validation: o.validation ? v : null,
        maxBondDim: Math.max(...Array.from(r)),
      });
      o.onProgress?.(
        sw / total,
        `sweep ${sw} of ${total}${o.validation ? `: validation NLL ${v.toFixed(2)} bits` : ""}`,
      );
      if (!o.validation || v < bestVal) {
        best = cur;
        bestVal = v;
        bestSweep = sw;
        since = 0;
      } else if (++since >= o.patience) break;
    }
  });
  return finish(shape, best.tensors as Float64Array[], best.bondDims, o.maxBond, bestSweep, history);
}

/**
 * NLL (nats) and its gradient on the merged tensor of edge (v, root) — the
 * tree is canonical around every edge at the root — exposed for the
 * finite-difference test; `withMerged(M)` puts a merged tensor back (exact
 * SVD split, no truncation), so a test can evaluate any M by enumeration.
 *
 * @param states - T × n states
 * @param tree - an upward-canonical tree Born machine
 * @param v - a child node of the root
 * @returns M in the kernel layout [leaves of v, leaves of root, v's kids, root's other kids, γ], the NLL and ∇ = 2M/Z − 2·mean Φ_t/ψ_t
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when v is not a child of the root
 * @example
 * ```ts
 * const { merged, grad } = bornTreeMergedGradient(states, tree, tree.shape.kids.at(-1)![0]);
 * ```
 */
export function bornTreeMergedGradient(
  states: BinaryStates,
  tree: BornTree,
  v: number,
): { merged: Float64Array; nll: number; grad: Float64Array; withMerged(M: Float64Array): BornTree } {
  checkTree("tree", tree);
  const st = checkNonEmptyStates("states", states);
  const { shape } = tree;
  const m = shape.parent.length;
  if (!(Number.isInteger(v) && v >= 0 && v < m - 1 && shape.parent[v] === m - 1))
    throw new DgrnRangeError(message("v", "a child node of the root", v), ErrorCode.OUT_OF_RANGE);
  const tensors: Float64Array[] = tree.tensors.map((a) => a.slice());
  const r = tree.bondDims.slice();
  const lay = edgeLayout(shape, r, v);
  const Mk = permute(mergeEdge(shape, tensors, r, v, lay), lay.m0Dims, lay.toKernel);
  const T = st.T;
  let S = 1;
  for (const x of r) S = Math.max(S, x);
  const ker = getKernel();
  const res = ker.scope((sc) => {
    const E = new Engine(sc, shape, T, S, Math.max(Mk.length, ...tensors.map((a) => a.length)), siteMajor(st));
    for (let u = 0; u < m - 1; u++) E.upEnv(tensors, r, u);
    const g = E.legs(lay.leafCols, lay.bondLegs, lay.bondDims);
    ker.f64(E.Mp, Mk.length).set(Mk);
    E.f.bornTreeAmp(T, g.L, g.cols, g.q, g.dims, g.envs, S, E.Mp, E.psi, E.work);
    // Σ ln ψ_t² of the unnormalised envs: amplitudes of normalised envs + 2 Σ (log-scales of the legs)
    let ll = E.f.bornLineLogSum(T, E.psi, E.psi, 0);
    for (const b of lay.bondLegs) {
      const ls = ker.f64(b >= 0 ? E.lsUpAt(b) : E.lsDownAt(-1 - b), T);
      for (let t = 0; t < T; t++) ll += 2 * ls[t]!;
    }
    E.f.bornTreeGrad(T, g.L, g.cols, g.q, g.dims, g.envs, S, E.psi, E.Gp, E.work);
    return { ll, G: ker.readF64(E.Gp, Mk.length) };
  });
  let z = 0;
  for (const x of Mk) z += x * x;
  const grad = new Float64Array(Mk.length);
  for (let i = 0; i < Mk.length; i++) grad[i] = (2 * Mk[i]!) / z - 2 * res.G[i]!;
  const withMerged = (M: Float64Array): BornTree => {
    const kdims = lay.toKernel.map((i) => lay.m0Dims[i]!);
    const back = permute(M, kdims, lay.fromKernel);
    const { U, W, r: nr } = splitSvd(back, lay.rows, lay.cols, 1 << 20, 0, false);
    // keep W unnormalised: rescale by ‖M‖ (splitSvd normalised s)
    let q = 0;
    for (const x of M) q += x * x;
    const sc = Math.sqrt(q);
    const t2 = tensors.slice();
    const r2 = r.slice();
    r2[v] = nr;
    t2[v] = U;
    const p = m - 1;
    const pd = lay.pDims.slice();
    pd[1 + Array.from(shape.kids[p]!).indexOf(v)] = nr;
    t2[p] = permute(
      W.map((x) => x * sc),
      lay.pToPrime.map((i) => pd[i]!),
      lay.pFromPrime,
    );
    return finish(shape, t2, r2, tree.maxBond, tree.sweeps, []);
  };
  return { merged: Mk, nll: -res.ll / T + log(z), grad, withMerged };
}

/** Cholesky factor L (r × r, lower) of a PSD matrix, columns of vanishing pivots left 0. */
function cholPsd(A: Float64Array, r: number): Float64Array {
  const L = new Float64Array(r * r);
  let tr = 0;
  for (let i = 0; i < r; i++) tr += A[i * r + i]!;
  const eps = 1e-14 * tr;
  for (let j = 0; j < r; j++) {
    let d = A[j * r + j]!;
    for (let k = 0; k < j; k++) d -= L[j * r + k]! * L[j * r + k]!;
    if (!(d > eps)) continue;
    const s = Math.sqrt(d);
    L[j * r + j] = s;
    for (let i = j + 1; i < r; i++) {
      let x = A[i * r + j]!;
      for (let k = 0; k < j; k++) x -= L[i * r + k]! * L[j * r + k]!;
      L[i * r + j] = x / s;
    }
  }
  return L;
}

/**
 * Exact seeded samples of P̃: top-down through the upward-canonical tree, a
 * node's leaf children drawn jointly from their conditional, then each
 * internal child's subtree with the reduced density of its bond (kept as a
 * Cholesky purification), and the parent's state conditioned on the result.
 *
 * @param tree - a tree Born machine
 * @param count - number of samples
 * @param opts - `seed` (1)
 * @returns count × n states
 * @example
 * ```ts
 * const s = bornTreeSample(tree, 1000, { seed: 1 });
 * ```
 */
export function bornTreeSample(tree: BornTree, count: number, opts?: { seed?: number }): BinaryStates {
  checkTree("tree", tree);
  checkInteger("count", count, { min: 0 });
  const seed = opts?.seed === undefined ? 1 : checkSeed("opts.seed", opts.seed);
  const { shape, tensors, bondDims: r } = tree;
  const m = shape.parent.length;
  const n = tree.n;
  const u = randomUniform(count * m, { seed, stream: 3 });
  const data = new Uint8Array(count * n);
  for (let j = 0; j < count; j++) {
    let ui = j * m;
    // returns w_v = A_v[ℓ, kids…, ·] contracted with the kids' w (length r_v)
    const node = (v: number, Lm: Float64Array, a: number): Float64Array => {
      const lv = shape.leaves[v]!;
      const kv = shape.kids[v]!;
      const rv = r[v]!;
      const A = tensors[v]!;
      const nl = 1 << lv.length;
      const D = A.length / nl; // Π kid dims · rv
      const K = D / rv;
      // Ψ[ℓ, k…, a] = Σ_β A[ℓ, k…, β] Lm[β, a]
      const w2 = new Float64Array(nl);
      const Psi = new Float64Array(nl * K * a);
      for (let l = 0; l < nl; l++)
        for (let k = 0; k < K; k++)
          for (let b = 0; b < rv; b++) {
            const c = A[(l * K + k) * rv + b]!;
            if (c === 0) continue;
            for (let x = 0; x < a; x++) Psi[(l * K + k) * a + x] = Psi[(l * K + k) * a + x]! + c * Lm[b * a + x]!;
          }
      let tot = 0;
      for (let l = 0; l < nl; l++) {
        let s = 0;
        for (let i = 0; i < K * a; i++) s += Psi[l * K * a + i]! * Psi[l * K * a + i]!;
        w2[l] = s;
        tot += s;
      }
      let target = u[ui++]! * tot;
      let l = 0;
      while (l < nl - 1 && target >= w2[l]!) target -= w2[l++]!;
      for (let i = 0; i < lv.length; i++) data[j * n + lv[i]!] = (l >> (lv.length - 1 - i)) & 1;
      // cur: Ψ_ℓ over [kids remaining…, a]
      let cur = Psi.subarray(l * K * a, (l + 1) * K * a);
      let rest = K * a;
      const ws: Float64Array[] = [];
      for (const c of kv) {
        const rc = r[c]!;
        rest /= rc;
        // reduced density on c's bond: ρ = X Xᵀ with X = cur as rc × rest
        const rho = new Float64Array(rc * rc);
        for (let x = 0; x < rc; x++)
          for (let y = 0; y <= x; y++) {
            let s = 0;
            for (let i = 0; i < rest; i++) s += cur[x * rest + i]! * cur[y * rest + i]!;
            rho[x * rc + y] = s;
            rho[y * rc + x] = s;
          }
        const wc = node(c, cholPsd(rho, rc), rc);
        ws.push(wc);
        const next = new Float64Array(rest);
        for (let x = 0; x < rc; x++) {
          const cx = wc[x]!;
          if (cx === 0) continue;
          for (let i = 0; i < rest; i++) next[i] = next[i]! + cx * cur[x * rest + i]!;
        }
        cur = next;
      }
      // w_v[β] = Σ_k A[ℓ, k, β] Π w_kids[k]
      let vec = A.subarray(l * D, (l + 1) * D) as Float64Array;
      let R = D;
      kv.forEach((c, i) => {
        const e = r[c]!;
        R /= e;
        const y = new Float64Array(R);
        for (let x = 0; x < e; x++) {
          const cx = ws[i]![x]!;
          if (cx === 0) continue;
          for (let z = 0; z < R; z++) y[z] = y[z]! + cx * vec[x * R + z]!;
        }
        vec = y;
      });
      // scale-free: normalise to avoid under/overflow down the recursion
      let q = 0;
      for (const x of vec) q += x * x;
      const inv = q > 0 ? 1 / Math.sqrt(q) : 1;
      return vec.map((x) => x * inv);
    };
    node(m - 1, new Float64Array([1]), 1);
  }
  return { T: count, n, data };
}

/**
 * Exact marginal P̃(x_S) of up to 20 columns, dense, first listed = most
 * significant bit: bottom-up density environments (a subtree without listed
 * columns is the identity, by canonicity).
 *
 * @param tree - a tree Born machine
 * @param columns - distinct column indices
 * @returns Float64Array(2^|S|)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a column outside 0…n−1 or more than 20 columns
 * @example
 * ```ts
 * bornTreeMarginal(tree, [0, 1]); // P̃ of 00, 01, 10, 11
 * ```
 */
export function bornTreeMarginal(tree: BornTree, columns: ArrayLike<number>): Float64Array {
  checkTree("tree", tree);
  const cols = Array.from(columns, (c, i) => checkInteger(`columns[${i}]`, c, { min: 0, max: tree.n - 1 }));
  if (cols.length > 20)
    throw new DgrnRangeError(message("columns.length", "at most 20", cols.length), ErrorCode.OUT_OF_RANGE);
  if (new Set(cols).size !== cols.length)
    throw new DgrnRangeError(message("columns", "distinct column indices", cols.join(",")), ErrorCode.INVALID_DATA);
  const { shape, tensors, bondDims: r } = tree;
  const m = shape.parent.length;
  const pos = new Map<number, number>();
  cols.forEach((c, i) => pos.set(c, i));
  // which nodes hold a listed leaf in their subtree
  const has = new Uint8Array(m);
  for (let v = 0; v < m; v++) {
    for (const l of shape.leaves[v]!) if (pos.has(l)) has[v] = 1;
    for (const c of shape.kids[v]!) if (has[c]) has[v] = 1;
  }
  const out = new Float64Array(1 << cols.length);
  if (cols.length === 0) {
    out[0] = 1;
    return out;
  }
  for (let s = 0; s < out.length; s++) {
    const val = (c: number) => (s >> (cols.length - 1 - pos.get(c)!)) & 1;
    const E: (Float64Array | null)[] = new Array(m).fill(null);
    for (let v = 0; v < m; v++) {
      if (!has[v]) continue; // identity
      const lv = shape.leaves[v]!;
      const kv = shape.kids[v]!;
      const rv = r[v]!;
      const A = tensors[v]!;
      const nl = 1 << lv.length;
      const D = A.length / nl;
      const acc = new Float64Array(rv * rv);
      for (let l = 0; l < nl; l++) {
        let ok = true;
        for (let i = 0; i < lv.length; i++)
          if (pos.has(lv[i]!) && ((l >> (lv.length - 1 - i)) & 1) !== val(lv[i]!)) ok = false;
        if (!ok) continue;
        // B = block with every kid leg multiplied by its E (identity where null)
        let B = A.slice(l * D, (l + 1) * D);
        let pre = 1;
        let post = D;
        kv.forEach((c) => {
          const e = r[c]!;
          post /= e;
          const Ec = E[c];
          if (Ec) {
            const nb = new Float64Array(D);
            for (let a = 0; a < pre; a++)
              for (let x = 0; x < e; x++)
                for (let y = 0; y < e; y++) {
                  const w = Ec[x * e + y]!;
                  if (w === 0) continue;
                  for (let z = 0; z < post; z++)
                    nb[(a * e + x) * post + z] = nb[(a * e + x) * post + z]! + w * B[(a * e + y) * post + z]!;
                }
            B = nb;
          }
          pre *= e;
        });
        const K = D / rv;
        const Al = A.subarray(l * D, (l + 1) * D);
        for (let k = 0; k < K; k++)
          for (let b = 0; b < rv; b++) {
            const x = Al[k * rv + b]!;
            if (x === 0) continue;
            for (let b2 = 0; b2 < rv; b2++) acc[b * rv + b2] = acc[b * rv + b2]! + x * B[k * rv + b2]!;
          }
      }
      E[v] = acc;
    }
    out[s] = E[m - 1]![0]!;
  }
  return out;
}
