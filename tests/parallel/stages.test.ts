// Stage-level async variants on the in-run pool: bit-identical to the
// synchronous call for 0 (in-thread), 1 and 2 workers. One pool per size for
// every check (a worker start-up compiles the SDK through tsx in development).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createPool, decode, decodeAsync, decodeFlow, decodeFlowAsync, randomUniform } from "../helpers/setup.js";
import type { RGFlow } from "../helpers/setup.js";

const test = suite("parallel/stages");

const T = 600,
  n = 24;
const u = randomUniform(T * (n + 1), { seed: 12 });
const labels = new Int32Array(T);
const data = new Uint8Array(T * n);
for (let t = 0; t < T; t++) {
  labels[t] = Math.floor(t / 50) % 3;
  for (let j = 0; j < n; j++) data[t * n + j] = u[t * (n + 1) + 1 + j]! < (j % 3 === labels[t] ? 0.35 : 0.15) ? 1 : 0;
}
const states = { T, n, data };
const assignment = Int32Array.from({ length: n }, (_, j) => j % 6);
const groups = Array.from({ length: 6 }, (_, g) => Array.from({ length: n / 6 }, (_, q) => g + 6 * q));
const flow: RGFlow = { n0: n, stopReason: "test", steps: [{ tau: 1, n: 6, groups, assignment }] };

const json = (v: unknown) =>
  JSON.stringify(v, (_, x) =>
    ArrayBuffer.isView(x)
      ? Array.from(x as unknown as ArrayLike<number>)
      : typeof x === "number"
        ? Buffer.from(new Float64Array([x]).buffer).toString("hex")
        : x,
  );

test("decodeAsync and decodeFlowAsync: same bits as decode / decodeFlow with 0, 1 and 2 workers", async () => {
  const opts = { folds: 5, seed: 3, maxIter: 40 };
  const want = json(decode(states, labels, opts));
  const wantFlow = json(decodeFlow(states, flow, labels, opts));
  assert.ok(JSON.parse(want).accuracy !== undefined);
  for (const workers of [0, 1, 2]) {
    const pool = await createPool({ workers });
    try {
      assert.is(json(await decodeAsync(states, labels, opts, pool)), want, `decode, workers = ${workers}`);
      const seen: number[] = [];
      const got = await decodeFlowAsync(states, flow, labels, { ...opts, onProgress: (f) => seen.push(f) }, pool);
      assert.is(json(got), wantFlow, `decodeFlow, workers = ${workers}`);
      assert.equal(
        seen.sort((a, b) => a - b),
        [0.5, 1],
      );
    } finally {
      await pool.close();
    }
  }
});

test.run();
