import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  eigh,
  eighTridiagonal,
  DgrnRangeError,
  DgrnShapeError,
  DgrnTypeError,
  ErrorCode,
  throwsCode,
  maxAbsDiff,
  type Matrix,
} from "../helpers/setup.js";
import { frob, frobDiff, laplacian, mat, orthError, randomSymmetric, sortedAsc, usv } from "./util.js";

const test = suite("linalg/eigh");

/** Check A = V Λ Vᵀ, VᵀV = I and ascending order; returns the relative residual. */
function checkDecomposition(a: Matrix, tol = 1e-12): void {
  const { values, vectors } = eigh(a);
  const n = a.rows;
  assert.is(values.length, n);
  for (let i = 1; i < n; i++) assert.ok(values[i]! >= values[i - 1]!, `ascending at ${i}`);
  const V = vectors!;
  const rec = usv(V, values, V);
  const an = frob(a.data);
  const res = an === 0 ? frob(rec) : frobDiff(rec, a.data) / an;
  assert.ok(res < tol, `n=${n}: ‖A − VΛVᵀ‖/‖A‖ = ${res}`);
  const o = orthError(V);
  assert.ok(o < tol, `n=${n}: ‖VᵀV − I‖ = ${o}`);
}

test("random symmetric n = 1…200 (sampled): reconstruction and orthogonality < 1e-12", () => {
  // every n up to 60 (leaf QL below 25, divide and conquer above), then a sample to 200
  const sizes = [...Array.from({ length: 60 }, (_, i) => i + 1), 64, 65, 99, 100, 128, 150, 199, 200];
  for (const n of sizes) checkDecomposition(randomSymmetric(n, 1000 + n));
});

test("repeated eigenvalues: Q diag(1,1,1,2,2,5,…) Qᵀ", () => {
  const n = 40;
  // Q from the eigenvectors of a random symmetric matrix (an orthogonal matrix)
  const Q = eigh(randomSymmetric(n, 7)).vectors!;
  const lam = Array.from({ length: n }, (_, i) => (i < 10 ? 1 : i < 25 ? 2 : i < 30 ? -3 : 5));
  const a = mat(n, n, usv(Q, lam, Q));
  checkDecomposition(a);
  assert.ok(maxAbsDiff(eigh(a, { vectors: false }).values, sortedAsc(lam)) < 1e-13);
});

test("diagonal matrix: values are the sorted diagonal, vectors a signed permutation", () => {
  const d = [3, -1, 4, 1, -5, 9, 2, 6, 0, 0];
  const n = d.length;
  const a = new Float64Array(n * n);
  d.forEach((x, i) => (a[i * n + i] = x));
  const { values, vectors } = eigh(mat(n, n, a));
  assert.equal(Array.from(values), sortedAsc(d));
  for (const x of vectors!.data) assert.ok(x === 0 || Math.abs(x) === 1);
  checkDecomposition(mat(n, n, a));
});

test("zero matrix: zero values and an orthonormal basis", () => {
  for (const n of [1, 5, 20, 60]) {
    const { values, vectors } = eigh(mat(n, n, new Float64Array(n * n)));
    assert.equal(Array.from(values), new Array(n).fill(0));
    assert.ok(orthError(vectors!) < 1e-15);
  }
});

test("graded matrix (entries 10^(−i−j)): normwise backward stable", () => {
  const n = 12;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) a[i * n + j] = Math.pow(10, -(i + j)) * (1 + 0.1 * Math.cos(i * 3 + j * 3));
  checkDecomposition(mat(n, n, a));
  // and the reverse grading
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = a[(n - 1 - i) * n + (n - 1 - j)]!;
  checkDecomposition(mat(n, n, b));
});

