/**
 * Entropy and specific heat of the Laplacian density matrix from a spectrum,
 * the τ grid, and the peaks of C(τ).
 *
 *   ρ(τ) = e^{−τL} / Tr e^{−τL},   μ_i = e^{−τλ_i} / Z
 *   S(τ) = −(1/ln N) Σ μ_i ln μ_i = [ln Z + τ⟨λ⟩] / ln N
 *   C(τ) = −dS/d ln τ = τ² Var_μ(λ) / ln N
 *
 * (Villegas, Gili, Caldarelli & Gabrielli, Nat. Phys. 19, 445–450, 2023.)
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, ErrorCode } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import { checkInteger, checkNumber, checkOptions, checkVector, message } from "../validate.js";
import type { LrgExports } from "./kernel.js";
import { exp, log } from "../math.js";

/** Entropy and specific heat on a τ grid. */
export interface SpectralCurves {
  /** S(τ), normalised by ln N: 1 at τ = 0, ln(#components)/ln N as τ → ∞. */
  entropy: Float64Array;
  /** C(τ) = τ² Var_μ(λ) / ln N. */
  specificHeat: Float64Array;
}

/** Options of {@link spectralCurves}. */
export interface SpectralCurvesOptions {
  /** Quadrature weights w_k (μ_k ∝ w_k e^{−τθ_k}); default all 1 (an exact spectrum). */
  weights?: ArrayLike<number>;
  /** N in the ln N normalisation; default the number of eigenvalues. Must be ≥ 2. */
  n?: number;
}

/** Check a τ grid: finite, > 0. */
export function checkTau(name: string, tau: unknown): Float64Array {
  const t = checkVector(name, tau);
  for (let i = 0; i < t.length; i++) {
    if (!(t[i]! > 0)) throw new DgrnRangeError(message(`${name}[${i}]`, "a positive number", t[i]));
  }
  return t;
}

/** Unchecked core of {@link spectralCurves} (inputs already validated). */
export function curvesCore(theta: Float64Array, weights: Float64Array, tau: Float64Array, n: number): SpectralCurves {
  const k = getKernel();
  const f = k.fn<LrgExports>();
  const m = theta.length,
    nt = tau.length;
  return k.scope((s) => {
    const sp = s.f64(nt),
      cp = s.f64(nt);
    f.lrgSpectralCurves(
      m,
      s.copyF64(theta),
      s.copyF64(weights),
      nt,
      s.copyF64(tau),
      1 / log(n),
      sp,
      cp,
      s.bytes(f.lrgSpectralWorkSize(m)),
    );
    return { entropy: k.readF64(sp, nt), specificHeat: k.readF64(cp, nt) };
  });
}

/**
 * S(τ) and C(τ) of the spectrum `eigenvalues` for every τ in `tau`, computed
 * stably (exponents shifted by λ_min; the variance in two passes), so τλ of
 * 10⁴ and beyond gives neither overflow nor NaN.
 *
 * @param eigenvalues - the Laplacian spectrum (any order; finite)
 * @param tau - diffusion times, each > 0
 * @param options - `weights` (quadrature weights, default 1) and `n` (N of ln N, default eigenvalues.length)
 * @returns `{ entropy, specificHeat }`, each of tau.length
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞; `ERR_OUT_OF_RANGE` for τ ≤ 0, N < 2 or a negative weight
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when weights and eigenvalues differ in length
 * @example
 * ```ts
 * await init();
 * // K_4: eigenvalues 0, 4, 4, 4
 * const { entropy, specificHeat } = spectralCurves([0, 4, 4, 4], [0.01, 0.1, 1]);
 * ```
 */
