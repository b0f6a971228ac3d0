// The blocked tridiagonalisation (eigh, n ≥ 160) and the Golub–Kahan SVD
// (bidiagonalisation + the TGK divide and conquer, min(m, n) ≥ 48) on
// matrices with known spectra, built here in plain JS as Q diag(λ) Qᵀ and
// U diag(σ) Vᵀ from seeded Householder products (independent of the kernel),
// and against LAPACK values written by tests/fixtures/linalg/make_blocked.py.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eigh, svd, maxAbsDiff, randomUniform, type Matrix } from "../helpers/setup.js";
import { frob, mat, naiveMul, orthError, transpose } from "./util.js";
import { symmetricWith, withSingularValues, formula, checkSvd } from "./known.js";

const test = suite("linalg/blocked");
const fx = JSON.parse(readFileSync(new URL("../fixtures/linalg/blocked.json", import.meta.url), "utf8"));

function checkEigh(a: Matrix, lambda: number[], label: string): void {
  const n = a.rows;
  const { values, vectors } = eigh(a);
  const v = vectors!;
  const sorted = [...lambda].sort((x, y) => x - y);
  const scale = Math.max(...lambda.map(Math.abs));
  assert.ok(maxAbsDiff(values, sorted) < 1e-13 * scale * Math.sqrt(n), `${label}: values`);
  assert.ok(
    maxAbsDiff(eigh(a, { vectors: false }).values, sorted) < 1e-13 * scale * Math.sqrt(n),
    `${label}: values only`,
  );
  const av = naiveMul(a, v);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) r[i * n + j] = av.data[i * n + j]! - v.data[i * n + j]! * values[j]!;
  const res = frob(r) / frob(a.data);
  assert.ok(res < 1e-13, `${label}: ‖AV − VΛ‖/‖A‖ = ${res}`);
  assert.ok(orthError(v) < 1e-13, `${label}: ‖VᵀV − I‖ = ${orthError(v)}`);
}

test("eigh, blocked path: random spectra, n = 160, 161, 203, 257 (not multiples of the panel of 32)", () => {
  for (const n of [160, 161, 203, 257]) {
    const u = randomUniform(n, { seed: n });
    const lambda = Array.from(u, (x) => 4 * x - 2);
    checkEigh(symmetricWith(lambda, 1000 + n), lambda, `n=${n}`);
  }
});

test("eigh, blocked path: repeated, graded and rank-deficient spectra (n = 190)", () => {
  const n = 190;
  const rep = Array.from({ length: n }, (_, i) => (i < 60 ? 3 : i < 130 ? -1 : 0.5));
  checkEigh(symmetricWith(rep, 1), rep, "repeated");
  const graded = Array.from({ length: n }, (_, i) => 10 ** ((-12 * i) / (n - 1)));
  checkEigh(symmetricWith(graded, 2), graded, "graded");
  const rank = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 + i / n : 0));
  checkEigh(symmetricWith(rank, 3), rank, "rank 64");
});

test("svd, Golub–Kahan path: graded singular values 1 … 1e-12 (square, tall, wide)", () => {
  for (const [m, n] of [
    [120, 120],
    [150, 100],
    [100, 150],
  ]) {
    const k = Math.min(m!, n!);
    const sigma = Array.from({ length: k }, (_, i) => 10 ** ((-12 * i) / (k - 1)));
    checkSvd(withSingularValues(m!, n!, sigma, m! + n!), sigma, `graded ${m}×${n}`);
  }
});

test("svd, Golub–Kahan path: rank-deficient, repeated, thresholds (48, 49, 97)", () => {
  const rank = Array.from({ length: 120 }, (_, i) => (i < 70 ? 2 - i / 70 : 0));
  checkSvd(withSingularValues(120, 120, rank, 5), rank, "rank 70 of 120");
  checkSvd(withSingularValues(200, 120, rank, 6), rank, "rank 70, 200×120");
  checkSvd(withSingularValues(120, 200, rank, 7), rank, "rank 70, 120×200");
  const rep = Array.from({ length: 120 }, (_, i) => (i < 40 ? 3 : i < 80 ? 2 : 1));
  checkSvd(withSingularValues(120, 120, rep, 8), rep, "repeated");
  for (const n of [48, 49, 97]) {
    const sigma = Array.from(randomUniform(n, { seed: n }), (x) => 0.1 + x).sort((x, y) => y - x);
    checkSvd(withSingularValues(n + 3, n, sigma, 10 * n), sigma, `${n + 3}×${n}`);
  }
  // rank one (all ones) and the exact zero matrix
  const ones = mat(60, 60, new Float64Array(3600).fill(1));
  checkSvd(ones, [60, ...new Array(59).fill(0)], "ones 60×60");
  checkSvd(mat(50, 60, new Float64Array(3000)), new Array(50).fill(0), "zero 50×60");
  // rank deficiency by duplicated columns (the benchmark's rank-497-of-500 kind)
  const b = withSingularValues(
    80,
    80,
    Array.from({ length: 80 }, (_, i) => 1 / (1 + i)),
    9,
  );
  for (let i = 0; i < 80; i++) for (let j = 75; j < 80; j++) b.data[i * 80 + j] = b.data[i * 80 + j - 75]!;
  checkSvd(b, null, "duplicated columns");
  const t = svd(b, { vectors: false }).s;
  for (let i = 75; i < 80; i++) assert.ok(t[i]! <= 1e-14 * t[0]!, `σ_${i} = ${t[i]}`);
  assert.ok(t[74]! > 1e-4, "rank 75 kept");
});

test("n = 1, 2: closed forms", () => {
  assert.ok(maxAbsDiff(eigh(mat(1, 1, [-3])).values, [-3]) === 0);
  assert.ok(maxAbsDiff(eigh(mat(2, 2, [2, 1, 1, 2])).values, [1, 3]) < 1e-15);
  assert.ok(maxAbsDiff(svd(mat(1, 1, [-3])).s, [3]) === 0);
  assert.ok(maxAbsDiff(svd(mat(2, 2, [3, 0, 0, -4])).s, [4, 3]) < 1e-15);
});

test("against LAPACK (numpy): eigh n = 203, svd 150×97, 97×150, 130×130", () => {
  const e = fx.eigh;
  const a = formula(e.n, e.n, true);
  assert.ok(maxAbsDiff(eigh(a).values, e.values) < 1e-12);
  assert.ok(maxAbsDiff(eigh(a, { vectors: false }).values, e.values) < 1e-12);
  for (const key of ["svd_tall", "svd_wide", "svd_square"]) {
    const { rows, cols, s } = fx[key];
    const b = formula(rows, cols);
    assert.ok(maxAbsDiff(svd(b).s, s) < 1e-12, key);
    assert.ok(maxAbsDiff(svd(b, { vectors: false }).s, s) < 1e-12, `${key} values only`);
    checkSvd(b, null, key);
    checkSvd(transpose(b), null, `${key}ᵀ`);
  }
});

test.run();
