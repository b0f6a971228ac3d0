/**
 * The one asynchronous entry of the whole job: the stage table of
 * {@link runPipeline}, with a worker pool where a stage can use one, and the
 * report rendered at the end. The CLI's `dgrn run`, the pipeline worker of the
 * web page and the batch workers all call this, so the report step is written
 * once.
 *
 * @module
 */
import type { WorkerPool } from "../parallel/pool.js";
import type { RenderedFigure } from "../report/render.js";
import type { Progress } from "./protocol.js";
import type { PIPELINE_STAGES, PipelineStage } from "./stages.js";
import { checkStages, startRun, type PipelineConfig, type PipelineOutput } from "./run.js";

/** Options of {@link runPipelineAsync}. */
export interface RunOptions {
  /** Called at every stage boundary and within stages. */
  onProgress?: (p: Progress) => void;
  /** Render report.html and its figures (default true). The report module is loaded only when it is rendered. */
  report?: boolean;
  /**
   * A worker pool (createPool) for the stages that have a pooled variant.
   * The results are identical bit for bit with or without it, for any number of workers.
   */
  pool?: WorkerPool;
  /**
   * With a pool, start a stage as soon as the stages it reads have finished (its `after`), beside the stages in
   * between (default true). false runs the stages one after another, so that each stage's wall and CPU time are
   * its own (benchmarks/pipeline-scaling.bench.ts). The results are the same either way.
   */
  overlap?: boolean;
  /** The stage table (default {@link PIPELINE_STAGES}); see docs/architecture.md, "Adding a stage". */
  stages?: readonly PipelineStage[];
}

/** What {@link runPipelineAsync} returns: the pipeline's output, and the report when rendered. */
export interface RunOutput extends PipelineOutput {
  /** report.html (absent with `report: false`). */
  html?: string;
  /** The report's figures as SVG (absent with `report: false`). */
  figures?: RenderedFigure[];
}

/**
 * Run the whole job: every stage, then the report.
 *
 * @param config - any subset of {@link PipelineConfig} (checked whole before any work)
 * @param options - progress callback, whether to render the report, a worker pool
 * @returns results (results.json), extras, timings (the report's among them), and report.html with its figures
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` / `ERR_OUT_OF_RANGE` for a bad configuration (before any work)
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for a recording the pipeline cannot analyse
 * @example
 * ```ts
 * import { init, runPipelineAsync } from "dgrn";
 * await init();
 * const { results, html } = await runPipelineAsync({ seed: 1, simulate: { duration: 5 } });
 * html!.startsWith("<!doctype html>"); // true
 * ```
 */
export async function runPipelineAsync(config?: Partial<PipelineConfig>, options?: RunOptions): Promise<RunOutput> {
  const stages = checkStages(options?.stages);
  const run = startRun(config, options?.onProgress, stages.length);
  const pool = options?.pool;
  const withReport = options?.report !== false;
  const overlap = options?.overlap !== false;
  // each worker loads the report module (vega) while the first stages run, so the figures start at once
  const warm = pool && pool.size > 0 && withReport ? warmReport(pool) : null;
  // a stage starts when the stage it reads up to (`after`, default the one before it) and every stage before
  // that have finished; with a pool, stages that do not read each other then run side by side (without one, or
  // with overlap false, every stage waits for the one before it). Results in table order.
  const sideBySide = pool !== undefined && overlap;
  const finished: Promise<unknown>[] = [];
  const started = stages.map((stage, i) => {
    const upTo = stage.after === undefined || !sideBySide ? i - 1 : stages.findIndex((st) => st.name === stage.after);
    const p = Promise.all(finished.slice(0, upTo + 1)).then(async () => {
      const r = run.begin(stage);
      r.done(pool && stage.runAsync ? await stage.runAsync(run.state, r.ctx, pool) : stage.run(run.state, r.ctx));
      return r;
    });
    finished.push(p);
    return p;
  });
  // each stage is finished (its progress released, its slices kept) in table order as soon as it and every
  // stage before it are done; every stage is awaited (a failing one lets the others settle) before an error is thrown
  const inOrder = started.reduce<Promise<unknown>>(
    (chain, p) => chain.then(async () => run.finish(await p)),
    Promise.resolve(),
  );
  const settled = await Promise.allSettled([...started, inOrder]);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  const output = run.output();
  if (!withReport) return output;
  await warm;
  // The report is a stage of its own for progress and timings.json, after results.json is complete.
  const report = { name: "report", describe: () => "rendering figures", run: () => ({}) };
  const r = run.begin(report);
  const { renderReport } = await import("../report/html.js");
  const { html, figures } = await renderReport(output.results, output.extras, pool);
  r.done({});
  run.finish(r);
  return { ...output, html, figures };
}

/** Load the report module in every worker (one small figure each), ignoring failures (the report task reports them). */
function warmReport(pool: WorkerPool): Promise<unknown> {
  const spec = { mark: "point", data: { values: [{ x: 0 }] }, encoding: { x: { field: "x", type: "quantitative" } } };
  return Promise.allSettled(Array.from({ length: pool.size }, () => pool.run("report.svg", [spec, "warm"])));
}
