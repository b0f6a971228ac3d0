import type { Command } from "commander";
import { hostname } from "node:os";
import { DgrnRangeError } from "../../targets/node.js";
import { int } from "../util.js";
import { defaultWorkers } from "../../batch/pool.js";
import { DEFAULT_QUEUE, redactUrl, startWorker } from "../../batch/redis.js";

/** `dgrn worker --redis URL`: take batch jobs from BullMQ until stopped (SIGINT/SIGTERM finish the running jobs first). */
export function register(program: Command): void {
  program
    .command("worker")
    .description(
      "take `dgrn batch --redis` jobs from BullMQ and run them (on any machine that reaches Redis and the output root)",
    )
    .requiredOption("--redis <url>", "Redis URL (redis://host:port[/db])")
    .option("--concurrency <n>", "jobs at once, one thread each (default: the number of cores)", int)
    .option("--queue <name>", "BullMQ queue name", DEFAULT_QUEUE)
    .option(
      "--lock-duration <ms>",
      "how long a job stays claimed without a renewal (a dead worker's job is recovered after this)",
      int,
      30_000,
    )
    .option("--stalled-interval <ms>", "how often to look for jobs of dead workers", int, 30_000)
    .option("--max-stalled <n>", "recoveries from dead workers before a job fails", int, 2)
    .option("--quiet", "no log lines")
    .action(
      async (opts: {
        redis: string;
        concurrency?: number;
        queue: string;
        lockDuration: number;
        stalledInterval: number;
        maxStalled: number;
        quiet?: boolean;
      }) => {
        const concurrency = opts.concurrency ?? defaultWorkers();
        for (const [k, v, min] of [
          ["--concurrency", concurrency, 1],
          ["--lock-duration", opts.lockDuration, 100],
          ["--stalled-interval", opts.stalledInterval, 100],
          ["--max-stalled", opts.maxStalled, 0],
        ] as const) {
          if (v < min)
            throw new DgrnRangeError(`invalid argument. \`${k}\` must be an integer ≥ ${min}. Value: \`${v}\`.`);
        }
        const me = `${hostname()}:${process.pid}`;
        const log = (line: string) => opts.quiet || process.stderr.write(`[worker ${me}] ${line}\n`);
        const w = await startWorker({
          url: opts.redis,
          queue: opts.queue,
          concurrency,
          lockDuration: opts.lockDuration,
          stalledInterval: opts.stalledInterval,
          maxStalledCount: opts.maxStalled,
          log,
        });
        log(`ready: queue ${opts.queue} at ${redactUrl(opts.redis)}, concurrency ${concurrency}`);
        let signals = 0;
        const stop = (sig: string) => {
          if (++signals > 1) process.exit(130);
          log(`${sig}: finishing running jobs, then stopping (again to stop now)`);
          void w.close();
        };
        process.on("SIGINT", () => stop("SIGINT"));
        process.on("SIGTERM", () => stop("SIGTERM"));
        await w.closed;
        log("stopped");
      },
    );
}
