/**
 * What the report's rasters draw (the pipeline computes them; `dgrn/report` only draws), from the binned activity: the whole
 * recording as a rate image (downsampled in time and across neurons, the cell
 * size stated), and a detail window of single spikes (the window stated).
 *
 * @module
 */
import type { BinnedActivity } from "../types.js";

/** Extra arrays the report draws that are too large for results.json. */
export interface ReportExtras {
  /** Spikes to draw: [time (s), row in community order]; at most ~20,000. */
  raster?: { t: Float64Array | number[]; row: Int32Array | number[]; nRows: number; window: [number, number] };
  /**
   * The whole recording as a rate image: cell (c, r) covers `cellSeconds` from
   * c·cellSeconds and `cellNeurons` neurons from row r·cellNeurons (community
   * order); `rate` in Hz per neuron; cells with no spike are left out.
   */
  density?: {
    cells: { c: number; r: number; rate: number }[];
    nCols: number;
    nRows: number;
    cellSeconds: number;
    cellNeurons: number;
    nNeurons: number;
    window: [number, number];
  };
}

/** At most this many spikes in the detail raster; at most this many seconds. */
const DETAIL_SPIKES = 20000;
const DETAIL_SECONDS = 5;
/** Cells of the whole-recording image: at most this many time columns and neuron rows. */
const MAX_COLS = 200;
const MAX_ROWS = 80;

/**
 * The raster extras of a run: rows in community order (`order[p]` = the
 * neuron drawn at row p).
 *
 * @param binned - the observed, binned activity
 * @param order - node order (a permutation of 0 … nNeurons − 1)
 * @returns `raster` (detail window of single spikes) and `density` (the whole recording, rate per cell in Hz)
 * @example
 * ```ts
 * const extras = rasterExtras(binned, order);
 * extras.density!.window; // [0, duration]
 * ```
 */
export function rasterExtras(binned: BinnedActivity, order: ArrayLike<number>): ReportExtras {
  const { nBins, nNeurons: n, binSize, counts } = binned;
  const rank = new Int32Array(n);
  for (let p = 0; p < n; p++) rank[order[p]!] = p;
  const duration = nBins * binSize;
  // detail: whole bins from the start until 5 s or the spike budget
  const t: number[] = [];
  const row: number[] = [];
  let lastBin = 0;
  for (let b = 0; b < nBins; b++) {
    if ((b + 1) * binSize > DETAIL_SECONDS + 1e-9) break;
    let inBin = 0;
    for (let i = 0; i < n; i++) if (counts[b * n + i]! > 0) inBin++;
    if (t.length + inBin > DETAIL_SPIKES) break;
    for (let i = 0; i < n; i++) {
      if (counts[b * n + i]! > 0) {
        t.push(b * binSize);
        row.push(rank[i]!);
      }
    }
    lastBin = b + 1;
  }
  // whole recording: column = ⌈nBins / 200⌉ bins, row block = ⌈n / 80⌉ neurons
  const binsPer = Math.max(1, Math.ceil(nBins / MAX_COLS));
  const rowsPer = Math.max(1, Math.ceil(n / MAX_ROWS));
  const nCols = Math.ceil(nBins / binsPer);
  const nRows = Math.ceil(n / rowsPer);
  const grid = new Float64Array(nCols * nRows);
  for (let b = 0; b < nBins; b++) {
    const c = Math.floor(b / binsPer);
    for (let i = 0; i < n; i++) {
      const v = counts[b * n + i]!;
      if (v > 0) grid[c * nRows + Math.floor(rank[i]! / rowsPer)]! += v;
    }
  }
  const cells: { c: number; r: number; rate: number }[] = [];
  for (let c = 0; c < nCols; c++) {
    const width = Math.min(binsPer, nBins - c * binsPer) * binSize;
    for (let r = 0; r < nRows; r++) {
      const v = grid[c * nRows + r]!;
      const height = Math.min(rowsPer, n - r * rowsPer);
      if (v > 0) cells.push({ c, r, rate: v / (width * height) });
    }
  }
  return {
    raster: { t, row, nRows: n, window: [0, lastBin * binSize] },
    density: {
      cells,
      nCols,
      nRows,
      cellSeconds: binsPer * binSize,
      cellNeurons: rowsPer,
      nNeurons: n,
      window: [0, duration],
    },
  };
}
