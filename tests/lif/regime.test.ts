// Issue 13: connectivity scaling (fixed in-degrees), automatic E/I clustering,
// regime diagnostics on hand-built spike trains, and a seeded subset of the
// held-out regime grid (the full grid: `npx tsx tests/lif/regime-grid.ts`).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  LIF_DEFAULTS,
  connectionScaling,
  inhibitoryClusteringOf,
  clusterBoostOf,
  lifConfig,
  lifDiagnostics,
  simulateLIF,
  DgrnShapeError,
  throwsCode,
  type SpikeTrains,
} from "../helpers/setup.js";
import { regimeRow } from "./regime-grid.js";

const scale = suite("lif: connectivity scaling");

/** Mean in-degree per class of an E neuron / I neuron, counted from the truth. */
function inDegrees(n: number, K: number, inhibitoryClustering: number | "auto" = "auto") {
  const r = simulateLIF({ n, clusters: K, duration: 0.001, stimulus: "none", inhibitoryClustering });
  const nE = Math.round(0.8 * n);
  const cl = r.truth.clusters;
  const w = r.truth.weights;
  let within = 0,
    between = 0,
    ie = 0,
    ei = 0,
    ii = 0,
    sumIE = 0;
  for (let e = 0; e < w.source.length; e++) {
    const s = w.source[e]!,
      t = w.target[e]!;
    if (s < nE && t < nE) cl[s] === cl[t] ? within++ : between++;
    else if (s < nE) ei++;
    else if (t < nE) (ie++, (sumIE += w.weight[e]!));
    else ii++;
  }
  return {
    within: within / nE,
    between: between / nE,
    ei: ei / (n - nE),
    ie: ie / nE,
    ii: ii / (n - nE),
    sumIE: sumIE / nE,
  };
}

scale(
  "every class keeps the reference in-degree at other sizes and cluster counts (input summed k·w where capped)",
  () => {
    const ref = { within: 0.35 * 79, between: 0.01 * 720, ei: 0.2 * 800, ie: 0.5 * 200, ii: 0.5 * 199 };
    for (const [n, K] of [
      [600, 6],
      [1000, 4],
      [3000, 30],
    ] as const) {
      const d = inDegrees(n, K, 1);
      for (const key of ["within", "between", "ei", "ie", "ii"] as const) {
        assert.ok(Math.abs(d[key] / ref[key] - 1) < 0.06, `n=${n} K=${K} ${key}: ${d[key]} vs ${ref[key]}`);
      }
    }
    // K = 30 with auto E/I clustering: own-cluster I→E pairs saturate; the summed I→E weight stays 100·w_IE.
    const clustered = inDegrees(3000, 30);
    assert.ok(
      clustered.ie < 95 && Math.abs(clustered.sumIE / (100 * LIF_DEFAULTS.wItoE) - 1) < 0.06,
      JSON.stringify(clustered),
    );
    // n = 200: 40 inhibitory neurons cannot give 100 I→E inputs; all connect and the weight carries the rest.
    const small = inDegrees(200, 2);
    assert.ok(Math.abs(small.ie - 40) < 1e-9, `${small.ie}`);
    assert.ok(Math.abs(small.sumIE / (100 * LIF_DEFAULTS.wItoE) - 1) < 1e-9, `${small.sumIE}`);
    const s = connectionScaling(lifConfig({ n: 200, clusters: 2 }), 200, 160);
    assert.is(s.prob.iToE, 1);
    assert.ok(Math.abs(s.gain.iToE - 2.5) < 1e-12);
    // The reference network keeps its probabilities exactly.
    const d = connectionScaling(lifConfig(), 1000, 800);
    assert.equal(d.prob, { in: 0.35, out: 0.01, eToI: 0.2, iToE: 0.5, iToI: 0.5 });
    assert.equal(d.gain, { in: 1, out: 1, eToI: 1, iToE: 1, iToI: 1 });
  },
);

scale('"auto" inhibitory clustering holds the self-feedback q² + (1 − q)²/(K − 1) at 1/10', () => {
  assert.is(inhibitoryClusteringOf(lifConfig()), 1);
  assert.is(inhibitoryClusteringOf(lifConfig({ n: 300, clusters: 3 })), 1);
  for (const K of [11, 20, 50]) {
    const R = inhibitoryClusteringOf(lifConfig({ n: 100 * K, clusters: K }));
    const q = R / (R + K - 1);
    assert.ok(Math.abs(q * q + ((1 - q) * (1 - q)) / (K - 1) - 0.1) < 1e-12, `K=${K}: R=${R}`);
  }
  // Hand value for K = 20: 20q² − 2q − 0.9 = 0 ⇒ q = (2 + √76)/40.
  const q20 = (2 + Math.sqrt(76)) / 40;
  assert.ok(Math.abs(inhibitoryClusteringOf(lifConfig({ n: 2000, clusters: 20 })) - (19 * q20) / (1 - q20)) < 1e-9);
  assert.is(inhibitoryClusteringOf(lifConfig({ n: 2000, clusters: 20, inhibitoryClustering: 3 })), 3);
});

