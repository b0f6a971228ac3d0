import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  bornMachine,
  bornLogProb,
  bornSample,
  bornMarginal,
  bornMergedGradient,
  bornEntanglement,
  bornProduct,
  productModel,
  chowLiuTree,
  bernoulliMixture,
  fitBorn,
  modelEntropy,
  blockBootstrap,
  ttDense,
  svd,
  tensorTrain,
  DgrnShapeError,
  DgrnTypeError,
  DgrnRangeError,
  ErrorCode,
  throwsCode,
  kernel,
  type BinaryStates,
  type TensorTrain,
} from "../helpers/setup.js";
import { blockStates, bernoulliStates, support } from "./util.js";

const test = suite("tn/born");

/** All 2^n states, site 0 most significant. */
function allStates(n: number): BinaryStates {
  return support(n, () => 1).states;
}

function sum2(lp: Float64Array): number {
  let s = 0;
  for (const v of lp) s += 2 ** v;
  return s;
}

const ORDER = [3, 1, 2, 0, 4, 5, 6, 9, 8, 7];
const train = blockStates(600, 10, 3, 0.1, 11);

test("Σ_x P̃(x) = 1 by enumeration, log-probabilities equal the dense contraction (n = 10, χ ≤ 4, a permuted order)", () => {
  const bm = bornMachine(train, { maxBond: 4, sweeps: 3, order: ORDER });
  assert.ok(Math.max(...bm.bondDims) <= 4 && Math.max(...bm.bondDims) >= 2, `${bm.bondDims}`);
  const all = allStates(10);
  const lp = bornLogProb(bm, all);
  assert.ok(Math.abs(sum2(lp) - 1) < 1e-10, `Σ P̃ = ${sum2(lp)}`);
  // independent contraction: the dense ψ of the train (tnDense kernel), in site order
  const dense = ttDense(bm.train, { probability: true });
  let z = 0;
  for (const v of dense) z += v;
  assert.ok(Math.abs(z - 1) < 1e-10);
  let worst = 0;
  for (let g = 0; g < all.T; g++) {
    // row g in column layout → its index in site order
    let idx = 0;
    for (let k = 0; k < 10; k++) idx = idx * 2 + all.data[g * 10 + ORDER[k]!]!;
    worst = Math.max(worst, Math.abs(2 ** lp[g]! - dense[idx]!));
  }
  assert.ok(worst < 1e-13, `max |P̃ − dense| = ${worst}`);
  // training lowers the NLL well below the product model's on block-correlated data
  const nll = -bornLogProb(bm, train).reduce((a, b) => a + b, 0) / train.T;
  const prod =
    -productModel(train)
      .logProb(train)
      .reduce((a, b) => a + b, 0) / train.T;
  assert.ok(nll < prod - 1, `Born ${nll} vs product ${prod}`);
  // the history records monotone-ish training and the kept sweep
  assert.ok(bm.history[bm.history.length - 1]!.train < bm.history[0]!.train);
});

/** Move the orthogonality centre of a right-canonical train from site 0 to site k (left-isometric sites < k). */
function centreAt(t: TensorTrain, k: number): TensorTrain {
  const n = t.n;
  const bond = Array.from(t.bondDims);
  const cores: Float64Array[] = [];
  for (let q = 0; q < n; q++) cores.push(t.cores.slice(t.offsets[q]!, t.offsets[q]! + bond[q]! * 2 * bond[q + 1]!));
  for (let q = 0; q < k; q++) {
    const rl = bond[q]!;
    const rr = bond[q + 1]!;
    const d = svd({ rows: rl * 2, cols: rr, data: cores[q]! });
    const r = d.s.length;
    cores[q] = d.u!.data;
    // S Vᵀ (r × rr) times core q+1 (rr × 2 rr')
    const rn = bond[q + 2]!;
    const next = new Float64Array(r * 2 * rn);
    for (let i = 0; i < r; i++)
      for (let m = 0; m < rr; m++)
        for (let z = 0; z < 2 * rn; z++)
          next[i * 2 * rn + z] =
            next[i * 2 * rn + z]! + d.s[i]! * d.v!.data[m * r + i]! * cores[q + 1]![m * 2 * rn + z]!;
    cores[q + 1] = next;
    bond[q + 1] = r;
  }
  const offsets = new Int32Array(n);
  let tot = 0;
  for (let q = 0; q < n; q++) {
    offsets[q] = tot;
    tot += cores[q]!.length;
  }
  const all = new Float64Array(tot);
  cores.forEach((c, q) => all.set(c, offsets[q]!));
  return { ...t, bondDims: Int32Array.from(bond), cores: all, offsets };
}

