export {
  runPipeline,
  resolvePipelineConfig,
  PIPELINE_DEFAULTS,
  type PipelineConfig,
  type PipelineOutput,
} from "./run.js";
export { runPipelineAsync, type RunOptions, type RunOutput } from "./job.js";
export {
  PIPELINE_STAGES,
  dataStage,
  binStage,
  graphStage,
  lrgStage,
  tnStage,
  dynamicsStage,
  need,
  type PipelineStage,
  type PipelineState,
  type StageContext,
  type StageOutput,
} from "./stages.js";
export { rasterExtras, type ReportExtras } from "./extras.js";
export { RESULTS_SCHEMA, sanitize, type PipelineResults, type ScaleSummary, type StageTiming } from "./results.js";
export type { Progress, WorkerRequest, WorkerResponse, WorkerPipelineOutput } from "./protocol.js";
export { PipelineWorker } from "./client.js";
