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
import { resolveInferOptions } from "../graph/infer.js";
import { resolveDiffusionOptions } from "../graph/diffusion.js";
import { resolveLRGOptions } from "../lrg/lrg.js";
import { lifConfig } from "../lif/config.js";
import type { BinaryStates, BinnedActivity, Graph, RGFlow, SpikeData } from "../types.js";
import { binSpikes, binarize, subsample, checkSpikeData } from "../io/index.js";
import { isInputSpec, recordingFields, recordingWarnings, trialIntervals } from "../io/recording.js";
import { simulateLIF, stimulusLabels, type LIFConfig, type LIFResult } from "../lif/index.js";
import {
  inferGraph,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  scoreGraph,
  type InferOptions,
  type DiffusionOptions,
} from "../graph/index.js";
import { laplacianRG, type LRGOptions } from "../lrg/index.js";
import { metagraph, symEdges, type SymEdges } from "../lrg/graph.js";
import { tnAcrossScales } from "../tn/index.js";
import {
  coarseTrajectories,
  entropyProductionFlow,
  predict,
  predictUnits,
  decodeFlow,
  participationRatio,
  type UnitScores,
} from "../dynamics/index.js";
import { detectWarnings, WARNING_LIMITS } from "./warnings.js";
import { rasterExtras } from "../report/raster.js";
import { RESULTS_SCHEMA, sanitize, type PipelineResults, type ScaleSummary, type StageTiming } from "./results.js";
import type { Progress } from "./protocol.js";
import type { ReportExtras } from "../report/specs.js";
import { log } from "../math.js";

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
  lrgGraph: "diffused" | "inferred";
  /** Options of laplacianRG (default here: rule "modes"; see docs/pipeline.md). */
  lrg: Omit<LRGOptions, "seed">;
  /** DTNR: tolerance ε (TT-SVD of exact distributions only), the largest bond cap χ of the Born machines, and the caps tried (chosen on validation). */
  tn: { tol: number; maxBond: number; sweep: number[] };
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
  tn: { tol: 1e-3, maxBond: 4, sweep: [2, 4] },
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
}

const STAGES = ["data", "bin", "graph", "lrg", "tn", "dynamics", "report"] as const;
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
  const tn = checkOptions<PipelineConfig["tn"]>("config.tn", c.tn, ["tol", "maxBond", "sweep"]);
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
        : checkOneOf("config.lrgGraph", c.lrgGraph, ["diffused", "inferred"] as const),
    lrg: { ...d.lrg, ...((c.lrg as PipelineConfig["lrg"] | undefined) ?? {}) },
    tn: {
      tol:
        tn.tol === undefined
          ? d.tn.tol
          : checkNumber("config.tn.tol", tn.tol, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
      maxBond: tn.maxBond === undefined ? d.tn.maxBond : checkInteger("config.tn.maxBond", tn.maxBond, { min: 1 }),
      sweep: [...sweep],
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
  if (c.input !== undefined) out.input = checkSpikeData("config.input", c.input);
  return out;
}

/**
 * The metagraph of one RG step as [a, b, w] with a < b, from LRG's own builder
 * (sdk/lrg/graph.ts) on the symmetrised graph A_s = (A + Aᵀ)/2: the weights
 * whose Laplacian is the next step's L.
 */
function metagraphEdges(g: SymEdges, assignment: Int32Array, n: number): [number, number, number][] {
  const m = metagraph(g, assignment, n);
  return Array.from(m.i, (a, e) => [a, m.j[e]!, m.w[e]!] as [number, number, number]);
}

/** Observed neurons (their ids) that never spike, and those active in ≥ 95 % of bins (for the warnings). */
function silentAndSaturated(
  binned: BinnedActivity,
  states: BinaryStates,
): { silentUnits: number[]; saturatedUnits: number[] } {
  const { T, n, data } = states;
  const on = new Int32Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) on[i]! += data[t * n + i]!;
  const silentUnits: number[] = [];
  const saturatedUnits: number[] = [];
  for (let i = 0; i < n; i++) {
    if (on[i] === 0) silentUnits.push(binned.neuronIds[i]!);
    else if (on[i]! >= WARNING_LIMITS.saturatedFraction * T) saturatedUnits.push(binned.neuronIds[i]!);
  }
  return { silentUnits, saturatedUnits };
}

