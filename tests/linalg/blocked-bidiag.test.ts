// Issue 20b's paths: the blocked bidiagonalisation (panels of 32 from
// min(m, n) > 128, one GEMM per panel), the TGK divide and conquer forming
// only the non-negative half at its top merge, the one-sqrt hypot in the TGK
// values-only QL, and the back-transformation in blocks of 64 (≥ 400
// reflectors). Known spectra built in plain JS (seeded Householder products,
// independent of the kernel) and LAPACK values from
// tests/fixtures/linalg/make_blocked.py (blocked-bidiag.json).
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eigh, svd, maxAbsDiff, randomUniform } from "../helpers/setup.js";
import { frob, mat, naiveMul, orthError, transpose, usv } from "./util.js";
import { withSingularValues, formula, checkSvd } from "./known.js";

const test = suite("linalg/blocked-bidiag");
const fx = JSON.parse(readFileSync(new URL("../fixtures/linalg/blocked-bidiag.json", import.meta.url), "utf8"));

/** Reconstruction, orthogonality, pairing and (when known) values, all relative to ‖A‖ or σ_max. */

test("blocked bidiagonalisation: random σ, sizes around the panel (129, 160, 161, 193 columns; tall, wide)", () => {
  for (const [m, n] of [
    [129, 129],
    [170, 160],
    [161, 230],
    [260, 193],
  ]) {
    const k = Math.min(m!, n!);
    const sigma = Array.from(randomUniform(k, { seed: k }), (x) => 0.1 + x).sort((x, y) => y - x);
    checkSvd(withSingularValues(m!, n!, sigma, 3 * k), sigma, `${m}×${n}`);
  }
});

test("blocked bidiagonalisation: graded σ 1 … 1e-12 (200×161, 161×200)", () => {
  for (const [m, n] of [
    [200, 161],
    [161, 200],
  ]) {
    const k = Math.min(m!, n!);
    const sigma = Array.from({ length: k }, (_, i) => 10 ** ((-12 * i) / (k - 1)));
    checkSvd(withSingularValues(m!, n!, sigma, m! + n!), sigma, `graded ${m}×${n}`);
  }
});

test("blocked bidiagonalisation: rank-deficient, repeated, duplicated columns, ones, zero (n = 193, 200)", () => {
  const rank = Array.from({ length: 193 }, (_, i) => (i < 100 ? 2 - i / 100 : 0));
  checkSvd(withSingularValues(193, 193, rank, 11), rank, "rank 100 of 193");
  checkSvd(withSingularValues(250, 193, rank, 12), rank, "rank 100, 250×193");
  const rep = Array.from({ length: 193 }, (_, i) => (i < 64 ? 3 : i < 128 ? 2 : 1));
  checkSvd(withSingularValues(193, 193, rep, 13), rep, "repeated 3, 2, 1");
  const b = withSingularValues(
    200,
    200,
    Array.from({ length: 200 }, (_, i) => 1 / (1 + i)),
    14,
  );
  for (let i = 0; i < 200; i++) for (let j = 190; j < 200; j++) b.data[i * 200 + j] = b.data[i * 200 + j - 190]!;
  checkSvd(b, null, "duplicated columns (rank 190 of 200)");
  const t = svd(b, { vectors: false }).s;
  for (let i = 190; i < 200; i++) assert.ok(t[i]! <= 1e-14 * t[0]!, `σ_${i} = ${t[i]}`);
  assert.ok(t[189]! > 1e-4, "rank 190 kept");
  checkSvd(mat(150, 150, new Float64Array(150 * 150).fill(1)), [150, ...new Array(149).fill(0)], "ones 150×150");
  checkSvd(mat(140, 150, new Float64Array(140 * 150)), new Array(140).fill(0), "zero 140×150");
});

test("against LAPACK (numpy): svd 300×200, 200×300, 257×257, 410×400; eigh n = 420 (blocks of 64)", () => {
  for (const key of ["svd_tall", "svd_wide", "svd_square", "svd_big"]) {
    const { rows, cols, s } = fx[key];
    const b = formula(rows, cols);
    const ours = svd(b);
    assert.ok(maxAbsDiff(ours.s, s) < 1e-12, `${key}: ${maxAbsDiff(ours.s, s)}`);
    assert.ok(maxAbsDiff(svd(b, { vectors: false }).s, s) < 1e-12, `${key} values only`);
    if (key !== "svd_big") {
      checkSvd(b, null, key);
      checkSvd(transpose(b), null, `${key}ᵀ`);
    } else {
      // 400 reflectors: U's back-transformation in blocks of 64
      assert.ok(orthError(ours.u!) < 1e-13, `${key}: ‖UᵀU − I‖ = ${orthError(ours.u!)}`);
      assert.ok(orthError(ours.v!) < 1e-13, `${key}: ‖VᵀV − I‖`);
      const res = Math.sqrt(usv(ours.u!, ours.s, ours.v!).reduce((t, x, i) => t + (x - b.data[i]!) ** 2, 0));
      assert.ok(res / frob(b.data) < 1e-13, `${key}: reconstruction ${res / frob(b.data)}`);
    }
  }
  const e = fx.eigh;
  const a = formula(e.n, e.n, true);
  const { values, vectors } = eigh(a);
  assert.ok(maxAbsDiff(values, e.values) < 1e-12, "eigh 420 values");
  const v = vectors!;
  const n = e.n;
  const av = naiveMul(a, v);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) r[i * n + j] = av.data[i * n + j]! - v.data[i * n + j]! * values[j]!;
  assert.ok(frob(r) / frob(a.data) < 1e-13, `eigh 420: ‖AV − VΛ‖/‖A‖ = ${frob(r) / frob(a.data)}`);
  assert.ok(orthError(v) < 1e-13, `eigh 420: ‖VᵀV − I‖ = ${orthError(v)}`);
});

test.run();
