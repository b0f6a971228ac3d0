/**
 * The pool tasks of the Laplacian RG at scale (registered in sdk/parallel/tasks.ts): each loads the
 * Laplacian's CSR into this worker's kernel and runs the same function the calling thread would.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import {
  lambdaMaxLanczos,
  lanczosLockstep,
  opFromCsr,
  type CsrArrays,
  type LmaxResult,
  type ProbeRecurrences,
} from "./scale.js";

/**
 * λ_max by Lanczos with its residual bound (sdk/lrg/scale.ts `lambdaMaxLanczos`).
 * @param csr The Laplacian.
 * @param comp Component label of each node.
 * @param compSize Component sizes.
 * @param bounds Largest weighted degree and the Anderson–Morley bound.
 * @param seed Seed of the start vector.
 * @param rtol Relative residual target.
 * @param maxSteps Most Lanczos steps.
 * @returns λ_max, its residual bound and the steps taken.
 * @example
 * lambdaMaxTask(op.csr, op.comp, op.compSize, { maxDegree, edgeBound }, 1, 1e-6, 2000)
 */
export function lambdaMaxTask(
  csr: CsrArrays,
  comp: Int32Array,
  compSize: Float64Array,
  bounds: { maxDegree: number; edgeBound: number },
  seed: number,
  rtol: number,
  maxSteps: number,
): LmaxResult {
  return getKernel().scope((s) => lambdaMaxLanczos(s, opFromCsr(s, csr, comp, compSize, bounds), seed, rtol, maxSteps));
}

/**
 * `m` lock-step Lanczos steps of a chunk of SLQ probes (sdk/lrg/scale.ts `lanczosLockstep`).
 * @param csr The Laplacian.
 * @param starts The c unit start vectors, row-major n×c.
 * @param c Probes in the chunk.
 * @param m Lanczos steps.
 * @returns Each probe's Lanczos coefficients.
 * @example
 * probesTask(op.csr, starts, 4, 150).alpha[0].length // 150
 */
export function probesTask(csr: CsrArrays, starts: Float64Array, c: number, m: number): ProbeRecurrences {
  const kern = getKernel();
  return kern.scope((s) => {
    const rp = s.copyI32(csr.rowPtr),
      cp = s.copyI32(csr.colIdx),
      vp = s.copyF64(csr.values);
    const q = s.copyF64(starts),
      qp = s.f64(csr.n * c);
    return lanczosLockstep(s, { n: csr.n, rp, cp, vp }, c, q, qp, m);
  });
}
