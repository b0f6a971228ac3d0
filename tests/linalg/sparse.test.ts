import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  csrMatVec,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  randomUniform,
  type CsrMatrix,
} from "../helpers/setup.js";

const test = suite("linalg/sparse");

/** CSR from a dense row-major array (independent of the kernel). */
function fromDense(rows: number, cols: number, d: ArrayLike<number>): CsrMatrix {
  const rp = [0];
  const ci: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = cols - 1; j >= 0; j--) {
      // columns in descending order within a row: CSR does not require sorted columns
      if (d[i * cols + j] !== 0) {
        ci.push(j);
        v.push(d[i * cols + j]!);
      }
    }
    rp.push(ci.length);
  }
  return { rows, cols, rowPtr: Int32Array.from(rp), colIdx: Int32Array.from(ci), values: Float64Array.from(v) };
}

test("agrees with the dense product (random sparsity, empty rows, rectangular)", () => {
  for (const [m, n, seed] of [
    [1, 1, 1],
    [5, 3, 2],
    [3, 5, 3],
    [50, 40, 4],
    [7, 0, 5],
    [0, 4, 6],
  ] as const) {
    const u = randomUniform(m * n, { seed });
    const d = Array.from(u, (x, i) => (x < 0.7 ? 0 : Math.sin(i) + 2));
    for (let j = 0; j < n; j++) if (m > 2) d[2 * n + j] = 0; // an empty row
    const x = Float64Array.from({ length: n }, (_, j) => j - 1.5);
    const ref = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ref[i] = ref[i]! + d[i * n + j]! * x[j]!;
    const y = csrMatVec(fromDense(m, n, d), x);
    assert.is(y.length, m);
    for (let i = 0; i < m; i++)
      assert.ok(Math.abs(y[i]! - ref[i]!) < 1e-13 * Math.max(1, Math.abs(ref[i]!)), `${m}×${n} row ${i}`);
  }
});

test("duplicate entries add up", () => {
  const a: CsrMatrix = {
    rows: 1,
    cols: 2,
    rowPtr: new Int32Array([0, 3]),
    colIdx: new Int32Array([0, 0, 1]),
    values: new Float64Array([1, 2, 5]),
  };
  assert.equal(Array.from(csrMatVec(a, new Float64Array([10, 1]))), [35]);
});

const ok = (): CsrMatrix => ({
  rows: 2,
  cols: 2,
  rowPtr: new Int32Array([0, 1, 2]),
  colIdx: new Int32Array([0, 1]),
  values: new Float64Array([1, 1]),
});
const x2 = new Float64Array(2);
test("invalid: a not an object", () =>
  throwsCode(() => csrMatVec(7 as never, x2), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: rowPtr not Int32Array", () =>
  throwsCode(() => csrMatVec({ ...ok(), rowPtr: [0, 1, 2] as never }, x2), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: colIdx not Int32Array", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), colIdx: new Float64Array(2) as never }, x2),
    DgrnTypeError,
    ErrorCode.INVALID_TYPE,
  ));
test("invalid: rowPtr length", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), rowPtr: new Int32Array([0, 2]) }, x2),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ));
test("invalid: colIdx length", () =>
  throwsCode(() => csrMatVec({ ...ok(), colIdx: new Int32Array([0]) }, x2), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: rowPtr[0] ≠ 0", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), rowPtr: new Int32Array([1, 1, 2]) }, x2),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ));
test("invalid: rowPtr decreasing", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), rowPtr: new Int32Array([0, 3, 2]) }, x2),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ));
test("invalid: rowPtr[rows] ≠ nnz", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), rowPtr: new Int32Array([0, 1, 1]) }, x2),
    DgrnRangeError,
    ErrorCode.INVALID_DATA,
  ));
test("invalid: column out of range", () =>
  throwsCode(() => csrMatVec({ ...ok(), colIdx: new Int32Array([0, 2]) }, x2), DgrnRangeError, ErrorCode.INVALID_DATA));
test("invalid: NaN value", () =>
  throwsCode(
    () => csrMatVec({ ...ok(), values: new Float64Array([1, NaN]) }, x2),
    DgrnRangeError,
    ErrorCode.NOT_FINITE,
  ));
test("invalid: x length", () =>
  throwsCode(() => csrMatVec(ok(), new Float64Array(3)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: negative rows", () =>
  throwsCode(() => csrMatVec({ ...ok(), rows: -1 }, x2), DgrnRangeError, ErrorCode.OUT_OF_RANGE));

test.run();
