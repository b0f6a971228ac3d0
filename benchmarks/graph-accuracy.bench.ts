// Ground-truth scores of the graph stage on the embedded LIF network
// (LIF_DEFAULTS, seed 1), binned at 10 ms, vs the observed fraction f:
// edge AUROC on observed E→E pairs (score z_ij, positive = a true synapse),
// and ARI / NMI of the communities vs the true clusters on the observed
// excitatory neurons, with latent diffusion (τ = 1, default) and without.
// Subsampling seeds 1, 2, 3; inference and Louvain seeded with the same seed.
// Writes benchmarks/results/graph-accuracy.json (the table in docs/graph.md).
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  auroc,
  adjustedRandIndex,
  normalizedMutualInfo,
  toDense,
} from "../sdk/targets/node.js";
import type { InferOptions } from "../sdk/targets/node.js";
import { report } from "./harness.js";

await init();
const sim = simulateLIF();
const full = binSpikes(sim.spikes, { binSize: 0.01 });
const N = sim.truth.weights.n,
  W = toDense(sim.truth.weights),
  cl = sim.truth.clusters;
const rows: Array<Record<string, string | number | null>> = [];
const glmOpts: InferOptions = { method: "glm", lambda: 1e-2, maxIter: 100 };

for (const f of [1, 0.5, 0.2, 0.1]) {
  for (const seed of f === 1 ? [1] : [1, 2, 3]) {
    const b = f === 1 ? full : subsample(full, { fraction: f, seed });
    const ids = b.neuronIds,
      n = b.nNeurons;
    const exc: number[] = [];
    for (let i = 0; i < n; i++) if (cl[ids[i]!]! >= 0) exc.push(i);
    const methods: Array<[string, InferOptions]> = [["xcorr", { seed }]];
    if (seed === 1 && f <= 0.5) methods.push(["glm", { ...glmOpts, seed }]);
    for (const [name, opts] of methods) {
      const t0 = performance.now();
      const g = inferGraph(b, opts);
      const inferMs = performance.now() - t0;
      const s: number[] = [],
        y: number[] = [];
      for (const i of exc)
        for (const j of exc)
          if (i !== j) {
            s.push(g.z[i * n + j]!);
            y.push(W[ids[i]! * N + ids[j]!]! > 0 ? 1 : 0);
          }
      const want = exc.map((i) => cl[ids[i]!]!);
      const score = (labels: Int32Array) => {
        const got = exc.map((i) => labels[i]!);
        return { ari: adjustedRandIndex(got, want), nmi: normalizedMutualInfo(got, want) };
      };
      const diffused = detectCommunities(latentDiffusion(g), { seed });
      const raw = detectCommunities(g, { seed });
      const d = score(diffused.labels),
        r = score(raw.labels);
      rows.push({
        f,
        seed,
        method: name,
        n,
        edges: g.source.length,
        auroc: +auroc(s, y).toFixed(3),
        ari: +d.ari.toFixed(3),
        nmi: +d.nmi.toFixed(3),
        k: diffused.count,
        ariNoDiffusion: +r.ari.toFixed(3),
        nmiNoDiffusion: +r.nmi.toFixed(3),
        kNoDiffusion: raw.count,
        inferMs: Math.round(inferMs),
      });
      console.error(rows[rows.length - 1]);
    }
  }
}
report("graph-accuracy", rows);
