import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  entropyProduction,
  entropyProductionFlow,
  simulateMarkovChain,
  DgrnRangeError,
  DgrnTypeError,
  DgrnShapeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";

const test = suite("dynamics/entropy");

/** The 3-state ring: forward p, backward q, stay 1 − p − q. */
function ring(p: number, q: number) {
  const s = 1 - p - q;
  return { rows: 3, cols: 3, data: new Float64Array([s, p, q, q, s, p, p, q, s]) };
}
const ringSigma = (p: number, q: number) => (p - q) * Math.log(p / q);

/** Independent reference: σ̂ = Σ (ñ_ab/Ñ) ln(ñ_ab/ñ_ba) from a Map of pair counts. */
function referenceSigma(x: ArrayLike<number>, alpha: number): number {
  const n = new Map<string, number>();
  for (let t = 0; t + 1 < x.length; t++) n.set(`${x[t]},${x[t + 1]}`, (n.get(`${x[t]},${x[t + 1]}`) ?? 0) + 1);
  const support = new Map<string, number>();
  for (const [k, v] of n) {
    const [a, b] = k.split(",");
    support.set(k, v + alpha);
    if (alpha > 0 && !n.has(`${b},${a}`)) support.set(`${b},${a}`, alpha);
  }
  let tot = 0;
  for (const v of support.values()) tot += v;
  let s = 0;
  for (const [k, v] of support) {
    const [a, b] = k.split(",");
    if (a === b) continue;
    const r = support.get(`${b},${a}`);
    if (r === undefined || r === 0 || v === 0) continue;
    s += (v / tot) * Math.log(v / r);
  }
  return s;
}

test("3-state ring, T = 10^6: σ = (p − q) ln(p/q) to 2 %, far above the shuffle band", () => {
  for (const [p, q, seed] of [
    [0.6, 0.2, 3],
    [0.4, 0.1, 4],
  ] as const) {
    const x = simulateMarkovChain(ring(p, q), { steps: 1_000_000, seed });
    const e = entropyProduction(x, { seed: 1 });
    const exact = ringSigma(p, q);
    assert.ok(Math.abs(e.sigma / exact - 1) < 0.02, `p=${p} q=${q}: σ̂ = ${e.sigma}, exact ${exact}`);
    assert.is(e.nStates, 3);
    assert.is(e.nTransitions, 999_999);
    assert.is(e.cycleRank, 1); // the triangle 0–1–2
    assert.is(e.bias, 2 / 999_999);
    assert.ok(e.sigma > 100 * e.baseline!.hi, "the ring is far outside the surrogate band");
    assert.is(e.baseline!.pValue, 1 / 20);
  }
});

test("reversible chain (detailed balance), T = 10^6: σ ≈ 0, inside both surrogate bands", () => {
  // symmetric flux F → P_ab = F_ab / Σ_b F_ab satisfies π_a P_ab = π_b P_ba
  const F = [
    [0.2, 0.1, 0.05],
    [0.1, 0.25, 0.1],
    [0.05, 0.1, 0.05],
  ];
  const data = new Float64Array(9);
  F.forEach((row, a) => {
    const r = row.reduce((u, v) => u + v, 0);
    row.forEach((v, b) => (data[a * 3 + b] = v / r));
  });
  const x = simulateMarkovChain({ rows: 3, cols: 3, data }, { steps: 1_000_000, seed: 5 });
  for (const surrogate of ["shuffle", "reversible"] as const) {
    const e = entropyProduction(x, { surrogate, surrogates: 19, seed: 2 });
    const b = e.baseline!;
    assert.ok(e.sigma >= b.lo - 1e-12 && e.sigma <= b.hi, `${surrogate}: σ̂ = ${e.sigma} outside [${b.lo}, ${b.hi}]`);
    assert.ok(b.pValue > 0.05, `${surrogate}: p = ${b.pValue}`);
    assert.ok(e.sigma < 1e-4 && b.hi < 1e-4, `σ̂ = ${e.sigma}, band top ${b.hi}`);
    assert.ok(Math.abs(e.sigmaCorrected) < 2e-5);
  }
});

