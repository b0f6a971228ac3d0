import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  predict,
  decode,
  decodeFlow,
  participationRatio,
  simulateMarkovChain,
  randomUniform,
  DgrnRangeError,
  DgrnTypeError,
  DgrnShapeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";

const test = suite("dynamics/predict-decode");

test("predict: closed form on a hand-made trajectory (α = 1)", () => {
  // train bins 0..4 = 0 1 0 1 0; held-out transitions 0→1, 1→0, 0→0, 0→1, 1→1
  const p = predict([0, 1, 0, 1, 0, 1, 0, 0, 1, 1], { pseudocount: 1, trainFraction: 0.5 });
  assert.is(p.split, 5);
  assert.is(p.nTest, 5);
  assert.is(p.vocabulary, 2);
  // marginal m = (c + 1)/(5 + 3) = [4/8, 3/8, 1/8 (unseen)]; ρ = (0 + 1)/(4 + 2) = 1/6
  // q(w|a) = ρ[w=a] + (1−ρ) m_w; Markov (N_aw + q)/(N_a + 1) with N_01 = N_10 = 2
  const q01 = (5 / 6) * (3 / 8);
  const q10 = (5 / 6) * (4 / 8);
  const q00 = 1 / 6 + (5 / 6) * (4 / 8);
  const q11 = 1 / 6 + (5 / 6) * (3 / 8);
  const L = Math.log;
  const markov = (2 * L((2 + q01) / 3) + L((2 + q10) / 3) + L(q00 / 3) + L(q11 / 3)) / 5;
  const pers = (2 * L(q01) + L(q10) + L(q00) + L(q11)) / 5;
  const marg = (3 * L(3 / 8) + 2 * L(4 / 8)) / 5;
  assert.ok(Math.abs(p.markov.logLikelihood - markov) < 1e-14, `${p.markov.logLikelihood} vs ${markov}`);
  assert.ok(Math.abs(p.persistence.logLikelihood - pers) < 1e-14);
  assert.ok(Math.abs(p.marginal.logLikelihood - marg) < 1e-14);
  // Markov predicts 0→1, 1→0; persistence "stay"; the marginal its mode 0
  assert.is(p.markov.accuracy, 3 / 5);
  assert.is(p.persistence.accuracy, 2 / 5);
  assert.is(p.marginal.accuracy, 2 / 5);
  assert.equal(p.pseudocount, { marginal: 1, persistence: 1, markov: 1 });
});

test("predict: on a long chain the Markov log-likelihood reaches −(entropy rate) and beats both baselines", () => {
  const P = [0.6, 0.3, 0.1, 0.1, 0.6, 0.3, 0.3, 0.1, 0.6];
  const x = simulateMarkovChain({ rows: 3, cols: 3, data: new Float64Array(P) }, { steps: 100000, seed: 12 });
  const p = predict(x);
  const H = -(0.6 * Math.log(0.6) + 0.3 * Math.log(0.3) + 0.1 * Math.log(0.1));
  assert.ok(Math.abs(p.markov.logLikelihood + H) < 0.015, `${p.markov.logLikelihood} vs ${-H}`);
  assert.ok(p.markov.logLikelihood > p.persistence.logLikelihood + 0.05);
  assert.ok(p.markov.logLikelihood > p.marginal.logLikelihood + 0.15);
  assert.is(p.unseenFraction, 0);
  // "auto" picks each α from the grid
  for (const a of Object.values(p.pseudocount)) assert.ok([0.1, 0.3, 1, 3, 10, 30, 100].includes(a));
});

test("predict: order 2 captures a second-order rule that order 1 cannot", () => {
  // x[t+1] = x[t] XOR x[t−1] with noise-free start: 0 1 1 0 1 1 0 …
  const x = Array.from({ length: 3000 }, (_, t) => [0, 1, 1][t % 3]!);
  const p1 = predict(x, { order: 1 });
  const p2 = predict(x, { order: 2 });
  assert.ok(p2.markov.accuracy === 1, `${p2.markov.accuracy}`);
  assert.ok(p1.markov.accuracy < 0.7);
});

test("decode: separable one-hot states give accuracy 1; chance is the majority-label rate", () => {
  const T = 600;
  const labels = Int32Array.from({ length: T }, (_, t) => (t % 10 < 6 ? 0 : t % 10 < 9 ? 1 : 2));
  const data = new Uint8Array(T * 3);
  for (let t = 0; t < T; t++) data[t * 3 + labels[t]!] = 1;
  const d = decode({ T, n: 3, data }, labels, { folds: 4, seed: 3 });
  assert.is(d.accuracy, 1);
  assert.ok(Math.abs(d.chance - 0.6) < 1e-12); // label 0 is the majority in every training fold
  assert.is(d.uniformChance, 1 / 3);
  assert.equal([...d.classes], [0, 1, 2]);
  assert.equal([...d.confusion], [360, 0, 0, 0, 180, 0, 0, 0, 60]);
  assert.is(d.foldAccuracy.length, 4);
});

test("decode: uninformative states stay near chance; folds are fixed by the seed", () => {
  const T = 1000;
  const u = randomUniform(T * 8 + T, { seed: 21 });
  const labels = Int32Array.from({ length: T }, (_, t) => (u[T * 8 + t]! < 0.7 ? -1 : 4));
  const data = Uint8Array.from(u.subarray(0, T * 8), (v) => (v < 0.3 ? 1 : 0));
  const a = decode({ T, n: 8, data }, labels, { seed: 5 });
  const b = decode({ T, n: 8, data }, labels, { seed: 5 });
  assert.ok(Math.abs(a.accuracy - a.chance) < 0.05, `${a.accuracy} vs ${a.chance}`);
  assert.is(a.accuracy, b.accuracy);
  assert.equal([...a.classes], [-1, 4]);
  assert.is(a.block, 20); // ⌊T / (10 · folds)⌋
});

