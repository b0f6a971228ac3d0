/**
 * General matrix multiply through the kernel's blocked SIMD dgemm
 * (assembly/linalg/gemm.ts).
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { DgrnShapeError } from "../errors.js";
import { checkBoolean, checkMatrix, checkNumber, checkOptions, message, type Matrix } from "../validate.js";
import type { LinalgExports } from "./kernel.js";

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use Aᵀ in place of A. Default false. */
  transA?: boolean;
  /** Use Bᵀ in place of B. Default false. */
  transB?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
  /** Scale of `c`. Default 1 when `c` is given (ours), else unused. */
  beta?: number;
  /** The addend C (m×n); not mutated. Default none (zero). */
  c?: Matrix;
}

/**
 * C = α op(A) op(B) + β C, row-major, with op(X) = X or Xᵀ.
 *
 * @param a - A (m×k, or k×m with `transA`)
 * @param b - B (k×n, or n×k with `transB`)
 * @param options - `transA`, `transB`, `alpha` (1), `beta` (1 with `c`), `c`
 * @returns a new m×n matrix; no input is mutated
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a non-matrix or a wrongly typed option
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the inner dimensions or the shape of `c` disagree
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` for NaN/∞ entries or scales; `ERR_INVALID_OPTION` for an unknown option
 * @example
 * ```ts
 * await init();
 * const a = { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) };
 * gemm(a, a, { transB: true }).data; // A Aᵀ = [5, 11, 11, 25]
 * ```
 */
export function gemm(a: Matrix, b: Matrix, options?: GemmOptions): Matrix {
  const A = checkMatrix("a", a);
  const B = checkMatrix("b", b);
  const o = checkOptions<GemmOptions>("options", options, ["transA", "transB", "alpha", "beta", "c"]);
  const transA = o.transA === undefined ? false : checkBoolean("options.transA", o.transA);
  const transB = o.transB === undefined ? false : checkBoolean("options.transB", o.transB);
  const alpha = o.alpha === undefined ? 1 : checkNumber("options.alpha", o.alpha);
  const C = o.c === undefined ? null : checkMatrix("options.c", o.c);
  const beta = o.beta === undefined ? (C ? 1 : 0) : checkNumber("options.beta", o.beta);
  const m = transA ? A.cols : A.rows;
  const k = transA ? A.rows : A.cols;
  const kb = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (kb !== k)
    throw new DgrnShapeError(message(transB ? "b.cols" : "b.rows", `the inner dimension of op(a), ${k}`, kb));
  if (C && (C.rows !== m || C.cols !== n)) {
    throw new DgrnShapeError(message("options.c", `a ${m}×${n} matrix`, `${C.rows}×${C.cols}`));
  }
  const kern = getKernel();
  const f = kern.fn<LinalgExports>();
  return kern.scope((s) => {
    const ap = s.copyF64(A.data);
    const bp = s.copyF64(B.data);
    const cp = C && beta !== 0 ? s.copyF64(C.data) : s.f64(m * n);
    const work = s.bytes(f.dgemmWorkSize(m, n, k));
    f.dgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, ap, A.cols, bp, B.cols, C ? beta : 0, cp, n, work);
    return { rows: m, cols: n, data: kern.readF64(cp, m * n) };
  });
}
