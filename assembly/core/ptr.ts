// Addressing helpers for raw pointers into linear memory.
//
// Every kernel computes element addresses through these helpers, never by
// writing `p + (<usize>i << 3)` out by hand: that expression is where operator
// precedence bugs live. All indices are element indices (not byte offsets) and
// are non-negative by contract; the SDK guarantees it before calling a kernel.

/** Address of element `i` of an f64 array at `p`. */
@inline export function af64(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

/** Address of element `i` of an i32/u32/f32 array at `p`. */
@inline export function ai32(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

/** Address of element `i` of a u8 array at `p`. */
@inline export function au8(p: usize, i: i32): usize {
  return p + <usize>i;
}

/** Load f64 element `i`. */
@inline export function ldf(p: usize, i: i32): f64 {
  return load<f64>(af64(p, i));
}

/** Store f64 element `i`. */
@inline export function stf(p: usize, i: i32, v: f64): void {
  store<f64>(af64(p, i), v);
}

/** Load i32 element `i`. */
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(ai32(p, i));
}

/** Store i32 element `i`. */
@inline export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(ai32(p, i), v);
}

/** Load u8 element `i`. */
@inline export function ldu8(p: usize, i: i32): u8 {
  return load<u8>(au8(p, i));
}

/** Store u8 element `i`. */
@inline export function stu8(p: usize, i: i32, v: u8): void {
  store<u8>(au8(p, i), v);
}

/** Element index of logical element `i` of a strided vector (stdlib-js ndarray convention). */
@inline export function sidx(stride: i32, offset: i32, i: i32): i32 {
  return offset + i * stride;
}

/**
 * Bytes of `count` f64 values as an i32 scratch size (the unit of every
 * `*WorkSize` export), saturated at 2^31 − 1 so that a request too large for
 * linear memory fails as an allocation instead of wrapping negative.
 */
export function bytesOfF64(count: i32): i32 {
  const b = <i64>count << 3;
  return b > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>b;
}