/** Brute-force NLL (nats) of states under the train with cores k, k+1 replaced by the merged tensor M. */
function bruteNll(t: TensorTrain, k: number, M: Float64Array, states: BinaryStates): number {
  const n = t.n;
  const b = t.bondDims;
  const amp = (x: Uint8Array): number => {
    let v = new Float64Array([1]);
    for (let q = 0; q < n; q++) {
      if (q === k) {
        const rl = b[k]!;
        const rr = b[k + 2]!;
        const y = new Float64Array(rr);
        for (let a = 0; a < rl; a++)
          for (let be = 0; be < rr; be++) y[be] = y[be]! + v[a]! * M[((a * 2 + x[k]!) * 2 + x[k + 1]!) * rr + be]!;
        v = y;
        q++;
        continue;
      }
      const rl = b[q]!;
      const rr = b[q + 1]!;
      const y = new Float64Array(rr);
      const c = t.cores.subarray(t.offsets[q]!);
      for (let a = 0; a < rl; a++)
        for (let be = 0; be < rr; be++) y[be] = y[be]! + v[a]! * c[(a * 2 + x[q]!) * rr + be]!;
      v = y;
    }
    return v[0]!;
  };
  let z = 0;
  const all = allStates(n);
  for (let g = 0; g < all.T; g++) z += amp(all.data.subarray(g * n, g * n + n)) ** 2;
  let s = 0;
  for (let t2 = 0; t2 < states.T; t2++) s -= Math.log(amp(states.data.subarray(t2 * n, t2 * n + n)) ** 2 / z);
  return s / states.T;
}

test("the merged-tensor gradient (kernels) matches central finite differences of the enumerated NLL, at bonds 0, 3 and 6", () => {
  const st = blockStates(300, 8, 2, 0.15, 5);
  const bm = bornMachine(st, { maxBond: 3, sweeps: 1 });
  for (const k of [0, 3, 6]) {
    const t = centreAt(bm.train, k);
    const { merged, nll, grad } = bornMergedGradient(st, t, k);
    // Z = ‖M‖² in mixed-canonical form, so the kernel's NLL equals the enumerated one
    const ref = bruteNll(t, k, merged, st);
    assert.ok(Math.abs(nll - ref) < 1e-10, `bond ${k}: NLL ${nll} vs ${ref}`);
    const h = 1e-6;
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < merged.length; i++) {
      const p = merged.slice();
      p[i] = p[i]! + h;
      const m = merged.slice();
      m[i] = m[i]! - h;
      const fd = (bruteNll(t, k, p, st) - bruteNll(t, k, m, st)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - grad[i]!));
      scale = Math.max(scale, Math.abs(grad[i]!));
    }
    assert.ok(worst < 1e-6 * Math.max(1, scale), `bond ${k}: max |FD − grad| = ${worst} (scale ${scale})`);
  }
});

test("seeded samples follow P̃: χ² over the 2^5 states at a fixed seed; marginals equal summed enumeration", () => {
  const st = blockStates(500, 5, 5, 0.2, 9);
  const bm = bornMachine(st, { maxBond: 2, sweeps: 2 });
  const all = allStates(5);
  const p = Float64Array.from(bornLogProb(bm, all), (v) => 2 ** v);
  const m = 20000;
  const s = bornSample(bm, m, { seed: 3 });
  assert.equal(bornSample(bm, 50, { seed: 3 }).data, s.data.subarray(0, 250), "same seed, same samples");
  const counts = new Float64Array(32);
  for (let j = 0; j < m; j++) {
    let g = 0;
    for (let i = 0; i < 5; i++) g = g * 2 + s.data[j * 5 + i]!;
    counts[g] = counts[g]! + 1;
  }
  let chi2 = 0;
  let df = -1;
  for (let g = 0; g < 32; g++) {
    const e = m * p[g]!;
    if (e < 5) continue;
    chi2 += (counts[g]! - e) ** 2 / e;
    df++;
  }
  // 99.9 % quantile of χ² with ≤ 31 degrees of freedom is below 62
  assert.ok(chi2 < 62 && df >= 5, `χ² = ${chi2} with ${df} df`);
  // marginal of columns [4, 1] (4 most significant)
  const mg = bornMarginal(bm, [4, 1]);
  const ref = new Float64Array(4);
  for (let g = 0; g < 32; g++)
    ref[all.data[g * 5 + 4]! * 2 + all.data[g * 5 + 1]!] =
      ref[all.data[g * 5 + 4]! * 2 + all.data[g * 5 + 1]!]! + p[g]!;
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(mg[i]! - ref[i]!) < 1e-12, `${mg} vs ${ref}`);
});

test("entanglement: GHZ-like data gives ln 2 at every bond; a product machine gives 0", () => {
  const data = new Uint8Array(200 * 6);
  for (let t = 0; t < 100; t++) data.fill(1, t * 6, t * 6 + 6);
  const st = { T: 200, n: 6, data };
  const bm = bornMachine(st, { maxBond: 2, sweeps: 4 });
  const e = bornEntanglement(bm);
  for (const v of e) assert.ok(Math.abs(v - Math.log(2)) < 1e-3, `${e}`);
  for (const v of bornEntanglement(bornProduct(st))) assert.ok(Math.abs(v) < 1e-12);
});

