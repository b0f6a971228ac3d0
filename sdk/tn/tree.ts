/**
 * Tree tensor networks of the joint distribution of binary states along an RG
 * flow (MISSION §4): one layer per RG step; each supernode's children are
 * merged (a balanced binary merge in community order) and compressed by an
 * isometry, the truncated left singular vectors of the block's unfolding
 * computed in the children's bases (a leaves-to-root hierarchical Tucker
 * decomposition on the sample representation; Grasedyck 2010). Coarse sites go
 * up to the root, which holds the coefficients.
 *
 * @module
 */
import type { BinaryStates, RGFlow } from "../types.js";
import { getKernel } from "../kernel/init.js";
import { DgrnShapeError, DgrnTypeError } from "../errors.js";
import { checkInteger, checkOptions, checkBoolean, message } from "../validate.js";
import { rightBasis } from "./factor.js";
import { tn } from "./kernel.js";
import {
  DENSE_MAX_SITES,
  entanglementOf,
  entropyOf,
  klDivergence,
  sampleRepresentation,
  totalVariation,
} from "./samples.js";
import { parseTnOptions, truncationRank } from "./tt.js";
import { checkFlow } from "../lrg/flow.js";
import { checkNonEmptyStates } from "../io/check.js";

/** Options of {@link treeTensorNetwork}. */
export interface TreeOptions {
  /** Relative Frobenius tolerance ε ∈ [0, 1). Default 1e-3. */
  tol?: number;
  /** Largest rank of a coarse variable. Default 64. */
  maxBond?: number;
  /** Compress ψ = √P instead of P. Default false. */
  born?: boolean;
  /** Per-row weights (default uniform). */
  weights?: ArrayLike<number>;
  /** Compute the exact KL / TV per layer by enumeration (needs n ≤ 24). Default n ≤ 24. */
  exact?: boolean;
  /**
   * k-ary merges: the members of a group merge in one node (one truncation of the
   * Π r_children × r_t transfer tensor) instead of a balanced binary tree of
   * truncated pairwise merges, when Π r_children ≤ 4096 (else binary). Default false.
   */
  kary?: boolean;
}

/** Largest Π r_children of a k-ary node (ours). */
export const KARY_MAX = 4096;

/** One node of the tree. Leaves are the sites (rank 2, identity basis). */
export interface TreeNode {
  /** Index in `nodes`. */
  readonly id: number;
  /** 0 for leaves; the RG step (1-based) that created it; steps + 1 for a final root merge. */
  readonly layer: number;
  /** Columns covered, in the node's own order (left child's, then right child's). */
  readonly sites: Int32Array;
  /** Children ids, −1 for a leaf. */
  readonly left: number;
  readonly right: number;
  /** Rank of the coarse variable (2 for a leaf, 1 for the root). */
  readonly rank: number;
  /** (r_left · r_right) × rank row-major, row α·r_right + β; null for a leaf. The root's holds the coefficients. */
  readonly transfer: Float64Array | null;
  /** Normalised singular values of the node's unfolding (empty for leaves and the root). */
  readonly singularValues: Float64Array;
  /** −Σ s² ln s² of those values (nats); 0 for leaves and the root. */
  readonly entanglement: number;
  /** Frobenius norm discarded at this node. */
  readonly discarded: number;
  /** An untruncated step inside a k-ary merge (identity transfer, not counted as parameters). */
  readonly internal?: boolean;
}

