// The Laplacian RG at scale (sdk/lrg/scale.ts, flowscale.ts): exact low modes +
// deflated SLQ against closed-form spectra, coverage of the error band, peaks
// outside their own noise, and supernodes without a dense ρ.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  laplacianRG,
  slqSpectralCurves,
  spectralCurves,
  tauGrid,
  lrgSupernodes,
  type Graph,
} from "../helpers/setup.js";
import { bandedPeaks, splitFiniteSize } from "../../sdk/lrg/spectrum.js";
import { chebyshevExpCoefficients, rhoChebyshev, rhoFromModes } from "../../sdk/lrg/flowscale.js";
import { symEdges } from "../../sdk/lrg/graph.js";
import { eigh } from "../../sdk/linalg/eigh.js";
import { denseLaplacian } from "../../sdk/lrg/graph.js";
import { cliques, fromEdges, path } from "./graphs.js";

const test = suite("lrg/scale");

/** A periodic lattice L^d (d = 1, 2, 3) and its closed-form spectrum Σ_d 2(1 − cos 2πk_d/L). */
function torusD(L: number, d: number): { g: Graph; lam: number[] } {
  const n = L ** d;
  const src: number[] = [],
    dst: number[] = [];
  for (let i = 0; i < n; i++) {
    let stride = 1;
    for (let a = 0; a < d; a++) {
      const c = Math.floor(i / stride) % L;
      src.push(i);
      dst.push(i + (((c + 1) % L) - c) * stride);
      stride *= L;
    }
  }
  const one = Array.from({ length: L }, (_, k) => 2 * (1 - Math.cos((2 * Math.PI * k) / L)));
  let lam = [0];
  for (let a = 0; a < d; a++) lam = lam.flatMap((x) => one.map((y) => x + y));
  return {
    g: fromEdges(
      n,
      src.map((s, e) => [s, dst[e]!] as [number, number]),
    ),
    lam: lam.sort((x, y) => x - y),
  };
}

/** Complete bipartite K_{a,b}: spectrum 0, a (×(b−1)), b (×(a−1)), a + b. */
function bipartite(a: number, b: number): { g: Graph; lam: number[] } {
  const e: Array<[number, number]> = [];
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) e.push([i, a + j]);
  return {
    g: fromEdges(a + b, e),
    lam: [0, ...Array(b - 1).fill(a), ...Array(a - 1).fill(b), a + b].sort((x, y) => x - y),
  };
}

/** Path P_n: λ_k = 2(1 − cos(πk/n)). */
function pathD(n: number): { g: Graph; lam: number[] } {
  return { g: path(n), lam: Array.from({ length: n }, (_, k) => 2 * (1 - Math.cos((Math.PI * k) / n))) };
}

/** Disjoint union of graphs (spectra concatenated). */
function union(parts: Array<{ g: Graph; lam: number[] }>): { g: Graph; lam: number[] } {
  let off = 0;
  const e: Array<[number, number]> = [];
  const lam: number[] = [];
  for (const p of parts) {
    for (let q = 0; q < p.g.source.length; q++) e.push([p.g.source[q]! + off, p.g.target[q]! + off]);
    lam.push(...p.lam);
    off += p.g.n;
  }
  return { g: fromEdges(off, e), lam: lam.sort((x, y) => x - y) };
}

function ends(lam: number[]): { l2: number; lmax: number } {
  const lmax = lam.at(-1)!;
  return { l2: lam.find((x) => x > 1e-9 * lmax)!, lmax };
}

/** Fraction of grid points where both S and C are inside their bands. */
function coverage(
  r: { entropy: Float64Array; specificHeat: Float64Array; entropyError: Float64Array; specificHeatError: Float64Array },
  ex: { entropy: Float64Array; specificHeat: Float64Array },
): number {
  let ok = 0;
  for (let i = 0; i < ex.entropy.length; i++) {
    if (
      Math.abs(r.entropy[i]! - ex.entropy[i]!) <= r.entropyError[i]! &&
      Math.abs(r.specificHeat[i]! - ex.specificHeat[i]!) <= r.specificHeatError[i]!
    )
      ok++;
  }
  return ok / ex.entropy.length;
}