scale("the in-cluster boost grows as J₊ (1 + γ (1 − K_ref/K)) above the reference K, and the synapses carry it", () => {
  assert.is(clusterBoostOf(lifConfig()), 2);
  assert.is(clusterBoostOf(lifConfig({ n: 600, clusters: 6 })), 2);
  assert.ok(Math.abs(clusterBoostOf(lifConfig({ n: 2000, clusters: 20 })) - 2.6) < 1e-12);
  assert.ok(Math.abs(clusterBoostOf(lifConfig({ n: 5000, clusters: 50 })) - 2.96) < 1e-12);
  assert.is(clusterBoostOf(lifConfig({ n: 5000, clusters: 50, clusterBoostGrowth: 0 })), 2);
  const r = simulateLIF({ n: 2500, clusters: 50, duration: 0.001, stimulus: "none" });
  const w = r.truth.weights,
    cl = r.truth.clusters;
  const within = new Set<number>();
  for (let e = 0; e < w.source.length; e++)
    if (w.source[e]! < 2000 && w.target[e]! < 2000 && cl[w.source[e]!] === cl[w.target[e]!]) within.add(w.weight[e]!);
  assert.equal([...within], [LIF_DEFAULTS.wEE * (2 * (1 + 0.6 * (1 - 10 / 50)))]);
});

scale(
  "automatic stimulation reaches every cluster when K > 10 (intervals shortened), and is unchanged for K ≤ 10",
  () => {
    const many = simulateLIF({ n: 100, clusters: 50, duration: 20 }).truth.stimulus;
    assert.is(many.length, 50);
    assert.is(new Set(many.map((s) => s.cluster)).size, 50);
    const f = 20 / (50 * 0.5);
    assert.ok(
      Math.abs(many[0]!.end - many[0]!.start - 0.25 * f) < 1e-9 && many.at(-1)!.end <= 20,
      JSON.stringify(many[0]),
    );
    const given = simulateLIF({ n: 100, clusters: 50, duration: 20, stimulusCoverage: false }).truth.stimulus;
    assert.is(given.length, 40);
    const ten = simulateLIF({ n: 100, clusters: 10, duration: 20 }).truth.stimulus;
    assert.is(ten.length, 40);
    assert.is(ten[0]!.end - ten[0]!.start, 0.25);
  },
);

scale.run();

const diag = suite("lif: regime diagnostics");

/** Spike trains of two 2-neuron clusters and one inhibitory neuron, from per-neuron time lists. */
function trains(times: number[][], duration: number): SpikeTrains {
  return {
    kind: "spikes",
    nNeurons: times.length,
    neuronIds: Int32Array.from(times, (_, i) => i),
    times: times.map((t) => Float64Array.from(t)),
    duration,
    provenance: { source: "test" },
  } as SpikeTrains;
}

diag("rates, most-active fractions and switches of hand-built alternating clusters", () => {
  // Cluster 0 fires in [0, 0.5) s, cluster 1 in [0.5, 1), cluster 0 again in [1, 1.5), cluster 1 in [1.5, 2): 3 switches in 2 s.
  const burst = (a: number) => Array.from({ length: 10 }, (_, k) => a + 0.05 * k + 0.01);
  const t0 = [...burst(0), ...burst(1)],
    t1 = [...burst(0.5), ...burst(1.5)];
  const d = lifDiagnostics(trains([t0, t0, t1, t1, [0.3]], 2), [0, 0, 1, 1, -1]);
  assert.equal(d.clusterRates, [10, 10]);
  assert.is(d.rateE, 10);
  assert.is(d.rateI, 0.5);
  assert.equal(d.mostActive, [0.5, 0.5]);
  assert.ok(Math.abs(d.switchesPerSecond - 1.5) < 1e-12, `${d.switchesPerSecond}`);
  assert.is(d.rateRatio, 1);
  assert.equal(d.warnings, []);
});

diag("warns for a silent cluster, a dominating cluster and a large rate spread", () => {
  const busy = Array.from({ length: 200 }, (_, k) => 0.01 * k + 0.001);
  const d = lifDiagnostics(trains([busy, busy, [0.5], [], []], 2), [0, 0, 1, 1, 2]);
  assert.equal(d.clusterRates, [100, 0.25, 0]);
  assert.equal(d.mostActive, [1, 0, 0]);
  assert.is(d.rateRatio, null);
  assert.is(d.warnings.length, 3, d.warnings.join("\n"));
  assert.match(d.warnings[0]!, /2 of 3 clusters are silent/);
  assert.match(d.warnings[1]!, /cluster 0 is the most active in 100 %/);
  assert.match(d.warnings[2]!, /∞×/);
  throwsCode(() => lifDiagnostics(trains([busy], 2), [0, 0]), DgrnShapeError, "ERR_SHAPE_MISMATCH");
});

diag.run();

const grid = suite("lif: held-out regimes (seeded subset of tests/lif/regime-grid.ts)");

for (const [n, K, seed] of [
  [300, 3, 2],
  [600, 6, 3],
  [2000, 20, 3], // failed before issue 13's large-K fixes (ARI 0.792); 1.000 with them, ≈ 10 s CPU
] as const) {
  grid(
    `N = ${n}, K = ${K}, seed ${seed}, 20 s: every cluster ≥ 1 Hz and within 10× of the busiest; infer --subsample 0.5 ARI ≥ 0.8`,
    () => {
      const r = regimeRow(n, K, seed, 20);
      assert.ok(r.minRate >= 1, `min cluster rate ${r.minRate}`);
      assert.ok(r.maxRate <= 10 * r.minRate, `rates ${r.minRate}…${r.maxRate}`);
      assert.ok(r.ari >= 0.8, `ARI ${r.ari}`);
      assert.equal(r.warnings, []);
    },
  );
}

grid.run();
