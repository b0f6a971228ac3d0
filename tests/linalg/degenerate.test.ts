// eigh on degenerate matrices (issue 17): Laplacians with many zero rows, the
// 500×500 case `dgrn run` with {"simulate": {"duration": 0.1}} failed on
// (ERR_NO_CONVERGENCE), graded and glued matrices. Eigenvalues against LAPACK
// through numpy/scipy (tests/fixtures/linalg/make_degenerate.py, committed;
// this test only reads degenerate.json); vectors by reconstruction and
// orthogonality. Before the absolute deflation floor (assembly/linalg/ql.ts
// deflationFloor, eigh.ts house) the pipeline case and the zero-row
// Laplacians failed to converge.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eigh, eighTridiagonal, type Matrix } from "../helpers/setup.js";
import { frob, frobDiff, orthError, usv } from "./util.js";

const fx = JSON.parse(readFileSync(new URL("../fixtures/linalg/degenerate.json", import.meta.url), "utf8")) as {
  dense: Array<{ name: string; n: number; upper: Array<[number, number, number]>; values: number[] }>;
  tridiagonal: Array<{ name: string; d: number[]; e: number[]; values: number[] }>;
};
const test = suite("linalg/degenerate");

function dense(n: number, upper: Array<[number, number, number]>): Matrix {
  const data = new Float64Array(n * n);
  for (const [i, j, v] of upper) data[i * n + j] = data[j * n + i] = v;
  return { rows: n, cols: n, data };
}

const maxAbs = (x: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
};

/** max_i |w_i − ref_i| / (n ε ‖A‖): the backward-stable scale. */
function valueError(w: ArrayLike<number>, ref: number[], norm: number): number {
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(w[i]! - ref[i]!));
  return m / (ref.length * 2.220446049250313e-16 * Math.max(norm, 1e-300));
}

test("the pipeline's 500×500 Laplacian with 462 zero rows: values and vectors (ERR_NO_CONVERGENCE before)", () => {
  const c = fx.dense.find((x) => x.name === "pipeline-500-zero-rows")!;
  const a = dense(c.n, c.upper);
  const norm = maxAbs(a.data);
  const vals = eigh(a, { vectors: false }).values;
  assert.ok(valueError(vals, c.values, norm) < 4, `values-only error ${valueError(vals, c.values, norm)} nε‖A‖`);
  const { values, vectors } = eigh(a);
  assert.ok(valueError(values, c.values, norm) < 4);
  const rec = usv(vectors!, values, vectors!);
  assert.ok(frobDiff(rec, a.data) / frob(a.data) < 1e-12, "reconstruction");
  assert.ok(orthError(vectors!) < 1e-12, "orthogonality");
  // 465 zero eigenvalues (462 zero rows + the connected components' constants)
  assert.is(
    Array.from(values).filter((v) => Math.abs(v) < 1e-10).length,
    c.values.filter((v) => Math.abs(v) < 1e-10).length,
  );
});

test("every dense fixture (zero-row Laplacians, graded, glued Wilkinson): values vs LAPACK syevd, vectors orthonormal", () => {
  for (const c of fx.dense) {
    const a = dense(c.n, c.upper);
    const norm = maxAbs(a.data);
    const { values, vectors } = eigh(a);
    const err = valueError(values, c.values, norm);
    assert.ok(err < 4, `${c.name}: values off by ${err.toFixed(2)} nε‖A‖`);
    const rec = usv(vectors!, values, vectors!);
    const res = frobDiff(rec, a.data) / frob(a.data);
    assert.ok(res < 1e-12, `${c.name}: ‖A − VΛVᵀ‖/‖A‖ = ${res}`);
    assert.ok(orthError(vectors!) < 1e-12, `${c.name}: ‖VᵀV − I‖ = ${orthError(vectors!)}`);
    const vo = eigh(a, { vectors: false }).values;
    assert.ok(valueError(vo, c.values, norm) < 4, `${c.name}: values-only`);
  }
});

test("graded tridiagonals (d_i = 10^(−i/4)): values within nε‖T‖ of LAPACK, the largest three to 1e-13 relative", () => {
  // graded tridiagonal d_i = 10^(−i/4): the smallest eigenvalues are ~1e−29 (n = 120); the absolute floor
  // ε‖T‖ must not wipe them out (the relative test alone decides there)
  for (const c of fx.tridiagonal.filter((x) => x.name.startsWith("graded"))) {
    const { values } = eighTridiagonal(Float64Array.from(c.d), Float64Array.from(c.e));
    const norm = Math.max(maxAbs(c.d), maxAbs(c.e));
    assert.ok(valueError(values, c.values, norm) < 4, c.name);
    // the three largest to 1e-13 relative
    for (let i = c.values.length - 3; i < c.values.length; i++) {
      assert.ok(Math.abs(values[i]! - c.values[i]!) <= 1e-13 * Math.abs(c.values[i]!), `${c.name}: λ${i}`);
    }
  }
});

test("every tridiagonal fixture (graded, glued Wilkinson δ = 1e-14 … 0, round-off blocks): values vs LAPACK stev", () => {
  for (const c of fx.tridiagonal) {
    const norm = Math.max(maxAbs(c.d), maxAbs(c.e));
    for (const want of [false, true]) {
      const { values, vectors } = eighTridiagonal(Float64Array.from(c.d), Float64Array.from(c.e), { vectors: want });
      const err = valueError(values, c.values, norm);
      assert.ok(err < 4, `${c.name} (vectors ${want}): values off by ${err.toFixed(2)} nε‖T‖`);
      if (want) assert.ok(orthError(vectors!) < 1e-12, `${c.name}: ‖VᵀV − I‖ = ${orthError(vectors!)}`);
    }
  }
});

test.run();
