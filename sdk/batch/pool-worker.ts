/**
 * Entry of a pool thread (bundled to dist/node/batch-worker.js): tinypool
 * calls the default export once per job. The kernel is loaded once per
 * thread; progress goes back through the MessagePort sent with the task.
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import { executeJob, type JobOutcome } from "./job.js";
import type { BatchJob } from "./plan.js";

/** One task: a job, the output root, and a port for progress messages. */
export interface PoolTask {
  job: BatchJob;
  out: string;
  port?: MessagePort;
}

export default async function runTask(task: PoolTask): Promise<JobOutcome> {
  try {
    return await executeJob(task.job, task.out, task.port ? (p) => task.port!.postMessage(p) : undefined);
  } finally {
    task.port?.close();
  }
}