/** Per-scale numbers: one row per layer (0 = the sites, then one per RG step, then a root merge if one was needed). */
export interface TreeLayer {
  layer: number;
  /** τ* of the RG step, null for layer 0 and a root merge. */
  tau: number | null;
  /** Number of coarse variables alive after this layer. */
  nCoarse: number;
  /** Their ranks (bond dimensions). */
  bondDims: number[];
  /** Parameters of all nodes made so far (leaves count 0). */
  params: number;
  /** Π of the ranks: the size of the coarse joint tensor left above this layer. */
  coreSize: number;
  /** (params + coreSize) / 2^n. */
  compression: number;
  /** KL(P ‖ P̃_layer) in nats, exact by enumeration (null when not computed). */
  kl: number | null;
  /** Total variation of P̃_layer vs P (null when not computed). */
  tv: number | null;
  /** Joint Shannon entropy (nats) of the coarse variables (ours: each node's value is its dominant basis index). */
  entropy: number;
  /** Shannon entropy (nats) of the layer's reconstruction P̃ (clipped at 0, renormalised), exact by enumeration; null when not computed. */
  reconstructionEntropy: number | null;
  /** Entanglement (nats) of each non-leaf coarse variable with the rest. */
  entanglement: number[];
}

/** A tree tensor network over n binary sites. */
export interface TreeTensorNetwork {
  readonly kind: "treeTensorNetwork";
  readonly n: number;
  readonly born: boolean;
  readonly nodes: readonly TreeNode[];
  /** Id of the root node. */
  readonly root: number;
  /** Σ over internal nodes of r_left r_right rank. */
  readonly params: number;
  readonly fullSize: number;
  readonly compression: number;
  /** ‖T‖_F of the tensor compressed. */
  readonly norm: number;
  /** ‖T − T̃‖_F / ‖T‖_F = √(‖T‖² − ‖T̃‖²)/‖T‖ (T̃ is an orthogonal projection of T). */
  readonly relError: number;
  /** √(Σ discarded²)/‖T‖, the a-priori bound (≤ tol unless maxBond binds). */
  readonly errorBound: number;
  readonly tol: number;
  readonly maxBond: number;
  readonly layers: TreeLayer[];
}

interface Work {
  n: number;
  D: number;
  states: Uint8Array; // D × n distinct states (column order)
  amp: Float64Array; // D
  phi: Float64Array[]; // per node: D × rank
  value: Int32Array[]; // per node: dominant basis index per distinct state
  delta: number;
  maxBond: number;
  born: boolean;
}

/**
 * A tree tensor network of P (or ψ = √P) that follows `flow`: level-0 nodes
 * are the columns of `states`; at RG step s each group of the previous
 * level's nodes is merged (children sorted by their first column, a balanced
 * binary merge) and every merge is compressed by a truncated SVD of the
 * block's unfolding in its children's bases, tolerance δ = ε‖T‖/√(n−2) per
 * node, so ‖T − T̃‖ ≤ ε‖T‖ unless `maxBond` binds. Whatever is left after the
 * last step is merged into the root.
 *
 * @param states - T × n binary states (n ≥ 2)
 * @param flow - an RG flow with n0 = n (e.g. `laplacianRG(graph).flow`)
 * @param opts - `tol` (1e-3), `maxBond` (64), `born` (false), `weights`, `exact` (n ≤ 24)
 * @returns the network with per-layer summaries
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a malformed states, flow or option
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when flow.n0 ≠ states.n
 * @throws {DgrnRangeError} `ERR_INVALID_DATA` when a step's groups are not a partition; `ERR_OUT_OF_RANGE` for bad options or n < 2
 * @example
 * ```ts
 * const states = { T: 4, n: 4, data: new Uint8Array([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]) };
 * const flow = { n0: 4, stopReason: "one node", steps: [
 *   { tau: 1, n: 2, groups: [[0, 1], [2, 3]], assignment: new Int32Array([0, 0, 1, 1]) }] };
 * const net = treeTensorNetwork(states, flow, { tol: 1e-6 });
 * net.layers.map((l) => l.bondDims);
 * ```
 */
