/**
 * Regime diagnostics of a clustered network's spikes: is every cluster taking
 * part, does activity switch between clusters, does one cluster dominate?
 *
 * @module
 */
import { DgrnShapeError, DgrnTypeError } from "../errors.js";
import type { SpikeTrains } from "../types.js";
import { checkNumber, checkOptions, message } from "../validate.js";

/** Options of {@link lifDiagnostics}. */
export interface LIFDiagnosticsOptions {
  /** Window of the cluster population rates, s. Default 0.05. */
  window?: number;
  /** A switch counts when a new cluster stays the most active for at least this many windows. Default 2. */
  hold?: number;
  /** A cluster whose mean rate is below this (Hz) is "silent". Default 1. */
  silentRate?: number;
  /** Warn when the busiest cluster's mean rate exceeds this multiple of the quietest's. Default 10. */
  maxRateRatio?: number;
  /** Warn when one cluster is the most active in more than this fraction of windows (K ≥ 3; for K = 2 the limit is (1 + dominance)/2). Default 0.5. */
  dominance?: number;
}

/** What {@link lifDiagnostics} returns (all plain numbers: it goes into JSON as is). */
export interface LIFDiagnostics {
  /** Window used, s. */
  window: number;
  /** Mean rate of each excitatory cluster, Hz. */
  clusterRates: number[];
  /** Mean rate of the excitatory and of the inhibitory population, Hz (null without such neurons). */
  rateE: number | null;
  rateI: number | null;
  /** Fraction of windows in which each cluster has the highest population rate (windows where every cluster is silent count for none). */
  mostActive: number[];
  /** Switches of the most active cluster (held ≥ `hold` windows) per second. */
  switchesPerSecond: number;
  /** Busiest / quietest cluster mean rate (null for K < 2 or when the quietest cluster never fired). */
  rateRatio: number | null;
  /** Human-readable warnings: silent clusters, a dominating cluster, a large rate spread. */
  warnings: string[];
}

/**
 * Regime diagnostics of a clustered network (ours): per-cluster mean rates,
 * the fraction of windows each cluster is the most active (population rate per
 * window of `window` s), the rate of switches of the most active cluster (a
 * switch counts when a different cluster is the most active for `hold`
 * consecutive windows), and warnings when a cluster stays silent (mean rate
 * < `silentRate`), when one cluster is the most active in more than
 * `dominance` of the windows (for K = 2: more than (1 + dominance)/2), or when
 * the busiest cluster fires more than `maxRateRatio` × the quietest.
 *
 * @param spikes - spike trains; neuron i of the trains is neuron i of `clusters`
 * @param clusters - cluster of each neuron (−1: inhibitory / not in a cluster)
 * @param options - {@link LIFDiagnosticsOptions}
 * @returns {@link LIFDiagnostics}
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `clusters` is not an integer array
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` when `clusters` and `spikes` differ in length
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for a bad option
 * @example
 * ```ts
 * const r = simulateLIF({ n: 600, clusters: 6 });
 * lifDiagnostics(r.spikes, r.truth.clusters).clusterRates; // 6 rates, Hz
 * ```
 */
