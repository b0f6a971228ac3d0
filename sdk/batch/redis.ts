/**
 * The distributed mode on BullMQ (Redis): `dgrn batch --redis URL` enqueues
 * one BullMQ job per batch job (BullMQ job id = our job id, so enqueueing
 * twice adds nothing), waits while `dgrn worker`s run them, and reads each
 * job's state and summary back from the queue.
 *
 * Faults: a worker holds a lock on its job and renews it from its main
 * thread (the pipeline runs on a pool thread, so renewals never starve);
 * when the worker dies, the lock expires and any other worker's stalled-job
 * check puts the job back in the wait list. A job that fails is retried
 * with exponential backoff up to `attempts` times, unless its error is one
 * that fails the same way every time (bad input, bad option): then it fails
 * at once with its one-line error, and the other jobs go on.
 *
 * @module
 */
import { hostname } from "node:os";
import type { ConnectionOptions, Job, Queue } from "bullmq";
import { DgrnError, DgrnIOError, DgrnRangeError, ErrorCode, type Progress } from "../targets/node.js";
import { message } from "../validate.js";
import { JobPool } from "./pool.js";
import { isDone, writeFailure } from "./store.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./local.js";
import type { BatchJob } from "./plan.js";
import type { JobOutcome } from "./job.js";
import type { BatchView } from "./view.js";
import { jobName } from "./view.js";

/** bullmq, loaded on first use (so that other commands do not pay for it). */
const bullmq = () => import("bullmq");

/** The default queue name. */
export const DEFAULT_QUEUE = "dgrn";

/** What a BullMQ job carries. */
export interface QueuedJob {
  job: BatchJob;
  /** The output root (absolute; every worker must reach it under this path). */
  out: string;
}

/** What a completed BullMQ job returns (kept in Redis as the job's summary). */
export type QueuedSummary = Extract<JobOutcome, { status: "written" | "exists" | "skipped" }> & { worker: string };

/**
 * Connection options from a `redis://[user:password@]host[:port][/db]` (or `rediss://`) URL.
 *
 * @param url - the URL
 * @param persistent - reconnect for ever (workers) instead of failing after a few tries (clients)
 * @returns ioredis options for BullMQ
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for anything else
 */
export function redisConnection(url: string, persistent = false): ConnectionOptions & { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DgrnRangeError(message("--redis", "a URL like redis://127.0.0.1:6379", url), ErrorCode.INVALID_OPTION);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new DgrnRangeError(message("--redis", "a redis:// or rediss:// URL", url), ErrorCode.INVALID_OPTION);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new DgrnRangeError(
      message("--redis", "a database number as the path (redis://host:port/0)", url),
      ErrorCode.INVALID_OPTION,
    );
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // a worker reconnects for ever (Redis may restart under it); a client command fails after a few tries
    retryStrategy: (times: number) =>
      persistent ? Math.min(times * 200, 5000) : times > 5 ? null : Math.min(times * 200, 1000),
  };
}

/** The URL without its password (for manifests and logs). */
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

/**
 * Enqueue the jobs that have no result yet. A job already waiting or running
 * is left alone; one that completed (but whose folder is gone) or failed
 * before is replaced, so a rerun retries failures.
 *
 * @returns how many were added, left queued, and skipped (done on disk)
 */
export async function enqueue(
  jobs: BatchJob[],
  out: string,
  opts: { url: string; queue: string; retry?: RetryPolicy },
): Promise<{ added: number; queued: number; done: number }> {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const q = await openQueue(opts.url, opts.queue);
  let added = 0;
  let queued = 0;
  let done = 0;
  try {
    for (const job of jobs) {
      if (await isDone(out, job.id)) {
        done++;
        continue;
      }
      const old = await q.getJob(job.id);
      if (old) {
        const state = await old.getState();
        if (state === "completed" || state === "failed") await old.remove();
        else {
          queued++;
          continue;
        }
      }
      await q.add(
        "run",
        { job, out },
        {
          jobId: job.id,
          attempts: retry.attempts,
          backoff: { type: "exponential", delay: retry.backoff },
          removeOnComplete: { age: 30 * 86400 },
          removeOnFail: { age: 30 * 86400 },
        },
      );
      added++;
    }
  } catch (e) {
    throw redisError(opts.url, e);
  } finally {
    await q.close();
  }
  return { added, queued, done };
}

