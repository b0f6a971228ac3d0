/**
 * The pipeline's stages as a table: each entry is one pure stage function
 * that reads what earlier stages left in the {@link PipelineState} and
 * returns its own slice of results.json (plus, where it has one, its slice of
 * the recorded configuration and of the report's extras). {@link runPipeline}
 * walks the table; nothing else knows the order of the stages.
 *
 * To add a stage: write `run(state, ctx)` (and `runAsync` if part of it can
 * use the worker pool), give it a `name` and a `describe` line, and register
 * it in {@link PIPELINE_STAGES} after the stages it reads from. See
 * docs/architecture.md.
 *
 * @module
 */
import { DgrnError, DgrnFormatError, ErrorCode } from "../errors.js";
import type { BinaryStates, BinnedActivity, Graph, RGFlow, SpikeData } from "../types.js";
import { binSpikes, binarize, subsample } from "../io/index.js";
import { recordingFields, recordingWarnings, trialIntervals } from "../io/recording.js";
import { simulateLIF, stimulusLabels, type LIFResult } from "../lif/index.js";
import {
  inferGraph,
  inferGraphAsync,
  latentDiffusion,
  latentDiffusionAsync,
  detectCommunities,
  communityOrder,
  scoreGraph,
  type Communities,
  type InferredGraph,
} from "../graph/index.js";
import { degreeCapCounts, resolveDiffusionOptions } from "../graph/diffusion.js";
import { laplacianRG, laplacianRGAsync, lrgSlqWarnings, type LRGResult } from "../lrg/index.js";
import type { SymEdges } from "../lrg/graph.js";
import { tnAcrossScales, tnAcrossScalesAsync, type TnScalesOptions, type TnScalesResult } from "../tn/index.js";
import {
  coarseTrajectories,
  entropyProductionFlow,
  predict,
  predictUnits,
  decodeFlow,
  decodeFlowAsync,
  participationRatio,
  type Decoding,
  type UnitScores,
} from "../dynamics/index.js";
import type { WorkerPool } from "../parallel/pool.js";
import { WARNING_LIMITS } from "./warnings.js";
import { rasterExtras, type ReportExtras } from "./extras.js";
import type { PipelineResults, ScaleSummary } from "./results.js";
import type { PipelineConfig } from "./run.js";
import { log } from "../math.js";

/**
 * What the stages hand each other. A stage reads the fields of the stages
 * before it through {@link need}, which names the missing producer if the
 * table's order is wrong, and writes its own.
 */
export interface PipelineState {
  /** The resolved, checked configuration. */
  readonly cfg: PipelineConfig;
  /** data: the simulation (null for a recording). */
  sim?: LIFResult | null;
  /** data: the spike data analysed. */
  data?: SpikeData;
  /** bin: the observed units, binned. */
  binned?: BinnedActivity;
  /** bin: their binary states. */
  states?: BinaryStates;
  /** graph: the inferred graph (scores, surrogates, options). */
  inferred?: InferredGraph;
  /** graph: the graph communities were detected on (latent-diffusion graph, or the inferred one). */
  communityGraph?: Graph;
  /** graph: communities and the community-based node order. */
  communities?: Communities;
  order?: Int32Array;
  /** lrg: the graph coarse-grained, its result and flow. */
  rgGraph?: Graph;
  lrg?: LRGResult;
  flow?: RGFlow;
  /** lrg: level 0 (the observed states) and the coarse trajectory of every RG step. */
  levels?: BinaryStates[];
}

/** What a stage is given besides the state. */
export interface StageContext {
  /** The run's seed. */
  seed: number;
  /** Warnings for results.warnings (a stage pushes what the user must see). */
  warnings: string[];
  /** The stage's own progress, fraction 0…1 of this stage. */
  onProgress: (fraction: number, message: string) => void;
  /** A progress callback mapping a part's fraction onto [lo, hi] of this stage. */
  part: (lo: number, hi: number) => (fraction: number, message: string) => void;
}

/** What a stage returns: its slice of results.json, of the recorded config, and of the report's extras. */
export interface StageOutput {
  results?: Partial<Omit<PipelineResults, "schema" | "dgrn" | "config" | "warnings">>;
  config?: Record<string, unknown>;
  extras?: ReportExtras;
}

