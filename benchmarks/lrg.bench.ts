// Laplacian RG benchmarks (issue 6).
//
//   lrg:dense:n=N      the dense LRG computation: eigendecomposition with vectors,
//                      S and C on 400 τ points, peaks, ρ′ supernodes at the peaks;
//                      ours (laplacianRG, one level) vs the same steps through
//                      ml-matrix's EigenvalueDecomposition + plain JS, same run.
//   lrg:crossover:n=N  curves only (S, C, peaks): dense eigenvalues vs SLQ
//                      (10 probes × 50 Lanczos steps) on a 2-D torus.
//   lrg:slq:…          SLQ curves on 10⁵-node sparse graphs (torus; BA m = 3).
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { init, laplacianRG, type Graph } from "../sdk/targets/node.js";
import { consume, report, time } from "./harness.js";
import { barabasiAlbert, flatEdges, torus } from "../tests/lrg/graphs.js";

await init();
const rows: Array<Record<string, string | number | null>> = [];

/** Ring of n/10 cliques of 10 (the structure LRG is for). */
function ringOfCliques(n: number): Graph {
  const c = n / 10,
    e: number[] = [];
  for (let q = 0; q < c; q++) {
    for (let a = 0; a < 10; a++) for (let b = a + 1; b < 10; b++) e.push(q * 10 + a, q * 10 + b);
    e.push(q * 10 + 9, ((q + 1) % c) * 10);
  }
  return flatEdges(n, e);
}

/** The peer: the same dense computation with ml-matrix and plain JS. */
function peerDense(g: Graph, points: number): number {
  const n = g.n;
  const L = Matrix.zeros(n, n);
  for (let k = 0; k < g.source.length; k++) {
    const a = g.source[k]!,
      b = g.target[k]!,
      w = g.weight[k]!;
    L.set(a, b, L.get(a, b) - w);
    L.set(b, a, L.get(b, a) - w);
    L.set(a, a, L.get(a, a) + w);
    L.set(b, b, L.get(b, b) + w);
  }
  const ed = new EigenvalueDecomposition(L, { assumeSymmetric: true });
  const lam = ed.realEigenvalues;
  const V = ed.eigenvectorMatrix;
  const order = lam.map((_, i) => i).sort((p, q) => lam[p]! - lam[q]!);
  const vals = order.map((i) => lam[i]!);
  const lmax = vals[n - 1]!;
  let l2 = 0;
  for (const v of vals)
    if (v > 1e-10 * lmax) {
      l2 = v;
      break;
    }
  const a = Math.log(0.1 / lmax),
    b = Math.log(10 / l2);
  const tau: number[] = [],
    C: number[] = [];
  for (let i = 0; i < points; i++) {
    const t = Math.exp(a + ((b - a) * i) / (points - 1));
    tau.push(t);
    let z = 0,
      m1 = 0;
    const e = vals.map((l) => Math.exp(-t * (l - vals[0]!)));
    for (let k = 0; k < n; k++) ((z += e[k]!), (m1 += e[k]! * vals[k]!));
    const mean = m1 / z;
    let v = 0;
    for (let k = 0; k < n; k++) v += e[k]! * (vals[k]! - mean) ** 2;
    C.push((t * t * v) / z / Math.log(n));
  }
  let merged = 0;
  for (let i = 1; i < points - 1; i++) {
    if (!(C[i]! > C[i - 1]! && C[i]! >= C[i + 1]!)) continue;
    const t = tau[i]!;
    const mu = vals.map((l) => Math.exp(-t * (l - vals[0]!)));
    const rho = (p: number, q: number) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += V.get(p, order[k]!) * mu[k]! * V.get(q, order[k]!);
      return s;
    };
    const diag = Array.from({ length: n }, (_, p) => rho(p, p));
    for (let k = 0; k < g.source.length; k++) {
      const p = g.source[k]!,
        q = g.target[k]!;
      if (rho(p, q) >= Math.min(diag[p]!, diag[q]!)) merged++;
    }
  }
  return merged + C.length;
}

/** Ours: one level of laplacianRG (curves, peaks, supernodes at the first merging peak, and the metagraph's curves). */
function oursDense(g: Graph, points: number): number {
  const r = laplacianRG(g, { method: "dense", points });
  return r.peaks.length + r.flow.steps.length;
}

for (const n of [500, 1000, 2000]) {
  const g = ringOfCliques(n);
  const opts =
    n >= 2000
      ? { minRuns: 1, minMs: 0, warmup: 0 }
      : n >= 1000
        ? { minRuns: 2, minMs: 0, warmup: 0 }
        : { minRuns: 3, minMs: 0, warmup: 1 };
  const ours = time(() => oursDense(g, 400), opts);
  const peer = time(() => peerDense(g, 400), opts);
  rows.push({
    name: `lrg:dense:n=${n}`,
    graph: "ring of cliques (10)",
    oursMs: +ours.toFixed(1),
    peer: "ml-matrix EigenvalueDecomposition + JS",
    peerMs: +peer.toFixed(1),
    ratio: +(peer / ours).toFixed(2),
  });
  console.error(rows.at(-1));
}

for (const [a, b] of [
  [10, 10],
  [10, 20],
  [20, 25],
  [25, 40],
  [40, 50],
  [50, 60],
] as const) {
  const g = torus(a, b);
  const n = a * b;
  const opts = n >= 2000 ? { minRuns: 1, minMs: 0, warmup: 0 } : { minRuns: 3, minMs: 200, warmup: 1 };
  const dense = time(() => laplacianRG(g, { method: "dense", flow: false }).entropy, opts);
  const slq = time(() => laplacianRG(g, { method: "slq", flow: false, probes: 10, steps: 50 }).entropy, opts);
  rows.push({
    name: `lrg:crossover:n=${n}`,
    graph: `torus ${a}×${b}`,
    oursMs: +slq.toFixed(1),
    peer: "dense (ours, eigenvalues only)",
    peerMs: +dense.toFixed(1),
    ratio: +(dense / slq).toFixed(2),
  });
  console.error(rows.at(-1));
}

for (const [name, g] of [
  ["torus 316×316", torus(316, 316)],
  ["BA m=3", barabasiAlbert(100_000, 3, 1)],
] as const) {
  let peaks = 0;
  const t = time(
    () => {
      const r = laplacianRG(g, { method: "slq", flow: false, probes: 10, steps: 50 });
      peaks = r.peaks.length;
      return r.entropy;
    },
    { minRuns: 1, minMs: 0, warmup: 0 },
  );
  rows.push({
    name: `lrg:slq:n=${g.n}`,
    graph: `${name}, ${g.source.length} edges, ${peaks} peak(s)`,
    oursMs: +t.toFixed(1),
    peer: null,
    peerMs: null,
    ratio: null,
  });
  console.error(rows.at(-1));
}

consume(rows.length);
report("lrg", rows);
