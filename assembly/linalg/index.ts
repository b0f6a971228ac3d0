export * from "./blas1";
export { dsyev, dsyevWorkSize, dstev, dstevWorkSize, dtransposeSquare } from "./eigh";
export { dgesvd, dgesvdWorkSize } from "./svd";
export { dgemm, dgemmWorkSize, dflopsProbe } from "./gemm";
export { dgeqr, dgeqrWorkSize } from "./qr";
export { dcsrmv } from "./sparse";
export { dchebmm, dchebmmWorkSize } from "./chebyshev";
export { dstedc, dstedcWorkSize } from "./stedc";