/** Entropy (nats) of the empirical distribution of the rows of a trajectory. */
function wordEntropy(x: BinaryStates): number {
  const counts = new Map<string, number>();
  const { T, n, data } = x;
  for (let t = 0; t < T; t++) {
    let key = "";
    for (let i = 0; i < n; i++) key += data[t * n + i] ? "1" : "0";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let h = 0;
  for (const c of counts.values()) h -= (c / T) * log(c / T);
  return h;
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
  options?: { onProgress?: (p: Progress) => void },
): PipelineOutput {
  const cfg = resolvePipelineConfig(config);
  const onProgress = options?.onProgress ?? (() => {});
  const k = getKernel();
  const timings: StageTiming[] = [];
  const warnings: string[] = [];
  const count = STAGES.length;
  let t0 = 0;
  const begin = (i: number, msg: string) => {
    k.allocator.resetPeak();
    t0 = performance.now();
    onProgress({ stage: STAGES[i]!, index: i, count, fraction: 0, message: msg });
  };
  /**
   * The stage's own progress: a callback for a stage function's `onProgress`,
   * mapping its fraction onto [lo, hi] of stage i (for a stage with several parts).
   */
  const stageProgress =
    (i: number, lo = 0, hi = 1) =>
    (fraction: number, message: string) =>
      onProgress({
        stage: STAGES[i]!,
        index: i,
        count,
        fraction: lo + (hi - lo) * Math.min(1, Math.max(0, fraction)),
        message,
      });
  const end = (i: number) => {
    onProgress({ stage: STAGES[i]!, index: i, count, fraction: 1, message: "done" });
    const mem =
      (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process?.memoryUsage?.().heapUsed ??
      null;
    timings.push({
      stage: STAGES[i]!,
      ms: performance.now() - t0,
      peakKernelBytes: k.allocator.stats().peakBytes,
      peakHeapBytes: mem,
    });
  };
  const seed = cfg.seed;

  if (cfg.input && cfg.input.nNeurons < 2) {
    throw new DgrnFormatError(
      `the recording has ${cfg.input.nNeurons} neuron(s); the pipeline needs at least 2 (a graph needs pairs)`,
      { code: ErrorCode.INVALID_DATA },
    );
  }

  // 1. data in
  begin(
    0,
    cfg.input
      ? `reading ${cfg.input.provenance.name ?? cfg.input.provenance.source}`
      : "simulating the clustered LIF network",
  );
  let sim: LIFResult | null = null;
  let data: SpikeData;
  if (cfg.input) data = cfg.input;
  else {
    sim = simulateLIF({ ...cfg.simulate, seed: cfg.simulate.seed ?? seed });
    data = sim.spikes;
  }
  end(0);

  // 2. subsample, bin, binarise
  begin(
    1,
    cfg.fraction >= 1
      ? `observing all ${data.nNeurons} units, bins of ${cfg.binSize * 1000} ms`
      : `observing a fraction ${cfg.fraction} of ${data.nNeurons} neurons, bins of ${cfg.binSize * 1000} ms`,
  );
  if (cfg.input) warnings.push(...recordingWarnings(data));
  const binnedAll: BinnedActivity = data.kind === "binned" ? data : binSpikes(data, { binSize: cfg.binSize });
  const binned = cfg.fraction >= 1 ? binnedAll : subsample(binnedAll, { fraction: cfg.fraction, seed });
  if (binned.nNeurons < 2) {
    throw new DgrnFormatError(
      `only ${binned.nNeurons} neuron(s) observed at fraction ${cfg.fraction}; the pipeline needs at least 2`,
      { code: ErrorCode.INVALID_DATA },
    );
  }
  let totalSpikes = 0;
  for (const c of binned.counts) totalSpikes += c;
  if (totalSpikes === 0)
    throw new DgrnFormatError("the observed neurons have no spikes: nothing to analyse", {
      code: ErrorCode.INVALID_DATA,
    });
  const states = binarize(binned);
  let active = 0;
  for (const v of states.data) active += v;
  const duration = binned.nBins * binned.binSize;
  const unitChecks = silentAndSaturated(binned, states);
  end(1);

  // 3. graph, communities, order
  begin(2, `inferring a directed graph over ${binned.nNeurons} neurons (${binned.nBins} bins)`);
  const g = inferGraph(binned, { ...cfg.graph, seed });
  const gPlain: Graph = {
    n: g.n,
    directed: true,
    source: g.source,
    target: g.target,
    weight: g.weight,
    ...(g.nodeIds ? { nodeIds: g.nodeIds } : {}),
  };
  const forCommunities =
    cfg.diffusion === false || g.source.length === 0 ? gPlain : latentDiffusion(gPlain, cfg.diffusion);
  const com = detectCommunities(forCommunities, { seed, resolution: cfg.resolution });
  const order = communityOrder(forCommunities, com.labels);
  const scores: PipelineResults["graph"]["scores"] = sim ? scoreGraph(g, com.labels, sim.truth) : null;
  if (sim) warnings.push(...sim.diagnostics.warnings);
  end(2);

  // 4. Laplacian RG
  const rgGraph = cfg.lrgGraph === "diffused" ? forCommunities : gPlain;
  begin(3, `diffusion spectrum and RG flow of the ${cfg.lrgGraph} graph (${g.n} nodes, rule ${cfg.lrg.rule ?? "rho"})`);
  const lrg = laplacianRG(rgGraph, {
    ...cfg.lrg,
    seed,
    onProgress: (fraction, message) => onProgress({ stage: STAGES[3], index: 3, count, fraction, message }),
  });
  const flow: RGFlow = lrg.flow;
  end(3);

  // 5. DTNR, in community order: Born machines of X and of every coarse level Y_ℓ, judged by held-out likelihood
  begin(
    4,
    `Born machine MPS of ${states.n} sites × ${states.T} bins and of the coarse variables of ${flow.steps.length} RG step(s)`,
  );
  const tnLevels: BinaryStates[] = [states, ...coarseTrajectories(states, flow, { rule: cfg.dynamics.rule })];
  const caps = [...new Set([...cfg.tn.sweep, cfg.tn.maxBond])].filter((c) => c <= cfg.tn.maxBond).sort((a, b) => a - b);
  const tnRun = tnAcrossScales(tnLevels, order, {
    maxBond: cfg.tn.maxBond,
    caps,
    seed,
    onProgress: stageProgress(4),
  });
  const tnFit = tnRun.fit;
  const tnScales: ScaleSummary[] = tnRun.scales.map((s) => ({ ...s }));
  const sweep = tnFit.caps.map((c) => ({ maxBond: c.maxBond, params: c.params, validation: c.validation }));
  const tnBase = tnFit.baselines!;
  const fin = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);
  end(4);

  // 6. Mesoscale dynamics per RG step (level 0 = the fine observed states)
  begin(5, `coarse trajectories, Markov dynamics, σ, prediction and decoding over ${flow.steps.length + 1} levels`);
  const rule = cfg.dynamics.rule;
  const coarse = coarseTrajectories(states, flow, { rule });
  const levels: BinaryStates[] = [states, ...coarse];
  const trials = !sim && data.trials ? trialIntervals(data.trials) : null;
  const labels = sim
    ? stimulusLabels(sim.truth.stimulus, binned.nBins, binned.binSize)
    : trials
      ? stimulusLabels(trials.intervals, binned.nBins, binned.binSize)
      : null;
  const decodes = cfg.dynamics.decode && !!labels && new Set(labels).size > 1;
  // progress: σ (with its surrogates) 0–45 %, decoding 45–85 %, prediction and dimension 85–100 %
  const sigmas = entropyProductionFlow(states, flow, {
    rule,
    surrogates: cfg.dynamics.surrogates,
    seed,
    onProgress: stageProgress(5, 0, decodes ? 0.45 : 0.8),
  });
  const decoding = decodes
    ? decodeFlow(states, flow, labels!, {
        rule: cfg.dynamics.decodeRule,
        folds: cfg.dynamics.folds,
        seed,
        onProgress: stageProgress(5, 0.45, 0.85),
      })
    : null;
  const predictProgress = stageProgress(5, decodes ? 0.85 : 0.8, 1);
  const dynScales: ScaleSummary[] = levels.map((x, level) => {
    const sg = sigmas[level]!;
    const row: ScaleSummary = {
      step: level,
      n: x.n,
      nStates: sg.nStates,
      sigma: sg.sigma,
      sigmaCorrected: sg.sigmaCorrected,
      sigmaBias: sg.bias,
      sigmaSe: sg.se,
      sigmaCiLo: sg.ci?.[0] ?? null,
      sigmaCiHi: sg.ci?.[1] ?? null,
      sigmaLowerBound: sg.lowerBound,
      sigmaOneWayFraction: sg.oneWayFraction,
      sigmaPairs: sg.nPairs,
      sigmaBaseline: sg.baseline?.mean ?? null,
      sigmaBaselineLo: sg.baseline?.lo ?? null,
      sigmaBaselineHi: sg.baseline?.hi ?? null,
      sigmaPValue: sg.baseline?.pValue ?? null,
      wordEntropy: wordEntropy(x),
      participationRatio: participationRatio(x),
    };
    if (x.T >= 20) {
      const p = predict(x);
      Object.assign(row, {
        predictionAccuracy: p.markov.accuracy,
        predictionLogLikelihood: p.markov.logLikelihood,
        persistenceAccuracy: p.persistence.accuracy,
        persistenceLogLikelihood: p.persistence.logLikelihood,
        marginalAccuracy: p.marginal.accuracy,
        marginalLogLikelihood: p.marginal.logLikelihood,
      });
      const u = predictUnits(x);
      const three = (f: (s: UnitScores) => number | null) => ({
        markov: f(u.markov),
        persistence: f(u.persistence),
        marginal: f(u.marginal),
      });
      row["unitPrediction"] = {
        trivial: u.trivial,
        nUnits: u.nUnits,
        constantUnits: u.constantUnits,
        nTest: u.nTest,
        pseudocount: u.pseudocount,
        unseenFraction: u.unseenFraction,
        bits: three((s) => s.bits),
        accuracy: three((s) => s.accuracy),
        balancedAccuracy: three((s) => s.balancedAccuracy),
      };
    }
    const d = decoding?.[level];
    if (d) {
      Object.assign(row, {
        decodingAccuracy: d.accuracy,
        decodingChance: d.chance,
        decodingMargin: d.margin,
        decodingCiLo: d.ci?.[0] ?? null,
        decodingCiHi: d.ci?.[1] ?? null,
        decodingMarginCiLo: d.marginCi?.[0] ?? null,
        decodingMarginCiHi: d.marginCi?.[1] ?? null,
        decodingFolds: d.folds,
      });
    }
    predictProgress((level + 1) / levels.length, `prediction at level ${level} (${x.n} units)`);
    return row;
  });
  end(5);

  const extras: ReportExtras = rasterExtras(binned, order);

  const configRecord: Record<string, unknown> = {
    seed,
    binSize: cfg.binSize,
    fraction: cfg.fraction,
    simulate: sim ? sim.config : null,
    graph: g.options,
    diffusion: cfg.diffusion,
    resolution: cfg.resolution,
    lrgGraph: cfg.lrgGraph,
    lrg: lrg.options,
    tn: cfg.tn,
    dynamics: cfg.dynamics,
  };
  const rgSym = symEdges("graph", rgGraph);
  const results: PipelineResults = {
    schema: RESULTS_SCHEMA,
    dgrn: { version: VERSION, abi: k.info.abi, kernelSha256: k.info.sha256 },
    config: configRecord,
    data: {
      source: data.provenance.source,
      name: data.provenance.name ?? null,
      nNeurons: data.nNeurons,
      nObserved: binned.nNeurons,
      observed: Array.from(binned.neuronIds),
      duration,
      binSize: binned.binSize,
      nBins: binned.nBins,
      totalSpikes,
      meanRate: totalSpikes / (binned.nNeurons * duration),
      activeFraction: active / (states.T * states.n),
      ...unitChecks,
      ...(sim ? {} : recordingFields(data, binned.neuronIds)),
    },
    graph: {
      method: g.options.method,
      n: g.n,
      nEdges: g.source.length,
      edges: Array.from(g.source, (s, e) => [s, g.target[e]!, g.weight[e]!] as [number, number, number]),
      communities: Array.from(com.labels),
      nCommunities: com.count,
      order: Array.from(order),
      modularity: com.modularity,
      scores,
    },
    lrg: {
      tau: Array.from(lrg.tau),
      entropy: Array.from(lrg.entropy),
      specificHeat: Array.from(lrg.specificHeat),
      peaks: lrg.peaks.map((p) => ({ tau: p.tau, C: p.C })),
      fiedlerTime: lrg.fiedlerTime,
      finestTime: lrg.finestTime,
      flow: flow.steps.map((s) => ({
        tau: s.tau,
        n: s.n,
        groups: s.groups.map((grp) => [...grp]),
        assignment: Array.from(s.assignment),
        metagraph: { n: s.n, edges: metagraphEdges(rgSym, s.assignment, s.n) },
      })),
      stopReason: flow.stopReason,
    },
    tn: {
      tol: cfg.tn.tol,
      maxBond: cfg.tn.maxBond,
      model: tnFit.model,
      mps: {
        bondDims: tnFit.bondDims,
        params: tnFit.machine.params,
        log2FullSize: states.n,
        relError: null,
        entanglement: Array.from(tnRun.entanglement),
        kl: null,
        tv: null,
        nll: tnFit.nll,
        nllBorn: {
          train: fin(tnFit.nllBorn.train),
          validation: fin(tnFit.nllBorn.validation),
          test: fin(tnFit.nllBorn.test),
        },
        mixWeight: tnFit.mixWeight,
        belowFloor: tnFit.belowFloor,
        split: tnFit.split,
        baselines: tnBase,
      },
      scales: tnScales,
      sweep,
    },
    dynamics: { rule, scales: dynScales },
    warnings,
  };
  const clean = sanitize(results, warnings);
  clean.warnings = [...warnings, ...detectWarnings(clean)];
  return {
    results: clean,
    extras,
    timings,
    stageCount: count,
  };
}
