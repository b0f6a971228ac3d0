// The linalg acceptance cases (issue 20) timed in CPU time, for a shared
// machine where wall time mostly measures the load: ours = user + system CPU of
// this process for one call, numpy = `time.process_time()` of its process for
// one call (Debian's python3, OPENBLAS_NUM_THREADS=1); each the median over
// `--runs` calls after one warm-up, ours and numpy interleaved per case.
// Same inputs as benchmarks/linalg.bench.ts. Ratios: numpy CPU / our CPU.
// "values only" eigh is the tridiagonalisation plus an O(n²) QL, so it times
// the tridiagonalisation; the rest of "values + vectors" is divide and
// conquer plus the back-transformation. GEMM's fraction of the 128-bit peak
// is its GFLOP/s over the kernel's dflopsProbe (independent f64x2 mul and add
// chains, no FMA) measured in the same run.
//
//   OPENBLAS_NUM_THREADS=1 nice -n 10 node --import tsx benchmarks/linalg-cpu.bench.ts [--runs 3] [--name linalg-cpu]
import { loadavg } from "node:os";
import { init, gemm, eigh, svd } from "../sdk/targets/node.js";
import { getKernel } from "../sdk/kernel/init.js";
import type { LinalgExports } from "../sdk/linalg/kernel.js";
import { arg, consume, pythonHas, runPython, report } from "./harness.js";

await init();
const runs = Number(arg("--runs", "3"));
const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
function input(m: number, n: number, symmetric = false): Float64Array {
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const [p, q] = symmetric ? [Math.min(i, j), Math.max(i, j)] : [i, j];
      a[i * n + j] = ((131 * p + 71 * q + 17) % 1009) / 1009 - 0.5;
    }
  return a;
}
const PY = `
import numpy as np, json, time
def inp(m, n, sym=False):
    i = np.arange(m)[:, None]; j = np.arange(n)[None, :]
    p, q = (np.minimum(i, j), np.maximum(i, j)) if sym else (i + 0 * j, j + 0 * i)
    return ((131 * p + 71 * q + 17) % 1009) / 1009 - 0.5
def cpu(f, runs):
    f(); ts = []
    for _ in range(runs):
        s = time.process_time(); f(); ts.append(time.process_time() - s)
    ts.sort(); return ts[len(ts) // 2] * 1e3
`;
const cpuMs = (f: () => unknown): number => {
  consume(f());
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    consume(f());
    const c = process.cpuUsage(c0);
    ts.push((c.user + c.system) / 1000);
  }
  return median(ts);
};
const hasNumpy = pythonHas("numpy");
const numpy = (setup: string, stmt: string): number | null =>
  hasNumpy
    ? (runPython(`${PY}\n${setup}\nprint(json.dumps({"ms": cpu(lambda: ${stmt}, ${runs})}))\n`) as { ms: number }).ms
    : null;
const rows: Array<Record<string, string | number | null>> = [];
const add = (op: string, size: string, ours: number, np: number | null) => {
  rows.push({
    op,
    size,
    oursCpuMs: Math.round(ours),
    numpyCpuMs: np === null ? null : Math.round(np),
    vsNumpy: np === null ? null : +(np / ours).toFixed(2),
    load1: +loadavg()[0]!.toFixed(1),
  });
  console.error(rows[rows.length - 1]);
};
// the 128-bit mul+add peak of this core, measured (GFLOP/s)
const probe = getKernel().fn<Partial<LinalgExports>>().dflopsProbe; // absent from kernels before issue 20b
const PROBE_ITERS = 1e8;
const peak = probe ? (24 * PROBE_ITERS) / cpuMs(() => probe(PROBE_ITERS, 1 - 1e-12)) / 1e6 : null;
if (peak) console.error(`128-bit mul+add peak (dflopsProbe): ${peak.toFixed(2)} GFLOP/s`);
{
  const n = 1024;
  const a = { rows: n, cols: n, data: input(n, n) };
  const bt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bt[j * n + i] = a.data[i * n + j]!;
  const ours = cpuMs(() => gemm(a, { rows: n, cols: n, data: bt }));
  add("gemm", `n=${n}`, ours, numpy(`a = inp(${n}, ${n}); b = a.T.copy()`, "a @ b"));
  const gf = (2 * n * n * n) / ours / 1e6;
  rows[rows.length - 1]!["gflops"] = +gf.toFixed(2);
  rows[rows.length - 1]!["peakGflops"] = peak ? +peak.toFixed(2) : null;
  rows[rows.length - 1]!["peakFraction"] = peak ? +(gf / peak).toFixed(2) : null;
}
for (const n of [1000, 2000]) {
  const a = { rows: n, cols: n, data: input(n, n, true) };
  add(
    "eigh (values + vectors)",
    `n=${n}`,
    cpuMs(() => eigh(a)),
    numpy(`a = inp(${n}, ${n}, True)`, "np.linalg.eigh(a)"),
  );
  add(
    "eigh values only (≈ tridiagonalisation)",
    `n=${n}`,
    cpuMs(() => eigh(a, { vectors: false })),
    numpy(`a = inp(${n}, ${n}, True)`, "np.linalg.eigvalsh(a)"),
  );
}
for (const n of [1000, 2000]) {
  const a = { rows: n, cols: n, data: input(n, n) };
  add(
    "svd thin (U, s, V)",
    `${n}x${n}`,
    cpuMs(() => svd(a)),
    numpy(`a = inp(${n}, ${n})`, "np.linalg.svd(a, full_matrices=False)"),
  );
  add(
    "svd values only",
    `${n}x${n}`,
    cpuMs(() => svd(a, { vectors: false })),
    numpy(`a = inp(${n}, ${n})`, "np.linalg.svd(a, compute_uv=False)"),
  );
}
{
  // rank 497 of 500: the last three columns repeat the first three
  const m = 500;
  const data = input(m, m);
  for (let i = 0; i < m; i++) for (let j = 497; j < m; j++) data[i * m + j] = data[i * m + (j - 497)]!;
  add(
    "svd thin (U, s, V) rank 497",
    "500x500",
    cpuMs(() => svd({ rows: m, cols: m, data })),
    numpy("a = inp(500, 500); a[:, 497:] = a[:, :3]", "np.linalg.svd(a, full_matrices=False)"),
  );
}
report(arg("--name", "linalg-cpu"), rows);
