// The graph stage at scale (issue 20), step by step, on the simulated network of
// N neurons, 20 s, half observed (pipeline defaults otherwise): inference,
// latent diffusion (Chebyshev, the default, vs the dense eigendecomposition it
// replaced), communities (Leiden, the default, vs graphology's Louvain), with the
// labels' ARI against the planted clusters. CPU time (user + system) of this
// process per step, since the machine is shared; `load1` recorded.
//
//   nice -n 10 node --import tsx benchmarks/graph-stage.bench.ts [--sizes 1000,2000,5000] [--dense-max 1000]
import { loadavg } from "node:os";
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  adjustedRandIndex,
  resolvePipelineConfig,
} from "../sdk/targets/node.js";
import { report } from "./harness.js";

await init();
const arg = (k: string, d: string) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1]! : d);
const sizes = arg("--sizes", "1000,2000,5000").split(",").map(Number);
const denseMax = Number(arg("--dense-max", "1000"));
const cpu = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
};
const rows: Array<Record<string, string | number | null>> = [];
for (const N of sizes) {
  const cfg = resolvePipelineConfig({ simulate: { n: N, duration: 20 } });
  const seed = cfg.seed;
  const [binned, simMs] = cpu(() => {
    const sim = simulateLIF({ ...cfg.simulate, seed });
    return { b: subsample(binSpikes(sim.spikes, { binSize: cfg.binSize }), { fraction: cfg.fraction, seed }), sim };
  });
  const [g, inferMs] = cpu(() => inferGraph(binned.b, { ...cfg.graph, seed }));
  const gp = { n: g.n, directed: true, source: g.source, target: g.target, weight: g.weight };
  const ids = binned.b.neuronIds,
    cl = binned.sim.truth.clusters;
  const exc: number[] = [];
  for (let i = 0; i < g.n; i++) if (cl[ids[i]!]! >= 0) exc.push(i);
  const ari = (lab: Int32Array) =>
    adjustedRandIndex(
      exc.map((i) => lab[i]!),
      exc.map((i) => cl[ids[i]!]!),
    );
  for (const method of g.n <= denseMax ? (["chebyshev", "dense"] as const) : (["chebyshev"] as const)) {
    const [k, diffMs] = cpu(() => latentDiffusion(gp, { ...(cfg.diffusion || {}), method }));
    for (const cm of ["leiden", "louvain"] as const) {
      const [c, comMs] = cpu(() => detectCommunities(k, { seed, resolution: cfg.resolution, method: cm }));
      rows.push({
        N,
        n: g.n,
        edges: g.source.length,
        simCpuMs: Math.round(simMs),
        inferCpuMs: Math.round(inferMs),
        diffusion: method,
        diffusionCpuMs: Math.round(diffMs),
        communities: cm,
        communitiesCpuMs: Math.round(comMs),
        Q: +c.modularity.toFixed(5),
        k: c.count,
        ari: +ari(c.labels).toFixed(3),
        load1: +loadavg()[0]!.toFixed(1),
      });
      console.error(rows[rows.length - 1]);
    }
  }
}
report("graph-stage", rows);
