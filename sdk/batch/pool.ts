/**
 * A fixed pool of worker threads that run batch jobs (tinypool). Each
 * thread holds its own kernel instance; the main thread stays free (for
 * progress, and for BullMQ's lock renewals while a job runs).
 *
 * Why tinypool: zero dependencies (piscina pulls a native addon as an
 * optional dependency; workerpool carries a browser/child-process layer we do
 * not use), an ESM worker file with a default export, per-task transfer lists
 * (our progress port), and a crashed thread is replaced while its task
 * rejects: all a fixed pool of CPU-bound jobs needs.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import type Tinypool from "tinypool";
import type { Progress } from "../targets/node.js";
import type { JobOutcome } from "./job.js";
import type { BatchJob } from "./plan.js";

/** Default size of a pool: the number of cores. */
export const defaultWorkers = () => availableParallelism();

/** The thread entry, beside the CLI bundle (dist/node/batch-worker.js). */
const WORKER_URL = new URL("./batch-worker.js", import.meta.url);

/** A pool of `size` threads running {@link executeJob}. */
export class JobPool {
  readonly #pool: Tinypool;
  readonly size: number;

  private constructor(pool: Tinypool, size: number) {
    this.#pool = pool;
    this.size = size;
  }

  /**
   * Start a pool (tinypool is loaded on first use).
   *
   * @param size - number of threads (≥ 1)
   */
  static async open(size: number): Promise<JobPool> {
    const { default: Tinypool } = await import("tinypool");
    return new JobPool(
      new Tinypool({ filename: WORKER_URL.href, minThreads: size, maxThreads: size, idleTimeout: 60_000 }),
      size,
    );
  }

  /**
   * Run one job on a free thread (queued while all are busy).
   *
   * @returns the outcome; a thread that died mid-job (crash, out of memory) is a retryable failure
   */
  async run(job: BatchJob, out: string, onProgress?: (p: Progress) => void): Promise<JobOutcome> {
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (p: Progress) => onProgress?.(p));
    const t0 = performance.now();
    try {
      return (await this.#pool.run({ job, out, port: port2 }, { transferList: [port2] as never })) as JobOutcome;
    } catch (e) {
      return {
        status: "failed",
        id: job.id,
        ms: Math.round(performance.now() - t0),
        error: `internal error: the worker thread died: ${(e as Error)?.message ?? e}`,
        code: null,
        retry: true,
      };
    } finally {
      port1.close();
    }
  }

  /** Stop every thread. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
