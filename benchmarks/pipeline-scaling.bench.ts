// Scaling of the whole run (issue 20): `runPipelineAsync` on the simulated
// network of N = 1,000 … 10,000 neurons, 20 s, half observed (the defaults
// otherwise), with a worker pool of `--workers` threads (default 2; 0 = no
// pool) and the report rendered, as `dgrn run` does; each N in its own child
// process (its resident set is its own). Per stage: wall time, CPU time (user
// + system of the whole process, workers included, over the stage), and the
// process's peak RSS when the stage ends (the running maximum); then the
// growth exponent b of each stage's wall and CPU time, ms ∝ N^b, by least
// squares on log–log. The stages run one after another here (`overlap:
// false`), so that each stage's times are its own; `dgrn run` also starts the
// dynamics stage beside tn (that saving is in docs/parallel.md). Per N also the
// CPU time of each thread of the process (main, workers) from
// /proc/self/task/*/schedstat.
//
//   nice -n 10 node --import tsx benchmarks/pipeline-scaling.bench.ts [--sizes 1000,2000] [--workers 2]
//     [--timeout-s 3600] [--dist /path/to/a/copy/of/dist] [--name pipeline-scaling]
//
// `--dist` runs a frozen copy of the bundle (so a rebuild during a long run
// does not change the code under test); `--name` names the results files
// (benchmarks/results/<name>.json and .md).
//
// The machine is shared: `load1` (1-minute load average) is recorded at the
// start and the end of every N.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { arg, machine, report } from "./harness.js";

const sizes = arg("--sizes", "1000,2000,5000,10000").split(",").map(Number);
const workers = Number(arg("--workers", "2"));
const timeoutS = Number(arg("--timeout-s", "3600"));
const distDir = arg("--dist", "");
const entry = distDir
  ? new URL(`file://${distDir.replace(/\/$/, "")}/node/index.js`).href
  : new URL("../dist/node/index.js", import.meta.url).href;
const name = arg("--name", "pipeline-scaling");

// The child is a script file, not `node -e`: worker threads started from an eval'd entry do not start (exit 13).
const dir = mkdtempSync(join(tmpdir(), "dgrn-bench-scaling-"));
const script = join(dir, "child.mjs");
writeFileSync(
  script,
  `
import { readdirSync, readFileSync } from "node:fs";
const { init, runPipelineAsync, createPool } = await import(${JSON.stringify(entry)});
await init();
const N = Number(process.argv[2]);
const workers = Number(process.argv[3]);
const pool = workers > 0 ? await createPool({ workers }) : undefined;
const marks = [];
const mark = (stage) => {
  const c = process.cpuUsage();
  marks.push({ stage, t: performance.now(), cpu: (c.user + c.system) / 1000, rss: process.resourceUsage().maxRSS / 1024 });
};
const t0 = performance.now();
const out = await runPipelineAsync(
  { simulate: { n: N, duration: 20 }, fraction: 0.5 },
  {
    ...(pool ? { pool } : {}),
    overlap: false,
    onProgress: (p) => {
      if (p.fraction === 0 && marks[marks.length - 1]?.stage !== p.stage) mark(p.stage);
    },
  },
);
mark("end");
const threads = readdirSync("/proc/self/task").map((tid) => ({
  tid: Number(tid),
  name: readFileSync("/proc/self/task/" + tid + "/comm", "utf8").trim(),
  cpuMs: Number(readFileSync("/proc/self/task/" + tid + "/schedstat", "utf8").split(" ")[0]) / 1e6,
}));
await pool?.close();
const rows = [];
for (let i = 0; i + 1 < marks.length; i++)
  rows.push({ stage: marks[i].stage, ms: marks[i + 1].t - marks[i].t, cpuMs: marks[i + 1].cpu - marks[i].cpu, peakRssMiB: marks[i + 1].rss });
const main = threads.find((t) => t.tid === process.pid);
const busy = threads.filter((t) => t.tid !== process.pid && t.cpuMs > 200).map((t) => Math.round(t.cpuMs));
console.log(JSON.stringify({ totalMs: performance.now() - t0, rows, n: out.results.graph?.n ?? null, mainCpuMs: Math.round(main?.cpuMs ?? 0), otherThreadsCpuMs: busy }));
`,
);

