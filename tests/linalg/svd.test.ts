import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  svd,
  truncatedSvd,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
  type Matrix,
} from "../helpers/setup.js";
import { frob, frobDiff, mat, naiveMul, orthError, randomMatrix, usv } from "./util.js";

const test = suite("linalg/svd");

function checkSvd(a: Matrix, tol = 1e-12): void {
  const { u, s, v } = svd(a);
  const k = Math.min(a.rows, a.cols);
  assert.is(s.length, k);
  assert.is(u!.rows, a.rows);
  assert.is(u!.cols, k);
  assert.is(v!.rows, a.cols);
  assert.is(v!.cols, k);
  for (let i = 1; i < k; i++) assert.ok(s[i]! <= s[i - 1]!, "descending");
  for (let i = 0; i < k; i++) assert.ok(s[i]! >= 0, "nonnegative");
  const an = frob(a.data);
  const res = frobDiff(usv(u!, s, v!), a.data) / (an || 1);
  assert.ok(res < tol, `${a.rows}×${a.cols}: ‖A − UΣVᵀ‖/‖A‖ = ${res}`);
  assert.ok(orthError(u!) < tol, `${a.rows}×${a.cols}: ‖UᵀU − I‖ = ${orthError(u!)}`);
  assert.ok(orthError(v!) < tol, `${a.rows}×${a.cols}: ‖VᵀV − I‖ = ${orthError(v!)}`);
}

test("tall, wide and square random matrices", () => {
  const shapes = [
    [1, 1],
    [1, 7],
    [7, 1],
    [2, 2],
    [5, 3],
    [3, 5],
    [16, 16],
    [33, 17],
    [17, 33],
    [100, 40],
    [40, 100],
    [64, 63],
  ];
  for (const [m, n] of shapes) checkSvd(randomMatrix(m!, n!, m! * 100 + n!));
});

test("rank-deficient inputs (rank r products, a zero column, the zero matrix)", () => {
  for (const [m, n, r] of [
    [30, 20, 5],
    [20, 30, 5],
    [25, 25, 1],
    [12, 8, 0],
  ]) {
    const a =
      r === 0
        ? mat(m!, n!, new Float64Array(m! * n!))
        : naiveMul(randomMatrix(m!, r!, m! + r!), randomMatrix(r!, n!, n! + 3 * r!));
    checkSvd(a);
    const { s } = svd(a, { vectors: false });
    for (let i = r!; i < s.length; i++) assert.ok(s[i]! <= 1e-13 * Math.max(1, s[0]!), `σ_${i} = ${s[i]}`);
  }
  const z = randomMatrix(10, 6, 9);
  for (let i = 0; i < 10; i++) z.data[i * 6 + 2] = 0;
  checkSvd(z);
});

test("tall 0/1 sample matrices with exact column dependencies and a 1e-157 column converge", () => {
  const m = 300;
  const c = 12;
  for (let trial = 0; trial < 5; trial++) {
    const b = new Float64Array(m * c);
    for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) b[i * c + j] = (i * (j + 3) + trial) % 7 < 2 ? 1 : 0;
    for (let i = 0; i < m; i++) {
      b[i * c + 5] = b[i * c + 1]! + b[i * c + 2]!;
      b[i * c + 9] = 1e-157 * b[i * c + 3]!;
      b[i * c + 11] = b[i * c + 1]!;
    }
    checkSvd(mat(m, c, b));
    checkSvd(mat(c, m, transposeData(b, m, c))); // the wide case
  }
});

function transposeData(b: Float64Array, m: number, c: number): Float64Array {
  const t = new Float64Array(m * c);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) t[j * m + i] = b[i * c + j]!;
  return t;
}

test("closed form: singular values of a diagonal and of an orthogonal-times-diagonal matrix", () => {
  const { s } = svd(mat(3, 3, [0, 0, -2, 5, 0, 0, 0, 1, 0]));
  assert.ok(maxAbsDiff(s, [5, 2, 1]) < 1e-15);
  // the n×n matrix with a_ij = 1: one singular value n, the rest 0
  const n = 9;
  const ones = svd(mat(n, n, new Float64Array(n * n).fill(1)));
  assert.ok(Math.abs(ones.s[0]! - n) < 1e-13);
  for (let i = 1; i < n; i++) assert.ok(ones.s[i]! < 1e-13);
  checkSvd(mat(n, n, new Float64Array(n * n).fill(1)));
});

