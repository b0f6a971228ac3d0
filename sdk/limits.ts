/**
 * Limits before work: the stated maxima every reader and stage checks from its
 * header or arguments *before* it allocates or loops, so hostile or extreme
 * input fails at once with a typed error that gives the estimate, instead of
 * hanging, exhausting the JavaScript heap (a process abort no `catch` sees),
 * or wrapping a 32-bit size.
 *
 * - `ERR_OUT_OF_MEMORY` when the estimated bytes exceed {@link LIMITS}.bytes;
 * - `ERR_OUT_OF_RANGE` when a count (neurons, nodes, cells, events) exceeds its maximum.
 *
 * The numbers are ours: one array must fit the 4 GiB wasm32 memory with room
 * for its neighbours, and a JavaScript typed array in every engine we support.
 *
 * @module
 */
import { DgrnKernelError, DgrnRangeError, ErrorCode } from "./errors.js";
import { formatBytes } from "./kernel/memory.js";
import { message } from "./validate.js";

/** The stated limits (see docs/architecture.md, "Limits"). */
export const LIMITS = {
  /** Largest single working set a stage may estimate for itself: 2 GiB (half the wasm32 memory). */
  bytes: 2147483648,
  /** Neurons in one recording (ids are relabelled 0…n−1: the count comes from the data, not an id's magnitude). */
  neurons: 1_000_000,
  /** Cells (bins × neurons) of one binned matrix: 2^28 (1 GiB as f32, 2 GiB as f64 working copies). */
  cells: 268435456,
  /** Nodes of one graph. */
  nodes: 10_000_000,
  /** Edges of one graph. */
  edges: 100_000_000,
  /** Elements of one array an SDK call returns (a Float64Array of 2^28 is 2 GiB). */
  elements: 268435456,
} as const;

/**
 * Reject a working set larger than {@link LIMITS}.bytes, before allocating it.
 *
 * @param what - what is being sized, for the message (e.g. "binning 1000 neurons × 10^9 bins")
 * @param bytes - the estimate
 * @param limit - the limit (default LIMITS.bytes)
 * @throws {DgrnKernelError} `ERR_OUT_OF_MEMORY` with the estimate and the limit
 * @example
 * ```ts
 * checkBytes(`${n}×${n} dense Laplacian`, n * n * 8);
 * ```
 */
export function checkBytes(what: string, bytes: number, limit: number = LIMITS.bytes): void {
  if (!(bytes <= limit)) {
    throw new DgrnKernelError(
      `out of memory: ${what} needs an estimated ${formatBytes(bytes)}, beyond the limit of ${formatBytes(limit)}`,
      ErrorCode.OUT_OF_MEMORY,
    );
  }
}

/**
 * Reject a count beyond its stated maximum (the one message template, with the estimate).
 *
 * @param name - the argument or flag, e.g. "options.nNeurons" or "--bin"
 * @param count - the count the argument implies (e.g. bins × neurons)
 * @param max - the maximum
 * @param what - what is counted, e.g. "bins × neurons"
 * @param value - the value to show (default: count)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE`
 * @example
 * ```ts
 * checkCount("options.binSize", nBins * nNeurons, LIMITS.cells, "bins × neurons", binSize);
 * ```
 */
export function checkCount(name: string, count: number, max: number, what: string, value: unknown = count): void {
  if (!(count <= max)) {
    const shown = Number.isFinite(count)
      ? Number.isInteger(count) && count < 1e15
        ? String(count)
        : count.toPrecision(4)
      : String(count);
    const est = ` (it gives ${shown})`;
    throw new DgrnRangeError(message(name, `such that ${what} ≤ ${max}${est}`, value));
  }
}
