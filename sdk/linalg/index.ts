/**
 * Dense (and sparse CSR) linear algebra on the kernel: GEMM, symmetric
 * eigendecomposition, SVD and its truncation, QR, the heat kernel e^{−tL}.
 *
 * @module
 */
export type { Matrix } from "../validate.js";
export type { LinalgExports } from "./kernel.js";
export { eigh, eighTridiagonal, type EighOptions, type EighResult } from "./eigh.js";
export {
  svd,
  truncatedSvd,
  type SvdOptions,
  type SvdResult,
  type TruncatedSvdOptions,
  type TruncatedSvdResult,
} from "./svd.js";
export { expmSym, expmSymAction } from "./expm.js";
export { gemm, type GemmOptions } from "./gemm.js";
export { qr, type QrResult } from "./qr.js";
export { csrMatVec, checkCsr, type CsrMatrix } from "./sparse.js";
