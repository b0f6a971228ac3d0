/**
 * Seeded random numbers from the kernel's xoshiro256** generator. The same
 * `seed` (and `stream`) gives the same bits in Node, Deno and browsers, because
 * every draw is computed inside the one .wasm.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import type { Kernel } from "../kernel/kernel.js";
import { checkInteger, checkOptions, checkSeed } from "../validate.js";
import { LIMITS } from "../limits.js";

/** Options of the random functions. */
export interface RandomOptions {
  /** Seed, an integer in [0, 2^53 − 1]. Default 1. */
  seed?: number;
  /** Independent stream id for the same seed, an integer in [0, 2^32 − 1]. Default 0. */
  stream?: number;
}

function parse(options: unknown): { seed: number; stream: number } {
  const o = checkOptions<RandomOptions>("options", options, ["seed", "stream"]);
  return {
    seed: o.seed === undefined ? 1 : checkSeed("options.seed", o.seed),
    stream: o.stream === undefined ? 0 : checkInteger("options.stream", o.stream, { min: 0, max: 0xffffffff }),
  };
}

/**
 * The one shape of every draw: check `n` and the options, seed a generator in
 * kernel memory, fill `n` elements of `width` bytes with `fill(state, out)`, and
 * copy them out with `read(out)`.
 */
function draw<T>(
  n: number,
  options: unknown,
  width: 4 | 8,
  fill: (k: Kernel, state: number, out: number) => void,
  read: (k: Kernel, out: number) => T,
): T {
  checkInteger("n", n, { min: 0, max: LIMITS.elements });
  const { seed, stream } = parse(options);
  const k = getKernel();
  return k.scope((s) => {
    const st = s.rng(seed, stream);
    const out = s.bytes(n * width);
    fill(k, st, out);
    return read(k, out);
  });
}

/**
 * `n` uniform draws in [0, 1), each with 53 random bits.
 *
 * @param n - how many (a nonnegative integer)
 * @param options - `seed` (default 1) and `stream` (default 0)
 * @returns a new Float64Array of length `n`
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative or fractional `n`, or a bad seed
 * @example
 * ```ts
 * await init();
 * const u = randomUniform(4, { seed: 7 });
 * ```
 */
export function randomUniform(n: number, options?: RandomOptions): Float64Array {
  return draw(
    n,
    options,
    8,
    (k, st, out) => k.exports.rngFillUniform(st, n, out, 1, 0),
    (k, out) => k.readF64(out, n),
  );
}

/**
 * `n` standard normal draws (Marsaglia's polar method).
 *
 * @example
 * ```ts
 * const z = randomNormal(1000, { seed: 1 });
 * ```
 */
export function randomNormal(n: number, options?: RandomOptions): Float64Array {
  return draw(
    n,
    options,
    8,
    (k, st, out) => k.exports.rngFillGaussian(st, n, out, 1, 0),
    (k, out) => k.readF64(out, n),
  );
}

/**
 * A uniformly random permutation of 0 … n−1 (Fisher–Yates with unbiased bounded draws).
 *
 * @example
 * ```ts
 * const p = randomPermutation(10, { seed: 3 }); // Int32Array(10)
 * ```
 */
export function randomPermutation(n: number, options?: RandomOptions): Int32Array {
  return draw(
    n,
    options,
    4,
    (k, st, out) => k.exports.rngPermutation(st, n, out),
    (k, out) => k.readI32(out, n),
  );
}

/**
 * `n` raw 32-bit outputs of the generator (for cross-runtime bit-identity checks).
 *
 * @example
 * ```ts
 * randomBits(2, { seed: 1 }); // Uint32Array(2)
 * ```
 */
export function randomBits(n: number, options?: RandomOptions): Uint32Array {
  return draw(
    n,
    options,
    4,
    (k, st, out) => k.exports.rngFillU32(st, n, out),
    (k, out) => k.u32(out, n).slice(),
  );
}
