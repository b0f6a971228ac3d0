import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  laplacianSpectrum,
  spectralCurves,
  entropyCurve,
  specificHeatCurve,
  tauGrid,
  findPeaks,
  laplacianRG,
  maxAbsDiff,
  throwsCode,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
} from "../helpers/setup.js";
import { cliques, complete, cycle, path, star } from "./graphs.js";

const test = suite("lrg/spectrum");
const sorted = (a: number[]) => a.sort((x, y) => x - y);

test("closed-form spectra: K_n (0, n×(n−1)), star (0, 1×(n−2), n), path 2−2cos(πk/n), cycle 2−2cos(2πk/n)", () => {
  const n = 9;
  assert.ok(maxAbsDiff(laplacianSpectrum(complete(n)), [0, ...Array(n - 1).fill(n)]) < 1e-12);
  assert.ok(maxAbsDiff(laplacianSpectrum(star(n)), [0, ...Array(n - 2).fill(1), n]) < 1e-12);
  const p = sorted(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * k) / n)));
  assert.ok(maxAbsDiff(laplacianSpectrum(path(n)), p) < 1e-12);
  const c = sorted(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((2 * Math.PI * k) / n)));
  assert.ok(maxAbsDiff(laplacianSpectrum(cycle(n)), c) < 1e-12);
});

test("S and C of K_n equal the two-level closed form", () => {
  const n = 7;
  const lam = [0, ...Array(n - 1).fill(n)];
  const tau = tauGrid(1e-3, 10, 50);
  const { entropy, specificHeat } = spectralCurves(lam, tau);
  for (let i = 0; i < tau.length; i++) {
    const t = tau[i]!;
    const z = 1 + (n - 1) * Math.exp(-n * t);
    const p = ((n - 1) * Math.exp(-n * t)) / z; // weight on λ = n
    const S = (Math.log(z) + t * n * p) / Math.log(n);
    const C = (t * t * n * n * p * (1 - p)) / Math.log(n);
    assert.ok(Math.abs(entropy[i]! - S) < 1e-13, `S at τ=${t}`);
    assert.ok(Math.abs(specificHeat[i]! - C) < 1e-13, `C at τ=${t}`);
  }
});

test("C from the closed form equals −dS/d ln τ by centred differences to 1e-6 (path spectrum)", () => {
  const lam = laplacianSpectrum(path(30));
  const tau = tauGrid(1e-2, 1e3, 60);
  const h = 1e-4;
  const up = entropyCurve(
    lam,
    tau.map((t) => t * Math.exp(h)),
  );
  const dn = entropyCurve(
    lam,
    tau.map((t) => t * Math.exp(-h)),
  );
  const c = specificHeatCurve(lam, tau);
  let worst = 0;
  for (let i = 0; i < tau.length; i++) worst = Math.max(worst, Math.abs(-(up[i]! - dn[i]!) / (2 * h) - c[i]!));
  assert.ok(worst < 1e-6, `worst ${worst}`);
  assert.ok(Math.max(...c) > 0.1); // a real curve, not zeros
});

test("limits: S(τ→0) = 1; two disconnected cliques S(∞) = ln 2 / ln N; C → 0", () => {
  const g = cliques(2, 6, "none");
  const r = laplacianRG(g, { tauMin: 1e-9, tauMax: 1e4, points: 50, flow: false });
  assert.ok(Math.abs(r.entropy[0]! - 1) < 1e-8);
  assert.ok(Math.abs(r.entropy[49]! - Math.log(2) / Math.log(12)) < 1e-12);
  assert.ok(r.specificHeat[49]! < 1e-12);
  assert.is(r.components, 2);
  assert.ok(Math.abs(r.fiedlerTime! - 1 / 6) < 1e-12); // smallest nonzero eigenvalue of K_6 is 6
});

test("stable for τλ up to 10⁴ and far beyond: no overflow, no NaN", () => {
  const lam = [0, 1e-3, 1, 10, 1e4];
  const { entropy, specificHeat } = spectralCurves(lam, [1e-300, 1e-8, 1, 1e4, 1e8, 1e300]);
  for (const v of [...entropy, ...specificHeat]) assert.ok(Number.isFinite(v));
  assert.ok(Math.abs(entropy[0]! - 1) < 1e-12);
  assert.ok(Math.abs(entropy[5]!) < 1e-12 && specificHeat[5] === 0);
  // a spectrum that does not start at zero is shifted, not exponentiated raw
  const s = spectralCurves([1e3, 1e3 + 1], [1e3]);
  assert.ok(Number.isFinite(s.entropy[0]!) && s.entropy[0]! >= 0);
});

test("peaks: prominence rule, ends are not peaks, plateaus give one peak", () => {
  const t = [1, 2, 3, 4, 5, 6, 7, 8];
  const c = [0, 1, 0.5, 0.51, 0.5, 2, 2, 0];
  const p = findPeaks(t, c, { prominence: 0.05 });
  assert.equal(
    p.map((q) => q.index),
    [1, 5],
  ); // the 0.01 bump is not prominent; the plateau 5–6 reports its middle (rounded down)
  assert.ok(Math.abs(p[0]!.prominence - 0.5) < 1e-15); // its right base is the 0.5 valley before the higher peak
  assert.equal(findPeaks([1, 2, 3], [1, 2, 3]), []);
  assert.is(findPeaks(t, c, { prominence: 0 }).length, 3);
});

test("K_n has one C peak; a path's peak sits between the finest and the Fiedler time", () => {
  const k = laplacianRG(complete(10), { flow: false });
  assert.is(k.peaks.length, 1);
  assert.ok(Math.abs(k.finestTime! - 0.1) < 1e-12 && Math.abs(k.fiedlerTime! - 0.1) < 1e-12);
  const p = laplacianRG(path(20), { flow: false });
  assert.ok(p.peaks.length >= 1);
  for (const q of p.peaks) assert.ok(q.tau > p.finestTime! && q.tau < 10 * p.fiedlerTime!);
});

test("directed graphs are symmetrised: A → (A + Aᵀ)/2", () => {
  const d = {
    n: 3,
    directed: true,
    source: Int32Array.of(0, 1),
    target: Int32Array.of(1, 2),
    weight: Float64Array.of(2, 4),
  };
  assert.ok(
    maxAbsDiff(laplacianSpectrum(d), laplacianSpectrum({ ...d, directed: false, weight: Float64Array.of(1, 2) })) <
      1e-12,
  );
});

test("invalid arguments of the spectrum helpers", () => {
  throwsCode(() => spectralCurves([0, 1], [0]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => spectralCurves([0, NaN], [1]), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => spectralCurves([0], [1]), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => spectralCurves([0, 1], [1], { weights: [1] }), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => spectralCurves([0, 1], [1], { weights: [1, -1] }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => spectralCurves([0, 1], [1], { bogus: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => spectralCurves("x" as never, [1]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => tauGrid(0, 1, 10), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tauGrid(2, 1, 10), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => tauGrid(1, 2, 1), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => findPeaks([1, 2], [1]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => findPeaks([1, 2], [1, 2], { prominence: 2 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(
    () =>
      laplacianSpectrum({
        n: 0,
        directed: false,
        source: new Int32Array(0),
        target: new Int32Array(0),
        weight: new Float64Array(0),
      }),
    DgrnRangeError,
    ErrorCode.OUT_OF_RANGE,
  );
});

test.run();
