import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  bornTree,
  bornTreeShape,
  bornTreeLogProb,
  bornTreeSample,
  bornTreeMarginal,
  bornTreeMergedGradient,
  bornTreeProduct,
  fitBorn,
  crossValidateBorn,
  modelEntropy,
  defaultNodeBits,
  tnAcrossScales,
  subFlow,
  coarseTrajectories,
  DgrnTypeError,
  DgrnRangeError,
  DgrnShapeError,
  ErrorCode,
  throwsCode,
  type BinaryStates,
  type BornTree,
  type RGFlow,
} from "../helpers/setup.js";
import { blockStates, support } from "./util.js";

const test = suite("tn/born-tree");

function allStates(n: number): BinaryStates {
  return support(n, () => 1).states;
}

/** A flow from explicit groups per step (assignments derived). */
function flowOf(n0: number, steps: number[][][]): RGFlow {
  let assign = Int32Array.from({ length: n0 }, (_, i) => i);
  return {
    n0,
    stopReason: "test",
    steps: steps.map((groups, s) => {
      const of = new Int32Array(groups.reduce((a, g) => a + g.length, 0));
      groups.forEach((g, j) => g.forEach((i) => (of[i] = j)));
      assign = Int32Array.from(assign, (a) => of[a]!);
      return { tau: s + 1, n: groups.length, groups, assignment: assign };
    }),
  };
}

// 12 sites: 4 triples (3-ary nodes), then pairs of triples, then a root over 2
const FLOW12 = flowOf(12, [
  [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [9, 10, 11],
  ],
  [
    [0, 1],
    [2, 3],
  ],
]);
// 4×4 lattice: 4-ary plaquettes, then a 4-ary root
const PLAQ = flowOf(16, [
  [
    [0, 1, 4, 5],
    [2, 3, 6, 7],
    [8, 9, 12, 13],
    [10, 11, 14, 15],
  ],
]);

const train12 = blockStates(800, 12, 6, 0.12, 5);

/** Independent dense contraction: ψ(x) by recursion over the node tensors. */
function psiOf(tree: BornTree, x: Uint8Array): number {
  const { shape, tensors, bondDims: r } = tree;
  const val = (v: number): Float64Array => {
    const lv = shape.leaves[v]!;
    let l = 0;
    for (const i of lv) l = (l << 1) | x[i]!;
    const A = tensors[v]!;
    const D = A.length >> lv.length;
    let cur = Array.from(A.subarray(l * D, (l + 1) * D));
    let R = D;
    for (const c of shape.kids[v]!) {
      const w = val(c);
      const e = r[c]!;
      R /= e;
      const y = new Array<number>(R).fill(0);
      for (let a = 0; a < e; a++) for (let z = 0; z < R; z++) y[z]! += w[a]! * cur[a * R + z]!;
      cur = y;
    }
    return Float64Array.from(cur);
  };
  return val(shape.parent.length - 1)[0]!;
}

function enumerate(tree: BornTree): Float64Array {
  const n = tree.n;
  const all = allStates(n);
  const p = new Float64Array(all.T);
  for (let g = 0; g < all.T; g++) {
    const v = psiOf(tree, all.data.subarray(g * n, (g + 1) * n));
    p[g] = v * v;
  }
  return p;
}

