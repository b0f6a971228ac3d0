// The graph stage at scale (issue 20), sub-step by sub-step, on the simulated
// network of N neurons, 20 s, half observed (pipeline defaults otherwise):
// inference (the xcorr products and their 20 circular-shift surrogates, then
// the rest of method "partial": Leiden on the xcorr graph, refinement, the
// partial correlations), latent diffusion (Chebyshev, the default; the dense
// eigendecomposition it replaced up to --dense-max observed units),
// communities (Leiden, the default, vs graphology's Louvain) and the node
// order, with the labels' ARI against the planted clusters. CPU time (user +
// system of this process) per sub-step, since the machine is shared; the
// simulation is excluded. `peakRssMiB` is the process's peak resident set so
// far (sizes run in ascending order, so it is the peak of the largest N yet);
// `load1` recorded. A last row per column: the fitted growth exponent b of
// CPU ms ∝ N^b (least squares on log–log over the sizes run).
//
//   nice -n 10 node --import tsx benchmarks/graph-stage.bench.ts [--sizes 1000,2000,5000,10000] [--dense-max 1000] [--name graph-stage]
import { loadavg } from "node:os";
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  adjustedRandIndex,
  resolvePipelineConfig,
} from "../sdk/targets/node.js";
import { inferFrom, inferInput, xcorrScores } from "../sdk/graph/infer.js";
import { arg, report } from "./harness.js";

await init();
const sizes = arg("--sizes", "1000,2000,5000,10000").split(",").map(Number);
const denseMax = Number(arg("--dense-max", "1000"));
const cpu = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
};
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rows: Array<Record<string, string | number | null>> = [];
const main: Array<Record<string, string | number>> = [];
for (const N of sizes) {
  const cfg = resolvePipelineConfig({ simulate: { n: N, duration: 20 } });
  const seed = cfg.seed;
  const [binned, simMs] = cpu(() => {
    const sim = simulateLIF({ ...cfg.simulate, seed });
    return { b: subsample(binSpikes(sim.spikes, { binSize: cfg.binSize }), { fraction: cfg.fraction, seed }), sim };
  });
  const opts = { ...cfg.graph, seed };
  let xcorrMs = 0;
  const [g, inferMs] = cpu(() =>
    inferFrom(inferInput(binned.b, opts), opts, (T, n, x, o) => {
      const [z, ms] = cpu(() => xcorrScores(T, n, x, o));
      xcorrMs = ms;
      return z;
    }),
  );
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
      const [, orderMs] = cpu(() => communityOrder(k, c.labels));
      const row = {
        N,
        n: g.n,
        edges: g.source.length,
        diffusedEdges: k.source.length,
        simCpuMs: Math.round(simMs),
        inferCpuMs: Math.round(inferMs),
        xcorrCpuMs: Math.round(xcorrMs),
        inferRestCpuMs: Math.round(inferMs - xcorrMs),
        diffusion: method,
        diffusionCpuMs: Math.round(diffMs),
        communities: cm,
        communitiesCpuMs: Math.round(comMs),
        orderCpuMs: Math.round(orderMs),
        stageCpuMs: Math.round(inferMs + diffMs + comMs + orderMs),
        Q: +c.modularity.toFixed(5),
        k: c.count,
        ari: +ari(c.labels).toFixed(3),
        peakRssMiB: rss(),
        load1: +loadavg()[0]!.toFixed(1),
      };
      rows.push(row);
      if (method === "chebyshev" && cm === "leiden") main.push(row);
      console.error(row);
    }
  }
}
// growth exponents of the default path (chebyshev + leiden)
if (main.length >= 2) {
  const fit = (key: string): number => {
    const xs = main.map((r) => Math.log(Number(r.N))),
      ys = main.map((r) => Math.log(Math.max(Number(r[key]), 1)));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length,
      my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0,
      sxx = 0;
    for (let i = 0; i < xs.length; i++) ((sxy += (xs[i]! - mx) * (ys[i]! - my)), (sxx += (xs[i]! - mx) ** 2));
    return +(sxy / sxx).toFixed(2);
  };
  const ex: Record<string, string | number | null> = { N: "exponent b (CPU ∝ N^b, chebyshev + leiden)" };
  for (const key of [
    "inferCpuMs",
    "xcorrCpuMs",
    "inferRestCpuMs",
    "diffusionCpuMs",
    "communitiesCpuMs",
    "orderCpuMs",
    "stageCpuMs",
    "edges",
    "peakRssMiB",
  ])
    ex[key] = fit(key);
  rows.push(ex);
  console.error(ex);
}
report(arg("--name", "graph-stage"), rows);
