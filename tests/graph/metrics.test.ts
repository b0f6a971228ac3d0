import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  auroc,
  adjustedRandIndex,
  normalizedMutualInfo,
  modularity,
  randomUniform,
  scoreGraph,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";

const test = suite("graph/metrics");

/** AUROC by brute force: P(score⁺ > score⁻) + ½ P(tie) over every pair. */
function aurocPairs(s: number[], y: number[]): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      den++;
      num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  return num / den;
}

/** ARI by enumerating every pair (Rand's counts), independent of the contingency-table code. */
function ariPairs(a: number[], b: number[]): number {
  const n = a.length;
  let n11 = 0,
    n10 = 0,
    n01 = 0,
    n00 = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const sa = a[i] === a[j],
        sb = b[i] === b[j];
      if (sa && sb) n11++;
      else if (sa) n10++;
      else if (sb) n01++;
      else n00++;
    }
  // Steinley 2004: ARI from the pair counts.
  return (2 * (n00 * n11 - n01 * n10)) / ((n00 + n01) * (n01 + n11) + (n00 + n10) * (n10 + n11));
}

test("auroc: closed cases and brute-force pair counting with ties", () => {
  assert.is(auroc([0.9, 0.8, 0.1], [1, 0, 0]), 1);
  assert.is(auroc([0.1, 0.8, 0.9], [1, 0, 0]), 0);
  assert.is(auroc([1, 1, 1, 1], [1, 0, 1, 0]), 0.5);
  assert.is(
    auroc([0.3, 0.7, 0.7, 0.2, 0.9], [true, false, true, false, true]),
    aurocPairs([0.3, 0.7, 0.7, 0.2, 0.9], [1, 0, 1, 0, 1]),
  );
  const u = randomUniform(200, { seed: 3 });
  const s = Array.from(u, (x) => Math.round(x * 10) / 10); // many ties
  const y = Array.from(randomUniform(200, { seed: 4 }), (x) => (x < 0.3 ? 1 : 0));
  assert.ok(Math.abs(auroc(s, y) - aurocPairs(s, y)) < 1e-14);
  // more positives than negatives (the other class is the sorted one), and signed zeros among the ties
  const y2 = Array.from(randomUniform(200, { seed: 5 }), (x) => (x < 0.8 ? 1 : 0));
  const s2 = s.map((v, i) => (v === 0.5 ? (i % 2 ? -0 : 0) : v));
  assert.ok(Math.abs(auroc(s2, y2) - aurocPairs(s2, y2)) < 1e-14);
  assert.is(auroc([0, -0, 0, -0], [1, 1, 0, 0]), 0.5);
  assert.is(auroc([2, 3, 1], [1, 1, 0]), 1);
  assert.is(auroc([2, 3, 1, 2], [1, 1, 0, 0]), 0.875);
});

test("adjustedRandIndex: hand values and pair enumeration", () => {
  assert.is(adjustedRandIndex([0, 0, 1, 1], [5, 5, 7, 7]), 1);
  // Σ C(n_ij,2) = 1, Σ C(a,2) = 2, Σ C(b,2) = 1, C(4,2) = 6: (1 − 1/3) / (3/2 − 1/3) = 4/7
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-15);
  const a = Array.from(randomUniform(150, { seed: 1 }), (x) => Math.floor(x * 4));
  const b = a.map((v, i) => (i % 5 === 0 ? (v + 1) % 4 : v));
  assert.ok(Math.abs(adjustedRandIndex(a, b) - ariPairs(a, b)) < 1e-12);
  const c = Array.from(randomUniform(150, { seed: 2 }), (x) => Math.floor(x * 3));
  assert.ok(Math.abs(adjustedRandIndex(a, c) - ariPairs(a, c)) < 1e-12);
  assert.ok(Math.abs(adjustedRandIndex(a, c)) < 0.1);
});

test("normalizedMutualInfo: closed forms", () => {
  assert.is(normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  // b refines a: I = H(a) = ln 2, H(b) = 1.5 ln 2 → NMI = ln 2 / (1.25 ln 2) = 0.8
  assert.ok(Math.abs(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 1, 2]) - 0.8) < 1e-15);
  // independent 2 × 2 design: I = 0
  assert.ok(Math.abs(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1])) < 1e-15);
});

/** Modularity by the textbook double sum over all node pairs of the dense matrix. */
// For a symmetric A this is the undirected (1/2m) form: Σ_ij A_ij = 2m and k_out = k_in = k.
function modularityDirect(n: number, A: Float64Array, c: ArrayLike<number>, gamma = 1): number {
  const kout = new Float64Array(n),
    kin = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      kout[i]! += A[i * n + j]!;
      kin[j]! += A[i * n + j]!;
      m += A[i * n + j]!;
    }
  let q = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (c[i] !== c[j]) continue;
      q += A[i * n + j]! - (gamma * kout[i]! * kin[j]!) / m;
    }
  return q / m;
}

