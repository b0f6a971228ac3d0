import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  tensorTrain,
  ttDense,
  ttEvaluate,
  ttInner,
  ttTotal,
  ttNormalize,
  ttSample,
  ttMarginal,
  ttSummary,
  empiricalDense,
  klDivergence,
  totalVariation,
  shannonEntropy,
  randomPermutation,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  DgrnKernelError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
  kernel,
} from "../helpers/setup.js";
import { bernoulliStates, blockStates, permuteDense, relDiff, support } from "./util.js";

const test = suite("tn/tensorTrain");

test("‖P − P̃‖_F ≤ ε‖P‖_F by enumeration (random and block-correlated samples, P and Born, n ≤ 20)", () => {
  const cases = [
    { st: bernoulliStates(400, 8, 0.3, 1), tol: 0.05 },
    { st: bernoulliStates(600, 12, 0.2, 2), tol: 0.2 },
    { st: blockStates(500, 12, 4, 0.1, 3), tol: 0.02 },
    { st: blockStates(800, 16, 4, 0.05, 4), tol: 0.1 },
    { st: bernoulliStates(300, 20, 0.1, 5), tol: 0.3 },
  ];
  for (const { st, tol } of cases) {
    for (const born of [false, true]) {
      const tt = tensorTrain(st, { tol, born, maxBond: 4096 });
      const P = empiricalDense(st);
      const ref = born ? P.map(Math.sqrt) : P;
      const err = relDiff(ref, ttDense(tt));
      assert.ok(err <= tol * (1 + 1e-9), `n=${st.n} born=${born}: ${err} > ${tol}`);
      // the reported error is the exact one (TT-SVD's pieces are orthogonal)
      assert.ok(Math.abs(err - tt.relError) <= 1e-9, `relError ${tt.relError} vs ${err}`);
      // some truncation happened, so the test has teeth
      assert.ok(tt.relError > 0, `n=${st.n}: nothing truncated`);
    }
  }
});

test("exact distributions (weighted supports): 1-D Ising chain at β = 0.7 to ε = 1e-6", () => {
  const n = 12;
  const { states, weights } = support(n, (x) => {
    let e = 0;
    for (let i = 0; i + 1 < n; i++) e += (2 * x[i]! - 1) * (2 * x[i + 1]! - 1);
    return Math.exp(0.7 * e);
  });
  const tt = tensorTrain(states, { tol: 1e-6, weights });
  const P = empiricalDense(states, { weights });
  assert.ok(relDiff(P, ttDense(tt)) <= 1e-6);
  // a nearest-neighbour chain has TT rank 2 (transfer matrix)
  assert.ok(Math.max(...tt.bondDims) <= 2, `bonds ${tt.bondDims}`);
});

test("a product distribution gives all bond dimensions 1", () => {
  const n = 10;
  const p = [0.1, 0.5, 0.3, 0.9, 0.2, 0.7, 0.4, 0.6, 0.05, 0.8];
  const { states, weights } = support(n, (x) => x.reduce((a, xi, i) => a * (xi ? p[i]! : 1 - p[i]!), 1));
  for (const born of [false, true]) {
    const tt = tensorTrain(states, { tol: 1e-3, weights, born });
    assert.equal(Array.from(tt.bondDims), new Array(n + 1).fill(1));
    const P = empiricalDense(states, { weights });
    assert.ok(maxAbsDiff(ttDense(tt, { probability: true }), P) < 1e-14);
    for (const s of tt.entanglement) assert.ok(Math.abs(s) < 1e-12);
  }
});

test("a mixture of r product distributions is recovered with bond ≤ r and error ≤ 1e-12", () => {
  const n = 12;
  for (const r of [2, 3, 5]) {
    const comps = Array.from({ length: r }, (_, c) =>
      Array.from({ length: n }, (_, i) => 0.05 + (0.9 * (((c + 1) * 7919 * (i + 3)) % 101)) / 101),
    );
    const mix = Array.from({ length: r }, (_, c) => (c + 1) / ((r * (r + 1)) / 2));
    const { states, weights } = support(n, (x) => {
      let s = 0;
      for (let c = 0; c < r; c++)
        s += mix[c]! * x.reduce((a, xi, i) => a * (xi ? comps[c]![i]! : 1 - comps[c]![i]!), 1);
      return s;
    });
    const tt = tensorTrain(states, { tol: 1e-13, weights, maxBond: 64 });
    assert.ok(Math.max(...tt.bondDims) <= r, `r=${r}: bonds ${tt.bondDims}`);
    assert.is(Math.max(...tt.bondDims), r);
    const P = empiricalDense(states, { weights });
    assert.ok(relDiff(P, ttDense(tt)) <= 1e-12, `r=${r}: ${relDiff(P, ttDense(tt))}`);
  }
});