/** One stage of the pipeline. */
export interface PipelineStage {
  /** The stage's name in progress events and timings.json. */
  readonly name: string;
  /** The progress line at the stage's start. */
  describe(state: PipelineState): string;
  /** The stage, synchronous. */
  run(state: PipelineState, ctx: StageContext): StageOutput;
  /** The same stage with a worker pool; must return the same bits as `run`. */
  runAsync?(state: PipelineState, ctx: StageContext, pool: WorkerPool): Promise<StageOutput>;
  /**
   * The last stage of the table this one reads from (default: the one just before it). With a worker pool,
   * runPipelineAsync starts it as soon as that stage and every stage before it have finished, beside the stages
   * in between (which must then neither write what it reads nor read what it writes). Its slices still go into
   * results.json in table order.
   */
  readonly after?: string;
}

/**
 * A field an earlier stage produces, or a typed error naming the stage that
 * should have run first (a wrongly ordered stage table, never bad input).
 */
export function need<K extends keyof PipelineState>(
  state: PipelineState,
  key: K,
  producer: string,
): NonNullable<PipelineState[K]> {
  const v = state[key];
  if (v === undefined || v === null)
    throw new DgrnError(
      `pipeline stage order: \`${String(key)}\` is produced by stage "${producer}", which has not run`,
      ErrorCode.INVALID_OPTION,
    );
  return v as NonNullable<PipelineState[K]>;
}

// ── 1. data in ─────────────────────────────────────────────────────────────

/** Data in: the recording, or a simulation of the embedded clustered LIF network. */
export const dataStage: PipelineStage = {
  name: "data",
  describe: ({ cfg }) =>
    cfg.input
      ? `reading ${cfg.input.provenance.name ?? cfg.input.provenance.source}`
      : "simulating the clustered LIF network",
  run(s, ctx) {
    const { cfg } = s;
    if (cfg.input) {
      s.sim = null;
      s.data = cfg.input;
      ctx.warnings.push(...recordingWarnings(cfg.input));
      return { config: { simulate: null } };
    }
    const sim = simulateLIF({ ...cfg.simulate, seed: cfg.simulate.seed ?? ctx.seed });
    s.sim = sim;
    s.data = sim.spikes;
    ctx.warnings.push(...sim.diagnostics.warnings);
    return { config: { simulate: sim.config } };
  },
};

// ── 2. subsample, bin, binarise ────────────────────────────────────────────

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

/** Subsample the units, bin the spikes, binarise: the `data` block of results.json. */
export const binStage: PipelineStage = {
  name: "bin",
  describe: (s) => {
    const { cfg } = s;
    const n = need(s, "data", "data").nNeurons;
    return cfg.fraction >= 1
      ? `observing all ${n} units, bins of ${cfg.binSize * 1000} ms`
      : `observing a fraction ${cfg.fraction} of ${n} neurons, bins of ${cfg.binSize * 1000} ms`;
  },
  run(s, ctx) {
    const { cfg } = s;
    const data = need(s, "data", "data");
    const binnedAll: BinnedActivity = data.kind === "binned" ? data : binSpikes(data, { binSize: cfg.binSize });
    const binned = cfg.fraction >= 1 ? binnedAll : subsample(binnedAll, { fraction: cfg.fraction, seed: ctx.seed });
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
    s.binned = binned;
    s.states = states;
    return {
      results: {
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
          ...silentAndSaturated(binned, states),
          ...(s.sim ? {} : recordingFields(data, binned.neuronIds)),
        },
      },
      config: { binSize: cfg.binSize, fraction: cfg.fraction },
    };
  },
};

// ── 3. graph, communities, order ───────────────────────────────────────────

