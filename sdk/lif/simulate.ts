/**
 * The clustered E/I leaky integrate-and-fire simulator (kernel in
 * assembly/lif/network.ts): ground truth for every later stage.
 *
 * @module
 */
import { DgrnKernelError, DgrnRangeError } from "../errors.js";
import { getKernel } from "../kernel/init.js";
import { checkStatus, Status } from "../kernel/kernel.js";
import type { Graph, SpikeTrains, StimulusInterval } from "../types.js";
import { message } from "../validate.js";
import { lifConfig, type LIFConfig } from "./config.js";
import { lifDiagnostics, type LIFDiagnostics } from "./diagnostics.js";
import type { KernelExports } from "../kernel/exports.generated.js";

/** Kernel exports of this area (assembly/lif/). */
type LifExports = Pick<KernelExports, "lifParamCount" | "lifConnect" | "lifConnectWorkSize" | "lifInit" | "lifRun">;

/** What {@link simulateLIF} returns. */
export interface LIFResult {
  /** Spike times (s) of every neuron; neuron ids 0..n−1, excitatory first. */
  spikes: SpikeTrains;
  /** Ground truth to score later stages against. */
  truth: {
    /** Cluster of each neuron; −1 for inhibitory neurons. */
    clusters: Int32Array;
    /** The synapses: directed presynaptic → postsynaptic, weight in mV (negative = inhibitory). */
    weights: Graph;
    /** The stimulation intervals that were applied (seconds, target cluster). */
    stimulus: StimulusInterval[];
  };
  /** Regime diagnostics of the run ({@link lifDiagnostics} with its defaults). */
  diagnostics: LIFDiagnostics;
  /** The complete configuration used (defaults filled in). */
  config: LIFConfig;
}

// Parameter slots of assembly/lif/network.ts (P_*).
const P = {
  DT: 0,
  EL: 1,
  VTH: 2,
  VRESET: 3,
  TAUM: 4,
  TAUE: 5,
  TAUI: 6,
  RATE_E: 7,
  RATE_I: 8,
  JEXT: 9,
  STIM_GAIN: 10,
  BIAS: 11,
  REF_STEPS: 12,
  DELAY_STEPS: 13,
  CONDUCTANCE: 14,
  REV_E: 15,
  REV_I: 16,
} as const;
// Generator streams of one seed.
const STREAM = { CONNECT: 0, INIT: 1, DRIVE: 2, STIMULUS: 3 } as const;
// Steps per kernel call.
const CHUNK = 10000;

/**
 * Cluster label of each neuron as {@link simulateLIF} assigns them.
 *
 * @param n - neurons
 * @param nE - excitatory neurons (the first nE)
 * @param K - clusters
 * @returns excitatory i → floor(i·K/nE), inhibitory → −1
 * @example
 * ```ts
 * lifClusters(5, 4, 2); // Int32Array [0, 0, 1, 1, -1]
 * ```
 */
export function lifClusters(n: number, nE: number, K: number): Int32Array {
  const c = new Int32Array(n).fill(-1);
  for (let i = 0; i < nE; i++) c[i] = Math.floor((i * K) / nE);
  return c;
}

/** Expected number of synapses drawn by lifConnect (group sizes × class probabilities). */
function expectedSynapses(n: number, nE: number, group: Int32Array, table: number[]): number {
  // Count neurons per (type, group); group −1 never matches.
  const key = (i: number): string => `${i < nE ? "E" : "I"}${group[i]}`;
  const size = new Map<string, number>();
  for (let i = 0; i < n; i++) size.set(key(i), (size.get(key(i)) ?? 0) + 1);
  const nType = { E: nE, I: n - nE };
  let total = 0;
  for (const [ka, ma] of size) {
    for (const tb of ["E", "I"] as const) {
      const ga = Number(ka.slice(1));
      const same = ga >= 0 ? (size.get(`${tb}${ga}`) ?? 0) - (ka[0] === tb ? 1 : 0) : 0;
      const other = nType[tb] - same - (ka[0] === tb && ga < 0 ? 1 : 0);
      const cls = (ka[0] === "E" ? 0 : 4) + (tb === "E" ? 0 : 2);
      total += ma * (Math.max(0, same) * table[cls]! + Math.max(0, other) * table[cls + 1]!);
    }
  }
  return total;
}