/** A job's state as the queue and the output root say it. */
export interface QueueState {
  id: string;
  state: string;
  progress: Progress | null;
  error: string | null;
  attemptsMade: number;
  summary: QueuedSummary | null;
}

/** Read the queue states of some jobs (missing from the queue: `"unknown"`). */
export async function queueStates(q: Queue<QueuedJob>, ids: string[]): Promise<QueueState[]> {
  return Promise.all(
    ids.map(async (id) => {
      const j = await q.getJob(id);
      if (!j) return { id, state: "unknown", progress: null, error: null, attemptsMade: 0, summary: null };
      const state = await j.getState();
      const p = j.progress as Progress | number | null;
      return {
        id,
        state,
        progress: p && typeof p === "object" && "stage" in p ? p : null,
        error: j.failedReason ? String(j.failedReason) : null,
        attemptsMade: j.attemptsMade ?? 0,
        summary: (j.returnvalue as QueuedSummary | null) ?? null,
      };
    }),
  );
}

/** Open a queue (for status and waiting). */
export async function openQueue(url: string, queue: string): Promise<Queue<QueuedJob>> {
  const { Queue } = await bullmq();
  const q = new Queue<QueuedJob>(queue, { connection: redisConnection(url) });
  q.on("error", () => {}); // reported through the failing call instead
  try {
    await q.waitUntilReady();
  } catch (e) {
    await q.close().catch(() => {});
    throw redisError(url, e);
  }
  return q;
}

