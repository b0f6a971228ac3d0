// Per-unit next-bin prediction against closed forms: a 2-unit coarse process
// whose word chain (4 words) has a known transition matrix.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  predictUnits,
  simulateMarkovChain,
  DgrnRangeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";

const test = suite("dynamics/predict-units");

// words 0 … 3 ↔ bits (unit 0, unit 1) = (w >> 1, w & 1)
const P = [
  [0.7, 0.1, 0.15, 0.05],
  [0.2, 0.5, 0.1, 0.2],
  [0.3, 0.05, 0.55, 0.1],
  [0.1, 0.2, 0.2, 0.5],
];
const bit = (w: number, i: number) => (i === 0 ? w >> 1 : w & 1);

function stationary(): number[] {
  let pi = [0.25, 0.25, 0.25, 0.25];
  for (let it = 0; it < 2000; it++) pi = [0, 1, 2, 3].map((b) => pi.reduce((s, pa, a) => s + pa * P[a]![b]!, 0));
  return pi;
}

const H2 = (p: number) => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));

/** Closed forms of the three predictors' asymptotic scores for unit i. */
function closedForm(i: number) {
  const pi = stationary();
  const p1 = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].reduce((s, b) => s + P[a]![b]! * bit(b, i), 0)); // P(y_i' = 1 | a)
  const rate = [0, 1, 2, 3].reduce((s, a) => s + pi[a]! * bit(a, i), 0);
  let markovBits = 0;
  let markovAcc = 0;
  let tp = 0;
  let tn = 0;
  let rho = 0;
  let pTp = 0;
  let pTn = 0;
  for (let a = 0; a < 4; a++) {
    const p = p1[a]!;
    markovBits -= pi[a]! * H2(p);
    markovAcc += pi[a]! * Math.max(p, 1 - p);
    if (p > 0.5) tp += pi[a]! * p;
    else tn += pi[a]! * (1 - p);
    const cur = bit(a, i);
    rho += pi[a]! * (cur ? p : 1 - p);
    if (cur)
      pTp += pi[a]! * p; // predicted 1 (current 1) and next 1
    else pTn += pi[a]! * (1 - p);
  }
  return {
    markov: { bits: markovBits, accuracy: markovAcc, balanced: 0.5 * (tp / rate + tn / (1 - rate)) },
    marginal: { bits: -H2(rate), accuracy: Math.max(rate, 1 - rate), balanced: 0.5 },
    persistence: { bits: -H2(rho), accuracy: rho, balanced: 0.5 * (pTp / rate + pTn / (1 - rate)) },
  };
}

function states(T: number, seed: number) {
  const w = simulateMarkovChain({ rows: 4, cols: 4, data: new Float64Array(P.flat()) }, { steps: T, seed });
  const data = new Uint8Array(T * 2);
  for (let t = 0; t < T; t++) {
    data[2 * t] = bit(w[t]!, 0);
    data[2 * t + 1] = bit(w[t]!, 1);
  }
  return { T, n: 2, data };
}

test("a 4-word chain, T = 2e5: bits, accuracy and balanced accuracy of Markov, marginal and persistence match their closed forms per unit", () => {
  const r = predictUnits(states(200_000, 3));
  assert.is(r.nUnits, 2);
  assert.is(r.trivial, false);
  assert.is(r.nTest, 40_000);
  assert.is(r.unseenFraction, 0);
  for (let i = 0; i < 2; i++) {
    const cf = closedForm(i);
    for (const m of ["markov", "marginal", "persistence"] as const) {
      const got = r[m].perUnit;
      // held-out sampling error: sd ≈ 0.005 bits and 0.0025 in accuracy at 40,000 bins
      assert.ok(Math.abs(got.bits[i]! - cf[m].bits) < 0.015, `${m} unit ${i}: ${got.bits[i]} bits vs ${cf[m].bits}`);
      assert.ok(
        Math.abs(got.accuracy[i]! - cf[m].accuracy) < 0.01,
        `${m} unit ${i}: accuracy ${got.accuracy[i]} vs ${cf[m].accuracy}`,
      );
      assert.ok(
        Math.abs(got.balancedAccuracy[i]! - cf[m].balanced) < 0.015,
        `${m} unit ${i}: balanced ${got.balancedAccuracy[i]} vs ${cf[m].balanced}`,
      );
    }
  }
  // the means are the means over units
  assert.ok(Math.abs(r.markov.bits - (r.markov.perUnit.bits[0]! + r.markov.perUnit.bits[1]!) / 2) < 1e-15);
  // the dynamics carry information beyond the product model and beyond persistence
  assert.ok(r.markov.bits > r.marginal.bits + 0.05 && r.markov.bits > r.persistence.bits);
});

test("a balanced accuracy of ½ for the marginal: a sparse unit's 'always 0' is not a win", () => {
  const T = 5000;
  const data = new Uint8Array(T * 2);
  for (let t = 0; t < T; t++) {
    data[2 * t] = t % 20 === 0 ? 1 : 0; // rate 5 %
    data[2 * t + 1] = (t >> 3) & 1;
  }
  const r = predictUnits({ T, n: 2, data });
  assert.ok(r.marginal.perUnit.accuracy[0]! > 0.9);
  assert.is(r.marginal.perUnit.balancedAccuracy[0], 0.5);
});

test("one variable, or only constant units: trivial", () => {
  const T = 400;
  const one = predictUnits({ T, n: 1, data: Uint8Array.from({ length: T }, (_, t) => (t % 3 === 0 ? 1 : 0)) });
  assert.is(one.trivial, true);
  const flat = predictUnits({ T, n: 3, data: new Uint8Array(3 * T).fill(1) });
  assert.is(flat.trivial, true);
  assert.is(flat.constantUnits, 3);
  assert.is(flat.marginal.balancedAccuracy, null);
  assert.ok(Number.isNaN(flat.marginal.perUnit.balancedAccuracy[0]!));
});

test("invalid arguments", () => {
  const x = { T: 10, n: 1, data: new Uint8Array(10) };
  throwsCode(() => predictUnits(x, { pseudocount: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => predictUnits(x, { trainFraction: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => predictUnits(x, { trainFraction: 0.05 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => predictUnits(x, { bogus: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => predictUnits([0, 1] as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test.run();
