// The async stage variants on the in-run pool (issue 20) against their
// synchronous twins, on the simulated network of N neurons (20 s, half
// observed, pipeline defaults): inferGraph / inferGraphAsync,
// latentDiffusion / latentDiffusionAsync, decodeFlow / decodeFlowAsync, with
// 2 workers (the calling thread only waits). Wall time and CPU time (all
// threads of this process); every async result is checked bit for bit
// against the synchronous one. `load1` recorded (the machine is shared).
//
//   nice -n 10 node --import tsx benchmarks/parallel-stages.bench.ts [--n 2000] [--workers 2]
import { loadavg } from "node:os";
import {
  init,
  simulateLIF,
  binSpikes,
  subsample,
  binarize,
  inferGraph,
  inferGraphAsync,
  latentDiffusion,
  latentDiffusionAsync,
  laplacianRG,
  decodeFlow,
  decodeFlowAsync,
  stimulusLabels,
  resolvePipelineConfig,
  createPool,
} from "../sdk/targets/node.js";
import { arg, report } from "./harness.js";

await init();
const N = Number(arg("--n", "2000"));
const workers = Number(arg("--workers", "2"));
const cfg = resolvePipelineConfig({ simulate: { n: N, duration: 20 } });
const seed = cfg.seed;
const sim = simulateLIF({ ...cfg.simulate, seed });
const binned = subsample(binSpikes(sim.spikes, { binSize: cfg.binSize }), { fraction: cfg.fraction, seed });
const states = binarize(binned);
const labels = stimulusLabels(sim.truth.stimulus, binned.nBins, binned.binSize);

const measure = async <T>(f: () => T | Promise<T>): Promise<[T, number, number]> => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await f();
  const c = process.cpuUsage(c0);
  return [r, performance.now() - t0, (c.user + c.system) / 1000];
};
const bits = (v: unknown) =>
  JSON.stringify(v, (_, x) =>
    ArrayBuffer.isView(x)
      ? Buffer.from((x as Uint8Array).buffer, (x as Uint8Array).byteOffset, (x as Uint8Array).byteLength).toString(
          "hex",
        )
      : typeof x === "number"
        ? Buffer.from(new Float64Array([x]).buffer).toString("hex")
        : x,
  );

const pool = await createPool({ workers });
await pool.run("decode.fold", [null, 0]).catch(() => {}); // start the workers (load the SDK) before timing
await pool.run("decode.fold", [null, 0]).catch(() => {});
const rows: Array<Record<string, string | number | null>> = [];
try {
  const [g, inferMs, inferCpu] = await measure(() => inferGraph(binned, { ...cfg.graph, seed }));
  const [ga, inferAMs, inferACpu] = await measure(() => inferGraphAsync(binned, { ...cfg.graph, seed }, pool));
  const gp = { n: g.n, directed: true, source: g.source, target: g.target, weight: g.weight };
  const [k, diffMs, diffCpu] = await measure(() => latentDiffusion(gp, cfg.diffusion || {}));
  const [ka, diffAMs, diffACpu] = await measure(() => latentDiffusionAsync(gp, cfg.diffusion || {}, pool));
  const flow = laplacianRG(k, { ...cfg.lrg, seed }).flow;
  const dopts = { rule: cfg.dynamics.decodeRule, folds: cfg.dynamics.folds, seed };
  const [d, decMs, decCpu] = await measure(() => decodeFlow(states, flow, labels, dopts));
  const [da, decAMs, decACpu] = await measure(() => decodeFlowAsync(states, flow, labels, dopts, pool));
  const load1 = +loadavg()[0]!.toFixed(1);
  for (const [part, s, sc, a, ac, same] of [
    ["inferGraph", inferMs, inferCpu, inferAMs, inferACpu, bits(g) === bits(ga)],
    ["latentDiffusion", diffMs, diffCpu, diffAMs, diffACpu, bits(k) === bits(ka)],
    ["decodeFlow", decMs, decCpu, decAMs, decACpu, bits(d) === bits(da)],
  ] as const)
    rows.push({
      case: `N=${N}:n=${g.n}:${part}`,
      workers,
      syncMs: Math.round(s),
      syncCpuMs: Math.round(sc),
      asyncMs: Math.round(a),
      asyncCpuMs: Math.round(ac),
      speedup: +(s / a).toFixed(2),
      identical: same ? "yes" : "NO",
      load1,
    });
} finally {
  await pool.close();
}
report(arg("--name", "parallel-stages"), rows);
