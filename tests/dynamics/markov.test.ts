import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  markovDynamics,
  simulateMarkovChain,
  coarseTrajectories,
  DgrnRangeError,
  DgrnTypeError,
  DgrnShapeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
} from "../helpers/setup.js";
import type { SparseMatrix } from "../../sdk/dynamics/types.js";

const test = suite("dynamics/markov");

/** Dense copy of a CSR matrix. */
function dense(m: SparseMatrix): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let a = 0; a < m.rows; a++)
    for (let e = m.rowPtr[a]!; e < m.rowPtr[a + 1]!; e++) out[a]![m.colIdx[e]!] = m.values[e]!;
  return out;
}

test("counts → P → π on a hand-made two-state trajectory", () => {
  // 0 1 0 0 1 0: transitions 0→1, 1→0, 0→0, 0→1, 1→0
  const m = markovDynamics([0, 1, 0, 0, 1, 0]);
  assert.is(m.nStates, 2);
  assert.is(m.nTransitions, 5);
  assert.equal(dense(m.counts), [
    [1, 2],
    [2, 0],
  ]);
  const P = dense(m.transition);
  assert.ok(maxAbsDiff(P.flat(), [1 / 3, 2 / 3, 1, 0]) < 1e-15);
  // π solves π = πP: π_0 = (1/3)π_0 + π_1 → π = (3/5, 2/5)
  assert.ok(maxAbsDiff(m.stationary, [0.6, 0.4]) < 1e-12);
  assert.ok(maxAbsDiff(m.occupancy, [3 / 5, 2 / 5]) < 1e-15);
  assert.equal([...m.wordIds], [0, 1, 0, 0, 1, 0]);
  assert.is(m.dangling.length, 0);
});

test("three states with a pseudocount on the symmetrised support", () => {
  // labels 5, 7, 9 → ids 0, 1, 2 by first sight; transitions 5→7, 7→9, 9→5, 5→7, 7→7
  const m = markovDynamics([5, 7, 9, 5, 7, 7], { pseudocount: 0.5 });
  assert.equal(dense(m.counts), [
    [0, 2, 0],
    [0, 1, 1],
    [1, 0, 0],
  ]);
  // support ∪ transpose: row 0 {1, 2}, row 1 {0, 1, 2}, row 2 {0, 1}
  const P = dense(m.transition);
  const exp = [
    [0, 2.5 / 3, 0.5 / 3],
    [0.5 / 3.5, 1.5 / 3.5, 1.5 / 3.5],
    [1.5 / 2, 0.5 / 2, 0],
  ];
  assert.ok(maxAbsDiff(P.flat(), exp.flat()) < 1e-15);
  // π by an independent solve of π(P − I) = 0, Σπ = 1 (3×3 by Cramer on two equations + normalisation)
  const A = [
    [exp[0]![0]! - 1, exp[1]![0]!, exp[2]![0]!],
    [exp[0]![1]!, exp[1]![1]! - 1, exp[2]![1]!],
    [1, 1, 1],
  ];
  const det = (M: number[][]) =>
    M[0]![0]! * (M[1]![1]! * M[2]![2]! - M[1]![2]! * M[2]![1]!) -
    M[0]![1]! * (M[1]![0]! * M[2]![2]! - M[1]![2]! * M[2]![0]!) +
    M[0]![2]! * (M[1]![0]! * M[2]![1]! - M[1]![1]! * M[2]![0]!);
  const d = det(A);
  const rhs = [0, 0, 1];
  const pi = [0, 1, 2].map((j) => det(A.map((row, i) => row.map((v, k) => (k === j ? rhs[i]! : v)))) / d);
  assert.ok(maxAbsDiff(m.stationary, pi) < 1e-12, `${[...m.stationary]} vs ${pi}`);
});

test("order 2: the chain runs over observed pairs of words", () => {
  // 0 1 0 1 1 0: histories (0,1) (1,0) (0,1) (1,1) (1,0) → ids 0, 1, 0, 2, 1
  const m = markovDynamics([0, 1, 0, 1, 1, 0], { order: 2 });
  assert.is(m.nWords, 2);
  assert.is(m.nStates, 3);
  assert.is(m.nTransitions, 4);
  assert.equal([...m.stateIds], [-1, 0, 1, 0, 2, 1]);
  assert.equal(dense(m.counts), [
    [0, 1, 1],
    [1, 0, 0],
    [0, 1, 0],
  ]);
  assert.equal([...m.firstSeen], [1, 2, 4]);
});

