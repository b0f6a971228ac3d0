// Ising reference for DTNR (MISSION §4): exact Boltzmann distributions of
// n = 16 spins (a 4×4 periodic lattice, and open chains with long-range
// couplings J_ij = |i − j|^−α, α = 1, 2) at three temperatures each, compressed
// as an MPS (TT-SVD) and as a tree network along a hand-built RG flow, both in
// the Born form, capped at bond χ (tol = 0). For each tree we pick the MPS whose
// parameter count is nearest, and report KL(P ‖ P̃) and the mean absolute error
// of the connected two-point correlation at each distance.
//
//   node --import tsx benchmarks/tn-ising.bench.ts
//     → benchmarks/results/tn-ising.json (all numbers, every distance)
//     → benchmarks/results/tn-ising.md   (the table docs/tn.md shows)
import {
  init,
  tensorTrain,
  treeTensorNetwork,
  ttDense,
  ttnDense,
  klDivergence,
  type RGFlow,
  type BinaryStates,
} from "../sdk/targets/node.js";
import { writeFileSync } from "node:fs";
import { report } from "./harness.js";

await init();

const N = 16;

interface Model {
  name: string;
  /** couplings J_ij for i < j (row-major N × N, upper triangle used) */
  J: Float64Array;
  /** distance of a pair, for the correlation table */
  dist: (i: number, j: number) => number;
  flow: RGFlow;
  /** The flow of the k-ary trees: each group merges in one node. */
  karyFlow: RGFlow;
  temps: { label: string; T: number }[];
}

function lattice(): Model {
  const J = new Float64Array(N * N);
  const L = 4;
  for (let r = 0; r < L; r++)
    for (let c = 0; c < L; c++) {
      const i = r * L + c;
      for (const j of [r * L + ((c + 1) % L), ((r + 1) % L) * L + c]) {
        J[Math.min(i, j) * N + Math.max(i, j)]! += 1;
      }
    }
  const wrap = (d: number) => Math.min(d, L - d);
  const dist = (i: number, j: number) =>
    wrap(Math.abs((i % L) - (j % L))) + wrap(Math.abs(Math.floor(i / L) - Math.floor(j / L)));
  // RG flow: 2×2 plaquettes, then top / bottom halves, then the root
  const plaq = [
    [0, 1, 4, 5],
    [2, 3, 6, 7],
    [8, 9, 12, 13],
    [10, 11, 14, 15],
  ];
  const a1 = new Int32Array(N);
  plaq.forEach((g, k) => g.forEach((i) => (a1[i] = k)));
  const flow: RGFlow = {
    n0: N,
    stopReason: "one node",
    steps: [
      { tau: 1, n: 4, groups: plaq, assignment: a1 },
      {
        tau: 2,
        n: 2,
        groups: [
          [0, 1],
          [2, 3],
        ],
        assignment: Int32Array.from(a1, (k) => k >> 1),
      },
      { tau: 3, n: 1, groups: [[0, 1]], assignment: new Int32Array(N) },
    ],
  };
  const Tc = 2 / Math.log(1 + Math.SQRT2);
  // k-ary: 4-ary plaquettes, then the four plaquettes in one root node
  const karyFlow: RGFlow = {
    n0: N,
    stopReason: "one node",
    steps: [flow.steps[0]!, { tau: 2, n: 1, groups: [[0, 1, 2, 3]], assignment: new Int32Array(N) }],
  };
  return {
    name: "2-D Ising 4×4 (periodic)",
    J,
    dist,
    flow,
    karyFlow,
    temps: [
      { label: "1.5", T: 1.5 },
      { label: `Tc=${Tc.toFixed(3)}`, T: Tc },
      { label: "3.5", T: 3.5 },
    ],
  };
}

