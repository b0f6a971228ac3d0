import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import {
  detectCommunities,
  communityOrder,
  modularity,
  adjustedRandIndex,
  randomUniform,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";

const louvain = ((louvainModule as unknown as { default?: unknown }).default ?? louvainModule) as unknown as {
  detailed(g: unknown, o: object): { communities: Record<string, number>; modularity: number };
};
const test = suite("graph/communities");

/** Directed weighted planted-partition SBM: blocks of `size`, p_in / p_out, weights in [0.5, 1.5). */
function sbm(blocks: number, size: number, pIn: number, pOut: number, seed: number): { g: Graph; truth: Int32Array } {
  const n = blocks * size;
  const u = randomUniform(2 * n * n, { seed });
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const same = Math.floor(i / size) === Math.floor(j / size);
      if (u[i * n + j]! < (same ? pIn : pOut)) {
        src.push(i);
        tgt.push(j);
        w.push(0.5 + u[n * n + i * n + j]!);
      }
    }
  // Shuffle node ids so "contiguous by block" is not the identity order.
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[a * 7 + 1]! - u[b * 7 + 1]!);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) truth[perm[i]!] = Math.floor(i / size);
  return {
    g: {
      n,
      directed: true,
      source: Int32Array.from(src, (i) => perm[i]!),
      target: Int32Array.from(tgt, (i) => perm[i]!),
      weight: Float64Array.from(w),
    },
    truth,
  };
}

/** A small LCG for graphology's own runs (independent of our seeded stream). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

test("planted partition: recovered exactly; deterministic per seed; modularity = direct formula", () => {
  const { g, truth } = sbm(6, 25, 0.3, 0.02, 11);
  const a = detectCommunities(g, { seed: 1 });
  const b = detectCommunities(g, { seed: 1 });
  assert.equal(Array.from(a.labels), Array.from(b.labels));
  assert.is(a.modularity, b.modularity);
  assert.is(a.count, 6);
  assert.is(adjustedRandIndex(a.labels, truth), 1);
  assert.ok(Math.abs(a.modularity - modularity(g, a.labels)) < 1e-12);
  // labels are canonical: numbered by first node
  assert.is(a.labels[0], 0);
});

test("modularity is within 1% of graphology-communities-louvain's best over 10 seeds, same graph", () => {
  const { g } = sbm(8, 30, 0.12, 0.03, 5); // a harder, noisier graph
  const G = new DirectedGraph();
  for (let i = 0; i < g.n; i++) G.addNode(i);
  for (let e = 0; e < g.source.length; e++) G.addEdge(g.source[e]!, g.target[e]!, { weight: g.weight[e]! });
  let best = -Infinity;
  for (let s = 1; s <= 10; s++) {
    const r = louvain.detailed(G, { getEdgeWeight: "weight", rng: lcg(s) });
    const lab = Int32Array.from({ length: g.n }, (_, i) => r.communities[String(i)]!);
    // graphology's own modularity agrees with ours on its partition
    assert.ok(
      Math.abs(r.modularity - modularity(g, lab)) < 1e-9,
      `graphology Q ${r.modularity} vs ours ${modularity(g, lab)}`,
    );
    best = Math.max(best, r.modularity);
  }
  const ours = detectCommunities(g, { seed: 1 }).modularity;
  assert.ok(ours >= 0.99 * best, `ours ${ours} vs best ${best}`);
});

test("communityOrder: a permutation, contiguous by block on a planted partition (detected and true labels)", () => {
  const { g, truth } = sbm(5, 20, 0.35, 0.03, 21);
  for (const labels of [detectCommunities(g, { seed: 2 }).labels, truth]) {
    const order = communityOrder(g, labels);
    assert.equal(
      Array.from(order).sort((x, y) => x - y),
      Array.from({ length: g.n }, (_, i) => i),
    );
    const seq = Array.from(order, (v) => truth[v]!);
    const seen = new Set<number>();
    for (let p = 0; p < seq.length; p++) {
      if (p > 0 && seq[p] !== seq[p - 1])
        assert.not.ok(seen.has(seq[p]!), `block ${seq[p]} reappears at position ${p}`);
      seen.add(seq[p]!);
    }
    assert.is(seen.size, 5);
  }
});

test("communityOrder: a chain of communities comes out in chain order; nodes in a path subgraph in path order", () => {
  // 4 communities of 3 nodes, each a path a–b–c internally; community k linked to k+1 only.
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  const add = (s: number, t: number, x: number) => {
    src.push(s);
    tgt.push(t);
    w.push(x);
  };
  const perm = [5, 11, 0, 7, 2, 9, 4, 1, 10, 3, 8, 6]; // node ids scrambled
  const node = (k: number, p: number) => perm[3 * k + p]!;
  for (let k = 0; k < 4; k++) {
    add(node(k, 0), node(k, 1), 5);
    add(node(k, 1), node(k, 2), 5);
    if (k < 3) add(node(k, 2), node(k + 1, 0), 0.5);
  }
  const g: Graph = {
    n: 12,
    directed: false,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
  };
  const labels = new Int32Array(12);
  for (let k = 0; k < 4; k++) for (let p = 0; p < 3; p++) labels[node(k, p)] = k;
  const order = Array.from(communityOrder(g, labels));
  const comSeq = [0, 3, 6, 9].map((p) => labels[order[p]!]!);
  assert.ok(
    JSON.stringify(comSeq) === "[0,1,2,3]" || JSON.stringify(comSeq) === "[3,2,1,0]",
    `community order ${comSeq}`,
  );
  for (let b = 0; b < 4; b++) {
    const k = labels[order[3 * b]!]!;
    const inner = order.slice(3 * b, 3 * b + 3);
    // the middle node of the path sits in the middle
    assert.is(inner[1], node(k, 1));
  }
});

test("invalid arguments (one each)", () => {
  const { g } = sbm(2, 5, 0.5, 0.1, 1);
  throwsCode(() => detectCommunities(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => detectCommunities(g, { seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => detectCommunities(g, { resolution: 0 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => detectCommunities(g, { reslution: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(
    () => detectCommunities({ ...g, weight: g.weight.map((x, e) => (e === 0 ? -x : x)) }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  );
  throwsCode(() => detectCommunities({ ...g, source: g.source.map(() => 99) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => detectCommunities({ ...g, weight: new Float64Array(1) }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => communityOrder(g, new Int32Array(3)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => communityOrder(g, "abc" as never), DgrnTypeError, ErrorCode.INVALID_TYPE);
});

test.run();
