import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { DgrnIOError, DgrnFormatError, init, readSpikesAsync, runPipeline, type Progress, type PipelineConfig } from "../../targets/node.js";
import { renderReport } from "../../report/index.js";
import { int } from "../util.js";
import { OutputDir } from "../output.js";
import { ProgressView } from "../progress.js";

/** `dgrn run`: the whole pipeline, into results.json, timings.json and report.html. */
export function register(program: Command): void {
  program
    .command("run")
    .description("run the whole pipeline (default: simulate the embedded clustered LIF network) and write results.json + report.html")
    .option("--input <file>", "spike recording (CSV, JSON, NPY or NWB); default: simulate the embedded network")
    .option("--config <file>", "pipeline configuration (JSON; any subset of the options, see docs/pipeline.md)")
    .option("--out <dir>", "output directory", "out")
    .option("--seed <n>", "seed for every stochastic stage (overrides the config's)", int)
    .option("--quiet", "no progress output")
    .action(async (opts: { input?: string; config?: string; out: string; seed?: number; quiet?: boolean }) => {
      // the output directory is checked and locked before any work (sdk/cli/output.ts)
      const dir = OutputDir.prepare("--out", opts.out);
      try {
        await runInto(dir, opts);
      } finally {
        dir.release();
      }
    });
}

/** The pipeline into a checked, locked output directory. */
async function runInto(dir: OutputDir, opts: { input?: string; config?: string; out: string; seed?: number; quiet?: boolean }): Promise<void> {
  // (the body keeps its former indentation, inside two plain blocks, so that merges with other branches stay small)
  {
    {
      await init();
      let config: Partial<PipelineConfig> = {};
      if (opts.config) {
        let text: string;
        try {
          text = await readFile(opts.config, "utf8");
        } catch (e) {
          throw new DgrnIOError(`cannot read --config ${opts.config}: ${(e as Error).message}`, e);
        }
        try {
          config = JSON.parse(text);
        } catch (e) {
          throw new DgrnFormatError(`--config ${opts.config} is not valid JSON: ${(e as Error).message}`, { cause: e });
        }
      }
      if (opts.seed !== undefined) config = { ...config, seed: opts.seed };
      if (opts.input) config = { ...config, input: await readSpikesAsync(opts.input, { name: basename(opts.input) }) };
      const view = new ProgressView(!!opts.quiet);
      let out;
      try {
        out = runPipeline(config, { onProgress: (p: Progress) => view.update(p) });
        view.update({ stage: "report", index: out.stageCount - 1, count: out.stageCount, fraction: 0, message: "rendering figures" });
        const { html } = await renderReport(out.results, out.extras);
        // One set: written into a hidden sibling directory, then swapped into place with one rename.
        dir.commit({
          "results.json": JSON.stringify(out.results, null, 1) + "\n",
          "timings.json": JSON.stringify(out.timings, null, 2) + "\n",
          "report.html": html,
        });
      } finally {
        view.stop();
      }
      view.warnings(out.results.warnings);
      if (!opts.quiet) {
        process.stderr.write(`wrote ${join(opts.out, "results.json")}, ${join(opts.out, "report.html")}, ${join(opts.out, "timings.json")}\n`);
      }
    }
  }
}
