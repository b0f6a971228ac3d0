/**
 * Progress for long runs: a bar per stage on a TTY (cli-progress) that follows
 * the stage's own fraction (stage functions report it through `onProgress`),
 * plain lines otherwise (logs, CI: one line per stage and one per further 25 %
 * of it), nothing with --quiet. Always on stderr, so stdout stays clean for --json.
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { Progress } from "../targets/node.js";

export class ProgressView {
  readonly #quiet: boolean;
  readonly #tty: boolean;
  #bar: cliProgress.SingleBar | null = null;
  #stage = "";
  #t0 = performance.now();
  #lastQuarter = 0;

  constructor(quiet: boolean) {
    this.#quiet = quiet;
    this.#tty = !!process.stderr.isTTY;
  }

  update(p: Progress): void {
    if (this.#quiet) return;
    if (p.stage !== this.#stage) {
      this.#finishStage();
      this.#stage = p.stage;
      this.#t0 = performance.now();
      if (this.#tty) {
        this.#bar = new cliProgress.SingleBar(
          {
            format: `[${p.index + 1}/${p.count}] ${p.stage.padEnd(10)} {bar} {percentage}% {msg}`,
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        this.#bar.start(100, Math.round(p.fraction * 100), { msg: p.message });
      } else {
        process.stderr.write(`[${p.index + 1}/${p.count}] ${p.stage}: ${p.message}\n`);
        this.#lastQuarter = 0;
      }
      return;
    }
    if (this.#bar) this.#bar.update(Math.round(p.fraction * 100), { msg: p.message });
    else if (!this.#tty && p.fraction < 1 && Math.floor(p.fraction * 4) > this.#lastQuarter) {
      this.#lastQuarter = Math.floor(p.fraction * 4);
      process.stderr.write(`[${p.index + 1}/${p.count}] ${p.stage}: ${Math.round(p.fraction * 100)} % ${p.message}\n`);
    }
  }

  /** Print the run's warnings (after the bars), or nothing when there are none. */
  warnings(list: readonly string[]): void {
    if (this.#quiet || list.length === 0) return;
    process.stderr.write(
      `\n${list.length === 1 ? "1 warning" : `${list.length} warnings`}:\n${list.map((w) => `  ! ${w}`).join("\n")}\n`,
    );
  }

  #finishStage(): void {
    if (this.#bar) {
      this.#bar.update(100, { msg: `done in ${((performance.now() - this.#t0) / 1000).toFixed(1)} s` });
      this.#bar.stop();
      this.#bar = null;
    }
  }

  stop(): void {
    this.#finishStage();
  }
}
