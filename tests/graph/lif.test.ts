// Acceptance on the embedded clustered LIF network (LIF_DEFAULTS: 1,000 neurons,
// 10 excitatory clusters, 20 s), binned at 10 ms, with fixed seeds.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  binSpikes,
  subsample,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  adjustedRandIndex,
  normalizedMutualInfo,
  scoreGraph,
} from "../helpers/setup.js";
import type { BinnedActivity } from "../helpers/setup.js";
import { defaultLIF } from "../helpers/lif.js";

const test = suite("graph/lif");

let binnedCache: BinnedActivity | null = null;
function binned(): BinnedActivity {
  return (binnedCache ??= binSpikes(defaultLIF().spikes, { binSize: 0.01 }));
}

/** Scores of the default pipeline at fraction f (subsample seed 1). */
const inferred = new Map<number, ReturnType<typeof inferGraph>>();
function run(f: number, infer = true) {
  const sim = defaultLIF();
  const b = f === 1 ? binned() : subsample(binned(), { fraction: f, seed: 1 });
  if (infer && !inferred.has(f)) inferred.set(f, inferGraph(b, { seed: 1 }));
  const g = inferred.get(f)!;
  const ids = b.neuronIds,
    n = b.nNeurons,
    cl = sim.truth.clusters;
  const exc: number[] = [];
  for (let i = 0; i < n; i++) if (cl[ids[i]!]! >= 0) exc.push(i);
  return { sim, b, g, ids, n, cl, exc };
}

// Honest scores (issue 13): AUROC on all observed E→E pairs is mostly the
// "same cluster" indicator (≈ 0.86 alone); an estimator finds synapses only if
// it beats chance *within* clusters. Measured values: docs/graph.md §7.
test("xcorr: all-pairs AUROC ≥ 0.8 at f = 1, but within clusters it is at chance (co-activity, not synapses)", () => {
  const { sim, b } = run(1, false);
  const g = inferGraph(b, { seed: 1, method: "xcorr" });
  const s = scoreGraph(g, new Int32Array(g.n), sim.truth);
  assert.ok(s.edges.all.auroc! >= 0.8, `AUROC ${s.edges.all.auroc}`);
  assert.ok(Math.abs(s.edges.all.auroc! - s.edges.all.sameCluster!) < 0.03, JSON.stringify(s.edges.all));
  assert.ok(Math.abs(s.edges.within.auroc! - 0.5) < 0.04, `within ${s.edges.within.auroc}`);
});

test("partial (default): beats xcorr and chance within clusters at f = 0.5, 20 s, and keeps all-pairs AUROC ≥ 0.8", () => {
  const { sim, b, g } = run(0.5);
  const x = inferGraph(b, { seed: 1, method: "xcorr" });
  const s = scoreGraph(g, g.conditionedOn!, sim.truth);
  const sx = scoreGraph(x, g.conditionedOn!, sim.truth);
  assert.ok(
    s.edges.within.auroc! >= 0.54 && s.edges.within.auroc! > sx.edges.within.auroc! + 0.03,
    `within ${s.edges.within.auroc} vs xcorr ${sx.edges.within.auroc}`,
  );
  assert.ok(s.edges.all.auroc! >= 0.8, `all ${s.edges.all.auroc}`);
  assert.ok(s.ari! >= 0.9, `ARI of the conditioned-on communities ${s.ari}`);
});

for (const [f, minAri] of [
  [0.5, 0.9],
  [0.2, 0.7],
] as const) {
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