test("finite-data correction: under detailed balance the mean plug-in σ̂ is 2β/N", () => {
  // 4 states, all transitions allowed: β = 6 − 3 = 3; T = 5,000; 300 independent runs
  const K = 4;
  const data = new Float64Array(K * K).fill(1 / K);
  let sum = 0;
  const reps = 300;
  let beta = 0;
  let N = 0;
  for (let r = 0; r < reps; r++) {
    const x = simulateMarkovChain({ rows: K, cols: K, data }, { steps: 5000, seed: 100 + r });
    const e = entropyProduction(x, { surrogates: 0 });
    sum += e.sigma;
    beta = e.cycleRank;
    N = e.nTransitions;
    assert.is(e.baseline, null);
  }
  assert.is(beta, 3);
  const mean = sum / reps;
  // N σ̂ ≈ 2 χ²_β: mean 2β/N, sd of the mean 2√(2β)/(N√reps)
  const sdMean = (2 * Math.sqrt(2 * beta)) / (N * Math.sqrt(reps));
  assert.ok(Math.abs(mean - (2 * beta) / N) < 4 * sdMean, `mean ${mean} vs 2β/N = ${(2 * beta) / N} (sd ${sdMean})`);
});

test("the plug-in σ equals an independent count-by-count reference (α = 0 and α = 0.5, one-way pairs)", () => {
  const x = [0, 1, 2, 0, 1, 2, 3, 0, 1, 0, 2, 2, 1, 0, 3, 1, 1, 0];
  for (const alpha of [0, 0.5]) {
    const e = entropyProduction(x, { pseudocount: alpha, surrogates: 0 });
    assert.ok(
      Math.abs(e.sigma - referenceSigma(x, alpha)) < 1e-14,
      `α=${alpha}: ${e.sigma} vs ${referenceSigma(x, alpha)}`,
    );
  }
  // one-way pairs: 1→2, 2→3, 3→0, 3→1 (count 1 each) … fraction of the 17 transitions
  const e0 = entropyProduction(x, { surrogates: 0 });
  assert.ok(e0.oneWayFraction > 0 && e0.oneWayFraction < 1);
});

test("a purely one-way cycle has σ = 0 without pseudocounts (excluded) and > 0 with them", () => {
  const x = Array.from({ length: 300 }, (_, t) => t % 3);
  const e0 = entropyProduction(x, { surrogates: 0 });
  assert.is(e0.sigma, 0);
  assert.is(e0.oneWayFraction, 1);
  assert.is(e0.nPairs, 0);
  const e1 = entropyProduction(x, { pseudocount: 1, surrogates: 0 });
  // ñ = 100 (or 99) forward, 1 back: σ = Σ (ñ/Ñ) ln ñ + (1/Ñ) ln(1/ñ) per pair
  assert.ok(e1.sigma > 4);
});