export function treeTensorNetwork(states: BinaryStates, flow: RGFlow, opts?: TreeOptions): TreeTensorNetwork {
  const st = checkNonEmptyStates("states", states);
  checkInteger("states.n", st.n, { min: 2 });
  const fl = checkFlow("flow", flow, st.n);
  const p = parseTnOptions(opts, st, ["exact", "kary"]);
  const karyOpt = (opts as TreeOptions | undefined)?.kary;
  const kary = karyOpt === undefined ? false : checkBoolean("opts.kary", karyOpt);
  const exactOpt = (opts as TreeOptions | undefined)?.exact;
  const exact = exactOpt === undefined ? st.n <= DENSE_MAX_SITES : checkBoolean("opts.exact", exactOpt);
  if (exact) checkInteger("states.n (opts.exact)", st.n, { min: 2, max: DENSE_MAX_SITES });
  const n = st.n;
  const rep = sampleRepresentation(st, undefined, p.weights);
  const amp = new Float64Array(rep.D);
  let norm2 = 0;
  for (let d = 0; d < rep.D; d++) {
    amp[d] = p.born ? Math.sqrt(rep.prob[d]!) : rep.prob[d]!;
    norm2 += amp[d]! * amp[d]!;
  }
  const norm = Math.sqrt(norm2);
  const w: Work = {
    n,
    D: rep.D,
    states: rep.states,
    amp,
    phi: [],
    value: [],
    delta: n > 2 ? (p.tol * norm) / Math.sqrt(n - 2) : 0,
    maxBond: p.maxBond,
    born: p.born,
  };
  const nodes: TreeNode[] = [];
  for (let i = 0; i < n; i++) {
    const phi = new Float64Array(rep.D * 2);
    const val = new Int32Array(rep.D);
    for (let d = 0; d < rep.D; d++) {
      const x = rep.states[d * n + i]!;
      phi[d * 2 + x] = 1;
      val[d] = x;
    }
    w.phi.push(phi);
    w.value.push(val);
    nodes.push({
      id: i,
      layer: 0,
      sites: Int32Array.of(i),
      left: -1,
      right: -1,
      rank: 2,
      transfer: null,
      singularValues: new Float64Array(0),
      entanglement: 0,
      discarded: 0,
    });
  }
  const frontiers: { layer: number; tau: number | null; alive: number[] }[] = [];
  let alive = Array.from({ length: n }, (_, i) => i);
  frontiers.push({ layer: 0, tau: null, alive: alive.slice() });
  let root = -1;
  const mergeAll = (list: number[], layer: number): number => {
    const sorted = list.slice().sort((a, b) => minSite(nodes[a]!) - minSite(nodes[b]!));
    let prod = 1;
    for (const c of sorted) prod *= nodes[c]!.rank;
    const oneNode = kary && sorted.length > 2 && prod <= KARY_MAX;
    const rec = (lo: number, hi: number, top: boolean): number => {
      if (hi - lo === 1) return sorted[lo]!;
      const mid = (lo + hi) >> 1;
      const a = rec(lo, mid, false);
      const b = rec(mid, hi, false);
      return makeNode(w, nodes, a, b, layer, !oneNode || top);
    };
    return rec(0, sorted.length, true);
  };
  fl.steps.forEach((step, s) => {
    if (root >= 0) return;
    const next = step.groups.map((g) =>
      mergeAll(
        g.map((i) => alive[i]!),
        s + 1,
      ),
    );
    alive = next;
    if (alive.length === 1) root = alive[0]!;
    frontiers.push({ layer: s + 1, tau: step.tau, alive: alive.slice() });
  });
  if (root < 0) {
    root = mergeAll(alive, fl.steps.length + 1);
    frontiers.push({ layer: fl.steps.length + 1, tau: null, alive: [root] });
  }
  let params = 0;
  let disc2 = 0;
  for (const nd of nodes) {
    if (nd.transfer && !nd.internal) params += nd.transfer.length;
    disc2 += nd.discarded * nd.discarded;
  }
  const rootT = nodes[root]!.transfer!;
  let rn2 = 0;
  for (const v of rootT) rn2 += v * v;
  const relError = norm > 0 ? Math.sqrt(Math.max(0, norm2 - rn2)) / norm : 0;
  const layers = summarise(w, nodes, frontiers, exact);
  return {
    kind: "treeTensorNetwork",
    n,
    born: p.born,
    nodes,
    root,
    params,
    fullSize: 2 ** n,
    compression: params / 2 ** n,
    norm,
    relError,
    errorBound: norm > 0 ? Math.sqrt(disc2) / norm : 0,
    tol: p.tol,
    maxBond: p.maxBond,
    layers,
  };
}