export function spectralCurves(
  eigenvalues: ArrayLike<number>,
  tau: ArrayLike<number>,
  options?: SpectralCurvesOptions,
): SpectralCurves {
  const lam = checkVector("eigenvalues", eigenvalues);
  const t = checkTau("tau", tau);
  const o = checkOptions<SpectralCurvesOptions>("options", options, ["weights", "n"]);
  const n = o.n === undefined ? lam.length : checkInteger("options.n", o.n, { min: 2 });
  if (lam.length === 0) throw new DgrnRangeError(message("eigenvalues.length", "at least 1", 0));
  if (n < 2)
    throw new DgrnRangeError(message("eigenvalues.length", "at least 2 (S is normalised by ln N)", lam.length));
  let w: Float64Array;
  if (o.weights === undefined) w = new Float64Array(lam.length).fill(1);
  else {
    w = checkVector("options.weights", o.weights);
    if (w.length !== lam.length)
      throw new DgrnShapeError(message("options.weights.length", `eigenvalues.length = ${lam.length}`, w.length));
    for (let i = 0; i < w.length; i++)
      if (!(w[i]! >= 0)) throw new DgrnRangeError(message(`options.weights[${i}]`, "a nonnegative number", w[i]));
    if (!w.some((x) => x > 0)) throw new DgrnRangeError(message("options.weights", "not all zero", "all zero"));
  }
  return curvesCore(lam, w, t, n);
}

/**
 * The normalised spectral entropy S(τ) of a Laplacian spectrum.
 *
 * @param eigenvalues - the spectrum (length N ≥ 2)
 * @param tau - diffusion times, each > 0
 * @returns S(τ) ∈ [0, 1]
 * @throws {DgrnRangeError} as {@link spectralCurves}
 * @example
 * ```ts
 * entropyCurve([0, 0, 2, 2], [1e6]); // two components: [ln 2 / ln 4] = [0.5]
 * ```
 */
export function entropyCurve(eigenvalues: ArrayLike<number>, tau: ArrayLike<number>): Float64Array {
  return spectralCurves(eigenvalues, tau).entropy;
}

/**
 * The specific heat C(τ) = τ² Var_μ(λ) / ln N of a Laplacian spectrum.
 *
 * @param eigenvalues - the spectrum (length N ≥ 2)
 * @param tau - diffusion times, each > 0
 * @returns C(τ) ≥ 0
 * @throws {DgrnRangeError} as {@link spectralCurves}
 * @example
 * ```ts
 * specificHeatCurve([0, 2], [1.2]); // the two-level system's peak region
 * ```
 */
export function specificHeatCurve(eigenvalues: ArrayLike<number>, tau: ArrayLike<number>): Float64Array {
  return spectralCurves(eigenvalues, tau).specificHeat;
}

/**
 * `points` log-spaced times from `tauMin` to `tauMax` (both included).
 *
 * @param tauMin - first time, > 0
 * @param tauMax - last time, ≥ tauMin
 * @param points - number of points, ≥ 2 (or 1 when tauMin = tauMax)
 * @returns the grid
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for τ ≤ 0, tauMax < tauMin or points < 1
 * @example
 * ```ts
 * tauGrid(0.01, 100, 5); // [0.01, 0.1, 1, 10, 100]
 * ```
 */
export function tauGrid(tauMin: number, tauMax: number, points: number): Float64Array {
  checkNumber("tauMin", tauMin, { min: 0, minExclusive: true });
  checkNumber("tauMax", tauMax, { min: tauMin });
  checkInteger("points", points, { min: tauMin === tauMax ? 1 : 2 });
  const out = new Float64Array(points);
  const a = log(tauMin),
    b = log(tauMax);
  for (let i = 0; i < points; i++) out[i] = points === 1 ? tauMin : exp(a + ((b - a) * i) / (points - 1));
  out[points - 1] = tauMax;
  out[0] = tauMin;
  return out;
}

/** A peak of C(τ). */
export interface Peak {
  /** Where (a grid point). */
  tau: number;
  /** C at the peak. */
  C: number;
  /** Index in the grid. */
  index: number;
  /** Topographic prominence: height above the higher of the two bases. */
  prominence: number;
  /** Half-width of the error band of C at the peak (0 for an exact spectrum). */
  CError?: number;
  /** The τ range around the peak where C could reach the peak's lower bound (C + band ≥ C_peak − band_peak); grid neighbours for an exact spectrum. */
  tauLow?: number;
  tauHigh?: number;
}