test("hard cases for divide and conquer: glued Wilkinson matrices, a large diagonal, tiny couplings", () => {
  // W21+ glued 4 times with δ = 1e-10 (clusters of near-equal eigenvalues)
  const blocks = 4;
  const m = 21;
  const n = blocks * m;
  const d = new Float64Array(n);
  const e = new Float64Array(n - 1);
  for (let b = 0; b < blocks; b++) for (let i = 0; i < m; i++) d[b * m + i] = Math.abs(i - 10);
  for (let i = 0; i < n - 1; i++) e[i] = (i + 1) % m === 0 ? 1e-10 : 1;
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    full[i * n + i] = d[i]!;
    if (i + 1 < n) full[i * n + i + 1] = full[(i + 1) * n + i] = e[i]!;
  }
  checkDecomposition(mat(n, n, full));
  const t = eighTridiagonal(d, e);
  assert.ok(frobDiff(usv(t.vectors!, t.values, t.vectors!), full) < 1e-12 * frob(full));
  assert.ok(orthError(t.vectors!) < 1e-12);
  // a 70×70 diagonal (every merge fully deflated)
  const dd = Array.from({ length: 70 }, (_, i) => Math.cos(i * 1.7) * 10);
  const D = new Float64Array(70 * 70);
  dd.forEach((x, i) => (D[i * 70 + i] = x));
  assert.equal(Array.from(eigh(mat(70, 70, D)).values), sortedAsc(dd));
  checkDecomposition(mat(70, 70, D));
  // a tridiagonal with couplings from 1 down to 1e-300
  const n3 = 90;
  const d3 = Float64Array.from({ length: n3 }, (_, i) => Math.sin(i));
  const e3 = Float64Array.from({ length: n3 - 1 }, (_, i) => Math.pow(10, -((i * 7) % 300)));
  const t3 = eighTridiagonal(d3, e3);
  const f3 = new Float64Array(n3 * n3);
  for (let i = 0; i < n3; i++) {
    f3[i * n3 + i] = d3[i]!;
    if (i + 1 < n3) f3[i * n3 + i + 1] = f3[(i + 1) * n3 + i] = e3[i]!;
  }
  assert.ok(frobDiff(usv(t3.vectors!, t3.values, t3.vectors!), f3) < 1e-12 * frob(f3));
  assert.ok(orthError(t3.vectors!) < 1e-12);
});

test("graded matrix n = 100 (through divide and conquer)", () => {
  const n = 100;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) a[i * n + j] = Math.pow(2, -(i + j) / 4) * Math.cos(i * j + 1);
  checkDecomposition(mat(n, n, a));
});

test("Laplacian of a graph with 5 components (n = 150): 0 has multiplicity 5, reconstruction holds", () => {
  const n = 150;
  const comps = 5;
  const edges: Array<[number, number]> = [];
  // node i is in component i % 5; a ring plus chords inside each component
  for (let i = 0; i < n; i++) {
    const j = (i + comps) % n;
    edges.push([i, j]);
    const k = (i + 7 * comps) % n;
    if (i % 3 === 0) edges.push([i, k]);
  }
  const L = laplacian(n, edges);
  const { values } = eigh(L);
  const zeros = Array.from(values).filter((x) => Math.abs(x) < 1e-10).length;
  assert.is(zeros, comps);
  checkDecomposition(L);
  // and the 0/1 adjacency matrix of the same graph (integer-valued, clustered spectrum)
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && L.data[i * n + j]! !== 0) A[i * n + j] = 1;
  checkDecomposition(mat(n, n, A));
});

test("values only agree with values + vectors", () => {
  const a = randomSymmetric(37, 5);
  assert.ok(maxAbsDiff(eigh(a, { vectors: false }).values, eigh(a).values) < 1e-13);
  assert.is(eigh(a, { vectors: false }).vectors, null);
});

// Closed-form Laplacian spectra (Brouwer & Haemers, Spectra of Graphs, §1.4).
const path = (n: number) =>
  laplacian(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
  );
const cycle = (n: number) =>
  laplacian(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
  );
const star = (n: number) =>
  laplacian(
    n,
    Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number]),
  );
const complete = (n: number) => {
  const e: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e.push([i, j]);
  return laplacian(n, e);
};

test("path graph P_n: λ_k = 2 − 2cos(πk/n), k = 0…n−1", () => {
  for (const n of [2, 3, 10, 57]) {
    const ref = sortedAsc(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * k) / n)));
    assert.ok(maxAbsDiff(eigh(path(n)).values, ref) < 1e-13, `P_${n}`);
  }
});

test("cycle graph C_n: λ_k = 2 − 2cos(2πk/n) (double eigenvalues)", () => {
  for (const n of [3, 4, 9, 64]) {
    const ref = sortedAsc(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((2 * Math.PI * k) / n)));
    assert.ok(maxAbsDiff(eigh(cycle(n)).values, ref) < 1e-13, `C_${n}`);
    checkDecomposition(cycle(n));
  }
});

test("star graph S_n: 0, 1 (n−2 times), n", () => {
  for (const n of [2, 3, 8, 40]) {
    const ref = [0, ...new Array(n - 2).fill(1), n];
    assert.ok(maxAbsDiff(eigh(star(n)).values, ref) < 1e-12, `S_${n}`);
  }
});