test("lumping a product chain: σ_lumped ≈ σ of the kept factor, ≤ σ_fine (also through σ per RG step)", () => {
  // two independent rings; the fine state is (a, b) and lumping onto a is exact (a is Markov)
  const [p1, q1, p2, q2] = [0.5, 0.2, 0.3, 0.1];
  const r1 = ring(p1, q1).data;
  const r2 = ring(p2, q2).data;
  const data = new Float64Array(81);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++)
      for (let c = 0; c < 3; c++)
        for (let d = 0; d < 3; d++) data[(a * 3 + b) * 9 + c * 3 + d] = r1[a * 3 + c]! * r2[b * 3 + d]!;
  const x = simulateMarkovChain({ rows: 9, cols: 9, data }, { steps: 1_000_000, seed: 11 });
  const lumped = Int32Array.from(x, (s) => Math.floor(s / 3));
  const fine = entropyProduction(x, { surrogates: 0 });
  const lump = entropyProduction(lumped, { surrogates: 0 });
  const s1 = ringSigma(p1, q1);
  const s2 = ringSigma(p2, q2);
  assert.ok(Math.abs(fine.sigma / (s1 + s2) - 1) < 0.02, `fine ${fine.sigma} vs ${s1 + s2}`);
  assert.ok(Math.abs(lump.sigma / s1 - 1) < 0.02, `lumped ${lump.sigma} vs ${s1}`);
  assert.ok(lump.sigma <= fine.sigma);

  // the same lumping as an RG step over one-hot binary units: units 0–2 = ring 1, 3–5 = ring 2;
  // step 1 keeps units 0, 1, 2 and merges 3–5 into one block (always active under "any")
  const T = x.length;
  const bits = new Uint8Array(T * 6);
  for (let t = 0; t < T; t++) {
    bits[t * 6 + Math.floor(x[t]! / 3)] = 1;
    bits[t * 6 + 3 + (x[t]! % 3)] = 1;
  }
  const flow = {
    n0: 6,
    stopReason: "given",
    steps: [{ tau: 1, n: 4, groups: [[0], [1], [2], [3, 4, 5]], assignment: new Int32Array([0, 1, 2, 3, 3, 3]) }],
  };
  const steps = entropyProductionFlow({ T, n: 6, data: bits }, flow, { surrogates: 0 });
  assert.is(steps.length, 2);
  assert.equal(
    steps.map((s) => [s.level, s.units, s.nStates]),
    [
      [0, 6, 9],
      [1, 4, 3],
    ],
  );
  assert.ok(Math.abs(steps[0]!.sigma - fine.sigma) < 1e-12);
  assert.ok(Math.abs(steps[1]!.sigma - lump.sigma) < 1e-12);
  assert.ok(steps[1]!.sigma <= steps[0]!.sigma);
});

test("surrogates are reproducible by seed and differ across seeds", () => {
  const x = simulateMarkovChain(ring(0.3, 0.3), { steps: 20000, seed: 1 });
  const a = entropyProduction(x, { seed: 7 }).baseline!.values;
  const b = entropyProduction(x, { seed: 7 }).baseline!.values;
  const c = entropyProduction(x, { seed: 8 }).baseline!.values;
  assert.equal([...a], [...b]);
  assert.not.equal([...a], [...c]);
});

test("inputs are not mutated", () => {
  const x = new Int32Array([0, 1, 1, 0, 2, 1]);
  entropyProduction(x, { pseudocount: 1 });
  assert.equal([...x], [0, 1, 1, 0, 2, 1]);
});

const flow1 = {
  n0: 2,
  stopReason: "",
  steps: [{ tau: 1, n: 1, groups: [[0, 1]], assignment: new Int32Array([0, 0]) }],
};
const states2 = { T: 3, n: 2, data: new Uint8Array([0, 1, 1, 0, 1, 1]) };
const invalid: Array<[string, () => unknown, abstract new (...a: never[]) => Error, string]> = [
  ["trajectory of one bin", () => entropyProduction([1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["trajectory of strings", () => entropyProduction(["a", "b"] as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  ["fractional label", () => entropyProduction([0, 1.5]), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "states entry 2",
    () => entropyProduction({ T: 2, n: 1, data: new Uint8Array([0, 2]) }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ],
  [
    "states data length",
    () => entropyProduction({ T: 2, n: 2, data: new Uint8Array(3) }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ],
  [
    "negative pseudocount",
    () => entropyProduction([0, 1], { pseudocount: -1 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  ["NaN pseudocount", () => entropyProduction([0, 1], { pseudocount: NaN }), DgrnRangeError, ErrorCode.NOT_FINITE],
  ["negative surrogates", () => entropyProduction([0, 1], { surrogates: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "surrogate kind",
    () => entropyProduction([0, 1], { surrogate: "reversed" as never }),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ],
  ["seed", () => entropyProduction([0, 1], { seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["unknown option", () => entropyProduction([0, 1], { sed: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION],
  ["options not an object", () => entropyProduction([0, 1], 3 as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "flow n0 mismatch",
    () => entropyProductionFlow(states2, { ...flow1, n0: 3 }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ],
  ["flow not a flow", () => entropyProductionFlow(states2, {} as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "flow rule fraction",
    () => entropyProductionFlow(states2, flow1, { rule: "fraction" as never }),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ],
];
for (const [name, fn, cls, code] of invalid) test(`invalid argument: ${name}`, () => throwsCode(fn, cls, code));

test.run();
