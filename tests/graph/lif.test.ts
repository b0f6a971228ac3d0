// Acceptance on the embedded clustered LIF network (LIF_DEFAULTS: 1,000 neurons,
// 10 excitatory clusters, 20 s), binned at 10 ms, with fixed seeds.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  binSpikes, subsample, inferGraph, latentDiffusion, detectCommunities, communityOrder,
  auroc, adjustedRandIndex, normalizedMutualInfo, toDense,
} from "../helpers/setup.js";
import type { BinnedActivity } from "../helpers/setup.js";
import { defaultLIF } from "../helpers/lif.js";

const test = suite("graph/lif");

let binnedCache: BinnedActivity | null = null;
function binned(): BinnedActivity {
  return (binnedCache ??= binSpikes(defaultLIF().spikes, { binSize: 0.01 }));
}

/** Scores of the default pipeline at fraction f (subsample seed 1). */
function run(f: number) {
  const sim = defaultLIF();
  const b = f === 1 ? binned() : subsample(binned(), { fraction: f, seed: 1 });
  const g = inferGraph(b, { seed: 1 });
  const ids = b.neuronIds, n = b.nNeurons, cl = sim.truth.clusters;
  const exc: number[] = [];
  for (let i = 0; i < n; i++) if (cl[ids[i]!]! >= 0) exc.push(i);
  return { sim, g, ids, n, cl, exc };
}

test("edge AUROC on observed E→E pairs ≥ 0.8 at f = 1", () => {
  const { sim, g, ids, n, exc } = run(1);
  const N = sim.truth.weights.n;
  const W = toDense(sim.truth.weights);
  const s: number[] = [], y: number[] = [];
  for (const i of exc) for (const j of exc) {
    if (i === j) continue;
    s.push(g.z[i * n + j]!);
    y.push(W[ids[i]! * N + ids[j]!]! > 0 ? 1 : 0);
  }
  const a = auroc(s, y);
  assert.ok(a >= 0.8, `AUROC ${a}`);
});

for (const [f, minAri] of [[0.5, 0.9], [0.2, 0.7]] as const) {
  test(`community ARI vs the true clusters ≥ ${minAri} at f = ${f} (diffused graph, observed excitatory neurons)`, () => {
    const { g, ids, cl, exc } = run(f);
    const k = latentDiffusion(g);
    const com = detectCommunities(k, { seed: 1 });
    const got = exc.map((i) => com.labels[i]!);
    const want = exc.map((i) => cl[ids[i]!]!);
    const ari = adjustedRandIndex(got, want);
    assert.ok(ari >= minAri, `ARI ${ari}`);
    assert.ok(normalizedMutualInfo(got, want) >= minAri);
    // the order keeps every detected community contiguous
    const order = communityOrder(k, com.labels);
    const seq = Array.from(order, (v) => com.labels[v]!);
    let changes = 0;
    for (let p = 1; p < seq.length; p++) if (seq[p] !== seq[p - 1]) changes++;
    assert.is(changes, com.count - 1);
  });
}

test.run();
