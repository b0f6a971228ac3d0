import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  kernel,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  refineCommunities,
  adjustedRandIndex,
  auroc,
  randomUniform,
  INFER_DEFAULTS,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";
import type { BinaryStates, BinnedActivity } from "../helpers/setup.js";
import type { GraphExports } from "../../sdk/graph/infer.js";
import { communityPartialCorrelation, zeroLagCovariance } from "../../sdk/graph/partial.js";

const test = suite("graph/infer");

/** Binary data with planted lag-1 couplings i → j (x_j(t+1) = 1 w.p. 0.3 after x_i(t) = 1; else 0.05). */
function planted(n: number, T: number, edges: number, seed: number): { states: BinaryStates; truth: Set<number> } {
  const u = randomUniform(T * n + 2 * edges, { seed });
  const truth = new Set<number>();
  for (let e = 0; e < edges; e++) {
    const i = Math.floor(u[T * n + 2 * e]! * n),
      j = Math.floor(u[T * n + 2 * e + 1]! * n);
    if (i !== j) truth.add(i * n + j);
  }
  const parents: number[][] = Array.from({ length: n }, () => []);
  for (const k of truth) parents[k % n]!.push(Math.floor(k / n));
  const x = new Uint8Array(T * n);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < n; j++) {
      let p = 0.05;
      if (t > 0) for (const i of parents[j]!) if (x[(t - 1) * n + i]) p = 0.3;
      x[t * n + j] = u[t * n + j]! < p ? 1 : 0;
    }
  return { states: { T, n, data: x }, truth };
}

function score(z: Float64Array, n: number, truth: Set<number>): number {
  const s: number[] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j) {
        s.push(z[i * n + j]!);
        y.push(truth.has(i * n + j) ? 1 : 0);
      }
  return auroc(s, y);
}

test("graphXcorr and graphXcorrBlocked equal the brute-force lagged sum (counts, wrap and no wrap, odd n for the scalar tail)", () => {
  // dense windows (SIMD row path) at n = 7; sparse windows (scatter path) at n = 41
  for (const [T, n, p] of [
    [37, 7, 0.3],
    [60, 41, 0.02],
  ] as const) {
    const u = randomUniform(T * n, { seed: 2 });
    const x = Uint8Array.from(u, (v) => (v < p ? 1 : v < p + 0.1 * p ? 3 : 0));
    const f = kernel.fn<GraphExports>();
    for (const [lo, hi, shift, circ] of [
      [1, 1, 0, 0],
      [1, 3, 0, 0],
      [2, 4, 9, 1],
      [1, 2, 30, 1],
    ] as const) {
      const got = kernel.scope((s) => {
        const c = s.f64(n * n);
        f.graphXcorr(T, n, s.copyU8(x), lo, hi, shift, circ, c, s.bytes(f.graphXcorrWorkSize(n)));
        return kernel.readF64(c, n * n);
      });
      // The source-blocked kernel on the events (CSR) gives the same bits, for any block size.
      for (const block of [1, 3, n]) {
        const blocked = kernel.scope((s) => {
          const xp = s.copyU8(x);
          const nnz = f.graphEventCount(T, n, xp);
          const rp = s.i32(T + 1),
            col = s.i32(Math.max(nnz, 1));
          f.graphEvents(T, n, xp, rp, col);
          const c = s.f64(n * n);
          f.graphXcorrBlocked(
            T,
            n,
            xp,
            rp,
            col,
            xp,
            rp,
            col,
            lo,
            hi,
            shift,
            circ,
            block,
            c,
            s.bytes(f.graphXcorrBlockedWorkSize(n, T)),
          );
          return kernel.readF64(c, n * n);
        });
        assert.equal(Array.from(blocked), Array.from(got), `blocked ${block}`);
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let want = 0;
          for (let t = 0; t < T; t++)
            for (let l = lo; l <= hi; l++) {
              let v = t + shift + l;
              if (circ) v %= T;
              else if (v >= T) continue;
              want += x[t * n + i]! * x[v * n + j]!;
            }
          assert.is(got[i * n + j], want, `C[${i},${j}] lags ${lo}..${hi} shift ${shift}`);
        }
    }
  }
});