function minSite(nd: TreeNode): number {
  let m = Infinity;
  for (const s of nd.sites) m = Math.min(m, s);
  return m;
}

/** Merge nodes a and b into a new node (the root when it covers every site); `truncate` false: an untruncated step of a k-ary merge. */
function makeNode(w: Work, nodes: TreeNode[], a: number, b: number, layer: number, truncate = true): number {
  const A = nodes[a]!;
  const B = nodes[b]!;
  const sites = new Int32Array(A.sites.length + B.sites.length);
  sites.set(A.sites, 0);
  sites.set(B.sites, A.sites.length);
  const isRoot = sites.length === w.n;
  const { D, n } = w;
  if (!truncate && !isRoot) return identityNode(w, nodes, a, b, layer, sites);
  // group distinct states by their configuration outside the block
  const inBlock = new Uint8Array(n);
  for (const s of sites) inBlock[s] = 1;
  const group = new Int32Array(D);
  let G = 1;
  if (!isRoot) {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!inBlock[i]) out.push(i);
    const map = new Map<number | string, number>();
    for (let d = 0; d < D; d++) {
      let key: number | string;
      if (out.length <= 52) {
        let v = 0;
        for (const i of out) v = v * 2 + w.states[d * n + i]!;
        key = v;
      } else {
        let sv = "";
        for (let j = 0; j < out.length; j += 16) {
          let c = 0;
          for (let q = j; q < Math.min(out.length, j + 16); q++) c = c * 2 + w.states[d * n + out[q]!]!;
          sv += String.fromCharCode(c);
        }
        key = sv;
      }
      let g = map.get(key);
      if (g === undefined) {
        g = map.size;
        map.set(key, g);
      }
      group[d] = g;
    }
    G = map.size;
  }
  const ra = A.rank;
  const rb = B.rank;
  const k = getKernel();
  const f = tn(k);
  const M = k.scope((s) => {
    const m = s.f64(ra * rb * G);
    f.tnKronScatter(D, ra, rb, s.copyF64(w.phi[a]!), s.copyF64(w.phi[b]!), s.copyF64(w.amp), s.copyI32(group), G, m);
    return k.readF64(m, ra * rb * G);
  });
  const id = nodes.length;
  if (isRoot) {
    nodes.push({
      id,
      layer,
      sites,
      left: a,
      right: b,
      rank: 1,
      transfer: M,
      singularValues: new Float64Array(0),
      entanglement: 0,
      discarded: 0,
    });
    w.phi.push(new Float64Array(D).fill(1));
    w.value.push(new Int32Array(D));
    return id;
  }
  // left singular vectors of M (k × G) = right singular vectors of Mᵀ
  const kk = ra * rb;
  const Mt = new Float64Array(G * kk);
  for (let i = 0; i < kk; i++) for (let g = 0; g < G; g++) Mt[g * kk + i] = M[i * G + g]!;
  const dec = rightBasis(Mt, G, kk);
  const { rank, discarded } = truncationRank(dec.s, w.delta, w.maxBond);
  const W = new Float64Array(ra * rb * rank);
  const u = dec.v;
  for (let i = 0; i < ra * rb; i++) for (let j = 0; j < rank; j++) W[i * rank + j] = u[i * dec.k + j]!;
  const phi = k.scope((s) => {
    const out = s.f64(D * rank);
    f.tnKronProject(D, ra, rb, s.copyF64(w.phi[a]!), s.copyF64(w.phi[b]!), s.copyF64(W), rank, out, 0, 1);
    return k.readF64(out, D * rank);
  });
  const val = new Int32Array(D);
  for (let d = 0; d < D; d++) {
    let best = 0;
    let bv = -1;
    for (let g = 0; g < rank; g++) {
      const v = Math.abs(phi[d * rank + g]!);
      if (v > bv) {
        bv = v;
        best = g;
      }
    }
    val[d] = best;
  }
  w.phi.push(phi);
  w.value.push(val);
  let tot = 0;
  for (const s of dec.s) tot += s * s;
  const nrm = Math.sqrt(tot);
  nodes.push({
    id,
    layer,
    sites,
    left: a,
    right: b,
    rank,
    transfer: W,
    singularValues: dec.s.map((s) => (nrm > 0 ? s / nrm : 0)),
    entanglement: entanglementOf(dec.s),
    discarded,
  });
  return id;
}