test("one site: the train is the marginal itself; two sites: one bond", () => {
  const st = { T: 4, n: 1, data: new Uint8Array([1, 0, 1, 1]) };
  const tt = tensorTrain(st);
  assert.equal(Array.from(tt.bondDims), [1, 1]);
  assert.equal(Array.from(ttDense(tt)), [0.25, 0.75]);
  assert.is(tt.entanglement.length, 0);
  const two = tensorTrain({ T: 4, n: 2, data: new Uint8Array([0, 0, 1, 1, 1, 1, 0, 1]) }, { born: true });
  assert.ok(maxAbsDiff(ttDense(two, { probability: true }), [0.25, 0.25, 0, 0.5]) < 1e-15);
  // ψ = (½, ½, 0, 1/√2): Schmidt values of [[½, ½], [0, 1/√2]]
  const ev = [
    (1 + Math.sqrt(1 - 4 * (0.5 / Math.SQRT2) ** 2)) / 2,
    (1 - Math.sqrt(1 - 4 * (0.5 / Math.SQRT2) ** 2)) / 2,
  ];
  assert.ok(Math.abs(two.entanglement[0]! - -(ev[0]! * Math.log(ev[0]!) + ev[1]! * Math.log(ev[1]!))) < 1e-14);
});

test("GHZ-like Born state: every bond entanglement is ln 2", () => {
  for (const n of [2, 5, 16]) {
    const data = new Uint8Array(2 * n);
    data.fill(1, n);
    const tt = tensorTrain({ T: 2, n, data }, { born: true });
    assert.equal(Array.from(tt.bondDims), [1, ...new Array(n - 1).fill(2), 1]);
    for (const s of tt.entanglement) assert.ok(Math.abs(s - Math.LN2) < 1e-15, `${s}`);
    for (const sv of tt.singularValues) assert.ok(maxAbsDiff(sv, [Math.SQRT1_2, Math.SQRT1_2]) < 1e-15);
  }
});

test("Schmidt spectrum of a Born train equals the SVD of the dense ψ unfolding (brute force, n = 8)", () => {
  const st = blockStates(300, 8, 3, 0.1, 11);
  const tt = tensorTrain(st, { born: true, tol: 0 });
  const psi = empiricalDense(st).map(Math.sqrt);
  // entanglement at bond k from the eigenvalues of the reduced density matrix ρ = Ψ Ψᵀ (Ψ: 2^k × 2^{n−k})
  for (let k = 1; k < 8; k++) {
    const rows = 2 ** k;
    const cols = 2 ** (8 - k);
    // trace of ρ^2 as an invariant (purity), compared with Σ s⁴
    let purity = 0;
    for (let a = 0; a < rows; a++)
      for (let b = 0; b < rows; b++) {
        let r = 0;
        for (let c = 0; c < cols; c++) r += psi[a * cols + c]! * psi[b * cols + c]!;
        purity += r * r;
      }
    const s4 = tt.singularValues[k - 1]!.reduce((acc, s) => acc + s ** 4, 0);
    assert.ok(Math.abs(purity - s4) < 1e-12, `bond ${k}: ${purity} vs ${s4}`);
  }
});

test("order: the train of permuted columns equals the permuted empirical tensor", () => {
  const st = blockStates(400, 10, 5, 0.1, 21);
  const order = randomPermutation(10, { seed: 4 });
  const tt = tensorTrain(st, { order, tol: 0 });
  const P = empiricalDense(st);
  assert.ok(maxAbsDiff(ttDense(tt), permuteDense(P, 10, order)) < 1e-13);
  assert.ok(maxAbsDiff(empiricalDense(st, { order }), permuteDense(P, 10, order)) === 0);
  // evaluation takes states in the original column layout
  const v = ttEvaluate(tt, st);
  for (let t = 0; t < 20; t++) {
    let g = 0;
    for (let i = 0; i < 10; i++) g = g * 2 + st.data[t * 10 + i]!;
    assert.ok(Math.abs(v[t]! - P[g]!) < 1e-13);
  }
});

test("evaluate, total, inner and normalize agree with the dense expansion", () => {
  const st = bernoulliStates(300, 9, 0.3, 31);
  for (const born of [false, true]) {
    const tt = tensorTrain(st, { tol: 0.2, born });
    const dense = ttDense(tt);
    const pd = ttDense(tt, { probability: true });
    const v = ttEvaluate(tt, st);
    for (let t = 0; t < st.T; t++) {
      let g = 0;
      for (let i = 0; i < 9; i++) g = g * 2 + st.data[t * 9 + i]!;
      assert.ok(Math.abs(v[t]! - pd[g]!) < 1e-14);
    }
    const sumP = pd.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(ttTotal(tt) - sumP) < 1e-13);
    assert.ok(Math.abs(ttInner(tt, tt) - dense.reduce((a, b) => a + b * b, 0)) < 1e-13);
    const other = tensorTrain(bernoulliStates(200, 9, 0.4, 32), { tol: 0.1, born });
    const od = ttDense(other);
    assert.ok(Math.abs(ttInner(tt, other) - dense.reduce((a, b, i) => a + b * od[i]!, 0)) < 1e-13);
    assert.ok(Math.abs(ttTotal(ttNormalize(tt)) - 1) < 1e-13);
  }
});