const rows: Array<Record<string, string | number | null>> = [];
const perStage = new Map<string, Array<[number, number]>>();
const perStageCpu = new Map<string, Array<[number, number]>>();
const threadRows: Array<Record<string, string | number | null>> = [];
const push = (m: Map<string, Array<[number, number]>>, k: string, v: [number, number]) => {
  if (!m.has(k)) m.set(k, []);
  m.get(k)!.push(v);
};
for (const N of sizes) {
  const loadStart = +loadavg()[0]!.toFixed(1);
  const r = spawnSync(process.execPath, ["--max-old-space-size=6144", script, String(N), String(workers)], {
    encoding: "utf8",
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 26,
  });
  const load1 = `${loadStart}–${+loadavg()[0]!.toFixed(1)}`;
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
    mainCpuMs: number;
    otherThreadsCpuMs: number[];
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
    push(perStage, s.stage, [N, s.ms]);
    push(perStageCpu, s.stage, [N, s.cpuMs]);
  }
  const cpuTotal = res.rows.reduce((a, s) => a + s.cpuMs, 0);
  rows.push({
    case: `pipeline:N=${N}`,
    stage: "total",
    ms: Math.round(res.totalMs),
    cpuMs: Math.round(cpuTotal),
    peakRssMiB: Math.round(Math.max(...res.rows.map((s) => s.peakRssMiB))),
    load1,
  });
  push(perStage, "total", [N, res.totalMs]);
  push(perStageCpu, "total", [N, cpuTotal]);
  threadRows.push({
    N,
    mainThreadCpuMs: res.mainCpuMs,
    otherThreadsCpuMs: res.otherThreadsCpuMs.join(" + "),
  });
  console.error(rows.slice(-res.rows.length - 1), threadRows[threadRows.length - 1]);
  write();
}
rmSync(dir, { recursive: true, force: true });
write();

/** Write benchmarks/results/<name>.json and .md from the sizes done so far (after every N: a long run keeps its partial table). */
function write(): void {
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
  const out = [...rows];
  const growth: Array<{ stage: string; exponent: number; cpuExponent: number; sizes: string }> = [];
  for (const [stage, pts] of perStage) {
    if (pts.length < 2) continue;
    const g = {
      stage,
      exponent: slope(pts),
      cpuExponent: slope(perStageCpu.get(stage)!),
      sizes: pts.map((p) => p[0]).join(","),
    };
    growth.push(g);
    out.push({
      case: `pipeline:growth(${g.sizes})`,
      stage,
      ms: null,
      cpuMs: null,
      peakRssMiB: null,
      load1: null,
      exponent: g.exponent,
      cpuExponent: g.cpuExponent,
    });
  }
  for (const t of threadRows)
    out.push({ case: `pipeline:N=${t.N}:threads`, stage: null, ms: null, cpuMs: null, peakRssMiB: null, ...t });
  report(name, out);

  // the same as a markdown table: one column per N
  const m = machine();
  const stages = [...perStage.keys()];
  const cell = (N: number, stage: string) => {
    const r = rows.find((x) => x.case === `pipeline:N=${N}` && x.stage === stage);
    return r
      ? `${((r.ms as number) / 1000).toFixed(1)} / ${((r.cpuMs as number) / 1000).toFixed(1)} / ${r.peakRssMiB}`
      : "—";
  };
  const loads = sizes.map((N) => rows.find((x) => x.case === `pipeline:N=${N}`)?.load1 ?? "—");
  const md = [
    `# ${name}`,
    "",
    `\`runPipelineAsync\` on the simulated network, 20 s, half observed, ${workers} worker(s), report included, stages one after another; ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}. Cells: wall s / CPU s (all threads) / peak RSS MiB at the stage's end.`,
    "",
    `| stage | ${sizes.map((N) => `N = ${N.toLocaleString("en-US")}`).join(" | ")} | growth (wall) | growth (CPU) |`,
    `|---|${sizes.map(() => "---").join("|")}|---|---|`,
    ...stages.map((st) => {
      const g = growth.find((x) => x.stage === st);
      return `| ${st} | ${sizes.map((N) => cell(N, st)).join(" | ")} | ${g ? `N^${g.exponent}` : "—"} | ${g ? `N^${g.cpuExponent}` : "—"} |`;
    }),
    `| load1 (start–end) | ${loads.join(" | ")} | | |`,
    "",
    "CPU per thread (main; the busy others):",
    "",
    ...threadRows.map((t) => `- N = ${t.N}: main ${t.mainThreadCpuMs} ms; others ${t.otherThreadsCpuMs} ms`),
    "",
  ];
  writeFileSync(`benchmarks/results/${name}.md`, md.join("\n"));
}
