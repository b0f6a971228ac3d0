/**
 * Typed view of the lrg kernels (assembly/lrg/).
 *
 * @module
 */
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/lrg/. */
export type LrgExports = Pick<
  KernelExports,
  | "lrgSpectralWorkSize"
  | "lrgSpectralCurves"
  | "lrgTraceMoments"
  | "lrgRhoPairs"
  | "lrgRhoFull"
  | "lrgLanczosWorkSize"
  | "lrgLanczos"
  | "lrgKrylovCombine"
  | "lrgRademacher"
  | "lrgBlockCsrMv"
  | "lrgBlockGram"
  | "lrgBlockTimes"
  | "lrgJacobiBlock"
  | "lrgRestrictBlock"
  | "lrgProlongBlock"
  | "lrgCombine3"
  | "lrgBlockLanczosStepWorkSize"
  | "lrgBlockLanczosStep"
>;
