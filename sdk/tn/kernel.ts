/**
 * Typed exports of the tensor-network kernels (assembly/tn/).
 *
 * @module
 */
import type { Kernel, Scope } from "../kernel/kernel.js";
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of assembly/tn/mps.ts and assembly/tn/tree.ts. */
export type TnExports = Pick<
  KernelExports,
  | "tnVecWorkSize"
  | "tnMatWorkSize"
  | "tnDenseWorkSize"
  | "tnEvaluate"
  | "tnEnvSum"
  | "tnEnvBorn"
  | "tnInner"
  | "tnSample"
  | "tnDense"
  | "tnUnfold"
  | "tnKronScatter"
  | "tnKronProject"
>;

/** The tn exports of a kernel. */
export function tn(k: Kernel): TnExports {
  return k.fn<TnExports>();
}

/** Pointers of a train copied into a scope. */
export interface TrainPtrs {
  bond: number;
  cores: number;
  off: number;
  rmax: number;
}

/** Copy a train's arrays into kernel memory owned by `s`. */
export function copyTrain(s: Scope, t: { bondDims: Int32Array; cores: Float64Array; offsets: Int32Array }): TrainPtrs {
  let rmax = 1;
  for (const r of t.bondDims) rmax = Math.max(rmax, r);
  return { bond: s.copyI32(t.bondDims), cores: s.copyF64(t.cores), off: s.copyI32(t.offsets), rmax };
}
