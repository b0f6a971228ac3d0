import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  gemm,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
} from "../helpers/setup.js";
import { mat, naiveMul, randomMatrix, transpose } from "./util.js";

const test = suite("linalg/gemm");

test("against a naive triple loop: many shapes (edges of the 4×4 tile, KC = 256, MC = 64 blocks) × transposes", () => {
  const shapes = [
    [1, 1, 1],
    [1, 5, 3],
    [5, 1, 3],
    [3, 3, 1],
    [4, 4, 4],
    [5, 7, 9],
    [8, 8, 8],
    [13, 17, 11],
    [64, 64, 64],
    [65, 63, 67],
    [70, 9, 300],
    [3, 130, 257],
    [129, 5, 513],
    [33, 1030, 2],
  ];
  let seed = 1;
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const A0 = randomMatrix(m!, k!, seed++);
        const B0 = randomMatrix(k!, n!, seed++);
        const a = transA ? transpose(A0) : A0;
        const b = transB ? transpose(B0) : B0;
        const ref = naiveMul(A0, B0);
        const got = gemm(a, b, { transA, transB });
        assert.is(got.rows, m);
        assert.is(got.cols, n);
        assert.ok(maxAbsDiff(got.data, ref.data) < 1e-13 * k!, `${m}×${n}×${k} ${transA}/${transB}`);
      }
    }
  }
});

test("alpha, beta and c: α A B + β C, c not mutated", () => {
  const a = randomMatrix(7, 5, 1);
  const b = randomMatrix(5, 6, 2);
  const c = randomMatrix(7, 6, 3);
  const c0 = c.data.slice();
  const ab = naiveMul(a, b).data;
  for (const [alpha, beta] of [
    [1, 1],
    [2.5, -0.5],
    [0, 3],
    [-1, 0],
  ]) {
    const got = gemm(a, b, { alpha, beta, c });
    const ref = ab.map((x, i) => alpha! * x + beta! * c.data[i]!);
    assert.ok(maxAbsDiff(got.data, ref) < 1e-14, `${alpha}/${beta}`);
  }
  // default β with c is 1
  assert.ok(
    maxAbsDiff(
      gemm(a, b, { c }).data,
      ab.map((x, i) => x + c.data[i]!),
    ) < 1e-14,
  );
  assert.equal(Array.from(c.data), Array.from(c0));
});

test("empty dimensions: k = 0 gives β C (or zeros), m = 0 or n = 0 an empty matrix", () => {
  const z = gemm(mat(3, 0, []), mat(0, 2, []));
  assert.equal(Array.from(z.data), [0, 0, 0, 0, 0, 0]);
  assert.equal(
    Array.from(gemm(mat(3, 0, []), mat(0, 2, []), { c: mat(3, 2, [1, 2, 3, 4, 5, 6]), beta: 2 }).data),
    [2, 4, 6, 8, 10, 12],
  );
  assert.is(gemm(mat(0, 3, []), mat(3, 2, new Float64Array(6))).data.length, 0);
  assert.is(gemm(mat(2, 3, new Float64Array(6)), mat(3, 0, [])).rows, 2);
});

test("exact small case", () => {
  const a = mat(2, 2, [1, 2, 3, 4]);
  assert.equal(Array.from(gemm(a, a, { transB: true }).data), [5, 11, 11, 25]);
  assert.equal(Array.from(gemm(a, a, { transA: true }).data), [10, 14, 14, 20]);
});

test("invalid: a not a matrix", () =>
  throwsCode(() => gemm(null as never, mat(1, 1, [1])), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: b data length", () =>
  throwsCode(() => gemm(mat(1, 1, [1]), mat(1, 2, [1])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: inner dimensions", () =>
  throwsCode(
    () => gemm(mat(2, 3, new Float64Array(6)), mat(2, 3, new Float64Array(6))),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ));
test("invalid: c shape", () =>
  throwsCode(
    () => gemm(mat(1, 1, [1]), mat(1, 1, [1]), { c: mat(1, 2, [1, 2]) }),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ));
test("invalid: alpha infinite", () =>
  throwsCode(() => gemm(mat(1, 1, [1]), mat(1, 1, [1]), { alpha: Infinity }), DgrnRangeError, ErrorCode.NOT_FINITE));
test("invalid: beta not a number", () =>
  throwsCode(
    () => gemm(mat(1, 1, [1]), mat(1, 1, [1]), { beta: "1" as never }),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ));
test("invalid: transA not a boolean", () =>
  throwsCode(
    () => gemm(mat(1, 1, [1]), mat(1, 1, [1]), { transA: 1 as never }),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ));
test("invalid: unknown option", () =>
  throwsCode(
    () => gemm(mat(1, 1, [1]), mat(1, 1, [1]), { trans: true } as never),
    DgrnRangeError,
    ErrorCode.INVALID_OPTION,
  ));
test("invalid: NaN in a", () =>
  throwsCode(() => gemm(mat(1, 1, [NaN]), mat(1, 1, [1])), DgrnRangeError, ErrorCode.NOT_FINITE));

test.run();