test("shape: a supernode's members merge in one k-ary node; the cap splits a group that does not fit", () => {
  const s = bornTreeShape(FLOW12, 12, { maxBond: 4 });
  assert.equal(s.parent.length, 7); // 4 triples + 2 pairs + root
  assert.equal(
    s.leaves.slice(0, 4).map((l) => Array.from(l)),
    [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10, 11],
    ],
  );
  assert.equal(Array.from(s.kids[6]!), [4, 5]);
  assert.equal(s.splitGroups, 0);
  const p = bornTreeShape(PLAQ, 16, { maxBond: 2, maxNodeBits: 8 });
  assert.equal(p.parent.length, 5);
  assert.equal(Array.from(p.kids[4]!), [0, 1, 2, 3]); // the 4-ary root
  // one group of 12 leaves at 2^6 entries, χ = 2: runs of 5 leaves (2^5 · 2 = 64), then merged
  const big = bornTreeShape(flowOf(12, [[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]]), 12, { maxBond: 2, maxNodeBits: 6 });
  assert.equal(big.splitGroups, 1);
  for (let v = 0; v < big.parent.length; v++) {
    const size = (1 << big.leaves[v]!.length) * 2 ** big.kids[v]!.length * (v === big.parent.length - 1 ? 1 : 2);
    assert.ok(size <= 64, `node ${v}: ${size}`);
  }
  throwsCode(() => bornTreeShape(FLOW12, 12, { maxBond: 8, maxNodeBits: 8 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => bornTreeShape(FLOW12, 11), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  // the default cap (3 bits at χ = 2) splits the 4-member plaquettes into pairs
  assert.is(defaultNodeBits(2), 3);
  assert.is(defaultNodeBits(4), 6);
  assert.is(bornTreeShape(PLAQ, 16, { maxBond: 2 }).splitGroups, 4);
});

test("Σ_x P̃(x) = 1 by enumeration, log-probabilities equal an independent dense contraction (n = 12, 3-ary nodes, χ ≤ 4)", () => {
  const t = bornTree(train12, FLOW12, { maxBond: 4, sweeps: 3 });
  assert.ok(Math.max(...t.bondDims) >= 2 && Math.max(...t.bondDims) <= 4, `${t.bondDims}`);
  const p = enumerate(t);
  let z = 0;
  for (const v of p) z += v;
  assert.ok(Math.abs(z - 1) < 1e-10, `Σ P̃ = ${z}`);
  const lp = bornTreeLogProb(t, allStates(12));
  let worst = 0;
  for (let g = 0; g < p.length; g++) worst = Math.max(worst, Math.abs(2 ** lp[g]! - p[g]!) / Math.max(p[g]!, 1e-300));
  assert.ok(worst < 1e-11, `worst relative error ${worst}`);
  // training lowers the NLL below the product start, every sweep kept is normalised
  const nll = (tt: BornTree) => -bornTreeLogProb(tt, train12).reduce((a, b) => a + b, 0) / train12.T;
  assert.ok(nll(t) < nll(bornTreeProduct(train12, t.shape)) - 0.5, `${nll(t)}`);
  assert.equal(
    t.params,
    t.tensors.reduce((a, x) => a + x.length, 0),
  );
});

test("4-ary plaquette tree on 16 sites: normalised (1e-10) and log P̃ = dense contraction", () => {
  const st = blockStates(600, 16, 4, 0.1, 9);
  const t = bornTree(st, PLAQ, { maxBond: 2, sweeps: 2, maxNodeBits: 8 });
  const p = enumerate(t);
  let z = 0;
  for (const v of p) z += v;
  assert.ok(Math.abs(z - 1) < 1e-10, `Σ P̃ = ${z}`);
  const lp = bornTreeLogProb(t, st);
  for (let g = 0; g < 50; g++) {
    const v = psiOf(t, st.data.subarray(g * 16, (g + 1) * 16));
    assert.ok(Math.abs(lp[g]! - Math.log2(v * v)) < 1e-10);
  }
});

test("merged-tensor gradient = central finite differences of the enumerated NLL", () => {
  const t = bornTree(train12, FLOW12, { maxBond: 3, sweeps: 1 });
  const data = blockStates(200, 12, 6, 0.12, 6);
  const root = t.shape.parent.length - 1;
  for (const v of t.shape.kids[root]!) {
    const g = bornTreeMergedGradient(data, t, v);
    const nllAt = (M: Float64Array): number => {
      const tt = g.withMerged(M);
      const p = enumerate(tt);
      let z = 0;
      for (const x of p) z += x;
      let s = 0;
      for (let r = 0; r < data.T; r++) {
        const y = psiOf(tt, data.data.subarray(r * 12, (r + 1) * 12));
        s += Math.log((y * y) / z);
      }
      return -s / data.T;
    };
    assert.ok(Math.abs(nllAt(g.merged) - g.nll) < 1e-10, `nll ${nllAt(g.merged)} vs ${g.nll}`);
    // h small: some held-out amplitudes are near 0, so the third derivative is large
    const h = 1e-7;
    let worst = 0;
    for (let i = 0; i < g.merged.length; i += 3) {
      const a = g.merged.slice();
      const b = g.merged.slice();
      a[i] = a[i]! + h;
      b[i] = b[i]! - h;
      const fd = (nllAt(a) - nllAt(b)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g.grad[i]!) / Math.max(1, Math.abs(g.grad[i]!)));
    }
    assert.ok(worst < 1e-5, `edge ${v}: worst relative |fd − grad| ${worst}`);
  }
});

test("seeded samples match P̃ (χ² at a fixed seed), marginals equal enumeration", () => {
  const st = blockStates(600, 6, 3, 0.15, 3);
  const flow = flowOf(6, [
    [
      [0, 1, 2],
      [3, 4, 5],
    ],
  ]);
  const t = bornTree(st, flow, { maxBond: 2, sweeps: 3 });
  const p = enumerate(t);
  const N = 20000;
  const s = bornTreeSample(t, N, { seed: 7 });
  const s2 = bornTreeSample(t, N, { seed: 7 });
  assert.equal(Array.from(s.data.subarray(0, 600)), Array.from(s2.data.subarray(0, 600)));
  const counts = new Float64Array(64);
  for (let j = 0; j < N; j++) {
    let g = 0;
    for (let i = 0; i < 6; i++) g = (g << 1) | s.data[j * 6 + i]!;
    counts[g]!++;
  }
  let chi2 = 0;
  let dof = -1;
  for (let g = 0; g < 64; g++) {
    const e = N * p[g]!;
    if (e < 5) continue;
    chi2 += (counts[g]! - e) ** 2 / e;
    dof++;
  }
  // 99.9 % quantile of χ²(dof) ≈ dof + 3.1 √(2 dof) + 10 for dof ≤ 63
  assert.ok(chi2 < dof + 3.1 * Math.sqrt(2 * dof) + 10, `χ² ${chi2} on ${dof} dof`);
  // marginals of (4, 1, 2) by enumeration
  const m = bornTreeMarginal(t, [4, 1, 2]);
  const ref = new Float64Array(8);
  for (let g = 0; g < 64; g++) {
    const b = (i: number) => (g >> (5 - i)) & 1;
    ref[(b(4) << 2) | (b(1) << 1) | b(2)]! += p[g]!;
  }
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(m[i]! - ref[i]!) < 1e-12, `${i}: ${m[i]} vs ${ref[i]}`);
  const all = bornTreeMarginal(t, [0, 1, 2, 3, 4, 5]);
  for (let g = 0; g < 64; g++) assert.ok(Math.abs(all[g]! - p[g]!) < 1e-12);
});

