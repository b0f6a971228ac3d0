// Latent diffusion: the sparse Chebyshev action (default) against the dense
// eigendecomposition path (method: "dense") on small graphs, and the Bessel
// coefficients against the closed form of e^{−c y} at y = ±1.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { latentDiffusion, randomUniform, DgrnRangeError, ErrorCode, throwsCode } from "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";
import {
  chebyshevExpCoefficients,
  degreeCap,
  degreeCapCounts,
  diffuseChebyshev,
  heaviestEdges,
} from "../../sdk/graph/diffusion.js";
import { sparseLaplacian } from "../../sdk/graph/graph.js";

const test = suite("graph/diffusion");

/** A random graph: each node gets `deg` random out-edges with weights in [0.5, 1.5), a few repeated. */
function randomGraph(n: number, deg: number, directed: boolean, seed: number): Graph {
  const u = randomUniform(n * deg * 2, { seed });
  const s: number[] = [],
    t: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < deg; d++) {
      const j = Math.floor(u[(i * deg + d) * 2]! * n);
      s.push(i);
      t.push(j);
      w.push(0.5 + u[(i * deg + d) * 2 + 1]!);
    }
  }
  return { n, directed, source: Int32Array.from(s), target: Int32Array.from(t), weight: Float64Array.from(w) };
}

function edgeMap(g: Graph): Map<number, number> {
  const m = new Map<number, number>();
  for (let e = 0; e < g.source.length; e++) m.set(g.source[e]! * g.n + g.target[e]!, g.weight[e]!);
  return m;
}

/** Same edge set, weights within `tol`. */
function same(a: Graph, b: Graph, tol: number): number {
  const ma = edgeMap(a),
    mb = edgeMap(b);
  assert.is(ma.size, mb.size);
  let worst = 0;
  for (const [k, v] of ma) {
    const u = mb.get(k);
    assert.ok(u !== undefined, `edge ${k} missing`);
    worst = Math.max(worst, Math.abs(u - v));
  }
  assert.ok(worst <= tol, `max |ΔK| = ${worst}`);
  return worst;
}

test("Chebyshev action matches the dense heat kernel to 1e-12 per entry (all pairs and top-k)", () => {
  for (const [n, deg, directed, seed] of [
    [40, 3, true, 1],
    [90, 4, false, 2],
    [150, 5, true, 3],
  ] as const) {
    const g = randomGraph(n, deg, directed, seed);
    for (const tau of [0.5, 1, 3]) {
      same(
        latentDiffusion(g, { tau, neighbors: 0 }),
        latentDiffusion(g, { tau, neighbors: 0, method: "dense" }),
        1e-12,
      );
      same(
        latentDiffusion(g, { tau, neighbors: 7 }),
        latentDiffusion(g, { tau, neighbors: 7, method: "dense" }),
        1e-12,
      );
    }
  }
});

test("a star (d_max/⟨k⟩ ≈ n/2: the time is split into several Chebyshev steps) matches the dense path", () => {
  const n = 200;
  const s = new Int32Array(n - 1),
    t = new Int32Array(n - 1),
    w = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    t[i - 1] = i;
    w[i - 1] = 1 + i / n;
  }
  const g: Graph = { n, directed: false, source: s, target: t, weight: w };
  same(
    latentDiffusion(g, { tau: 1, neighbors: 0 }),
    latentDiffusion(g, { tau: 1, neighbors: 0, method: "dense" }),
    1e-12,
  );
});

test("Bessel coefficients: Σ a_k = e^{−2c} (y = 1) and Σ (−1)^k a_k = 1 (y = −1)", () => {
  for (const c of [0, 0.1, 1, 7.5, 32]) {
    const a = chebyshevExpCoefficients(c);
    let plus = 0,
      minus = 0;
    for (let k = 0; k < a.length; k++) {
      plus += a[k]!;
      minus += k % 2 ? -a[k]! : a[k]!;
    }
    assert.ok(Math.abs(plus - Math.exp(-2 * c)) < 1e-14, `c=${c} plus ${plus}`);
    assert.ok(Math.abs(minus - 1) < 1e-13, `c=${c} minus ${minus}`);
  }
});

test("sparse Laplacian: rows sum to zero, symmetric, repeats merged, self-loops dropped", () => {
  const g: Graph = {
    n: 3,
    directed: true,
    source: Int32Array.from([0, 1, 0, 2]),
    target: Int32Array.from([1, 0, 1, 2]),
    weight: Float64Array.from([2, 4, 2, 9]),
  };
  const L = sparseLaplacian(g);
  assert.equal(Array.from(L.rowPtr), [0, 2, 4, 5]);
  assert.equal(Array.from(L.colIdx), [0, 1, 0, 1, 2]);
  assert.equal(Array.from(L.values), [4, -4, -4, 4, 0]);
});

