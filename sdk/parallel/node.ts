/**
 * Node worker pool: worker_threads, each loading this SDK build (the bundle
 * itself, or the TypeScript sources through tsx in development) and its own
 * copy of dgrn.wasm.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { init } from "../kernel/init.js";
import {
  inThreadPool,
  poolOf,
  runWorkersFor,
  serveTasks,
  checkWorkers,
  type Endpoint,
  type WorkerPool,
} from "./pool.js";
import { checkOptions } from "../validate.js";

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Number of workers; 0 runs every task in the calling thread. Default: available cores − 1 (at least 1). */
  workers?: number;
}

export { RUN_WORKERS_MAX } from "./pool.js";

/**
 * The default worker count of a whole run (`dgrn run`): the available cores, at most {@link RUN_WORKERS_MAX}.
 * The calling thread mostly waits on the pool, so every core gets a worker.
 *
 * @returns the count
 */
export function defaultRunWorkers(): number {
  return runWorkersFor(availableParallelism());
}

/** The module a worker loads: the built bundle, or the Node target's sources in development. */
function workerEntry(): { url: string; ts: boolean } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return { url: new URL("../targets/node.ts", here).href, ts: true };
  return { url: here, ts: false };
}

/**
 * Start a pool of worker threads.
 *
 * @param options - `workers` (default: cores − 1, at least 1; 0 = in-thread)
 * @returns a {@link WorkerPool}; call `close()` when done
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative or fractional `workers`
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const k = await latentDiffusionAsync(graph, { tau: 1 }, pool);
 * await pool.close();
 * ```
 */
export async function createPool(options?: PoolOptions): Promise<WorkerPool> {
  const o = checkOptions<PoolOptions>("options", options, ["workers"]);
  const n =
    o.workers === undefined ? Math.max(1, availableParallelism() - 1) : checkWorkers("options.workers", o.workers);
  if (n === 0) return inThreadPool();
  const { url, ts } = workerEntry();
  const eps: Endpoint[] = [];
  for (let i = 0; i < n; i++) {
    const w = ts
      ? new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url)}); });`, {
          eval: true,
          workerData: { dgrnPool: true, entry: url },
        })
      : new Worker(new URL(url), { workerData: { dgrnPool: true, entry: url } });
    eps.push({
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.on("message", fn),
      onError: (fn) => w.on("error", fn),
      terminate: async () => {
        await w.terminate();
      },
    });
  }
  return poolOf(eps);
}

// Worker side: only in threads this pool started.
if (!isMainThread && parentPort && (workerData as { dgrnPool?: boolean } | null)?.dgrnPool) {
  const port = parentPort;
  const entry = (workerData as { entry: string }).entry;
  // the entry (which installs the platform) may still be evaluating when the first task arrives: wait for it
  serveTasks(
    async () => {
      await import(entry);
      return init();
    },
    (fn) => port.on("message", fn),
    (m, t) => port.postMessage(m, t),
  );
}
