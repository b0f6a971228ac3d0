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

/** GEMM, QR and CSR kernels. */
export interface LinalgExports {
  dgemmWorkSize(m: number, n: number, k: number): number;
  dgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  dgeqrWorkSize(m: number, n: number): number;
  dgeqr(m: number, n: number, a: number, q: number, r: number, work: number): void;
  dcsrmv(
    rows: number, rowPtr: number, colIdx: number, values: number,
    x: number, strideX: number, offsetX: number, y: number, strideY: number, offsetY: number,
  ): void;
}
