// The linalg acceptance cases (issue 20) timed in CPU time, for a shared
// machine where wall time mostly measures the load: ours = user + system CPU of
// this process for one call, numpy = `time.process_time()` of its process for
// one call (Debian's python3, OPENBLAS_NUM_THREADS=1); each the minimum over
// `--runs` calls after one warm-up, ours and numpy interleaved per case.
// Same inputs as benchmarks/linalg.bench.ts. Ratios: numpy CPU / our CPU.
//
//   OPENBLAS_NUM_THREADS=1 nice -n 10 node --import tsx benchmarks/linalg-cpu.bench.ts [--runs 2]
import { loadavg } from "node:os";
import { init, gemm, eigh, svd } from "../sdk/targets/node.js";
import { consume, pythonHas, runPython, report } from "./harness.js";

await init();
const arg = (k: string, d: string) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1]! : d);
const runs = Number(arg("--runs", "2"));
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
    return min(ts) * 1e3
`;
const cpuMs = (f: () => unknown): number => {
  consume(f());
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    consume(f());
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
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
{
  const n = 1024;
  const a = { rows: n, cols: n, data: input(n, n) };
  const bt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bt[j * n + i] = a.data[i * n + j]!;
  const ours = cpuMs(() => gemm(a, { rows: n, cols: n, data: bt }));
  add("gemm", `n=${n}`, ours, numpy(`a = inp(${n}, ${n}); b = a.T.copy()`, "a @ b"));
  rows[rows.length - 1]!["gflops"] = +((2 * n * n * n) / ours / 1e6).toFixed(2);
}
for (const n of [1000, 2000]) {
  const a = { rows: n, cols: n, data: input(n, n, true) };
  add(
    "eigh (values + vectors)",
    `n=${n}`,
    cpuMs(() => eigh(a)),
    numpy(`a = inp(${n}, ${n}, True)`, "np.linalg.eigh(a)"),
  );
}
{
  const a = { rows: 1000, cols: 1000, data: input(1000, 1000) };
  add(
    "svd thin (U, s, V)",
    "1000x1000",
    cpuMs(() => svd(a)),
    numpy("a = inp(1000, 1000)", "np.linalg.svd(a, full_matrices=False)"),
  );
  add(
    "svd values only",
    "1000x1000",
    cpuMs(() => svd(a, { vectors: false })),
    numpy("a = inp(1000, 1000)", "np.linalg.svd(a, compute_uv=False)"),
  );
}
report(arg("--name", "linalg-cpu"), rows);