test("truncatedSvd: tail ≤ tol·‖A‖_F exactly at the boundary (σ = 4, 3 → ‖A‖ = 5)", () => {
  const a = mat(2, 2, [4, 0, 0, 3]);
  // dropping σ=3 leaves a tail of 3 = 0.6·5: allowed at tol = 0.6, not just below it
  let t = truncatedSvd(a, { tol: 0.6 });
  assert.is(t.rank, 1);
  assert.is(t.discarded, 3);
  t = truncatedSvd(a, { tol: 0.6 - 1e-12 });
  assert.is(t.rank, 2);
  assert.is(t.discarded, 0);
  // dropping both leaves 5 = 1·5
  assert.is(truncatedSvd(a, { tol: 1 }).rank, 0);
  assert.is(truncatedSvd(a, { tol: 1 }).discarded, 5);
  assert.is(truncatedSvd(a, { tol: 1 - 1e-12 }).rank, 1);
  assert.is(truncatedSvd(a, {}).rank, 2);
  assert.is(truncatedSvd(a, { maxRank: 1 }).rank, 1);
  assert.is(truncatedSvd(a, { maxRank: 1 }).discarded, 3);
  assert.is(truncatedSvd(a, { maxRank: 0, tol: 0 }).rank, 0);
});

test("truncatedSvd on a random matrix: smallest rank meeting tol, and the truncation error equals `discarded`", () => {
  const a = randomMatrix(40, 25, 77);
  const full = svd(a, { vectors: false }).s;
  const an = frob(a.data);
  for (const tol of [0, 0.05, 0.2, 0.5, 0.9]) {
    const t = truncatedSvd(a, { tol });
    let tail = 0;
    for (let i = t.rank; i < full.length; i++) tail += full[i]! ** 2;
    assert.ok(Math.sqrt(tail) <= tol * an * (1 + 1e-12), `tol ${tol}`);
    if (t.rank > 0)
      assert.ok(Math.sqrt(tail + full[t.rank - 1]! ** 2) > tol * an, `rank ${t.rank} is not the smallest`);
    assert.ok(Math.abs(t.discarded - Math.sqrt(tail)) < 1e-12 * an);
    const err = frobDiff(usv(t.u!, t.s, t.v!), a.data);
    assert.ok(Math.abs(err - t.discarded) < 1e-10 * an, `‖A − A_r‖ ${err} vs ${t.discarded}`);
  }
  // an exactly rank-3 matrix at tol = 0 keeps rank 3 only up to roundoff; a tiny tol finds 3
  const r3 = naiveMul(randomMatrix(20, 3, 1), randomMatrix(3, 15, 2));
  assert.is(truncatedSvd(r3, { tol: 1e-12 }).rank, 3);
});

test("empty shapes: 0×5, 5×0, 0×0", () => {
  const a = svd(mat(0, 5, []));
  assert.is(a.s.length, 0);
  assert.equal([a.u!.rows, a.u!.cols, a.v!.rows, a.v!.cols], [0, 0, 5, 0]);
  const b = svd(mat(5, 0, []));
  assert.equal([b.u!.rows, b.u!.cols, b.v!.rows, b.v!.cols], [5, 0, 0, 0]);
  const t = truncatedSvd(mat(0, 0, []), { tol: 0.5 });
  assert.is(t.rank, 0);
  assert.is(t.discarded, 0);
});

test("values only", () => {
  const a = randomMatrix(13, 9, 4);
  const r = svd(a, { vectors: false });
  assert.is(r.u, null);
  assert.is(r.v, null);
  assert.ok(maxAbsDiff(r.s, svd(a).s) < 1e-14);
});

test("inputs are not mutated", () => {
  const a = randomMatrix(5, 4, 2);
  const c = a.data.slice();
  svd(a);
  truncatedSvd(a, { tol: 0.1 });
  assert.equal(Array.from(a.data), Array.from(c));
});

test("invalid: a not a matrix", () => throwsCode(() => svd(3 as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: data length", () => throwsCode(() => svd(mat(2, 2, [1])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: NaN entry", () => throwsCode(() => svd(mat(1, 2, [1, NaN])), DgrnRangeError, ErrorCode.NOT_FINITE));
test("invalid: negative rows", () =>
  throwsCode(() => svd({ rows: -1, cols: 1, data: new Float64Array(0) }), DgrnRangeError, ErrorCode.OUT_OF_RANGE));
test("invalid: unknown svd option", () =>
  throwsCode(() => svd(mat(1, 1, [1]), { tol: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION));
test("invalid: negative tol", () =>
  throwsCode(() => truncatedSvd(mat(1, 1, [1]), { tol: -0.1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE));
test("invalid: tol not a number", () =>
  throwsCode(() => truncatedSvd(mat(1, 1, [1]), { tol: "1" as never }), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: fractional maxRank", () =>
  throwsCode(() => truncatedSvd(mat(1, 1, [1]), { maxRank: 1.5 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE));
test("invalid: unknown truncatedSvd option", () =>
  throwsCode(() => truncatedSvd(mat(1, 1, [1]), { rank: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION));

test.run();