function chain(alpha: number): Model {
  const J = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) J[i * N + j] = (j - i) ** -alpha;
  // RG flow: pairs, quads, octets, root
  const steps = [];
  let m = N;
  const assign = Int32Array.from({ length: N }, (_, i) => i);
  for (let s = 0; m > 1; s++) {
    const groups = Array.from({ length: m / 2 }, (_, k) => [2 * k, 2 * k + 1]);
    for (let i = 0; i < N; i++) assign[i] = assign[i]! >> 1;
    m /= 2;
    steps.push({ tau: s + 1, n: m, groups, assignment: assign.slice() });
  }
  // k-ary: 4-site blocks, then the four blocks in one root node
  const q = Int32Array.from({ length: N }, (_, i) => i >> 2);
  const karyFlow: RGFlow = {
    n0: N,
    stopReason: "one node",
    steps: [
      { tau: 1, n: 4, groups: [0, 1, 2, 3].map((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]), assignment: q },
      { tau: 2, n: 1, groups: [[0, 1, 2, 3]], assignment: new Int32Array(N) },
    ],
  };
  const model: Model = {
    name: `long-range chain α=${alpha}`,
    J,
    dist: (i, j) => Math.abs(i - j),
    flow: { n0: N, stopReason: "one node", steps },
    karyFlow,
    temps: [],
  };
  const Tp = heatPeak(model.J);
  model.temps = [
    { label: (Tp / 2).toFixed(3), T: Tp / 2 },
    { label: `C-peak ${Tp.toFixed(3)}`, T: Tp },
    { label: (2 * Tp).toFixed(3), T: 2 * Tp },
  ];
  return model;
}

/** Spin energies of all 2^N configurations (site 0 = most significant bit). */
function energies(J: Float64Array): Float64Array {
  const E = new Float64Array(2 ** N);
  const s = new Int8Array(N);
  for (let g = 0; g < E.length; g++) {
    for (let i = 0; i < N; i++) s[i] = ((g >> (N - 1 - i)) & 1) * 2 - 1;
    let e = 0;
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (J[i * N + j]) e -= J[i * N + j]! * s[i]! * s[j]!;
    E[g] = e;
  }
  return E;
}

function boltzmann(E: Float64Array, T: number): Float64Array {
  let emin = Infinity;
  for (const e of E) emin = Math.min(emin, e);
  const p = E.map((e) => Math.exp(-(e - emin) / T));
  const z = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / z);
}

/** Temperature of the specific-heat maximum on a log grid (exact enumeration). */
function heatPeak(J: Float64Array): number {
  const E = energies(J);
  let best = 0;
  let Tbest = 1;
  for (let k = 0; k <= 200; k++) {
    const T = 0.1 * 100 ** (k / 200);
    const p = boltzmann(E, T);
    let m1 = 0;
    let m2 = 0;
    for (let g = 0; g < E.length; g++) {
      m1 += p[g]! * E[g]!;
      m2 += p[g]! * E[g]! * E[g]!;
    }
    const C = (m2 - m1 * m1) / (T * T);
    if (C > best) {
      best = C;
      Tbest = T;
    }
  }
  return Tbest;
}

/** Connected correlations C_ij = ⟨s_i s_j⟩ − ⟨s_i⟩⟨s_j⟩ of a (renormalised) dense distribution. */
function correlations(p: Float64Array): Float64Array {
  const z = p.reduce((a, b) => a + b, 0);
  const m = new Float64Array(N);
  const c = new Float64Array(N * N);
  for (let g = 0; g < p.length; g++) {
    const w = p[g]! / z;
    if (w === 0) continue;
    for (let i = 0; i < N; i++) {
      const si = ((g >> (N - 1 - i)) & 1) * 2 - 1;
      m[i]! += w * si;
      for (let j = i + 1; j < N; j++) c[i * N + j]! += w * si * (((g >> (N - 1 - j)) & 1) * 2 - 1);
    }
  }
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) c[i * N + j]! -= m[i]! * m[j]!;
  return c;
}

function corrErrors(model: Model, ref: Float64Array, q: Float64Array): Map<number, number> {
  const sum = new Map<number, number>();
  const cnt = new Map<number, number>();
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      const d = model.dist(i, j);
      sum.set(d, (sum.get(d) ?? 0) + Math.abs(ref[i * N + j]! - q[i * N + j]!));
      cnt.set(d, (cnt.get(d) ?? 0) + 1);
    }
  const out = new Map<number, number>();
  for (const [d, s] of [...sum.entries()].sort((a, b) => a[0] - b[0])) out.set(d, s / cnt.get(d)!);
  return out;
}