/**
 * Peaks that stand out of their own noise: those of {@link peaksCore} whose
 * prominence exceeds the band at the peak plus the band at the base that sets
 * the prominence (ours). Each carries `CError`, `tauLow` and `tauHigh`.
 */
export function bandedPeaks(t: Float64Array, y: Float64Array, err: Float64Array | null, rel: number): Peak[] {
  const n = y.length;
  const e = err ?? new Float64Array(n);
  const out: Peak[] = [];
  for (const pk of peaksCore(t, y, rel)) {
    const p = pk.index,
      h = y[p]!;
    // the base that sets the prominence: the higher of the two side minima
    let lmin = h,
      li = p;
    for (let a = p - 1; a >= 0 && y[a]! <= h; a--)
      if (y[a]! < lmin) {
        lmin = y[a]!;
        li = a;
      }
    let rmin = h,
      ri = p;
    for (let b = p + 1; b < n && y[b]! <= h; b++)
      if (y[b]! < rmin) {
        rmin = y[b]!;
        ri = b;
      }
    const base = lmin > rmin ? li : ri;
    if (!(pk.prominence > e[p]! + e[base]!)) continue;
    const floor = h - e[p]!;
    let lo = p,
      hi = p;
    if (err) {
      while (lo > 0 && y[lo - 1]! + e[lo - 1]! >= floor) lo--;
      while (hi < n - 1 && y[hi + 1]! + e[hi + 1]! >= floor) hi++;
    }
    out.push({
      ...pk,
      CError: e[p]!,
      tauLow: t[Math.max(0, lo === p ? p - 1 : lo)]!,
      tauHigh: t[Math.min(n - 1, hi === p ? p + 1 : hi)]!,
    });
  }
  return out;
}

/**
 * Interior local maxima of `c` on the grid `tau` whose prominence is at least
 * `prominence` × max(c) (scipy.signal.find_peaks' definition of prominence).
 * A maximum at either end of the grid is not a peak: C may still be rising.
 *
 * @param tau - the grid
 * @param c - C(τ) on the grid
 * @param options - `prominence`: relative threshold in [0, 1], default 0.01
 * @returns the peaks in ascending τ
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when lengths differ
 * @example
 * ```ts
 * findPeaks([1, 2, 3], [0, 1, 0]); // [{ tau: 2, C: 1, index: 1, prominence: 1 }]
 * ```
 */
export function findPeaks(tau: ArrayLike<number>, c: ArrayLike<number>, options?: { prominence?: number }): Peak[] {
  const t = checkVector("tau", tau);
  const y = checkVector("c", c);
  if (y.length !== t.length) throw new DgrnShapeError(message("c.length", `tau.length = ${t.length}`, y.length));
  const o = checkOptions<{ prominence?: number }>("options", options, ["prominence"]);
  const rel = o.prominence === undefined ? 0.01 : checkNumber("options.prominence", o.prominence, { min: 0, max: 1 });
  return peaksCore(t, y, rel);
}

/** Unchecked core of {@link findPeaks}. */
export function peaksCore(t: Float64Array, y: Float64Array, rel: number): Peak[] {
  const n = y.length;
  let ymax = 0;
  for (let i = 0; i < n; i++) ymax = Math.max(ymax, y[i]!);
  if (!(ymax > 0)) return [];
  const out: Peak[] = [];
  let i = 1;
  while (i < n - 1) {
    if (y[i]! > y[i - 1]!) {
      // walk a plateau; its middle is the peak
      let j = i;
      while (j + 1 < n && y[j + 1] === y[i]) j++;
      if (j < n - 1 && y[j + 1]! < y[i]!) {
        const p = (i + j) >> 1;
        const h = y[p]!;
        let lmin = h;
        for (let a = i - 1; a >= 0 && y[a]! <= h; a--) lmin = Math.min(lmin, y[a]!);
        let rmin = h;
        for (let b = j + 1; b < n && y[b]! <= h; b++) rmin = Math.min(rmin, y[b]!);
        // a side that reaches a higher point counts its min up to there; a side
        // that reaches the end counts its min over the whole side (as scipy)
        const prom = h - Math.max(lmin, rmin);
        if (prom >= rel * ymax && prom > 0) out.push({ tau: t[p]!, C: h, index: p, prominence: prom });
      }
      i = j + 1;
    } else i++;
  }
  return out;
}