test("K-fold blocks: every contiguous block held out once, each fold = fitBorn on the other blocks with that block as test", () => {
  const st = blockStates(300, 8, 4, 0.1, 2);
  const cv = crossValidateBorn(st, 3, { maxBond: 2, sweeps: 2 });
  assert.equal(
    cv.folds.map((f) => f.test),
    [
      [0, 100],
      [100, 200],
      [200, 300],
    ],
  );
  const rows = (a: number, b: number) => st.data.subarray(a * 8, b * 8);
  const rest = new Uint8Array(200 * 8);
  rest.set(rows(0, 100));
  rest.set(rows(200, 300), 800);
  const f1 = fitBorn(
    { T: 200, n: 8, data: rest },
    { maxBond: 2, sweeps: 2, split: [0.7, 0.15, 0], test: { T: 100, n: 8, data: rows(100, 200) } },
  );
  assert.is(cv.folds[1]!.born, f1.nll.test);
  assert.is(cv.folds[1]!.mixture, f1.baselines!.mixture.test);
  const mean = (cv.folds[0]!.born + cv.folds[1]!.born + cv.folds[2]!.born) / 3;
  assert.ok(Math.abs(cv.mean.born - mean) < 1e-12);
  assert.ok(cv.se.born > 0);
  // the tree model folds the same way
  const flow = flowOf(8, [
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
  ]);
  const ct = crossValidateBorn(st, 2, { model: "born-tree", flow, maxBond: 2, sweeps: 2 });
  assert.ok(ct.folds.every((f) => Number.isFinite(f.born) && f.born < f.product! + 1e-9));
  throwsCode(() => crossValidateBorn(st, 1), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => crossValidateBorn(st, 3, { test: st }), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test("fitBorn born-tree: model selection on validation, no held-out zero, needs a flow", () => {
  const st = blockStates(900, 12, 6, 0.12, 8);
  const fit = fitBorn(st, { model: "born-tree", flow: FLOW12, maxBond: 4 });
  assert.is(fit.model, "born-tree");
  assert.ok(fit.testLogProb.every((v) => Number.isFinite(v)));
  assert.ok(fit.nll.test! < fit.baselines!.product.test! - 0.3, `${fit.nll.test} vs ${fit.baselines!.product.test}`);
  // the regularised model is normalised: Σ over all 2^12 states
  const lp = fit.logProb(allStates(12));
  let z = 0;
  for (const v of lp) z += 2 ** v;
  assert.ok(Math.abs(z - 1) < 1e-10, `${z}`);
  const h = modelEntropy(fit, 2000, { seed: 3 });
  let H = 0;
  for (const v of lp) H -= 2 ** v * v;
  assert.ok(Math.abs(h.mean - H) < 4 * h.se + 1e-9, `${h.mean} ± ${h.se} vs ${H}`);
  throwsCode(() => fitBorn(st, { model: "born-tree" }), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test("tnAcrossScales with the tree option: a tree Born machine per level on the sub-flow, beside the MPS", () => {
  const st = blockStates(900, 12, 6, 0.12, 4);
  const levels = [st, ...coarseTrajectories(st, FLOW12, { rule: "any" })];
  const sf = subFlow(FLOW12, 1);
  assert.is(sf.n0, 4);
  assert.equal(Array.from(sf.steps[0]!.assignment), [0, 0, 1, 1]);
  const r = tnAcrossScales(
    levels,
    Array.from({ length: 12 }, (_, i) => i),
    {
      maxBond: 2,
      samples: 200,
      tree: { flow: FLOW12, maxBond: 2 },
    },
  );
  assert.is(r.scales.length, 3);
  assert.ok(r.fitTree !== undefined && r.fitTree.model === "born-tree");
  for (const row of r.scales) {
    assert.type(row.heldOut.bornTree, "number");
    assert.ok(row.bornTree!.params > 0);
    const best = Math.min(
      ...[row.heldOut.born, row.heldOut.product, row.heldOut.chowLiu, row.heldOut.mixture, row.heldOut.bornTree!].map(
        (v) => v ?? Infinity,
      ),
    );
    assert.is(row.entropy, best);
  }
  assert.is(r.scales[0]!.heldOut.bornTree, r.fitTree!.nll.test);
});

test.run();
