import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { access } from "node:fs/promises";
import {
  init,
  VERSION,
  readSpikesAsync,
  runPipeline,
  resolvePipelineConfig,
  dataStage,
  binStage,
  graphStage,
  PIPELINE_DEFAULTS,
  INFER_DEFAULTS,
  graphToJSON,
  DgrnIOError,
  DgrnRangeError,
  ErrorCode,
  type PipelineConfig,
} from "../../targets/node.js";
import { int, num, printJson, writeAtomic } from "../util.js";
import { dflt, DIFFUSION_DEFAULTS } from "../defaults.js";
import { message } from "../../validate.js";
import { addReaderFlags, readerOptions, type ReaderFlags } from "../reader-flags.js";

/** Parse `--lags`: "hi" (1..hi) or "lo..hi". */
function lags(value: string): [number, number] {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+))?\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected "lo..hi" or "hi" (bins), got "${value}"`);
  return m[2] === undefined ? [1, Number(m[1])] : [Number(m[1]), Number(m[2])];
}

interface InferCliOptions extends ReaderFlags {
  input: string;
  out: string;
  binSize?: number;
  fraction?: number;
  subsample?: number;
  lags?: [number, number];
  method: "xcorr" | "glm" | "partial";
  seed: number;
  surrogates?: number;
  threshold?: number;
  diffusionTau: number;
  resolution: number;
  json?: boolean;
}

/** `dgrn infer`: spikes → binned → (subsampled) → directed graph → diffusion → communities → order → graph.json. */
export function register(program: Command): void {
  const cmd = program
    .command("infer")
    .description("infer a directed graph from spikes, find its communities and node order, write graph.json")
    .requiredOption("--input <file>", "spike file (csv, json, npy, nwb), or `lif` for the embedded LIF network")
    .requiredOption("--out <file>", "output graph.json")
    .option(
      "--bin-size <seconds>",
      `bin width in seconds (binned input: its own)${dflt(PIPELINE_DEFAULTS.binSize)}`,
      num,
    )
    .option(
      "--fraction <f>",
      "observed fraction of neurons in (0, 1], chosen with the seed (default as `dgrn run`: 0.5 for `lif`, 1 for a recording)",
      num,
    )
    .option("--subsample <f>", "alias of --fraction", num)
    .option("--lags <lo..hi>", `lags in bins, e.g. 1..5${dflt(INFER_DEFAULTS.lags.join(".."))}`, lags)
    .option("--method <name>", "partial, xcorr or glm", INFER_DEFAULTS.method)
    .option(
      "--seed <s>",
      "seed of the simulation, subsampling, surrogates and communities",
      int,
      PIPELINE_DEFAULTS.seed,
    )
    .option("--surrogates <k>", `surrogates for the z-scores${dflt(INFER_DEFAULTS.surrogates)}`, int)
    .option("--threshold <z>", `edge threshold on z${dflt(INFER_DEFAULTS.threshold)}`, num)
    .option("--diffusion-tau <tau>", "latent diffusion time in units of 1/<k>; 0 = off", num, DIFFUSION_DEFAULTS.tau)
    .option("--resolution <gamma>", "modularity resolution", num, PIPELINE_DEFAULTS.resolution)
    .option("--json", "print a one-object summary");
  addReaderFlags(cmd).action(async (opts: InferCliOptions) => {
    await init();
    if (opts.fraction !== undefined && opts.subsample !== undefined && opts.fraction !== opts.subsample)
      throw new DgrnRangeError(
        message("--subsample", `the same value as --fraction (${opts.fraction}); it is its alias`, opts.subsample),
        ErrorCode.INVALID_OPTION,
      );
    const fraction = opts.fraction ?? opts.subsample;
    const graph = {
      method: opts.method,
      ...(opts.lags ? { lags: opts.lags } : {}),
      ...(opts.surrogates !== undefined ? { surrogates: opts.surrogates } : {}),
      ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    };
    // The pipeline's own configuration and stages (data → bin → graph), so that `dgrn infer` is
    // exactly the graph stage of `dgrn run` with the same flags: checked whole before reading.
    const base: Partial<PipelineConfig> = {
      seed: opts.seed,
      binSize: opts.binSize ?? PIPELINE_DEFAULTS.binSize,
      ...(fraction !== undefined ? { fraction } : {}),
      graph,
      diffusion: opts.diffusionTau > 0 ? { tau: opts.diffusionTau } : false,
      resolution: opts.resolution,
    };
    resolvePipelineConfig(base);
    let config = base;
    if (opts.input !== "lif") {
      const ro = await readerOptions(opts);
      if (opts.binSize !== undefined) ro.binSize = opts.binSize;
      try {
        await access(opts.input);
      } catch (e) {
        throw new DgrnIOError(`cannot read \`${opts.input}\`: ${(e as Error).message}`, { cause: e });
      }
      config = { ...base, input: await readSpikesAsync(opts.input, ro) };
    }
    const { state, results } = runPipeline(config, { stages: [dataStage, binStage, graphStage] });
    const g = state.inferred!;
    const com = state.communities!;
    const binned = state.binned!;
    const plain = { n: g.n, directed: true, source: g.source, target: g.target, weight: g.weight, nodeIds: g.nodeIds };
    const doc = graphToJSON(plain, {
      communities: com.labels,
      order: state.order!,
      modularity: com.modularity,
      options: {
        ...g.options,
        input: opts.input,
        bin: binned.binSize,
        subsample: results.config["fraction"],
        diffusionTau: opts.diffusionTau,
        resolution: opts.resolution,
        communitiesOn: opts.diffusionTau > 0 ? "diffused" : "inferred",
      },
      version: VERSION,
    });
    await writeAtomic(opts.out, JSON.stringify(doc) + "\n");
    const summary = {
      out: opts.out,
      n: g.n,
      edges: g.source.length,
      communities: com.count,
      modularity: com.modularity,
      bins: binned.nBins,
    };
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `${g.n} nodes, ${g.source.length} edges, ${com.count} communities (Q = ${com.modularity.toFixed(3)}) → ${opts.out}\n`,
      );
  });
}
