// Does latent diffusion help community detection? (issue 13; docs/graph.md §2)
// For each seed: simulate the default network (DURATION s), for each observed
// fraction f infer the graph (METHOD) and score the communities of the plain
// and of the diffused graph (τ ∈ TAUS) against the true clusters (ARI), with
// PREFIX s taken from the start of the recording when given.
//
//   npx tsx benchmarks/diffusion-truth.ts '[1,2,3,4,5,6,7,8,9,10]' partial 5
//   npx tsx benchmarks/diffusion-truth.ts '[1,…,10]' xcorr 20 '[5,20]' '[0.1,0.2,0.5]' '[0,0.5,1,2,4]'
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  scoreGraph,
  type SpikeTrains,
} from "../sdk/targets/node.js";

await init();
const seeds: number[] = JSON.parse(process.argv[2] ?? "[1,2,3,4,5,6,7,8,9,10]");
const method = (process.argv[3] ?? "partial") as "partial" | "xcorr" | "glm";
const duration = Number(process.argv[4] ?? 5);
const prefixes: number[] = JSON.parse(process.argv[5] ?? `[${duration}]`);
const fractions: number[] = JSON.parse(process.argv[6] ?? "[0.1,0.2]");
const taus: number[] = JSON.parse(process.argv[7] ?? "[0,1,2]");
for (const seed of seeds) {
  const sim = simulateLIF({ duration, seed });
  for (const dur of prefixes) {
    const sp: SpikeTrains = {
      ...sim.spikes,
      times: sim.spikes.times.map((t) => t.filter((x) => x < dur)),
      duration: dur,
    };
    const all = binSpikes(sp, { binSize: 0.01 });
    for (const f of fractions) {
      const b = subsample(all, { fraction: f, seed });
      const g = inferGraph(b, { seed, method });
      const row: Record<string, unknown> = { seed, dur, f, method };
      for (const tau of taus) {
        const h = tau > 0 && g.source.length > 0 ? latentDiffusion(g, { tau }) : g;
        row[`t${tau}`] = +scoreGraph(g, detectCommunities(h, { seed }).labels, sim.truth).ari!.toFixed(3);
      }
      console.log(JSON.stringify(row));
    }
  }
}
