/**
 * The heat kernel e^{−tL} of a symmetric L and its action on a vector, through
 * the eigenbasis: e^{−tL} = V diag(e^{−tλ_i}) Vᵀ.
 *
 * @module
 */
import { DgrnRangeError, DgrnShapeError, ErrorCode } from "../errors.js";
import { checkNumber, checkVector, message, type Matrix } from "../validate.js";
import { eigh } from "./eigh.js";
import { exp } from "../math.js";
import { gemm } from "./gemm.js";

function expWeights(values: Float64Array, t: number): Float64Array {
  const w = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = exp(-t * values[i]!);
    if (!Number.isFinite(x)) {
      throw new DgrnRangeError(
        message("t", `small enough that e^{−t·λ} is finite (λ_min = ${values[0]})`, t),
        ErrorCode.OUT_OF_RANGE,
      );
    }
    w[i] = x;
  }
  return w;
}

/**
 * The matrix exponential e^{−tL} of a symmetric matrix L (e.g. a graph Laplacian).
 *
 * @param l - a symmetric n×n matrix
 * @param t - the time (any finite number; e^{−tλ} must stay finite)
 * @returns e^{−tL}, a new symmetric n×n matrix
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `l` is not a matrix or `t` not a number
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `l` is not square
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞; `ERR_INVALID_DATA` when `l` is not symmetric; `ERR_OUT_OF_RANGE` when e^{−tλ} overflows
 * @example
 * ```ts
 * await init();
 * // L of one edge: e^{−tL} = ½[[1 + e^{−2t}, 1 − e^{−2t}], [1 − e^{−2t}, 1 + e^{−2t}]]
 * expmSym({ rows: 2, cols: 2, data: new Float64Array([1, -1, -1, 1]) }, 0.5);
 * ```
 */
export function expmSym(l: Matrix, t: number): Matrix {
  const { values, vectors } = eigh(l);
  const tt = checkNumber("t", t);
  const n = values.length;
  const w = expWeights(values, tt);
  const V = vectors!.data;
  // (V diag(w)) Vᵀ through the kernel's GEMM, then the exactly symmetric part
  const VW = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) VW[i * n + k] = V[i * n + k]! * w[k]!;
  const out = gemm({ rows: n, cols: n, data: VW }, vectors!, { transB: true }).data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = 0.5 * (out[i * n + j]! + out[j * n + i]!);
      out[i * n + j] = x;
      out[j * n + i] = x;
    }
  }
  return { rows: n, cols: n, data: out };
}

/**
 * The action e^{−tL} v of the heat kernel of a symmetric L on a vector.
 *
 * @param l - a symmetric n×n matrix
 * @param t - the time
 * @param v - a vector of length n
 * @returns e^{−tL} v, a new Float64Array
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `v.length !== n`; plus everything {@link expmSym} throws
 * @example
 * ```ts
 * expmSymAction({ rows: 2, cols: 2, data: new Float64Array([1, -1, -1, 1]) }, 0.5, new Float64Array([1, 0]));
 * ```
 */
export function expmSymAction(l: Matrix, t: number, v: Float64Array): Float64Array {
  const tt = checkNumber("t", t);
  const x = checkVector("v", v);
  const n = (l as Matrix | null)?.rows;
  if (typeof n === "number" && Number.isInteger(n) && x.length !== n) {
    throw new DgrnShapeError(message("v.length", `l.rows = ${n}`, x.length));
  }
  const { values, vectors } = eigh(l);
  const w = expWeights(values, tt);
  const V = vectors!.data;
  const m = values.length;
  // c = Vᵀ x, scaled by w, then V c
  const c = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const xi = x[i]!;
    for (let k = 0; k < m; k++) c[k] = c[k]! + V[i * m + k]! * xi;
  }
  for (let k = 0; k < m; k++) c[k] = c[k]! * w[k]!;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += V[i * m + k]! * c[k]!;
    out[i] = s;
  }
  return out;
}
