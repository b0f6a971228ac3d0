/**
 * Configuration of the clustered E/I leaky integrate-and-fire simulator, its
 * defaults, and its validation.
 *
 * Units: neuron and synapse times in milliseconds, voltages and weights in
 * millivolts (currents as R·I, in mV), rates in hertz; `duration` and
 * stimulus intervals in seconds (like every spike time in dgrn).
 *
 * @module
 */
import { DgrnRangeError, DgrnTypeError } from "../errors.js";
import type { StimulusInterval } from "../types.js";
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptions, checkSeed, message } from "../validate.js";

/** Every parameter of {@link simulateLIF}. */
export interface LIFConfig {
  /** Number of neurons (excitatory first, then inhibitory). */
  n: number;
  /** Fraction of excitatory neurons; nE = round(n · fractionExcitatory). */
  fractionExcitatory: number;
  /** Number of excitatory clusters K; excitatory neuron i belongs to cluster floor(i·K/nE). */
  clusters: number;
  /** Simulated time, seconds. */
  duration: number;
  /** Time step, ms. */
  dt: number;
  /** Membrane time constant τ_m, ms. */
  tauM: number;
  /** Refractory period t_ref, ms (rounded to whole steps). */
  tauRef: number;
  /** Excitatory synaptic time constant τ_E, ms (≠ τ_m). */
  tauE: number;
  /** Inhibitory synaptic time constant τ_I, ms (≠ τ_m). */
  tauI: number;
  /** Synaptic delay, ms (rounded to whole steps, at least one). */
  delay: number;
  /** Resting (leak reversal) potential E_L, mV. */
  vRest: number;
  /** Threshold V_th, mV. */
  vThreshold: number;
  /** Reset V_reset, mV. */
  vReset: number;
  /**
   * Synapse model: `"current"` (exact integration) or `"conductance"` (the
   * currents scaled by the driving force (E_X − V)/(E_X − E_L), so a weight
   * means the same at rest; exponential-Euler step).
   */
  synapses: "current" | "conductance";
  /** Excitatory reversal potential E_E, mV (conductance synapses; > vThreshold). */
  vRevE: number;
  /** Inhibitory reversal potential E_I, mV (conductance synapses; < vReset). */
  vRevI: number;
  /** Constant input R·I_ext to every neuron, mV (0: driven by the Poisson input only). */
  bias: number;
  /** External Poisson rate into each excitatory neuron, Hz. */
  rateExtE: number;
  /** External Poisson rate into each inhibitory neuron, Hz. */
  rateExtI: number;
  /** Weight of one external spike, mV (delta-PSP equivalent). */
  wExt: number;
  /** E→E connection probability within a cluster (p_in). */
  pIn: number;
  /** E→E connection probability between clusters (p_out). */
  pOut: number;
  /** E→I connection probability. */
  pEtoI: number;
  /** I→E connection probability. */
  pItoE: number;
  /** I→I connection probability. */
  pItoI: number;
  /** E→E weight between clusters, mV. */
  wEE: number;
  /** Multiplier of the E→E weight within a cluster (the in-cluster boost J₊). */
  clusterWeightBoost: number;
  /**
   * Growth γ ≥ 0 of the in-cluster boost with the number of clusters (ours): for
   * K > referenceClusters = K_ref the within-cluster weight is
   * w_EE · J₊ · (1 + γ (1 − K_ref/K)), else w_EE · J₊ (the reference network is
   * unchanged). With the clustered inhibition of many clusters an active
   * cluster's up state is weaker (its own inhibitory group checks it), so
   * the co-activity that tells clusters apart fades at K = 20–50; the extra J₊
   * restores it (see docs/data.md). 0 = the boost as given at every K.
   */
  clusterBoostGrowth: number;
  /** E→I weight, mV. */
  wEtoI: number;
  /** I→E weight, mV (negative). */
  wItoE: number;
  /** I→I weight, mV (negative). */
  wItoI: number;
  /**
   * Clustering of the inhibitory connections, R_I ≥ 1, or `"auto"` (default).
   * Inhibitory neuron m is affiliated with cluster floor(m·K/nI); E→I, I→E and
   * I→I pairs sharing a cluster connect with probability R_I·p_other, others
   * with p_other = p·K/(R_I + K − 1), so the mean probability stays p (when
   * R_I·p_other would exceed 1 the excess goes into the weight). 1 =
   * unclustered inhibition as in Litwin-Kumar & Doiron 2012. `"auto"` (ours):
   * 1 for K ≤ referenceClusters; for more clusters the R_I that keeps a
   * cluster's inhibitory self-feedback q² + (1 − q)²/(K − 1) (q = R_I/(R_I + K − 1),
   * the share of a neuron's E→I or I→E input from its own cluster) at the
   * reference network's 1/referenceClusters, so an active cluster is checked by
   * its own inhibition as strongly as on the reference network and many
   * clusters do not end in winner-take-all (inhibitory assemblies, after Rost,
   * Deger & Nawrot, Biol. Cybern. 2018).
   */
  inhibitoryClustering: number | "auto";
  /**
   * Network size at which the probabilities above hold (with
   * `referenceClusters` clusters): the reference network.
   */
  referenceSize: number;
  /** Number of clusters of the reference network (its cluster size is round(referenceSize · fractionExcitatory) / referenceClusters). */
  referenceClusters: number;
  /**
   * How the connectivity adapts to n and K (ours; see docs/data.md):
   * - `"input"` (default): every neuron keeps the reference network's mean
   *   in-degree from each class (within cluster, other clusters, E→I, I→E,
   *   I→I): p = k_ref / pool, capped at 1; where the pool is too small for
   *   k_ref, the weight is multiplied by k_ref / (p · pool) so the summed
   *   input k·w stays the reference one. Size- and K-independent input
   *   statistics; identical to the given probabilities on the reference network.
   * - `"reference"`: the probabilities as given, multiplied by
   *   referenceSize / n when n > referenceSize (the behaviour before issue 13:
   *   in-degrees depend on K and, below referenceSize, on n).
   */
  scaling: "input" | "reference";
  /**
   * Cluster stimulation: `"auto"` (cycle through the clusters in a seeded order,
   * `stimOn` seconds on, `stimOff` seconds off, from t = stimOff), `"none"`, or
   * explicit intervals.
   */
  stimulus: "auto" | "none" | StimulusInterval[];
  /** Extra external rate of a stimulated cluster, as a fraction of rateExtE. */
  stimGain: number;
  /** Length of one automatic stimulation interval, s. */
  stimOn: number;
  /** Gap between automatic stimulation intervals, s. */
  stimOff: number;
  /**
   * Automatic stimulation with more clusters than `referenceClusters` (ours):
   * when K · (stimOn + stimOff) exceeds the duration, shorten both by the same
   * factor so every cluster is stimulated at least once (at K = 50 in 20 s, 40
   * of 50 clusters were stimulated, and the 10 others were the clusters no
   * method recovered; docs/data.md). `false`: the lengths as given. K ≤
   * referenceClusters is never changed.
   */
  stimulusCoverage: boolean;
  /** Seed (connectivity, initial state, external drive, stimulus order). */
  seed: number;
}

