// Contractions of a binary tree tensor network (hierarchical Tucker) over
// binary sites, on the sample representation.
//
// Memory layout (row-major f64 unless noted):
//   phiA  f64[D × ra]   feature of sample d in the left child's basis (row d)
//   phiB  f64[D × rb]   feature of sample d in the right child's basis
//   w     f64[D]        sample weights (P form: w_d; Born form: √w_d)
//   group i32[D]        column (distinct complement configuration) of sample d
//   M     f64[(ra·rb) × G]  merged unfolding, row (α·rb + β), column g
//   W     f64[(ra·rb) × rt] transfer tensor (an isometry for non-root nodes)
//   out   f64[D × rt]   the parent's features, φ_t(d) = W^T (φ_a(d) ⊗ φ_b(d))

import { af64, ldf, stf, ldi } from "../core/ptr";
import { axpyRow } from "../core/simd";

/** M[(α·rb + β), group[d]] += w[d] φa[d, α] φb[d, β]; M is zeroed first. */
export function tnKronScatter(
  D: i32, ra: i32, rb: i32, phiA: usize, phiB: usize, w: usize, group: usize, G: i32, M: usize,
): void {
  memory.fill(M, 0, (<usize>(ra * rb) * <usize>G) << 3);
  for (let d = 0; d < D; d++) {
    const wd = ldf(w, d);
    if (wd == 0.0) continue;
    const g = ldi(group, d);
    for (let a = 0; a < ra; a++) {
      const s = wd * ldf(phiA, d * ra + a);
      if (s == 0.0) continue;
      for (let b = 0; b < rb; b++) {
        const idx = (a * rb + b) * G + g;
        stf(M, idx, ldf(M, idx) + s * ldf(phiB, d * rb + b));
      }
    }
  }
}

/**
 * out[d, ·] = Σ_{α, β} φa[d, α] φb[d, β] W[(α·rb + β), ·] for D rows.
 * With all = 1 the rows are all pairs: row (i·Db + j) pairs φa row i (of Da)
 * with φb row j (of Db), the dense table of a node from its children's tables.
 */
export function tnKronProject(
  D: i32, ra: i32, rb: i32, phiA: usize, phiB: usize, W: usize, rt: i32, out: usize, all: i32, Db: i32,
): void {
  for (let d = 0; d < D; d++) {
    const ia = all != 0 ? d / Db : d;
    const ib = all != 0 ? d % Db : d;
    const dst = af64(out, d * rt);
    for (let g = 0; g < rt; g++) stf(dst, g, 0.0);
    for (let a = 0; a < ra; a++) {
      const sa = ldf(phiA, ia * ra + a);
      if (sa == 0.0) continue;
      for (let b = 0; b < rb; b++) {
        const s = sa * ldf(phiB, ib * rb + b);
        if (s == 0.0) continue;
        const row = af64(W, (a * rb + b) * rt);
        axpyRow(s, row, dst, rt);
      }
    }
  }
}
