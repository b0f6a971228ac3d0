import type { Command } from "commander";
import { spawn } from "node:child_process";
import { mkdir, open } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  DgrnError,
  DgrnKernelError,
  DgrnRangeError,
  ErrorCode,
  getKernel,
  init,
  type ErrorCodeValue,
} from "../../targets/node.js";
import { int, printJson } from "../util.js";
import { expandPlanFile } from "../../batch/plan.js";
import { DEFAULT_RETRY, runLocal } from "../../batch/local.js";
import { defaultWorkers } from "../../batch/pool.js";
import { DEFAULT_QUEUE, enqueue, openQueue, queueStates, redactUrl, waitForJobs } from "../../batch/redis.js";
import { collectBatch, readCollection } from "../../batch/collect.js";
import { isDone, leftovers, readManifest, writeManifest } from "../../batch/store.js";
import type { BatchJob } from "../../batch/plan.js";
import { BatchView, jobName } from "../../batch/view.js";

interface BatchOpts {
  plan?: string;
  out: string;
  workers?: number;
  redis?: string;
  queue: string;
  attempts: number;
  backoff: number;
  wait: boolean;
  quiet?: boolean;
}

/** `dgrn batch`, `dgrn batch status`, `dgrn batch collect`: many runs from a plan, locally or on BullMQ. */
export function register(program: Command): void {
  const batch = program
    .command("batch")
    .description(
      "run a plan of jobs (inputs × a grid of options) on a local thread pool or on BullMQ workers, then collect batch.json/csv/html (docs/batch.md)",
    )
    .option("--plan <file>", "PLAN.json: { base, inputs, grid }")
    .option("--out <dir>", "output root (every worker must reach it): jobs/<id>/ and the collection", "batch")
    .option("--workers <n>", "local pool size (default: the number of cores)", int)
    .option(
      "--redis <url>",
      "enqueue on BullMQ at this Redis (redis://host:port[/db]); run `dgrn worker` to take the jobs",
    )
    .option("--queue <name>", "BullMQ queue name", DEFAULT_QUEUE)
    .option(
      "--attempts <n>",
      "attempts per job before it fails (errors that repeat, e.g. bad input, fail at once)",
      int,
      DEFAULT_RETRY.attempts,
    )
    .option("--backoff <ms>", "wait before the 2nd attempt; doubles after each", int, DEFAULT_RETRY.backoff)
    .option(
      "--no-wait",
      "return once the jobs are enqueued (local mode: continue in the background, log in DIR/batch.log)",
    )
    .option("--quiet", "no progress output")
    .action(async (opts: BatchOpts, cmd: Command) => {
      if (!opts.plan) cmd.error("error: required option '--plan <file>' not specified");
      if (opts.workers !== undefined && opts.workers < 1)
        throw new DgrnRangeError(
          "invalid argument. `--workers` must be an integer ≥ 1. Value: `" + opts.workers + "`.",
        );
      if (opts.redis && opts.workers !== undefined)
        throw new DgrnRangeError(
          "invalid argument. `--workers` must be absent with --redis (start `dgrn worker --concurrency N` processes instead). Value: `" +
            opts.workers +
            "`.",
          ErrorCode.INVALID_OPTION,
        );
      if (opts.attempts < 1)
        throw new DgrnRangeError(
          "invalid argument. `--attempts` must be an integer ≥ 1. Value: `" + opts.attempts + "`.",
        );
      if (opts.backoff < 0)
        throw new DgrnRangeError("invalid argument. `--backoff` must be ≥ 0 ms. Value: `" + opts.backoff + "`.");
      const out = resolve(opts.out);
      await init();
      const kernelSha = getKernel().info.sha256;
      if (!kernelSha)
        throw new DgrnKernelError(
          "the kernel's sha256 is unknown (loaded without its bytes): job ids need it",
          ErrorCode.KERNEL_LOAD,
        );
      const jobs = await expandPlanFile(opts.plan!, kernelSha);
      const gridKeys = [...new Set(jobs.flatMap((j) => Object.keys(j.params)))];
      const workers = opts.workers ?? defaultWorkers();
      const retry = { attempts: opts.attempts, backoff: opts.backoff };
      await mkdir(out, { recursive: true });

      if (!opts.redis && !opts.wait) {
        // Local and --no-wait: the same command, detached, without --no-wait.
        const args = process.argv.slice(1).filter((a) => a !== "--no-wait");
        const log = await open(join(out, "batch.log"), "a");
        const child = spawn(
          process.execPath,
          [...process.execArgv, ...args, ...(args.includes("--quiet") ? [] : ["--quiet"])],
          { detached: true, stdio: ["ignore", log.fd, log.fd] },
        );
        child.unref();
        await log.close();
        if (!opts.quiet)
          process.stderr.write(
            `[batch] ${jobs.length} jobs running in the background (pid ${child.pid}); log ${join(out, "batch.log")}; see \`dgrn batch status --out ${opts.out}\`\n`,
          );
        return;
      }

      await writeManifest(out, {
        schema: "dgrn-batch-jobs/1",
        plan: resolve(opts.plan!),
        kernelSha256: kernelSha,
        mode: opts.redis
          ? { kind: "redis", url: redactUrl(opts.redis), queue: opts.queue }
          : { kind: "local", workers },
        gridKeys,
        jobs,
      });
      const view = new BatchView(!!opts.quiet);
      let failures: Array<{ name: string; error: string; code: string | null }> = [];
      try {
        if (opts.redis) {
          const r = await enqueue(jobs, out, { url: opts.redis, queue: opts.queue, retry });
          if (!opts.wait) {
            if (!opts.quiet)
              process.stderr.write(
                `[batch] ${jobs.length} jobs: ${r.added} enqueued, ${r.queued} already queued, ${r.done} already done (queue ${opts.queue} at ${redactUrl(opts.redis)})\n`,
              );
            return;
          }
          view.begin(jobs, r.added + r.queued, `on the workers of queue ${opts.queue} at ${redactUrl(opts.redis)}`);
          const failed = await waitForJobs(jobs, out, { url: opts.redis, queue: opts.queue, view });
          failures = jobs
            .filter((j) => failed.has(j.id))
            .map((j) => ({ name: jobName(j), error: failed.get(j.id)!, code: null }));
        } else {
          const todo: BatchJob[] = [];
          for (const j of jobs) if (!(await isDone(out, j.id))) todo.push(j);
          view.begin(jobs, todo.length, `on ${Math.min(workers, Math.max(1, todo.length))} local worker thread(s)`);
          const outcomes = await runLocal(todo, out, { workers, retry, view });
          failures = outcomes.flatMap((o, i) =>
            o.status === "failed" ? [{ name: jobName(todo[i]!), error: o.error, code: o.code }] : [],
          );
        }
      } finally {
        view.stop();
      }
      const c = await collectBatch(out);
      if (!opts.quiet)
        process.stderr.write(
          `[batch] ${c.counts.done} done, ${c.counts.failed} failed, ${c.counts.pending} pending; wrote ${join(opts.out, "batch.json")}, batch.csv, batch.html\n`,
        );
      if (failures.length) {
        const f = failures[0]!;
        const code = (f.code ?? ErrorCode.INVALID_DATA) as ErrorCodeValue;
        throw new DgrnError(
          `${failures.length} of ${jobs.length} jobs failed; first: ${f.name}: ${f.error.replace(/ \[ERR_[A-Z_]+\]$/, "")} (see \`dgrn batch status --out ${opts.out}\`)`,
          code,
        );
      }
    });

  batch
    .command("status")
    .description("counts by state, and each failure with its one-line error")
    .option("--out <dir>", "output root of the batch", "batch")
    .option("--redis <url>", "also ask the queue (waiting, running, retrying)")
    .option("--queue <name>", "BullMQ queue name", DEFAULT_QUEUE)
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { out: string; redis?: string; queue: string; json?: boolean };
      const out = resolve(opts.out);
      const m = await readManifest(out);
      const c = await readCollection(out, m);
      const states = new Map<string, string>(c.jobs.map((j) => [j.id, j.state]));
      if (opts.redis) {
        const q = await openQueue(opts.redis, opts.queue);
        try {
          for (const s of await queueStates(
            q,
            c.jobs.filter((j) => j.state === "pending").map((j) => j.id),
          )) {
            states.set(
              s.id,
              s.state === "active"
                ? "running"
                : s.state === "completed"
                  ? "done"
                  : s.state === "unknown"
                    ? "not queued"
                    : s.state,
            );
          }
        } finally {
          await q.close();
        }
      }
      const counts: Record<string, number> = {};
      for (const s of states.values()) counts[s] = (counts[s] ?? 0) + 1;
      const failures = c.jobs
        .filter((j) => j.state === "failed")
        .map((j) => ({ id: j.id, job: jobName({ label: j.input, params: j.params }), error: j.error }));
      const tmp = await leftovers(out);
      if (opts.json) {
        printJson({ total: c.jobs.length, counts, failures, leftovers: tmp.length });
        return;
      }
      const order = ["done", "running", "waiting", "delayed", "prioritized", "pending", "not queued", "failed"];
      const keys = Object.keys(counts).sort((a, b) => ((order.indexOf(a) + 99) % 99) - ((order.indexOf(b) + 99) % 99));
      process.stdout.write(`${c.jobs.length} jobs: ${keys.map((k) => `${counts[k]} ${k}`).join(", ")}\n`);
      for (const f of failures) process.stdout.write(`failed ${f.id.slice(0, 12)} ${f.job}: ${f.error}\n`);
      if (tmp.length)
        process.stdout.write(
          `${tmp.length} incomplete job folder(s) left by stopped workers under jobs/.tmp-* (never read; safe to delete when no worker runs)\n`,
        );
    });

  batch
    .command("collect")
    .description("write batch.json, batch.csv and batch.html from the results so far")
    .option("--out <dir>", "output root of the batch", "batch")
    .option("--quiet", "no output")
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { out: string; quiet?: boolean };
      const c = await collectBatch(resolve(opts.out));
      if (!opts.quiet)
        process.stderr.write(
          `${c.counts.total} jobs: ${c.counts.done} done, ${c.counts.failed} failed, ${c.counts.pending} pending; wrote ${join(opts.out, "batch.json")}, batch.csv, batch.html\n`,
        );
    });
}
