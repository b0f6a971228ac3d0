/**
 * The page side of the pipeline worker: the same method names as the
 * synchronous API, returning promises, with progress callbacks.
 *
 * @module
 */
import { DgrnError, ErrorCode, type ErrorCodeValue } from "../errors.js";
import type { Progress, WorkerPipelineOutput, WorkerRequest, WorkerResponse } from "./protocol.js";

/** A Web Worker running {@link runPipeline}. */
export class PipelineWorker {
  readonly #worker: Worker;
  #next = 1;
  readonly #pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: unknown): void; onProgress?: (p: Progress) => void }
  >();

  /** @param url - URL of the worker bundle (dist/web/worker.js) */
  constructor(url: URL | string) {
    this.#worker = new Worker(url, { type: "module" });
    this.#worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const msg = ev.data;
      const p = this.#pending.get(msg.id);
      if (!p) return;
      if (msg.type === "progress") p.onProgress?.(msg.progress);
      else {
        this.#pending.delete(msg.id);
        if (msg.type === "result") p.resolve(msg.value);
        else p.reject(new DgrnError(msg.error.message, (msg.error.code ?? ErrorCode.KERNEL) as ErrorCodeValue));
      }
    };
    this.#worker.onerror = (ev) => {
      for (const p of this.#pending.values())
        p.reject(new DgrnError(`pipeline worker failed: ${ev.message}`, ErrorCode.KERNEL_LOAD));
      this.#pending.clear();
    };
  }

  #call<T>(
    req: Omit<WorkerRequest, "id">,
    onProgress?: (p: Progress) => void,
    transfer: Transferable[] = [],
  ): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
      this.#worker.postMessage({ ...req, id }, transfer);
    });
  }

  /**
   * Run the whole pipeline in the worker.
   *
   * @param config - pipeline configuration (JSON-able; see `PipelineConfig`)
   * @param input - a recording's bytes and file name, or null to simulate the embedded default
   * @param onProgress - called as stages advance
   */
  runPipeline(
    config: Record<string, unknown>,
    input: { bytes: Uint8Array; name: string } | null,
    onProgress?: (p: Progress) => void,
  ): Promise<WorkerPipelineOutput> {
    return this.#call({ method: "runPipeline", args: [config, input] }, onProgress, input ? [input.bytes.buffer] : []);
  }

  /**
   * Stop the worker at once (cancel): every pending call rejects with a
   * DOMException named "AbortError". The worker cannot be used afterwards;
   * make a new PipelineWorker to run again.
   */
  terminate(): void {
    this.#worker.terminate();
    for (const p of this.#pending.values())
      p.reject(new DOMException("cancelled: the pipeline worker was terminated", "AbortError"));
    this.#pending.clear();
  }
}
