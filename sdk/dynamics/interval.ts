/**
 * Small interval helpers shared by the stage (σ's interval, decoding's).
 *
 * @module
 * @internal
 */

/** t_0.975 for ν = 1 … 10 (tables). */
const T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281];

/**
 * The 0.975 quantile of Student's t with ν ≥ 1 degrees of freedom: a table
 * for ν ≤ 10, the Cornish–Fisher expansion around z = 1.959964 above
 * (error < 2e-4 for ν > 10).
 */
export function studentT975(nu: number): number {
  if (nu <= 10) return T975[Math.max(1, Math.round(nu)) - 1]!;
  const z = 1.959963984540054;
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  const z7 = z5 * z * z;
  return (
    z +
    (z3 + z) / (4 * nu) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu)
  );
}

/** Mean ± t_0.975 · sd/√k of k values (a 95 % interval for their mean), or null for k < 2. */
export function meanInterval(values: ArrayLike<number>): [number, number] | null {
  const k = values.length;
  if (k < 2) return null;
  let m = 0;
  for (let i = 0; i < k; i++) m += values[i]! / k;
  let ss = 0;
  for (let i = 0; i < k; i++) ss += (values[i]! - m) * (values[i]! - m);
  const half = (studentT975(k - 1) * Math.sqrt(ss / (k - 1))) / Math.sqrt(k);
  return [m - half, m + half];
}