function maxErrLnN(c: Float64Array, ex: Float64Array, n: number): number {
  let w = 0;
  for (let i = 0; i < c.length; i++) w = Math.max(w, Math.abs(c[i]! - ex[i]!) * Math.log(n));
  return w;
}

/** The exact curve's peaks split by the finite-size rule with the exact spectrum. */
function exactSplit(tau: Float64Array, c: Float64Array, lam: ArrayLike<number>) {
  const nz = Float64Array.from(lam)
    .sort()
    .filter((v) => v > 1e-9);
  return splitFiniteSize(bandedPeaks(tau, c, null, 0.01), nz, Infinity);
}

test("2-D torus 100² (10⁴ nodes): C within 0.05/ln N of the closed form on the whole default grid, exact Fiedler time, one peak (the lattice scale) and the Fiedler modes' maximum reported as finite-size", () => {
  const { g, lam } = torusD(100, 2);
  const { l2, lmax } = ends(lam);
  const r = laplacianRG(g, { method: "slq", flow: false, lowModes: 16, seed: 1 });
  // the default grid ends at 10/λ_2 with the exact λ_2
  assert.ok(Math.abs(r.fiedlerTime! * l2 - 1) < 1e-6, `Fiedler time ${r.fiedlerTime} vs ${1 / l2}`);
  assert.ok(Math.abs(r.tau.at(-1)! * l2 - 10) < 1e-5);
  assert.ok(Math.abs(r.slq!.lambdaMax / lmax - 1) < 1e-6, `λ_max ${r.slq!.lambdaMax}`);
  const ex = spectralCurves(lam, r.tau);
  const err = maxErrLnN(r.specificHeat, ex.specificHeat, g.n);
  assert.ok(err < 0.05, `max |C − C_exact|·ln N = ${err}`);
  assert.ok(
    coverage(
      {
        entropy: r.entropy,
        specificHeat: r.specificHeat,
        entropyError: r.entropyError!,
        specificHeatError: r.specificHeatError!,
      },
      ex,
    ) >= 0.95,
  );
  // one scale, the lattice one (τ ≈ 1.24), as on the exact curve; the exact curve's second maximum
  // (τ ≈ 2.6/λ_2, the discrete Fiedler modes) is a finite-size peak on both, at the same τ
  const exs = exactSplit(r.tau, ex.specificHeat, lam);
  assert.is(exs.scales.length, 1);
  assert.is(exs.finiteSize.length, 1);
  assert.ok(
    Math.abs(exs.finiteSize[0]!.tau * l2 - 2.62) < 0.1,
    `exact finite-size peak at τλ_2 = ${exs.finiteSize[0]!.tau * l2}`,
  );
  assert.is(r.peaks.length, 1, `peaks ${r.peaks.map((p) => p.tau)}`);
  assert.ok(Math.abs(Math.log(r.peaks[0]!.tau / exs.scales[0]!.tau)) < 0.05);
  assert.ok(r.peaks[0]!.tau > 0.8 && r.peaks[0]!.tau < 2);
  assert.is(r.finiteSizePeaks.length, 1);
  assert.ok(Math.abs(Math.log(r.finiteSizePeaks[0]!.tau / exs.finiteSize[0]!.tau)) < 0.05);
  for (const p of r.peaks) assert.ok(p.CError! >= 0 && p.tauLow! <= p.tau && p.tauHigh! >= p.tau);
  assert.ok(r.slq!.restAtTauMax.adequate);
});