test("heaviestEdges: each node's k heaviest symmetrised edges, kept when either end keeps them (brute force)", () => {
  for (const [n, deg, directed, seed, k] of [
    [30, 6, true, 4, 3],
    [60, 9, false, 5, 5],
    [45, 12, true, 6, 1],
  ] as const) {
    const g = randomGraph(n, deg, directed, seed);
    // brute force: dense symmetrised weights (A + Aᵀ)/2 (undirected: A), diagonal dropped
    const a = new Float64Array(n * n);
    for (let e = 0; e < g.source.length; e++) {
      const i = g.source[e]!,
        j = g.target[e]!;
      if (i === j) continue;
      const w = directed ? g.weight[e]! / 2 : g.weight[e]!;
      a[i * n + j]! += w;
      a[j * n + i]! += w;
    }
    const chosen = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) {
      const nb: number[] = [];
      for (let j = 0; j < n; j++) if (a[i * n + j]! > 0) nb.push(j);
      nb.sort((x, y) => a[i * n + y]! - a[i * n + x]! || x - y);
      for (const j of nb.slice(0, k)) chosen[Math.min(i, j) * n + Math.max(i, j)] = 1;
    }
    const h = heaviestEdges(g, k);
    assert.is(h.directed, false);
    const got = edgeMap(h);
    let want = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        if (!chosen[i * n + j]) continue;
        want++;
        const v = got.get(i * n + j);
        assert.ok(v !== undefined, `pair ${i}–${j} missing`);
        assert.ok(Math.abs(v - a[i * n + j]!) <= 1e-15 * a[i * n + j]!, `pair ${i}–${j}: ${v} vs ${a[i * n + j]}`);
      }
    assert.is(got.size, want);
    let maxDeg = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) if (a[i * n + j]! > 0) d++;
      maxDeg = Math.max(maxDeg, d);
    }
    // what the cap did (results.json graph.diffusionCap), counted on the dense matrix
    let over = 0,
      pairs = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) if (a[i * n + j]! > 0) (d++, j > i && pairs++);
      if (d > k) over++;
    }
    assert.ok(over > 0, "the case cuts some node");
    assert.equal(degreeCapCounts(g, k), { nodesOver: over, largestDegree: maxDeg, pairsGiven: pairs });
    const cut = degreeCap(g, k);
    assert.equal([cut.nodesOver, cut.largestDegree, cut.pairsGiven, cut.pairsKept], [over, maxDeg, pairs, want]);
    assert.equal(degreeCapCounts(g, maxDeg), { nodesOver: 0, largestDegree: maxDeg, pairsGiven: pairs });
    assert.equal(degreeCapCounts(g, 0), { nodesOver: 0, largestDegree: 0, pairsGiven: 0 });
    // no node above the cap: the graph itself, and the diffusion of the same bits as maxDegree 0
    assert.is(heaviestEdges(g, maxDeg), g);
    assert.is(heaviestEdges(g, 0), g);
    const all = latentDiffusion(g, { maxDegree: 0 }),
      capped = latentDiffusion(g, { maxDegree: maxDeg });
    assert.equal(Array.from(capped.weight), Array.from(all.weight));
    assert.equal(Array.from(capped.source), Array.from(all.source));
    // below it: the diffusion of the sparsified graph, τ in units of the given graph's ⟨k⟩ (brute force)
    let tot = 0;
    for (const v of a) tot += v;
    for (const tau of [0.5, 1]) {
      same(latentDiffusion(g, { tau, maxDegree: k }), diffuseChebyshev(h, tau, 30, tot / n), 1e-13);
      // not the diffusion of h in its own units (its ⟨k⟩ is smaller)
      const own = latentDiffusion(h, { tau, maxDegree: 0 });
      assert.ok(own.weight.some((v, e) => Math.abs(v - latentDiffusion(g, { tau, maxDegree: k }).weight[e]!) > 1e-6));
    }
  }
});

test("maxDegree is checked", () => {
  const g = randomGraph(5, 1, true, 1);
  throwsCode(() => latentDiffusion(g, { maxDegree: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => latentDiffusion(g, { maxDegree: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
});

test("method is checked", () => {
  const g = randomGraph(5, 1, true, 1);
  throwsCode(() => latentDiffusion(g, { method: "lanczos" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
});

test.run();
