// Honest ground-truth scores of the graph stage (issue 13; docs/graph.md §7):
// for the default LIF network at one seed and duration, each observed
// fraction f and each method, the edge AUROC on all observed E→E pairs, within
// and between true clusters, the same-cluster indicator's AUROC, and the
// community ARI without and (unless NODIFF=1) with latent diffusion τ = 1.
//
//   npx tsx benchmarks/graph-truth.ts SEED DURATION '[1,0.5,0.2,0.1]' '["partial","xcorr","glm"]'
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  scoreGraph,
} from "../sdk/targets/node.js";

await init();
const [seed, dur] = [Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 20)];
const fs: number[] = JSON.parse(process.argv[4] ?? "[1,0.5,0.2,0.1]");
const methods: Array<"partial" | "xcorr" | "glm"> = JSON.parse(process.argv[5] ?? '["partial","xcorr"]');
const sim = simulateLIF({ duration: dur, seed });
const all = binSpikes(sim.spikes, { binSize: 0.01 });
const r3 = (x: number | null) => (x === null ? null : +x.toFixed(3));
for (const f of fs) {
  const b = f >= 1 ? all : subsample(all, { fraction: f, seed });
  for (const method of methods) {
    const t0 = performance.now();
    const g = inferGraph(b, { seed, method });
    const row: Record<string, unknown> = { seed, duration: dur, f, method };
    for (const tau of process.env.NODIFF ? [0] : [0, 1]) {
      const h = tau > 0 && g.source.length > 0 ? latentDiffusion(g, { tau }) : g;
      const s = scoreGraph(g, detectCommunities(h, { seed }).labels, sim.truth);
      row[tau > 0 ? "ariDiffused" : "ari"] = r3(s.ari);
      if (tau === 0)
        Object.assign(row, {
          all: r3(s.edges.all.auroc),
          within: r3(s.edges.within.auroc),
          between: r3(s.edges.between.auroc),
          sameCluster: r3(s.edges.all.sameCluster),
        });
    }
    row.seconds = +((performance.now() - t0) / 1000).toFixed(1);
    console.log(JSON.stringify(row));
  }
}
