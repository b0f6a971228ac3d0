// The held-out regime grid of issue 13: for each (N, K, seed), simulate 20 s,
// check that every excitatory cluster's mean rate is ≥ 1 Hz and within 10× of
// the busiest, and run what `dgrn infer --subsample 0.5` runs (10 ms bins,
// subsample 0.5 with the seed, inferGraph defaults, latent diffusion τ = 1,
// Leiden communities) to get the community ARI on the observed excitatory
// neurons. tests/lif/regime.test.ts runs a seeded subset; the full grid:
//
//   npx tsx tests/lif/regime-grid.ts            (N, K) ∈ {(300,3),(600,6),(2000,20),(5000,50)} × seeds 1–3
//   npx tsx tests/lif/regime-grid.ts '[[600,6,4]]' 20 [out.json]
//
// With an output path the rows so far are rewritten to it (JSON) after each
// configuration, so a long grid can be read while it runs.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import {
  adjustedRandIndex,
  binSpikes,
  detectCommunities,
  inferGraph,
  init,
  latentDiffusion,
  simulateLIF,
  subsample,
  type LIFConfig,
} from "../../sdk/targets/node.js";

/** One row of the grid. */
export interface RegimeRow {
  n: number;
  K: number;
  seed: number;
  minRate: number;
  maxRate: number;
  switchesPerSecond: number;
  ari: number;
  warnings: string[];
  simSeconds: number;
  inferSeconds: number;
}

/** Simulate one configuration and score it as `dgrn infer --subsample 0.5` would. */
export function regimeRow(
  n: number,
  K: number,
  seed: number,
  duration = 20,
  overrides: Partial<LIFConfig> = {},
): RegimeRow {
  const t0 = performance.now();
  const sim = simulateLIF({ ...overrides, n, clusters: K, seed, duration });
  const t1 = performance.now();
  const binned = subsample(binSpikes(sim.spikes, { binSize: 0.01 }), { fraction: 0.5, seed });
  const g = inferGraph(binned, { seed });
  const h = g.source.length > 0 ? latentDiffusion(g, { tau: 1 }) : g;
  const com = detectCommunities(h, { seed, resolution: 1 });
  const got: number[] = [],
    want: number[] = [];
  for (let i = 0; i < binned.nNeurons; i++) {
    const c = sim.truth.clusters[binned.neuronIds[i]!]!;
    if (c >= 0) {
      got.push(com.labels[i]!);
      want.push(c);
    }
  }
  const rates = sim.diagnostics.clusterRates;
  return {
    n,
    K,
    seed,
    minRate: Math.min(...rates),
    maxRate: Math.max(...rates),
    switchesPerSecond: sim.diagnostics.switchesPerSecond,
    ari: adjustedRandIndex(got, want),
    warnings: sim.diagnostics.warnings,
    simSeconds: (t1 - t0) / 1000,
    inferSeconds: (performance.now() - t1) / 1000,
  };
}

/** The acceptance grid of issue 13. */
export const REGIME_GRID: ReadonlyArray<readonly [number, number]> = [
  [300, 3],
  [600, 6],
  [2000, 20],
  [5000, 50],
];

if (import.meta.url === `file://${process.argv[1]}`) {
  await init();
  const grid: Array<[number, number, number]> = process.argv[2]
    ? JSON.parse(process.argv[2])
    : REGIME_GRID.flatMap(([n, K]) => [1, 2, 3].map((s) => [n, K, s] as [number, number, number]));
  const duration = process.argv[3] ? Number(process.argv[3]) : 20;
  const outPath = process.argv[4];
  const done: Array<Record<string, unknown>> = [];
  let failed = 0;
  for (const [n, K, seed] of grid) {
    const c0 = process.cpuUsage();
    const r = regimeRow(n, K, seed, duration);
    const cpu = process.cpuUsage(c0);
    const ok = r.minRate >= 1 && r.maxRate <= 10 * r.minRate && r.ari >= 0.8;
    if (!ok) failed++;
    const row = {
      ok,
      ...r,
      minRate: +r.minRate.toFixed(2),
      maxRate: +r.maxRate.toFixed(2),
      ari: +r.ari.toFixed(3),
      switchesPerSecond: +r.switchesPerSecond.toFixed(2),
      simSeconds: +r.simSeconds.toFixed(1),
      inferSeconds: +r.inferSeconds.toFixed(1),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      loadAverage1m: +loadavg()[0]!.toFixed(1),
      duration,
    };
    console.log(JSON.stringify(row));
    done.push(row);
    if (outPath) writeFileSync(outPath, JSON.stringify(done, null, 2) + "\n");
  }
  console.log(failed === 0 ? "all configurations pass" : `${failed} configuration(s) fail`);
  process.exitCode = failed === 0 ? 0 : 1;
}