/** The graph stage after the (possibly pooled) latent diffusion. */
function graphSlice(
  s: PipelineState,
  seed: number,
  g: InferredGraph,
  plain: Graph,
  forCommunities: Graph,
): StageOutput {
  const { cfg } = s;
  const com = detectCommunities(forCommunities, { seed, resolution: cfg.resolution });
  const order = communityOrder(forCommunities, com.labels);
  s.inferred = g;
  s.communityGraph = forCommunities;
  s.communities = com;
  s.order = order;
  s.rgGraph =
    cfg.lrgGraph === "diffused"
      ? forCommunities
      : cfg.lrgGraph === "coactivity"
        ? coactivityGraph(cfg, g, forCommunities)
        : plain;
  const binned = need(s, "binned", "bin");
  return {
    results: {
      graph: {
        method: g.options.method,
        n: g.n,
        nEdges: g.source.length,
        ...resultsEdges(g),
        communities: Array.from(com.labels),
        nCommunities: com.count,
        order: Array.from(order),
        modularity: com.modularity,
        scores: s.sim ? scoreGraph(g, com.labels, s.sim.truth) : null,
        ...diffusionCap(cfg, plain),
      },
    },
    config: {
      graph: g.options,
      diffusion: cfg.diffusion,
      resolution: cfg.resolution,
      lrgGraph: cfg.lrgGraph,
    },
    extras: rasterExtras(binned, order),
  };
}

/** results.graph.diffusionCap when latent diffusion's input degree cap cut the inferred graph (docs/graph.md §2). */
function diffusionCap(
  cfg: PipelineConfig,
  plain: Graph,
): { diffusionCap?: NonNullable<PipelineResults["graph"]["diffusionCap"]> } {
  if (cfg.diffusion === false || plain.source.length === 0) return {};
  const { maxDegree } = resolveDiffusionOptions(cfg.diffusion);
  const c = degreeCapCounts(plain, maxDegree);
  return c.nodesOver === 0 ? {} : { diffusionCap: { maxDegree, ...c } };
}

/** At most this many inferred edges are listed in results.json (ours: ~4 MB of JSON; N = 10⁴ infers 2.5 M). */
export const RESULTS_EDGE_CAP = 100_000;

/**
 * results.json's edge list: every edge, or the {@link RESULTS_EDGE_CAP}
 * heaviest (weight desc, source asc, target asc) in their original order and
 * `edgesOmitted` the number left out.
 */
export function resultsEdges(g: Graph): { edges: [number, number, number][]; edgesOmitted?: number } {
  const E = g.source.length;
  const tuple = (e: number): [number, number, number] => [g.source[e]!, g.target[e]!, g.weight[e]!];
  if (E <= RESULTS_EDGE_CAP) return { edges: Array.from({ length: E }, (_, e) => tuple(e)) };
  const idx = new Int32Array(E);
  for (let e = 0; e < E; e++) idx[e] = e;
  const w = g.weight,
    s = g.source,
    t = g.target;
  idx.sort((a, b) => w[b]! - w[a]! || s[a]! - s[b]! || t[a]! - t[b]! || a - b);
  const kept = idx.subarray(0, RESULTS_EDGE_CAP).slice().sort();
  return { edges: Array.from(kept, tuple), edgesOmitted: E - RESULTS_EDGE_CAP };
}

/**
 * The co-activity graph, latent-diffused like the community graph: the
 * estimator's own thresholded lagged-correlation graph where it has one
 * (method "partial" conditions on it), else the community graph itself.
 */
function coactivityGraph(cfg: PipelineConfig, g: InferredGraph, forCommunities: Graph): Graph {
  const c = g.coactivity;
  if (!c) return forCommunities;
  return cfg.diffusion === false || c.source.length === 0 ? c : latentDiffusion(c, cfg.diffusion);
}

function plainOf(g: InferredGraph): Graph {
  return {
    n: g.n,
    directed: true,
    source: g.source,
    target: g.target,
    weight: g.weight,
    ...(g.nodeIds ? { nodeIds: g.nodeIds } : {}),
  };
}

/** Directed graph (LGD), latent diffusion, communities, the community-based node order. */
export const graphStage: PipelineStage = {
  name: "graph",
  describe: (s) => {
    const b = need(s, "binned", "bin");
    return `inferring a directed graph over ${b.nNeurons} neurons (${b.nBins} bins)`;
  },
  run(s, ctx) {
    const g = inferGraph(need(s, "binned", "bin"), { ...s.cfg.graph, seed: ctx.seed });
    const plain = plainOf(g);
    const diffused =
      s.cfg.diffusion === false || g.source.length === 0 ? plain : latentDiffusion(plain, s.cfg.diffusion);
    return graphSlice(s, ctx.seed, g, plain, diffused);
  },
  async runAsync(s, ctx, pool) {
    // surrogates and the diffusion's column blocks on the pool: the same bits as run()
    const g = await inferGraphAsync(need(s, "binned", "bin"), { ...s.cfg.graph, seed: ctx.seed }, pool);
    const plain = plainOf(g);
    const diffused =
      s.cfg.diffusion === false || g.source.length === 0
        ? plain
        : await latentDiffusionAsync(plain, s.cfg.diffusion, pool);
    return graphSlice(s, ctx.seed, g, plain, diffused);
  },
};

