// Scaling of the whole run (issue 20): `runPipeline` on the simulated network
// of N = 1,000 … 10,000 neurons, 20 s, half observed (the defaults otherwise),
// each N in its own child process (its resident set is its own). Per stage:
// wall time, CPU time (user + system of the process over the stage), and the
// process's peak RSS when the stage ends (the running maximum); then the growth
// exponent b of each stage's wall time, ms ∝ N^b, by least squares on log–log.
//
//   nice -n 10 node --import tsx benchmarks/pipeline-scaling.bench.ts [--sizes 1000,2000] [--timeout-s 1800]
//     [--dist /path/to/a/copy/of/dist] [--name pipeline-scaling]
//
// `--dist` runs a frozen copy of the bundle (so a rebuild during a long run
// does not change the code under test); `--name` names the results file.
//
// The machine is shared: `load1` (1-minute load average) is recorded per N.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { report } from "./harness.js";

const arg = (k: string, d: string) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1]! : d);
const sizes = arg("--sizes", "1000,2000,5000,10000").split(",").map(Number);
const timeoutS = Number(arg("--timeout-s", "3600"));
const distDir = arg("--dist", "");
const entry = distDir
  ? new URL(`file://${distDir.replace(/\/$/, "")}/node/index.js`).href
  : new URL("../dist/node/index.js", import.meta.url).href;
const name = arg("--name", "pipeline-scaling");

const child = (N: number) => `
  const { init, runPipeline } = await import(${JSON.stringify(entry)});
  await init();
  const marks = [];
  const mark = (stage) => { const c = process.cpuUsage(); marks.push({ stage, t: performance.now(), cpu: (c.user + c.system) / 1000, rss: process.resourceUsage().maxRSS / 1024 }); };
  const t0 = performance.now();
  const out = runPipeline({ simulate: { n: ${N}, duration: 20 }, fraction: 0.5 }, { onProgress: (p) => { if (p.fraction === 0 && marks[marks.length - 1]?.stage !== p.stage) mark(p.stage); } });
  mark("end");
  const rows = [];
  for (let i = 0; i + 1 < marks.length; i++) rows.push({ stage: marks[i].stage, ms: marks[i + 1].t - marks[i].t, cpuMs: marks[i + 1].cpu - marks[i].cpu, peakRssMiB: marks[i + 1].rss });
  console.log(JSON.stringify({ totalMs: performance.now() - t0, rows, n: out.results.graph?.n ?? null }));
`;

const rows: Array<Record<string, string | number | null>> = [];
const perStage = new Map<string, Array<[number, number]>>();
const perStageCpu = new Map<string, Array<[number, number]>>();
for (const N of sizes) {
  const r = spawnSync(process.execPath, ["--max-old-space-size=6144", "--input-type=module", "-e", child(N)], {
    encoding: "utf8",
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 26,
  });
  const load1 = +loadavg()[0]!.toFixed(1);
  if (r.status !== 0) {
    rows.push({
      case: `pipeline:N=${N}`,
      stage: "(failed or timed out)",
      ms: null,
      cpuMs: null,
      peakRssMiB: null,
      load1,
    });
    console.error(`N=${N}: status ${r.status} signal ${r.signal} ${r.stderr.slice(-500)}`);
    continue;
  }
  const res = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
    totalMs: number;
    rows: Array<{ stage: string; ms: number; cpuMs: number; peakRssMiB: number }>;
  };
  for (const s of res.rows) {
    rows.push({
      case: `pipeline:N=${N}`,
      stage: s.stage,
      ms: Math.round(s.ms),
      cpuMs: Math.round(s.cpuMs),
      peakRssMiB: Math.round(s.peakRssMiB),
      load1,
    });
    if (!perStage.has(s.stage)) perStage.set(s.stage, []);
    perStage.get(s.stage)!.push([N, s.ms]);
    if (!perStageCpu.has(s.stage)) perStageCpu.set(s.stage, []);
    perStageCpu.get(s.stage)!.push([N, s.cpuMs]);
  }
  rows.push({
    case: `pipeline:N=${N}`,
    stage: "total",
    ms: Math.round(res.totalMs),
    cpuMs: Math.round(res.rows.reduce((a, s) => a + s.cpuMs, 0)),
    peakRssMiB: Math.round(Math.max(...res.rows.map((s) => s.peakRssMiB))),
    load1,
  });
  if (!perStage.has("total")) perStage.set("total", []);
  perStage.get("total")!.push([N, res.totalMs]);
  if (!perStageCpu.has("total")) perStageCpu.set("total", []);
  perStageCpu.get("total")!.push([N, res.rows.reduce((a, s) => a + s.cpuMs, 0)]);
  console.error(rows.slice(-res.rows.length - 1));
}
// growth exponents (least squares of log ms on log N), of wall and of CPU time
const slope = (pts: Array<[number, number]>) => {
  const x = pts.map((p) => Math.log(p[0])),
    y = pts.map((p) => Math.log(Math.max(p[1], 1e-3)));
  const mx = x.reduce((a, b) => a + b, 0) / x.length,
    my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return +(sxy / sxx).toFixed(2);
};
for (const [stage, pts] of perStage) {
  if (pts.length < 2) continue;
  rows.push({
    case: `pipeline:growth(${pts.map((p) => p[0]).join(",")})`,
    stage,
    ms: null,
    cpuMs: null,
    peakRssMiB: null,
    load1: null,
    exponent: slope(pts),
    cpuExponent: slope(perStageCpu.get(stage)!),
  });
}
report(name, rows);
