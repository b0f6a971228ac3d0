// laplacianRGAsync on a worker pool: λ_max beside the low modes and the SLQ probes in chunks of
// PROBES_PER_TASK give the same bits as laplacianRG for 0, 1 and 2 workers.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createPool, laplacianRG, laplacianRGAsync } from "../helpers/setup.js";
import type { Graph, LRGOptions, LRGResult } from "../helpers/setup.js";
import { barabasiAlbert, cliques, torus } from "./graphs.js";
import { usesLobpcg } from "../../sdk/lrg/scale.js";
import { symEdges } from "../../sdk/lrg/graph.js";

const test = suite("lrg/parallel");

const hex = (a: Float64Array | null) => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex") : "-");

/** Every number of every level, as bits. */
function bits(r: LRGResult): string {
  return JSON.stringify([
    r.levels.map((l) => [
      hex(l.tau),
      hex(l.entropy),
      hex(l.specificHeat),
      hex(l.entropyError),
      hex(l.specificHeatError),
      l.peaks,
      l.slq && {
        ...l.slq,
        specificHeatNoise: hex(l.slq.specificHeatNoise),
        specificHeatQuadrature: hex(l.slq.specificHeatQuadrature),
      },
    ]),
    r.flow.steps.map((s) => [s.tau, Array.from(s.assignment)]),
    r.flow.stopReason,
  ]);
}

const cases: Array<{ name: string; g: Graph; o: LRGOptions }> = [
  // Chebyshev-filtered low modes; 9 probes = tasks of 8 and 1 (an odd last chunk against one block of 9)
  { name: "torus 60², Chebyshev path, 9 probes", g: torus(60, 60), o: { method: "slq", flow: false, probes: 9 } },
  // LOBPCG low modes (hubs), λ_max on a worker beside them
  {
    name: "Barabási–Albert 3000, LOBPCG path",
    g: barabasiAlbert(3000, 3, 5),
    o: { method: "slq", flow: false, steps: 60 },
  },
  // a flow: SLQ levels one after another
  { name: "ring of 12 cliques of 10, flow", g: cliques(12, 10, "ring"), o: { method: "slq", probes: 6 } },
];

test("laplacianRGAsync: the same bits as laplacianRG with 0, 1 and 2 workers", async () => {
  assert.ok(usesLobpcg(symEdges("g", cases[1]!.g)), "the BA case takes the LOBPCG path");
  const pools = await Promise.all([0, 1, 2].map((workers) => createPool({ workers })));
  try {
    for (const c of cases) {
      const want = laplacianRG(c.g, c.o);
      const w = bits(want);
      for (const pool of pools) {
        const got = await laplacianRGAsync(c.g, c.o, pool);
        assert.ok(bits(got) === w, `${c.name}: workers = ${pool.size}`);
      }
      if (c.name.startsWith("torus")) {
        // and the numbers are real: λ_2 = 2(1 − cos 2π/60) of the 60² torus
        const l2 = 2 * (1 - Math.cos((2 * Math.PI) / 60));
        assert.ok(Math.abs(want.slq!.lambda2 / l2 - 1) < 1e-6, `λ_2 = ${want.slq!.lambda2}, exact ${l2}`);
        assert.ok(Math.abs(want.slq!.lambdaMax / 8 - 1) < 1e-6, `λ_max = ${want.slq!.lambdaMax}`);
      }
      if (c.name.startsWith("ring")) assert.ok(want.flow.steps.length >= 1, "the flow takes a step");
    }
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
});

test("laplacianRGAsync: a bad option rejects with the synchronous call's error", async () => {
  const pool = await createPool({ workers: 0 });
  let err: unknown = null;
  await laplacianRGAsync(torus(4, 4), { probes: -1 }, pool).catch((e) => (err = e));
  let want: unknown = null;
  try {
    laplacianRG(torus(4, 4), { probes: -1 });
  } catch (e) {
    want = e;
  }
  assert.ok(err instanceof Error && want instanceof Error && err.message === want.message, String(err));
  await pool.close();
});

test.run();
