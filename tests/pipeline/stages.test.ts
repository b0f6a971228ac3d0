// The stage table: a stage added by writing one function and registering it,
// the async entry equal to the synchronous one, and stage-order errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  runPipeline,
  runPipelineAsync,
  createPool,
  PIPELINE_STAGES,
  need,
  DgrnError,
  ErrorCode,
  type PipelineStage,
  type Progress,
} from "../helpers/setup.js";
import { smallRun, SMALL_CONFIG } from "../helpers/pipeline.js";

const test = suite("pipeline/stages");

/** fn throws a DgrnError with this code and a message matching re. */
function fails(fn: () => unknown, code: string, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, DgrnError);
    assert.is((e as DgrnError).code, code);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable("nothing was thrown");
}

/** A stage of our own: spikes per community, read from the graph and bin stages' state. */
const spikesPerCommunity: PipelineStage = {
  name: "community-spikes",
  describe: (s) => `counting spikes in ${need(s, "communities", "graph").count} communities`,
  run(s, ctx) {
    const binned = need(s, "binned", "bin");
    const com = need(s, "communities", "graph");
    const out = new Array<number>(com.count).fill(0);
    const n = binned.nNeurons;
    for (let b = 0; b < binned.nBins; b++)
      for (let i = 0; i < n; i++) out[com.labels[i]!]! += binned.counts[b * n + i]!;
    ctx.onProgress(1, "counted");
    return { results: { communitySpikes: out } as never };
  },
};

test("the default table is the six documented stages, in order", () => {
  assert.equal(
    PIPELINE_STAGES.map((s) => s.name),
    ["data", "bin", "graph", "lrg", "tn", "dynamics"],
  );
  assert.ok(Object.isFrozen(PIPELINE_STAGES));
});

test("a registered stage runs in its place, adds its slice, and is counted in progress", () => {
  const stages = [...PIPELINE_STAGES.slice(0, 3), spikesPerCommunity];
  const events: Progress[] = [];
  const out = runPipeline(SMALL_CONFIG, { stages, onProgress: (p) => events.push(p) });
  const counts = (out.results as unknown as { communitySpikes: number[] }).communitySpikes;
  // independent reference: the total equals data.totalSpikes, and each community's sum by hand from the labels
  assert.is(
    counts.reduce((a, b) => a + b, 0),
    out.results.data.totalSpikes,
  );
  assert.is(counts.length, out.results.graph.nCommunities);
  assert.equal(
    out.timings.map((t) => t.stage),
    ["data", "bin", "graph", "community-spikes"],
  );
  assert.ok(events.every((e) => e.count === 5)); // 4 stages + the report
  assert.ok(events.some((e) => e.stage === "community-spikes" && e.message === "counted" && e.index === 3));
  // the stages before it produce the same slices as the full run
  assert.equal(out.results.graph, smallRun().results.graph);
});

test("a stage registered before its producer fails with a message naming the producer", () => {
  const stages = [PIPELINE_STAGES[0]!, spikesPerCommunity];
  fails(() => runPipeline(SMALL_CONFIG, { stages }), ErrorCode.INVALID_OPTION, /"graph", which has not run/);
});

test("bad stage tables are rejected before any work", () => {
  let events = 0;
  const onProgress = () => events++;
  fails(() => runPipeline(SMALL_CONFIG, { stages: [], onProgress }), ErrorCode.INVALID_OPTION, /options\.stages/);
  fails(
    () => runPipeline(SMALL_CONFIG, { stages: [PIPELINE_STAGES[0]!, PIPELINE_STAGES[0]!], onProgress }),
    ErrorCode.INVALID_OPTION,
    /options\.stages\[1\]\.name/,
  );
  fails(
    () => runPipeline(SMALL_CONFIG, { stages: [{ name: "x" } as never], onProgress }),
    ErrorCode.INVALID_OPTION,
    /options\.stages\[0\]/,
  );
  assert.is(events, 0);
});

