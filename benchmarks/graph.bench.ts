// Graph stage benchmarks:
//  - inferGraph (xcorr, lags 1..2) on synthetic binary activity, n = 500 and 2,000
//    units × 10⁵ bins (p = 0.05 per bin, LIF-like 5 Hz at 10 ms), the default 20
//    circular-shift surrogates (the cost is S + 1 sparse products);
//    peer at n = 500: numpy (float32 BLAS GEMMs of X with its shifts, same statistic, same S);
//  - detectCommunities (CSR Leiden) vs graphology-communities-louvain on a prebuilt
//    graphology graph and igraph multilevel / Leiden (same graph, same run), 10⁴ and 10⁵ nodes.
// `--communities` runs only the community part.
// Ratios are peer time / our time.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectedGraph, UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import { init, inferGraph, detectCommunities, randomUniform } from "../sdk/targets/node.js";
import type { Graph } from "../sdk/targets/node.js";
import { pythonHas, report, runPython, time } from "./harness.js";

const louvain = ((louvainModule as unknown as { default?: unknown }).default ?? louvainModule) as unknown as {
  detailed(g: unknown, o: object): { communities: Record<string, number>; modularity: number };
};

await init();
const rows: Array<Record<string, string | number | null>> = [];
const quick = process.argv.includes("--quick");

// ---- inference
const T = quick ? 20000 : 100000;
for (const [n, S] of process.argv.includes("--communities")
  ? []
  : ([
      [500, 20],
      [2000, 20],
    ] as const)) {
  const u = randomUniform(T * n, { seed: n });
  const data = new Uint8Array(T * n);
  for (let q = 0; q < data.length; q++) data[q] = u[q]! < 0.05 ? 1 : 0;
  const states = { T, n, data };
  // One run each (they are long); CPU time beside wall time, since the machine may be shared.
  const c0 = process.cpuUsage();
  const ms = time(() => inferGraph(states, { seed: 1, surrogates: S }), { minRuns: 1, minMs: 0, warmup: 0 });
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  let peer: number | null = null;
  let peerCpu: number | null = null;
  if (n === 500 && pythonHas("numpy")) {
    const code = `
import numpy as np, time, json
T, n, S = ${T}, ${n}, ${S}
rng = np.random.default_rng(1)
X = (rng.random((T, n)) < 0.05).astype(np.float32)
t0 = time.perf_counter(); c0 = time.process_time()
Y = np.zeros_like(X); Y[:-1] += X[1:]; Y[:-2] += X[2:]          # lag window 1..2
C = X.T @ Y
Yc = np.roll(X, -1, axis=0) + np.roll(X, -2, axis=0)            # circular window for surrogates
s1 = np.zeros((n, n)); s2 = np.zeros((n, n))
for s in rng.integers(20, T - 20, size=S):
    Cs = (X.T @ np.roll(Yc, -int(s), axis=0)).astype(np.float64); s1 += Cs; s2 += Cs * Cs
mu = s1 / S; var = np.maximum(s2 / S - mu * mu, 0) + mu / S
z = np.where(var > 0, (C - mu) / np.sqrt(np.where(var > 0, var, 1)), 0)
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "cpuMs": (time.process_time() - c0) * 1000, "z": float(z[0, 1])}))
`;
    const p = runPython(code) as { ms: number; cpuMs: number };
    peer = p.ms;
    peerCpu = p.cpuMs;
  }
  rows.push({
    name: `graph:infer:xcorr:n=${n}:T=${T}:S=${S}`,
    ms: +ms.toFixed(1),
    cpuMs: +cpuMs.toFixed(1),
    peer: "numpy float32 GEMM (1 thread)",
    peerMs: peer === null ? null : +peer.toFixed(1),
    peerCpuMs: peerCpu === null ? null : +peerCpu.toFixed(1),
    ratio: peer === null ? null : +(peer / ms).toFixed(2),
    cpuRatio: peerCpu === null ? null : +(peerCpu / cpuMs).toFixed(2),
  });
  console.error(rows[rows.length - 1]);
}

// ---- communities
function sbm(n: number, seed: number): Graph {
  const blocks = Math.max(2, Math.round(n / 100));
  const size = Math.ceil(n / blocks);
  const deg = 10,
    pOutside = 0.2;
  const u = randomUniform(n * deg * 2, { seed });
  const src = new Int32Array(n * deg),
    tgt = new Int32Array(n * deg),
    w = new Float64Array(n * deg);
  const seen = new Set<number>();
  let m = 0;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(i / size);
    for (let d = 0; d < deg; d++) {
      const a = u[(i * deg + d) * 2]!,
        c = u[(i * deg + d) * 2 + 1]!;
      const j = a < pOutside ? Math.floor(c * n) : Math.min(n - 1, b * size + Math.floor(c * size));
      const key = i * n + j;
      if (j === i || seen.has(key)) continue;
      seen.add(key);
      src[m] = i;
      tgt[m] = j;
      w[m] = 0.5 + a;
      m++;
    }
  }
  return { n, directed: true, source: src.slice(0, m), target: tgt.slice(0, m), weight: w.slice(0, m) };
}

// Leiden (ours, the default) and graphology's Louvain (what detectCommunities used before) on the
// directed graph; then, on its undirected version (igraph's multilevel and Leiden are undirected),
// ours vs graphology vs igraph multilevel vs igraph Leiden (python3-igraph, prebuilt igraph Graph),
// all in the same run. Time of the community search only for the peers; ours includes building its CSR.
const sizes = process.argv.includes("--n")
  ? [Number(process.argv[process.argv.indexOf("--n") + 1])]
  : quick
    ? [10000]
    : [10000, 100000];
