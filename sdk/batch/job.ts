/**
 * Running one batch job where it lands (a pool thread, local or under a
 * BullMQ worker): the same calls and the same serialisation as `dgrn run`,
 * so results.json is byte-identical to `dgrn run --config
 * jobs/<id>/config.json [--input FILE]`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import {
  DgrnError,
  ErrorCode,
  getKernel,
  init,
  readSpikesAsync,
  runPipelineAsync,
  type Progress,
} from "../targets/node.js";
import { headline, type Headline } from "./metrics.js";
import { isDone, writeJobDir } from "./store.js";
import type { BatchJob } from "./plan.js";

/** What a job attempt came to. Errors are values here: they cross thread and process boundaries as JSON. */
export type JobOutcome =
  | { status: "written" | "exists" | "skipped"; id: string; ms: number; metrics: Headline | null }
  | { status: "failed"; id: string; ms: number; error: string; code: string | null; retry: boolean };

/** The one-line error `dgrn run` would print for `e` (without the `dgrn: ` prefix). */
export function errorLine(e: unknown): { error: string; code: string | null } {
  if (e instanceof DgrnError) return { error: `${e.message} [${e.code}]`, code: e.code };
  const msg = (e as Error)?.message ?? String(e);
  return { error: `internal error: ${msg}`, code: null };
}

/** results.json's bytes, exactly as `dgrn run` writes them. */
export const resultsText = (results: unknown) => JSON.stringify(results, null, 1) + "\n";

/**
 * Run one job in this thread and write its folder atomically.
 *
 * @param job - the job (from the plan)
 * @param out - the output root every worker shares
 * @param onProgress - pipeline progress (stage, fraction)
 * @returns the outcome; never throws for a job's own failure (bad input, pipeline error): that is `status: "failed"`
 *   with `retry` true only for errors that may pass on another attempt (I/O, internal errors)
 */
export async function executeJob(job: BatchJob, out: string, onProgress?: (p: Progress) => void): Promise<JobOutcome> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    await init();
    const k = getKernel();
    if (k.info.sha256 !== job.kernelSha256) {
      throw new DgrnError(
        `this worker's kernel (sha256 ${String(k.info.sha256).slice(0, 12)}…) is not the one the job was planned for (${job.kernelSha256.slice(0, 12)}…): run the same dgrn build everywhere`,
        ErrorCode.KERNEL_LOAD,
      );
    }
    if (await isDone(out, job.id)) return { status: "skipped", id: job.id, ms: ms(), metrics: null };
    let config: Record<string, unknown> = job.config;
    if (job.input.kind === "file") {
      const bytes = await readFile(job.input.path).catch((e) => {
        throw new DgrnError(
          `could not read \`${job.input.kind === "file" ? job.input.path : ""}\`: ${(e as Error).message}`,
          { code: ErrorCode.IO, cause: e },
        );
      });
      const sha = createHash("sha256").update(bytes).digest("hex");
      if (sha !== job.input.sha256) {
        throw new DgrnError(
          `input \`${job.input.path}\` changed since the batch was planned (sha256 ${sha.slice(0, 12)}… ≠ ${job.input.sha256.slice(0, 12)}…): rerun \`dgrn batch\``,
          ErrorCode.INVALID_DATA,
        );
      }
      // As `dgrn run --input FILE` reads it: the path, named by its base name.
      config = { ...config, input: await readSpikesAsync(job.input.path, { name: job.input.name }) };
    }
    const run = await runPipelineAsync(config, { onProgress: (p) => onProgress?.(p) });
    const html = run.html!;
    // who ran it and how long the pipeline and report took (wall ms): not part of results.json
    const record = {
      id: job.id,
      label: job.label,
      input: job.input,
      params: job.params,
      kernelSha256: job.kernelSha256,
      ranBy: `${hostname()}:${process.pid}`,
      runMs: ms(),
    };
    const status = await writeJobDir(out, job.id, {
      "results.json": resultsText(run.results),
      "report.html": html,
      "timings.json": JSON.stringify(run.timings, null, 2) + "\n",
      "config.json": JSON.stringify(job.config, null, 1) + "\n",
      "job.json": JSON.stringify(record, null, 1) + "\n",
    });
    return { status, id: job.id, ms: ms(), metrics: headline(run.results) };
  } catch (e) {
    const { error, code } = errorLine(e);
    // Bad input, a bad option or a kernel mismatch fail the same way every time; I/O and internal errors may not.
    const retry = !(e instanceof DgrnError) || e.code === ErrorCode.IO || e.code === ErrorCode.OUT_OF_MEMORY;
    return { status: "failed", id: job.id, ms: ms(), error, code, retry };
  }
}
