// The whole default run (what `npm start` does), with `--workers 0` (one
// thread) and `--workers 2` (issue 20; 2 = the cores here, the default):
// wall time, CPU time (user + system, all threads), peak RSS, each `dgrn run`
// in a child process of its own (a script file: worker threads do not start
// from `node -e`), runs alternating 0, 2, 0, 2, …, medians of `--runs` (3).
// Targets: under 8 s (issue 20; the earlier issue 9: 60 s) and 2 GB.
//
// Then the CPU critical path with 2 workers, which a loaded machine does not
// stretch: the run is cut into phases at the stage starts (data, bin, graph,
// lrg, tn — with dynamics beside it —, the rest of dynamics, report), every
// thread's CPU time per phase is read from /proc/self/task/*/schedstat, and a
// phase on an idle 2-core machine takes at least max(its busiest thread, its
// total CPU / 2). Σ over phases = the wall time the run would take alone on
// this machine (a lower bound: waits for messages are not counted). The same
// for 0 workers is the run's CPU time itself.
//
//   nice -n 10 node --import tsx benchmarks/pipeline.bench.ts [--runs 3] [--workers 2]
//
// The machine is shared: the 1-minute load average is printed before every run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { arg, report } from "./harness.js";

const runs = Number(arg("--runs", "3"));
const W = Number(arg("--workers", "2"));
const dir = mkdtempSync(join(tmpdir(), "dgrn-bench-run-"));
const cli = new URL("../dist/node/cli.js", import.meta.url).href;
const index = new URL("../dist/node/index.js", import.meta.url).href;

const runScript = join(dir, "run.mjs");
writeFileSync(
  runScript,
  `
const t0 = performance.now();
const { main } = await import(${JSON.stringify(cli)});
const code = await main(["run", "--out", process.argv[2], "--quiet", "--workers", process.argv[3]]);
const ru = process.resourceUsage();
console.log(JSON.stringify({ code, ms: performance.now() - t0, maxRssKiB: ru.maxRSS, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000 }));
`,
);

const pathScript = join(dir, "path.mjs");
writeFileSync(
  pathScript,
  `
import { readdirSync, readFileSync } from "node:fs";
const { init, runPipelineAsync, createPool } = await import(${JSON.stringify(index)});
await init();
const workers = Number(process.argv[2]);
const pool = workers > 0 ? await createPool({ workers }) : undefined;
const threads = () => {
  const m = new Map();
  for (const tid of readdirSync("/proc/self/task")) {
    try { m.set(tid, Number(readFileSync("/proc/self/task/" + tid + "/schedstat", "utf8").split(" ")[0]) / 1e6); } catch {}
  }
  return m;
};
const marks = [];
const mark = (stage) => marks.push({ stage, cpu: threads() });
let last = "";
mark("start");
await runPipelineAsync({}, { ...(pool ? { pool } : {}), onProgress: (p) => { if (p.stage !== last) { last = p.stage; mark(p.stage); } } });
mark("end");
await pool?.close();
const phases = [];
for (let i = 0; i + 1 < marks.length; i++) {
  const a = marks[i].cpu, b = marks[i + 1].cpu;
  const per = [...b].map(([tid, ms]) => ms - (a.get(tid) ?? 0)).filter((d) => d > 0);
  const total = per.reduce((s, d) => s + d, 0);
  const busiest = Math.max(0, ...per);
  phases.push({ phase: marks[i].stage, totalCpuMs: total, busiestThreadMs: busiest, boundMs: Math.max(busiest, total / 2) });
}
console.log(JSON.stringify({ phases }));
`,
);

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const got: Record<number, { ms: number[]; cpu: number[]; rss: number[]; load: number[] }> = {
  0: { ms: [], cpu: [], rss: [], load: [] },
  [W]: { ms: [], cpu: [], rss: [], load: [] },
};
for (let r = 0; r < runs; r++) {
  for (const w of [0, W]) {
    const load = +loadavg()[0]!.toFixed(2);
    const out = join(dir, `out-${w}-${r}`);
    const p = spawnSync(process.execPath, [runScript, out, String(w)], { encoding: "utf8", timeout: 600_000 });
    if (p.status !== 0) throw new Error(`dgrn run --workers ${w}: ${p.stderr}`);
    const res = JSON.parse(p.stdout.trim().split("\n").pop()!);
    console.error(
      `load1 ${load}: --workers ${w}: ${(res.ms / 1000).toFixed(2)} s wall, ${(res.cpuMs / 1000).toFixed(2)} s CPU`,
    );
    got[w]!.ms.push(res.ms);
    got[w]!.cpu.push(res.cpuMs);
    got[w]!.rss.push(res.maxRssKiB / 1024);
    got[w]!.load.push(load);
  }
}
// the same bits either way (tests/pipeline/workers.test.ts checks it too)
const same = (f: string) =>
  readFileSync(join(dir, `out-0-0`, f), "utf8") === readFileSync(join(dir, `out-${W}-0`, f), "utf8");
const rows: Array<Record<string, string | number | null>> = [];
for (const w of [0, W])
  rows.push({
    case: `pipeline:default-run --workers ${w} (incl. report)`,
    ms: Math.round(median(got[w]!.ms)),
    cpuMs: Math.round(median(got[w]!.cpu)),
    peakRssMiB: Math.round(median(got[w]!.rss)),
    runs: got[w]!.ms.map((x) => Math.round(x)).join(" "),
    load1: got[w]!.load.join(" "),
    target: "< 8000 ms, < 2048 MiB",
  });
rows.push({
  case: "pipeline:results.json, report.html identical",
  ms: null,
  cpuMs: null,
  peakRssMiB: null,
  runs: `${same("results.json")}, ${same("report.html")}`,
  load1: null,
  target: "true, true",
});
for (const w of [0, W]) {
  const p = spawnSync(process.execPath, [pathScript, String(w)], { encoding: "utf8", timeout: 600_000 });
  if (p.status !== 0) throw new Error(`critical path, ${w} workers: ${p.stderr}`);
  const { phases } = JSON.parse(p.stdout.trim().split("\n").pop()!) as {
    phases: Array<{ phase: string; totalCpuMs: number; busiestThreadMs: number; boundMs: number }>;
  };
  for (const ph of phases)
    rows.push({
      case: `pipeline:critical-path --workers ${w}:phase=${ph.phase}`,
      ms: Math.round(ph.boundMs),
      cpuMs: Math.round(ph.totalCpuMs),
      peakRssMiB: null,
      runs: `busiest thread ${Math.round(ph.busiestThreadMs)} ms`,
      load1: null,
      target: null,
    });
  rows.push({
    case: `pipeline:critical-path --workers ${w}`,
    ms: Math.round(phases.reduce((s, ph) => s + ph.boundMs, 0)),
    cpuMs: Math.round(phases.reduce((s, ph) => s + ph.totalCpuMs, 0)),
    peakRssMiB: null,
    runs: "Σ phases max(busiest thread, total CPU / 2)",
    load1: null,
    target: "< 8000 ms",
  });
}
rmSync(dir, { recursive: true, force: true });
report("pipeline", rows);
