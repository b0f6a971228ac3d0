/**
 * The whole pipeline as one pure function: data in → subsample and bin →
 * directed graph (LGD) → communities and node order → Laplacian RG flow →
 * DTNR across scales → mesoscale dynamics → results (results.json) and the
 * extras the report draws. Every stage is also callable alone.
 *
 * @module
 */
import { DgrnFormatError, DgrnRangeError, ErrorCode } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import { VERSION } from "../version.js";
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptions,
  checkSeed,
  message,
  within,
} from "../validate.js";
import { resolveInferOptions, type InferOptions } from "../graph/infer.js";
import { resolveDiffusionOptions, type DiffusionOptions } from "../graph/diffusion.js";
import { resolveLRGOptions, type LRGOptions } from "../lrg/lrg.js";
import { lifConfig } from "../lif/config.js";
import type { LIFConfig } from "../lif/index.js";
import type { SpikeData } from "../types.js";
import { checkSpikeData } from "../io/index.js";
import { isInputSpec } from "../io/recording.js";
import { detectWarnings } from "./warnings.js";
import type { ReportExtras } from "./extras.js";
import {
  PIPELINE_STAGES,
  type PipelineStage,
  type PipelineState,
  type StageContext,
  type StageOutput,
} from "./stages.js";
import { RESULTS_SCHEMA, sanitize, type PipelineResults, type StageTiming } from "./results.js";
import type { Progress } from "./protocol.js";

/** Configuration of {@link runPipeline}. Every field is optional; defaults in {@link PIPELINE_DEFAULTS}. */
export interface PipelineConfig {
  /** Seed of every stochastic stage (simulation, subsampling, surrogates, Louvain, folds). Default 1. */
  seed: number;
  /** A recording to analyse; default: simulate the embedded clustered LIF network. */
  input?: SpikeData;
  /** Overrides of the simulator's defaults (LIF_DEFAULTS), when no input is given. */
  simulate: Partial<LIFConfig>;
  /** Bin width in seconds (for spike-time input). Default 0.01. */
  binSize: number;
  /** Observed fraction of neurons, chosen with the seed. Default 0.5 for the simulation (its subsampling experiment), 1 (all units) for a recording. */
  fraction: number;
  /** Options of inferGraph (seed excluded: it is `seed`). */
  graph: Omit<InferOptions, "seed">;
  /** Latent diffusion before community detection (latentDiffusion options), or false. */
  diffusion: DiffusionOptions | false;
  /** Modularity resolution. Default 1. */
  resolution: number;
  /** Which graph the Laplacian RG coarse-grains: the latent-diffusion graph (default) or the inferred one. */
  lrgGraph: "diffused" | "inferred" | "coactivity";
  /** Options of laplacianRG (default here: rule "modes"; see docs/pipeline.md). */
  lrg: Omit<LRGOptions, "seed">;
  /** DTNR: tolerance ε (TT-SVD of exact distributions only), the largest bond cap χ of the Born machines, and the caps tried (chosen on validation). */
  tn: {
    tol: number;
    maxBond: number;
    sweep: number[];
    /** Also fit the tree Born machine along the RG flow (χ ≤ 2) at every scale. Default false: it adds ~6 s to the default run (docs/tn.md). */
    tree?: boolean;
  };
  /** Dynamics: block rule of the binary coarse states (Markov, σ, prediction), block rule of the decoder's features, surrogates of the σ baseline, decoding folds. */
  dynamics: {
    rule: "any" | "majority";
    decodeRule: "any" | "majority" | "fraction";
    surrogates: number;
    folds: number;
    decode: boolean;
  };
}

/** The defaults (ours; see docs/pipeline.md). */
export const PIPELINE_DEFAULTS: Readonly<Omit<PipelineConfig, "input">> = Object.freeze<Omit<PipelineConfig, "input">>({
  seed: 1,
  simulate: {},
  binSize: 0.01,
  fraction: 0.5,
  graph: {},
  diffusion: {},
  resolution: 1,
  lrgGraph: "diffused",
  lrg: { rule: "modes" },
  tn: { tol: 1e-3, maxBond: 4, sweep: [2, 4], tree: false },
  dynamics: { rule: "any", decodeRule: "fraction", surrogates: 19, folds: 5, decode: true },
});

