import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  expmSym,
  expmSymAction,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
} from "../helpers/setup.js";
import { laplacian, mat, randomSymmetric } from "./util.js";

const test = suite("linalg/expm");

test("one edge: e^{−tL} = ½[[1 + e^{−2t}, 1 − e^{−2t}], …] (closed form)", () => {
  for (const t of [0, 0.1, 1, 7.5]) {
    const e = Math.exp(-2 * t);
    const ref = [(1 + e) / 2, (1 - e) / 2, (1 - e) / 2, (1 + e) / 2];
    assert.ok(maxAbsDiff(expmSym(mat(2, 2, [1, -1, -1, 1]), t).data, ref) < 1e-15);
  }
});

test("complete graph K_n: e^{−tL} = J/n + e^{−nt}(I − J/n)", () => {
  const n = 6;
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j]);
  const L = laplacian(n, edges);
  const t = 0.37;
  const e = Math.exp(-n * t);
  const ref = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ref[i * n + j] = 1 / n + e * ((i === j ? 1 : 0) - 1 / n);
  assert.ok(maxAbsDiff(expmSym(L, t).data, ref) < 1e-14);
});

test("Taylor series reference for a small-norm random symmetric matrix; negative t; action = matrix · v", () => {
  const n = 8;
  const A = randomSymmetric(n, 11);
  for (const t of [0.3, -0.2]) {
    // Σ_k (−tA)^k / k!, 40 terms (‖tA‖ < 3)
    let term = new Float64Array(n * n);
    for (let i = 0; i < n; i++) term[i * n + i] = 1;
    const sum = term.slice();
    for (let k = 1; k < 40; k++) {
      const next = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < n; p++) s += term[i * n + p]! * A.data[p * n + j]!;
          next[i * n + j] = (-t * s) / k;
        }
      term = next;
      for (let i = 0; i < n * n; i++) sum[i] = sum[i]! + term[i]!;
    }
    const E = expmSym(A, t);
    assert.ok(maxAbsDiff(E.data, sum) < 1e-13, `t=${t}`);
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ref[i] = ref[i]! + sum[i * n + j]! * v[j]!;
    assert.ok(maxAbsDiff(expmSymAction(A, t, v), ref) < 1e-13);
  }
});

test("heat kernel conserves mass: 1ᵀ e^{−tL} v = 1ᵀ v for a Laplacian", () => {
  const n = 30;
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) edges.push([i, (i * 7 + 3) % n], [i, (i + 1) % n]);
  const L = laplacian(
    n,
    edges.filter(([a, b]) => a !== b),
  );
  const v = Float64Array.from({ length: n }, (_, i) => (i % 3) - 0.5);
  const out = expmSymAction(L, 2.5, v);
  const s0 = v.reduce((a, b) => a + b, 0);
  const s1 = out.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(s0 - s1) < 1e-12);
});

test("invalid: l not symmetric", () =>
  throwsCode(() => expmSym(mat(2, 2, [0, 1, 2, 0]), 1), DgrnRangeError, ErrorCode.INVALID_DATA));
test("invalid: t not a number", () =>
  throwsCode(() => expmSym(mat(1, 1, [1]), "1" as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: t infinite", () =>
  throwsCode(() => expmSym(mat(1, 1, [1]), Infinity), DgrnRangeError, ErrorCode.NOT_FINITE));
test("invalid: e^{−tλ} overflows", () =>
  throwsCode(() => expmSym(mat(1, 1, [-1]), 1000), DgrnRangeError, ErrorCode.OUT_OF_RANGE));
test("invalid: v length", () =>
  throwsCode(
    () => expmSymAction(mat(2, 2, [1, 0, 0, 1]), 1, new Float64Array(3)),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ));
test("invalid: v not numeric", () =>
  throwsCode(() => expmSymAction(mat(1, 1, [1]), 1, "a" as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: l not square", () =>
  throwsCode(() => expmSymAction(mat(1, 2, [1, 1]), 1, new Float64Array(1)), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));

test.run();