test("finite-size rule, dense and SLQ alike: a 30² torus has one scale and one finite-size peak; two cliques keep both peaks (a gap above λ_2)", () => {
  const { g, lam } = torusD(30, 2);
  const l2 = ends(lam).l2;
  for (const method of ["dense", "slq"] as const) {
    const r = laplacianRG(g, { method, flow: false, seed: 1 });
    assert.is(r.peaks.length, 1, `${method}: peaks ${r.peaks.map((p) => p.tau)}`);
    assert.ok(r.peaks[0]!.tau > 0.8 && r.peaks[0]!.tau < 2);
    assert.is(r.finiteSizePeaks.length, 1, method);
    assert.ok(
      Math.abs(r.finiteSizePeaks[0]!.tau * l2 - 2.6) < 0.2,
      `${method}: τλ_2 = ${r.finiteSizePeaks[0]!.tau * l2}`,
    );
  }
  // two 8-cliques joined by one edge: the maximum at τλ_2 ≈ 2.4 sits below a gap λ_3/λ_2 ≈ 40, so it is a scale
  for (const method of ["dense", "slq"] as const) {
    const r = laplacianRG(cliques(2, 8, "chain"), { method, flow: false, seed: 1, probes: 8, steps: 15 });
    assert.is(r.peaks.length, 2, `${method}: peaks ${r.peaks.map((p) => p.tau)}`);
    assert.is(r.finiteSizePeaks.length, 0, method);
  }
});

test("3-D torus 46³ (97,336 nodes): C within 0.05/ln N on the whole default grid, Fiedler time within 1 %, no spurious peak", () => {
  const { g, lam } = torusD(46, 3);
  const { l2 } = ends(lam);
  const r = laplacianRG(g, { method: "slq", flow: false, lowModes: 6, probes: 32, steps: 60, points: 200, seed: 2 });
  assert.ok(Math.abs(r.fiedlerTime! * l2 - 1) < 0.01, `Fiedler time ${r.fiedlerTime} vs ${1 / l2}`);
  const ex = spectralCurves(lam, r.tau);
  const err = maxErrLnN(r.specificHeat, ex.specificHeat, g.n);
  assert.ok(err < 0.05, `max |C − C_exact|·ln N = ${err}`);
  assert.ok(
    coverage(
      {
        entropy: r.entropy,
        specificHeat: r.specificHeat,
        entropyError: r.entropyError!,
        specificHeatError: r.specificHeatError!,
      },
      ex,
    ) >= 0.95,
  );
  const exs = exactSplit(r.tau, ex.specificHeat, lam);
  assert.is(exs.scales.length, 1);
  assert.is(r.peaks.length, 1, `peaks ${r.peaks.map((p) => p.tau)} vs exact ${exs.scales.map((p) => p.tau)}`);
  assert.ok(Math.abs(Math.log(r.peaks[0]!.tau / exs.scales[0]!.tau)) < 0.05);
  assert.is(r.finiteSizePeaks.length, exs.finiteSize.length);
});

test("coverage of the error band ≥ 95 % over tori in 1, 2, 3 dimensions, K_{a,b}, a path and a disconnected union", () => {
  const cases = [
    { name: "ring 1000", ...torusD(1000, 1) },
    { name: "torus 40²", ...torusD(40, 2) },
    { name: "torus 12³", ...torusD(12, 3) },
    { name: "K_{30,70}", ...bipartite(30, 70) },
    { name: "path 800", ...pathD(800) },
    {
      name: "torus 20² ∪ path 300 ∪ 3 isolated nodes",
      ...union([torusD(20, 2), pathD(300), { g: fromEdges(3, []), lam: [0, 0, 0] }]),
    },
  ];
  let inside = 0,
    total = 0;
  for (const c of cases) {
    const { l2, lmax } = ends(c.lam);
    const tau = tauGrid(0.1 / lmax, 10 / l2, 100);
    const r = slqSpectralCurves(c.g, tau, { probes: 12, steps: 80, lowModes: 12, seed: 3 });
    const ex = spectralCurves(c.lam, tau);
    const cov = coverage(r, ex);
    inside += cov * tau.length;
    total += tau.length;
    assert.ok(cov >= 0.9, `${c.name}: coverage ${cov}`);
    assert.ok(Math.abs(r.lambda2 / l2 - 1) < 1e-6, `${c.name}: λ_2 ${r.lambda2} vs ${l2}`);
  }
  assert.ok(inside / total >= 0.95, `coverage ${inside / total}`);
});

