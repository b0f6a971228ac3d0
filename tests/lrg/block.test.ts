// Block kernels of the Laplacian RG at scale (assembly/lrg/block.ts): the
// register-tiled Gram product xᵀy, the tiled product x·m and the lock-step
// Lanczos step, against plain JavaScript loops on shapes that exercise every
// tile tail (widths 1…9, row counts not a multiple of 4 or of the row chunk).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getKernel } from "../../sdk/kernel/init.js";
import type { LrgExports } from "../../sdk/lrg/kernel.js";
import "../helpers/setup.js";

const test = suite("lrg/block");

/** A deterministic pseudo-random array in [−1, 1) (LCG; test data only). */
function data(len: number, seed: number): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const shapes: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 2, 5],
  [7, 5, 3],
  [64, 4, 4],
  [65, 9, 7],
  [130, 8, 16],
  [203, 13, 6],
  [257, 4, 1],
];

test("lrgBlockGram: g = xᵀy matches a plain triple loop to 1e-13 relative", () => {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  for (const [n, b, c] of shapes) {
    const X = data(n * b, n + b),
      Y = data(n * c, 7 * n + c);
    const got = kern.scope((s) => {
      const g = s.f64(b * c);
      kern.f64(g, b * c).fill(123); // the kernel must overwrite, not accumulate
      f.lrgBlockGram(n, b, c, s.copyF64(X), s.copyF64(Y), g);
      return kern.readF64(g, b * c);
    });
    for (let a = 0; a < b; a++)
      for (let d = 0; d < c; d++) {
        let ref = 0,
          mag = 0;
        for (let i = 0; i < n; i++) {
          ref += X[i * b + a]! * Y[i * c + d]!;
          mag += Math.abs(X[i * b + a]! * Y[i * c + d]!);
        }
        assert.ok(Math.abs(got[a * c + d]! - ref) <= 1e-13 * mag + 1e-300, `n=${n} b=${b} c=${c} (${a},${d})`);
      }
  }
});

test("lrgBlockTimes: y = x·m matches a plain triple loop to 1e-13 relative", () => {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  for (const [n, b, c] of shapes) {
    const X = data(n * b, 3 * n + b),
      M = data(b * c, 5 * b + c);
    const got = kern.scope((s) => {
      const y = s.f64(n * c);
      kern.f64(y, n * c).fill(-7);
      f.lrgBlockTimes(n, b, c, s.copyF64(X), s.copyF64(M), y);
      return kern.readF64(y, n * c);
    });
    for (let i = 0; i < n; i++)
      for (let d = 0; d < c; d++) {
        let ref = 0,
          mag = 0;
        for (let a = 0; a < b; a++) {
          ref += X[i * b + a]! * M[a * c + d]!;
          mag += Math.abs(X[i * b + a]! * M[a * c + d]!);
        }
        assert.ok(Math.abs(got[i * c + d]! - ref) <= 1e-13 * mag + 1e-300, `n=${n} b=${b} c=${c} (${i},${d})`);
      }
  }
});

