/**
 * The loaded kernel: its exports, its memory, and the SDK's allocator over it.
 *
 * @module
 */
import { DgrnKernelError, ErrorCode } from "../errors.js";
import { Allocator, type AllocatorStats } from "./memory.js";
import type { KernelExports } from "./exports.generated.js";

/** The core and random exports. Every export is typed in {@link KernelExports} (generated from the module); areas pick the kernels they use. */
export type CoreExports = Pick<
  KernelExports,
  | "memory"
  | "heapBase"
  | "rngStateSize"
  | "rngSeed"
  | "rngJump"
  | "rngFillUniform"
  | "rngFillGaussian"
  | "rngPermutation"
  | "rngFillU32"
>;

/** Kernel status codes (assembly/core/status.ts). */
export const Status = { OK: 0, NO_CONVERGENCE: 1, SINGULAR: 2, WORK_TOO_SMALL: 3 } as const;

/** Turn a non-zero kernel status into a typed error. */
export function checkStatus(status: number, what: string): void {
  if (status === Status.OK) return;
  if (status === Status.NO_CONVERGENCE) {
    throw new DgrnKernelError(`${what}: the iteration did not converge`, ErrorCode.NO_CONVERGENCE);
  }
  if (status === Status.SINGULAR) throw new DgrnKernelError(`${what}: the matrix is singular`);
  if (status === Status.WORK_TOO_SMALL) throw new DgrnKernelError(`internal: ${what}: scratch space too small`);
  throw new DgrnKernelError(`${what}: kernel returned status ${status}`);
}

/**
 * A group of allocations freed together. Obtain one from {@link Kernel.scope};
 * every pointer it hands out is freed when the scope's body returns or throws.
 */
export class Scope {
  readonly #k: Kernel;
  readonly #ptrs: number[] = [];
  constructor(k: Kernel) {
    this.#k = k;
  }
  /** Raw bytes, zero-filled. */
  bytes(n: number): number {
    const p = this.#k.allocator.alloc(n);
    this.#ptrs.push(p);
    new Uint8Array(this.#k.memory.buffer, p, n).fill(0);
    return p;
  }
  /** `n` f64 values, zero-filled. */
  f64(n: number): number {
    return this.bytes(n * 8);
  }
  /** `n` i32 values, zero-filled. */
  i32(n: number): number {
    return this.bytes(n * 4);
  }
  /** `n` u8 values, zero-filled. */
  u8(n: number): number {
    return this.bytes(n);
  }
  /** Copy numbers in as f64. */
  copyF64(src: ArrayLike<number>): number {
    const p = this.#k.allocator.alloc(src.length * 8);
    this.#ptrs.push(p);
    new Float64Array(this.#k.memory.buffer, p, src.length).set(src);
    return p;
  }
  /** Copy numbers in as i32. */
  copyI32(src: ArrayLike<number>): number {
    const p = this.#k.allocator.alloc(src.length * 4);
    this.#ptrs.push(p);
    new Int32Array(this.#k.memory.buffer, p, src.length).set(src);
    return p;
  }
  /** Copy bytes in. */
  copyU8(src: ArrayLike<number>): number {
    const p = this.#k.allocator.alloc(src.length);
    this.#ptrs.push(p);
    new Uint8Array(this.#k.memory.buffer, p, src.length).set(src);
    return p;
  }
  /** A seeded generator state (xoshiro256**) for `seed` and `stream`. */
  rng(seed: number, stream = 0): number {
    const k = this.#k.exports;
    const p = this.bytes(k.rngStateSize());
    k.rngSeed(p, (seed % 4294967296) >>> 0, Math.floor(seed / 4294967296) >>> 0, stream >>> 0);
    return p;
  }
  /** Free everything this scope allocated (called by {@link Kernel.scope}). */
  dispose(): void {
    for (let i = this.#ptrs.length - 1; i >= 0; i--) this.#k.allocator.free(this.#ptrs[i]!);
    this.#ptrs.length = 0;
  }
}

/** Identity of the loaded kernel, recorded in results for reproducibility. */
export interface KernelInfo {
  /** Kernel ABI version. */
  abi: number;
  /** sha256 of the .wasm bytes (hex), or null where the bytes were not available. */
  sha256: string | null;
  /** The runtime that loaded it. */
  platform: string;
  /** Size of the .wasm in bytes, or null. */
  bytes: number | null;
}

export class Kernel {
  /** The kernel's exports, typed from the module itself (sdk/kernel/exports.generated.ts). */
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  readonly allocator: Allocator;
  readonly info: KernelInfo;

  constructor(instance: WebAssembly.Instance, info: KernelInfo) {
    this.exports = instance.exports as unknown as KernelExports;
    this.memory = this.exports.memory;
    this.allocator = new Allocator(this.memory, this.exports.heapBase());
    this.info = info;
  }

  /** The exports, typed as an area's pick of {@link KernelExports}. */
  fn<T extends Partial<KernelExports>>(): T & CoreExports {
    return this.exports as unknown as T & CoreExports;
  }

  /** Run `body` with a fresh {@link Scope}; everything it allocates is freed afterwards, even on throw. */
  scope<R>(body: (s: Scope) => R): R {
    const s = new Scope(this);
    try {
      return body(s);
    } finally {
      s.dispose();
    }
  }

  /** A short-lived f64 view. Do not keep it past anything that can allocate. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, n);
  }
  /** A short-lived i32 view. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }
  /** A short-lived u32 view. */
  u32(ptr: number, n: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, n);
  }
  /** A short-lived u8 view. */
  u8(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, n);
  }
  /** Copy `n` f64 values out into a fresh array the caller owns. */
  readF64(ptr: number, n: number): Float64Array {
    return this.f64(ptr, n).slice();
  }
  /** Copy `n` i32 values out. */
  readI32(ptr: number, n: number): Int32Array {
    return this.i32(ptr, n).slice();
  }
  /** Copy `n` u8 values out. */
  readU8(ptr: number, n: number): Uint8Array {
    return this.u8(ptr, n).slice();
  }

  /** Allocator counters. */
  stats(): AllocatorStats {
    return this.allocator.stats();
  }
}
