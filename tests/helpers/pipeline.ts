// One small pipeline run per test process (a 5-second simulation), shared by
// the pipeline test files, and the same run through the CLI for the report.
import { readFileSync } from "node:fs";
import { runPipeline, type PipelineOutput, type PipelineConfig } from "./setup.js";

/** The small configuration every pipeline test uses (committed beside the tests). */
export const SMALL_CONFIG_PATH = "tests/pipeline/small.config.json";
export const SMALL_CONFIG: Partial<PipelineConfig> = JSON.parse(readFileSync(SMALL_CONFIG_PATH, "utf8"));

let cached: PipelineOutput | null = null;

/** runPipeline(SMALL_CONFIG), once per process. Do not mutate it. */
export function smallRun(): PipelineOutput {
  return (cached ??= runPipeline(SMALL_CONFIG));
}
