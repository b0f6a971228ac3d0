// Graph stage benchmarks:
//  - inferGraph (xcorr, lags 1..2) on synthetic binary activity, n = 500 and 2,000
//    units × 10⁵ bins (p = 0.05 per bin, LIF-like 5 Hz at 10 ms): the default 20
//    circular-shift surrogates at n = 500, and 5 surrogates at both sizes (the cost
//    is (S + 1) sparse products, so S = 20 at n = 2,000 is ≈ 3.5× the S = 5 time);
//    peer at n = 500: numpy (float32 BLAS GEMMs of X with its shifts, same statistic, same S);
//  - detectCommunities vs graphology-communities-louvain called directly on a
//    prebuilt graphology graph (same graph, same run), 10⁴ and 10⁵ nodes.
// Ratios are peer time / our time.
import { DirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import { init, inferGraph, detectCommunities, randomUniform, modularity } from "../sdk/targets/node.js";
import type { Graph } from "../sdk/targets/node.js";
import { consume, pythonHas, report, runPython, time } from "./harness.js";

const louvain = ((louvainModule as unknown as { default?: unknown }).default ?? louvainModule) as unknown as {
  detailed(g: unknown, o: object): { communities: Record<string, number>; modularity: number };
};

await init();
const rows: Array<Record<string, string | number | null>> = [];
const quick = process.argv.includes("--quick");

// ---- inference
const T = quick ? 20000 : 100000;
for (const [n, S] of [[500, 20], [500, 5], [2000, 5]] as const) {
  const u = randomUniform(T * n, { seed: n });
  const data = new Uint8Array(T * n);
  for (let q = 0; q < data.length; q++) data[q] = u[q]! < 0.05 ? 1 : 0;
  const states = { T, n, data };
  const ms = time(() => inferGraph(states, { seed: 1, surrogates: S }), { minRuns: 1, minMs: 0, warmup: 0 });
  let peer: number | null = null;
  if (n === 500 && pythonHas("numpy")) {
    const code = `
import numpy as np, time, json
T, n, S = ${T}, ${n}, ${S}
rng = np.random.default_rng(1)
X = (rng.random((T, n)) < 0.05).astype(np.float32)
t0 = time.perf_counter()
Y = np.zeros_like(X); Y[:-1] += X[1:]; Y[:-2] += X[2:]          # lag window 1..2
C = X.T @ Y
Yc = np.roll(X, -1, axis=0) + np.roll(X, -2, axis=0)            # circular window for surrogates
s1 = np.zeros((n, n)); s2 = np.zeros((n, n))
for s in rng.integers(20, T - 20, size=S):
    Cs = (X.T @ np.roll(Yc, -int(s), axis=0)).astype(np.float64); s1 += Cs; s2 += Cs * Cs
mu = s1 / S; var = np.maximum(s2 / S - mu * mu, 0) + mu / S
z = np.where(var > 0, (C - mu) / np.sqrt(np.where(var > 0, var, 1)), 0)
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "z": float(z[0, 1])}))
`;
    peer = (runPython(code) as { ms: number }).ms;
  }
  rows.push({ name: `graph:infer:xcorr:n=${n}:T=${T}:S=${S}`, ms: +ms.toFixed(1), peer: "numpy float32 GEMM (1 thread)", peerMs: peer === null ? null : +peer.toFixed(1), ratio: peer === null ? null : +(peer / ms).toFixed(2) });
  console.error(rows[rows.length - 1]);
}

// ---- communities
function sbm(n: number, seed: number): Graph {
  const blocks = Math.max(2, Math.round(n / 100));
  const size = Math.ceil(n / blocks);
  const deg = 10, pOutside = 0.2;
  const u = randomUniform(n * deg * 2, { seed });
  const src = new Int32Array(n * deg), tgt = new Int32Array(n * deg), w = new Float64Array(n * deg);
  const seen = new Set<number>();
  let m = 0;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / size);
    for (let d = 0; d < deg; d++) {
      const a = u[(i * deg + d) * 2]!, c = u[(i * deg + d) * 2 + 1]!;
      const j = a < pOutside ? Math.floor(c * n) : Math.min(n - 1, b * size + Math.floor(c * size));
      const key = i * n + j;
      if (j === i || seen.has(key)) continue;
      seen.add(key);
      src[m] = i; tgt[m] = j; w[m] = 0.5 + a; m++;
    }
  }
  return { n, directed: true, source: src.slice(0, m), target: tgt.slice(0, m), weight: w.slice(0, m) };
}

for (const n of quick ? [10000] : [10000, 100000]) {
  const g = sbm(n, 7);
  let qOurs = 0, qPeer = 0;
  const ours = time(() => { const r = detectCommunities(g, { seed: 1 }); qOurs = r.modularity; return r.labels; }, { minRuns: 1, minMs: 0, warmup: 1 });
  // The peer starts from a graphology graph already built; our time includes converting
  // the typed-array Graph into one (buildMs below, measured alone).
  let G = new DirectedGraph();
  const build = time(() => {
    G = new DirectedGraph();
    for (let i = 0; i < n; i++) G.addNode(i);
    for (let e = 0; e < g.source.length; e++) G.addEdgeWithKey(e, g.source[e]!, g.target[e]!, { weight: g.weight[e]! });
    return G.size;
  }, { minRuns: 1, minMs: 0, warmup: 0 });
  let s = 1;
  const rng = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const peer = time(() => { const r = louvain.detailed(G, { getEdgeWeight: "weight", rng }); qPeer = r.modularity; return r.communities; }, { minRuns: 1, minMs: 0, warmup: 1 });
  consume(modularity(g, new Int32Array(n)));
  rows.push({ name: `graph:communities:n=${n}:edges=${g.source.length}`, ms: +ours.toFixed(1), peer: "graphology-communities-louvain (prebuilt graph)", peerMs: +peer.toFixed(1), ratio: +(peer / ours).toFixed(2), buildMs: +build.toFixed(1), Q: +qOurs.toFixed(4), peerQ: +qPeer.toFixed(4) });
  console.error(rows[rows.length - 1]);
}

report("graph", rows);
