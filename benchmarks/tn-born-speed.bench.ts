// Born machine training speed against the same algorithm in numpy, in the
// same run, on the same bytes: the default run's microscale data (simulateLIF
// seed 1, 20 s, 10 ms bins, 500 observed neurons in the pipeline's community
// order), the train block (bins 0–1400), starting from the product of
// smoothed marginals, χ ≤ 2 then χ ≤ 4, one sweep each, 2 gradient steps per
// merged tensor with the same backtracking line search. numpy vectorises over
// samples (einsum, LAPACK gesdd for the splits, one BLAS thread). Also the
// whole TN stage of the default pipeline run (its timing record).
//
//   node --import tsx benchmarks/tn-born-speed.bench.ts [--no-pipeline]
//
// Writes benchmarks/results/tn-born-speed.json. Ratio = numpy ms / ours (> 1: we are faster).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, runPipeline, bornMachine, bornProduct, bornLogProb, npyBytes } from "../sdk/targets/node.js";
import { tnFront } from "./tn-data-cache.js";
import { consume, pythonHas, report, runPython } from "./harness.js";

await init();
const seed = 1;
// the default run's front: 20 s, the observed half, the graph and order of all 20 s
const { all: states, order } = tnFront(seed, 20);
const n = states.n;
const T = 1400;
const train = { T, n, data: states.data.subarray(0, T * n) };

const ours = () => {
  let m = bornProduct(train, order);
  m = bornMachine(train, { init: m, maxBond: 2, sweeps: 1, steps: 2 });
  m = bornMachine(train, { init: m, maxBond: 4, sweeps: 1, steps: 2 });
  return m;
};
ours(); // warm-up
const t0 = performance.now();
const bm = ours();
const oursMs = performance.now() - t0;
consume(bm.params);
const lp = bornLogProb(bm, train);
const oursNll = -lp.reduce((a, b) => a + b, 0) / T;

