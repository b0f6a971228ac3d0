// TT-SVD on the sample representation: time and memory vs n (sites) and T
// (samples), against the same algorithm in numpy (LAPACK gesdd, one thread) on
// the same data in the same run. Data: sparse binary states with block
// structure (blocks of 10 units share a latent switch: on with probability
// 0.05, then each unit fires with 0.5; off, 0.02), seeded.
//
//   node --import tsx benchmarks/tn.bench.ts      (or `npm run bench tn`)
//
// Ratio = numpy time / our time (> 1: we are faster). Memory: peak bytes of
// the kernel's linear memory in use during one build (allocator counter), and
// the sample representation's size (the 2^n tensor is never formed).
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, tensorTrain, randomUniform, type BinaryStates } from "../sdk/targets/node.js";
import { time, consume, pythonHas, runPython, report } from "./harness.js";

const kernel = await init();

function blockStates(T: number, n: number, seed: number): BinaryStates {
  const u = randomUniform(T * (n + Math.ceil(n / 10)), { seed });
  const m = n + Math.ceil(n / 10);
  const data = new Uint8Array(T * n);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const on = u[t * m + n + Math.floor(i / 10)]! < 0.05;
      data[t * n + i] = u[t * m + i]! < (on ? 0.5 : 0.02) ? 1 : 0;
    }
  return { T, n, data };
}

/** A minimal NPY (v1, |u1, C order) so numpy reads exactly our bytes. */
function npy(st: BinaryStates): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${st.T}, ${st.n}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const out = new Uint8Array(10 + header.length + st.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(st.data, 10 + header.length);
  return out;
}

const PY = `
import numpy as np, json, sys, time
def ttsvd(X, tol, chi):
    T, n = X.shape
    ids = np.zeros(T, dtype=np.int64); bits = [None] * n; child = [None] * n
    for k in range(n - 1, -1, -1):
        key = ids * 2 + X[:, k]
        uniq, inv = np.unique(key, return_inverse=True)
        bits[k] = (uniq % 2).astype(np.int64); child[k] = uniq // 2; ids = inv.reshape(-1)
    D = bits[0].shape[0]
    rt = np.bincount(ids, minlength=D).astype(np.float64)[:, None] / T
    delta = tol * np.linalg.norm(rt) / np.sqrt(n - 1)
    r = 1; dims = [1]
    for k in range(n - 1):
        Dn = int(child[k].max()) + 1
        mt = np.zeros((Dn, r, 2)); mt[child[k], :, bits[k]] = rt
        mt = mt.reshape(Dn, 2 * r)
        u, s, vt = np.linalg.svd(mt, full_matrices=False)
        tail = np.sqrt(np.cumsum((s ** 2)[::-1])[::-1])
        rank = max(1, min(chi, int(np.sum(tail > delta))))
        rt = u[:, :rank] * s[:rank]; r = rank; dims.append(rank)
    dims.append(1)
    return dims
cases = json.loads(sys.stdin.read())
out = {}
for c in cases:
    X = np.load(c["file"])
    t0 = time.perf_counter(); dims = ttsvd(X, c["tol"], c["chi"]); dt = (time.perf_counter() - t0) * 1e3
    out[c["name"]] = {"ms": dt, "maxBond": max(dims), "params": int(sum(2 * a * b for a, b in zip(dims[:-1], dims[1:])))}
print(json.dumps(out))
`;

const cases = [
  { n: 50, T: 10_000, chi: 16 },
  { n: 50, T: 10_000, chi: 64 },
  { n: 200, T: 10_000, chi: 16 },
  { n: 500, T: 10_000, chi: 16 },
  { n: 50, T: 100_000, chi: 16 },
];
const tol = 1e-3;
const dir = mkdtempSync(join(tmpdir(), "dgrn-tn-bench-"));
const data = cases.map((c, i) => {
  const st = blockStates(c.T, c.n, 1 + i);
  const file = join(dir, `s${i}.npy`);
  writeFileSync(file, npy(st));
  return { ...c, st, file, name: `ttsvd:n=${c.n},T=${c.T},chi=${c.chi}` };
});

const hasNumpy = pythonHas("numpy");
const py = hasNumpy
  ? (runPython(PY, JSON.stringify(data.map((d) => ({ name: d.name, file: d.file, tol, chi: d.chi })))) as Record<
      string,
      { ms: number; maxBond: number; params: number }
    >)
  : {};
rmSync(dir, { recursive: true, force: true });

const rows: Array<Record<string, string | number | null>> = [];
for (const d of data) {
  kernel.allocator.resetPeak();
  const before = kernel.stats().bytesInUse;
  const tt = tensorTrain(d.st, { tol, maxBond: d.chi });
  const peak = kernel.stats().peakBytes - before;
  const big = d.n * d.T >= 2_000_000;
  const ms = time(
    () => tensorTrain(d.st, { tol, maxBond: d.chi }),
    big ? { minRuns: 1, minMs: 0, warmup: 0 } : { minRuns: 3, minMs: 300, warmup: 0 },
  );
  consume(tt.params);
  const p = py[d.name];
  rows.push({
    name: d.name,
    ms: Math.round(ms),
    maxBond: Math.max(...tt.bondDims),
    params: tt.params,
    relError: Number(tt.relError.toPrecision(3)),
    kernelPeakMiB: Number((peak / 2 ** 20).toFixed(1)),
    samplesMiB: Number(((d.T * d.n) / 2 ** 20).toFixed(1)),
    numpyMs: p ? Math.round(p.ms) : null,
    numpyParams: p ? p.params : null,
    ratio: p ? Number((p.ms / ms).toFixed(2)) : null,
  });
}
report("tn", rows);
