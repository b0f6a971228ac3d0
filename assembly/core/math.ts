// Elementary functions for the SDK: the kernel's own (AssemblyScript
// NativeMath, a port of musl's libm), so that every runtime computes the same
// bits. JavaScript's Math.exp/log/pow are implementation-defined and differ
// between V8 versions (Node 20 vs Deno vs Chromium): results that must be
// reproducible bit for bit call these instead.

export function mathExp(x: f64): f64 {
  return Math.exp(x);
}

export function mathLog(x: f64): f64 {
  return Math.log(x);
}

export function mathLog1p(x: f64): f64 {
  return Math.log1p(x);
}

export function mathExpm1(x: f64): f64 {
  return Math.expm1(x);
}

export function mathPow(x: f64, y: f64): f64 {
  return Math.pow(x, y);
}