/** An untruncated pairwise step inside a k-ary merge: rank r_a r_b, identity transfer, features φ_a ⊗ φ_b. */
function identityNode(w: Work, nodes: TreeNode[], a: number, b: number, layer: number, sites: Int32Array): number {
  const ra = nodes[a]!.rank;
  const rb = nodes[b]!.rank;
  const r = ra * rb;
  const W = new Float64Array(r * r);
  for (let i = 0; i < r; i++) W[i * r + i] = 1;
  const k = getKernel();
  const f = tn(k);
  const { D } = w;
  const phi = k.scope((s) => {
    const out = s.f64(D * r);
    f.tnKronProject(D, ra, rb, s.copyF64(w.phi[a]!), s.copyF64(w.phi[b]!), s.copyF64(W), r, out, 0, 1);
    return k.readF64(out, D * r);
  });
  const val = new Int32Array(D);
  for (let d = 0; d < D; d++) val[d] = w.value[a]![d]! * rb + w.value[b]![d]!;
  w.phi.push(phi);
  w.value.push(val);
  const id = nodes.length;
  nodes.push({
    id,
    layer,
    sites,
    left: a,
    right: b,
    rank: r,
    transfer: W,
    singularValues: new Float64Array(0),
    entanglement: 0,
    discarded: 0,
    internal: true,
  });
  return id;
}

/** Dense table of a node's basis: 2^{|sites|} × rank, rows in the node's site order. */
function nodeTable(nodes: readonly TreeNode[], id: number, cache: Map<number, Float64Array>): Float64Array {
  const hit = cache.get(id);
  if (hit) return hit;
  const nd = nodes[id]!;
  let out: Float64Array;
  if (nd.left < 0) out = new Float64Array([1, 0, 0, 1]);
  else {
    const A = nodes[nd.left]!;
    const B = nodes[nd.right]!;
    const ta = nodeTable(nodes, nd.left, cache);
    const tb = nodeTable(nodes, nd.right, cache);
    const Da = 2 ** A.sites.length;
    const Db = 2 ** B.sites.length;
    const k = getKernel();
    const f = tn(k);
    out = k.scope((s) => {
      const o = s.f64(Da * Db * nd.rank);
      f.tnKronProject(
        Da * Db,
        A.rank,
        B.rank,
        s.copyF64(ta),
        s.copyF64(tb),
        s.copyF64(nd.transfer!),
        nd.rank,
        o,
        1,
        Db,
      );
      return k.readF64(o, Da * Db * nd.rank);
    });
  }
  cache.set(id, out);
  return out;
}

/** Position (bit, from the most significant) of column i inside a global dense index: n−1−i. */
function blockIndexMaps(sites: Int32Array, n: number): { bi: Int32Array; ci: Int32Array; G: number } {
  const N = 2 ** n;
  const inBlock = new Uint8Array(n);
  for (const s of sites) inBlock[s] = 1;
  const bi = new Int32Array(N);
  const ci = new Int32Array(N);
  for (let g = 0; g < N; g++) {
    let b = 0;
    for (const s of sites) b = b * 2 + ((g >> (n - 1 - s)) & 1);
    let c = 0;
    for (let i = 0; i < n; i++) if (!inBlock[i]) c = c * 2 + ((g >> (n - 1 - i)) & 1);
    bi[g] = b;
    ci[g] = c;
  }
  return { bi, ci, G: 2 ** (n - sites.length) };
}