test("runPipelineAsync gives the same results.json as runPipeline, and renders the report as its last stage", async () => {
  const events: Progress[] = [];
  const out = await runPipelineAsync(SMALL_CONFIG, { onProgress: (p) => events.push(p) });
  assert.is(JSON.stringify(out.results), JSON.stringify(smallRun().results));
  assert.ok(out.html!.startsWith("<!doctype html>"));
  assert.ok(out.figures!.length > 3);
  assert.equal(
    out.timings.map((t) => t.stage),
    ["data", "bin", "graph", "lrg", "tn", "dynamics", "report"],
  );
  const last = events[events.length - 1]!;
  assert.equal([last.stage, last.index, last.count, last.fraction], ["report", 6, 7, 1]);
  const noReport = await runPipelineAsync(SMALL_CONFIG, { report: false });
  assert.is(noReport.html, undefined);
  assert.is(JSON.stringify(noReport.results), JSON.stringify(smallRun().results));
});

test("runPipelineAsync with a 2-worker pool: the same results.json bit for bit", async () => {
  const pool = await createPool({ workers: 2 });
  try {
    const out = await runPipelineAsync(SMALL_CONFIG, { pool, report: false });
    assert.is(JSON.stringify(out.results), JSON.stringify(smallRun().results));
  } finally {
    await pool.close();
  }
});

test("after: a stage reading up to an earlier one runs beside the ones in between; results, warnings and progress stay in table order; errors name the bad `after` or come from the failing stage", async () => {
  // "late" reads only the bin stage: with a pool it starts beside "graph"; its warning still comes after graph's
  const late: PipelineStage = {
    name: "late",
    after: "bin",
    describe: () => "counting bins",
    async runAsync(s, ctx) {
      await new Promise((r) => setTimeout(r, 5));
      ctx.warnings.push("late: a warning");
      return { results: { lateBins: need(s, "binned", "bin").nBins } as never };
    },
    run(s, ctx) {
      ctx.warnings.push("late: a warning");
      return { results: { lateBins: need(s, "binned", "bin").nBins } as never };
    },
  };
  const graphWarns: PipelineStage = {
    ...PIPELINE_STAGES[2]!,
    run(s, ctx) {
      const out = PIPELINE_STAGES[2]!.run(s, ctx);
      ctx.warnings.push("graph: a warning");
      return out;
    },
    runAsync: undefined,
  };
  const stages = [PIPELINE_STAGES[0]!, PIPELINE_STAGES[1]!, graphWarns, late];
  const pool = await createPool({ workers: 0 });
  try {
    const events: Progress[] = [];
    const out = await runPipelineAsync(SMALL_CONFIG, {
      stages,
      pool,
      report: false,
      onProgress: (p) => events.push(p),
    });
    const serial = await runPipelineAsync(SMALL_CONFIG, { stages, report: false });
    assert.is(JSON.stringify(out.results), JSON.stringify(serial.results));
    const w = out.results.warnings;
    assert.ok(w.indexOf("graph: a warning") >= 0 && w.indexOf("graph: a warning") < w.indexOf("late: a warning"));
    assert.is((out.results as unknown as { lateBins: number }).lateBins, out.results.data.nBins);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.index >= events[i - 1]!.index);
    assert.equal(
      out.timings.map((t) => t.stage),
      ["data", "bin", "graph", "late"],
    );
    // a failing stage: its error, after every stage has settled
    const boom: PipelineStage = {
      name: "boom",
      after: "bin",
      describe: () => "failing",
      run: () => {
        throw new DgrnError("boom failed", ErrorCode.INVALID_DATA);
      },
    };
    await runPipelineAsync(SMALL_CONFIG, { stages: [...stages.slice(0, 3), boom, late], pool, report: false }).then(
      () => assert.unreachable("no error"),
      (e: Error) => assert.match(e.message, /boom failed/),
    );
  } finally {
    await pool.close();
  }
  fails(
    () => runPipeline(SMALL_CONFIG, { stages: [PIPELINE_STAGES[0]!, { ...late, after: "graph" }] }),
    "ERR_INVALID_OPTION",
    /options\.stages\[1\]\.after/,
  );
});

test.run();
