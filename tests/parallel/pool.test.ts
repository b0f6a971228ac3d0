// The in-run worker pool: latent diffusion split over 0 (in-thread), 1 and 2
// worker threads gives bit-identical graphs, equal to the synchronous call.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  createPool,
  latentDiffusion,
  latentDiffusionAsync,
  randomUniform,
  DgrnRangeError,
  ErrorCode,
} from "../helpers/setup.js";
import type { Graph } from "../helpers/setup.js";

const test = suite("parallel/pool");

function randomGraph(n: number, deg: number, seed: number): Graph {
  const u = randomUniform(n * deg * 2, { seed });
  const s = new Int32Array(n * deg),
    t = new Int32Array(n * deg),
    w = new Float64Array(n * deg);
  for (let q = 0; q < n * deg; q++) {
    s[q] = Math.floor(q / deg);
    t[q] = Math.floor(u[2 * q]! * n);
    w[q] = 0.5 + u[2 * q + 1]!;
  }
  return { n, directed: true, source: s, target: t, weight: w };
}

function bits(g: Graph): string {
  return [
    Array.from(g.source).join(","),
    Array.from(g.target).join(","),
    Buffer.from(g.weight.buffer, g.weight.byteOffset, g.weight.byteLength).toString("hex"),
  ].join("|");
}

test("latentDiffusionAsync: identical bits with 0, 1 and 2 workers and to latentDiffusion (n = 700, 3 tasks); errors reach the caller", async () => {
  const g = randomGraph(700, 6, 3);
  const want = bits(latentDiffusion(g, { tau: 1.5, neighbors: 12 }));
  for (const workers of [0, 1, 2]) {
    const pool = await createPool({ workers });
    try {
      assert.is(pool.size, workers);
      const got = await latentDiffusionAsync(g, { tau: 1.5, neighbors: 12 }, pool);
      assert.ok(bits(got) === want, `workers = ${workers}`);
      if (workers === 1) {
        let caught: unknown = null;
        await pool.run("diffusion.columns", [null, 0, 1]).catch((e) => {
          caught = e;
        });
        assert.ok(caught instanceof Error);
      }
    } finally {
      await pool.close();
    }
  }
  let err: unknown = null;
  await createPool({ workers: 1.5 }).catch((e) => {
    err = e;
  });
  assert.ok(err instanceof DgrnRangeError && (err as { code?: string }).code === ErrorCode.OUT_OF_RANGE);
});

test.run();