/** v ← (U Uᵀ on the modes of `sites`) v, for a dense vector v over n columns. */
function project(v: Float64Array, U: Float64Array, r: number, sites: Int32Array, n: number): void {
  const { bi, ci, G } = blockIndexMaps(sites, n);
  const y = new Float64Array(G * r);
  for (let g = 0; g < v.length; g++) {
    const x = v[g]!;
    if (x === 0) continue;
    const ub = bi[g]! * r;
    const yc = ci[g]! * r;
    for (let j = 0; j < r; j++) y[yc + j]! += U[ub + j]! * x;
  }
  for (let g = 0; g < v.length; g++) {
    const ub = bi[g]! * r;
    const yc = ci[g]! * r;
    let s = 0;
    for (let j = 0; j < r; j++) s += U[ub + j]! * y[yc + j]!;
    v[g] = s;
  }
}

function summarise(
  w: Work,
  nodes: TreeNode[],
  frontiers: { layer: number; tau: number | null; alive: number[] }[],
  exact: boolean,
): TreeLayer[] {
  const { n, D } = w;
  let dense: Float64Array | null = null;
  let P: Float64Array | null = null;
  const cache = new Map<number, Float64Array>();
  if (exact) {
    dense = new Float64Array(2 ** n);
    for (let d = 0; d < D; d++) {
      let idx = 0;
      for (let i = 0; i < n; i++) idx = idx * 2 + w.states[d * n + i]!;
      dense[idx] = w.amp[d]!;
    }
    P = dense.slice();
  }
  const out: TreeLayer[] = [];
  const done = new Set<number>();
  let params = 0;
  for (const fr of frontiers) {
    for (const id of fr.alive)
      collect(nodes, id, done, (nd) => (params += nd.transfer && !nd.internal ? nd.transfer.length : 0));
    const ranks = fr.alive.map((id) => nodes[id]!.rank);
    let core = 1;
    for (const r of ranks) core *= r;
    // joint entropy of the coarse values over distinct states
    const counts = new Map<string, number>();
    for (let d = 0; d < D; d++) {
      const key = fr.alive.map((id) => w.value[id]![d]).join(",");
      counts.set(key, (counts.get(key) ?? 0) + probOf(w, d));
    }
    let kl: number | null = null;
    let tv: number | null = null;
    let hq: number | null = null;
    if (dense && P) {
      for (const id of fr.alive) {
        const nd = nodes[id]!;
        if (nd.left < 0 || nd.layer !== fr.layer) continue;
        if (nd.rank === 1 && nd.sites.length === n) {
          // the root: its value is the projection onto its children's bases
          project(dense, nodeTable(nodes, nd.left, cache), nodes[nd.left]!.rank, nodes[nd.left]!.sites, n);
          project(dense, nodeTable(nodes, nd.right, cache), nodes[nd.right]!.rank, nodes[nd.right]!.sites, n);
        } else project(dense, nodeTable(nodes, id, cache), nd.rank, nd.sites, n);
      }
      const pEmp = squareIf(P, w);
      const q = squareIf(dense, w);
      kl = klDivergence(pEmp, q);
      tv = totalVariation(pEmp, q);
      hq = entropyOf(q.map((x) => (x > 0 ? x : 0)));
    }
    out.push({
      layer: fr.layer,
      tau: fr.tau,
      nCoarse: fr.alive.length,
      bondDims: ranks,
      params,
      coreSize: core,
      compression: (params + core) / 2 ** n,
      kl,
      tv,
      entropy: entropyOf(Array.from(counts.values())),
      reconstructionEntropy: hq,
      entanglement: fr.alive
        .filter((id) => nodes[id]!.left >= 0 && nodes[id]!.rank > 1)
        .map((id) => nodes[id]!.entanglement),
    });
  }
  return out;
}

