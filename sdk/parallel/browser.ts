/**
 * Browser worker pool: module Web Workers, each loading this SDK bundle and
 * its own copy of dgrn.wasm; the scheduling and task code are shared with the
 * Node pool. The web page's pipeline worker runs on it
 * (tests/pipeline/web-page.test.ts: the page's results.json is Node's, bit for bit).
 *
 * @module
 */
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

/** The `name` of every pool worker, so a bundle that is also another worker (the web page's pipeline worker) can tell. */
export const POOL_WORKER_NAME = "dgrn-pool";

/** Whether this thread is a pool worker started by {@link createPool}. */
export function isPoolWorker(): boolean {
  return (globalThis as { name?: unknown }).name === POOL_WORKER_NAME;
}

/** The default worker count of a whole run in this browser: navigator.hardwareConcurrency, at most 4 (as `dgrn run`). */
export function defaultRunWorkers(): number {
  return runWorkersFor(
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2,
  );
}

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Number of workers; 0 runs every task in the calling thread. Default: navigator.hardwareConcurrency − 1 (at least 1). */
  workers?: number;
  /** Where the workers fetch dgrn.wasm (default: beside the bundle). */
  wasmUrl?: string;
}

interface WorkerLike {
  postMessage(m: unknown, t: ArrayBuffer[]): void;
  addEventListener(type: string, fn: (e: { data?: unknown }) => void): void;
  terminate(): void;
}

/**
 * Start a pool of module Web Workers.
 *
 * @param options - `workers`, `wasmUrl`
 * @returns a {@link WorkerPool}; call `close()` when done
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a negative or fractional `workers`
 * @example
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * ```
 */
export async function createPool(options?: PoolOptions): Promise<WorkerPool> {
  const o = checkOptions<PoolOptions>("options", options, ["workers", "wasmUrl"]);
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  const n = o.workers === undefined ? Math.max(1, cores - 1) : checkWorkers("options.workers", o.workers);
  const W = (globalThis as { Worker?: new (u: URL, o: object) => WorkerLike }).Worker;
  if (n === 0 || !W) return inThreadPool();
  const eps: Endpoint[] = [];
  for (let i = 0; i < n; i++) {
    const w = new W(new URL(import.meta.url), { type: "module", name: POOL_WORKER_NAME });
    w.postMessage({ __dgrnPool: "init", wasmUrl: o.wasmUrl ?? null }, []);
    eps.push({
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.addEventListener("message", (e) => fn(e.data)),
      onError: (fn) => w.addEventListener("error", fn),
      terminate: () => w.terminate(),
    });
  }
  return poolOf(eps);
}

// Worker side: a module worker that receives the pool's init message (other workers ignore it).
const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  addEventListener?: (t: string, f: (e: { data?: unknown }) => void) => void;
  postMessage?: (m: unknown, t: ArrayBuffer[]) => void;
};
if (typeof scope.WorkerGlobalScope !== "undefined" && scope.addEventListener && scope.postMessage) {
  let started = false;
  const subscribers: Array<(m: unknown) => void> = [];
  scope.addEventListener("message", (e) => {
    const d = e.data as { __dgrnPool?: string; wasmUrl?: string | null } | undefined;
    if (d?.__dgrnPool === "init" && !started) {
      started = true;
      const url = d.wasmUrl ?? undefined;
      serveTasks(
        () => init(url),
        (fn) => subscribers.push(fn),
        (m, t) => scope.postMessage!(m, t),
      );
      return;
    }
    if (d?.__dgrnPool === "task") for (const f of subscribers) f(d);
  });
}
