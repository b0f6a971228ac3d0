// The kernel's L-BFGS (dynSoftmaxFit) against the SDK's reference optimiser
// (`lbfgs` in sdk/dynamics/decode.ts over the same kernel loss): the same
// weights bit for bit, with the memory ring wrapping (more than 10 iterations)
// and with an early stop; and the fitted model must beat chance on separable data.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomUniform } from "../helpers/setup.js";
import { features, fitPredict } from "../../sdk/dynamics/decode.js";

const test = suite("dynamics/decode-kernel");

function problem(T: number, d: number, C: number, seed: number, signal: number) {
  const u = randomUniform(T * (d + 1), { seed });
  const y = new Int32Array(T);
  const data = new Uint8Array(T * d);
  for (let t = 0; t < T; t++) {
    y[t] = Math.floor(u[t * (d + 1)]! * C);
    for (let j = 0; j < d; j++) {
      // feature j fires more often when it "belongs" to the class
      const p = j % C === y[t] ? 0.1 + signal : 0.1;
      data[t * d + j] = u[t * (d + 1) + 1 + j]! < p ? 1 : 0;
    }
  }
  return { x: { T, n: d, data }, y };
}

const hex = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

for (const [T, d, C, maxIter, signal] of [
  [300, 24, 4, 60, 0.3],
  [500, 40, 3, 200, 0.05],
  [120, 7, 2, 5, 0.5],
] as const) {
  test(`dynSoftmaxFit = lbfgs bit for bit (T ${T}, d ${d}, C ${C}, maxIter ${maxIter})`, () => {
    const { x, y } = problem(T, d, C, 7 + d, signal);
    const f = features(x);
    const half = Math.floor(T / 2);
    const tr = { n: half, d, rowPtr: f.rowPtr.slice(0, half + 1), colIdx: f.colIdx, val: f.val };
    const ytr = y.slice(0, half);
    const kern = fitPredict(tr, ytr, C, 0.01, maxIter, f);
    const ref = fitPredict(tr, ytr, C, 0.01, maxIter, f, true);
    assert.ok(kern.w.some((v) => v !== 0));
    assert.is(hex(kern.w), hex(ref.w));
    assert.equal(Array.from(kern.pred), Array.from(ref.pred));
    if (signal >= 0.3) {
      let ok = 0;
      for (let t = half; t < T; t++) if (kern.pred[t] === y[t]) ok++;
      assert.ok(ok / (T - half) > 1.5 / C, `held-out accuracy ${ok / (T - half)}`);
    }
  });
}

test.run();