/** What {@link runPipeline} returns. */
export interface PipelineOutput {
  results: PipelineResults;
  /** Arrays the report draws that are too large for results.json. */
  extras: ReportExtras;
  /** Per-stage wall time and peak kernel memory (timings.json; not part of results.json). */
  timings: StageTiming[];
  /** Number of stages including the report (for progress bars). */
  stageCount: number;
  /** What the stages handed each other (graphs, communities, flow, coarse levels), for callers that go on from them. */
  state: PipelineState;
}

const KEYS = [
  "seed",
  "input",
  "simulate",
  "binSize",
  "fraction",
  "graph",
  "diffusion",
  "resolution",
  "lrgGraph",
  "lrg",
  "tn",
  "dynamics",
];

/** Validate and fill a configuration (no data is touched). */
export function resolvePipelineConfig(config?: Partial<PipelineConfig>): PipelineConfig {
  const c = checkOptions<PipelineConfig>("config", config, KEYS);
  const d = PIPELINE_DEFAULTS;
  const tn = checkOptions<PipelineConfig["tn"]>("config.tn", c.tn, ["tol", "maxBond", "sweep", "tree"]);
  const dyn = checkOptions<PipelineConfig["dynamics"]>("config.dynamics", c.dynamics, [
    "rule",
    "decodeRule",
    "surrogates",
    "folds",
    "decode",
  ]);
  const sweep = tn.sweep ?? d.tn.sweep;
  if (!Array.isArray(sweep))
    throw new DgrnRangeError(message("config.tn.sweep", "an array of bond caps", sweep), ErrorCode.INVALID_OPTION);
  sweep.forEach((b, i) => checkInteger(`config.tn.sweep[${i}]`, b, { min: 1 }));
  const out: PipelineConfig = {
    seed: c.seed === undefined ? d.seed : checkSeed("config.seed", c.seed),
    simulate: (c.simulate as Partial<LIFConfig> | undefined) ?? {},
    binSize:
      c.binSize === undefined ? d.binSize : checkNumber("config.binSize", c.binSize, { min: 0, minExclusive: true }),
    fraction:
      c.fraction === undefined
        ? c.input !== undefined
          ? 1
          : d.fraction
        : checkNumber("config.fraction", c.fraction, { min: 0, max: 1, minExclusive: true }),
    graph: (c.graph as PipelineConfig["graph"] | undefined) ?? {},
    diffusion: c.diffusion === false ? false : ((c.diffusion as DiffusionOptions | undefined) ?? {}),
    resolution:
      c.resolution === undefined
        ? d.resolution
        : checkNumber("config.resolution", c.resolution, { min: 0, minExclusive: true }),
    lrgGraph:
      c.lrgGraph === undefined
        ? d.lrgGraph
        : checkOneOf("config.lrgGraph", c.lrgGraph, ["diffused", "inferred", "coactivity"] as const),
    lrg: { ...d.lrg, ...((c.lrg as PipelineConfig["lrg"] | undefined) ?? {}) },
    tn: {
      tol:
        tn.tol === undefined
          ? d.tn.tol
          : checkNumber("config.tn.tol", tn.tol, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
      maxBond: tn.maxBond === undefined ? d.tn.maxBond : checkInteger("config.tn.maxBond", tn.maxBond, { min: 1 }),
      sweep: [...sweep],
      tree: tn.tree === undefined ? d.tn.tree : checkBoolean("config.tn.tree", tn.tree),
    },
    dynamics: {
      rule:
        dyn.rule === undefined
          ? d.dynamics.rule
          : checkOneOf("config.dynamics.rule", dyn.rule, ["any", "majority"] as const),
      decodeRule:
        dyn.decodeRule === undefined
          ? d.dynamics.decodeRule
          : checkOneOf("config.dynamics.decodeRule", dyn.decodeRule, ["any", "majority", "fraction"] as const),
      surrogates:
        dyn.surrogates === undefined
          ? d.dynamics.surrogates
          : checkInteger("config.dynamics.surrogates", dyn.surrogates, { min: 0, max: 1000 }),
      folds:
        dyn.folds === undefined
          ? d.dynamics.folds
          : checkInteger("config.dynamics.folds", dyn.folds, { min: 2, max: 50 }),
      decode: dyn.decode === undefined ? d.dynamics.decode : checkBoolean("config.dynamics.decode", dyn.decode),
    },
  };
  if (isInputSpec(c.input)) {
    throw new DgrnRangeError(
      message(
        "config.input",
        "spike data: a `{ file, … }` input is read first (readSpikes(file, options); the CLI does it)",
        c.input,
      ),
      ErrorCode.INVALID_OPTION,
    );
  }
  // Every stage's options are checked here, by the stage's own resolver, before any work.
  within("config.simulate", () => lifConfig({ ...out.simulate, seed: out.simulate.seed ?? out.seed }));
  within("config.graph", () => resolveInferOptions({ ...out.graph, seed: out.seed }));
  if (out.diffusion !== false) within("config.diffusion", () => resolveDiffusionOptions(out.diffusion));
  within("config.lrg", () => resolveLRGOptions({ ...out.lrg, seed: out.seed }));
  if (c.input !== undefined) {
    out.input = checkSpikeData("config.input", c.input);
    if (out.input.nNeurons < 2) {
      throw new DgrnFormatError(
        `the recording has ${out.input.nNeurons} neuron(s); the pipeline needs at least 2 (a graph needs pairs)`,
        { code: ErrorCode.INVALID_DATA },
      );
    }
  }
  return out;
}

/**
 * Run the whole pipeline.
 *
 * @param config - any subset of {@link PipelineConfig}; `input` a recording, else the embedded LIF network is simulated
 * @param options - `onProgress`, called at every stage boundary
 * @returns results (the content of results.json), the report's extras, and per-stage timings
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` / `ERR_OUT_OF_RANGE` for a bad configuration (before any work)
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` for a recording the pipeline cannot analyse (fewer than 2 neurons, no spikes, too few bins)
 * @example
 * ```ts
 * import { init, runPipeline } from "dgrn";
 * await init();
 * const { results } = runPipeline({ seed: 1, simulate: { duration: 5 } });
 * results.lrg.flow.map((s) => s.n); // nodes per RG step
 * ```
 */
export function runPipeline(
  config?: Partial<PipelineConfig>,
  options?: { onProgress?: (p: Progress) => void; stages?: readonly PipelineStage[] },
): PipelineOutput {
  const stages = checkStages(options?.stages);
  const run = startRun(config, options?.onProgress, stages.length);
  for (const stage of stages) {
    const r = run.begin(stage);
    r.done(stage.run(run.state, r.ctx));
    run.finish(r);
  }
  return run.output();
}

/** The stage table of a run: {@link PIPELINE_STAGES} unless the caller registers its own. */
export function checkStages(stages: readonly PipelineStage[] | undefined): readonly PipelineStage[] {
  if (stages === undefined) return PIPELINE_STAGES;
  if (!Array.isArray(stages) || stages.length === 0)
    throw new DgrnRangeError(
      message("options.stages", "a non-empty array of pipeline stages", stages),
      ErrorCode.INVALID_OPTION,
    );
  const names = new Set<string>();
  stages.forEach((st, i) => {
    if (
      !st ||
      typeof st !== "object" ||
      typeof st.name !== "string" ||
      typeof st.run !== "function" ||
      typeof st.describe !== "function"
    )
      throw new DgrnRangeError(
        message(`options.stages[${i}]`, "a stage `{ name, describe(state), run(state, ctx) }`", st),
        ErrorCode.INVALID_OPTION,
      );
    if (names.has(st.name) || st.name === "report")
      throw new DgrnRangeError(
        message(`options.stages[${i}].name`, "a name no other stage (nor the report) has", st.name),
        ErrorCode.INVALID_OPTION,
      );
    if (st.after !== undefined && !names.has(st.after))
      throw new DgrnRangeError(
        message(`options.stages[${i}].after`, "the name of a stage before it in the table", st.after),
        ErrorCode.INVALID_OPTION,
      );
    names.add(st.name);
  });
  return stages;
}

/** One stage under way in a run: its own context, start time and warnings (see {@link startRun}). */
export interface StageRun {
  readonly stage: PipelineStage;
  readonly ctx: StageContext;
  /** Mark the stage's work done (its wall time ends here); the output is kept until {@link finish}. */
  done(out: StageOutput): void;
}

/**
 * The loop around the stage table, shared by {@link runPipeline} and
 * runPipelineAsync: progress events, timings, and the assembly of
 * results.json from the stages' slices. Stages may run side by side (each
 * {@link StageRun} has its own context and warnings); `finish` is called in
 * table order, so results.json, the warnings and the progress events are in
 * that order whatever the timing: progress of a stage that started early is
 * held back until the stages before it have finished.
 */
export function startRun(
  config: Partial<PipelineConfig> | undefined,
  onProgressIn: ((p: Progress) => void) | undefined,
  nStages: number,
) {
  const cfg = resolvePipelineConfig(config);
  const onProgress = onProgressIn ?? (() => {});
  const k = getKernel();
  const timings: StageTiming[] = [];
  const warnings: string[] = [];
  const count = nStages + 1; // + the report
  const state: PipelineState = { cfg };
  const slices: StageOutput["results"] = {};
  const recorded: Record<string, unknown> = { seed: cfg.seed };
  let extras: ReportExtras = {};
  let begun = 0;
  let front = 0; // index of the first stage not yet finished: its progress goes out as it comes
  const held = new Map<number, Progress[]>();
  const runs = new Map<StageRun, { index: number; t0: number; out: StageOutput | null; timing: StageTiming | null }>();
  return {
    state,
    count,
    /** Start a stage: reset the peak-memory mark, announce it. */
    begin(stage: PipelineStage): StageRun {
      const index = begun++;
      const emit = (fraction: number, message: string) => {
        const p = { stage: stage.name, index, count, fraction: Math.min(1, Math.max(0, fraction)), message };
        if (index === front) onProgress(p);
        else held.set(index, [...(held.get(index) ?? []), p]);
      };
      const stageWarnings: string[] = [];
      const ctx: StageContext = {
        seed: cfg.seed,
        warnings: stageWarnings,
        onProgress: emit,
        part: (lo, hi) => (fraction, message) => emit(lo + (hi - lo) * Math.min(1, Math.max(0, fraction)), message),
      };
      k.allocator.resetPeak();
      const r: StageRun = {
        stage,
        ctx,
        done(out: StageOutput) {
          const e = runs.get(r)!;
          const mem =
            (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process?.memoryUsage?.()
              .heapUsed ?? null;
          e.out = out;
          e.timing = {
            stage: stage.name,
            ms: performance.now() - e.t0,
            peakKernelBytes: k.allocator.stats().peakBytes,
            peakHeapBytes: mem,
          };
        },
      };
      runs.set(r, { index, t0: performance.now(), out: null, timing: null });
      emit(0, stage.describe(state));
      return r;
    },
    /** End a stage (in table order, after its `done`): record its time and memory, keep its slices and warnings. */
    finish(r: StageRun): void {
      const e = runs.get(r)!;
      if (!e.out) r.done({});
      const { out, timing } = runs.get(r)!;
      r.ctx.onProgress(1, "done");
      timings.push(timing!);
      warnings.push(...r.ctx.warnings);
      Object.assign(slices, out!.results);
      Object.assign(recorded, out!.config);
      extras = { ...extras, ...out!.extras };
      runs.delete(r);
      front = e.index + 1;
      for (const p of held.get(front) ?? []) onProgress(p);
      held.delete(front);
    },
    /** results.json (sanitised, warnings collected), the extras and the timings. */
    output(): PipelineOutput {
      const results = {
        schema: RESULTS_SCHEMA,
        dgrn: { version: VERSION, abi: k.info.abi, kernelSha256: k.info.sha256 },
        config: recorded,
        ...slices,
        warnings,
      } as PipelineResults;
      const clean = sanitize(results, warnings);
      clean.warnings = [...warnings, ...detectWarnings(clean)];
      return { results: clean, extras, timings, stageCount: count, state };
    },
  };
}