/**
 * The embedded default network (ours: the parameters are chosen so the 10
 * clusters are clearly visible in 10 ms bins; see docs/data.md): 1,000
 * neurons (800 E / 200 I), 10 clusters, 20 s at dt = 0.1 ms, seed 1.
 */
export const LIF_DEFAULTS: Readonly<LIFConfig> = Object.freeze({
  n: 1000,
  fractionExcitatory: 0.8,
  clusters: 10,
  duration: 20,
  dt: 0.1,
  tauM: 20,
  tauRef: 2,
  tauE: 3,
  tauI: 2,
  delay: 1,
  vRest: -65,
  vThreshold: -50,
  vReset: -60,
  synapses: "current",
  vRevE: 0,
  vRevI: -80,
  bias: 0,
  rateExtE: 2600,
  rateExtI: 2400,
  wExt: 0.35,
  pIn: 0.35,
  pOut: 0.01,
  pEtoI: 0.2,
  pItoE: 0.5,
  pItoI: 0.5,
  wEE: 0.25,
  clusterWeightBoost: 2,
  clusterBoostGrowth: 0.6,
  wEtoI: 0.3,
  wItoE: -0.65,
  wItoI: -0.6,
  inhibitoryClustering: "auto",
  referenceSize: 1000,
  referenceClusters: 10,
  scaling: "input",
  stimulus: "auto",
  stimGain: 0.1,
  stimOn: 0.25,
  stimOff: 0.25,
  stimulusCoverage: true,
  seed: 1,
}) as Readonly<LIFConfig>;

const KEYS = Object.keys(LIF_DEFAULTS) as (keyof LIFConfig)[];

function checkStimulus(name: string, value: unknown, clusters: number, duration: number): LIFConfig["stimulus"] {
  if (value === "auto" || value === "none") return value;
  if (!Array.isArray(value)) {
    throw new DgrnTypeError(message(name, '"auto", "none" or an array of { start, end, cluster }', value));
  }
  return value.map((iv: unknown, k) => {
    const o = checkOptions<StimulusInterval>(`${name}[${k}]`, iv, ["start", "end", "cluster"]);
    const start = checkNumber(`${name}[${k}].start`, o.start, { min: 0, max: duration });
    const end = checkNumber(`${name}[${k}].end`, o.end, { min: start, max: duration });
    const cluster = checkInteger(`${name}[${k}].cluster`, o.cluster, { min: 0, max: clusters - 1 });
    return { start, end, cluster };
  });
}

/**
 * Merge a partial configuration over {@link LIF_DEFAULTS} and check every field.
 *
 * @param config - fields to override
 * @returns a complete, checked configuration (a new object)
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a field of the wrong type
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE`, `ERR_NOT_FINITE` or `ERR_INVALID_OPTION` for a bad value or unknown key
 * @example
 * ```ts
 * const cfg = lifConfig({ n: 200, clusters: 4, duration: 2 });
 * ```
 */
