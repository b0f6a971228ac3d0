/**
 * The Laplacian RG at scale as a sequence of steps that either run in the
 * calling thread or on a worker pool (sdk/parallel). The analysis is written
 * once, as a generator that yields {@link PoolRequest}s for its independent
 * parts (λ_max, chunks of SLQ probes); {@link runSync} answers them in the
 * calling thread, {@link runPooled} on a pool. Every request names a task of
 * sdk/lrg/tasks.ts and carries a `local` closure computing the same numbers
 * from the caller's kernel memory: the split is by probe index, chunks of a
 * size that does not depend on the pool, and every probe's recurrence is
 * column-independent in the block kernels (sums per column in row order), so
 * the results are the same bits for the synchronous call and any pool size.
 *
 * @module
 */
import type { WorkerPool } from "../parallel/pool.js";
import type { TaskName } from "../parallel/tasks.js";

/** A request of an analysis generator to its driver. */
export type PoolRequest =
  /** Start `task(...args)` (the driver may run it now or concurrently); answered with a handle. */
  | { kind: "start"; task: TaskName; args: unknown[]; local: () => unknown }
  /** The result of a started task; answered with that result. */
  | { kind: "wait"; handle: number }
  /**
   * `task` on every argument list (made on demand: only the pooled driver needs them); answered with
   * the results in input order. The synchronous driver answers with `local()` instead.
   */
  | { kind: "map"; task: TaskName; argsList: () => unknown[][]; local: () => unknown[] };

/** An analysis that yields requests and returns T. */
export type Steps<T> = Generator<PoolRequest, T, unknown>;

/**
 * Run an analysis in the calling thread: `start` runs the local closure at once, `map` runs its
 * local closure (the whole block of probes in one go).
 * @param steps The analysis.
 * @returns Its result.
 * @example
 * runSync(scaleSteps(s, g, o))
 */
export function runSync<T>(steps: Steps<T>): T {
  const done: unknown[] = [];
  let next = steps.next();
  while (!next.done) {
    const q = next.value;
    let answer: unknown;
    try {
      if (q.kind === "start") {
        done.push(q.local());
        answer = done.length - 1;
      } else if (q.kind === "wait") answer = done[q.handle];
      else answer = q.local();
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(answer);
  }
  return next.value;
}

/**
 * Run an analysis with its requests on a pool: `start` posts the task and returns at once (the
 * generator goes on in this thread, e.g. the low modes while a worker finds λ_max), `wait` and
 * `map` await the workers.
 * @param steps The analysis.
 * @param pool A pool from `createPool` (size 0 runs the tasks in this thread).
 * @returns Its result.
 * @example
 * await runPooled(scaleSteps(s, g, o), pool)
 */
export async function runPooled<T>(steps: Steps<T>, pool: WorkerPool): Promise<T> {
  const started: Array<Promise<unknown>> = [];
  let next = steps.next();
  while (!next.done) {
    const q = next.value;
    let answer: unknown;
    try {
      if (q.kind === "start") {
        const p = pool.run<unknown>(q.task, q.args);
        p.catch(() => undefined); // awaited at its `wait`; an unawaited failure must not be unhandled meanwhile
        started.push(p);
        answer = started.length - 1;
      } else if (q.kind === "wait") answer = await started[q.handle]!;
      else answer = await pool.map<unknown>(q.task, q.argsList());
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(answer);
  }
  return next.value;
}
