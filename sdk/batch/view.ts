/**
 * Progress of a batch on stderr: on a TTY a bar for the whole batch and one
 * per running job (cli-progress); otherwise plain lines (a job starting, its
 * stages, its end); nothing with --quiet.
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { Progress } from "../targets/node.js";
import type { BatchJob } from "./plan.js";

const short = (id: string) => id.slice(0, 12);
/** `input seed=1 fraction=0.5`: how a job is named in logs. */
export const jobName = (j: Pick<BatchJob, "label" | "params">) =>
  [j.label, ...Object.entries(j.params).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)].join(
    " ",
  );

/**
 * The batch's progress display (stderr). Call {@link BatchView.begin} once, then `start`/`progress`/`end` per job, then `stop`.
 *
 * @example
 * ```ts
 * const view = new BatchView(false);
 * view.begin(jobs, jobs.length, "on 2 local worker thread(s)");
 * ```
 */
export class BatchView {
  readonly #quiet: boolean;
  readonly #tty: boolean;
  readonly #names = new Map<string, string>();
  #multi: cliProgress.MultiBar | null = null;
  #total: cliProgress.SingleBar | null = null;
  readonly #bars = new Map<string, cliProgress.SingleBar>();
  readonly #stage = new Map<string, string>();
  #n = 0;
  #done = 0;
  #failed = 0;

  /** @param quiet - print nothing */
  constructor(quiet: boolean) {
    this.#quiet = quiet;
    this.#tty = !!process.stderr.isTTY;
  }

  /** Announce the batch: `todo` jobs to run (of `jobs`), `skipped` already done. */
  begin(jobs: BatchJob[], todo: number, where: string): void {
    for (const j of jobs) this.#names.set(j.id, jobName(j));
    this.#n = todo;
    if (this.#quiet) return;
    process.stderr.write(`[batch] ${jobs.length} jobs: ${jobs.length - todo} already done, ${todo} to run ${where}\n`);
    if (this.#tty && todo > 0) {
      this.#multi = new cliProgress.MultiBar(
        {
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
          format: "{name} {bar} {percentage}% {msg}",
        },
        cliProgress.Presets.shades_classic,
      );
      this.#total = this.#multi.create(todo, 0, { name: "batch".padEnd(24), msg: "" });
    }
  }

  #line(s: string): void {
    if (this.#quiet) return;
    if (this.#multi) this.#multi.log(s + "\n");
    else process.stderr.write(s + "\n");
  }

  /** A job started (or was seen running). */
  start(id: string): void {
    if (this.#quiet) return;
    if (this.#multi) {
      if (!this.#bars.has(id))
        this.#bars.set(
          id,
          this.#multi.create(100, 0, {
            name: `${short(id)} ${(this.#names.get(id) ?? "").slice(0, 11)}`.padEnd(24),
            msg: "",
          }),
        );
    } else this.#line(`[batch] start ${short(id)} ${this.#names.get(id) ?? ""}`);
  }

  /** A job's pipeline progress. */
  progress(id: string, p: Progress): void {
    if (this.#quiet) return;
    const overall = Math.round(((p.index + Math.min(1, Math.max(0, p.fraction))) / Math.max(1, p.count)) * 100);
    if (this.#multi) {
      if (!this.#bars.has(id)) this.start(id);
      this.#bars.get(id)!.update(overall, { msg: `[${p.index + 1}/${p.count}] ${p.stage}` });
    } else if (this.#stage.get(id) !== p.stage) {
      this.#stage.set(id, p.stage);
      this.#line(`[batch]   ${short(id)} [${p.index + 1}/${p.count}] ${p.stage}`);
    }
  }

  /** A job ended: `ok`, or failed with its one-line error; `retrying` when another attempt follows. */
  end(id: string, ok: boolean, detail: string, retrying = false): void {
    if (!retrying) {
      if (ok) this.#done++;
      else this.#failed++;
    }
    if (this.#quiet) return;
    const bar = this.#bars.get(id);
    if (bar) {
      this.#multi!.remove(bar);
      this.#bars.delete(id);
    }
    const what = ok ? "done" : retrying ? "retry" : "FAILED";
    this.#line(
      `[batch] ${what} ${short(id)} ${this.#names.get(id) ?? ""}: ${detail} (${this.#done + this.#failed}/${this.#n})`,
    );
    this.#total?.update(this.#done + this.#failed, { msg: `${this.#done} done, ${this.#failed} failed` });
  }

  /** A free line (not shown with --quiet). */
  note(s: string): void {
    this.#line(`[batch] ${s}`);
  }

  stop(): void {
    this.#multi?.stop();
    this.#multi = null;
  }
}
