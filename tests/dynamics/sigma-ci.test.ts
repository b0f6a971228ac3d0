// σ with uncertainty: the 95 % interval's coverage on chains with known σ, and
// the one-way (lower-bound) flag.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { entropyProduction, simulateMarkovChain } from "../helpers/setup.js";
import { studentT975 } from "../../sdk/dynamics/interval.js";

const test = suite("dynamics/sigma-ci");

/** Exact σ = Σ π_a P_ab ln(π_a P_ab / (π_b P_ba)) of a dense chain (π by power iteration; an independent reference). */
function exactSigma(P: Float64Array, K: number): number {
  let pi = new Float64Array(K).fill(1 / K);
  for (let it = 0; it < 5000; it++) {
    const y = new Float64Array(K);
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) y[b]! += pi[a]! * P[a * K + b]!;
    pi = y;
  }
  let s = 0;
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      const f = pi[a]! * P[a * K + b]!;
      if (a !== b && f > 0) s += f * Math.log(f / (pi[b]! * P[b * K + a]!));
    }
  }
  return s;
}

const ring = (p: number, q: number) => {
  const s = 1 - p - q;
  return new Float64Array([s, p, q, q, s, p, p, q, s]);
};

/** A random dense K-state chain (a fixed LCG: entries 0.05 + U(0, 1), rows normalised). */
function randomChain(K: number, seed: number): Float64Array {
  let x = seed >>> 0;
  const u = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x / 2 ** 32);
  const P = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    let t = 0;
    for (let b = 0; b < K; b++) t += P[a * K + b] = 0.05 + u();
    for (let b = 0; b < K; b++) P[a * K + b]! /= t;
  }
  return P;
}

test("Student t quantile: t_0.975 at ν = 4, 10, 11, 30, 315 (tables: 2.7764, 2.2281, 2.2010, 2.0423, 1.9675)", () => {
  assert.is(studentT975(4), 2.7764);
  assert.ok(Math.abs(studentT975(11) - 2.201) < 2e-4);
  assert.ok(Math.abs(studentT975(10) - 2.2281) < 2e-4);
  assert.ok(Math.abs(studentT975(30) - 2.0423) < 1e-4);
  assert.ok(Math.abs(studentT975(315) - 1.9675) < 1e-4);
});

test("coverage: the 95 % interval holds the known σ in ≥ 90 % of replicates at T = 1e5 (strong ring, weak ring, random 6-state)", () => {
  const T = 100_000;
  const reps = 60;
  const chains: [string, number, Float64Array][] = [
    ["ring p=0.6 q=0.2", 3, ring(0.6, 0.2)],
    ["ring p=0.3 q=0.25 (weakly irreversible)", 3, ring(0.3, 0.25)],
    ["random 6-state", 6, randomChain(6, 1)],
  ];
  let hits = 0;
  for (const [name, K, P] of chains) {
    const truth = exactSigma(P, K);
    let inside = 0;
    let meanSe = 0;
    const vals: number[] = [];
    for (let r = 0; r < reps; r++) {
      const x = simulateMarkovChain({ rows: K, cols: K, data: P }, { steps: T, seed: 1000 + r });
      const e = entropyProduction(x, { surrogates: 0 });
      assert.ok(e.se !== null && e.ci !== null);
      assert.is(e.lowerBound, false);
      assert.is(e.batch.length, Math.ceil(Math.sqrt(T - 1)));
      if (e.ci![0] <= truth && truth <= e.ci![1]) inside++;
      meanSe += e.se! / reps;
      vals.push(e.sigmaCorrected);
    }
    const m = vals.reduce((a, b) => a + b, 0) / reps;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1));
    // the standard error agrees with the replicate spread (the spread's own error is ≈ 9 % at 60 replicates)
    assert.ok(Math.abs(meanSe / sd - 1) < 0.25, `${name}: mean SE ${meanSe} vs replicate sd ${sd}`);
    assert.ok(inside / reps >= 0.85, `${name}: coverage ${inside}/${reps}`);
    hits += inside;
  }
  assert.ok(hits / (reps * chains.length) >= 0.9, `pooled coverage ${hits}/${reps * chains.length}`);
});

test("one-way transitions: a reverse probability of 1e-4 makes σ̂ a flagged lower bound", () => {
  // a 12-state ring, forward 0.5, back 1e-4: each backward step is expected < 1 time at T = 1e5,
  // so many pairs are seen forwards only
  const K = 12;
  const P = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    P[a * K + ((a + 1) % K)] = 0.5;
    P[a * K + ((a + K - 1) % K)] = 1e-4;
    P[a * K + a] = 0.5 - 1e-4;
  }
  const truth = exactSigma(P, K);
  const x = simulateMarkovChain({ rows: K, cols: K, data: P }, { steps: 100_000, seed: 7 });
  const e = entropyProduction(x, { surrogates: 0 });
  assert.ok(e.oneWayFraction > 0.01, `one-way fraction ${e.oneWayFraction}`);
  assert.is(e.lowerBound, true);
  assert.ok(e.ci![1] < truth, `the interval [${e.ci}] lies below σ = ${truth}: a lower bound, as flagged`);
  // a stated pseudocount keeps the pair in (then σ̂ is not flagged)
  const e1 = entropyProduction(x, { surrogates: 0, pseudocount: 0.5 });
  assert.is(e1.lowerBound, false);
});

test("too few transitions for 10 batches: no standard error, no interval", () => {
  const e = entropyProduction(
    [0, 1, 2, 0, 1, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 0, 2, 2, 1, 0, 1, 2, 0, 1, 0, 2, 1, 0, 2, 1, 1, 2],
    { surrogates: 0 },
  );
  assert.is(e.se, null);
  assert.is(e.ci, null);
});

test.run();