test("marginals of any subset, in the listed column order (P and Born)", () => {
  const st = blockStates(500, 8, 4, 0.15, 41);
  for (const born of [false, true]) {
    const tt = tensorTrain(st, { tol: 0.1, born, order: [7, 6, 5, 4, 3, 2, 1, 0] });
    // dense P̃ in site order → column order
    const site = ttDense(tt, { probability: true });
    const cols = permuteDense(site, 8, Int32Array.from([7, 6, 5, 4, 3, 2, 1, 0])); // the reversal is its own inverse
    for (const S of [[0], [3, 1], [2, 5, 7], [6, 0, 1, 4], [0, 1, 2, 3, 4, 5, 6, 7]]) {
      const ref = new Float64Array(2 ** S.length);
      for (let g = 0; g < 256; g++) {
        let j = 0;
        for (const c of S) j = j * 2 + ((g >> (7 - c)) & 1);
        ref[j]! += cols[g]!;
      }
      assert.ok(maxAbsDiff(ttMarginal(tt, S), ref) < 1e-14, `born=${born} S=${S}`);
    }
  }
});

test("seeded sampling: reproducible, and frequencies match the train (exact train, T = 20000)", () => {
  const st = blockStates(200, 6, 3, 0.1, 51);
  for (const born of [false, true]) {
    const tt = tensorTrain(st, { tol: 0, born });
    const a = ttSample(tt, 20000, { seed: 9 });
    const b = ttSample(tt, 20000, { seed: 9 });
    assert.equal(a.data, b.data);
    assert.not.equal(ttSample(tt, 50, { seed: 10 }).data, a.data.subarray(0, 300));
    const P = empiricalDense(st);
    const Q = empiricalDense(a);
    // TV of 20000 draws over ≤ 64 states: the expected value is ≲ 0.03
    assert.ok(totalVariation(P, Q) < 0.04, `TV ${totalVariation(P, Q)}`);
    // only states of the support appear
    for (let g = 0; g < 64; g++) if (P[g] === 0) assert.is(Q[g], 0);
  }
});

