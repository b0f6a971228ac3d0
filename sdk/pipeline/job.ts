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
  for (const stage of stages) {
    run.begin(stage);
    const out = pool && stage.runAsync ? await stage.runAsync(run.state, run.ctx, pool) : stage.run(run.state, run.ctx);
    run.finish(stage, out);
  }
  const output = run.output();
  if (options?.report === false) return output;
  // The report is a stage of its own for progress and timings.json, after results.json is complete.
  const report = { name: "report", describe: () => "rendering figures", run: () => ({}) };
  run.begin(report);
  const { renderReport } = await import("../report/html.js");
  const { html, figures } = await renderReport(output.results, output.extras);
  run.finish(report, {});
  return { ...output, html, figures };
}