for (const n of sizes) {
  const gd = sbm(n, 7);
  for (const directed of process.argv.includes("--undirected") ? [false] : [true, false]) {
    const g: Graph = { ...gd, directed };
    let qOurs = 0,
      qLouvain = 0,
      qPeer = 0;
    const cpu = (f: () => unknown) => {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
    const ours = time(
      () => {
        const r = detectCommunities(g, { seed: 1 });
        qOurs = r.modularity;
        return r.labels;
      },
      { minRuns: 3, minMs: 0, warmup: 1 },
    );
    const oursCpu = Math.min(
      cpu(() => detectCommunities(g, { seed: 1 })),
      cpu(() => detectCommunities(g, { seed: 1 })),
    );
    const oursLouvain = time(
      () => {
        const r = detectCommunities(g, { seed: 1, method: "louvain" });
        qLouvain = r.modularity;
        return r.labels;
      },
      { minRuns: 1, minMs: 0, warmup: 0 },
    );
    let G: DirectedGraph | UndirectedGraph = directed ? new DirectedGraph() : new UndirectedGraph();
    const build = time(
      () => {
        G = directed ? new DirectedGraph() : new UndirectedGraph();
        for (let i = 0; i < n; i++) G.addNode(i);
        for (let e = 0; e < g.source.length; e++) {
          const s = g.source[e]!,
            t = g.target[e]!;
          if (!directed && G.hasEdge(s, t)) G.updateEdgeAttribute(s, t, "weight", (w: number) => w + g.weight[e]!);
          else G.addEdgeWithKey(e, s, t, { weight: g.weight[e]! });
        }
        return G.size;
      },
      { minRuns: 1, minMs: 0, warmup: 0 },
    );
    let st = 1;
    const rng = () => (st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 4294967296;
    const peer = time(
      () => {
        const r = louvain.detailed(G, { getEdgeWeight: "weight", rng });
        qPeer = r.modularity;
        return r.communities;
      },
      { minRuns: 3, minMs: 0, warmup: 1 },
    );
    const peerCpu = Math.min(
      cpu(() => louvain.detailed(G, { getEdgeWeight: "weight", rng })),
      cpu(() => louvain.detailed(G, { getEdgeWeight: "weight", rng })),
    );
    const row: Record<string, string | number | null> = {
      name: `graph:communities:${directed ? "directed" : "undirected"}:n=${n}:edges=${g.source.length}`,
      leidenMs: +ours.toFixed(1),
      leidenCpuMs: +oursCpu.toFixed(1),
      leidenQ: +qOurs.toFixed(5),
      louvainDetectMs: +oursLouvain.toFixed(1),
      louvainDetectQ: +qLouvain.toFixed(5),
      graphologyMs: +peer.toFixed(1),
      graphologyCpuMs: +peerCpu.toFixed(1),
      graphologyQ: +qPeer.toFixed(5),
      graphologyBuildMs: +build.toFixed(1),
      ratioGraphology: +(peer / ours).toFixed(2),
      cpuRatioGraphology: +(peerCpu / oursCpu).toFixed(2),
    };
    if (!directed && pythonHas("igraph")) {
      const dir = mkdtempSync(join(tmpdir(), "dgrn-bench-"));
      writeFileSync(join(dir, "s.i32"), new Uint8Array(g.source.buffer, g.source.byteOffset, g.source.byteLength));
      writeFileSync(join(dir, "t.i32"), new Uint8Array(g.target.buffer, g.target.byteOffset, g.target.byteLength));
      writeFileSync(join(dir, "w.f64"), new Uint8Array(g.weight.buffer, g.weight.byteOffset, g.weight.byteLength));
      const p = runPython(`
import igraph as ig, numpy as np, time, json
d = ${JSON.stringify(dir)}
s = np.fromfile(d + "/s.i32", dtype=np.int32); t = np.fromfile(d + "/t.i32", dtype=np.int32); w = np.fromfile(d + "/w.f64")
G = ig.Graph(n=${n}, edges=np.stack([s, t], 1).tolist(), directed=False)
G.es["weight"] = w.tolist()
G = G.simplify(combine_edges="sum")
def best(f):
    ts = []; cs = []
    for r in range(3):
        t0 = time.perf_counter(); c0 = time.process_time(); c = f(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    return sorted(ts)[1] * 1000, min(cs) * 1000, G.modularity(c.membership, weights="weight")
f1 = lambda: G.community_multilevel(weights="weight")
f2 = lambda: G.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
m1, c1, q1 = best(f1); m2, c2, q2 = best(f2)
print(json.dumps({"ml": m1, "mlCpu": c1, "mlQ": q1, "ld": m2, "ldCpu": c2, "ldQ": q2}))
`) as { ml: number; mlCpu: number; mlQ: number; ld: number; ldCpu: number; ldQ: number };
      rmSync(dir, { recursive: true, force: true });
      Object.assign(row, {
        igraphMultilevelMs: +p.ml.toFixed(1),
        igraphMultilevelCpuMs: +p.mlCpu.toFixed(1),
        igraphMultilevelQ: +p.mlQ.toFixed(5),
        igraphLeidenMs: +p.ld.toFixed(1),
        igraphLeidenCpuMs: +p.ldCpu.toFixed(1),
        igraphLeidenQ: +p.ldQ.toFixed(5),
        ratioIgraphMultilevel: +(p.ml / ours).toFixed(2),
        ratioIgraphLeiden: +(p.ld / ours).toFixed(2),
        cpuRatioIgraphMultilevel: +(p.mlCpu / oursCpu).toFixed(2),
        cpuRatioIgraphLeiden: +(p.ldCpu / oursCpu).toFixed(2),
      });
    }
    rows.push(row);
    console.error(row);
  }
}

report(process.argv.includes("--name") ? process.argv[process.argv.indexOf("--name") + 1]! : "graph", rows);