test("baselines are normalised distributions (enumeration, n = 8); a 1-component mixture is the product model", () => {
  const st = blockStates(400, 8, 4, 0.1, 2);
  const all = allStates(8);
  const prod = productModel(st);
  const cl = chowLiuTree(st);
  const mix = bernoulliMixture(st, { components: 3, seed: 1 });
  for (const m of [prod, cl, mix]) assert.ok(Math.abs(sum2(m.logProb(all)) - 1) < 1e-12, m.kind);
  const one = bernoulliMixture(st, { components: 1 });
  const a = one.logProb(st);
  const b = prod.logProb(st);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9);
  // closed form of the product model: p = (c + ½)/(T + 1)
  let c0 = 0;
  for (let t = 0; t < st.T; t++) c0 += st.data[t * 8]!;
  const zero = prod.logProb({ T: 1, n: 8, data: new Uint8Array(8) })[0]!;
  const first = prod.logProb({ T: 1, n: 8, data: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0) })[0]!;
  assert.ok(Math.abs(first - zero - Math.log2((c0 + 0.5) / (st.T - c0 + 0.5))) < 1e-12);
  // Chow–Liu on block data beats the product model; the mixture beats both within blocks of 4
  const nll = (m: { logProb(s: BinaryStates): Float64Array }) => -m.logProb(st).reduce((x, y) => x + y, 0) / st.T;
  assert.ok(nll(cl) < nll(prod) - 1 && nll(mix) < nll(prod) - 1, `${nll(prod)} ${nll(cl)} ${nll(mix)}`);
  // Chow–Liu recovers a tree on a Markov chain x_{i+1} = x_i xor noise: the exact chain edges
  const chain = bernoulliStates(3000, 6, 0.1, 4);
  const d = chain.data;
  for (let t = 0; t < 3000; t++) for (let i = 1; i < 6; i++) d[t * 6 + i] = d[t * 6 + i - 1]! ^ d[t * 6 + i]!;
  const chainCl = chowLiuTree(chain);
  assert.is(chainCl.params, 11);
  const chainNll = -chainCl.logProb(chain).reduce((x, y) => x + y, 0) / 3000;
  // entropy of the chain: H(x0) + 5 H(0.1) in bits, with x0 ~ Bernoulli(0.1)
  const h = -(0.1 * Math.log2(0.1) + 0.9 * Math.log2(0.9));
  assert.ok(Math.abs(chainNll - 6 * h) < 0.05, `${chainNll} vs ${6 * h}`);
});

test("fitBorn: contiguous 70/15/15 blocks, no held-out state at probability 0, the Born model ahead of the product model", () => {
  const st = blockStates(1000, 12, 4, 0.08, 21);
  const fit = fitBorn(st, { maxBond: 4 });
  assert.equal(fit.split, { train: [0, 700], validation: [700, 850], test: [850, 1000] });
  assert.ok(fit.nll.test !== null && fit.nll.test < fit.baselines!.product.test! - 1, JSON.stringify(fit.nll));
  assert.ok(fit.mixWeight > 0 && fit.mixWeight < 1);
  const lp = fit.logProb(allStates(12));
  for (const v of lp) assert.ok(Number.isFinite(v) && v > -200);
  assert.ok(Math.abs(sum2(lp) - 1) < 1e-10, "the regularised model is normalised");
  assert.ok(fit.caps.length >= 1 && fit.caps[0]!.maxBond === 2);
  // its own entropy from exact samples vs enumeration
  let h = 0;
  for (const v of lp) h -= 2 ** v * v;
  const me = modelEntropy(fit, 4000, { seed: 2 });
  assert.ok(Math.abs(me.mean - h) < 4 * me.se + 1e-9, `${me.mean} ± ${me.se} vs ${h}`);
  // bootstrap interval brackets the mean
  const ci = blockBootstrap(
    Float64Array.from(fit.testLogProb, (v) => -v),
    { block: 10, reps: 200, seed: 1 },
  );
  assert.ok(ci.lo <= fit.nll.test! && fit.nll.test! <= ci.hi, `${ci.lo} ${fit.nll.test} ${ci.hi}`);
});

test("invalid arguments", () => {
  throwsCode(() => bornMachine(train, { maxBond: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => bornMachine(train, { bogus: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(
    () => bornMachine(train, { validation: bernoulliStates(10, 3, 0.5, 1) }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  );
  throwsCode(() => bornLogProb({} as never, train), DgrnTypeError, ErrorCode.INVALID_TYPE);
  const bm = bornProduct(train);
  throwsCode(() => bornLogProb(bm, bernoulliStates(10, 3, 0.5, 1)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => fitBorn(train, { caps: [] }), DgrnTypeError, ErrorCode.INVALID_TYPE);
  void tensorTrain;
  void kernel;
});

test.run();