test("graphWindowEvents + graphXcorrWindowed: the observed product and the shift moments equal the brute-force sums (counts, lag 0, every block size)", () => {
  // dense windows (SIMD row path) at n = 7; sparse windows (scatter path) at n = 41
  for (const [T, n, p] of [
    [37, 7, 0.3],
    [60, 41, 0.02],
  ] as const) {
    const u = randomUniform(T * n, { seed: 4 });
    const x = Uint8Array.from(u, (v) => (v < p ? 1 : v < p + 0.1 * p ? 3 : 0));
    const f = kernel.fn<GraphExports>();
    const brute = (lo: number, hi: number, shift: number, circ: boolean): number[] => {
      const c = new Array<number>(n * n).fill(0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          for (let t = 0; t < T; t++)
            for (let l = lo; l <= hi; l++) {
              let v = t + shift + l;
              if (circ) v %= T;
              else if (v >= T) continue;
              c[i * n + j]! += x[t * n + i]! * x[v * n + j]!;
            }
      return c;
    };
    const shifts = [0, 5, T - 1, 17];
    for (const [lo, hi] of [
      [0, 0],
      [1, 2],
      [2, 4],
    ] as const) {
      const want = brute(lo, hi, 0, false);
      const wantSum = new Array<number>(n * n).fill(0),
        wantSq = new Array<number>(n * n).fill(0);
      for (const sh of shifts) {
        const cs = brute(lo, hi, sh, true);
        for (let q = 0; q < n * n; q++) {
          wantSum[q]! += cs[q]!;
          wantSq[q]! += cs[q]! * cs[q]!;
        }
      }
      for (const block of [1, 3, n]) {
        const [c, sum, sq] = kernel.scope((s) => {
          const xp = s.copyU8(x);
          const nnz = f.graphEventCount(T, n, xp);
          const rp = s.i32(T + 1),
            col = s.i32(Math.max(nnz, 1));
          f.graphEvents(T, n, xp, rp, col);
          const cap = f.graphWindowCapacity(nnz, lo, hi);
          const wrp = s.i32(T + 1),
            wcol = s.i32(cap),
            wval = s.i32(cap);
          const ww = s.bytes(f.graphWindowEventsWorkSize(n));
          const work = s.bytes(f.graphXcorrWindowedWorkSize(n, T, block));
          const c = s.f64(n * n),
            sum = s.f64(n * n),
            sq = s.f64(n * n);
          const m0 = f.graphWindowEvents(T, n, xp, rp, col, lo, hi, 0, wrp, wcol, wval, ww);
          assert.ok(m0 <= cap);
          f.graphXcorrWindowed(T, n, xp, rp, col, wrp, wcol, wval, 1, s.copyI32([0]), block, c, 0, 0, work);
          f.graphWindowEvents(T, n, xp, rp, col, lo, hi, 1, wrp, wcol, wval, ww);
          f.graphXcorrWindowed(
            T,
            n,
            xp,
            rp,
            col,
            wrp,
            wcol,
            wval,
            shifts.length,
            s.copyI32(shifts),
            block,
            0,
            sum,
            sq,
            work,
          );
          return [kernel.readF64(c, n * n), kernel.readF64(sum, n * n), kernel.readF64(sq, n * n)];
        });
        assert.equal(Array.from(c), want, `observed, lags ${lo}..${hi}, block ${block}`);
        assert.equal(Array.from(sum), wantSum, `Σ C_s, lags ${lo}..${hi}, block ${block}`);
        assert.equal(Array.from(sq), wantSq, `Σ C_s², lags ${lo}..${hi}, block ${block}`);
      }
    }
  }
});

test("graphZScore: (c − μ)/σ with σ² = surrogate variance + μ/S", () => {
  const f = kernel.fn<GraphExports>();
  // S = 4 surrogates with values 1, 3, 5, 7: μ = 4, var = 5, floor μ/S = 1 → σ = √6
  const z = kernel.scope((s) => {
    const out = s.f64(3);
    f.graphZScore(3, s.copyF64([10, 4, 0]), s.copyF64([16, 16, 0]), s.copyF64([84, 84, 0]), 4, out);
    return kernel.readF64(out, 3);
  });
  assert.ok(Math.abs(z[0]! - 6 / Math.sqrt(6)) < 1e-15);
  assert.is(z[1], 0);
  assert.is(z[2], 0);
});

test("planted lagged couplings: xcorr (shift and jitter surrogates) and GLM find them (AUROC ≥ 0.95)", () => {
  const { states, truth } = planted(24, 8000, 30, 7);
  const shift = inferGraph(states, { lags: 1, seed: 3, method: "xcorr" });
  assert.ok(score(shift.z, 24, truth) >= 0.95, `shift ${score(shift.z, 24, truth)}`);
  // the significant edges are mostly the planted ones
  let hit = 0;
  for (let e = 0; e < shift.source.length; e++) if (truth.has(shift.source[e]! * 24 + shift.target[e]!)) hit++;
  assert.is(hit, truth.size);
  const jit = inferGraph(states, { lags: 1, surrogate: "jitter", jitter: 3, surrogates: 10, method: "xcorr" });
  assert.ok(score(jit.z, 24, truth) >= 0.95, `jitter ${score(jit.z, 24, truth)}`);
  const glm = inferGraph(states, { lags: 1, method: "glm", maxIter: 150 });
  assert.ok(score(glm.z, 24, truth) >= 0.95, `glm ${score(glm.z, 24, truth)}`);
  assert.ok(glm.fit!.iterations > 1);
  // direction: the reverse pairs are not edges
  for (const k of truth) {
    const i = Math.floor(k / 24),
      j = k % 24;
    if (!truth.has(j * 24 + i)) assert.ok(shift.z[j * 24 + i]! < shift.z[i * 24 + j]!);
  }
});

test("seeded: same seed → same bits; options recorded; BinnedActivity and BinaryStates agree", () => {
  const { states } = planted(10, 600, 8, 1);
  const a = inferGraph(states, { seed: 4, surrogates: 5 });
  const b = inferGraph(states, { seed: 4, surrogates: 5 });
  const c = inferGraph(states, { seed: 5, surrogates: 5 });
  assert.equal(Array.from(a.z), Array.from(b.z));
  assert.not.equal(Array.from(a.z), Array.from(c.z));
  assert.equal(a.options, { ...INFER_DEFAULTS, lags: [1, 2], seed: 4, surrogates: 5 });
  const binned: BinnedActivity = {
    kind: "binned",
    nBins: 600,
    nNeurons: 10,
    binSize: 0.01,
    counts: Uint16Array.from(states.data, (v, q) => v * (1 + (q % 3))),
    neuronIds: Int32Array.from({ length: 10 }, (_, i) => 100 + i),
    provenance: { source: "array" },
  };
  const d = inferGraph(binned, { seed: 4, surrogates: 5 });
  assert.equal(Array.from(d.z), Array.from(a.z));
  assert.equal(Array.from(d.nodeIds!), Array.from(binned.neuronIds));
  const counts = inferGraph(binned, { seed: 4, surrogates: 5, binary: false });
  assert.not.equal(Array.from(counts.z), Array.from(a.z));
});

test("latentDiffusion: one edge of weight w gives K_01 = (1 − e^{−2τ})/2 (τ in units of 1/⟨k⟩)", () => {
  const g = {
    n: 2,
    directed: true,
    source: Int32Array.from([0]),
    target: Int32Array.from([1]),
    weight: Float64Array.from([4]),
  };
  // A_s has weight 2 between 0 and 1; ⟨k⟩ = 2, L eigenvalues 0 and 4: e^{−4·τ/2} = e^{−2τ}
  for (const tau of [0.3, 1, 2.5]) {
    const k = latentDiffusion(g, { tau });
    assert.is(k.directed, false);
    assert.is(k.source.length, 1);
    assert.ok(Math.abs(k.weight[0]! - (1 - Math.exp(-2 * tau)) / 2) < 1e-13);
  }
  // a path 0–1–2: diffusion links 0 and 2 (indirect structure)
  const p = {
    n: 3,
    directed: false,
    source: Int32Array.from([0, 1]),
    target: Int32Array.from([1, 2]),
    weight: Float64Array.from([1, 1]),
  };
  const kp = latentDiffusion(p, { tau: 1, neighbors: 0 });
  assert.is(kp.source.length, 3);
  const knn = latentDiffusion(p, { tau: 1, neighbors: 1 });
  assert.is(knn.source.length, 2);
});

test("invalid arguments (one each)", () => {
  const { states } = planted(5, 50, 2, 1);
  throwsCode(() => inferGraph(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => inferGraph({ T: 5, n: 5, data: new Uint8Array(3) }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => inferGraph({ T: 1, n: 1, data: Uint8Array.from([2]) }), DgrnRangeError, ErrorCode.INVALID_DATA);
  throwsCode(
    () => inferGraph({ kind: "binned", nBins: 2, nNeurons: 1, counts: [1, 2] } as never),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  );
  throwsCode(() => inferGraph({ T: 1, n: 1, data: Uint8Array.from([1]) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { lags: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { lags: [3, 2] }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { lags: "1..5" } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => inferGraph(states, { lags: 50 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { method: "granger" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => inferGraph(states, { surrogates: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { surrogate: "poisson" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => inferGraph(states, { jitter: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { seed: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { threshold: NaN }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => inferGraph(states, { binary: 1 } as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => inferGraph(states, { lambda: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { learningRate: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { maxIter: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => inferGraph(states, { seeds: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  const g = {
    n: 2,
    directed: true,
    source: Int32Array.from([0]),
    target: Int32Array.from([1]),
    weight: Float64Array.from([1]),
  };
  throwsCode(() => latentDiffusion(g, { tau: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => latentDiffusion(g, { neighbors: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => latentDiffusion(g, { t: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
});

test("partial: closed-form partial correlations equal explicit least-squares residuals (leave-pair-out community sums)", () => {
  const { states } = planted(9, 700, 10, 5);
  const { T, n, data } = states;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const P = communityPartialCorrelation(n, zeroLagCovariance(T, n, data), labels);
  const col = (i: number) => Float64Array.from({ length: T }, (_, t) => data[t * n + i]!);
  const sumOf = (a: number, skip: number[]) =>
    Float64Array.from({ length: T }, (_, t) => {
      let v = 0;
      for (let k = 0; k < n; k++) if (labels[k] === a && !skip.includes(k)) v += data[t * n + k]!;
      return v;
    });
  /** Residual of y on [1, covariates] by the normal equations (Gauss–Jordan), computed from the series. */
  const residual = (y: Float64Array, cov: Float64Array[]): Float64Array => {
    const X = [Float64Array.from({ length: T }, () => 1), ...cov];
    const p = X.length;
    const A = Array.from({ length: p }, (_, r) => [
      ...Array.from({ length: p }, (_, c) => X[r]!.reduce((s, v, t) => s + v * X[c]![t]!, 0)),
      X[r]!.reduce((s, v, t) => s + v * y[t]!, 0),
    ]);
    for (let c = 0; c < p; c++) {
      const piv = A[c]![c]!;
      for (let k = c; k <= p; k++) A[c]![k]! /= piv;
      for (let r = 0; r < p; r++)
        if (r !== c) {
          const f = A[r]![c]!;
          for (let k = c; k <= p; k++) A[r]![k]! -= f * A[c]![k]!;
        }
    }
    return Float64Array.from(y, (v, t) => v - X.reduce((s, x, c) => s + A[c]![p]! * x[t]!, 0));
  };
  const corr = (a: Float64Array, b: Float64Array) => {
    const ma = a.reduce((s, v) => s + v, 0) / T,
      mb = b.reduce((s, v) => s + v, 0) / T;
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let t = 0; t < T; t++)
      ((ab += (a[t]! - ma) * (b[t]! - mb)), (aa += (a[t]! - ma) * (a[t]! - ma)), (bb += (b[t]! - mb) * (b[t]! - mb)));
    return ab / Math.sqrt(aa * bb);
  };
  for (const [i, j] of [
    [0, 3],
    [1, 4],
    [0, 1],
    [2, 7],
    [8, 5],
  ] as const) {
    const a = labels[i]!,
      b = labels[j]!;
    const cov = a === b ? [sumOf(a, [i, j])] : [sumOf(a, [i]), sumOf(b, [j])];
    const want = corr(residual(col(i), cov), residual(col(j), cov));
    assert.ok(Math.abs(P[i * n + j]! - want) < 1e-9, `(${i}, ${j}): ${P[i * n + j]} vs ${want}`);
    assert.ok(Math.abs(P[j * n + i]! - P[i * n + j]!) < 1e-12);
  }
});

test("partial: within a community driven by a shared state, planted zero-lag couplings outrank co-activity", () => {
  // 3 communities of 8, each with a persistent up state (stays up with p 0.9, turns up with p 0.03; units then fire with p 0.3, else 0.02);
  // planted pairs (i, i+1) inside community 0 copy each other's spike with probability 0.5.
  const n = 24,
    T = 6000;
  const u = randomUniform(T * (n + 3) * 2, { seed: 11 });
  let q = 0;
  const data = new Uint8Array(T * n);
  const up = [false, false, false];
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < 3; c++) up[c] = u[q++]! < (up[c] ? 0.9 : 0.03);
    for (let i = 0; i < n; i++) data[t * n + i] = u[q++]! < (up[Math.floor(i / 8)] ? 0.3 : 0.02) ? 1 : 0;
    for (const i of [0, 2, 4]) if (data[t * n + i] && u[q++]! < 0.5) data[t * n + i + 1] = 1;
  }
  const states = { T, n, data };
  const g = inferGraph(states, { seed: 2 });
  assert.is(g.options.method, "partial");
  assert.equal(
    Array.from(g.conditionedOn!.slice(0, 8)).every((c) => c === g.conditionedOn![0]),
    true,
  );
  const plain = inferGraph(states, { seed: 2, method: "xcorr" });
  // Within community 0: AUROC of the planted pairs (either direction) among the 56 ordered pairs.
  const s: number[] = [],
    sPlain: number[] = [],
    y: number[] = [];
  for (let i = 0; i < 8; i++)
    for (let j = 0; j < 8; j++) {
      if (i === j) continue;
      s.push(g.z[i * n + j]!);
      sPlain.push(plain.z[i * n + j]!);
      y.push(Math.min(i, j) % 2 === 0 && Math.max(i, j) === Math.min(i, j) + 1 && Math.min(i, j) < 6 ? 1 : 0);
    }
  const a = auroc(s, y);
  assert.ok(a > 0.95, `partial within AUROC ${a}`);
  assert.ok(a > auroc(sPlain, y) + 0.1, `xcorr ${auroc(sPlain, y)}`);
  // The co-activity graph the communities came from is method xcorr's thresholded graph, edge for edge.
  const co = g.coactivity!;
  assert.equal(Array.from(co.source), Array.from(plain.source));
  assert.equal(Array.from(co.target), Array.from(plain.target));
  assert.equal(Array.from(co.weight), Array.from(plain.weight));
  assert.is(inferGraph(states, { seed: 2, communities: g.conditionedOn! }).coactivity, undefined);
});

test("refineCommunities: a ring of 30 five-cliques, merged in pairs by modularity, is split back into its cliques", () => {
  // Fortunato & Barthélemy 2007: with more than m(m − 1) + 2 = 22 cliques of m = 5 on a ring, the modularity
  // optimum pairs neighbouring cliques; each pair's own subgraph (two K5 and one edge) has modularity ≈ 0.45,
  // a single K5 has none.
  const m = 5,
    C = 30,
    src: number[] = [],
    tgt: number[] = [];
  const link = (a: number, b: number) => (src.push(a, b), tgt.push(b, a));
  for (let c = 0; c < C; c++) {
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) link(c * m + a, c * m + b);
    link(c * m + m - 1, ((c + 1) % C) * m);
  }
  const g = {
    n: m * C,
    directed: true,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: new Float64Array(src.length).fill(1),
  };
  const plain = detectCommunities(g, { seed: 1 });
  assert.ok(plain.count < C, `plain Leiden found ${plain.count} communities`);
  const fine = refineCommunities(g, plain.labels, 1);
  const truth = Array.from({ length: m * C }, (_, i) => Math.floor(i / m));
  assert.is(adjustedRandIndex(fine, truth), 1);
  assert.is(Math.max(...fine) + 1, C);
  // Nothing to split: the labels come back as given (canonical numbering).
  assert.equal(Array.from(refineCommunities(g, truth, 1)), truth);
});

test.run();
