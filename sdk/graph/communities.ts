/**
 * Community detection: Louvain modularity optimisation (Blondel et al. 2008) on
 * the weighted graph, directed modularity for directed graphs (Dugué & Perez
 * 2015), through graphology-communities-louvain. Seeded and deterministic: the
 * library's `rng` is fed from the kernel's xoshiro256** stream for `seed`,
 * never from Math.random.
 *
 * @module
 */
import { DirectedGraph, UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";

// The package is CommonJS with a default-export typing; under NodeNext the
// callable sits on `.default` for the type checker but not at run time.
const louvain = ((louvainModule as unknown as { default?: unknown }).default ?? louvainModule) as unknown as {
  detailed(g: unknown, o: object): { communities: Record<string, number>; modularity: number };
};
import { randomUniform } from "../random/index.js";
import type { Graph } from "../types.js";
import { checkNumber, checkOneOf, checkOptions, checkSeed } from "../validate.js";
import { checkGraph } from "./graph.js";
import { leidenLabels } from "./leiden.js";
import { modularityUnchecked } from "./metrics.js";

/** Options of {@link detectCommunities}. */
export interface CommunityOptions {
  /** Seed of the node visiting order (default 1). */
  seed?: number;
  /** Resolution γ of the modularity (default 1; larger gives more, smaller communities). */
  resolution?: number;
  /** `"leiden"` (default): the CSR-native Leiden of sdk/graph/leiden.ts, communities connected; `"louvain"`: graphology's Louvain (the reference). */
  method?: "leiden" | "louvain";
}

/** Result of {@link detectCommunities}. */
export interface Communities {
  /** Community of each node, 0 … k−1, numbered in order of each community's first node. */
  labels: Int32Array;
  /** Number of communities k. */
  count: number;
  /** Modularity of `labels` at the given resolution ({@link modularity}). */
  modularity: number;
}

/** A deterministic `() => number` in [0, 1): blocks of kernel uniforms, stream b for block b. */
export function seededUniforms(seed: number, block = 4096): () => number {
  let buf: Float64Array = new Float64Array(0);
  let pos = 0;
  let stream = 0;
  return () => {
    if (pos >= buf.length) {
      buf = randomUniform(block, { seed, stream: stream++ });
      pos = 0;
    }
    return buf[pos++]!;
  };
}

/** Canonical labels: communities numbered by their first node. */
export function canonicalLabels(raw: ArrayLike<number>): Int32Array {
  const map = new Map<number, number>();
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let k = map.get(raw[i]!);
    if (k === undefined) {
      k = map.size;
      map.set(raw[i]!, k);
    }
    out[i] = k;
  }
  return out;
}

/**
 * Find communities by Louvain modularity optimisation.
 *
 * @param graph - a weighted graph with nonnegative weights (directed → directed modularity)
 * @param options - `seed` (default 1), `resolution` (default 1)
 * @returns `{ labels, count, modularity }`
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative weight or resolution; `ERR_INVALID_OPTION` for an unknown option
 * @example
 * ```ts
 * const { labels, modularity } = detectCommunities(graph, { seed: 1 });
 * ```
 */
export function detectCommunities(graph: Graph, options?: CommunityOptions): Communities {
  const g = checkGraph("graph", graph, { nonnegative: true });
  const o = checkOptions<CommunityOptions>("options", options, ["seed", "resolution", "method"]);
  const seed = o.seed === undefined ? 1 : checkSeed("options.seed", o.seed);
  const resolution =
    o.resolution === undefined ? 1 : checkNumber("options.resolution", o.resolution, { min: 0, minExclusive: true });
  const method =
    o.method === undefined ? "leiden" : checkOneOf("options.method", o.method, ["leiden", "louvain"] as const);
  const raw = method === "leiden" ? leidenLabels(g, { seed, resolution }) : louvainLabels(g, { seed, resolution });
  const labels = canonicalLabels(raw);
  let count = 0;
  for (let i = 0; i < labels.length; i++) count = Math.max(count, labels[i]! + 1);
  return { labels, count, modularity: modularityUnchecked(g, labels, resolution) };
}

/** Run graphology's Louvain on a checked graph; raw community ids per node. */
export function louvainLabels(g: Graph, o: { seed: number; resolution: number }): Int32Array {
  const G = g.directed ? new DirectedGraph({ allowSelfLoops: true }) : new UndirectedGraph({ allowSelfLoops: true });
  for (let i = 0; i < g.n; i++) G.addNode(i);
  // Merge repeated pairs first (an undirected pair in either orientation), then add each once.
  const n = g.n;
  const index = new Map<number, number>();
  const ps: number[] = [],
    pt: number[] = [],
    pw: number[] = [];
  for (let e = 0; e < g.source.length; e++) {
    const w = g.weight[e]!;
    if (w === 0) continue;
    let s = g.source[e]!,
      t = g.target[e]!;
    if (!g.directed && s > t) [s, t] = [t, s];
    const key = s * n + t;
    const k = index.get(key);
    if (k === undefined) {
      index.set(key, ps.length);
      ps.push(s);
      pt.push(t);
      pw.push(w);
    } else pw[k]! += w;
  }
  for (let e = 0; e < ps.length; e++) G.addEdgeWithKey(e, ps[e]!, pt[e]!, { weight: pw[e]! });
  const out = new Int32Array(g.n);
  if (G.size === 0) {
    for (let i = 0; i < g.n; i++) out[i] = i;
    return out;
  }
  const res = louvain.detailed(G, { getEdgeWeight: "weight", resolution: o.resolution, rng: seededUniforms(o.seed) });
  for (let i = 0; i < g.n; i++) out[i] = res.communities[String(i)]!;
  return out;
}