test("a peak inside its own noise is not reported; peaks carry their band", () => {
  const tau = tauGrid(0.1, 10, 9);
  const c = Float64Array.from([0, 1, 2, 1.5, 1.6, 1.5, 1, 0.5, 0]);
  assert.is(bandedPeaks(tau, c, null, 0.01).length, 2);
  const e = new Float64Array(9).fill(0.2);
  const p = bandedPeaks(tau, c, e, 0.01);
  assert.is(p.length, 1); // the bump of prominence 0.1 < 0.2 + 0.2 goes
  assert.is(p[0]!.index, 2);
  assert.is(p[0]!.CError, 0.2);
  assert.ok(p[0]!.tauLow! < p[0]!.tau && p[0]!.tauHigh! > p[0]!.tau);
});

test("Chebyshev coefficients of e^{−τx} reproduce the exponential to 1e-13", () => {
  for (const [tau, ub] of [
    [0.3, 8],
    [5, 12],
    [200, 8],
  ] as const) {
    const c = chebyshevExpCoefficients(tau, ub);
    for (const x of [0, 0.1, 1, ub / 2, ub]) {
      const t = (2 * x) / ub - 1;
      let t0 = 1,
        t1 = t,
        s = c[0]! + (c.length > 1 ? c[1]! * t : 0);
      for (let j = 2; j < c.length; j++) {
        const t2 = 2 * t * t1 - t0;
        s += c[j]! * t2;
        [t0, t1] = [t1, t2];
      }
      assert.ok(Math.abs(s - Math.exp(-tau * x)) < 1e-13, `τ=${tau} x=${x}: ${s} vs ${Math.exp(-tau * x)}`);
    }
  }
});

test("heat-kernel entries without a dense ρ: block Chebyshev and low modes against the dense e^{−τL}", () => {
  const g = symEdges("g", cliques(6, 5, "ring"));
  const n = g.n;
  const { values, vectors } = eigh(denseLaplacian(g), { vectors: true });
  const V = vectors!.data;
  const exact = (tau: number, i: number, j: number) => {
    let s = 0;
    for (let c = 0; c < n; c++) s += V[i * n + c]! * Math.exp(-tau * values[c]!) * V[j * n + c]!;
    return s;
  };
  const tau = 0.7;
  const ch = rhoChebyshev(g, tau, 2 * 5, 8);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(ch.diag[i]! - exact(tau, i, i)) < 1e-12);
  for (let e = 0; e < g.i.length; e++) assert.ok(Math.abs(ch.pair[e]! - exact(tau, g.i[e]!, g.j[e]!)) < 1e-12);
  // every nonzero mode given: the low-mode formula is exact
  const k = n - 1;
  const vec = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) vec[i * k + c] = V[i * n + c + 1]!;
  const m = rhoFromModes(
    g,
    {
      comp: new Int32Array(n),
      compSize: Float64Array.of(n),
      values: values.slice(1),
      vectors: vec,
      k,
      next: Infinity,
      upper: 10,
    },
    tau,
  );
  for (let i = 0; i < n; i++) assert.ok(Math.abs(m.diag[i]! - exact(tau, i, i)) < 1e-12);
  for (let e = 0; e < g.i.length; e++) assert.ok(Math.abs(m.pair[e]! - exact(tau, g.i[e]!, g.j[e]!)) < 1e-12);
});

test("the flow at scale: an SLQ level coarse-grains a ring of cliques into the same supernodes as the dense method", () => {
  const g = cliques(40, 8, "ring"); // 320 nodes
  const d = laplacianRG(g, { method: "dense", points: 120 });
  const s = laplacianRG(g, { method: "slq", points: 120, lowModes: 8, seed: 4 });
  assert.ok(d.flow.steps.length >= 1 && s.flow.steps.length >= 1, s.flow.stopReason);
  assert.equal(s.flow.steps[0]!.groups, d.flow.steps[0]!.groups);
  // and the modes rule
  const sm = laplacianRG(g, { method: "slq", points: 120, rule: "modes", lowModes: 8, seed: 4 });
  const dm = laplacianRG(g, { method: "dense", points: 120, rule: "modes" });
  assert.is(sm.flow.steps[0]!.n, dm.flow.steps[0]!.n);
  void lrgSupernodes;
});

test.run();