/**
 * The inhibitory clustering R_I a configuration uses (`inhibitoryClustering`,
 * resolving `"auto"`): for K > referenceClusters = K_ref, the R_I ≥ 1 with
 * q² + (1 − q)²/(K − 1) = 1/K_ref, q = R_I/(R_I + K − 1); else 1.
 *
 * @param cfg - a complete configuration ({@link lifConfig})
 * @returns R_I ≥ 1
 * @example
 * ```ts
 * inhibitoryClusteringOf(lifConfig({ n: 2000, clusters: 20 })); // ≈ 6.9
 * ```
 */
export function inhibitoryClusteringOf(cfg: LIFConfig): number {
  if (cfg.inhibitoryClustering !== "auto") return cfg.inhibitoryClustering;
  const K = cfg.clusters,
    ref = cfg.referenceClusters;
  if (K <= ref || K < 2) return 1;
  // (K − 1) q² + (1 − q)² = (K − 1)/ref  ⇒  K q² − 2q + 1 − (K − 1)/ref = 0: the larger root.
  const c = 1 - (K - 1) / ref;
  const q = (2 + Math.sqrt(4 - 4 * K * c)) / (2 * K);
  return Math.max(1, (q * (K - 1)) / (1 - q));
}

/**
 * The in-cluster weight multiplier a configuration uses: J₊ =
 * `clusterWeightBoost`, times 1 + γ (1 − K_ref/K) for K > K_ref =
 * `referenceClusters` (γ = `clusterBoostGrowth`).
 *
 * @param cfg - a complete configuration ({@link lifConfig})
 * @returns the within-cluster E→E weight multiplier
 * @example
 * ```ts
 * clusterBoostOf(lifConfig({ n: 5000, clusters: 50 })); // 2 · (1 + 0.6 · 0.8) = 2.96
 * ```
 */
export function clusterBoostOf(cfg: LIFConfig): number {
  const K = cfg.clusters,
    ref = cfg.referenceClusters;
  if (K <= ref || cfg.clusterBoostGrowth === 0) return cfg.clusterWeightBoost;
  return cfg.clusterWeightBoost * (1 + cfg.clusterBoostGrowth * (1 - ref / K));
}

/** Connection classes of the network: E→E within a cluster, E→E between clusters, E→I, I→E, I→I. */
export interface LIFClassValues {
  in: number;
  out: number;
  eToI: number;
  iToE: number;
  iToI: number;
}

/**
 * The connection probabilities and weight multipliers {@link simulateLIF} uses
 * for a configuration (see `LIFConfig.scaling`). With `"input"`, each class
 * keeps the reference network's mean in-degree k_ref = p · pool_ref (pools:
 * c − 1 cluster-mates, n_E − c other excitatory neurons, n_E, n_I, n_I − 1 for
 * the mean cluster size c = n_E/K): p = min(1, k_ref / pool), and the weight is
 * multiplied by k_ref / (p · pool) (1 unless the pool is too small).
 *
 * @param cfg - a complete configuration ({@link lifConfig})
 * @param n - neurons
 * @param nE - excitatory neurons
 * @returns probabilities `prob` and weight multipliers `gain`, per class
 * @example
 * ```ts
 * connectionScaling(lifConfig({ n: 600, clusters: 6 }), 600, 480).prob.in; // 0.35 (clusters of 80, as the reference)
 * ```
 */