export function lifConfig(config?: Partial<LIFConfig>): LIFConfig {
  const o = checkOptions<LIFConfig>("config", config, KEYS);
  const c = { ...LIF_DEFAULTS, ...o } as LIFConfig;
  const out = { ...c };
  out.n = checkInteger("config.n", c.n, { min: 1, max: 50000 }); // issue 17: 200,000 had not finished 0.1 s after 300 s (4.7 GB RSS); 20,000 takes 22 s, 0.7 GB
  out.fractionExcitatory = checkNumber("config.fractionExcitatory", c.fractionExcitatory, { min: 0, max: 1 });
  const nE = Math.round(out.n * out.fractionExcitatory);
  out.clusters = checkInteger("config.clusters", c.clusters, { min: nE > 0 ? 1 : 0, max: Math.max(nE, 0) });
  out.duration = checkNumber("config.duration", c.duration, { min: 0, minExclusive: true });
  out.dt = checkNumber("config.dt", c.dt, { min: 0, minExclusive: true, max: 1 });
  const steps = Math.round((out.duration * 1000) / out.dt);
  if (steps > 2 ** 31 - 1 - 1000) {
    throw new DgrnRangeError(
      message("config.duration", `at most ${((2 ** 31 - 1001) * out.dt) / 1000} s at this dt`, c.duration),
    );
  }
  out.tauM = checkNumber("config.tauM", c.tauM, { min: 0, minExclusive: true });
  out.tauRef = checkNumber("config.tauRef", c.tauRef, { min: 0 });
  out.tauE = checkNumber("config.tauE", c.tauE, { min: 0, minExclusive: true });
  out.tauI = checkNumber("config.tauI", c.tauI, { min: 0, minExclusive: true });
  if (out.tauE === out.tauM) throw new DgrnRangeError(message("config.tauE", "different from config.tauM", c.tauE));
  if (out.tauI === out.tauM) throw new DgrnRangeError(message("config.tauI", "different from config.tauM", c.tauI));
  out.delay = checkNumber("config.delay", c.delay, { min: out.dt * 0.5 });
  out.vRest = checkNumber("config.vRest", c.vRest);
  out.vThreshold = checkNumber("config.vThreshold", c.vThreshold);
  out.vReset = checkNumber("config.vReset", c.vReset, { max: out.vThreshold, maxExclusive: true });
  out.synapses = checkOneOf("config.synapses", c.synapses, ["current", "conductance"] as const);
  out.vRevE = checkNumber("config.vRevE", c.vRevE, { min: out.vThreshold, minExclusive: true });
  out.vRevI = checkNumber("config.vRevI", c.vRevI, { max: Math.min(out.vReset, out.vRest), maxExclusive: true });
  out.bias = checkNumber("config.bias", c.bias);
  out.rateExtE = checkNumber("config.rateExtE", c.rateExtE, { min: 0 });
  out.rateExtI = checkNumber("config.rateExtI", c.rateExtI, { min: 0 });
  out.wExt = checkNumber("config.wExt", c.wExt, { min: 0 });
  for (const k of ["pIn", "pOut", "pEtoI", "pItoE", "pItoI"] as const)
    out[k] = checkNumber(`config.${k}`, c[k], { min: 0, max: 1 });
  out.wEE = checkNumber("config.wEE", c.wEE, { min: 0 });
  out.clusterWeightBoost = checkNumber("config.clusterWeightBoost", c.clusterWeightBoost, { min: 0 });
  out.clusterBoostGrowth = checkNumber("config.clusterBoostGrowth", c.clusterBoostGrowth, { min: 0 });
  out.wEtoI = checkNumber("config.wEtoI", c.wEtoI, { min: 0 });
  out.wItoE = checkNumber("config.wItoE", c.wItoE, { max: 0 });
  out.wItoI = checkNumber("config.wItoI", c.wItoI, { max: 0 });
  out.inhibitoryClustering =
    c.inhibitoryClustering === "auto"
      ? "auto"
      : checkNumber("config.inhibitoryClustering", c.inhibitoryClustering, { min: 1 });
  out.referenceSize = checkInteger("config.referenceSize", c.referenceSize, { min: 1 });
  out.referenceClusters = checkInteger("config.referenceClusters", c.referenceClusters, {
    min: 1,
    max: Math.max(1, Math.round(out.referenceSize * out.fractionExcitatory)),
  });
  out.scaling = checkOneOf("config.scaling", c.scaling, ["input", "reference"] as const);
  out.stimGain = checkNumber("config.stimGain", c.stimGain, { min: -1 });
  out.stimOn = checkNumber("config.stimOn", c.stimOn, { min: 0, minExclusive: true });
  out.stimOff = checkNumber("config.stimOff", c.stimOff, { min: 0 });
  out.stimulusCoverage = checkBoolean("config.stimulusCoverage", c.stimulusCoverage);
  out.seed = checkSeed("config.seed", c.seed);
  out.stimulus = checkStimulus("config.stimulus", c.stimulus, out.clusters, out.duration);
  if (out.stimulus === "auto" && out.clusters === 0) out.stimulus = "none";
  return out;
}
