// Born machine MPS as a generative model that generalises (issue 12
// acceptance): the embedded LIF network (simulateLIF, 200 s), 10 ms bins,
// the pipeline's observed neurons (subsample fraction 0.5 with the seed) in
// the pipeline's community order (inferGraph → latentDiffusion → Leiden on
// the first 20 s, exactly as runPipeline does). Models are trained on bins
// 0–1600 (hyperparameters — bond cap, sweeps, product-mix weight, mixture K —
// chosen on the inner validation block 1360–1600, then refitted on 0–1600),
// and scored on bins 1600–2000 and 2000–20000, bits per bin.
//
//   node --import tsx benchmarks/tn-born.bench.ts [seeds=1,2,3] [sizes=1000,2000]
//
// Writes benchmarks/results/tn-born.{json,md}.
import { writeFileSync } from "node:fs";
import { init, fitBorn, type BinaryStates, type RGFlow } from "../sdk/targets/node.js";
import { machine, report } from "./harness.js";
import { tnData, tnFront } from "./tn-data-cache.js";

await init();
const seeds = (process.argv[2] ?? "1,2,3").split(",").map(Number);
const sizes = (process.argv[3] ?? "1000").split(",").map(Number);
const models = (process.env.TN_MODELS ?? "born-mps,born-tree").split(",") as ("born-mps" | "born-tree")[];
const DURATION = 200;

function dataFor(
  seed: number,
  N: number,
): { all: BinaryStates; order: Int32Array; flow: RGFlow; prefixSame: boolean | null } {
  if (N === 1000) return { ...tnData(seed, DURATION), prefixSame: null }; // cached (tn-data-cache.ts)
  return { ...tnFront(seed, DURATION, N), prefixSame: null };
}

const rows: Array<Record<string, string | number | null>> = [];
const f2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
for (const N of sizes) {
  for (const seed of seeds) {
    const t0 = performance.now();
    const { all, order, flow, prefixSame } = dataFor(seed, N);
    const n = all.n;
    const rowsOf = (a: number, b: number): BinaryStates => ({ T: b - a, n, data: all.data.subarray(a * n, b * n) });
    const later = rowsOf(2000, all.T);
    for (const model of models) {
      const t1 = performance.now();
      const fit = fitBorn(rowsOf(0, 1600), {
        order,
        model,
        ...(model === "born-tree" ? { flow } : {}),
        maxBond: model === "born-tree" ? 2 : 4, // the tree at χ ≤ 2, default node cap (3 bits): tn-tree.bench.ts
        test: rowsOf(1600, 2000),
        split: [0.85, 0.15, 0],
        refit: true,
        seed,
      });
      const t2 = performance.now();
      const lpLater = fit.logProb(later);
      const nll = (v: Float64Array) => -v.reduce((a, b) => a + b, 0) / v.length;
      const frac = (v: Float64Array) => v.filter((x) => !(x >= -200)).length / v.length;
      const b = fit.baselines!;
      // baselines on the later bins: refit the same way (fitBorn refits them on 0–1600)
      const laterFit = fitBorn(rowsOf(0, 1600), {
        order,
        test: later,
        split: [0.85, 0.15, 0],
        maxBond: 1,
        caps: [1],
        refit: true,
        seed,
        sweeps: 1,
      });
      const bl = laterFit.baselines!;
      const row = {
        N,
        seed,
        model,
        nodes: fit.machine.kind === "bornTree" ? fit.machine.shape.parent.length : n,
        n,
        bins: all.T,
        maxBondDim: Math.max(...fit.bondDims),
        bornParams: fit.machine.params,
        mixWeight: fit.mixWeight,
        mixtureK: b.mixture.components ?? null,
        "born 1600-2000": f2(fit.nll.test),
        "born pure 1600-2000": f2(fit.nllBorn.test),
        "born 2000-": f2(nll(lpLater)),

        "product 1600-2000": f2(b.product.test),
        "product 2000-": f2(bl.product.test),
        "chowLiu 1600-2000": f2(b.chowLiu.test),
        "chowLiu 2000-": f2(bl.chowLiu.test),
        "mixture 1600-2000": f2(b.mixture.test),
        "mixture 2000-": f2(bl.mixture.test),
        "pure Born < 2^-200 (1600-2000)": fit.belowFloor.test,
        "regularised < 2^-200 (2000-)": frac(lpLater),
        "any P = 0":
          lpLater.some((v) => !Number.isFinite(v)) || fit.testLogProb.some((v) => !Number.isFinite(v)) ? 1 : 0,
        "fit s": Math.round((t2 - t1) / 100) / 10,
        "data s": Math.round((t1 - t0) / 100) / 10,
        prefixSame: prefixSame === null ? null : prefixSame ? 1 : 0,
      };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  }
}
report(process.argv[4] ?? "tn-born", rows);
const cols = Object.keys(rows[0]!);
const md = [
  `| ${cols.join(" | ")} |`,
  `|${cols.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${cols.map((c) => String(r[c] ?? "–")).join(" | ")} |`),
].join("\n");
writeFileSync(
  `benchmarks/results/${process.argv[4] ?? "tn-born"}.md`,
  `${md}\n\nMachine: ${JSON.stringify(machine())}\n`,
);
