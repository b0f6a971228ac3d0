// slq.warnings of laplacianRG reach the pipeline: results.lrg.slqWarnings and results.json `warnings`
// (sdk/pipeline/stages.ts lrg stage → sdk/pipeline/warnings.ts), when the lrg stage uses SLQ.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { laplacianRG, lrgSlqWarnings, lrgStage } from "../helpers/setup.js";
import type { PipelineResults } from "../../sdk/pipeline/results.js";
import { detectWarnings } from "../../sdk/pipeline/warnings.js";
import { cliques } from "./graphs.js";

const test = suite("lrg/pipeline-warnings");

test("lrgSlqWarnings: the input level's warnings verbatim, a coarse level's with its index; none for dense", () => {
  // 2 probes × 4 Lanczos steps: a band far wider than 0.1 in C·ln N
  const r = laplacianRG(cliques(6, 8, "ring"), { method: "slq", probes: 2, steps: 4, lowModes: 1 });
  const w0 = r.levels[0]!.slq!.warnings;
  assert.ok(w0.length >= 1 && /C\(τ\) is uncertain/.test(w0.join(" ")), w0.join(" | "));
  const all = lrgSlqWarnings(r);
  assert.equal(all.slice(0, w0.length), w0);
  r.levels.slice(1).forEach((l, k) => {
    for (const w of l.slq?.warnings ?? []) assert.ok(all.includes(`level ${k + 1} (${l.n} nodes): ${w}`));
  });
  assert.equal(lrgSlqWarnings(laplacianRG(cliques(6, 8, "ring"), { method: "dense" })), []);
});

test("the lrg stage with SLQ: results.lrg.slqWarnings and results.json warnings carry them; absent with dense", () => {
  // the stage on its own (the small pipeline run's graph is so small that SLQ deflates every mode)
  const g = cliques(6, 8, "ring");
  const stage = (lrg: Record<string, unknown>) =>
    lrgStage.run(
      {
        cfg: { lrg, lrgGraph: "partial", dynamics: { rule: "any" } },
        rgGraph: g,
        states: { T: 4, n: g.n, data: new Uint8Array(4 * g.n) },
      } as never,
      { seed: 1, onProgress: () => {} } as never,
    ).results as unknown as PipelineResults;
  const slq = stage({ method: "slq", probes: 2, steps: 4, lowModes: 1, flow: false });
  const want = laplacianRG(g, { method: "slq", probes: 2, steps: 4, lowModes: 1, flow: false, seed: 1 });
  assert.ok(want.slq!.warnings.length >= 1);
  assert.equal(slq.lrg.slqWarnings, want.slq!.warnings);
  const all = detectWarnings({ ...slq, tn: undefined, dynamics: undefined } as never);
  for (const x of want.slq!.warnings) assert.ok(all.includes(`RG curves (stochastic Lanczos quadrature): ${x}.`), x);
  const dense = stage({ method: "dense", flow: false });
  assert.is(dense.lrg.slqWarnings, undefined);
  assert.not.ok(
    detectWarnings({ ...dense, tn: undefined, dynamics: undefined } as never).some((x) =>
      x.startsWith("RG curves (stochastic"),
    ),
  );
});

test.run();