/** Probability of distinct state d (amp² in the Born form, amp otherwise). */
function probOf(w: Work, d: number): number {
  return w.born ? w.amp[d]! * w.amp[d]! : w.amp[d]!;
}

function squareIf(v: Float64Array, w: Work): Float64Array {
  return w.born ? v.map((x) => x * x) : v;
}

function collect(nodes: TreeNode[], id: number, done: Set<number>, visit: (nd: TreeNode) => void): void {
  if (done.has(id)) return;
  done.add(id);
  const nd = nodes[id]!;
  if (nd.left >= 0) {
    collect(nodes, nd.left, done, visit);
    collect(nodes, nd.right, done, visit);
  }
  visit(nd);
}

/**
 * The network's P̃ as a dense vector of length 2^n (n ≤ 24) in column order
 * (index Σ_i x_i 2^{n−1−i}); for a Born network ψ̃ unless `probability`.
 *
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` when n > 24
 * @example
 * ```ts
 * ttnDense(net, { probability: true });
 * ```
 */
export function ttnDense(net: TreeTensorNetwork, opts?: { probability?: boolean }): Float64Array {
  checkNet("net", net);
  const o = checkOptions<{ probability: boolean }>("opts", opts, ["probability"]);
  const prob = o.probability === undefined ? false : checkBoolean("opts.probability", o.probability);
  checkInteger("net.n", net.n, { min: 2, max: DENSE_MAX_SITES });
  const n = net.n;
  const rootTable = nodeTable(net.nodes, net.root, new Map());
  const sites = net.nodes[net.root]!.sites;
  const out = new Float64Array(2 ** n);
  for (let g = 0; g < out.length; g++) {
    let b = 0;
    for (const s of sites) b = b * 2 + ((g >> (n - 1 - s)) & 1);
    const v = rootTable[b]!;
    out[g] = prob && net.born ? v * v : v;
  }
  return out;
}

/**
 * P̃(x) of the network for each state (ψ̃(x)² for a Born network), bottom-up.
 *
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when states.n ≠ net.n
 * @example
 * ```ts
 * ttnEvaluate(net, states);
 * ```
 */
export function ttnEvaluate(net: TreeTensorNetwork, states: BinaryStates): Float64Array {
  checkNet("net", net);
  const st = checkNonEmptyStates("states", states);
  if (st.n !== net.n) throw new DgrnShapeError(message("states.n", `the network's n = ${net.n}`, st.n));
  const m = st.T;
  const k = getKernel();
  const f = tn(k);
  const phi = new Map<number, Float64Array>();
  const feat = (id: number): Float64Array => {
    const hit = phi.get(id);
    if (hit) return hit;
    const nd = net.nodes[id]!;
    let out: Float64Array;
    if (nd.left < 0) {
      out = new Float64Array(m * 2);
      const c = nd.sites[0]!;
      for (let j = 0; j < m; j++) out[j * 2 + st.data[j * st.n + c]!] = 1;
    } else {
      const fa = feat(nd.left);
      const fb = feat(nd.right);
      const A = net.nodes[nd.left]!;
      const B = net.nodes[nd.right]!;
      out = k.scope((s) => {
        const o = s.f64(m * nd.rank);
        f.tnKronProject(m, A.rank, B.rank, s.copyF64(fa), s.copyF64(fb), s.copyF64(nd.transfer!), nd.rank, o, 0, 1);
        return k.readF64(o, m * nd.rank);
      });
    }
    phi.set(id, out);
    return out;
  };
  const v = feat(net.root);
  return net.born ? v.map((x) => x * x) : v;
}

function checkNet(name: string, value: unknown): TreeTensorNetwork {
  const t = value as TreeTensorNetwork;
  if (t === null || typeof t !== "object" || t.kind !== "treeTensorNetwork" || !Array.isArray(t.nodes)) {
    throw new DgrnTypeError(message(name, "a TreeTensorNetwork (from treeTensorNetwork)", value));
  }
  return t;
}