/** A Redis failure as one line. */
function redisError(url: string, e: unknown): DgrnError {
  if (e instanceof DgrnError) return e;
  return new DgrnIOError(`Redis at ${redactUrl(url)}: ${(e as Error)?.message ?? e}`, { cause: e });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until every job has ended (completed or failed for good), showing progress.
 *
 * @returns the ids that failed, with their errors
 */
export async function waitForJobs(
  jobs: BatchJob[],
  out: string,
  opts: { url: string; queue: string; view: BatchView; pollMs?: number },
): Promise<Map<string, string>> {
  const q = await openQueue(opts.url, opts.queue);
  const pending = new Set<string>();
  for (const j of jobs) if (!(await isDone(out, j.id))) pending.add(j.id);
  const failed = new Map<string, string>();
  const seenActive = new Set<string>();
  const lastStage = new Map<string, string>();
  let lastPending = pending.size;
  let idleSince = performance.now();
  let warned = false;
  try {
    while (pending.size > 0) {
      for (const s of await queueStates(q, [...pending])) {
        if (s.state === "active") {
          if (!seenActive.has(s.id)) {
            seenActive.add(s.id);
            opts.view.start(s.id);
          }
          if (s.progress && lastStage.get(s.id) !== `${s.progress.stage}${s.progress.fraction}`) {
            lastStage.set(s.id, `${s.progress.stage}${s.progress.fraction}`);
            opts.view.progress(s.id, s.progress);
          }
        } else if (s.state === "completed" || (await isDone(out, s.id))) {
          pending.delete(s.id);
          const sum = s.summary;
          opts.view.end(s.id, true, sum ? `${sum.status} by ${sum.worker} in ${(sum.ms / 1000).toFixed(1)} s` : "done");
        } else if (s.state === "failed") {
          pending.delete(s.id);
          failed.set(s.id, s.error ?? "failed");
          opts.view.end(s.id, false, `${s.error ?? "failed"} (after ${s.attemptsMade} attempt(s))`);
        } else if (s.state === "unknown") {
          // removed from the queue without a result (e.g. by hand): nothing will run it
          pending.delete(s.id);
          failed.set(s.id, "the job is no longer in the queue and has no result");
          opts.view.end(s.id, false, "no longer in the queue, no result");
        } else if (
          seenActive.has(s.id) &&
          (s.state === "waiting" || s.state === "delayed" || s.state === "prioritized")
        ) {
          seenActive.delete(s.id);
          opts.view.note(
            `${s.id.slice(0, 12)} back in the queue (${s.state}${s.attemptsMade ? `, ${s.attemptsMade} failed attempt(s)` : ", its worker stopped"})`,
          );
        }
      }
      if (pending.size < lastPending || seenActive.size > 0) {
        lastPending = pending.size;
        idleSince = performance.now();
      } else if (!warned && performance.now() - idleSince > 30_000) {
        warned = true;
        opts.view.note(
          `no job has been taken for 30 s: is a \`dgrn worker --redis URL --queue ${opts.queue}\` running?`,
        );
      }
      if (pending.size > 0) await sleep(opts.pollMs ?? 500);
    }
  } catch (e) {
    throw redisError(opts.url, e);
  } finally {
    await q.close();
  }
  return failed;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  url: string;
  queue: string;
  concurrency: number;
  /** Lock duration (ms): how long a job stays claimed without a renewal. BullMQ's default 30,000. */
  lockDuration?: number;
  /** How often (ms) this worker checks for stalled jobs of dead workers. BullMQ's default 30,000. */
  stalledInterval?: number;
  /** How many times a job may be recovered from a dead worker before it fails. Default 2. */
  maxStalledCount?: number;
  log: (line: string) => void;
}

/**
 * Start a worker: takes jobs from the queue, runs each on a pool thread,
 * writes its folder under the job's output root, reports progress.
 *
 * @returns a handle whose `close()` finishes the running jobs, then stops
 */
export async function startWorker(opts: WorkerOptions): Promise<{ close(): Promise<void>; closed: Promise<void> }> {
  const { Worker, UnrecoverableError } = await bullmq();
  const me = `${hostname()}:${process.pid}`;
  const pool = await JobPool.open(opts.concurrency);
  const processor = async (bj: Job<QueuedJob, QueuedSummary>): Promise<QueuedSummary> => {
    const { job, out } = bj.data;
    opts.log(`start ${job.id.slice(0, 12)} ${jobName(job)} (attempt ${bj.attemptsMade + 1})`);
    let last = 0;
    let stage = "";
    const o = await pool.run(job, out, (p) => {
      const now = performance.now();
      if (p.stage === stage && now - last < 250) return;
      stage = p.stage;
      last = now;
      bj.updateProgress(p as unknown as object).catch(() => {});
    });
    if (o.status === "failed") {
      const final = !o.retry || bj.attemptsMade + 1 >= (bj.opts.attempts ?? 1);
      opts.log(`failed ${job.id.slice(0, 12)}: ${o.error}${final ? "" : " (will retry)"}`);
      if (final)
        await writeFailure(out, {
          id: job.id,
          label: job.label,
          params: job.params,
          error: o.error,
          code: o.code,
          attempts: bj.attemptsMade + 1,
          at: new Date().toISOString(),
        }).catch(() => {});
      throw o.retry ? new Error(o.error) : new UnrecoverableError(o.error);
    }
    opts.log(
      `${o.status === "written" ? "wrote" : o.status === "exists" ? "discarded (already written)" : "skipped (done)"} ${job.id.slice(0, 12)} in ${(o.ms / 1000).toFixed(1)} s`,
    );
    return { ...o, worker: me };
  };
  const worker = new Worker<QueuedJob, QueuedSummary>(opts.queue, processor, {
    connection: redisConnection(opts.url, true),
    concurrency: opts.concurrency,
    lockDuration: opts.lockDuration ?? 30_000,
    stalledInterval: opts.stalledInterval ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
    autorun: true,
  });
  worker.on("error", (e) => opts.log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  let resolveClosed: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await worker.close();
      await pool.close();
      resolveClosed();
    })());
  return { close, closed };
}