test("binary words are hashed exactly (M = 70 > 64 bits), and a dangling last state is reported", () => {
  const M = 70;
  const T = 5;
  const data = new Uint8Array(T * M);
  // rows: A, B, A, C, D with B and C differing only in the last unit, D new
  const rowA = Array.from({ length: M }, (_, j) => (j % 3 === 0 ? 1 : 0));
  const rowB = rowA.map((v, j) => (j === M - 1 ? 1 - v : v));
  const rowC = rowB.map((v, j) => (j === 0 ? 1 - v : v));
  const rowD = rowA.map((v) => 1 - v);
  [rowA, rowB, rowA, rowC, rowD].forEach((r, t) => data.set(r, t * M));
  const m = markovDynamics({ T, n: M, data });
  assert.equal([...m.wordIds], [0, 1, 0, 2, 3]);
  assert.is(m.nStates, 4);
  assert.equal([...m.dangling], [3]);
  // π of P (rows 0..2 go on; state 3 only ends the trajectory)
  let s = 0;
  for (const v of m.stationary) s += v;
  assert.ok(Math.abs(s - 1) < 1e-12);
});

test("a long binary trajectory: nothing of size 2^M; counts and stationary law equal a count by hand", () => {
  const T = 20000;
  const M = 32;
  const data = new Uint8Array(T * M);
  const x = simulateMarkovChain({ rows: 4, cols: 4, data: new Float64Array(16).fill(0.25) }, { steps: T, seed: 2 });
  // 4 "patterns" of 32 bits, one per chain state
  for (let t = 0; t < T; t++) for (let j = 0; j < M; j++) data[t * M + j] = (j * (x[t]! + 3)) % 7 < 3 ? 1 : 0;
  const m = markovDynamics({ T, n: M, data });
  // reference, independent of the SDK: ids in order of first sight of each 32-bit word, transitions counted by hand
  const ids = new Map<string, number>();
  const word = (t: number) => Array.from(data.subarray(t * M, (t + 1) * M)).join("");
  const seq = Array.from({ length: T }, (_, t) => {
    const w = word(t);
    if (!ids.has(w)) ids.set(w, ids.size);
    return ids.get(w)!;
  });
  const K = ids.size;
  const C = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let t = 0; t + 1 < T; t++) C[seq[t]!]![seq[t + 1]!]!++;
  assert.is(m.nStates, 4);
  assert.is(K, 4);
  assert.equal(dense(m.counts), C);
  assert.equal(
    Array.from(m.firstSeen),
    [...ids.keys()].map((w) => seq.findIndex((_, t) => word(t) === w)),
  );
  // stationary law of the row-normalised counts by power iteration (1000 steps of π ← πP)
  const P = C.map((row) => row.map((c) => c / row.reduce((a, b) => a + b, 0)));
  let pi = new Array<number>(K).fill(1 / K);
  for (let it = 0; it < 1000; it++) pi = pi.map((_, b) => pi.reduce((s, p, a) => s + p * P[a]![b]!, 0));
  assert.ok(maxAbsDiff([...m.stationary], pi) < 1e-12, `${[...m.stationary]} vs ${pi}`);
});

test("simulateMarkovChain: seeded, empirical P within 1 % of the given P", () => {
  const data = new Float64Array([0.7, 0.2, 0.1, 0.3, 0.3, 0.4, 0.5, 0.0, 0.5]);
  const x = simulateMarkovChain({ rows: 3, cols: 3, data }, { steps: 300000, seed: 4, initial: 2 });
  assert.is(x[0], 2);
  assert.equal(
    [...simulateMarkovChain({ rows: 3, cols: 3, data }, { steps: 50, seed: 4, initial: 2 })],
    [...x.subarray(0, 50)],
  );
  const m = markovDynamics(x);
  // ids are in order of first sight; map them back to the chain's labels
  const label = Array.from(m.firstSeen, (t) => x[t]!);
  const Pid = dense(m.transition);
  const P = new Array<number>(9).fill(0);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) P[label[a]! * 3 + label[b]!] = Pid[a]![b]!;
  assert.ok(maxAbsDiff(P, data) < 0.01, `${P}`);
  // a sparse transition matrix is accepted as well
  const y = simulateMarkovChain(markovDynamics(x).transition, { steps: 100, seed: 1 });
  assert.is(y.length, 100);
});

