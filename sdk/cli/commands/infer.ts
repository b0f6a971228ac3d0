import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { access } from "node:fs/promises";
import {
  init,
  VERSION,
  resolveInferOptions,
  readSpikesAsync,
  binSpikes,
  subsample,
  simulateLIF,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  graphToJSON,
  DgrnIOError,
  DgrnRangeError,
  type BinnedActivity,
  type SpikeData,
  type ReadOptions,
} from "../../targets/node.js";
import { int, num, printJson, writeAtomic } from "../util.js";
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
  bin?: number;
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

/** Spikes from a file (the SDK's readers; format from the extension or the bytes) or, for `--input lif`, the embedded LIF network. */
async function loadSpikes(input: string, options: ReadOptions): Promise<SpikeData> {
  if (input === "lif") return simulateLIF().spikes;
  try {
    await access(input);
  } catch (e) {
    throw new DgrnIOError(`cannot read \`${input}\`: ${(e as Error).message}`, { cause: e });
  }
  return readSpikesAsync(input, options);
}

/** `dgrn infer`: spikes → binned → (subsampled) → directed graph → diffusion → communities → order → graph.json. */
export function register(program: Command): void {
  const cmd = program
    .command("infer")
    .description("infer a directed graph from spikes, find its communities and node order, write graph.json")
    .requiredOption("--input <file>", "spike file (csv, json, npy, nwb), or `lif` for the embedded LIF network")
    .requiredOption("--out <file>", "output graph.json")
    .option("--bin <seconds>", "bin size in seconds (default 0.01, or --bin-size)", num)
    .option("--bin-size <seconds>", "bin width of binned input, and the bin size for events", num)
    .option("--subsample <f>", "observed fraction of neurons in (0, 1]", num)
    .option("--lags <lo..hi>", "lags in bins, e.g. 1..5 (default 1..2)", lags)
    .option("--method <name>", "partial (default), xcorr or glm", "partial")
    .option("--seed <s>", "seed of subsampling, surrogates and Louvain", int, 1)
    .option("--surrogates <k>", "surrogates for the z-scores (default 20)", int)
    .option("--threshold <z>", "edge threshold on z (default 2)", num)
    .option("--diffusion-tau <tau>", "latent diffusion time in units of 1/<k>; 0 = off", num, 1)
    .option("--resolution <gamma>", "modularity resolution", num, 1)
    .option("--json", "print a one-object summary");
  addReaderFlags(cmd).action(async (opts: InferCliOptions) => {
    await init();
    const inferOptions = {
      method: opts.method as "xcorr" | "glm" | "partial",
      seed: opts.seed,
      ...(opts.lags ? { lags: opts.lags } : {}),
      ...(opts.surrogates !== undefined ? { surrogates: opts.surrogates } : {}),
      ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    };
    resolveInferOptions(inferOptions); // fail fast, before reading or simulating
    if (!(opts.diffusionTau >= 0))
      throw new DgrnRangeError(
        "invalid argument. `--diffusion-tau` must be a number >= 0. Value: `" + opts.diffusionTau + "`.",
      );
    const ro = await readerOptions(opts);
    if (opts.binSize !== undefined) ro.binSize = opts.binSize;
    const bin = opts.bin ?? opts.binSize ?? 0.01;
    const spikes = await loadSpikes(opts.input, ro);
    const binned: BinnedActivity = spikes.kind === "binned" ? spikes : binSpikes(spikes, { binSize: bin });
    const observed =
      opts.subsample === undefined ? binned : subsample(binned, { fraction: opts.subsample, seed: opts.seed });
    const g = inferGraph(observed, inferOptions);
    const h = opts.diffusionTau > 0 ? latentDiffusion(g, { tau: opts.diffusionTau }) : g;
    const com = detectCommunities(h, { seed: opts.seed, resolution: opts.resolution });
    const order = communityOrder(h, com.labels);
    const plain = { n: g.n, directed: true, source: g.source, target: g.target, weight: g.weight, nodeIds: g.nodeIds };
    const doc = graphToJSON(plain, {
      communities: com.labels,
      order,
      modularity: com.modularity,
      options: {
        ...g.options,
        input: opts.input,
        bin: binned.binSize,
        subsample: opts.subsample ?? 1,
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
      bins: observed.nBins,
    };
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `${g.n} nodes, ${g.source.length} edges, ${com.count} communities (Q = ${com.modularity.toFixed(3)}) → ${opts.out}\n`,
      );
  });
}
