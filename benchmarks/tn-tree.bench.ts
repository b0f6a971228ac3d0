// Tree Born machine along the pipeline's RG flow vs the node cap (issue 12):
// the acceptance data of benchmarks/tn-born.bench.ts (simulateLIF seed s,
// 200 s, 10 ms bins, the pipeline's 500 observed neurons, its community order
// and its RG flow of the first 20 s; cached by tn-data-cache.ts), trained on
// bins 0–1600 (hyperparameters on 1360–1600, refit on 0–1600), scored on
// bins 1600–2000 and 2000–20000 in bits per bin. Baselines and the MPS are in
// tn-born.bench.ts (same blocks, same seeds).
//
//   node --import tsx benchmarks/tn-tree.bench.ts [seeds=1,2,3] [nodeBits=3] [maxBond=2]
//
// Writes benchmarks/results/tn-tree.json (rows appended per seed × cap).
import { init, fitBorn } from "../sdk/targets/node.js";
import { tnData } from "./tn-data-cache.js";
import { report } from "./harness.js";
import { loadavg } from "node:os";

await init();
const seeds = (process.argv[2] ?? "1,2,3").split(",").map(Number);
const bitsList = (process.argv[3] ?? "3").split(",").map(Number);
const maxBond = Number(process.argv[4] ?? 2);
const rows: Record<string, number | string | null>[] = [];
const f2 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);
for (const seed of seeds) {
  const { all, order, flow } = tnData(seed);
  const n = all.n;
  const part = (a: number, b: number) => ({ T: b - a, n, data: all.data.subarray(a * n, b * n) });
  for (const bits of bitsList) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const fit = fitBorn(part(0, 1600), {
      order,
      model: "born-tree",
      flow,
      maxNodeBits: bits,
      test: part(1600, 2000),
      split: [0.85, 0.15, 0],
      maxBond,
      refit: true,
      seed,
      baselines: false,
    });
    const later = fit.logProb(part(2000, all.T));
    const c = process.cpuUsage(c0);
    const row = {
      seed,
      maxNodeBits: bits,
      maxBond,
      nodes: fit.machine.kind === "bornTree" ? fit.machine.shape.parent.length : 0,
      splitGroups: fit.machine.kind === "bornTree" ? fit.machine.shape.splitGroups : 0,
      params: fit.params,
      chosenBond: Math.max(...fit.bondDims),
      mixWeight: fit.mixWeight,
      "tree 1600-2000": f2(fit.nll.test),
      "pure tree 1600-2000": f2(fit.nllBorn.test),
      "tree 2000-": f2(-later.reduce((a, b) => a + b, 0) / later.length),
      "pure < 2^-200 (1600-2000)": fit.belowFloor.test,
      "any P = 0": later.some((v) => !Number.isFinite(v)) ? 1 : 0,
      "fit wall s": Math.round((performance.now() - t0) / 100) / 10,
      "fit cpu s": Math.round((c.user + c.system) / 1e5) / 10,
      load1: Math.round(loadavg()[0]! * 10) / 10,
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
report(process.argv[5] ?? "tn-tree", rows);
