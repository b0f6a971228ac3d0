/**
 * An in-run worker pool for embarrassingly parallel parts of a stage. Each
 * worker loads the same SDK bundle and the same dgrn.wasm, and runs named
 * tasks from {@link TASKS}; the caller splits the work by index into chunks
 * whose size does not depend on the number of workers and combines the
 * chunks' results in index order, so results are bit-identical for any pool
 * size, including 0 (everything in the calling thread).
 *
 * Platform code (worker_threads in Node, Web Workers in the browser) is in
 * `./node.ts` and `./browser.ts`; this module only speaks to an
 * {@link Endpoint}.
 *
 * @module
 */
import { DgrnRangeError } from "../errors.js";
import { checkInteger, message } from "../validate.js";
import { TASKS, type TaskName } from "./tasks.js";

/** One worker as the pool sees it. */
/** The most workers a whole run starts by default (beyond four, the pooled parts of a run gain little). */
export const RUN_WORKERS_MAX = 4;

/**
 * The default worker count of a whole run (`dgrn run`, the web page) on `cores` cores: every core, at most
 * {@link RUN_WORKERS_MAX}. The calling thread mostly waits on the pool, so every core gets a worker.
 */
export function runWorkersFor(cores: number): number {
  return Math.min(RUN_WORKERS_MAX, Math.max(1, Math.floor(cores) || 1));
}

export interface Endpoint {
  post(msg: unknown, transfer: ArrayBuffer[]): void;
  onMessage(fn: (msg: unknown) => void): void;
  onError(fn: (e: unknown) => void): void;
  terminate(): Promise<void> | void;
}

/** A message to a worker: run `task` on `args`. */
export interface TaskRequest {
  __dgrnPool: "task";
  id: number;
  task: TaskName;
  args: unknown[];
}

/** A worker's answer. */
export interface TaskReply {
  __dgrnPool: "reply";
  id: number;
  result?: unknown;
  error?: { name: string; message: string; code?: string };
}

/** A pool of workers (or none: `size` 0 runs every task in the calling thread). */
export interface WorkerPool {
  /** Number of workers (0 = in-thread). */
  readonly size: number;
  /** Run one task on the next free worker. */
  run<R>(task: TaskName, args: unknown[]): Promise<R>;
  /** Run `task` on each argument list; results in input order. */
  map<R>(task: TaskName, argsList: unknown[][]): Promise<R[]>;
  /** Stop the workers. */
  close(): Promise<void>;
}

/** Typed-array buffers inside `v` (one level of arrays/objects deep), for transfer. */
export function buffersOf(v: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (ArrayBuffer.isView(v)) {
    const b = v.buffer as ArrayBuffer;
    if (b instanceof ArrayBuffer && !out.includes(b) && v.byteOffset === 0 && v.byteLength === b.byteLength)
      out.push(b);
  } else if (depth < 3 && v !== null && typeof v === "object") {
    for (const x of Object.values(v as object)) buffersOf(x, out, depth + 1);
  }
  return out;
}

/** The in-thread pool: tasks run synchronously, in order. */
export function inThreadPool(): WorkerPool {
  const run = <R>(task: TaskName, args: unknown[]): Promise<R> => {
    try {
      return Promise.resolve((TASKS[task] as (...a: unknown[]) => R)(...args));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    size: 0,
    run,
    map: <R>(task: TaskName, argsList: unknown[][]) => Promise.all(argsList.map((a) => run<R>(task, a))),
    close: () => Promise.resolve(),
  };
}

/**
 * A pool over ready endpoints: a task goes to the first idle worker; tasks queue otherwise.
 *
 * @param endpoints - started workers
 * @returns the pool
 */
export function poolOf(endpoints: Endpoint[]): WorkerPool {
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; worker: number }>();
  const idle: number[] = endpoints.map((_, i) => i);
  const queue: Array<{ req: TaskRequest; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  const dispatch = () => {
    while (idle.length && queue.length) {
      const w = idle.shift()!;
      const job = queue.shift()!;
      pending.set(job.req.id, { resolve: job.resolve, reject: job.reject, worker: w });
      endpoints[w]!.post(job.req, []); // arguments are cloned, never transferred (the caller keeps them)
    }
  };
  endpoints.forEach((ep, w) => {
    ep.onMessage((m) => {
      const r = m as TaskReply;
      if (!r || r.__dgrnPool !== "reply") return;
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      idle.push(w);
      if (r.error) {
        const e = new Error(r.error.message) as Error & { code?: string };
        e.name = r.error.name;
        if (r.error.code) e.code = r.error.code;
        p.reject(e);
      } else p.resolve(r.result);
      dispatch();
    });
    ep.onError((e) => {
      for (const [id, p] of pending)
        if (p.worker === w) {
          pending.delete(id);
          p.reject(e);
        }
    });
  });
  const run = <R>(task: TaskName, args: unknown[]): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({
        req: { __dgrnPool: "task", id: next++, task, args },
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      dispatch();
    });
  return {
    size: endpoints.length,
    run,
    map: <R>(task: TaskName, argsList: unknown[][]) => Promise.all(argsList.map((a) => run<R>(task, a))),
    close: async () => {
      await Promise.all(endpoints.map((e) => e.terminate()));
    },
  };
}

/** Check a worker count. */
export function checkWorkers(name: string, value: unknown): number {
  const w = checkInteger(name, value, { min: 0, max: 256 });
  if (w < 0) throw new DgrnRangeError(message(name, "≥ 0", value));
  return w;
}

/**
 * The worker side: answer task requests arriving on `onMessage` with `post`.
 *
 * @param load - loads the kernel in this worker; called once, as soon as the worker's entry module has finished evaluating (so a worker is ready by its first task), or at the first task
 * @param onMessage - subscribe to incoming messages
 * @param post - send a reply
 */
export function serveTasks(
  load: () => Promise<unknown>,
  onMessage: (fn: (m: unknown) => void) => void,
  post: (m: TaskReply, t: ArrayBuffer[]) => void,
): void {
  let ready: Promise<unknown> | null = null;
  // start loading once the entry module (which installs the platform) has finished evaluating: a macrotask later
  setTimeout(() => {
    ready ??= load();
    ready.catch(() => {}); // a failed load is reported by the first task
  }, 0);
  onMessage(async (m) => {
    const req = m as TaskRequest;
    if (!req || req.__dgrnPool !== "task") return;
    try {
      await (ready ??= load());
      const result = await (TASKS[req.task] as (...a: unknown[]) => unknown)(...req.args);
      post({ __dgrnPool: "reply", id: req.id, result }, buffersOf(result));
    } catch (e) {
      const err = e as { name?: string; message?: string; code?: string };
      post(
        {
          __dgrnPool: "reply",
          id: req.id,
          error: {
            name: err?.name ?? "Error",
            message: err?.message ?? String(e),
            ...(err?.code ? { code: err.code } : {}),
          },
        },
        [],
      );
    }
  });
}