test("modularity equals the direct double-sum formula to 1e-12 (directed, undirected, resolution)", () => {
  const n = 40;
  const u = randomUniform(n * n + n, { seed: 9 });
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  const A = new Float64Array(n * n),
    S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = u[i * n + j]!;
      const p = Math.floor(i / 10) === Math.floor(j / 10) ? 0.5 : 0.08;
      if (i !== j && x < p) {
        const wt = 0.5 + x;
        src.push(i);
        tgt.push(j);
        w.push(wt);
        A[i * n + j] = wt;
      }
    }
  const labels = Int32Array.from({ length: n }, (_, i) => (u[n * n + i]! < 0.8 ? Math.floor(i / 10) : 4));
  const g = {
    n,
    directed: true,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
  };
  for (const gamma of [1, 0.5, 2]) {
    assert.ok(Math.abs(modularity(g, labels, { resolution: gamma }) - modularityDirect(n, A, labels, gamma)) < 1e-12);
  }
  // undirected: keep i < j edges once; A symmetric; a self-loop on the diagonal
  const us: number[] = [],
    ut: number[] = [],
    uw: number[] = [];
  for (let e = 0; e < src.length; e++)
    if (src[e]! < tgt[e]!) {
      us.push(src[e]!);
      ut.push(tgt[e]!);
      uw.push(w[e]!);
      S[src[e]! * n + tgt[e]!] = w[e]!;
      S[tgt[e]! * n + src[e]!] = w[e]!;
    }
  us.push(3);
  ut.push(3);
  uw.push(0.7);
  S[3 * n + 3] = 0.7;
  const h = {
    n,
    directed: false,
    source: Int32Array.from(us),
    target: Int32Array.from(ut),
    weight: Float64Array.from(uw),
  };
  assert.ok(Math.abs(modularity(h, labels) - modularityDirect(n, S, labels)) < 1e-12);
  // empty graph
  assert.is(
    modularity(
      { n: 3, directed: true, source: new Int32Array(0), target: new Int32Array(0), weight: new Float64Array(0) },
      [0, 1, 2],
    ),
    0,
  );
});

test("invalid arguments (one each)", () => {
  throwsCode(() => auroc([1, 2], [1]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => auroc([1, 2], [1, 2]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => auroc([1, 2], [1, 1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => auroc([1, NaN], [1, 0]), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => auroc("ab" as never, [1, 0]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => adjustedRandIndex([0, 1], [0]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  // one labels validator for every stage (graph/graph.ts checkLabels): a fraction is a range error, as in checkInteger and decode
  throwsCode(() => adjustedRandIndex([0, 1.5], [0, 1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => adjustedRandIndex([0, 2 ** 31], [0, 1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => adjustedRandIndex([0, "1"] as never, [0, 1]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => adjustedRandIndex([], []), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => normalizedMutualInfo([0, 1], "x" as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  const g = {
    n: 2,
    directed: true,
    source: Int32Array.from([0]),
    target: Int32Array.from([1]),
    weight: Float64Array.from([1]),
  };
  throwsCode(() => modularity(g, [0]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => modularity(g, [0, 0], { resolution: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => modularity(g, [0, 0], { gamma: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => modularity({ ...g, directed: 1 } as never, [0, 0]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => modularity({ ...g, source: [0] } as never, [0, 0]), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test.run();

const sg = suite("graph/scoreGraph");

sg("within / between / all AUROC and the same-cluster indicator agree with brute force on a random instance", () => {
  // 12 truth neurons: 9 E in 3 clusters, 3 I; 10 observed (ids shuffled), random z and random synapses.
  const N = 12;
  const clusters = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, -1, -1, -1]);
  const u = randomUniform(400, { seed: 7 });
  let q = 0;
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      const p = clusters[i]! >= 0 && clusters[i] === clusters[j] ? 0.6 : 0.2;
      if (u[q++ % 400]! < p) (src.push(i), tgt.push(j), w.push(i < 9 ? 0.5 : -0.5));
    }
  const truth = {
    clusters,
    weights: {
      n: N,
      directed: true,
      source: Int32Array.from(src),
      target: Int32Array.from(tgt),
      weight: Float64Array.from(w),
    },
  };
  const nodeIds = Int32Array.from([11, 0, 4, 2, 7, 9, 5, 1, 8, 3]);
  const n = nodeIds.length;
  const z = Float64Array.from(randomUniform(n * n, { seed: 3 }));
  const labels = Int32Array.from(nodeIds, (id) => (clusters[id]! < 0 ? 9 : clusters[id]!));
  const s = scoreGraph({ n, z, nodeIds }, labels, truth);
  const syn = new Set(src.map((a, e) => a * N + tgt[e]!).filter((_, e) => w[e]! > 0));
  const sets: Record<string, { s: number[]; y: number[]; same: number[] }> = {
    all: { s: [], y: [], same: [] },
    within: { s: [], y: [], same: [] },
    between: { s: [], y: [], same: [] },
  };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = nodeIds[i]!,
        b = nodeIds[j]!;
      if (i === j || clusters[a]! < 0 || clusters[b]! < 0) continue;
      const y = syn.has(a * N + b) ? 1 : 0,
        same = clusters[a] === clusters[b] ? 1 : 0;
      for (const key of ["all", same ? "within" : "between"])
        (sets[key]!.s.push(z[i * n + j]!), sets[key]!.y.push(y), sets[key]!.same.push(same));
    }
  for (const key of ["all", "within", "between"] as const) {
    const e = s.edges[key];
    assert.is(e.pairs, sets[key]!.y.length);
    assert.is(
      e.synapses,
      sets[key]!.y.reduce((a, b) => a + b, 0),
    );
    assert.ok(Math.abs(e.auroc! - aurocPairs(sets[key]!.s, sets[key]!.y)) < 1e-12, key);
    assert.ok(Math.abs(e.sameCluster! - aurocPairs(sets[key]!.same, sets[key]!.y)) < 1e-12, `${key} same-cluster`);
  }
  assert.is(s.auroc, s.edges.all.auroc);
  assert.is(s.ari, 1);
  assert.is(s.nmi, 1);
  throwsCode(
    () => scoreGraph({ n, z: new Float64Array(3), nodeIds }, labels, truth),
    DgrnShapeError,
    "ERR_SHAPE_MISMATCH",
  );
});

sg.run();