test("complete graph K_n: 0, n (n−1 times)", () => {
  for (const n of [2, 5, 30]) {
    const ref = [0, ...new Array(n - 1).fill(n)];
    assert.ok(maxAbsDiff(eigh(complete(n)).values, ref) < 1e-12, `K_${n}`);
    checkDecomposition(complete(n));
  }
});

test("tridiagonal Toeplitz (a, b): λ_k = a + 2b cos(πk/(n+1)); eighTridiagonal and eigh agree", () => {
  for (const [n, a, b] of [
    [1, 2, 0],
    [2, 1, 3],
    [7, -1, 0.5],
    [50, 2, -1],
    [120, 0.3, 2],
  ] as const) {
    const ref = sortedAsc(Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos((Math.PI * (k + 1)) / (n + 1))));
    const d = new Float64Array(n).fill(a);
    const e = new Float64Array(Math.max(0, n - 1)).fill(b);
    const t = eighTridiagonal(d, e);
    assert.ok(maxAbsDiff(t.values, ref) < 1e-13 * Math.max(1, Math.abs(a) + 2 * Math.abs(b)), `toeplitz n=${n}`);
    const full = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      full[i * n + i] = a;
      if (i + 1 < n) full[i * n + i + 1] = full[(i + 1) * n + i] = b;
    }
    const T = mat(n, n, full);
    assert.ok(frobDiff(usv(t.vectors!, t.values, t.vectors!), full) <= 1e-12 * Math.max(1, frob(full)));
    assert.ok(orthError(t.vectors!) < 1e-12);
    assert.ok(maxAbsDiff(eigh(T).values, ref) < 1e-12 * Math.max(1, Math.abs(a) + 2 * Math.abs(b)));
  }
  assert.is(eighTridiagonal(new Float64Array(0), new Float64Array(0)).values.length, 0);
});

test("empty and 1×1 inputs", () => {
  const e = eigh(mat(0, 0, []));
  assert.is(e.values.length, 0);
  assert.is(e.vectors!.rows, 0);
  const one = eigh(mat(1, 1, [-2.5]));
  assert.equal(Array.from(one.values), [-2.5]);
  assert.equal(Array.from(one.vectors!.data), [1]);
});

test("inputs are not mutated", () => {
  const a = randomSymmetric(6, 3);
  const copy = a.data.slice();
  eigh(a);
  assert.equal(Array.from(a.data), Array.from(copy));
  const d = new Float64Array([1, 2, 3]);
  const e = new Float64Array([1, 1]);
  eighTridiagonal(d, e);
  assert.equal(Array.from(d), [1, 2, 3]);
  assert.equal(Array.from(e), [1, 1]);
});

test("invalid: a not a matrix", () => throwsCode(() => eigh(null as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: a not square", () =>
  throwsCode(() => eigh(mat(2, 3, [1, 2, 3, 4, 5, 6])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: data length", () =>
  throwsCode(() => eigh(mat(2, 2, [1, 2, 3])), DgrnShapeError, ErrorCode.SHAPE_MISMATCH));
test("invalid: NaN entry", () => throwsCode(() => eigh(mat(1, 1, [NaN])), DgrnRangeError, ErrorCode.NOT_FINITE));
test("invalid: not symmetric", () =>
  throwsCode(() => eigh(mat(2, 2, [1, 2, 3, 4])), DgrnRangeError, ErrorCode.INVALID_DATA));
test("invalid: unknown option", () =>
  throwsCode(() => eigh(mat(1, 1, [1]), { vector: true } as never), DgrnRangeError, ErrorCode.INVALID_OPTION));
test("invalid: vectors not a boolean", () =>
  throwsCode(() => eigh(mat(1, 1, [1]), { vectors: 1 } as never), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: offdiag length", () =>
  throwsCode(
    () => eighTridiagonal(new Float64Array(3), new Float64Array(3)),
    DgrnShapeError,
    ErrorCode.SHAPE_MISMATCH,
  ));
test("invalid: diag not numeric", () =>
  throwsCode(() => eighTridiagonal("x" as never, new Float64Array(0)), DgrnTypeError, ErrorCode.INVALID_TYPE));
test("invalid: offdiag infinite", () =>
  throwsCode(
    () => eighTridiagonal(new Float64Array(2), new Float64Array([Infinity])),
    DgrnRangeError,
    ErrorCode.NOT_FINITE,
  ));

test.run();
