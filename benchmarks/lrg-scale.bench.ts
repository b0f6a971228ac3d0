// The Laplacian RG at scale (issue 15): S and C by exact low modes + deflated
// SLQ on sparse graphs of 10⁴, 10⁵ (and, with LRG_SCALE_LARGE=1, 10⁶) nodes.
//
//   lrg-scale:torus:n=N   2-D torus: time, kernel peak memory, accuracy against
//                         the closed-form spectrum (max |C − C_exact|·ln N over the
//                         default grid, coverage of the band, λ_2 and Fiedler time)
//   lrg-scale:ba:n=N      Barabási–Albert m = 3: time and memory (no exact spectrum)
//   peer                  scipy.sparse.linalg.eigsh for λ_2 in the same run
//                         (shift-invert at σ = −10⁻³ after the exact null space,
//                         k = 2), when Debian's scipy is installed (up to 10⁵
//                         nodes; at 10⁶ with LRG_SCALE_SCIPY_LARGE=1: its sparse
//                         LU of a 10⁶-node 2-D torus is the cost, not λ_2)
//
// Every row records wall and CPU time (process.cpuUsage) and the 1-minute load
// average; run the 10⁶ rows niced. LRG_SCALE_CASES="torus:100,ba:10000" runs a
// subset; the results file is rewritten after every row.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { init, laplacianRG, randomUniform, spectralCurves, type Graph } from "../sdk/targets/node.js";
import { getKernel } from "../sdk/kernel/init.js";
import { consume, pythonHas, report, runPython } from "./harness.js";

await init();
const rows: Array<Record<string, string | number | null>> = [];
const large = process.env.LRG_SCALE_LARGE === "1";
const havePy = pythonHas("numpy", "scipy");

function fromEdges(n: number, e: number[]): Graph {
  const m = e.length / 2;
  const s = new Int32Array(m),
    t = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    s[k] = e[2 * k]!;
    t[k] = e[2 * k + 1]!;
  }
  return { n, directed: false, source: s, target: t, weight: new Float64Array(m).fill(1) };
}

function torus(a: number): { g: Graph; lam: Float64Array } {
  const e: number[] = [];
  for (let x = 0; x < a; x++)
    for (let y = 0; y < a; y++) e.push(x * a + y, ((x + 1) % a) * a + y, x * a + y, x * a + ((y + 1) % a));
  const one = Array.from({ length: a }, (_, k) => 2 * (1 - Math.cos((2 * Math.PI * k) / a)));
  const lam = new Float64Array(a * a);
  for (let p = 0; p < a; p++) for (let q = 0; q < a; q++) lam[p * a + q] = one[p]! + one[q]!;
  lam.sort();
  return { g: fromEdges(a * a, e), lam };
}

function barabasiAlbert(n: number, m: number, seed: number): Graph {
  const u = randomUniform(n * m * 4, { seed });
  let ui = 0;
  const e: number[] = [];
  const ends: number[] = [];
  for (let a = 0; a <= m; a++) for (let b = a + 1; b <= m; b++) (e.push(a, b), ends.push(a, b));
  for (let v = m + 1; v < n; v++) {
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(u[ui++ % u.length]! * ends.length)]!);
    for (const w of chosen) (e.push(v, w), ends.push(v, w));
  }
  return fromEdges(n, e);
}

/** λ_2 by scipy's eigsh (shift-invert), timed in python. */
function scipyLambda2(g: Graph): { lambda2: number; ms: number } | null {
  if (!havePy) return null;
  const file = `/tmp/dgrn-lrg-scale-${process.pid}.bin`;
  const buf = new Int32Array(2 * g.source.length);
  for (let e = 0; e < g.source.length; e++) {
    buf[2 * e] = g.source[e]!;
    buf[2 * e + 1] = g.target[e]!;
  }
  writeFileSync(file, new Uint8Array(buf.buffer));
  const code = `
import numpy as np, scipy.sparse as sp, scipy.sparse.linalg as sl, time, json
e = np.fromfile("${file}", dtype=np.int32).reshape(-1, 2); n = ${g.n}
A = sp.coo_matrix((np.ones(len(e)), (e[:,0], e[:,1])), shape=(n, n)).tocsr(); A = A + A.T
L = (sp.diags(np.asarray(A.sum(1)).ravel()) - A).tocsc()
t0 = time.perf_counter()
w = sl.eigsh(L, k=2, sigma=-1e-3, which="LM", return_eigenvectors=False)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"lambda2": float(sorted(w)[1]), "ms": ms}))`;
  return runPython(code) as { lambda2: number; ms: number };
}

function run(name: string, g: Graph, lam: Float64Array | null): void {
  const k = getKernel();
  k.allocator.resetPeak();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = laplacianRG(g, { method: "slq", flow: false, seed: 1 });
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const peak = k.allocator.stats().peakBytes;
  const rss = process.memoryUsage().rss;
  const row: Record<string, string | number | null> = {
    name: `${name}:n=${g.n}`,
    edges: g.source.length,
    ms: Math.round(ms),
    cpuMs: Math.round((cu.user + cu.system) / 1000),
    load1: +loadavg()[0]!.toFixed(1),
    kernelPeakMiB: +(peak / 2 ** 20).toFixed(1),
    rssMiB: Math.round(rss / 2 ** 20),
    lowModes: r.slq!.lowModes,
    probes: r.slq!.probes,
    steps: r.slq!.steps,
    matvecs: r.slq!.matvecs,
    lambda2: r.slq!.lambda2,
    peaks: r.peaks.map((p) => p.tau.toPrecision(4)).join(" "),
    finiteSizePeaks: r.finiteSizePeaks.map((p) => p.tau.toPrecision(4)).join(" "),
    maxErrCLnN: null,
    coverage: null,
    lambda2RelErr: null,
    scipyLambda2: null,
    scipyMs: null,
  };
  if (lam) {
    const ex = spectralCurves(lam, r.tau);
    let w = 0,
      ok = 0;
    for (let i = 0; i < r.tau.length; i++) {
      const e = Math.abs(r.specificHeat[i]! - ex.specificHeat[i]!);
      w = Math.max(w, e * Math.log(g.n));
      if (e <= r.specificHeatError![i]! && Math.abs(r.entropy[i]! - ex.entropy[i]!) <= r.entropyError![i]!) ok++;
    }
    row.maxErrCLnN = +w.toFixed(4);
    row.coverage = +(ok / r.tau.length).toFixed(3);
    row.lambda2RelErr = Math.abs(r.slq!.lambda2 / lam[1]! - 1);
  }
  const py = g.n <= 200_000 || process.env.LRG_SCALE_SCIPY_LARGE === "1" ? scipyLambda2(g) : null;
  if (py) {
    row.scipyLambda2 = py.lambda2;
    row.scipyMs = Math.round(py.ms);
  }
  rows.push(row);
  console.error(row);
  consume(r.entropy);
  report(process.env.LRG_SCALE_NAME ?? "lrg-scale", rows);
}

const only = process.env.LRG_SCALE_CASES?.split(",");
const want = (kind: string, size: number) => !only || only.includes(`${kind}:${size}`);
for (const a of large ? [100, 316, 1000] : [100, 316]) {
  if (!want("torus", a)) continue;
  const { g, lam } = torus(a);
  run("lrg-scale:torus", g, lam);
}
for (const n of large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000])
  if (want("ba", n)) run("lrg-scale:ba", barabasiAlbert(n, 3, 1), null);
