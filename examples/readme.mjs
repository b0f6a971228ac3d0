// The README's ten-line example, kept runnable: `node examples/readme.mjs`.
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  laplacianRG,
} from "dgrn";

await init(); // the one async gate: loads dgrn.wasm; everything after is synchronous
const { spikes, truth } = simulateLIF({ duration: 10, seed: 1 });
const binned = subsample(binSpikes(spikes, { binSize: 0.01 }), { fraction: 0.5, seed: 1 });
const graph = inferGraph(binned, { seed: 1 }); // directed, z-scored against surrogates
const { labels } = detectCommunities(latentDiffusion(graph), { seed: 1 });
const rg = laplacianRG(graph); // S(τ), C(τ), scales τ*, the RG flow of supernodes
console.log(
  rg.peaks.map((p) => p.tau),
  rg.flow.steps.map((s) => s.n),
  labels.length,
  truth.clusters.length,
);
