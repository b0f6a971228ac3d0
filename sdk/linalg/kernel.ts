/**
 * Typed view of the dense linear algebra kernels (assembly/linalg/). Every
 * pointer is a byte address in kernel memory; every `…WorkSize` counts bytes (the one unit of the kernel ABI).
 *
 * @module
 */

/** Kernel exports of assembly/linalg/{eigh,stedc,svd,gemm,qr,sparse}.ts. */
export interface LinalgExports {
  dsyevWorkSize(n: number): number;
  /** Symmetric eigendecomposition; `a` destroyed; status code. */
  dsyev(n: number, wantVectors: number, a: number, w: number, z: number, work: number): number;
  dstevWorkSize(n: number): number;
  /** Symmetric tridiagonal eigendecomposition (d, e destroyed); status code. */
  dstev(n: number, wantVectors: number, d: number, e: number, z: number, work: number): number;
  dstedcWorkSize(n: number): number;
  /** Divide and conquer on (d, e), vectors into q (row stride ldq); status code. */
  dstedc(n: number, d: number, e: number, q: number, ldq: number, work: number): number;
  dtransposeSquare(n: number, a: number): void;
  dgesvdWorkSize(m: number, n: number): number;
  /** Thin SVD; `a` read only; status code. */
  dgesvd(m: number, n: number, wantVectors: number, a: number, s: number, u: number, v: number, work: number): number;
  dgemmWorkSize(m: number, n: number, k: number): number;
  /** C ← α op(A) op(B) + β C, row-major with row strides lda, ldb, ldc. */
  dgemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  /** Throughput probe: `iters` rounds of 24 f64x2 mul/add flops (the 128-bit peak, benchmarks only). */
  dflopsProbe(iters: number, x: number): number;
  dgeqrWorkSize(m: number, n: number): number;
  /** Thin Householder QR, diag(R) ≥ 0. */
  dgeqr(m: number, n: number, a: number, q: number, r: number, work: number): void;
  /** y ← A x for a CSR matrix; strided x and y. */
  dcsrmv(
    rows: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    x: number,
    strideX: number,
    offsetX: number,
    y: number,
    strideY: number,
    offsetY: number,
  ): void;
  dchebmmWorkSize(n: number, b: number): number;
  /** Y ← Σ_k coef[k] T_k(αL + βI) X for a CSR matrix L and an n×b row-major block X (b even). */
  dchebmm(
    n: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    alpha: number,
    beta: number,
    b: number,
    x: number,
    coef: number,
    deg: number,
    y: number,
    work: number,
  ): void;
}
