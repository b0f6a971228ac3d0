// The Laplacian RG at scale (issue 15): S and C by exact low modes + deflated
// SLQ on sparse graphs of 10⁴, 10⁵ (and, with LRG_SCALE_LARGE=1, 10⁶) nodes,
// and one flow step on 10⁵ nodes.
//
//   lrg-scale:torus:n=N   2-D torus: time, kernel peak memory, accuracy against
//                         the closed-form spectrum (max |C − C_exact|·ln N over the
//                         default grid and where, coverage of the band, λ_2 and λ_max)
//   lrg-scale:ba:n=N      Barabási–Albert m = 3: time and memory (no exact spectrum)
//   lrg-scale:flow:…      one flow step (torus 316² with rule "modes"; the ρ′ rule
//                         on a torus is a fixed point by symmetry; BA 10⁵ with ρ′)
//   peer                  scipy for λ_2 in the same run, when Debian's scipy is
//                         installed: torus up to 10⁵ by eigsh shift-invert
//                         (σ = −10⁻³, k = 2); BA and the 10⁶ torus by
//                         scipy.sparse.linalg.lobpcg (4 columns, Jacobi
//                         preconditioner, the constant vector as constraint,
//                         tol 1e-9, maxiter 2000) — shift-invert's sparse LU of a
//                         BA graph of 10⁵ nodes did not finish in 15 min CPU;
//                         every peer under `timeout` LRG_SCALE_PEER_S (default 900) s
//
// The S, C rows run on a worker pool (laplacianRGAsync: λ_max beside the low
// modes, the SLQ probes in tasks of 4; LRG_SCALE_WORKERS, default 2; 0 = the
// synchronous laplacianRG), started and warmed before the clock; the results
// are the same bits for any number of workers. Every row records wall time, CPU
// time of the whole process (process.cpuUsage: all threads, the workers
// included), peak RSS of the process (resourceUsage().maxRSS, workers included;
// a high-water mark since the process started, so run the 10⁶ rows one per
// process), the 1-minute load average before and after, and the wall time of
// each phase from the progress messages (graph + λ_max start → low modes done
// → SLQ done). Run the 10⁶ rows niced. LRG_SCALE_CASES="torus:100,ba:10000,flow:torus"
// runs a subset; LRG_SCALE_NAME names the results file (rewritten after every row).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import {
  createPool,
  init,
  laplacianRG,
  laplacianRGAsync,
  spectralCurves,
  type Graph,
  type LRGOptions,
} from "../sdk/targets/node.js";
import { getKernel } from "../sdk/kernel/init.js";
import { spawnSync } from "node:child_process";
import { consume, pythonHas, report } from "./harness.js";
import { barabasiAlbert, flatEdges, torus } from "../tests/lrg/graphs.js";

await init();
const rows: Array<Record<string, string | number | null>> = [];
const large = process.env.LRG_SCALE_LARGE === "1";
const havePy = pythonHas("numpy", "scipy");
const workers = +(process.env.LRG_SCALE_WORKERS ?? 2);
const pool = workers > 0 ? await createPool({ workers }) : null;
// warm every worker (module load and kernel instantiation are not part of a row)
if (pool)
  await Promise.all(
    Array.from({ length: 2 * workers }, () =>
      laplacianRGAsync(ring(3000), { method: "slq", flow: false, steps: 20 }, pool),
    ),
  );

function ring(n: number): Graph {
  const e: number[] = [];
  for (let i = 0; i < n; i++) e.push(i, (i + 1) % n);
  return flatEdges(n, e);
}

function torusWithSpectrum(a: number): { g: Graph; lam: Float64Array } {
  const one = Array.from({ length: a }, (_, k) => 2 * (1 - Math.cos((2 * Math.PI * k) / a)));
  const lam = new Float64Array(a * a);
  for (let p = 0; p < a; p++) for (let q = 0; q < a; q++) lam[p * a + q] = one[p]! + one[q]!;
  lam.sort();
  return { g: torus(a, a), lam };
}