export function connectionScaling(
  cfg: LIFConfig,
  n: number,
  nE: number,
): { prob: LIFClassValues; gain: LIFClassValues } {
  const base: LIFClassValues = { in: cfg.pIn, out: cfg.pOut, eToI: cfg.pEtoI, iToE: cfg.pItoE, iToI: cfg.pItoI };
  const ones: LIFClassValues = { in: 1, out: 1, eToI: 1, iToE: 1, iToI: 1 };
  if (cfg.scaling === "reference") {
    const scale = n > cfg.referenceSize ? cfg.referenceSize / n : 1;
    const prob = { ...base };
    for (const key of Object.keys(prob) as (keyof LIFClassValues)[]) prob[key] *= scale;
    return { prob, gain: ones };
  }
  const pools = (nn: number, ne: number, k: number): LIFClassValues => {
    const c = k > 0 ? ne / k : 0;
    return { in: c - 1, out: ne - c, eToI: ne, iToE: nn - ne, iToI: nn - ne - 1 };
  };
  const refE = Math.round(cfg.referenceSize * cfg.fractionExcitatory);
  const ref = pools(cfg.referenceSize, refE, Math.min(cfg.referenceClusters, Math.max(refE, 1)));
  const now = pools(n, nE, cfg.clusters);
  const prob = { ...base };
  const gain = { ...ones };
  for (const key of Object.keys(prob) as (keyof LIFClassValues)[]) {
    const pool = now[key];
    if (pool <= 0 || ref[key] <= 0 || base[key] <= 0) {
      prob[key] = pool <= 0 ? 0 : base[key];
      continue;
    }
    // p = k_ref / pool as base · (pool_ref / pool): exactly the base on the reference network.
    const want = base[key] * (ref[key] / pool);
    prob[key] = Math.min(1, want);
    gain[key] = want > 1 ? want : 1;
  }
  return { prob, gain };
}

/** The stimulation schedule of a configuration, as intervals sorted by start. */
function schedule(cfg: LIFConfig): StimulusInterval[] {
  if (cfg.stimulus === "none") return [];
  if (cfg.stimulus !== "auto") return [...cfg.stimulus].sort((a, b) => a.start - b.start);
  const out: StimulusInterval[] = [];
  const K = cfg.clusters;
  let on = cfg.stimOn,
    off = cfg.stimOff;
  // Many clusters: shorten the intervals so all K fit (the K-th ends at K·(on + off) ≤ duration).
  if (cfg.stimulusCoverage && K > cfg.referenceClusters && K * (on + off) > cfg.duration) {
    const f = (cfg.duration / (K * (on + off))) * (1 - 1e-9);
    on *= f;
    off *= f;
  }
  const period = on + off;
  const k = getKernel();
  k.scope((s) => {
    const st = s.rng(cfg.seed, STREAM.STIMULUS);
    const perm = s.i32(K);
    for (let m = 0; ; m++) {
      const start = off + m * period;
      const end = start + on;
      if (end > cfg.duration) break;
      if (m % K === 0) k.exports.rngPermutation(st, K, perm);
      out.push({ start, end, cluster: k.i32(perm, K)[m % K]! });
    }
  });
  return out;
}

/**
 * Simulate a clustered E/I network of leaky integrate-and-fire neurons
 * (Litwin-Kumar & Doiron 2012 style): K excitatory clusters with a higher
 * connection probability and a stronger weight inside a cluster, an
 * inhibitory population, exponential current (or conductance) synapses, a synaptic delay, a
 * refractory period and Poisson external drive; optionally one cluster at a
 * time gets extra drive over stimulation intervals (the decoding labels).
 *
 * Integration is exact over each step dt for current synapses (exponential
 * Euler for conductances; see docs/data.md); everything random
 * (connectivity, initial voltages, external spikes, stimulus order) is drawn
 * inside the kernel from `seed`, so a seed gives the same spikes in every runtime.
 *
 * @param config - fields overriding {@link LIF_DEFAULTS}
 * @returns spikes, ground truth (clusters, synaptic weights, stimulus) and the configuration used
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a field of the wrong type
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE`, `ERR_NOT_FINITE` or `ERR_INVALID_OPTION` for a bad value or an unknown field
 * @example
 * ```ts
 * await init();
 * const { spikes, truth } = simulateLIF({ duration: 2 });
 * spikes.times[0]; // Float64Array of spike times (s) of neuron 0
 * truth.clusters;  // Int32Array, −1 for inhibitory neurons
 * ```
 */
