// How the TN stage (tnAcrossScales: Born MPS with model selection, the three
// baselines, H(P̃), bootstrap) scales with the number of sites n at fixed T:
// the default run's 500 × 2000 states (simulateLIF seed 1, 10 ms bins, the
// pipeline's observed neurons) tiled to n = 500·c columns, copy c shifted in
// time by 137·c bins (so copies are not duplicates), one coarse level of c·10
// block variables. Reports wall and CPU seconds and seconds per (n·T)·10⁶.
//
//   node --import tsx benchmarks/tn-scaling.bench.ts [copies=1,2,5,10]
//
// Writes benchmarks/results/tn-scaling.json.
import { init, tnAcrossScales, type BinaryStates } from "../sdk/targets/node.js";
import { tnData } from "./tn-data-cache.js";
import { report } from "./harness.js";
import { loadavg } from "node:os";

await init();
const copies = (process.argv[2] ?? "1,2,5,10").split(",").map(Number);
const { all, order } = tnData(1);
const n0 = all.n;
const T = 2000;
const rows: Record<string, number>[] = [];
for (const c of copies) {
  const n = n0 * c;
  const data = new Uint8Array(T * n);
  for (let t = 0; t < T; t++)
    for (let k = 0; k < c; k++) {
      const src = ((t + 137 * k) % T) * n0;
      for (let i = 0; i < n0; i++) data[t * n + k * n0 + i] = all.data[src + order[i]!]!;
    }
  const X: BinaryStates = { T, n, data };
  // a coarse level: blocks of 50 consecutive sites, "any" rule
  const m = Math.ceil(n / 50);
  const Y = new Uint8Array(T * m);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) if (data[t * n + i]) Y[t * m + Math.floor(i / 50)] = 1;
  const ident = Int32Array.from({ length: n }, (_, i) => i);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = tnAcrossScales([X, { T, n: m, data: Y }], ident, { maxBond: 4, caps: [2, 4], seed: 1 });
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const cs = (cpu.user + cpu.system) / 1e6;
  const row = {
    n,
    T,
    wall: Math.round(wall * 100) / 100,
    cpu: Math.round(cs * 100) / 100,
    "cpu per n·T·1e6": Math.round((cs / ((n * T) / 1e6)) * 1000) / 1000,
    bornTest: Math.round(r.fit.nll.test! * 100) / 100,
    mixtureTest: Math.round(r.fit.baselines!.mixture.test! * 100) / 100,
    load1: Math.round(loadavg()[0]! * 10) / 10,
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
report("tn-scaling", rows);