const allStates: BinaryStates = (() => {
  const data = new Uint8Array(2 ** N * N);
  for (let g = 0; g < 2 ** N; g++) for (let i = 0; i < N; i++) data[g * N + i] = (g >> (N - 1 - i)) & 1;
  return { T: 2 ** N, n: N, data };
})();

const rows: Array<Record<string, string | number | null>> = [];
const md: string[] = [];
md.push(
  "| model | T | tree | tree χ | tree params | MPS χ | MPS params | KL tree | KL MPS | corr. error by distance d: tree / MPS | lower KL |",
);
md.push("|---|---|---|---|---|---|---|---|---|---|---|");
const only = process.argv[2]; // e.g. "lattice": only the models whose name contains it
for (const model of [lattice(), chain(1), chain(2)].filter((m) => !only || m.name.includes(only))) {
  const E = energies(model.J);
  for (const { label, T } of model.temps) {
    const P = boltzmann(E, T);
    const C = correlations(P);
    const mps = new Map<number, { params: number; kl: number; corr: Map<number, number> }>();
    for (let chi = 1; chi <= 64; chi++) {
      const tt = tensorTrain(allStates, { weights: P, born: true, tol: 0, maxBond: chi });
      const q = ttDense(tt, { probability: true });
      mps.set(chi, { params: tt.params, kl: klDivergence(P, q), corr: corrErrors(model, C, correlations(q)) });
      if (Math.max(...tt.bondDims) < chi || tt.params > 4000) break;
    }
    for (const [tree, flow, kary] of [
      ["binary", model.flow, false],
      ["k-ary", model.karyFlow, true],
    ] as const)
      for (const chi of [2, 3, 4, 6]) {
        const net = treeTensorNetwork(allStates, flow, {
          weights: P,
          born: true,
          tol: 0,
          maxBond: chi,
          exact: false,
          kary,
        });
        const q = ttnDense(net, { probability: true });
        const kl = klDivergence(P, q);
        const corr = corrErrors(model, C, correlations(q));
        // the MPS whose parameter count is nearest (ties: the smaller one)
        let best = -1;
        for (const [c, m] of mps)
          if (best < 0 || Math.abs(m.params - net.params) < Math.abs(mps.get(best)!.params - net.params)) best = c;
        const m = mps.get(best)!;
        const ds = [...corr.keys()];
        const pick = ds.length > 5 ? [ds[0]!, ds[1]!, ds[3]!, ds[7]!, ds[ds.length - 1]!] : ds;
        const fmt = (x: number) => (x < 1e-12 ? "0" : x.toExponential(1));
        md.push(
          `| ${model.name} | ${label} | ${tree} | ${chi} | ${net.params} | ${best} | ${m.params} | ${fmt(kl)} | ${fmt(m.kl)} | ` +
            pick.map((d) => `${d}: ${fmt(corr.get(d)!)} / ${fmt(m.corr.get(d)!)}`).join("; ") +
            ` | ${Math.abs(kl - m.kl) <= 1e-3 * Math.max(kl, m.kl) ? "tie" : kl < m.kl ? "tree" : "MPS"} |`,
        );
        const row: Record<string, string | number | null> = {
          model: model.name,
          T,
          tree,
          treeChi: chi,
          treeParams: net.params,
          treeKL: kl,
          mpsChi: best,
          mpsParams: m.params,
          mpsKL: m.kl,
        };
        for (const d of ds) {
          row[`treeCorrErr_d${d}`] = corr.get(d)!;
          row[`mpsCorrErr_d${d}`] = m.corr.get(d)!;
        }
        rows.push(row);
      }
  }
}
const out = only ? `tn-ising-${only.replace(/[^A-Za-z0-9]+/g, "")}` : "tn-ising";
report(out, rows);
console.log("\n" + md.join("\n"));
writeFileSync(`benchmarks/results/${out}.md`, md.join("\n") + "\n");