/** λ_2 by scipy (shift-invert eigsh or Jacobi-preconditioned lobpcg), CPU-timed in python, under a time cap. */
function scipyLambda2(
  g: Graph,
  method: "shift-invert" | "lobpcg",
): { lambda2: number; ms: number; method: string } | null {
  if (!havePy) return null;
  const file = `/tmp/dgrn-lrg-scale-${process.pid}.bin`;
  const buf = new Int32Array(2 * g.source.length);
  for (let e = 0; e < g.source.length; e++) {
    buf[2 * e] = g.source[e]!;
    buf[2 * e + 1] = g.target[e]!;
  }
  writeFileSync(file, new Uint8Array(buf.buffer));
  const solve =
    method === "shift-invert"
      ? `w = sl.eigsh(L.tocsc(), k=2, sigma=-1e-3, which="LM", return_eigenvectors=False); lam = float(sorted(w)[1])`
      : `X = np.random.default_rng(2).standard_normal((n, 4)); Y = np.ones((n, 1)) / np.sqrt(n)
w, _ = sl.lobpcg(L, X, M=sp.diags(1 / d), Y=Y, largest=False, tol=1e-9, maxiter=2000); lam = float(sorted(w)[0])`;
  const code = `
import numpy as np, scipy.sparse as sp, scipy.sparse.linalg as sl, time, json, warnings
warnings.simplefilter("ignore")
e = np.fromfile("${file}", dtype=np.int32).reshape(-1, 2); n = ${g.n}
A = sp.coo_matrix((np.ones(len(e)), (e[:,0], e[:,1])), shape=(n, n)).tocsr(); A = A + A.T
d = np.asarray(A.sum(1)).ravel(); L = (sp.diags(d) - A).tocsr()
t0 = time.process_time()
${solve}
ms = (time.process_time() - t0) * 1000
print(json.dumps({"lambda2": lam, "ms": ms}))`;
  const cap = +(process.env.LRG_SCALE_PEER_S ?? 900);
  const r = spawnSync("timeout", [String(cap), "/usr/bin/python3", "-c", code], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
  });
  if (r.status !== 0) return { lambda2: NaN, ms: cap * 1000, method: `${method} (stopped at ${cap} s or failed)` };
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { lambda2: number; ms: number };
  return { ...out, method };
}

