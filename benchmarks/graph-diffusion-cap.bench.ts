// Latent diffusion of the k heaviest edges per node (diffusion option
// maxDegree) vs of every edge, on the pipeline's inferred graph (simulated
// network of N neurons, 20 s, half observed, seeds given; pipeline defaults
// otherwise). Why the graph is dense: the share of within-/between-community
// pairs above the threshold and the within-community z. Per cap: diffusion CPU
// ms, the diffused graph's pairs (Jaccard vs every edge), the weight ratio on
// shared pairs, communities (Leiden) ARI/NMI vs the planted clusters and ARI vs
// the communities of the uncapped diffusion, the Laplacian RG flow (rule
// "modes": nodes per step, stop reason) and its CPU ms. One JSON line per
// (N, seed, cap) on stderr; all rows to benchmarks/results/<name>.json.
//   nice -n 10 node --import tsx benchmarks/graph-diffusion-cap.bench.ts --sizes 1000,2000 --seeds 1,2,3 --caps 0,64,128
import { loadavg } from "node:os";
import {
  init,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  adjustedRandIndex,
  normalizedMutualInfo,
  laplacianRG,
  resolvePipelineConfig,
} from "../sdk/targets/node.js";
import { arg, report } from "./harness.js";
import { pipelineData } from "./graph-data-cache.js";

await init();
const sizes = arg("--sizes", "1000,2000").split(",").map(Number);
const seeds = arg("--seeds", "1,2,3").split(",").map(Number);
const caps = arg("--caps", "0,64,128").split(",").map(Number);
const lrgOn = !process.argv.includes("--no-lrg");
const cpu = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, Math.round((c.user + c.system) / 1000)];
};
const rows: Array<Record<string, unknown>> = [];
for (const N of sizes)
  for (const seed of seeds) {
    const cfg = resolvePipelineConfig({ simulate: { n: N, duration: 20 }, seed });
    const { b, truth } = pipelineData(N, seed);
    const [g, inferMs] = cpu(() => inferGraph(b, { ...cfg.graph, seed }));
    const n = g.n;
    const lab = g.conditionedOn!;
    // density: within / between pairs of the conditioned communities above the threshold
    let within = 0,
      wEdge = 0,
      between = 0,
      bEdge = 0;
    const deg = new Int32Array(n);
    const zw: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const z = g.z[i * n + j]!;
        const edge = z > g.options.threshold; // i → j
        if (edge || g.z[j * n + i]! > g.options.threshold) deg[i]!++;
        if (lab[i] === lab[j]) ((within += 1), (wEdge += edge ? 1 : 0), zw.push(z));
        else ((between += 1), (bEdge += edge ? 1 : 0));
      }
    zw.sort((a, b) => a - b);
    let maxDeg = 0;
    for (const d of deg) maxDeg = Math.max(maxDeg, d);
    const exc: number[] = [];
    for (let i = 0; i < n; i++) if (truth.clusters[b.neuronIds[i]!]! >= 0) exc.push(i);
    const want = exc.map((i) => truth.clusters[b.neuronIds[i]!]!);
    const plain = { n, directed: true as const, source: g.source, target: g.target, weight: g.weight };
    let ref: { key: Map<number, number>; labels: Int32Array } | undefined;
    for (const cap of caps) {
      const [k, diffMs] = cpu(() => latentDiffusion(plain, { ...(cfg.diffusion || {}), maxDegree: cap }));
      const [com, comMs] = cpu(() => detectCommunities(k, { seed, resolution: cfg.resolution }));
      const pairs = new Map<number, number>();
      for (let e = 0; e < k.source.length; e++) pairs.set(k.source[e]! * n + k.target[e]!, k.weight[e]!);
      let shared = 0;
      const ratios: number[] = [];
      if (ref)
        for (const [key, w] of pairs) {
          const w0 = ref.key.get(key);
          if (w0 !== undefined) (shared++, ratios.push(w / w0));
        }
      ratios.sort((a, b) => a - b);
      const got = exc.map((i) => com.labels[i]!);
      let flow: unknown = null,
        lrgMs: number | null = null;
      if (lrgOn) {
        const [r, ms] = cpu(() => laplacianRG(k, { ...cfg.lrg, seed }));
        flow = { n: r.flow.steps.map((s) => s.n), stop: r.flow.stopReason, peaks: r.peaks.length };
        lrgMs = ms;
      }
      const row = {
        N,
        seed,
        n,
        edges: g.source.length,
        withinEdgeShare: +(wEdge / within).toFixed(4),
        betweenEdgeShare: +(bEdge / between).toFixed(5),
        withinZq05: +zw[Math.floor(zw.length * 0.05)]!.toFixed(2),
        withinZMedian: +zw[zw.length >> 1]!.toFixed(2),
        maxDegree: maxDeg,
        inferCpuMs: inferMs,
        cap,
        sparsified: cap > 0 && maxDeg > cap,
        diffusionCpuMs: diffMs,
        diffusedEdges: k.source.length,
        jaccardVsAll: ref ? +(shared / (pairs.size + ref.key.size - shared)).toFixed(4) : 1,
        weightRatio:
          ref && ratios.length
            ? {
                min: +ratios[0]!.toFixed(3),
                median: +ratios[ratios.length >> 1]!.toFixed(3),
                max: +ratios[ratios.length - 1]!.toFixed(3),
              }
            : null,
        communities: com.count,
        communitiesCpuMs: comMs,
        ari: +adjustedRandIndex(got, want).toFixed(4),
        nmi: +normalizedMutualInfo(got, want).toFixed(4),
        ariVsAll: ref ? +adjustedRandIndex(com.labels, ref.labels).toFixed(4) : 1,
        flow,
        lrgCpuMs: lrgMs,
        load1: +loadavg()[0]!.toFixed(1),
      };
      if (!ref) ref = { key: pairs, labels: com.labels };
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  }
report(arg("--name", "graph-diffusion-cap"), rows as Array<Record<string, string | number | null>>);