// ── 4. Laplacian RG ────────────────────────────────────────────────────────

/** A metagraph as [a, b, w] with a < b: the symmetrised weights whose Laplacian is that level's L. */
function edgeList(m: SymEdges): [number, number, number][] {
  return Array.from(m.i, (a, e) => [a, m.j[e]!, m.w[e]!] as [number, number, number]);
}

/** results.lrg.slqWarnings when an SLQ level has any (the field is absent otherwise). */
function slqWarningsField(lrg: LRGResult): { slqWarnings?: string[] } {
  const w = lrgSlqWarnings(lrg);
  return w.length ? { slqWarnings: w } : {};
}

/** Diffusion spectrum, entropy and specific heat, the RG flow and its metagraphs; the coarse trajectories. */
export const lrgStage: PipelineStage = {
  name: "lrg",
  describe: (s) =>
    `diffusion spectrum and RG flow of the ${s.cfg.lrgGraph} graph (${need(s, "rgGraph", "graph").n} nodes, rule ${s.cfg.lrg.rule ?? "rho"})`,
  run(s, ctx) {
    const rgGraph = need(s, "rgGraph", "graph");
    return lrgSlice(s, laplacianRG(rgGraph, { ...s.cfg.lrg, seed: ctx.seed, onProgress: ctx.onProgress }));
  },
  // SLQ levels: λ_max and the probes on the pool (the same bits)
  async runAsync(s, ctx, pool) {
    const rgGraph = need(s, "rgGraph", "graph");
    return lrgSlice(
      s,
      await laplacianRGAsync(rgGraph, { ...s.cfg.lrg, seed: ctx.seed, onProgress: ctx.onProgress }, pool),
    );
  },
};

/** The lrg stage's state and results from its LRG result. */
function lrgSlice(s: PipelineState, lrg: LRGResult): StageOutput {
  const states = need(s, "states", "bin");
  const flow = lrg.flow;
  s.lrg = lrg;
  s.flow = flow;
  s.levels = [states, ...coarseTrajectories(states, flow, { rule: s.cfg.dynamics.rule })];
  return {
    results: {
      lrg: {
        tau: Array.from(lrg.tau),
        entropy: Array.from(lrg.entropy),
        specificHeat: Array.from(lrg.specificHeat),
        peaks: lrg.peaks.map((p) => ({ tau: p.tau, C: p.C })),
        finiteSizePeaks: lrg.finiteSizePeaks.map((p) => ({ tau: p.tau, C: p.C })),
        fiedlerTime: lrg.fiedlerTime,
        finestTime: lrg.finestTime,
        flow: flow.steps.map((st, k) => ({
          tau: st.tau,
          n: st.n,
          groups: st.groups.map((grp) => [...grp]),
          assignment: Array.from(st.assignment),
          metagraph: { n: st.n, edges: edgeList(lrg.graphs[k + 1]!) },
        })),
        stopReason: flow.stopReason,
        ...slqWarningsField(lrg),
      },
    },
    config: { lrg: lrg.options },
  };
}

// ── 5. DTNR ────────────────────────────────────────────────────────────────

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/** DTNR in community order: Born machines of X and of every coarse level Y_ℓ, judged by held-out likelihood. */
export const tnStage: PipelineStage = {
  name: "tn",
  describe: (s) => {
    const x = need(s, "states", "bin");
    return `Born machine MPS of ${x.n} sites × ${x.T} bins and of the coarse variables of ${need(s, "flow", "lrg").steps.length} RG step(s)`;
  },
  run(s, ctx) {
    const { levels, order, opts } = tnInputs(s, ctx);
    return tnSlice(s, levels[0]!, tnAcrossScales(levels, order, opts));
  },
  async runAsync(s, ctx, pool) {
    // every level's Born MPS, baselines (and tree) as pool tasks: the same bits as run()
    const { levels, order, opts } = tnInputs(s, ctx);
    return tnSlice(s, levels[0]!, await tnAcrossScalesAsync(levels, order, opts, pool));
  },
};

