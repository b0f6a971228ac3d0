// Cached acceptance data of benchmarks/tn-born.bench.ts (simulateLIF seed s,
// 200 s, 10 ms bins, the pipeline's observed neurons, community order and
// RG flow of the first 20 s), so that model experiments do not re-simulate.
// The cache lives in $TMPDIR; it is a pure function of the seed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  simulateLIF,
  binSpikes,
  subsample,
  binarize,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  laplacianRG,
  type BinaryStates,
  type RGFlow,
} from "../sdk/targets/node.js";

export interface TnData {
  all: BinaryStates;
  order: Int32Array;
  flow: RGFlow;
}

/**
 * The pipeline's front on a simulated network: states of the observed half over
 * `duration` s, and the community order and RG flow of the graph inferred from
 * the first 20 s (not cached; {@link tnData} caches it for n = 1,000).
 */
export function tnFront(seed: number, duration: number, n?: number): TnData {
  const sim = simulateLIF({ seed, duration, ...(n === undefined ? {} : { n }) });
  const binned = subsample(binSpikes(sim.spikes, { binSize: 0.01 }), { fraction: 0.5, seed });
  const all = binarize(binned);
  const T0 = 2000;
  const b20 = { ...binned, nBins: T0, counts: binned.counts.slice(0, T0 * binned.nNeurons) };
  const g = inferGraph(b20, { seed });
  const gp = { n: g.n, directed: true as const, source: g.source, target: g.target, weight: g.weight };
  const dg = latentDiffusion(gp, {});
  const order = communityOrder(dg, detectCommunities(dg, { seed, resolution: 1 }).labels);
  const flow = laplacianRG(dg, { rule: "modes", seed }).flow;
  return { all, order, flow };
}

export function tnData(seed: number, duration = 200): TnData {
  const file = join(tmpdir(), `dgrn-tn-data-${seed}-${duration}.json`);
  if (existsSync(file)) {
    const j = JSON.parse(readFileSync(file, "utf8"));
    return {
      all: { T: j.T, n: j.n, data: Uint8Array.from(Buffer.from(j.data, "base64")) },
      order: Int32Array.from(j.order),
      flow: {
        n0: j.flow.n0,
        stopReason: j.flow.stopReason,
        steps: j.flow.steps.map((s: { assignment: number[] }) => ({ ...s, assignment: Int32Array.from(s.assignment) })),
      },
    };
  }
  const { all, order, flow } = tnFront(seed, duration);
  writeFileSync(
    file,
    JSON.stringify({
      T: all.T,
      n: all.n,
      data: Buffer.from(all.data).toString("base64"),
      order: Array.from(order),
      flow: { ...flow, steps: flow.steps.map((s) => ({ ...s, assignment: Array.from(s.assignment) })) },
    }),
  );
  return { all, order, flow };
}
