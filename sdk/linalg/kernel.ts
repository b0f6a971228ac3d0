/**
 * Typed view of the dense linear algebra kernels (assembly/linalg/).
 *
 * @module
 */

/** Kernel exports of assembly/linalg/{eigh,svd,gemm,qr,sparse}.ts. */
export interface LinalgExports {
  dsyevWorkSize(n: number): number;
  dsyev(n: number, wantVectors: number, a: number, w: number, z: number, work: number): number;
  dstevWorkSize(n: number): number;
  dstev(n: number, wantVectors: number, d: number, e: number, z: number, work: number): number;
  dtransposeSquare(n: number, a: number): void;
  dgesvdWorkSize(m: number, n: number): number;
  dgesvd(m: number, n: number, wantVectors: number, a: number, s: number, u: number, v: number, work: number): number;
}