/** What the tn stage fits: the levels, the level-0 order, and tnAcrossScales' options. */
function tnInputs(s: PipelineState, ctx: StageContext) {
  const { tn } = s.cfg;
  const levels = need(s, "levels", "lrg");
  const caps = [...new Set([...tn.sweep, tn.maxBond])].filter((c) => c <= tn.maxBond).sort((a, b) => a - b);
  const opts: TnScalesOptions = {
    maxBond: tn.maxBond,
    caps,
    seed: ctx.seed,
    onProgress: ctx.onProgress,
    ...(tn.tree ? { tree: { flow: need(s, "flow", "lrg"), maxBond: 2 } } : {}),
  };
  return { levels, order: need(s, "order", "graph"), opts };
}

/** The tn block of results.json from the fits across scales. */
function tnSlice(s: PipelineState, states: BinaryStates, run: TnScalesResult): StageOutput {
  const { tn } = s.cfg;
  const fit = run.fit;
  const tf = run.fitTree;
  const tree =
    tf && tf.machine.kind === "bornTree"
      ? {
          params: tf.params,
          bondDims: tf.bondDims,
          nodes: tf.machine.shape.parent.length,
          splitGroups: tf.machine.shape.splitGroups,
          maxNodeBits: tf.machine.shape.maxNodeBits,
          nll: tf.nll,
          nllBorn: {
            train: finite(tf.nllBorn.train),
            validation: finite(tf.nllBorn.validation),
            test: finite(tf.nllBorn.test),
          },
          mixWeight: tf.mixWeight,
        }
      : null;
  return {
    results: {
      tn: {
        tol: tn.tol,
        maxBond: tn.maxBond,
        model: fit.model,
        mps: {
          bondDims: fit.bondDims,
          params: fit.machine.params,
          log2FullSize: states.n,
          relError: null,
          entanglement: Array.from(run.entanglement),
          kl: null,
          tv: null,
          nll: fit.nll,
          nllBorn: {
            train: finite(fit.nllBorn.train),
            validation: finite(fit.nllBorn.validation),
            test: finite(fit.nllBorn.test),
          },
          mixWeight: fit.mixWeight,
          belowFloor: fit.belowFloor,
          split: fit.split,
          baselines: fit.baselines!,
        },
        ...(tree ? { tree } : {}),
        scales: run.scales.map((sc): ScaleSummary => ({ ...sc })),
        sweep: fit.caps.map((c) => ({ maxBond: c.maxBond, params: c.params, validation: c.validation })),
      },
    },
    config: { tn },
  };
}

// ── 6. Mesoscale dynamics ──────────────────────────────────────────────────

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

/** Stimulus (simulation) or trial (recording) label of every bin, or null when there is nothing to decode. */
function binLabels(s: PipelineState): Int32Array | null {
  const binned = need(s, "binned", "bin");
  if (s.sim) return stimulusLabels(s.sim.truth.stimulus, binned.nBins, binned.binSize);
  const trials = s.data?.trials ? trialIntervals(s.data.trials) : null;
  return trials ? stimulusLabels(trials.intervals, binned.nBins, binned.binSize) : null;
}

/** Per-level prediction scores (Markov, persistence, marginal; per unit). */
function predictionFields(x: BinaryStates): Record<string, unknown> {
  if (x.T < 20) return {};
  const p = predict(x);
  const u = predictUnits(x);
  const three = (f: (sc: UnitScores) => number | null) => ({
    markov: f(u.markov),
    persistence: f(u.persistence),
    marginal: f(u.marginal),
  });
  return {
    predictionAccuracy: p.markov.accuracy,
    predictionLogLikelihood: p.markov.logLikelihood,
    persistenceAccuracy: p.persistence.accuracy,
    persistenceLogLikelihood: p.persistence.logLikelihood,
    marginalAccuracy: p.marginal.accuracy,
    marginalLogLikelihood: p.marginal.logLikelihood,
    unitPrediction: {
      trivial: u.trivial,
      nUnits: u.nUnits,
      constantUnits: u.constantUnits,
      nTest: u.nTest,
      pseudocount: u.pseudocount,
      unseenFraction: u.unseenFraction,
      bits: three((sc) => sc.bits),
      accuracy: three((sc) => sc.accuracy),
      balancedAccuracy: three((sc) => sc.balancedAccuracy),
    },
  };
}