/** Smallest eigenvalue treated as nonzero: λ > zeroTol(λ_max, n). */
export function zeroTol(lmax: number, n: number): number {
  return Math.max(1e-10 * lmax, 64 * Number.EPSILON * n * lmax, 1e-300);
}

/** λ_2 (the smallest nonzero eigenvalue) and λ_max of an ascending spectrum; λ_2 = 0 when none. */
export function spectralEnds(values: Float64Array): { lambda2: number; lambdaMax: number; zeros: number } {
  const n = values.length;
  const lmax = n ? values[n - 1]! : 0;
  const tol = zeroTol(lmax, n);
  let zeros = 0;
  while (zeros < n && values[zeros]! <= tol) zeros++;
  return { lambda2: zeros < n ? values[zeros]! : 0, lambdaMax: lmax, zeros };
}

export { ErrorCode };

/** A mode still takes part at τ while τλ ≤ this (weight e^{−20} ≈ 2·10⁻⁹, the band floor) (ours). */
export const FINITE_SIZE_ACTIVE = 20;
/**
 * The eigenvalue ratio that counts as a spectral gap (ours): above the ≈ 4 of
 * the lowest two levels of a ring or path (k² spacing), below the ≥ 12 of
 * cliques joined by single edges.
 */
export const FINITE_SIZE_GAP = 6;

/**
 * Split peaks into scales and finite-size peaks (ours, docs/lrg.md). A maximum
 * at τ* < 1/λ_2 is a scale. Beyond the Fiedler time only the lowest modes are
 * active (those with τ*λ ≤ {@link FINITE_SIZE_ACTIVE}); the maximum there is a
 * scale only when a spectral gap separates some of them from the rest
 * (λ_{j+1}/λ_j ≥ {@link FINITE_SIZE_GAP} for an active λ_j: a mesoscale such
 * as weakly joined clusters); without a gap it is the
 * Schottky-like maximum of the discrete lowest modes of a finite graph (a
 * finite torus has one at τ ≈ 2.6/λ_2), reported apart as a finite-size peak.
 * When the known modes end before the active set does, there is no evidence of
 * a gap and the peak is finite-size.
 *
 * @param peaks Peaks of C (ascending τ).
 * @param low Ascending nonzero eigenvalues known exactly (all of them for a dense level, the k deflated ones for SLQ).
 * @param next The first nonzero eigenvalue after `low` (Infinity when `low` is the whole nonzero spectrum).
 * @returns The scales and the finite-size peaks.
 * @example
 * splitFiniteSize(peaks, nonzeroEigenvalues, Infinity).finiteSize // the torus's Fiedler peak
 */
export function splitFiniteSize(
  peaks: readonly Peak[],
  low: ArrayLike<number>,
  next: number,
): { scales: Peak[]; finiteSize: Peak[] } {
  const lambda2 = low.length ? low[0]! : next;
  const scales: Peak[] = [],
    finiteSize: Peak[] = [];
  for (const pk of peaks) {
    if (!(lambda2 > 0 && isFinite(lambda2)) || pk.tau * lambda2 < 1) {
      scales.push(pk);
      continue;
    }
    const cut = FINITE_SIZE_ACTIVE / pk.tau;
    let gap = false;
    for (let j = 0; j < low.length && low[j]! <= cut && !gap; j++) {
      const above = j + 1 < low.length ? low[j + 1]! : next;
      if (above >= FINITE_SIZE_GAP * low[j]!) gap = true;
    }
    (gap ? scales : finiteSize).push(pk);
  }
  return { scales, finiteSize };
}
