/**
 * The embedded default: a batch's jobs on a pool of worker threads in this
 * process, with the same retry policy as the BullMQ mode.
 *
 * @module
 */
import { JobPool } from "./pool.js";
import { writeFailure } from "./store.js";
import type { BatchJob } from "./plan.js";
import type { JobOutcome } from "./job.js";
import type { BatchView } from "./view.js";

/** Bounded retries: `attempts` in all, waiting `backoff` · 2^(k−1) ms before attempt k+1. */
export interface RetryPolicy {
  attempts: number;
  backoff: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoff: 1000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run jobs on `workers` threads; each job's folder is written by its thread.
 *
 * @param jobs - the jobs to run (those already done are skipped by the thread too)
 * @param out - the output root
 * @param opts - pool size, retry policy, progress view
 * @returns every job's final outcome, in the order given
 */
export async function runLocal(
  jobs: BatchJob[],
  out: string,
  opts: { workers: number; retry?: RetryPolicy; view: BatchView },
): Promise<JobOutcome[]> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const pool = await JobPool.open(Math.max(1, Math.min(opts.workers, jobs.length || 1)));
  try {
    return await Promise.all(
      jobs.map(async (job) => {
        for (let attempt = 1; ; attempt++) {
          let started = false;
          const o = await pool.run(job, out, (p) => {
            if (!started) opts.view.start(job.id);
            started = true;
            opts.view.progress(job.id, p);
          });
          if (o.status !== "failed") {
            opts.view.end(
              job.id,
              true,
              `${o.status === "exists" ? "already written by another worker" : o.status === "skipped" ? "already done" : "written"} in ${(o.ms / 1000).toFixed(1)} s`,
            );
            return o;
          }
          const again = o.retry && attempt < retry.attempts;
          opts.view.end(job.id, false, `${o.error}${again ? ` (attempt ${attempt}/${retry.attempts})` : ""}`, again);
          if (!again) {
            await writeFailure(out, {
              id: job.id,
              label: job.label,
              params: job.params,
              error: o.error,
              code: o.code,
              attempts: attempt,
              at: new Date().toISOString(),
            });
            return o;
          }
          await sleep(retry.backoff * 2 ** (attempt - 1));
        }
      }),
    );
  } finally {
    await pool.close();
  }
}