test("lrgBlockLanczosStep: each column follows the scalar three-term recurrence", () => {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  // path graph Laplacian on n nodes, CSR
  const n = 37;
  const rp: number[] = [0],
    ci: number[] = [],
    vs: number[] = [];
  for (let i = 0; i < n; i++) {
    const nb = [i - 1, i + 1].filter((j) => j >= 0 && j < n);
    for (const j of [...nb, i].sort((u, v) => u - v)) {
      ci.push(j);
      vs.push(j === i ? nb.length : -1);
    }
    rp.push(ci.length);
  }
  const mv = (x: Float64Array) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let p = rp[i]!; p < rp[i + 1]!; p++) y[i] = y[i]! + vs[p]! * x[ci[p]!]!;
    return y;
  };
  for (const b of [1, 2, 3, 5]) {
    // the step's contract: unit columns q (β² = ‖w‖² − (qᵀw)² uses ‖q‖ = 1)
    const Q = data(n * b, 11 + b);
    for (let c = 0; c < b; c++) {
      let nn = 0;
      for (let i = 0; i < n; i++) nn += Q[i * b + c]! ** 2;
      for (let i = 0; i < n; i++) Q[i * b + c] = Q[i * b + c]! / Math.sqrt(nn);
    }
    const QP = data(n * b, 19 + b),
      BP = Float64Array.from({ length: b }, (_, c) => 0.3 + 0.1 * c);
    const out = kern.scope((s) => {
      const qp = s.copyF64(QP),
        al = s.f64(b),
        be = s.f64(b);
      f.lrgBlockLanczosStep(
        n,
        s.copyI32(Int32Array.from(rp)),
        s.copyI32(Int32Array.from(ci)),
        s.copyF64(Float64Array.from(vs)),
        b,
        qp,
        s.copyF64(Q),
        s.copyF64(BP),
        al,
        be,
        s.f64(2 * b),
      );
      return { next: kern.readF64(qp, n * b), alpha: kern.readF64(al, b), beta: kern.readF64(be, b) };
    });
    for (let c = 0; c < b; c++) {
      const q = Float64Array.from({ length: n }, (_, i) => Q[i * b + c]!);
      const w = mv(q);
      for (let i = 0; i < n; i++) w[i] = w[i]! - BP[c]! * QP[i * b + c]!;
      let alpha = 0;
      for (let pass = 0; pass < 2; pass++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i]! * w[i]!;
        for (let i = 0; i < n; i++) w[i] = w[i]! - d * q[i]!;
        alpha += d;
      }
      let nn = 0;
      for (let i = 0; i < n; i++) nn += w[i]! * w[i]!;
      const beta = Math.sqrt(nn);
      assert.ok(Math.abs(out.alpha[c]! - alpha) <= 1e-12 * (1 + Math.abs(alpha)), `alpha b=${b} c=${c}`);
      assert.ok(Math.abs(out.beta[c]! - beta) <= 1e-12 * (1 + beta), `beta b=${b} c=${c}`);
      for (let i = 0; i < n; i++)
        assert.ok(Math.abs(out.next[i * b + c]! - w[i]! / beta) <= 1e-12, `next b=${b} c=${c} i=${i}`);
    }
  }
});

test("lrgBlockCsrMv: y = A x column by column, widths 1 … 9", () => {
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  // a small irregular graph: node i joined to i+1 and to 3i mod n (weights 1 … 3)
  const n = 29;
  const rows: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
  const add = (i: number, j: number, w: number) => {
    if (i === j) return;
    for (const [a, b] of [
      [i, j],
      [j, i],
    ] as const) {
      rows[a]!.set(b, (rows[a]!.get(b) ?? 0) - w);
      rows[a]!.set(a, (rows[a]!.get(a) ?? 0) + w);
    }
  };
  for (let i = 0; i < n; i++) {
    add(i, (i + 1) % n, 1 + (i % 3));
    add(i, (3 * i) % n, 2);
  }
  const rp = [0],
    ci: number[] = [],
    vs: number[] = [];
  for (const r of rows) {
    for (const j of [...r.keys()].sort((u, v) => u - v)) {
      ci.push(j);
      vs.push(r.get(j)!);
    }
    rp.push(ci.length);
  }
  for (let b = 1; b <= 9; b++) {
    const X = data(n * b, 41 + b);
    const got = kern.scope((s) => {
      const y = s.f64(n * b);
      kern.f64(y, n * b).fill(5);
      f.lrgBlockCsrMv(
        n,
        s.copyI32(Int32Array.from(rp)),
        s.copyI32(Int32Array.from(ci)),
        s.copyF64(Float64Array.from(vs)),
        b,
        s.copyF64(X),
        y,
      );
      return kern.readF64(y, n * b);
    });
    for (let i = 0; i < n; i++)
      for (let c = 0; c < b; c++) {
        let ref = 0;
        for (let p = rp[i]!; p < rp[i + 1]!; p++) ref += vs[p]! * X[ci[p]! * b + c]!;
        assert.ok(Math.abs(got[i * b + c]! - ref) <= 1e-13 * (1 + Math.abs(ref)), `b=${b} (${i},${c})`);
      }
  }
});

test.run();