test("decodeFlow: fine level first, then one entry per RG step, same folds", () => {
  const T = 400;
  const labels = Int32Array.from({ length: T }, (_, t) => (t % 4 < 2 ? 0 : 1));
  const data = new Uint8Array(T * 4);
  for (let t = 0; t < T; t++) {
    data[t * 4 + (labels[t] ? 2 : 0)] = 1;
    data[t * 4 + (labels[t] ? 3 : 1)] = t % 2;
  }
  const flow = {
    n0: 4,
    stopReason: "",
    steps: [
      {
        tau: 1,
        n: 2,
        groups: [
          [0, 1],
          [2, 3],
        ],
        assignment: new Int32Array([0, 0, 1, 1]),
      },
    ],
  };
  const out = decodeFlow({ T, n: 4, data }, flow, labels, { seed: 2 });
  assert.equal(
    out.map((d) => [d.level, d.nFeatures]),
    [
      [0, 4],
      [1, 2],
    ],
  );
  assert.is(out[0]!.accuracy, 1);
  assert.is(out[1]!.accuracy, 1);
});

test("participationRatio: closed forms", () => {
  // two perfectly anticorrelated units: one direction → PR = 1
  assert.ok(Math.abs(participationRatio({ T: 4, n: 2, data: new Uint8Array([1, 0, 0, 1, 1, 0, 0, 1]) }) - 1) < 1e-15);
  // full factorial of 3 bits: C = I/4 → PR = 3
  const data = new Uint8Array(8 * 3);
  for (let t = 0; t < 8; t++) for (let j = 0; j < 3; j++) data[t * 3 + j] = (t >> j) & 1;
  assert.ok(Math.abs(participationRatio({ T: 8, n: 3, data }) - 3) < 1e-15);
  // fractions: unit 1 = 2 × unit 0 (rank one) plus a constant unit → PR = 1
  const f = new Float64Array([0.1, 0.2, 0.5, 0.3, 0.6, 0.5, 0.2, 0.4, 0.5]);
  assert.ok(
    Math.abs(participationRatio({ kind: "fraction", T: 3, n: 3, data: f, sizes: new Int32Array([1, 1, 1]) }) - 1) <
      1e-12,
  );
  // (tr C)²/tr C² against the eigenvalues of a 2×2 covariance: C = [[a, b], [b, c]]
  const x = new Uint8Array([1, 1, 1, 0, 0, 0, 1, 1, 0, 1]); // T = 5, n = 2
  const m0 = 3 / 5,
    m1 = 3 / 5;
  const a = m0 - m0 * m0,
    c = m1 - m1 * m1,
    b = 2 / 5 - m0 * m1;
  const disc = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = (a + c) / 2 + disc,
    l2 = (a + c) / 2 - disc;
  assert.ok(Math.abs(participationRatio({ T: 5, n: 2, data: x }) - (l1 + l2) ** 2 / (l1 * l1 + l2 * l2)) < 1e-14);
  // nothing varies
  assert.is(participationRatio({ T: 3, n: 2, data: new Uint8Array(6) }), 0);
});

const st = { T: 20, n: 1, data: new Uint8Array(20) };
const lab = Int32Array.from({ length: 20 }, (_, t) => t % 2);
const invalid: Array<[string, () => unknown, abstract new (...a: never[]) => Error, string]> = [
  ["predict: pseudocount 0", () => predict([0, 1, 0, 1], { pseudocount: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "predict: pseudocount a string",
    () => predict([0, 1, 0, 1], { pseudocount: "big" as never }),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ],
  [
    "predict: trainFraction 1",
    () => predict([0, 1, 0, 1], { trainFraction: 1 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  [
    "predict: split leaves no training",
    () => predict([0, 1, 0, 1], { trainFraction: 0.25 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  ["predict: order 0", () => predict([0, 1, 0, 1], { order: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "predict: unknown option",
    () => predict([0, 1, 0, 1], { alpha: 1 } as never),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ],
  ["decode: labels length", () => decode(st, lab.subarray(1)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH],
  ["decode: labels not an array", () => decode(st, 3 as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "decode: fractional label",
    () =>
      decode(
        st,
        Array.from(lab, (v) => v + 0.5),
      ),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  ["decode: one class", () => decode(st, new Int32Array(20)), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["decode: folds 1", () => decode(st, lab, { folds: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "decode: more folds than blocks",
    () => decode(st, lab, { folds: 5, block: 10 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  ["decode: negative l2", () => decode(st, lab, { l2: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["decode: block 0", () => decode(st, lab, { block: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["decode: states not states", () => decode([0, 1] as never, lab), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "decodeFlow: rule",
    () => decodeFlow(st, { n0: 1, stopReason: "", steps: [] }, lab, { rule: "min" as never }),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ],
  [
    "participationRatio: entry 3",
    () => participationRatio({ T: 1, n: 1, data: new Uint8Array([3]) }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ],
  [
    "participationRatio: not states",
    () => participationRatio(undefined as never),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ],
];
for (const [name, fn, cls, code] of invalid) test(`invalid argument: ${name}`, () => throwsCode(fn, cls, code));

test.run();
