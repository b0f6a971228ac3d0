// Matrices with known spectra for the linalg tests, built in plain JS from
// seeded Householder products (independent of the kernel), the formula matrix
// the LAPACK fixtures (tests/fixtures/linalg/make_blocked.py) are computed on,
// and the SVD checks the blocked paths share.
import * as assert from "uvu/assert";
import { svd, maxAbsDiff, randomUniform, type Matrix } from "../helpers/setup.js";
import { frob, naiveMul, orthError, usv } from "./util.js";

/** The first k columns of a seeded random orthogonal m×m matrix H_1 ⋯ H_m (plain JS). */
export function orthogonal(m: number, k: number, seed: number): Matrix {
  const q = new Float64Array(m * k);
  for (let i = 0; i < Math.min(m, k); i++) q[i * k + i] = 1;
  const r = randomUniform(m * m, { seed });
  for (let h = m - 1; h >= 0; h--) {
    // H = I − 2 w wᵀ/‖w‖², w random on rows h … m−1, applied from the left
    const w = new Float64Array(m);
    let n2 = 0;
    for (let i = h; i < m; i++) {
      w[i] = 2 * r[h * m + i]! - 1;
      n2 += w[i]! * w[i]!;
    }
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = h; i < m; i++) s += w[i]! * q[i * k + j]!;
      const f = (2 * s) / n2;
      for (let i = h; i < m; i++) q[i * k + j] = q[i * k + j]! - f * w[i]!;
    }
  }
  return { rows: m, cols: k, data: q };
}

/** Q diag(λ) Qᵀ, exactly symmetrised. */
export function symmetricWith(lambda: number[], seed: number): Matrix {
  const n = lambda.length;
  const q = orthogonal(n, n, seed);
  const a = usv(q, lambda, q);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const x = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  return { rows: n, cols: n, data: a };
}

/** U diag(σ) Vᵀ, m×n, σ of length min(m, n). */
export function withSingularValues(m: number, n: number, sigma: number[], seed: number): Matrix {
  const k = sigma.length;
  return { rows: m, cols: n, data: usv(orthogonal(m, k, seed), sigma, orthogonal(n, k, seed + 1)) };
}

/** a_ij = ((131 p + 71 q + 17) mod 1009)/1009 − ½ (p, q = i, j, or sorted when `sym`): the fixtures' input. */
export function formula(m: number, n: number, sym = false): Matrix {
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const [p, q] = sym ? [Math.min(i, j), Math.max(i, j)] : [i, j];
      a[i * n + j] = ((131 * p + 71 * q + 17) % 1009) / 1009 - 0.5;
    }
  return { rows: m, cols: n, data: a };
}

/** Σ descending and ≥ 0, ‖A − UΣVᵀ‖, orthogonality, values (against σ when known, else values-only vs with vectors), A v_i = σ_i u_i. */
export function checkSvd(a: Matrix, sigma: number[] | null, label: string): void {
  const k = Math.min(a.rows, a.cols);
  const { u, s, v } = svd(a);
  const an = frob(a.data);
  for (let i = 1; i < k; i++) assert.ok(s[i]! <= s[i - 1]! && s[i]! >= 0, `${label}: descending, nonnegative`);
  const res = Math.sqrt(usv(u!, s, v!).reduce((t, x, i) => t + (x - a.data[i]!) ** 2, 0)) / (an || 1);
  assert.ok(res < 1e-13, `${label}: ‖A − UΣVᵀ‖/‖A‖ = ${res}`);
  assert.ok(orthError(u!) < 1e-13, `${label}: ‖UᵀU − I‖ = ${orthError(u!)}`);
  assert.ok(orthError(v!) < 1e-13, `${label}: ‖VᵀV − I‖ = ${orthError(v!)}`);
  const vals = svd(a, { vectors: false }).s;
  if (sigma) {
    assert.ok(maxAbsDiff(s, sigma) <= 1e-13 * sigma[0]!, `${label}: values ${maxAbsDiff(s, sigma)}`);
    assert.ok(maxAbsDiff(vals, sigma) <= 1e-13 * sigma[0]!, `${label}: values only ${maxAbsDiff(vals, sigma)}`);
  } else {
    assert.ok(maxAbsDiff(vals, s) <= 1e-13 * (s[0]! || 1), `${label}: values only vs with vectors`);
  }
  const av = naiveMul(a, v!);
  let worst = 0;
  for (let i = 0; i < k; i++) {
    let e = 0;
    for (let r = 0; r < a.rows; r++) e += (av.data[r * k + i]! - s[i]! * u!.data[r * k + i]!) ** 2;
    worst = Math.max(worst, Math.sqrt(e));
  }
  assert.ok(worst < 1e-13 * (s[0]! || 1), `${label}: max ‖A v_i − σ_i u_i‖ = ${worst}`);
}
