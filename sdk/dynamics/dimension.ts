/**
 * Participation-ratio dimension of a (coarse) trajectory.
 *
 * @module
 */
import type { BinaryStates } from "../types.js";
import { checkStatesOrFractions } from "./trajectory.js";
import type { FractionStates } from "./types.js";

/**
 * Participation ratio PR = (Σ λ_i)² / Σ λ_i² of the eigenvalues λ of the
 * covariance C of the units (population covariance over the T bins),
 * computed without an eigendecomposition as (tr C)² / tr(C²) = (tr C)² / ‖C‖_F².
 * It runs from 1 (one direction carries all variance) to M (isotropic). Binary
 * states accumulate co-activations over active pairs only (cost Σ_t a_t², a_t =
 * active units at bin t); fractions use the dense T·M² sum.
 *
 * @param states - BinaryStates or FractionStates, T × M
 * @returns PR in [1, M], or 0 when no unit varies
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for states of the wrong kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when data.length ≠ T·M
 * @throws {DgrnRangeError} `ERR_INVALID_DATA` for an entry outside 0/1 (binary) or [0, 1] (fraction)
 * @example
 * ```ts
 * await init();
 * participationRatio({ T: 4, n: 2, data: new Uint8Array([1, 0, 0, 1, 1, 0, 0, 1]) }); // 1 (perfectly anticorrelated)
 * ```
 */
export function participationRatio(states: BinaryStates | FractionStates): number {
  const x = checkStatesOrFractions("states", states);
  const { T, n } = x;
  if (T === 0 || n === 0) return 0;
  const S = new Float64Array(n * n);
  const mu = new Float64Array(n);
  if (x.data instanceof Uint8Array) {
    const act = new Int32Array(n);
    for (let t = 0; t < T; t++) {
      let a = 0;
      for (let j = 0; j < n; j++) if (x.data[t * n + j]) act[a++] = j;
      for (let p = 0; p < a; p++) {
        const i = act[p]!;
        mu[i]!++;
        for (let q = p; q < a; q++) S[i * n + act[q]!]!++;
      }
    }
  } else {
    const d = x.data;
    for (let t = 0; t < T; t++) {
      const row = t * n;
      for (let i = 0; i < n; i++) {
        const v = d[row + i]!;
        if (v === 0) continue;
        mu[i]! += v;
        for (let j = i; j < n; j++) S[i * n + j]! += v * d[row + j]!;
      }
    }
  }
  for (let i = 0; i < n; i++) mu[i]! /= T;
  let tr = 0;
  let fro = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const c = S[i * n + j]! / T - mu[i]! * mu[j]!;
      if (i === j) {
        tr += c;
        fro += c * c;
      } else fro += 2 * c * c;
    }
  }
  return fro > 0 ? (tr * tr) / fro : 0;
}
