// Blocked application of a product of Householder reflectors from the left,
// Z ← H_0 H_1 ⋯ H_{nr−1} Z, in compact WY form (Schreiber & Van Loan 1989;
// Golub & Van Loan §5.1.7): NB reflectors at a time, Q_b = I − V T Vᵀ with T
// upper triangular (the dlarft recurrence), applied as three GEMMs,
// Z₂ ← Z₂ − V (T (Vᵀ Z₂)), blocks from the last to the first.
//
// Memory layout (f64, row-major):
//   reflector i (H_i = I − τ_i v_i v_iᵀ) acts on rows i+shift … M−1 of Z; its
//   entries after the implicit leading 1 are stored at
//   vbase[i·ldv + i + shift + 1 …] (the leading position itself is ignored).
//   tau   nr
//   z     M × ncols, row stride ldz. With skipCols, columns < k0 of block k0
//         are known to be zero in the rows the block touches (Z = [I; 0] at
//         the start, as when forming Q explicitly) and are skipped.
//   work  householderWorkCount(M, ncols) f64.

import { af64, ldf, stf } from "../core/ptr";
import { dgemm, dgemmWorkCount } from "./gemm";
import { dotRow2 as dotRow } from "../core/simd";

/** Reflectors per block (QR's panels; the back-transformation below BIG_MIN reflectors). */
export const NB: i32 = 32;
/**
 * Reflectors per block from BIG_MIN reflectors on: the GEMMs' inner dimension,
 * so C = Z is read and written half as often per flop (measured, ours).
 */
const NB_BIG: i32 = 64;
const BIG_MIN: i32 = 400;

/** Scratch f64 count for {@link applyReflectorsLeft}. */
export function householderWorkCount(M: i32, ncols: i32): i32 {
  const big = M > ncols ? M : ncols;
  return NB_BIG * M + NB_BIG * NB_BIG + 2 * ncols * NB_BIG + dgemmWorkCount(big, big, big) + 16;
}


/**
 * Pack Vᵀ (nb × L, row j = v_{k0+j} over rows k0+shift …, explicit zeros and
 * leading 1) into vt, and the upper triangular T (nb × nb, row stride NB) of
 * Q_b = H_{k0} ⋯ H_{k0+nb−1} = I − V T Vᵀ into tt (dlarft: T_ii = τ_i,
 * T[0:i, i] = −τ_i T[0:i, 0:i] (V[:, 0:i]ᵀ v_i)). tmp: nb f64.
 */
export function packBlock(
  nb: i32, L: i32, vbase: usize, ldv: i32, k0: i32, shift: i32, tau: usize, vt: usize, tt: usize, tmp: usize,
  ldt: i32 = NB,
): void {
  for (let j = 0; j < nb; j++) {
    const dst = af64(vt, j * L);
    const src = af64(vbase, (k0 + j) * ldv + k0 + shift);
    for (let c = 0; c < j && c < L; c++) stf(dst, c, 0.0);
    if (j < L) stf(dst, j, 1.0);
    for (let c = j + 1; c < L; c++) stf(dst, c, ldf(src, c));
  }
  for (let i = 0; i < nb; i++) {
    const ti = ldf(tau, k0 + i);
    for (let r = 0; r < i; r++) {
      stf(tmp, r, i < L ? -ti * dotRow(af64(vt, r * L + i), af64(vt, i * L + i), L - i) : 0.0);
    }
    for (let r = 0; r < i; r++) {
      let s = 0.0;
      for (let c = r; c < i; c++) s += ldf(tt, r * ldt + c) * ldf(tmp, c);
      stf(tt, r * ldt + i, s);
    }
    stf(tt, i * ldt + i, ti);
    for (let r = i + 1; r < nb; r++) stf(tt, r * ldt + i, 0.0);
  }
}

/** Z ← H_0 ⋯ H_{nr−1} Z (see the header). */
export function applyReflectorsLeft(
  M: i32, ncols: i32, nr: i32, shift: i32,
  vbase: usize, ldv: i32, tau: usize,
  z: usize, ldz: i32, skipCols: bool, work: usize,
): void {
  if (nr <= 0 || ncols <= 0) return;
  const B = nr >= BIG_MIN ? NB_BIG : NB;
  const vt = work; // B × M
  const tt = af64(work, NB_BIG * M); // B × B (row stride B)
  const w1 = af64(tt, NB_BIG * NB_BIG); // ncols × B
  const w2 = af64(w1, ncols * NB_BIG); // ncols × B
  const gw = af64(w2, ncols * NB_BIG);
  for (let k0 = ((nr - 1) / B) * B; k0 >= 0; k0 -= B) {
    const nb = k0 + B < nr ? B : nr - k0;
    const L = M - k0 - shift; // rows k0+shift … M−1
    if (L <= 0) continue;
    packBlock(nb, L, vbase, ldv, k0, shift, tau, vt, tt, w1, B);
    const c0 = skipCols ? k0 : 0;
    const nc = ncols - c0;
    if (nc <= 0) continue;
    const zs = af64(z, (k0 + shift) * ldz + c0);
    // W1 = Z₂ᵀ V (nc × nb), W2 = W1 Tᵀ, Z₂ −= V W2ᵀ
    dgemm(1, 1, nc, nb, L, 1.0, zs, ldz, vt, L, 0.0, w1, nb, gw);
    dgemm(0, 1, nc, nb, nb, 1.0, w1, nb, tt, B, 0.0, w2, nb, gw);
    dgemm(1, 1, L, nc, nb, -1.0, vt, L, w2, nb, 1.0, zs, ldz, gw);
  }
}
