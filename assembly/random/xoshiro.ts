// Seeded pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018) seeded by
// SplitMix64, as recommended by its authors.
//
// Memory layout: a generator state is 4 × u64 = 32 bytes at `s`, owned by the
// caller (the SDK allocates it). Every draw is pure integer arithmetic or the
// kernel's own NativeMath, so the same seed gives the same bits in every
// WebAssembly runtime (Node, Deno, browsers).
//
// Streams: `rngSeed(s, lo, hi, stream)` gives independent generators for the
// same seed by folding the stream id into the SplitMix64 seed; `rngJump`
// advances by 2^128 draws for non-overlapping sub-streams of one generator.

import { ai32, stf, sti } from "../core/ptr";

const STATE_BYTES: usize = 32;

@inline function rotl(x: u64, k: u64): u64 {
  return (x << k) | (x >> (64 - k));
}

@inline function splitmix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Bytes needed for one generator state. */
export function rngStateSize(): i32 {
  return <i32>STATE_BYTES;
}

/** Seed the state at `s` from a 64-bit seed (lo, hi words) and a stream id. */
export function rngSeed(s: usize, seedLo: u32, seedHi: u32, stream: u32): void {
  let x: u64 = ((<u64>seedHi) << 32) | <u64>seedLo;
  // Fold the stream in through its own SplitMix64 step so stream k of seed a
  // and stream 0 of seed a+k do not coincide.
  x ^= splitmix64((<u64>stream) + 0x632be59bd9b4e019);
  for (let i = 0; i < 4; i++) {
    x += 0x9e3779b97f4a7c15;
    store<u64>(s + ((<usize>i) << 3), splitmix64(x));
  }
}

/** Next 64 random bits. */
@inline export function rngNext(s: usize): u64 {
  const s0 = load<u64>(s);
  const s1 = load<u64>(s, 8);
  const s2 = load<u64>(s, 16);
  const s3 = load<u64>(s, 24);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 17;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  store<u64>(s, n0);
  store<u64>(s, n1, 8);
  store<u64>(s, n2 ^ t, 16);
  store<u64>(s, rotl(n3, 45), 24);
  return result;
}

/** Uniform double in [0, 1) with 53 random bits. */
@inline export function rngUniform01(s: usize): f64 {
  return <f64>(rngNext(s) >> 11) * 1.1102230246251565e-16; // 2^-53
}

/** Uniform integer in [0, bound) without modulo bias (Lemire 2019). bound ≥ 1. */
@inline export function rngBounded(s: usize, bound: u32): u32 {
  let x = <u32>(rngNext(s) >> 32);
  let m: u64 = (<u64>x) * (<u64>bound);
  let l = <u32>m;
  if (l < bound) {
    const t: u32 = (<u32>0 - bound) % bound;
    while (l < t) {
      x = <u32>(rngNext(s) >> 32);
      m = (<u64>x) * (<u64>bound);
      l = <u32>m;
    }
  }
  return <u32>(m >> 32);
}

/** Standard normal draw (Marsaglia polar method; uses only sqrt and log). */
export function rngGaussian(s: usize): f64 {
  let u: f64, v: f64, q: f64;
  do {
    u = 2.0 * rngUniform01(s) - 1.0;
    v = 2.0 * rngUniform01(s) - 1.0;
    q = u * u + v * v;
  } while (q >= 1.0 || q == 0.0);
  return u * Math.sqrt((-2.0 * Math.log(q)) / q);
}

/** Exponential draw with unit rate. */
@inline export function rngExponential(s: usize): f64 {
  return -Math.log1p(-rngUniform01(s));
}

/** Poisson draw with mean `lam` (inversion for small means, PTRS for large; Hörmann 1993). */
export function rngPoisson(s: usize, lam: f64): i32 {
  if (lam <= 0.0) return 0;
  if (lam < 12.0) {
    const L = Math.exp(-lam);
    let k = 0;
    let p = rngUniform01(s);
    while (p > L) {
      k++;
      p *= rngUniform01(s);
    }
    return k;
  }
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const U = rngUniform01(s) - 0.5;
    const V = rngUniform01(s);
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2.0 * a) / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return <i32>k;
    if (k < 0.0 || (us < 0.013 && V > us)) continue;
    if (
      Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -lam + k * loglam - lgamma(k + 1.0)
    )
      return <i32>k;
  }
}

/** log Γ(x) for x ≥ 1 (Stirling series with recurrence for small x). */
export function lgamma(x: f64): f64 {
  let acc = 0.0;
  while (x < 7.0) {
    acc -= Math.log(x);
    x += 1.0;
  }
  const z = 1.0 / (x * x);
  const series =
    (((-0.000595238095238095 * z + 0.000793650793650794) * z - 0.002777777777777778) * z +
      0.08333333333333333) /
    x;
  return acc + (x - 0.5) * Math.log(x) - x + 0.9189385332046728 + series;
}

/** Advance the generator by 2^128 draws (the xoshiro256 jump polynomial). */
export function rngJump(s: usize): void {
  const J0: u64 = 0x180ec6d33cfd0aba;
  const J1: u64 = 0xd5a61266f0c9392c;
  const J2: u64 = 0xa9582618e03fc9aa;
  const J3: u64 = 0x39abdc4529b1661c;
  let a: u64 = 0, b: u64 = 0, c: u64 = 0, d: u64 = 0;
  for (let w = 0; w < 4; w++) {
    const jw = w == 0 ? J0 : w == 1 ? J1 : w == 2 ? J2 : J3;
    for (let bit: u64 = 0; bit < 64; bit++) {
      if ((jw & ((<u64>1) << bit)) != 0) {
        a ^= load<u64>(s);
        b ^= load<u64>(s, 8);
        c ^= load<u64>(s, 16);
        d ^= load<u64>(s, 24);
      }
      rngNext(s);
    }
  }
  store<u64>(s, a);
  store<u64>(s, b, 8);
  store<u64>(s, c, 16);
  store<u64>(s, d, 24);
}

/** Fill out[offset + i*stride], i < n, with uniform doubles in [0, 1). */
export function rngFillUniform(s: usize, n: i32, outPtr: usize, stride: i32, offset: i32): void {
  for (let i = 0; i < n; i++) stf(outPtr, offset + i * stride, rngUniform01(s));
}

/** Fill with standard normal doubles. */
export function rngFillGaussian(s: usize, n: i32, outPtr: usize, stride: i32, offset: i32): void {
  for (let i = 0; i < n; i++) stf(outPtr, offset + i * stride, rngGaussian(s));
}

/** Fill an i32 array with a uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function rngPermutation(s: usize, n: i32, outPtr: usize): void {
  for (let i = 0; i < n; i++) sti(outPtr, i, i);
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>rngBounded(s, <u32>(i + 1));
    const a = load<i32>(ai32(outPtr, i));
    store<i32>(ai32(outPtr, i), load<i32>(ai32(outPtr, j)));
    store<i32>(ai32(outPtr, j), a);
  }
}

/** Fill raw 32-bit words (the high half of each 64-bit draw), for cross-runtime bit checks. */
export function rngFillU32(s: usize, n: i32, outPtr: usize): void {
  for (let i = 0; i < n; i++) store<u32>(ai32(outPtr, i), <u32>(rngNext(s) >> 32));
}

