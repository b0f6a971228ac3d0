export * from "./blas1";
export { dsyev, dsyevWorkSize, dstev, dstevWorkSize, dtransposeSquare } from "./eigh";
export { dgesvd, dgesvdWorkSize } from "./svd";
