import type { Command } from "commander";
import { access, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  DgrnIOError,
  DgrnFormatError,
  DgrnRangeError,
  init,
  readSpikesAsync,
  runPipelineAsync,
  createPool,
  defaultRunWorkers,
  RUN_WORKERS_MAX,
  inputSpecOptions,
  isInputSpec,
  type Progress,
  type PipelineConfig,
} from "../../targets/node.js";
import { int, num } from "../util.js";
import { OutputDir } from "../output.js";
import { addReaderFlags, readerOptions, type ReaderFlags } from "../reader-flags.js";
import { ProgressView } from "../progress.js";

/** `dgrn run`: the whole pipeline, into results.json, timings.json and report.html. */
export function register(program: Command): void {
  const cmd = program
    .command("run")
    .description(
      "run the whole pipeline (default: simulate the embedded clustered LIF network) and write results.json + report.html",
    )
    .option(
      "--input <file>",
      "spike recording (CSV, JSON, NPY, NWB, or a Kilosort/Phy folder); default: simulate the embedded network",
    )
    .option("--config <file>", "pipeline configuration (JSON; any subset of the options, see docs/pipeline.md)")
    .option("--out <dir>", "output directory", "out")
    .option("--seed <n>", "seed for every stochastic stage (overrides the config's)", int)
    .option("--quiet", "no progress output")
    .option("--bin-size <s>", "bin width in seconds (the pipeline's bins; for binned input, its bin width)", num)
    .option(
      "--fraction <f>",
      "observe a random fraction of the units (default: all units of a recording, 0.5 of the simulation)",
      num,
    )
    .option(
      "--workers <n>",
      `worker threads for the pooled parts of the run (graph surrogates, diffusion, Born machines and baselines, decoding folds, report figures; stages that do not read each other side by side); the results are the same bits for any number; 0 = none, all in one thread; default: the number of cores, at most ${RUN_WORKERS_MAX}`,
      int,
      defaultRunWorkers(),
    );
  addReaderFlags(cmd).action(async (opts: RunFlags) => {
    if (opts.workers < 0 || opts.workers > 256)
      throw new DgrnRangeError(
        "invalid argument. `--workers` must be an integer from 0 to 256. Value: `" + opts.workers + "`.",
      );
    // the output directory is checked and locked before any work (sdk/cli/output.ts)
    const dir = OutputDir.prepare("--out", opts.out);
    try {
      await runInto(dir, opts);
    } finally {
      dir.release();
    }
  });
}

type RunFlags = ReaderFlags & {
  input?: string;
  config?: string;
  out: string;
  seed?: number;
  quiet?: boolean;
  fraction?: number;
  workers: number;
};

/** The pipeline into a checked, locked output directory. */
async function runInto(dir: OutputDir, opts: RunFlags): Promise<void> {
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
          throw new DgrnIOError(`cannot read --config ${opts.config}: ${(e as Error).message}`, { cause: e });
        }
        try {
          config = JSON.parse(text);
        } catch (e) {
          throw new DgrnFormatError(`--config ${opts.config} is not valid JSON: ${(e as Error).message}`, { cause: e });
        }
      }
      if (opts.seed !== undefined) config = { ...config, seed: opts.seed };
      if (opts.binSize !== undefined) config = { ...config, binSize: opts.binSize };
      if (opts.fraction !== undefined) config = { ...config, fraction: opts.fraction };
      // The recording: --input with the reader flags, or the config's `input: { file, …reader options }` (path relative to the config).
      const flags = await readerOptions(opts);
      let observedNote = "";
      let source: { file: string; options: Record<string, unknown> } | null = null;
      if (opts.input) source = { file: opts.input, options: {} };
      else if (isInputSpec(config.input)) {
        const spec = inputSpecOptions(config.input);
        source = { file: resolve(dirname(opts.config!), spec.file), options: spec.options as Record<string, unknown> };
      }
      if (source) {
        const binSize = config.binSize;
        const ro = {
          ...source.options,
          ...flags,
          ...(binSize !== undefined && source.options["binSize"] === undefined ? { binSize } : {}),
          name: basename(source.file),
        };
        try {
          await access(source.file);
        } catch (e) {
          throw new DgrnIOError(`cannot read --input \`${source.file}\`: ${(e as Error).message}`, { cause: e });
        }
        const input = await readSpikesAsync(source.file, ro);
        config = { ...config, input };
        const f = config.fraction ?? 1;
        observedNote =
          f >= 1
            ? `observed all ${input.nNeurons} units of ${basename(source.file)} (--fraction F to subsample); `
            : `observed a random fraction ${f} of the ${input.nNeurons} units of ${basename(source.file)}; `;
      }
      const view = new ProgressView(!!opts.quiet);
      let out;
      try {
        const pool = opts.workers > 0 ? await createPool({ workers: opts.workers }) : undefined;
        try {
          out = await runPipelineAsync(config, {
            onProgress: (p: Progress) => view.update(p),
            ...(pool ? { pool } : {}),
          });
        } finally {
          await pool?.close();
        }
        const html = out.html!;
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
        process.stderr.write(
          `${observedNote}wrote ${join(opts.out, "results.json")}, ${join(opts.out, "report.html")}, ${join(opts.out, "timings.json")}\n`,
        );
      }
    }
  }
}
