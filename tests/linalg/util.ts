// Test helpers for tests/linalg: plain-JS references (naive loops), seeded inputs.
import { randomUniform, type Matrix } from "../helpers/setup.js";

export function mat(rows: number, cols: number, data: ArrayLike<number>): Matrix {
  return { rows, cols, data: Float64Array.from(data) };
}

/** Seeded uniform [−1, 1) entries. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const u = randomUniform(rows * cols, { seed });
  for (let i = 0; i < u.length; i++) u[i] = 2 * u[i]! - 1;
  return { rows, cols, data: u };
}

/** Seeded random symmetric matrix. */
export function randomSymmetric(n: number, seed: number): Matrix {
  const r = randomMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r.data[Math.min(i, j) * n + Math.max(i, j)]!;
  return { rows: n, cols: n, data: a };
}

/** Naive C = op(A) op(B). */
export function naiveMul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const A = (i: number, p: number) => (transA ? a.data[p * a.cols + i]! : a.data[i * a.cols + p]!);
  const B = (p: number, j: number) => (transB ? b.data[j * b.cols + p]! : b.data[p * b.cols + j]!);
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      c[i * n + j] = s;
    }
  return { rows: m, cols: n, data: c };
}

export function transpose(a: Matrix): Matrix {
  const t = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: t };
}

export function frob(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

export function frobDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** ‖QᵀQ − I‖_max over the columns of q. */
export function orthError(q: Matrix): number {
  const { rows: m, cols: k, data } = q;
  let e = 0;
  for (let p = 0; p < k; p++)
    for (let r = p; r < k; r++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += data[i * k + p]! * data[i * k + r]!;
      e = Math.max(e, Math.abs(s - (p === r ? 1 : 0)));
    }
  return e;
}

/** U diag(s) Vᵀ. */
export function usv(u: Matrix, s: ArrayLike<number>, v: Matrix): Float64Array {
  const m = u.rows;
  const n = v.rows;
  const k = s.length;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let t = 0; t < k; t++) x += u.data[i * u.cols + t]! * s[t]! * v.data[j * v.cols + t]!;
      out[i * n + j] = x;
    }
  return out;
}

/** Laplacian of an undirected unweighted graph given by its edges. */
export function laplacian(n: number, edges: Array<[number, number]>): Matrix {
  const a = new Float64Array(n * n);
  for (const [i, j] of edges) {
    a[i * n + j] = a[i * n + j]! - 1;
    a[j * n + i] = a[j * n + i]! - 1;
    a[i * n + i] = a[i * n + i]! + 1;
    a[j * n + j] = a[j * n + j]! + 1;
  }
  return { rows: n, cols: n, data: a };
}

export function sortedAsc(x: ArrayLike<number>): number[] {
  return Array.from(x).sort((a, b) => a - b);
}
