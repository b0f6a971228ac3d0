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

/** Kernel exports of this area (assembly/lif/). */
interface LifExports {
  lifParamCount(): number;
  lifConnect(n: number, nE: number, group: number, table: number, rng: number, rowPtr: number, col: number, w: number, cap: number, work: number): number;
  lifConnectWorkSize(n: number): number;
  lifInit(n: number, params: number, state: number, rng: number): void;
  lifRun(
    n: number, nE: number, params: number, rowPtr: number, col: number, w: number,
    state: number, ref: number, buf: number, rng: number,
    stepStart: number, nSteps: number, stimLo: number, stimHi: number,
    spikeStep: number, spikeIdx: number, cap: number, meta: number,
  ): void;
}

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
  /** The complete configuration used (defaults filled in). */
  config: LIFConfig;
}

// Parameter slots of assembly/lif/network.ts (P_*).
const P = { DT: 0, EL: 1, VTH: 2, VRESET: 3, TAUM: 4, TAUE: 5, TAUI: 6, RATE_E: 7, RATE_I: 8, JEXT: 9, STIM_GAIN: 10, BIAS: 11, REF_STEPS: 12, DELAY_STEPS: 13, CONDUCTANCE: 14, REV_E: 15, REV_I: 16 } as const;
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

/** The stimulation schedule of a configuration, as intervals sorted by start. */
function schedule(cfg: LIFConfig): StimulusInterval[] {
  if (cfg.stimulus === "none") return [];
  if (cfg.stimulus !== "auto") return [...cfg.stimulus].sort((a, b) => a.start - b.start);
  const out: StimulusInterval[] = [];
  const K = cfg.clusters;
  const period = cfg.stimOn + cfg.stimOff;
  const k = getKernel();
  k.scope((s) => {
    const st = s.rng(cfg.seed, STREAM.STIMULUS);
    const perm = s.i32(K);
    for (let m = 0; ; m++) {
      const start = cfg.stimOff + m * period;
      const end = start + cfg.stimOn;
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
      throw new DgrnRangeError(message("config.stimulus", "non-overlapping intervals", `[${iv.start}, ${iv.end}) overlaps an earlier one`));
    }
    if (a > at) segments.push([at, a, -1]);
    if (b > a) segments.push([a, b, iv.cluster]);
    at = Math.max(at, b);
  }
  if (at < totalSteps) segments.push([at, totalSteps, -1]);

  const scale = n > cfg.referenceSize ? cfg.referenceSize / n : 1;
  const K = cfg.clusters;
  const nI = n - nE;
  // Affiliation for connectivity: E by cluster, I by floor(m·K/nI) when inhibition is clustered.
  const group = clusters.slice();
  const RI = cfg.inhibitoryClustering;
  if (RI !== 1 && K > 0) for (let m = 0; m < nI; m++) group[nE + m] = Math.floor((m * K) / nI);
  const split = (p: number): [number, number] => {
    if (RI === 1 || K === 0) return [p * scale, p * scale];
    const other = (p * scale * K) / (RI + K - 1);
    return [Math.min(1, RI * other), Math.min(1, other)];
  };
  const [eiIn, eiOut] = split(cfg.pEtoI);
  const [ieIn, ieOut] = split(cfg.pItoE);
  const [iiIn, iiOut] = split(cfg.pItoI);
  const table = [
    cfg.pIn * scale, cfg.pOut * scale, eiIn, eiOut, ieIn, ieOut, iiIn, iiOut,
    cfg.wEE * cfg.clusterWeightBoost, cfg.wEE, cfg.wEtoI, cfg.wEtoI, cfg.wItoE, cfg.wItoE, cfg.wItoI, cfg.wItoI,
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
    throw new DgrnKernelError(`internal: the LIF kernel reads ${kx.lifParamCount()} parameters, the SDK passes ${params.length}: SDK and dgrn.wasm are from different builds`);
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
      nnz = kx.lifConnect(n, nE, groupPtr, tablePtr, s.rng(cfg.seed, STREAM.CONNECT), rowPtr, colPtr, wPtr, cap, connectWork);
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
        kx.lifRun(n, nE, paramsPtr, rowPtr, colPtr, wPtr, statePtr, refPtr, bufPtr, drive, t, want, lo, hi, spStep, spIdx, spikeCap, meta);
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
      provenance: { source: "lif", name: "clustered E/I LIF network", params: { ...cfg, stimulus: stimulus.map((x) => ({ ...x })) } },
    };
    return {
      spikes,
      truth: { clusters, weights: { n, directed: true, source, target, weight, nodeIds: neuronIds.slice() }, stimulus },
      config: cfg,
    };
  });
}
