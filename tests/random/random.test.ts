import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  kernel,
  randomUniform,
  randomNormal,
  randomPermutation,
  randomBits,
  DgrnRangeError,
  ErrorCode,
  throwsCode,
} from "../helpers/setup.js";

const test = suite("random");
const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (64n - k))) & M64;

/** Independent BigInt reference of xoshiro256** (Blackman & Vigna's C code, transcribed). */
function xoshiro(state: bigint[]): () => bigint {
  const s = state.slice();
  return () => {
    const result = (rotl((s[1]! * 5n) & M64, 7n) * 9n) & M64;
    const t = (s[1]! << 17n) & M64;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 45n);
    return result;
  };
}
function splitmix(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
function seededState(seed: bigint, stream: bigint): bigint[] {
  let x = seed ^ splitmix((stream + 0x632be59bd9b4e019n) & M64);
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M64;
    s.push(splitmix(x));
  }
  return s;
}

test("xoshiro256** from state {1,2,3,4} gives the published first outputs", () => {
  const ref = xoshiro([1n, 2n, 3n, 4n]);
  const published = [11520n, 0n, 1509978240n, 1215971899390074240n];
  for (const v of published) assert.is(ref(), v);
  // the kernel, from the same raw state
  const out = kernel.scope((s) => {
    const st = s.bytes(32);
    const view = new BigUint64Array(kernel.memory.buffer, st, 4);
    view.set([1n, 2n, 3n, 4n]);
    const o = s.i32(1000);
    kernel.exports.rngFillU32(st, 1000, o);
    return kernel.u32(o, 1000).slice();
  });
  const ref2 = xoshiro([1n, 2n, 3n, 4n]);
  for (let i = 0; i < 1000; i++) assert.is(out[i], Number(ref2() >> 32n), `draw ${i}`);
});

test("seeding (SplitMix64 with the stream folded in) matches the reference for several seeds and streams", () => {
  for (const [seed, stream] of [
    [0, 0],
    [1, 0],
    [1, 1],
    [2 ** 40 + 12345, 7],
    [Number.MAX_SAFE_INTEGER, 0xffffffff],
  ] as const) {
    const got = randomBits(64, { seed, stream });
    const ref = xoshiro(seededState(BigInt(seed), BigInt(stream)));
    for (let i = 0; i < 64; i++) assert.is(got[i], Number(ref() >> 32n), `seed ${seed} stream ${stream} draw ${i}`);
  }
});

test("uniforms use 53 bits: u = (x >> 11) · 2^-53 exactly", () => {
  const u = randomUniform(100, { seed: 42 });
  const ref = xoshiro(seededState(42n, 0n));
  for (let i = 0; i < 100; i++) assert.is(u[i], Number(ref() >> 11n) * 2 ** -53);
});

test("same seed, same bits; different seed or stream, different bits", () => {
  assert.equal(randomUniform(50, { seed: 9 }), randomUniform(50, { seed: 9 }));
  assert.not.equal(randomUniform(50, { seed: 9 }), randomUniform(50, { seed: 10 }));
  assert.not.equal(randomUniform(50, { seed: 9 }), randomUniform(50, { seed: 9, stream: 1 }));
});

test("normal draws have mean 0 and variance 1 within 5 standard errors (n = 200000)", () => {
  const n = 200_000;
  const z = randomNormal(n, { seed: 5 });
  let m = 0;
  for (const v of z) m += v;
  m /= n;
  let v2 = 0;
  for (const v of z) v2 += (v - m) ** 2;
  v2 /= n - 1;
  assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(v2 - 1) < 5 * Math.sqrt(2 / n), `variance ${v2}`);
});

test("permutations are permutations, and uniform: chi-square over the 6 orders of 3 elements", () => {
  const p = randomPermutation(1000, { seed: 2 });
  assert.equal(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  const counts = new Map<string, number>();
  const trials = 6000;
  for (let t = 0; t < trials; t++) {
    const key = randomPermutation(3, { seed: 1000 + t }).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.is(counts.size, 6);
  let chi2 = 0;
  for (const c of counts.values()) chi2 += (c - trials / 6) ** 2 / (trials / 6);
  assert.ok(chi2 < 20.5, `chi2 = ${chi2} (5 dof; p = 0.001 critical value 20.5)`);
});

test("invalid arguments: each throws its typed error", () => {
  throwsCode(() => randomUniform(1.5), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => randomUniform(3, { seed: -1 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => randomUniform(3, { seed: 2 ** 53 }), DgrnRangeError, ErrorCode.OUT_OF_RANGE);
  throwsCode(() => randomUniform(3, { seed: NaN }), DgrnRangeError, ErrorCode.NOT_FINITE);
  throwsCode(() => randomUniform(3, { sed: 1 } as never), DgrnRangeError, ErrorCode.INVALID_OPTION);
  throwsCode(() => randomUniform("3" as never), Error as never, ErrorCode.INVALID_TYPE);
});

test.run();
