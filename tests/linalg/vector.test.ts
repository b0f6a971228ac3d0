import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  kernel,
  dot,
  norm2,
  axpy,
  randomUniform,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";
import type { Blas1Exports } from "../../sdk/linalg/vector.js";

const test = suite("linalg/vector");

test("dot, axpy, norm2 agree with plain loops for every length 0..33 (SIMD body and scalar tail)", () => {
  for (let n = 0; n <= 33; n++) {
    const x = randomUniform(n, { seed: n });
    const y = randomUniform(n, { seed: n + 100 });
    let d = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      d += x[i]! * y[i]!;
      q += x[i]! * x[i]!;
    }
    assert.ok(Math.abs(dot(x, y) - d) <= 1e-14 * Math.max(1, n), `dot n=${n}`);
    assert.ok(Math.abs(norm2(x) - Math.sqrt(q)) <= 1e-14 * Math.max(1, n), `norm2 n=${n}`);
    const z = axpy(-2, x, y);
    for (let i = 0; i < n; i++) assert.is(z[i], y[i]! - 2 * x[i]!);
  }
});

test("norm2 neither overflows nor underflows", () => {
  // naive sqrt(Σx²) gives Infinity and 0 here
  assert.ok(Math.abs(norm2([3e200, 4e200]) / 5e200 - 1) < 4e-16);
  assert.ok(Math.abs(norm2([3e-200, 4e-200]) / 5e-200 - 1) < 4e-16);
});

test("strided kernel ABI: (n, ptr, stride, offset) with a negative stride reads backwards", () => {
  const f = kernel.fn<Blas1Exports>();
  const v = kernel.scope((s) => {
    const x = s.copyF64([9, 1, 9, 2, 9, 3]);
    const y = s.copyF64([10, 20, 30]);
    // x[1], x[3], x[5] = 1, 2, 3 against y reversed = 30, 20, 10
    return f.ddot(3, x, 2, 1, y, -1, 2);
  });
  assert.is(v, 1 * 30 + 2 * 20 + 3 * 10);
});

test("inputs are not mutated", () => {
  const y = new Float64Array([1, 2]);
  axpy(3, [1, 1], y);
  assert.equal([...y], [1, 2]);
});

test("invalid arguments", () => {
  throwsCode(() => dot([1], [1, 2]), DgrnShapeError, ErrorCode.SHAPE_MISMATCH);
  throwsCode(() => dot("ab" as never, [1, 2]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => dot([1, "2"] as never, [1, 2]), DgrnTypeError, ErrorCode.INVALID_TYPE);
  throwsCode(() => axpy(Infinity, [1], [1]), Error as never, ErrorCode.NOT_FINITE);
});

test.run();
