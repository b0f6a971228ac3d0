/**
 * Level-1 vector operations through the kernel's SIMD BLAS-1.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { checkVector } from "../validate.js";
import { DgrnShapeError } from "../errors.js";
import { message } from "../validate.js";
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/linalg/blas1.ts. */
export type Blas1Exports = Pick<KernelExports, "ddot" | "daxpy" | "dscal" | "dnrm2" | "dsum" | "damax" | "dcopy">;

/**
 * The dot product x · y.
 *
 * @param x - a vector of finite numbers
 * @param y - a vector of the same length
 * @returns Σ x_i y_i
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when the lengths differ
 * @throws {DgrnRangeError} `ERR_NOT_FINITE` when an entry is NaN or infinite
 * @example
 * ```ts
 * await init();
 * dot([1, 2, 3], [4, 5, 6]); // 32
 * ```
 */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const xv = checkVector("x", x);
  const yv = checkVector("y", y);
  if (yv.length !== xv.length) throw new DgrnShapeError(message("y.length", `x.length = ${xv.length}`, yv.length));
  const k = getKernel();
  const f = k.fn<Blas1Exports>();
  return k.scope((s) => f.ddot(xv.length, s.copyF64(xv), 1, 0, s.copyF64(yv), 1, 0));
}

/**
 * The Euclidean norm ‖x‖₂, without overflow for huge entries or underflow for tiny ones.
 *
 * @example
 * ```ts
 * norm2([3, 4]); // 5
 * ```
 */
export function norm2(x: ArrayLike<number>): number {
  const xv = checkVector("x", x);
  const k = getKernel();
  return k.scope((s) => k.fn<Blas1Exports>().dnrm2(xv.length, s.copyF64(xv), 1, 0));
}

/**
 * α x + y, as a new array (inputs are not mutated).
 *
 * @example
 * ```ts
 * axpy(2, [1, 1], [0, 1]); // Float64Array [2, 3]
 * ```
 */
export function axpy(alpha: number, x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const a = checkVector("alpha", [alpha])[0]!;
  const xv = checkVector("x", x);
  const yv = checkVector("y", y);
  if (yv.length !== xv.length) throw new DgrnShapeError(message("y.length", `x.length = ${xv.length}`, yv.length));
  const k = getKernel();
  return k.scope((s) => {
    const yp = s.copyF64(yv);
    k.fn<Blas1Exports>().daxpy(xv.length, a, s.copyF64(xv), 1, 0, yp, 1, 0);
    return k.readF64(yp, yv.length);
  });
}
