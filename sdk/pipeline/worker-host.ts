/**
 * The worker side of {@link PipelineWorker}: answers requests by calling the
 * synchronous API inside the worker, posting progress as it goes.
 *
 * @module
 */
import { DgrnError } from "../errors.js";
import { init } from "../kernel/init.js";
import { readSpikesAsync } from "../io/index.js";
import { runPipelineAsync } from "./job.js";
import { createPool, defaultRunWorkers } from "../parallel/browser.js";
import type { WorkerPool } from "../parallel/pool.js";
import type { PipelineConfig } from "./run.js";
import type { Progress, WorkerPipelineOutput, WorkerRequest, WorkerResponse } from "./protocol.js";

interface WorkerScope {
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(msg: WorkerResponse): void;
}

/**
 * Install the request handler on a worker's global scope. Runs use a pool of
 * `workers` Web Workers (default: as `dgrn run`, every core up to 4; 0 = none),
 * started at the first run and kept for the next: the results are the same
 * bits for any number (tests/pipeline/web-page.test.ts compares them with Node's).
 * A bundle that serves as this worker and as the pool's workers calls this only
 * where `isPoolWorker()` is false (examples/web/worker.ts).
 */
export function serveWorker(scope: WorkerScope, wasm?: URL | string, options?: { workers?: number }): void {
  const ready = init(wasm);
  const workers = options?.workers ?? defaultRunWorkers();
  let pool: Promise<WorkerPool> | null = null;
  scope.onmessage = async (ev) => {
    const req = ev.data;
    const progress = (p: Progress) => scope.postMessage({ id: req.id, type: "progress", progress: p });
    try {
      await ready;
      if (req.method === "init") {
        scope.postMessage({ id: req.id, type: "result", value: true });
        return;
      }
      const [config, input] = req.args;
      const data = input ? await readSpikesAsync(input.bytes, { name: input.name }) : undefined;
      const running = await (pool ??= createPool({ workers, ...(wasm ? { wasmUrl: String(wasm) } : {}) }));
      const out = await runPipelineAsync(
        { ...(config as Partial<PipelineConfig>), ...(data ? { input: data } : {}) },
        { onProgress: progress, pool: running },
      );
      const value: WorkerPipelineOutput = {
        results: out.results,
        timings: out.timings,
        figures: out.figures!,
        html: out.html!,
        workers: running.size,
      };
      scope.postMessage({ id: req.id, type: "result", value });
    } catch (e) {
      const err = e as Error;
      scope.postMessage({
        id: req.id,
        type: "error",
        error: {
          name: err?.name ?? "Error",
          code: e instanceof DgrnError ? e.code : null,
          message: err?.message ?? String(e),
        },
      });
    }
  };
}