export function lifDiagnostics(
  spikes: SpikeTrains,
  clusters: ArrayLike<number>,
  options?: LIFDiagnosticsOptions,
): LIFDiagnostics {
  const o = checkOptions<LIFDiagnosticsOptions>("options", options, [
    "window",
    "hold",
    "silentRate",
    "maxRateRatio",
    "dominance",
  ]);
  const window =
    o.window === undefined ? 0.05 : checkNumber("options.window", o.window, { min: 0, minExclusive: true });
  const hold = o.hold === undefined ? 2 : checkNumber("options.hold", o.hold, { min: 1 });
  const silentRate = o.silentRate === undefined ? 1 : checkNumber("options.silentRate", o.silentRate, { min: 0 });
  const maxRatio = o.maxRateRatio === undefined ? 10 : checkNumber("options.maxRateRatio", o.maxRateRatio, { min: 1 });
  const dominance = o.dominance === undefined ? 0.5 : checkNumber("options.dominance", o.dominance, { min: 0, max: 1 });
  if (clusters === null || typeof clusters !== "object" || typeof clusters.length !== "number") {
    throw new DgrnTypeError(message("clusters", "an array of cluster labels", clusters));
  }
  const n = spikes.times.length;
  if (clusters.length !== n)
    throw new DgrnShapeError(message("clusters.length", `the number of spike trains (${n})`, clusters.length));
  let K = 0;
  for (let i = 0; i < n; i++) {
    const c = clusters[i]!;
    if (!Number.isInteger(c)) throw new DgrnTypeError(message(`clusters[${i}]`, "an integer", c));
    if (c + 1 > K) K = c + 1;
  }
  const duration = spikes.duration > 0 ? spikes.duration : 1;
  const W = Math.max(1, Math.ceil(duration / window - 1e-9));
  const size = new Float64Array(K);
  const count = new Float64Array(K * W);
  const total = new Float64Array(K);
  let spE = 0,
    spI = 0,
    nE = 0,
    nI = 0;
  for (let i = 0; i < n; i++) {
    const c = clusters[i]!;
    const t = spikes.times[i]!;
    if (c < 0) {
      nI++;
      spI += t.length;
      continue;
    }
    nE++;
    spE += t.length;
    size[c]!++;
    total[c]! += t.length;
    for (let q = 0; q < t.length; q++) {
      const w = Math.min(W - 1, Math.max(0, Math.floor(t[q]! / window)));
      count[c * W + w]!++;
    }
  }
  const clusterRates = Array.from(total, (s, c) => (size[c]! > 0 ? s / size[c]! / duration : 0));
  // Most active cluster per window, by population rate.
  const most = new Int32Array(W).fill(-1);
  const wins = new Float64Array(K);
  let counted = 0;
  for (let w = 0; w < W; w++) {
    let best = -1,
      bestRate = 0;
    for (let c = 0; c < K; c++) {
      if (size[c]! === 0) continue;
      const r = count[c * W + w]! / size[c]!;
      if (r > bestRate) {
        bestRate = r;
        best = c;
      }
    }
    most[w] = best;
    if (best >= 0) {
      wins[best]!++;
      counted++;
    }
  }
  const mostActive = Array.from(wins, (x) => (counted > 0 ? x / counted : 0));
  // Switches: the held label changes when a new cluster is the most active for `hold` windows in a row.
  let held = -1,
    run = 0,
    cand = -1,
    switches = 0;
  for (let w = 0; w < W; w++) {
    const m = most[w]!;
    if (m < 0) continue;
    if (m === cand) run++;
    else {
      cand = m;
      run = 1;
    }
    if (run >= hold && cand !== held) {
      if (held >= 0) switches++;
      held = cand;
    }
  }
  const warnings: string[] = [];
  const present = clusterRates.filter((_, c) => size[c]! > 0);
  let rateRatio: number | null = null;
  if (present.length >= 2) {
    const hi = Math.max(...present),
      lo = Math.min(...present);
    rateRatio = lo > 0 ? hi / lo : null;
  }
  const silent = clusterRates.map((r, c) => [r, c] as const).filter(([r, c]) => size[c]! > 0 && r < silentRate);
  if (silent.length > 0) {
    const list = silent
      .slice(0, 8)
      .map(([r, c]) => `${c} (${r.toFixed(2)} Hz)`)
      .join(", ");
    warnings.push(
      `simulator regime: ${silent.length} of ${K} clusters are silent (mean rate < ${silentRate} Hz): ${list}${silent.length > 8 ? ", …" : ""}`,
    );
  }
  if (K >= 2) {
    const limit = K === 2 ? (1 + dominance) / 2 : dominance;
    let top = 0;
    for (let c = 1; c < K; c++) if (mostActive[c]! > mostActive[top]!) top = c;
    if (mostActive[top]! > limit) {
      warnings.push(
        `simulator regime: cluster ${top} is the most active in ${(100 * mostActive[top]!).toFixed(0)} % of ${window * 1000} ms windows (winner-take-all; > ${(100 * limit).toFixed(0)} %)`,
      );
    }
  }
  if (present.length >= 2 && (rateRatio === null || rateRatio > maxRatio)) {
    warnings.push(
      `simulator regime: the busiest cluster fires ${rateRatio === null ? "∞" : rateRatio.toFixed(1)}× the quietest (> ${maxRatio}×)`,
    );
  }
  return {
    window,
    clusterRates,
    rateE: nE > 0 ? spE / nE / duration : null,
    rateI: nI > 0 ? spI / nI / duration : null,
    mostActive,
    switchesPerSecond: switches / duration,
    rateRatio,
    warnings,
  };
}
