// The pipeline's observed, binned activity of the simulated network (N neurons,
// 20 s, 10 ms bins, half observed, seed s) and the true clusters, cached in
// $TMPDIR/dgrn-graph-data so that graph experiments do not re-simulate. A pure
// function of (N, seed).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateLIF, binSpikes, subsample, resolvePipelineConfig, type Graph } from "../sdk/targets/node.js";
import type { BinnedActivity } from "../sdk/types.js";

const dir = join(tmpdir(), "dgrn-graph-data");

/** The binned observed activity and the truth (clusters, synapses) of the pipeline's simulation. */
export function pipelineData(
  N: number,
  seed: number,
): { b: BinnedActivity & { neuronIds: Int32Array }; truth: { clusters: Int32Array; weights: Graph } } {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, `N${N}-s${seed}`);
  const buf = (p: string) => {
    const b = readFileSync(p);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  if (existsSync(f + ".json")) {
    const m = JSON.parse(readFileSync(f + ".json", "utf8"));
    return {
      b: { ...m.b, counts: new Uint16Array(buf(f + ".counts")), neuronIds: new Int32Array(buf(f + ".ids")) },
      truth: {
        clusters: new Int32Array(buf(f + ".clusters")),
        weights: {
          n: m.nTruth,
          directed: true,
          source: new Int32Array(buf(f + ".src")),
          target: new Int32Array(buf(f + ".tgt")),
          weight: new Float64Array(buf(f + ".w")),
        },
      },
    };
  }
  const cfg = resolvePipelineConfig({ simulate: { n: N, duration: 20 }, seed });
  const sim = simulateLIF({ ...cfg.simulate, seed });
  const b = subsample(binSpikes(sim.spikes, { binSize: cfg.binSize }), {
    fraction: cfg.fraction,
    seed,
  }) as BinnedActivity & {
    neuronIds: Int32Array;
  };
  const { counts, neuronIds, ...meta } = b;
  const w = sim.truth.weights;
  writeFileSync(f + ".counts", counts);
  writeFileSync(f + ".ids", neuronIds);
  writeFileSync(f + ".clusters", sim.truth.clusters);
  writeFileSync(f + ".src", w.source);
  writeFileSync(f + ".tgt", w.target);
  writeFileSync(f + ".w", w.weight);
  writeFileSync(f + ".json", JSON.stringify({ b: meta, nTruth: w.n }));
  return { b, truth: { clusters: sim.truth.clusters, weights: w } };
}