export function simulateLIF(config?: Partial<LIFConfig>): LIFResult {
  const cfg = lifConfig(config);
  const { n } = cfg;
  const nE = Math.round(n * cfg.fractionExcitatory);
  const clusters = lifClusters(n, nE, cfg.clusters);
  const stimulus = schedule(cfg);
  const totalSteps = Math.round((cfg.duration * 1000) / cfg.dt);
  const toStep = (t: number): number => Math.min(totalSteps, Math.round((t * 1000) / cfg.dt));
  // Segments of constant stimulation.
  const segments: Array<[number, number, number]> = [];
  let at = 0;
  for (const iv of stimulus) {
    const a = toStep(iv.start);
    const b = toStep(iv.end);
    if (a < at) {
      throw new DgrnRangeError(
        message("config.stimulus", "non-overlapping intervals", `[${iv.start}, ${iv.end}) overlaps an earlier one`),
      );
    }
    if (a > at) segments.push([at, a, -1]);
    if (b > a) segments.push([a, b, iv.cluster]);
    at = Math.max(at, b);
  }
  if (at < totalSteps) segments.push([at, totalSteps, -1]);

  const K = cfg.clusters;
  const nI = n - nE;
  const { prob, gain } = connectionScaling(cfg, n, nE);
  // Affiliation for connectivity: E by cluster, I by floor(m·K/nI) when inhibition is clustered.
  const group = clusters.slice();
  const RI = inhibitoryClusteringOf(cfg);
  if (RI !== 1 && K > 0) for (let m = 0; m < nI; m++) group[nE + m] = Math.floor((m * K) / nI);
  // [p_same, p_other, weight factor of same-group pairs] (the factor carries any p_same > 1).
  const split = (p: number): [number, number, number] => {
    if (RI === 1 || K === 0) return [p, p, 1];
    const other = (p * K) / (RI + K - 1);
    const same = RI * other;
    return [Math.min(1, same), Math.min(1, other), same > 1 ? same : 1];
  };
  const [eiIn, eiOut, eiGain] = split(prob.eToI);
  const [ieIn, ieOut, ieGain] = split(prob.iToE);
  const [iiIn, iiOut, iiGain] = split(prob.iToI);
  const wEI = cfg.wEtoI * gain.eToI,
    wIE = cfg.wItoE * gain.iToE,
    wII = cfg.wItoI * gain.iToI;
  const table = [
    prob.in,
    prob.out,
    eiIn,
    eiOut,
    ieIn,
    ieOut,
    iiIn,
    iiOut,
    cfg.wEE * clusterBoostOf(cfg) * gain.in,
    cfg.wEE * gain.out,
    wEI * eiGain,
    wEI,
    wIE * ieGain,
    wIE,
    wII * iiGain,
    wII,
  ];
  const refSteps = Math.round(cfg.tauRef / cfg.dt);
  const delaySteps = Math.max(1, Math.round(cfg.delay / cfg.dt));
  const params = new Float64Array(17);
  params[P.DT] = cfg.dt;
  params[P.EL] = cfg.vRest;
  params[P.VTH] = cfg.vThreshold;
  params[P.VRESET] = cfg.vReset;
  params[P.TAUM] = cfg.tauM;
  params[P.TAUE] = cfg.tauE;
  params[P.TAUI] = cfg.tauI;
  params[P.RATE_E] = cfg.rateExtE;
  params[P.RATE_I] = cfg.rateExtI;
  params[P.JEXT] = cfg.wExt;
  params[P.STIM_GAIN] = cfg.stimGain;
  params[P.BIAS] = cfg.bias;
  params[P.REF_STEPS] = refSteps;
  params[P.DELAY_STEPS] = delaySteps;
  params[P.CONDUCTANCE] = cfg.synapses === "conductance" ? 1 : 0;
  params[P.REV_E] = cfg.vRevE;
  params[P.REV_I] = cfg.vRevI;

  // Expected synapse count, for the first guess at the CSR buffer.
  const expected = expectedSynapses(n, nE, group, table);

  const k = getKernel();
  const kx = k.fn<LifExports>();
  if (kx.lifParamCount() !== params.length) {
    throw new DgrnKernelError(
      `internal: the LIF kernel reads ${kx.lifParamCount()} parameters, the SDK passes ${params.length}: SDK and dgrn.wasm are from different builds`,
    );
  }
  return k.scope((s) => {
    const paramsPtr = s.copyF64(params);
    const groupPtr = s.copyI32(group);
    const tablePtr = s.copyF64(table);
    const rowPtr = s.i32(n + 1);
    const connectWork = s.bytes(kx.lifConnectWorkSize(n));
    // Connectivity: retry with a larger buffer (same draws: a fresh state) on overflow.
    let cap = Math.ceil(expected + 8 * Math.sqrt(expected) + 64);
    let nnz = -1;
    let colPtr = 0;
    let wPtr = 0;
    for (;;) {
      colPtr = s.i32(cap);
      wPtr = s.f64(cap);
      nnz = kx.lifConnect(
        n,
        nE,
        groupPtr,
        tablePtr,
        s.rng(cfg.seed, STREAM.CONNECT),
        rowPtr,
        colPtr,
        wPtr,
        cap,
        connectWork,
      );
      if (nnz >= 0) break;
      cap *= 2;
    }
    const rowArr = k.readI32(rowPtr, n + 1);
    const target = k.readI32(colPtr, nnz);
    const weight = k.readF64(wPtr, nnz);
    const source = new Int32Array(nnz);
    for (let i = 0; i < n; i++) source.fill(i, rowArr[i]!, rowArr[i + 1]!);

    const statePtr = s.f64(3 * n);
    const refPtr = s.i32(n);
    const bufPtr = s.f64(2 * (delaySteps + 1) * n);
    kx.lifInit(n, paramsPtr, statePtr, s.rng(cfg.seed, STREAM.INIT));
    const drive = s.rng(cfg.seed, STREAM.DRIVE);
    const spikeCap = n * 100;
    const spStep = s.i32(spikeCap);
    const spIdx = s.i32(spikeCap);
    const meta = s.i32(2);

    // Each cluster is a contiguous range of excitatory neurons.
    const range = Array.from({ length: cfg.clusters }, () => [nE, 0] as [number, number]);
    for (let i = 0; i < nE; i++) {
      const r = range[clusters[i]!]!;
      r[0] = Math.min(r[0], i);
      r[1] = Math.max(r[1], i + 1);
    }
    const counts = new Int32Array(n);
    const stepChunks: Int32Array[] = [];
    const idxChunks: Int32Array[] = [];
    for (const [a, b, c] of segments) {
      let t = a;
      while (t < b) {
        const want = Math.min(CHUNK, b - t);
        const [lo, hi] = c < 0 ? [0, 0] : range[c]!;
        kx.lifRun(
          n,
          nE,
          paramsPtr,
          rowPtr,
          colPtr,
          wPtr,
          statePtr,
          refPtr,
          bufPtr,
          drive,
          t,
          want,
          lo,
          hi,
          spStep,
          spIdx,
          spikeCap,
          meta,
        );
        const [done, got] = k.readI32(meta, 2) as unknown as [number, number];
        if (done === 0 && want > 0) checkStatus(Status.WORK_TOO_SMALL, "simulateLIF");
        if (got > 0) {
          stepChunks.push(k.readI32(spStep, got));
          const idx = k.readI32(spIdx, got);
          for (let q = 0; q < got; q++) counts[idx[q]!]!++;
          idxChunks.push(idx);
        }
        t += done;
      }
    }
    const times = Array.from(counts, (m) => new Float64Array(m));
    const fill = new Int32Array(n);
    // Steps per second, when whole (dt = 0.1 ms → 10,000): t = k / perSecond is the
    // correctly rounded k·dt, so times print as short decimals (0.0042, not 0.004200000000000001).
    const perSecond = 1000 / cfg.dt;
    const whole = Number.isInteger(perSecond);
    const dtS = cfg.dt / 1000;
    for (let ch = 0; ch < stepChunks.length; ch++) {
      const st = stepChunks[ch]!;
      const idx = idxChunks[ch]!;
      for (let q = 0; q < st.length; q++) {
        const i = idx[q]!;
        // A spike detected at the end of step t happens at time (t + 1)·dt.
        times[i]![fill[i]!++] = whole ? (st[q]! + 1) / perSecond : (st[q]! + 1) * dtS;
      }
    }
    const duration = whole ? totalSteps / perSecond : totalSteps * dtS;
    const neuronIds = new Int32Array(n);
    for (let i = 0; i < n; i++) neuronIds[i] = i;
    const spikes: SpikeTrains = {
      kind: "spikes",
      nNeurons: n,
      neuronIds,
      times,
      duration,
      provenance: {
        source: "lif",
        name: "clustered E/I LIF network",
        params: { ...cfg, stimulus: stimulus.map((x) => ({ ...x })) },
      },
    };
    return {
      spikes,
      truth: { clusters, weights: { n, directed: true, source, target, weight, nodeIds: neuronIds.slice() }, stimulus },
      diagnostics: lifDiagnostics(spikes, clusters),
      config: cfg,
    };
  });
}
