/**
 * The SDK's allocator over the kernel's linear memory.
 *
 * Rule of ownership: kernels never allocate. The SDK owns every byte past the
 * kernel's static data (`heapBase()`): it allocates inputs, outputs and scratch,
 * calls a kernel with raw pointers, copies results out into fresh JS arrays,
 * and frees, in `try … finally`. No caller ever holds a view into linear
 * memory: `memory.grow` detaches old views, so views are made at the point of
 * use and dropped before anything that can allocate.
 *
 * Strategy: first-fit over an address-ordered free list with coalescing, and a
 * bump pointer at the top that retreats when the topmost block is freed. Block
 * sizes live in a JS map, not in linear memory, so a kernel writing out of
 * bounds cannot corrupt the allocator's bookkeeping. Alignment is 16 bytes (one
 * v128), so every f64 array is SIMD-aligned.
 *
 * @module
 */
import { DgrnKernelError, ErrorCode } from "../errors.js";

const ALIGN = 16;
const PAGE = 65536;
/** wasm32 linear memory ends at 2^32 bytes (65,536 pages of 64 KiB). */
export const WASM32_LIMIT = 4294967296;

/**
 * Round up to a multiple of 16 in plain arithmetic. (Sizes are doubles up to
 * 2^32 and beyond: 32-bit bitwise operators would wrap a request ≥ 2 GiB to a
 * negative or small size.)
 */
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** A byte count for messages: "3221225472 bytes (3.00 GiB)". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units: Array<[number, string]> = [
    [1073741824, "GiB"],
    [1048576, "MiB"],
    [1024, "KiB"],
  ];
  for (const [u, name] of units) if (n >= u) return `${n} bytes (${(n / u).toFixed(2)} ${name})`;
  return `${n} bytes`;
}

/**
 * The one out-of-memory error: the request, the linear-memory end it needs,
 * and the limit (4 GiB, or the size the host refused to grow beyond).
 */
function outOfMemory(request: number, end: number, hostHad?: number, cause?: unknown): DgrnKernelError {
  const why =
    hostHad === undefined
      ? `beyond the wasm32 limit of ${formatBytes(WASM32_LIMIT)}`
      : `but the host refused to grow it beyond ${formatBytes(hostHad)} (limit ${formatBytes(WASM32_LIMIT)})`;
  return new DgrnKernelError(
    `out of memory: a request for ${formatBytes(request)} needs WebAssembly memory up to ${formatBytes(end)}, ${why}`,
    { code: ErrorCode.OUT_OF_MEMORY, cause },
  );
}

/** Counters, for tests and for peak-memory reports. */
export interface AllocatorStats {
  /** Bytes in live blocks (after alignment). */
  bytesInUse: number;
  /** Number of live blocks. */
  liveBlocks: number;
  /** Largest `bytesInUse` seen since creation or the last `resetPeak()`. */
  peakBytes: number;
  /** Total allocations made. */
  allocations: number;
  /** Total frees made. */
  frees: number;
  /** Linear memory size in bytes. */
  memoryBytes: number;
  /** First byte the allocator manages. */
  heapBase: number;
  /** Current top of the bump region. */
  top: number;
}

export class Allocator {
  readonly #memory: WebAssembly.Memory;
  readonly #base: number;
  #top: number;
  readonly #live = new Map<number, number>();
  /** Free blocks as [ptr, size], sorted by ptr, never adjacent (always coalesced). */
  #free: Array<[number, number]> = [];
  #inUse = 0;
  #peak = 0;
  #allocs = 0;
  #frees = 0;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.#memory = memory;
    this.#base = align(heapBase);
    this.#top = this.#base;
  }

  /**
   * Allocate `bytes` (≥ 0) bytes, 16-byte aligned. Zero bytes still gives a unique pointer.
   * @throws {DgrnKernelError} `ERR_OUT_OF_MEMORY` when the block cannot fit below 4 GiB or the
   * host refuses to grow memory (the message gives the request and the limit); `ERR_KERNEL`
   * for a size that is not a nonnegative integer (a bug in the caller)
   */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      if (bytes === Infinity || (Number.isFinite(bytes) && bytes > WASM32_LIMIT)) throw outOfMemory(bytes, bytes);
      throw new DgrnKernelError(`internal: allocation of ${bytes} bytes (not a nonnegative integer)`);
    }
    const size = align(Math.max(bytes, 1));
    let ptr = -1;
    for (let k = 0; k < this.#free.length; k++) {
      const blk = this.#free[k]!;
      if (blk[1] >= size) {
        ptr = blk[0];
        if (blk[1] === size) this.#free.splice(k, 1);
        else {
          blk[0] += size;
          blk[1] -= size;
        }
        break;
      }
    }
    if (ptr < 0) {
      ptr = this.#top;
      if (ptr + size > WASM32_LIMIT) throw outOfMemory(bytes, ptr + size);
      this.#ensure(ptr + size, bytes);
      this.#top = ptr + size;
    }
    this.#live.set(ptr, size);
    this.#inUse += size;
    this.#allocs++;
    if (this.#inUse > this.#peak) this.#peak = this.#inUse;
    return ptr;
  }

  /** Free a pointer returned by `alloc`. Freeing anything else is a bug and throws. */
  free(ptr: number): void {
    const size = this.#live.get(ptr);
    if (size === undefined) {
      throw new DgrnKernelError(`internal: free of unknown pointer ${ptr} (double free?)`);
    }
    this.#live.delete(ptr);
    this.#inUse -= size;
    this.#frees++;
    // Insert into the address-ordered free list and coalesce with neighbours.
    let lo = 0;
    let hi = this.#free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#free[mid]![0] < ptr) lo = mid + 1;
      else hi = mid;
    }
    let blk: [number, number] = [ptr, size];
    const prev = this.#free[lo - 1];
    if (prev && prev[0] + prev[1] === ptr) {
      prev[1] += size;
      blk = prev;
      lo -= 1;
    } else {
      this.#free.splice(lo, 0, blk);
    }
    const next = this.#free[lo + 1];
    if (next && blk[0] + blk[1] === next[0]) {
      blk[1] += next[1];
      this.#free.splice(lo + 1, 1);
    }
    // Give the topmost free block back to the bump region.
    const last = this.#free[this.#free.length - 1];
    if (last && last[0] + last[1] === this.#top) {
      this.#top = last[0];
      this.#free.pop();
    }
  }

  /** Size in bytes of a live block (after alignment), or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.#live.get(ptr);
  }

  stats(): AllocatorStats {
    return {
      bytesInUse: this.#inUse,
      liveBlocks: this.#live.size,
      peakBytes: this.#peak,
      allocations: this.#allocs,
      frees: this.#frees,
      memoryBytes: this.#memory.buffer.byteLength,
      heapBase: this.#base,
      top: this.#top,
    };
  }

  /** Restart the peak counter at the current use (for per-stage peaks). */
  resetPeak(): void {
    this.#peak = this.#inUse;
  }

  #ensure(end: number, request: number): void {
    const have = this.#memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    // Grow geometrically so many small allocations do not grow page by page,
    // but never past the 65,536-page wasm32 limit.
    const maxPages = WASM32_LIMIT / PAGE - have / PAGE;
    const want = Math.min(maxPages, Math.max(pages, Math.ceil(have / PAGE / 4)));
    try {
      this.#memory.grow(want);
    } catch {
      try {
        this.#memory.grow(pages);
      } catch (cause) {
        throw outOfMemory(request, end, have, cause);
      }
    }
  }
}