const PY = String.raw`
import sys, json, time, numpy as np
X = np.load(sys.argv[1]); order = np.array(json.load(open(sys.argv[2])))
X = X[:, order].astype(np.int64); T, n = X.shape
p = (X.sum(0) + 0.5) / (T + 1)
cores = [np.array([np.sqrt(1 - p[k]), np.sqrt(p[k])]).reshape(1, 2, 1) for k in range(n)]
def train(cores, cap, steps=2, cutoff=1e-8):
    R = [None] * (n + 1); L = [None] * (n + 1)
    R[n] = np.ones((T, 1)); L[0] = np.ones((T, 1))
    def norm(v):
        q = (v * v).sum(1); h = np.floor(np.log2(q) / 2); return v * np.exp2(-h)[:, None]
    for k in range(n - 1, 1, -1):
        A = cores[k]; R[k] = norm(np.einsum('atb,tb->ta', A[:, X[:, k], :], R[k + 1]))
    def optimise(k, M):
        l, r = L[k], R[k + 2]; xa, xb = X[:, k], X[:, k + 1]
        amp = lambda M: np.einsum('ta,atb,tb->t', l, M[:, xa, xb, :], r)
        psi = amp(M); nm = (M * M).sum(); f = -np.log(psi * psi).mean() + np.log(nm); eta = 1.0
        for _ in range(steps):
            G = np.zeros_like(M); w = l / psi[:, None] / T
            for a in (0, 1):
                for b in (0, 1):
                    s = (xa == a) & (xb == b)
                    if s.any(): G[:, a, b, :] = w[s].T @ r[s]
            G *= nm; g = amp(G); d = G - M; dd = (d * d).sum(); md = (M * d).sum()
            if not dd > 1e-30 * nm: break
            eta = min(2 * eta, 2); ok = False
            for _ in range(12):
                z = nm + 2 * eta * md + eta * eta * dd; v = (1 - eta) * psi + eta * g
                fn = -np.log(v * v).mean() + np.log(z)
                if fn < f - 1e-12 * abs(f): M = M + eta * d; f = fn; ok = True; break
                eta *= 0.5
            if not ok: break
            M = M / np.sqrt((M * M).sum()); nm = 1.0; psi = amp(M); f = -np.log(psi * psi).mean()
        return M
    def split(M, right):
        rl, rr = M.shape[0], M.shape[3]
        U, s, Vt = np.linalg.svd(M.reshape(rl * 2, 2 * rr), full_matrices=False)
        r = max(1, min(cap, int((s > cutoff * s[0]).sum()))); s = s[:r] / np.sqrt((s[:r] ** 2).sum())
        if right: return U[:, :r].reshape(rl, 2, r), (s[:, None] * Vt[:r]).reshape(r, 2, rr)
        return (U[:, :r] * s).reshape(rl, 2, r), Vt[:r].reshape(r, 2, rr)
    for k in range(n - 1):
        M = optimise(k, np.einsum('axm,myb->axyb', cores[k], cores[k + 1]))
        cores[k], cores[k + 1] = split(M, True)
        L[k + 1] = norm(np.einsum('ta,atb->tb', L[k], cores[k][:, X[:, k], :]))
    for k in range(n - 2, -1, -1):
        M = optimise(k, np.einsum('axm,myb->axyb', cores[k], cores[k + 1]))
        cores[k], cores[k + 1] = split(M, False)
        R[k + 1] = norm(np.einsum('atb,tb->ta', cores[k + 1][:, X[:, k + 1], :], R[k + 2]))
    return cores
t = time.perf_counter()
cores = train(cores, 2); cores = train(cores, 4)
ms = (time.perf_counter() - t) * 1000
v = np.ones((T, 1)); acc = np.zeros(T)
for k in range(n):
    v = np.einsum('ta,atb->tb', v, cores[k][:, X[:, k], :]); q = np.sqrt((v * v).sum(1)); acc += 2 * np.log2(q); v = v / q[:, None]
print(json.dumps({"ms": ms, "nll": float(-acc.mean()), "params": int(sum(c.size for c in cores))}))
`;

let py = null as { ms: number; nll: number; params: number } | null;
if (pythonHas("numpy")) {
  const dir = mkdtempSync(join(tmpdir(), "dgrn-born-"));
  try {
    writeFileSync(join(dir, "x.npy"), npyBytes("'|u1'", [T, n], train.data.slice()));
    writeFileSync(join(dir, "order.json"), JSON.stringify(Array.from(order)));
    py = runPython(
      PY.replace("sys.argv[1]", JSON.stringify(join(dir, "x.npy"))).replace(
        "sys.argv[2]",
        JSON.stringify(join(dir, "order.json")),
      ),
    ) as typeof py;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let stageMs: number | null = null;
if (!process.argv.includes("--no-pipeline")) {
  const out = runPipeline({ seed });
  stageMs = out.timings.find((t) => t.stage === "tn")?.ms ?? null;
  // the per-scale table of docs/tn.md
  writeFileSync(
    "benchmarks/results/tn-scales.json",
    JSON.stringify(
      {
        timings: out.timings,
        mps: out.results.tn.mps,
        sweep: out.results.tn.sweep,
        scales: out.results.tn.scales,
        warnings: out.results.warnings,
      },
      null,
      1,
    ) + "\n",
  );
}

report("tn-born-speed", [
  {
    case: `born-mps n=${n},T=${T}, chi 2 then 4, 1 sweep each`,
    oursMs: Math.round(oursMs),
    numpyMs: py ? Math.round(py.ms) : null,
    ratio: py ? Math.round((py.ms / oursMs) * 100) / 100 : null,
    oursNll: Math.round(oursNll * 1000) / 1000,
    numpyNll: py ? Math.round(py.nll * 1000) / 1000 : null,
    oursParams: bm.params,
    numpyParams: py ? py.params : null,
    pipelineTnStageMs: stageMs === null ? null : Math.round(stageMs),
  },
]);
