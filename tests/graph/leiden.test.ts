// CSR Leiden (the default of detectCommunities) against graphology's Louvain
// (method: "louvain", the reference) and closed forms: same or higher
// modularity on noisy SBMs (directed and undirected, several seeds), connected
// communities, determinism per seed, exact recovery of a ring of cliques.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  detectCommunities,
  modularity,
  randomUniform,
  DgrnRangeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";
import { leidenLabels, leidenNet, splitDisconnected } from "../../sdk/graph/leiden.js";

const test = suite("graph/leiden");

/** Sparse planted partition: each node sends `deg` edges, a fraction `pOut` to uniform random nodes. */
function sbm(n: number, size: number, deg: number, pOut: number, directed: boolean, seed: number): Graph {
  const u = randomUniform(n * deg * 2, { seed });
  const s = new Int32Array(n * deg),
    t = new Int32Array(n * deg),
    w = new Float64Array(n * deg);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < deg; d++) {
      const q = i * deg + d,
        a = u[2 * q]!,
        c = u[2 * q + 1]!;
      s[q] = i;
      t[q] = a < pOut ? Math.floor(c * n) : Math.min(n - 1, Math.floor(i / size) * size + Math.floor(c * size));
      w[q] = 0.5 + a;
    }
  return { n, directed, source: s, target: t, weight: w };
}

/** Every community induces a connected subgraph (edges taken undirected). */
function connected(g: Graph, labels: Int32Array): boolean {
  const split = splitDisconnected(leidenNet(g), labels);
  const pairs = new Map<number, number>();
  for (let i = 0; i < g.n; i++) {
    const k = pairs.get(labels[i]!);
    if (k === undefined) pairs.set(labels[i]!, split[i]!);
    else if (k !== split[i]) return false;
  }
  return true;
}

test("modularity ≥ graphology's Louvain (within 1e-3) on noisy SBMs, directed and undirected, 3 seeds; communities connected", () => {
  let wins = 0,
    total = 0;
  for (const directed of [true, false])
    for (const seed of [1, 2, 3]) {
      const g = sbm(1500, 50, 6, 0.45, directed, seed);
      const a = detectCommunities(g, { seed });
      const b = detectCommunities(g, { seed, method: "louvain" });
      assert.ok(a.modularity >= b.modularity - 1e-3, `seed ${seed} ${directed}: ${a.modularity} vs ${b.modularity}`);
      assert.ok(Math.abs(a.modularity - modularity(g, a.labels)) < 1e-12);
      assert.ok(connected(g, a.labels));
      if (a.modularity >= b.modularity) wins++;
      total++;
    }
  assert.ok(wins >= total - 1, `Leiden ≥ Louvain in ${wins} of ${total}`);
});

test("deterministic per seed; another seed gives a partition of about the same quality", () => {
  const g = sbm(2000, 40, 8, 0.3, true, 9);
  const a = leidenLabels(g, { seed: 4, resolution: 1 });
  const b = leidenLabels(g, { seed: 4, resolution: 1 });
  assert.equal(Array.from(a), Array.from(b));
  const c = leidenLabels(g, { seed: 5, resolution: 1 });
  assert.ok(Math.abs(modularity(g, a) - modularity(g, c)) < 5e-3);
});

test("a ring of 12 cliques of 6 joined by single edges: one community per clique, Q = closed form", () => {
  const K = 12,
    c = 6;
  const s: number[] = [],
    t: number[] = [];
  for (let b = 0; b < K; b++) {
    for (let i = 0; i < c; i++)
      for (let j = i + 1; j < c; j++) {
        s.push(b * c + i);
        t.push(b * c + j);
      }
    s.push(b * c);
    t.push(((b + 1) % K) * c + 1);
  }
  const g: Graph = {
    n: K * c,
    directed: false,
    source: Int32Array.from(s),
    target: Int32Array.from(t),
    weight: new Float64Array(s.length).fill(1),
  };
  const r = detectCommunities(g, { seed: 1 });
  assert.is(r.count, K);
  for (let i = 0; i < g.n; i++) assert.is(r.labels[i], Math.floor(i / c));
  // m = K(15 + 1); each clique: 15 internal edges, degree sum 2·15 + 2
  const m = K * 16,
    Q = K * (15 / m - (32 / (2 * m)) ** 2);
  assert.ok(Math.abs(r.modularity - Q) < 1e-12, `${r.modularity} vs ${Q}`);
});

test("a disconnected community is split into its components (splitDisconnected)", () => {
  // two separate edges 0–1, 2–3 labelled as one community
  const g: Graph = {
    n: 4,
    directed: false,
    source: Int32Array.from([0, 2]),
    target: Int32Array.from([1, 3]),
    weight: Float64Array.from([1, 1]),
  };
  assert.equal(Array.from(splitDisconnected(leidenNet(g), Int32Array.from([0, 0, 0, 0]))), [0, 0, 1, 1]);
  const r = detectCommunities(g);
  assert.equal(Array.from(r.labels), [0, 0, 1, 1]);
});

test("edgeless graph: singletons; unknown method rejected", () => {
  const g: Graph = {
    n: 3,
    directed: true,
    source: new Int32Array(0),
    target: new Int32Array(0),
    weight: new Float64Array(0),
  };
  assert.equal(Array.from(detectCommunities(g).labels), [0, 1, 2]);
  throwsCode(() => detectCommunities(g, { method: "infomap" } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
});

test.run();
