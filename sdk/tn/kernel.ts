/**
 * Typed exports of the tensor-network kernels (assembly/tn/).
 *
 * @module
 */
import type { Kernel, Scope } from "../kernel/kernel.js";

/** Kernel exports of assembly/tn/mps.ts and assembly/tn/tree.ts. */
export interface TnExports {
  tnVecWorkSize(rmax: number): number;
  tnMatWorkSize(rmax: number): number;
  tnDenseWorkSize(n: number, h: number, rmax: number): number;
  tnEvaluate(
    n: number,
    bond: number,
    cores: number,
    off: number,
    m: number,
    x: number,
    out: number,
    work: number,
    rmax: number,
  ): void;
  tnEnvSum(n: number, bond: number, cores: number, off: number, env: number, envOff: number): void;
  tnEnvBorn(n: number, bond: number, cores: number, off: number, env: number, envOff: number, work: number): void;
  tnInner(
    n: number,
    bondA: number,
    coresA: number,
    offA: number,
    bondB: number,
    coresB: number,
    offB: number,
    work: number,
    rmax: number,
  ): number;
  tnSample(
    n: number,
    bond: number,
    cores: number,
    off: number,
    born: number,
    env: number,
    envOff: number,
    m: number,
    rng: number,
    out: number,
    work: number,
    rmax: number,
  ): number;
  tnDense(
    n: number,
    bond: number,
    cores: number,
    off: number,
    h: number,
    out: number,
    work: number,
    rmax: number,
  ): void;
  tnUnfold(r: number, D: number, Dn: number, rt: number, bit: number, child: number, mt: number): void;
  tnKronScatter(
    D: number,
    ra: number,
    rb: number,
    phiA: number,
    phiB: number,
    w: number,
    group: number,
    G: number,
    M: number,
  ): void;
  tnKronProject(
    D: number,
    ra: number,
    rb: number,
    phiA: number,
    phiB: number,
    W: number,
    rt: number,
    out: number,
    all: number,
    Db: number,
  ): void;
}

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
