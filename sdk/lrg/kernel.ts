/**
 * Typed view of the lrg kernels (assembly/lrg/).
 *
 * @module
 */

/** Kernel exports of assembly/lrg/. */
export interface LrgExports {
  lrgSpectralWorkSize(m: number): number;
  lrgSpectralCurves(
    m: number,
    theta: number,
    weight: number,
    nTau: number,
    tau: number,
    invLnN: number,
    entropy: number,
    heat: number,
    work: number,
  ): void;
  lrgTraceMoments(
    m: number,
    theta: number,
    weight: number,
    nTau: number,
    tau: number,
    shift: number,
    out: number,
  ): void;
  lrgRhoPairs(k: number, v: number, ldv: number, mu: number, nPairs: number, i: number, j: number, out: number): void;
  lrgRhoFull(n: number, k: number, v: number, ldv: number, mu: number, out: number): void;
  lrgLanczosWorkSize(n: number): number;
  lrgLanczos(
    n: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    m: number,
    reorth: number,
    q0: number,
    q: number,
    alpha: number,
    beta: number,
    work: number,
  ): number;
  lrgKrylovCombine(n: number, k: number, q: number, c: number, out: number): void;
  lrgRademacher(rng: number, n: number, deflate: number, out: number): void;
  lrgBlockCsrMv(n: number, rowPtr: number, colIdx: number, values: number, b: number, x: number, y: number): void;
  lrgBlockGram(n: number, b: number, c: number, x: number, y: number, g: number): void;
  lrgBlockTimes(n: number, b: number, c: number, x: number, m: number, y: number): void;
  lrgJacobiBlock(
    n: number,
    b: number,
    dinv: number,
    omega: number,
    r: number,
    t: number,
    x: number,
    first: number,
  ): void;
  lrgRestrictBlock(n: number, b: number, agg: number, r: number, rc: number): void;
  lrgProlongBlock(n: number, b: number, agg: number, alpha: number, xc: number, x: number): void;
  lrgCombine3(len: number, a: number, x: number, b: number, y: number, c: number, z: number, out: number): void;
  lrgBlockLanczosStepWorkSize(b: number): number;
  lrgBlockLanczosStep(
    n: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    b: number,
    qPrev: number,
    q: number,
    betaPrev: number,
    alpha: number,
    beta: number,
    work: number,
  ): void;
}