async function run(
  name: string,
  g: Graph,
  lam: Float64Array | null,
  flow: false | "rho" | "modes" = false,
): Promise<void> {
  const k = getKernel();
  k.allocator.resetPeak();
  const load0 = loadavg()[0]!;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // CPU time at the end of the first level's analysis (the S, C part of a flow row)
  let curvesCpuMs: number | null = null;
  // wall time at the phase changes of the first level: low modes done (first SLQ message), SLQ done
  let modesMs: number | null = null,
    doneMs: number | null = null;
  const opts: LRGOptions = {
    method: "slq",
    flow: flow !== false,
    ...(flow ? { rule: flow } : {}),
    seed: 1,
    onProgress: (_f, m) => {
      if (modesMs === null && m.startsWith("SLQ")) modesMs = performance.now() - t0;
      if (curvesCpuMs === null && m.startsWith("done:")) {
        doneMs = performance.now() - t0;
        const u = process.cpuUsage(c0);
        curvesCpuMs = Math.round((u.user + u.system) / 1000);
      }
    },
  };
  const r = pool ? await laplacianRGAsync(g, opts, pool) : laplacianRG(g, opts);
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const peak = k.allocator.stats().peakBytes;
  const rss = process.memoryUsage().rss;
  const row: Record<string, string | number | null> = {
    name: `${name}:n=${g.n}`,
    edges: g.source.length,
    workers,
    ms: Math.round(ms),
    cpuMs: Math.round((cu.user + cu.system) / 1000),
    load1Before: +load0.toFixed(1),
    load1: +loadavg()[0]!.toFixed(1),
    lmaxAndModesMs: modesMs === null ? null : Math.round(modesMs),
    slqMs: modesMs === null || doneMs === null ? null : Math.round(doneMs - modesMs),
    kernelPeakMiB: +(peak / 2 ** 20).toFixed(1),
    rssMiB: Math.round(rss / 2 ** 20),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    lowModes: r.slq!.lowModes,
    probes: r.slq!.probes,
    steps: r.slq!.steps,
    matvecs: r.slq!.matvecs,
    lambda2: r.slq!.lambda2,
    peaks: r.peaks.map((p) => p.tau.toPrecision(4)).join(" "),
    finiteSizePeaks: r.finiteSizePeaks.map((p) => p.tau.toPrecision(4)).join(" "),
    lambdaMax: r.slq!.lambdaMax,
    widestBandCLnN: +r.slq!.widestBand.halfWidth.toFixed(4),
    widestBandTau: +r.slq!.widestBand.tau.toPrecision(4),
    warnings: r.slq!.warnings.length,
    maxErrCLnN: null,
    maxErrTau: null,
    coverage: null,
    lambda2RelErr: null,
    scipyMethod: null,
    scipyLambda2: null,
    scipyCpuMs: null,
  };
  if (flow) {
    row.curvesCpuMs = curvesCpuMs;
    row.flowSteps = r.flow.steps.map((s) => `${s.tau.toPrecision(4)}→${s.n}`).join(" ");
    row.firstStepSupernodes = r.flow.steps[0]?.n ?? null;
    row.stopReason = r.flow.stopReason.slice(0, 120);
  }
  if (lam) {
    const ex = spectralCurves(lam, r.tau);
    let w = 0,
      wt = 0,
      ok = 0;
    for (let i = 0; i < r.tau.length; i++) {
      const e = Math.abs(r.specificHeat[i]! - ex.specificHeat[i]!);
      if (e * Math.log(g.n) > w) {
        w = e * Math.log(g.n);
        wt = r.tau[i]!;
      }
      if (e <= r.specificHeatError![i]! && Math.abs(r.entropy[i]! - ex.entropy[i]!) <= r.entropyError![i]!) ok++;
    }
    row.maxErrCLnN = +w.toFixed(4);
    row.maxErrTau = +wt.toPrecision(4);
    row.coverage = +(ok / r.tau.length).toFixed(3);
    row.lambda2RelErr = Math.abs(r.slq!.lambda2 / lam[1]! - 1);
  }
  const peer = lam ? (g.n <= 200_000 ? "shift-invert" : "lobpcg") : "lobpcg";
  const py = flow || process.env.LRG_SCALE_PEER === "0" ? null : scipyLambda2(g, peer);
  if (py) {
    row.scipyMethod = py.method;
    row.scipyLambda2 = py.lambda2;
    row.scipyCpuMs = Math.round(py.ms);
    if (!lam) row.lambda2RelErr = Math.abs(r.slq!.lambda2 / py.lambda2 - 1);
  }
  rows.push(row);
  console.error(row);
  consume(r.entropy);
  report(process.env.LRG_SCALE_NAME ?? "lrg-scale", rows);
}

const only = process.env.LRG_SCALE_CASES?.split(",");
const want = (kind: string, size: number | string) => !only || only.includes(`${kind}:${size}`);
for (const a of large ? [100, 316, 1000] : [100, 316]) {
  if (!want("torus", a)) continue;
  const { g, lam } = torusWithSpectrum(a);
  await run("lrg-scale:torus", g, lam);
}
for (const n of large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000])
  if (want("ba", n)) await run("lrg-scale:ba", barabasiAlbert(n, 3, 1), null);
if (want("flow", "torus")) await run("lrg-scale:flow:torus-modes", torus(316, 316), null, "modes");
if (want("flow", "ba")) await run("lrg-scale:flow:ba-rho", barabasiAlbert(100_000, 3, 1), null, "rho");
await pool?.close();