test("coarseTrajectories: any, majority, fraction by hand", () => {
  const states = { T: 3, n: 5, data: new Uint8Array([1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1]) };
  // step 1: {0,1,2} {3,4}; step 2: all in one
  const flow = {
    n0: 5,
    stopReason: "one node",
    steps: [
      {
        tau: 1,
        n: 2,
        groups: [
          [0, 1, 2],
          [3, 4],
        ],
        assignment: new Int32Array([0, 0, 0, 1, 1]),
      },
      { tau: 2, n: 1, groups: [[0, 1]], assignment: new Int32Array([0, 0, 0, 0, 0]) },
    ],
  };
  const any = coarseTrajectories(states, flow);
  assert.equal([...any[0]!.data], [1, 0, 1, 1, 1, 1]);
  assert.equal([...any[1]!.data], [1, 1, 1]);
  const maj = coarseTrajectories(states, flow, { rule: "majority" });
  assert.equal([...maj[0]!.data], [0, 0, 1, 0, 0, 1]); // 1 of 3; 2 of 3, 1 of 2 (a tie is not a majority); 1 of 3, 2 of 2
  assert.equal([...maj[1]!.data], [0, 1, 1]); // 1/5, 3/5, 3/5
  const fr = coarseTrajectories(states, flow, { rule: "fraction" });
  assert.is(fr[0]!.kind, "fraction");
  assert.ok(maxAbsDiff(fr[0]!.data, [1 / 3, 0, 2 / 3, 1 / 2, 1 / 3, 1]) < 1e-15);
  assert.equal([...fr[0]!.sizes], [3, 2]);
  assert.ok(maxAbsDiff(fr[1]!.data, [1 / 5, 3 / 5, 3 / 5]) < 1e-15);
  // fraction trajectories are trajectories too
  assert.is(markovDynamics(fr[0]!).nStates, 3);
});

const flow1 = {
  n0: 2,
  stopReason: "",
  steps: [{ tau: 1, n: 1, groups: [[0, 1]], assignment: new Int32Array([0, 0]) }],
};
const st = { T: 2, n: 2, data: new Uint8Array([0, 1, 1, 0]) };
const P2 = { rows: 2, cols: 2, data: new Float64Array([0.5, 0.5, 0.5, 0.5]) };
const invalid: Array<[string, () => unknown, abstract new (...a: never[]) => Error, string]> = [
  ["markov: order 0", () => markovDynamics([0, 1, 0], { order: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["markov: order 1.5", () => markovDynamics([0, 1, 0], { order: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  [
    "markov: too short for the order",
    () => markovDynamics([0, 1], { order: 2 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  [
    "markov: negative pseudocount",
    () => markovDynamics([0, 1], { pseudocount: -0.1 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  ["markov: trajectory null", () => markovDynamics(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "markov: fraction out of [0,1]",
    () => markovDynamics({ kind: "fraction", T: 2, n: 1, data: new Float64Array([0, 2]), sizes: new Int32Array([1]) }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ],
  [
    "markov: states data not Uint8Array",
    () => markovDynamics({ T: 2, n: 1, data: [0, 1] } as never),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ],
  ["markov: unknown option", () => markovDynamics([0, 1], { k: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION],
  [
    "simulate: row sum",
    () => simulateMarkovChain({ rows: 2, cols: 2, data: new Float64Array([0.5, 0.4, 0.5, 0.5]) }, { steps: 3 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  [
    "simulate: negative entry",
    () => simulateMarkovChain({ rows: 2, cols: 2, data: new Float64Array([1.5, -0.5, 0.5, 0.5]) }, { steps: 3 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  [
    "simulate: not square",
    () => simulateMarkovChain({ rows: 1, cols: 2, data: new Float64Array([0.5, 0.5]) }, { steps: 3 }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ],
  ["simulate: steps 0", () => simulateMarkovChain(P2, { steps: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE],
  ["simulate: steps missing", () => simulateMarkovChain(P2, {} as never), DgrnTypeError, ErrorCode.INVALID_TYPE],
  [
    "simulate: initial out of range",
    () => simulateMarkovChain(P2, { steps: 3, initial: 2 }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  ],
  [
    "coarse: rule",
    () => coarseTrajectories(st, flow1, { rule: "all" as never }),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ],
  [
    "coarse: assignment out of range",
    () => coarseTrajectories(st, { ...flow1, steps: [{ ...flow1.steps[0]!, assignment: new Int32Array([0, 1]) }] }),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ],
  [
    "coarse: assignment length",
    () => coarseTrajectories(st, { ...flow1, steps: [{ ...flow1.steps[0]!, assignment: new Int32Array([0]) }] }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ],
  [
    "coarse: assignment not Int32Array",
    () => coarseTrajectories(st, { ...flow1, steps: [{ ...flow1.steps[0]!, assignment: [0, 0] as never }] }),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ],
  [
    "coarse: states not states",
    () => coarseTrajectories([0, 1] as never, flow1),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ],
  ["coarse: n0 mismatch", () => coarseTrajectories(st, { ...flow1, n0: 4 }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH],
];
for (const [name, fn, cls, code] of invalid) test(`invalid argument: ${name}`, () => throwsCode(fn, cls, code));

test.run();