/** Whether the dynamics stage decodes (labels with at least two classes), and the labels. */
function decodeSetup(s: PipelineState): { labels: Int32Array | null; decodes: boolean } {
  const labels = binLabels(s);
  return { labels, decodes: s.cfg.dynamics.decode && !!labels && new Set(labels).size > 1 };
}

/** The decoder's options of the dynamics stage (progress 45–85 % of the stage). */
function decodeOptions(s: PipelineState, ctx: StageContext) {
  return {
    rule: s.cfg.dynamics.decodeRule,
    folds: s.cfg.dynamics.folds,
    seed: ctx.seed,
    onProgress: ctx.part(0.45, 0.85),
  };
}

/** σ per level with its surrogate band (progress 0–45 % of the stage; 0–80 % without decoding). */
function sigmaFlow(s: PipelineState, ctx: StageContext, decodes: boolean) {
  return entropyProductionFlow(need(s, "states", "bin"), need(s, "flow", "lrg"), {
    rule: s.cfg.dynamics.rule,
    surrogates: s.cfg.dynamics.surrogates,
    seed: ctx.seed,
    onProgress: ctx.part(0, decodes ? 0.45 : 0.8),
  });
}

/** The dynamics stage around σ and the decoding (σ, prediction, dimension per level, and the rows). */
function dynamicsSlice(
  s: PipelineState,
  ctx: StageContext,
  decodes: boolean,
  sigmas: ReturnType<typeof entropyProductionFlow>,
  decoding: (Decoding | null)[] | null,
): StageOutput {
  const { dynamics } = s.cfg;
  const { rule } = dynamics;
  const levels = need(s, "levels", "lrg");
  const predictProgress = ctx.part(decodes ? 0.85 : 0.8, 1);
  const scales = levels.map((x, level): ScaleSummary => {
    const sg = sigmas[level]!;
    const d = decoding?.[level];
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
      ...predictionFields(x),
      ...(d
        ? {
            decodingAccuracy: d.accuracy,
            decodingChance: d.chance,
            decodingMargin: d.margin,
            decodingCiLo: d.ci?.[0] ?? null,
            decodingCiHi: d.ci?.[1] ?? null,
            decodingMarginCiLo: d.marginCi?.[0] ?? null,
            decodingMarginCiHi: d.marginCi?.[1] ?? null,
            decodingFolds: d.folds,
          }
        : {}),
    };
    predictProgress((level + 1) / levels.length, `prediction at level ${level} (${x.n} units)`);
    return row;
  });
  return { results: { dynamics: { rule, scales } }, config: { dynamics } };
}

/** Coarse trajectories per RG step: Markov dynamics, entropy production, prediction, decoding. */
export const dynamicsStage: PipelineStage = {
  name: "dynamics",
  // reads the data, bins and RG flow only (not the tn stage): with a pool it runs beside tn
  after: "lrg",
  describe: (s) =>
    `coarse trajectories, Markov dynamics, σ, prediction and decoding over ${need(s, "levels", "lrg").length} levels`,
  run(s, ctx) {
    const { labels, decodes } = decodeSetup(s);
    const sigmas = sigmaFlow(s, ctx, decodes);
    const decoding = decodes
      ? decodeFlow(need(s, "states", "bin"), need(s, "flow", "lrg"), labels!, decodeOptions(s, ctx))
      : null;
    return dynamicsSlice(s, ctx, decodes, sigmas, decoding);
  },
  async runAsync(s, ctx, pool) {
    // the decoder's folds on the pool (one fold per task): the same bits as run()
    const { labels, decodes } = decodeSetup(s);
    const sigmas = sigmaFlow(s, ctx, decodes);
    const decoding = decodes
      ? await decodeFlowAsync(need(s, "states", "bin"), need(s, "flow", "lrg"), labels!, decodeOptions(s, ctx), pool)
      : null;
    return dynamicsSlice(s, ctx, decodes, sigmas, decoding);
  },
};

/**
 * The stages in order. runPipeline walks this table; the report (rendered by
 * runPipelineAsync) comes after it.
 */
export const PIPELINE_STAGES: readonly PipelineStage[] = Object.freeze([
  dataStage,
  binStage,
  graphStage,
  lrgStage,
  tnStage,
  dynamicsStage,
]);