test("summary: KL and TV against the empirical distribution; closed forms of the measures", () => {
  const st = bernoulliStates(400, 10, 0.25, 61);
  const tt = tensorTrain(st, { tol: 0.3 });
  const s = ttSummary(tt, st);
  const P = empiricalDense(st);
  const Q = ttDense(tt, { probability: true });
  assert.is(s.kl, klDivergence(P, Q));
  assert.is(s.tv, totalVariation(P, Q));
  assert.ok(s.kl! > 0 && s.tv! > 0);
  assert.is(s.params, tt.params);
  assert.is(s.fullSize, 1024);
  assert.ok(Math.abs(klDivergence([0.5, 0.5], [0.25, 0.75]) - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-15);
  assert.is(totalVariation([1, 0], [0.5, 0.5]), 0.5);
  assert.ok(Math.abs(shannonEntropy([0.25, 0.25, 0.5]) - 1.5 * Math.LN2) < 1e-15);
  // negative reconstruction entries are clipped before KL/TV
  assert.is(totalVariation([0.5, 0.5], [1.5, -0.5]), 0.5);
});

test("n = 60: params, the exact error identity without enumeration, and a binding maxBond", () => {
  const st = blockStates(200, 60, 10, 0.05, 71);
  const loose = tensorTrain(st, { tol: 0.3, maxBond: 4096 });
  assert.ok(loose.relError <= 0.3 && loose.relError > 0.01);
  // 200 mostly distinct samples: the unfolding ranks are near 200, so maxBond = 64 binds
  const tt = tensorTrain(st, { tol: 0.05 });
  assert.is(Math.max(...tt.bondDims), 64);
  let p = 0;
  for (let k = 0; k < 60; k++) p += 2 * tt.bondDims[k]! * tt.bondDims[k + 1]!;
  assert.is(tt.params, p);
  assert.is(tt.cores.length, p);
  assert.is(tt.fullSize, 2 ** 60);
  assert.ok(tt.relError > 0.05, "maxBond binds, so the error exceeds tol (and is reported)");
  // without enumeration: P̃ is the orthogonal projection of P, so ⟨P, P̃⟩ = ‖P̃‖² and
  // ‖P‖² − ‖P̃‖² = (relError ‖P‖)²; ⟨P, P̃⟩ from the distinct samples, ‖P̃‖² by contraction
  const prob = new Map<string, number>();
  for (let t = 0; t < st.T; t++) {
    const key = st.data.subarray(t * 60, t * 60 + 60).join("");
    prob.set(key, (prob.get(key) ?? 0) + 1 / st.T);
  }
  const keys = [...prob.keys()];
  const distinct = { T: keys.length, n: 60, data: Uint8Array.from(keys.join(""), (ch) => Number(ch)) };
  const v = ttEvaluate(tt, distinct);
  let pq = 0;
  let pp = 0;
  keys.forEach((k, i) => {
    pq += prob.get(k)! * v[i]!;
    pp += prob.get(k)! ** 2;
  });
  const qq = ttInner(tt, tt);
  assert.ok(Math.abs(pq - qq) < 1e-12 * pp, `${pq} vs ${qq}`);
  assert.ok(Math.abs(Math.sqrt(pp) - tt.norm) < 1e-15);
  assert.ok(Math.abs(pp - qq - (tt.relError * tt.norm) ** 2) < 1e-12 * pp);
  assert.ok(tt.relError > 0.001);
});

test("invalid arguments (one per check)", () => {
  const st = bernoulliStates(10, 4, 0.5, 1);
  const tt = tensorTrain(st);
  throwsCode(() => tensorTrain(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => tensorTrain({ T: 2, n: 2, data: new Uint8Array(3) }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => tensorTrain({ T: 1, n: 2, data: new Uint8Array([0, 2]) }), DgrnRangeError, ErrorCode.INVALID_DATA);
  throwsCode(() => tensorTrain({ T: 0, n: 2, data: new Uint8Array(0) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain({ T: 1, n: 2, data: [0, 1] as never }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => tensorTrain(st, { tol: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { tol: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { tol: NaN }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => tensorTrain(st, { maxBond: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { maxBond: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { born: "yes" as never }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => tensorTrain(st, { order: [0, 1, 1, 2] }), DgrnRangeError, ErrorCode.INVALID_DATA);
  throwsCode(() => tensorTrain(st, { order: [0, 1, 2] }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => tensorTrain(st, { order: [0, 1, 2, 4] }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { order: "0123" as never }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => tensorTrain(st, { weights: new Array(10).fill(-1) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { weights: new Array(10).fill(0) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tensorTrain(st, { weights: [1] }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => tensorTrain(st, { maxbond: 3 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => ttEvaluate({} as never, st), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => ttEvaluate(tt, bernoulliStates(2, 5, 0.5, 1)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => ttEvaluate({ ...tt, cores: tt.cores.subarray(1) }, st), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => ttInner(tt, tensorTrain(bernoulliStates(3, 5, 0.5, 1))), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => ttDense(tensorTrain(bernoulliStates(3, 25, 0.5, 1))), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => ttDense(tt, { probability: 1 } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => ttMarginal(tt, [1, 1]), DgrnRangeError, ErrorCode.INVALID_DATA);
  throwsCode(() => ttMarginal(tt, [4]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => ttMarginal(tt, []), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => ttMarginal(tt, "01" as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => ttSample(tt, -1), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => ttSample(tt, 3, { seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  const zero = { ...tt, cores: new Float64Array(tt.cores.length) };
  throwsCode(() => ttNormalize(zero), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => ttSample(zero, 3), DgrnKernelError, ErrorCode.KERNEL);
  throwsCode(() => klDivergence([1, 0], [1]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => shannonEntropy([1, -1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => empiricalDense(st, { order: [0, 0, 1, 2] }), DgrnRangeError, ErrorCode.INVALID_DATA);
});

test("kernel memory is returned after every call, good or bad", () => {
  const st = bernoulliStates(100, 8, 0.3, 91);
  const before = kernel.stats().bytesInUse;
  const tt = tensorTrain(st, { tol: 0.1 });
  ttDense(tt);
  ttSample(tt, 10);
  ttMarginal(tt, [1, 2]);
  ttInner(tt, tt);
  ttEvaluate(tt, st);
  const zero = { ...tt, cores: new Float64Array(tt.cores.length) };
  try {
    ttSample(zero, 3);
  } catch {
    /* expected */
  }
  assert.is(kernel.stats().bytesInUse, before);
});

test("inputs are not mutated", () => {
  const st = bernoulliStates(50, 6, 0.3, 81);
  const copy = st.data.slice();
  const order = Int32Array.from([5, 4, 3, 2, 1, 0]);
  const tt = tensorTrain(st, { order, tol: 0.1 });
  const cores = tt.cores.slice();
  ttNormalize(tt);
  ttSample(tt, 5);
  assert.equal(st.data, copy);
  assert.equal(Array.from(order), [5, 4, 3, 2, 1, 0]);
  assert.equal(tt.cores, cores);
});

test.run();
