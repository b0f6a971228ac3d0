// Sparse matrix–vector product in compressed sparse row (CSR) form, y ← A x.
//
// Memory layout:
//   rowPtr  i32, rows + 1: row i's entries are [rowPtr[i], rowPtr[i+1]).
//   colIdx  i32, nnz: column of each entry (any order within a row).
//   values  f64, nnz.
//   x       f64, cols (strideX, offsetX).
//   y       f64, rows (strideY, offsetY), overwritten.
// The SDK has checked that rowPtr is nondecreasing from 0 to nnz and that
// every column index is in [0, cols).

import { ldf, ldi, stf } from "../core/ptr";

/** y ← A x for the CSR matrix (rowPtr, colIdx, values). */
export function dcsrmv(
  rows: i32,
  rowPtr: usize, colIdx: usize, values: usize,
  x: usize, strideX: i32, offsetX: i32,
  y: usize, strideY: i32, offsetY: i32,
): void {
  for (let i = 0; i < rows; i++) {
    const p0 = ldi(rowPtr, i);
    const p1 = ldi(rowPtr, i + 1);
    let s0 = 0.0;
    let s1 = 0.0;
    let p = p0;
    for (; p + 2 <= p1; p += 2) {
      s0 += ldf(values, p) * ldf(x, offsetX + ldi(colIdx, p) * strideX);
      s1 += ldf(values, p + 1) * ldf(x, offsetX + ldi(colIdx, p + 1) * strideX);
    }
    if (p < p1) s0 += ldf(values, p) * ldf(x, offsetX + ldi(colIdx, p) * strideX);
    stf(y, offsetY + i * strideY, s0 + s1);
  }
}
