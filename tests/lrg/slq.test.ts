import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  laplacianRG,
  slqSpectralCurves,
  spectralCurves,
  tauGrid,
  randomPermutation,
  throwsCode,
  DgrnRangeError,
  ErrorCode,
} from "../helpers/setup.js";
import { fromEdges, torus, torusSpectrum } from "./graphs.js";

const test = suite("lrg/slq");

/** Largest |SLQ − exact| / band over the grid (≤ 1 means inside the band everywhere). */
function worst(est: Float64Array, band: Float64Array, exact: Float64Array): number {
  let w = 0;
  for (let i = 0; i < est.length; i++) w = Math.max(w, Math.abs(est[i]! - exact[i]!) / band[i]!);
  return w;
}

test("SLQ agrees with the dense result on a 2,000-node sparse graph within its own error band", () => {
  // 40 × 50 torus: the dense result comes from its exact spectrum (through the same
  // spectral-sum kernel the dense method uses), so the test needs no 2,000 × 2,000 eigh
  const g = torus(40, 50);
  const lam = torusSpectrum(40, 50);
  const tau = tauGrid(0.1 / 8, 10 / lam[1]!, 120);
  const exact = spectralCurves(lam, tau);
  const r = slqSpectralCurves(g, tau, { probes: 20, steps: 60, seed: 1 });
  assert.ok(worst(r.entropy, r.entropyError, exact.entropy) <= 1, "S outside its band");
  assert.ok(worst(r.specificHeat, r.specificHeatError, exact.specificHeat) <= 1, "C outside its band");
  // the band is informative, not huge
  assert.ok(Math.max(...r.entropyError) < 0.1 && Math.max(...r.specificHeatError) < 0.1);
  // Ritz bounds: λ_max from below, λ_2 from above
  assert.ok(r.lambdaMax <= 8 + 1e-12 && r.lambdaMax > 7.99);
  assert.ok(r.lambda2 >= lam[1]! - 1e-12 && r.lambda2 < 1.1 * lam[1]!);
});

test("SLQ vs eigh on a random sparse graph (ring plus random chords), and the same peaks", () => {
  const n = 300;
  const perm = randomPermutation(n, { seed: 5 });
  const e: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) e.push([i, (i + 1) % n], [perm[i]!, perm[(i + 1) % n]!]);
  const g = fromEdges(n, e);
  const d = laplacianRG(g, { method: "dense", flow: false, points: 100 });
  const s = laplacianRG(g, {
    method: "slq",
    flow: false,
    points: 100,
    tauMin: d.tau[0]!,
    tauMax: d.tau.at(-1)!,
    probes: 16,
    steps: 40,
  });
  assert.ok(worst(s.entropy, s.entropyError!, d.entropy) <= 1);
  assert.ok(worst(s.specificHeat, s.specificHeatError!, d.specificHeat) <= 1);
  assert.is(s.peaks.length, d.peaks.length);
  for (let k = 0; k < d.peaks.length; k++) assert.ok(Math.abs(Math.log(s.peaks[k]!.tau / d.peaks[k]!.tau)) < 0.1);
});

test("seeded: the same seed gives the same bits, another seed differs", () => {
  const g = torus(8, 9);
  const tau = tauGrid(0.01, 10, 20);
  const a = slqSpectralCurves(g, tau, { seed: 3 });
  const b = slqSpectralCurves(g, tau, { seed: 3 });
  const c = slqSpectralCurves(g, tau, { seed: 4 });
  assert.equal([...a.entropy], [...b.entropy]);
  assert.not.equal([...a.entropy], [...c.entropy]);
});

test("invalid arguments of slqSpectralCurves", () => {
  const g = torus(3, 3);
  throwsCode(() => slqSpectralCurves(g, [0.1], { probes: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => slqSpectralCurves(g, [0.1], { steps: 1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => slqSpectralCurves(g, [0.1], { seed: 0.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => slqSpectralCurves(g, [-1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => slqSpectralCurves(fromEdges(1, []), [1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => slqSpectralCurves(g, [1], { probe: 3 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
});

test.run();
