/**
 * Typed view of the dense linear algebra kernels (assembly/linalg/). Every
 * pointer is a byte address in kernel memory; every `…WorkSize` counts bytes (the one unit of the kernel ABI).
 *
 * @module
 */
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/linalg/{eigh,stedc,svd,gemm,qr,sparse}.ts. */
export type LinalgExports = Pick<
  KernelExports,
  | "dsyevWorkSize"
  | "dsyev"
  | "dstevWorkSize"
  | "dstev"
  | "dstedcWorkSize"
  | "dstedc"
  | "dtransposeSquare"
  | "dgesvdWorkSize"
  | "dgesvd"
  | "dgemmWorkSize"
  | "dgemm"
  | "dflopsProbe"
  | "dgeqrWorkSize"
  | "dgeqr"
  | "dcsrmv"
  | "dchebmmWorkSize"
  | "dchebmm"
>;
