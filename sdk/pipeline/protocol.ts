/**
 * Messages between a page and the pipeline worker: a typed request/response
 * union whose method names are the synchronous API's (duckdb-wasm style).
 *
 * @module
 */
import type { PipelineResults, StageTiming } from "./results.js";
import type { RenderedFigure } from "../report/render.js";

/** Progress of a long run: which stage, how far (0…1), and a line for humans. */
export interface Progress {
  stage: string;
  /** Stage index (0-based) and count, for an overall bar. */
  index: number;
  count: number;
  /** Fraction of this stage done, 0…1. */
  fraction: number;
  message: string;
}

export type WorkerRequest =
  | { id: number; method: "init"; args: [wasmUrl: string] }
  | {
      id: number;
      method: "runPipeline";
      /** config (JSON-able); input bytes and their file name, if a file was given */
      args: [config: Record<string, unknown>, input: { bytes: Uint8Array; name: string } | null];
    };

export type WorkerResponse =
  | { id: number; type: "progress"; progress: Progress }
  | { id: number; type: "result"; value: unknown }
  | { id: number; type: "error"; error: { name: string; code: string | null; message: string } };

/** What `runPipeline` returns through the worker: results, rendered figures and the report. */
export interface WorkerPipelineOutput {
  results: PipelineResults;
  timings: StageTiming[];
  figures: RenderedFigure[];
  html: string;
  /** Web Workers in the run's pool (0: every stage in the pipeline worker itself). */
  workers: number;
}
