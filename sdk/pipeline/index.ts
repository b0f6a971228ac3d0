export {
  runPipeline,
  resolvePipelineConfig,
  PIPELINE_DEFAULTS,
  type PipelineConfig,
  type PipelineOutput,
} from "./run.js";
export { RESULTS_SCHEMA, sanitize, type PipelineResults, type ScaleSummary, type StageTiming } from "./results.js";
export type { Progress, WorkerRequest, WorkerResponse, WorkerPipelineOutput } from "./protocol.js";
export { PipelineWorker } from "./client.js";
