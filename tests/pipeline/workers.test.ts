// The whole job with 0, 1 and 2 workers (issue 20): results.json and
// report.html byte for byte the same as the run without a pool, on the
// default configuration and on an off-default one (another seed, another
// network size, the tree Born machine on). With a pool the tn and dynamics
// stages run side by side and the figures render on the workers; the progress
// events still come stage after stage.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runPipelineAsync, createPool, type PipelineConfig, type Progress } from "../helpers/setup.js";

const test = suite("pipeline/workers");

type Pool = Awaited<ReturnType<typeof createPool>>;
const pools: Pool[] = [];
test.before(async () => {
  for (const workers of [1, 2]) pools.push(await createPool({ workers }));
});
test.after(async () => {
  for (const p of pools) await p.close();
});

const results = (r: { results: unknown }) => JSON.stringify(r.results, null, 1);

async function sameForAnyPool(config: Partial<PipelineConfig>): Promise<void> {
  const serial = await runPipelineAsync(config);
  assert.ok(serial.html!.length > 100_000, "a report with its figures");
  const inThread = await createPool({ workers: 0 });
  const runs = [{ size: 0, pool: inThread }, ...pools.map((p) => ({ size: p.size, pool: p }))];
  for (const { size, pool } of runs) {
    const events: Progress[] = [];
    const out = await runPipelineAsync(config, { pool, onProgress: (p) => events.push(p) });
    assert.is(results(out), results(serial), `results.json, ${size} workers`);
    assert.is(out.html, serial.html, `report.html, ${size} workers`);
    assert.equal(
      out.figures!.map((f) => f.id),
      serial.figures!.map((f) => f.id),
    );
    // stage after stage, whatever ran side by side: indices never go back, each stage opens at 0 and closes at 1
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.index >= events[i - 1]!.index, `event ${i} in order`);
    const names = [...new Set(events.map((e) => e.stage))];
    assert.equal(names, ["data", "bin", "graph", "lrg", "tn", "dynamics", "report"]);
    for (const name of names) {
      const ev = events.filter((e) => e.stage === name);
      assert.is(ev[0]!.fraction, 0, `${name} opens at 0`);
      assert.is(ev[ev.length - 1]!.fraction, 1, `${name} closes at 1`);
    }
    assert.equal(
      out.timings.map((t) => t.stage),
      names,
    );
  }
  await inThread.close();
}

test("the default run: the same results.json and report.html with no pool and with 0, 1 and 2 workers", async () => {
  await sameForAnyPool({});
});

test("seed 2, 1,200 neurons (10 s), the tree Born machine on: the same bits with 0, 1 and 2 workers", async () => {
  const config: Partial<PipelineConfig> = {
    seed: 2,
    simulate: { n: 1200, duration: 10 },
    tn: { tol: 1e-3, maxBond: 4, sweep: [2, 4], tree: true },
  };
  await sameForAnyPool(config);
});

test.run();
