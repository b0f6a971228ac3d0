// Shared references for the tn tests: seeded states, exact distributions as
// weighted supports, and brute-force norms.
import { randomUniform, type BinaryStates } from "../helpers/setup.js";

/** T × n states, x_i = [u < p_i] with seeded uniforms. */
export function bernoulliStates(T: number, n: number, p: number | number[], seed: number): BinaryStates {
  const u = randomUniform(T * n, { seed });
  const data = new Uint8Array(T * n);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) data[t * n + i] = u[t * n + i]! < (typeof p === "number" ? p : p[i]!) ? 1 : 0;
  return { T, n, data };
}

/** Correlated states: blocks of `b` neurons share a seeded latent switch, flipped with probability q. */
export function blockStates(T: number, n: number, b: number, q: number, seed: number): BinaryStates {
  const u = randomUniform(T * (n + n), { seed });
  const data = new Uint8Array(T * n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const blk = Math.floor(i / b);
      const latent = u[t * 2 * n + n + blk]! < 0.3 ? 1 : 0;
      data[t * n + i] = u[t * 2 * n + i]! < q ? 1 - latent : latent;
    }
  }
  return { T, n, data };
}

/** All 2^n states (site 0 most significant) with the given weights as a weighted sample. */
export function support(n: number, weight: (x: Uint8Array) => number): { states: BinaryStates; weights: Float64Array } {
  const N = 2 ** n;
  const data = new Uint8Array(N * n);
  const weights = new Float64Array(N);
  const x = new Uint8Array(n);
  for (let g = 0; g < N; g++) {
    for (let i = 0; i < n; i++) x[i] = (g >> (n - 1 - i)) & 1;
    data.set(x, g * n);
    weights[g] = weight(x);
  }
  return { states: { T: N, n, data }, weights };
}

/** ‖a − b‖₂ / ‖a‖₂. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    e += (a[i]! - b[i]!) ** 2;
    s += a[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

/** Permute a dense vector's bits: out index bits in `order` (position k = column order[k]). */
export function permuteDense(p: Float64Array, n: number, order: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  for (let g = 0; g < p.length; g++) {
    let h = 0;
    for (let k = 0; k < n; k++) h = h * 2 + ((g >> (n - 1 - order[k]!)) & 1);
    out[h] = p[g]!;
  }
  return out;
}
