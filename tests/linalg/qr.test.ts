import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  qr,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
} from "../helpers/setup.js";
import { frob, frobDiff, mat, naiveMul, orthError, randomMatrix } from "./util.js";

const test = suite("linalg/qr");

test("A = QR, QᵀQ = I, R upper triangular with diag ≥ 0: tall, square, wide, rank-deficient", () => {
  const cases = [
    randomMatrix(1, 1, 1),
    randomMatrix(5, 3, 2),
    randomMatrix(3, 5, 3),
    randomMatrix(40, 40, 4),
    randomMatrix(101, 37, 5),
    randomMatrix(20, 60, 6),
    naiveMul(randomMatrix(30, 4, 7), randomMatrix(4, 12, 8)),
    mat(4, 3, new Float64Array(12)),
  ];
  for (const a of cases) {
    const { q, r } = qr(a);
    const k = Math.min(a.rows, a.cols);
    assert.is(q.rows, a.rows);
    assert.is(q.cols, k);
    assert.is(r.rows, k);
    assert.is(r.cols, a.cols);
    assert.ok(
      frobDiff(naiveMul(q, r).data, a.data) <= 1e-13 * Math.max(1, frob(a.data)),
      `${a.rows}×${a.cols} residual`,
    );
    assert.ok(orthError(q) < 1e-13, `${a.rows}×${a.cols} orthogonality ${orthError(q)}`);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < Math.min(i, a.cols); j++) assert.is(r.data[i * a.cols + j], 0);
      assert.ok(r.data[i * a.cols + i]! >= 0);
    }
  }
});

test("closed form: QR of [[3], [4]] and of [[1, 1], [1, −1]]", () => {
  const a = qr(mat(2, 1, [3, 4]));
  assert.ok(maxAbsDiff(a.q.data, [0.6, 0.8]) < 1e-15);
  assert.ok(maxAbsDiff(a.r.data, [5]) < 1e-15);
  const s = Math.SQRT1_2;
  const b = qr(mat(2, 2, [1, 1, 1, -1]));
  assert.ok(maxAbsDiff(b.q.data, [s, s, s, -s]) < 1e-15);
  assert.ok(maxAbsDiff(b.r.data, [Math.SQRT2, 0, 0, Math.SQRT2]) < 1e-15);
});

test("input not mutated", () => {
  const a = randomMatrix(6, 4, 9);
  const c = a.data.slice();
  qr(a);
  assert.equal(Array.from(a.data), Array.from(c));
});

test("invalid: a not a matrix", () => throwsCode(() => qr("a" as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: data length", () => throwsCode(() => qr(mat(2, 2, [1])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: infinite entry", () =>
  throwsCode(() => qr(mat(1, 1, [-Infinity])), DgrnRangeError, ErrorCode.NOT_FINITE));

test.run();
