import { suite } from "uvu";
import * as assert from "uvu/assert";
import siegert from "../fixtures/lif/siegert.json" with { type: "json" };
import { defaultLIF } from "../helpers/lif.js";
import {
  DgrnRangeError,
  DgrnTypeError,
  LIF_DEFAULTS,
  binSpikes,
  lifConfig,
  simulateLIF,
  stimulusLabels,
  throwsCode,
  type LIFConfig,
  type SpikeTrains,
} from "../helpers/setup.js";

const single = (bias: number, extra: Partial<LIFConfig> = {}) =>
  simulateLIF({ n: 1, fractionExcitatory: 1, clusters: 1, rateExtE: 0, bias, stimulus: "none", duration: 2, ...extra });

/** Closed-form rate 1 / (t_ref + τ_m ln((RI − V_reset + E_L)/(RI − V_th + E_L))), ms in, Hz out. */
function closedForm(RI: number, c: LIFConfig): number {
  const T = c.tauRef + c.tauM * Math.log((RI - c.vReset + c.vRest) / (RI - c.vThreshold + c.vRest));
  return 1000 / T;
}

const total = (s: SpikeTrains): number => s.times.reduce((a, t) => a + t.length, 0);

const single_ = suite("lif: single neuron under constant current");

single_("fires at the closed-form rate; every ISI is within one step above the closed-form period", () => {
  for (const RI of [16, 20, 30, 60]) {
    const r = single(RI);
    const t = r.spikes.times[0]!;
    const period = 1 / closedForm(RI, r.config); // s
    const dt = r.config.dt / 1000;
    assert.ok(t.length > 3, `RI=${RI}: ${t.length} spikes`);
    for (let q = 1; q < t.length; q++) {
      const isi = t[q]! - t[q - 1]!;
      // Spikes are detected at step ends: the ISI is the period rounded up to a whole step.
      assert.ok(isi - period >= -1e-9 && isi - period < dt + 1e-9, `RI=${RI}: ISI ${isi} vs period ${period}`);
    }
    const rate = (t.length - 1) / (t.at(-1)! - t[0]!);
    assert.ok(
      Math.abs(rate - 1 / period) / (1 / period) < (dt / period) * 1.01,
      `RI=${RI}: rate ${rate} vs ${1 / period}`,
    );
  }
});

single_("a subthreshold or exactly-threshold current never fires", () => {
  for (const RI of [0, 10, 14.9, 15]) assert.is(single(RI, { vReset: -64 }).spikes.times[0]!.length, 0, `RI=${RI}`);
});

single_.run();

const pop = suite("lif: uncoupled neurons with Poisson drive vs the Siegert formula");

pop("mean rate matches the diffusion approximation within 15% (fixture: make_siegert.py)", () => {
  // tauE = 0.01 ms makes each input a near-instantaneous jump of wExt (the
  // white-noise limit the formula assumes); the residual is shot noise
  // (J/σ ≈ 0.2) and the discrete-time threshold check.
  for (const c of siegert.cases) {
    const r = simulateLIF({
      n: 400,
      fractionExcitatory: 1,
      clusters: 1,
      duration: 5,
      stimulus: "none",
      pIn: 0,
      pOut: 0,
      rateExtE: c.rateExt,
      wExt: c.wExt,
      tauE: 0.01,
    });
    assert.is(r.truth.weights.source.length, 0);
    const rate = total(r.spikes) / 400 / 5;
    assert.ok(Math.abs(rate / c.rate - 1) < 0.15, `ν_ext=${c.rateExt}: simulated ${rate} Hz vs Siegert ${c.rate} Hz`);
  }
});

pop(
  "strong, dense drive: current and conductance synapses each match their constant-input closed form within 3%",
  () => {
    // ν = 2 MHz of 0.001 mV inputs: mean R·I = μ = ν w τ_m = 40 mV with σ ≈ 0.1 mV, so the
    // constant-input formulas apply; with conductances, g = μ/(E_E − E_L), G = 1 + g,
    // V∞ = (E_L + g E_E)/G and the membrane time constant is τ_m/G.
    const mu = 2e6 * 0.001 * 0.02;
    for (const synapses of ["current", "conductance"] as const) {
      const r = simulateLIF({
        n: 20,
        fractionExcitatory: 1,
        clusters: 1,
        duration: 2,
        stimulus: "none",
        pIn: 0,
        pOut: 0,
        rateExtE: 2e6,
        wExt: 0.001,
        synapses,
      });
      const rate = total(r.spikes) / 20 / 2;
      let want: number;
      if (synapses === "current") want = 1 / (0.002 + 0.02 * Math.log((mu - 5) / (mu - 15)));
      else {
        const g = mu / (r.config.vRevE - r.config.vRest);
        const G = 1 + g;
        const vInf = (r.config.vRest + g * r.config.vRevE) / G;
        want = 1 / (0.002 + (0.02 / G) * Math.log((vInf - r.config.vReset) / (vInf - r.config.vThreshold)));
      }
      assert.ok(Math.abs(rate / want - 1) < 0.03, `${synapses}: ${rate} Hz vs ${want} Hz`);
    }
  },
);

pop("without synaptic input, conductance synapses give the same spikes as current synapses", () => {
  const a = single(25);
  const b = single(25, { synapses: "conductance" });
  assert.ok(a.spikes.times[0]!.length > 10);
  assert.equal(a.spikes.times[0], b.spikes.times[0]);
});

pop.run();

const syn = suite("lif: synapses");

syn("a strong E→I synapse makes the target fire exactly one delay after the source", () => {
  const delay = 1.5;
  const r = simulateLIF({
    n: 2,
    fractionExcitatory: 0.5,
    clusters: 1,
    duration: 2,
    stimulus: "none",
    delay,
    tauE: 0.01,
    rateExtE: 400,
    wExt: 16,
    rateExtI: 0,
    pEtoI: 1,
    pItoE: 0,
    wEtoI: 20,
    tauRef: 0.5,
    scaling: "reference",
  });
  const pre = r.spikes.times[0]!;
  const post = r.spikes.times[1]!;
  assert.equal([...r.truth.weights.source], [0]);
  assert.equal([...r.truth.weights.target], [1]);
  assert.ok(pre.length > 50, `${pre.length} presynaptic spikes`);
  const expected = new Set(Array.from(pre, (t) => Math.round((t + delay / 1000) * 1e4)));
  for (const t of post)
    assert.ok(expected.has(Math.round(t * 1e4)), `post spike at ${t} is not a pre spike + ${delay} ms`);
  const lastInTime = Array.from(pre).filter((t) => t + delay / 1000 <= r.spikes.duration).length;
  assert.ok(post.length >= 0.9 * lastInTime, `${post.length} of ${lastInTime}`);
});

syn("truth: cluster sizes, signs, no self-loops, connection probabilities near p_in and p_out", () => {
  const r = simulateLIF({ duration: 0.05 });
  const { clusters, weights } = r.truth;
  const nE = 800;
  for (let i = 0; i < 1000; i++) assert.is(clusters[i], i < nE ? Math.floor(i / 80) : -1);
  let inE = 0;
  let outE = 0;
  for (let e = 0; e < weights.source.length; e++) {
    const s = weights.source[e]!;
    const t = weights.target[e]!;
    assert.ok(s !== t);
    assert.ok(s < nE ? weights.weight[e]! > 0 : weights.weight[e]! < 0);
    if (s < nE && t < nE) clusters[s] === clusters[t] ? inE++ : outE++;
  }
  const pIn = inE / (10 * 80 * 79);
  const pOut = outE / (800 * 720);
  assert.ok(Math.abs(pIn - LIF_DEFAULTS.pIn) < 0.01, `p_in ${pIn}`);
  assert.ok(Math.abs(pOut - LIF_DEFAULTS.pOut) < 0.002, `p_out ${pOut}`);
  const ws = new Set(weights.weight);
  assert.equal(
    [...ws].sort((a, b) => a - b),
    [
      LIF_DEFAULTS.wItoI,
      LIF_DEFAULTS.wItoE,
      LIF_DEFAULTS.wEE,
      LIF_DEFAULTS.wEtoI,
      LIF_DEFAULTS.wEE * LIF_DEFAULTS.clusterWeightBoost,
    ]
      .filter((v, k, a) => a.indexOf(v) === k)
      .sort((a, b) => a - b),
  );
});

syn("clustered inhibition keeps the mean E→I probability and favours the own cluster", () => {
  const r = simulateLIF({ duration: 0.01, inhibitoryClustering: 4 });
  const { source, target } = r.truth.weights;
  let same = 0;
  let other = 0;
  for (let e = 0; e < source.length; e++) {
    if (source[e]! < 800 && target[e]! >= 800)
      Math.floor(source[e]! / 80) === Math.floor((target[e]! - 800) / 20) ? same++ : other++;
  }
  const pSame = same / (800 * 20);
  const pOther = other / (800 * 180);
  assert.ok(Math.abs(pSame / pOther - 4) < 0.6, `ratio ${pSame / pOther}`);
  assert.ok(Math.abs((same + other) / (800 * 200) - LIF_DEFAULTS.pEtoI) < 0.01);
});

syn.run();

const net = suite("lif: the default clustered network");

net("rates of a few hertz, no runaway; within-cluster correlations far above between-cluster ones", () => {
  const r = defaultLIF();
  assert.is(r.spikes.nNeurons, 1000);
  assert.ok(r.spikes.duration >= 20);
  const rateE = r.spikes.times.slice(0, 800).reduce((a, t) => a + t.length, 0) / 800 / r.spikes.duration;
  const rateI = r.spikes.times.slice(800).reduce((a, t) => a + t.length, 0) / 200 / r.spikes.duration;
  assert.ok(rateE > 1 && rateE < 20, `E rate ${rateE}`);
  assert.ok(rateI > 1 && rateI < 30, `I rate ${rateI}`);
  const b = binSpikes(r.spikes, { binSize: 0.01 });
  const n = 800;
  const T = b.nBins;
  const z = new Float64Array(T * n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let t = 0; t < T; t++) m += b.counts[t * 1000 + i]!;
    m /= T;
    let v = 0;
    for (let t = 0; t < T; t++) v += (b.counts[t * 1000 + i]! - m) ** 2;
    const sd = Math.sqrt(v / T) || 1;
    for (let t = 0; t < T; t++) z[t * n + i] = (b.counts[t * 1000 + i]! - m) / sd;
  }
  // Every pair among neurons 0, 8, 16, … (10 per cluster).
  const pick = Array.from({ length: 100 }, (_, k) => k * 8);
  let win = 0;
  let nw = 0;
  let btw = 0;
  let nb = 0;
  for (const i of pick) {
    for (const j of pick) {
      if (j <= i) continue;
      let c = 0;
      for (let t = 0; t < T; t++) c += z[t * n + i]! * z[t * n + j]!;
      c /= T;
      if (r.truth.clusters[i] === r.truth.clusters[j]) ((win += c), nw++);
      else ((btw += c), nb++);
    }
  }
  win /= nw;
  btw /= nb;
  assert.ok(win > 0.2, `within ${win}`);
  assert.ok(win > 5 * Math.abs(btw) && win - btw > 0.2, `within ${win} vs between ${btw}`);
});

net("a stimulated cluster fires more during its intervals", () => {
  const r = defaultLIF();
  assert.ok(r.truth.stimulus.length >= 20);
  const b = binSpikes(r.spikes, { binSize: 0.01 });
  const labels = stimulusLabels(r.truth.stimulus, b.nBins, 0.01);
  let on = 0;
  let non = 0;
  let off = 0;
  let noff = 0;
  for (let t = 0; t < b.nBins; t++) {
    for (let i = 0; i < 800; i++) {
      const c = b.counts[t * 1000 + i]!;
      if (labels[t] === r.truth.clusters[i]) ((on += c), non++);
      else ((off += c), noff++);
    }
  }
  assert.ok(on / non > 3 * (off / noff), `on ${on / non} vs off ${off / noff}`);
});

net("the same seed gives the same spikes; another seed does not", () => {
  const cfg = { n: 300, clusters: 3, duration: 0.5 };
  const a = simulateLIF(cfg);
  const b = simulateLIF(cfg);
  const c = simulateLIF({ ...cfg, seed: 2 });
  assert.ok(total(a.spikes) > 100);
  for (let i = 0; i < 300; i++) assert.equal(a.spikes.times[i], b.spikes.times[i]);
  assert.equal(a.truth.weights.target, b.truth.weights.target);
  assert.ok(
    a.spikes.times.some(
      (t, i) => t.length !== c.spikes.times[i]!.length || t.some((x, k) => x !== c.spikes.times[i]![k]),
    ),
  );
  // Times are sorted, positive and within the duration.
  for (const t of a.spikes.times)
    for (let k = 0; k < t.length; k++) assert.ok(t[k]! > 0 && t[k]! <= 0.5 && (k === 0 || t[k]! >= t[k - 1]!));
});

net("a 10,000-neuron network keeps its in-degrees (probabilities scaled by the pool sizes)", () => {
  const r = simulateLIF({ n: 10000, duration: 0.002, stimulus: "none" });
  const perNeuron = r.truth.weights.source.length / 10000;
  const ref = simulateLIF({ duration: 0.002, stimulus: "none" }).truth.weights.source.length / 1000;
  assert.ok(Math.abs(perNeuron / ref - 1) < 0.05, `${perNeuron} vs ${ref}`);
});

net.run();

const labels = suite("lif: stimulusLabels");

labels("labels a bin by the interval containing its midpoint", () => {
  const l = stimulusLabels(
    [
      { start: 0.25, end: 0.5, cluster: 3 },
      { start: 0.505, end: 0.52, cluster: 1 },
    ],
    60,
    0.01,
  );
  const want = new Int32Array(60).fill(-1);
  want.fill(3, 25, 50);
  want[50] = 1; // midpoint 0.505 is in [0.505, 0.52)
  want[51] = 1; // midpoint 0.515
  assert.equal(l, want);
  assert.equal(stimulusLabels([], 3, 1), new Int32Array([-1, -1, -1]));
});

labels("rejects bad arguments", () => {
  throwsCode(() => stimulusLabels({} as never, 3, 0.1), DgrnTypeError, "ERR_INVALID_TYPE");
  throwsCode(() => stimulusLabels([], -1, 0.1), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => stimulusLabels([], 3, 0), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => stimulusLabels([{ start: 1, end: 0, cluster: 0 }], 3, 0.1), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(() => stimulusLabels([{ start: 0, end: 1, cluster: -1 }], 3, 0.1), DgrnRangeError, "ERR_OUT_OF_RANGE");
  throwsCode(
    () => stimulusLabels([{ start: Number.NaN, end: 1, cluster: 0 }], 3, 0.1),
    DgrnRangeError,
    "ERR_NOT_FINITE",
  );
});

labels.run();

const bad = suite("lif: invalid configuration");

bad("unknown key", () => throwsCode(() => simulateLIF({ sed: 1 } as never), DgrnRangeError, "ERR_INVALID_OPTION"));
bad("config not an object", () => throwsCode(() => simulateLIF(5 as never), DgrnTypeError, "ERR_INVALID_TYPE"));
bad("n not an integer", () => throwsCode(() => simulateLIF({ n: 10.5 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("n of the wrong type", () =>
  throwsCode(() => simulateLIF({ n: "10" as never }), DgrnTypeError, "ERR_INVALID_TYPE"),
);
bad("more clusters than excitatory neurons", () =>
  throwsCode(() => simulateLIF({ n: 10, clusters: 9 }), DgrnRangeError, "ERR_OUT_OF_RANGE"),
);
bad("duration ≤ 0", () => throwsCode(() => simulateLIF({ duration: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("duration infinite", () => throwsCode(() => simulateLIF({ duration: Infinity }), DgrnRangeError, "ERR_NOT_FINITE"));
bad("dt ≤ 0", () => throwsCode(() => simulateLIF({ dt: 0 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("tauE equal to tauM", () => throwsCode(() => simulateLIF({ tauE: 20 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("reset at or above threshold", () =>
  throwsCode(() => simulateLIF({ vReset: -50 }), DgrnRangeError, "ERR_OUT_OF_RANGE"),
);
bad("probability above 1", () => throwsCode(() => simulateLIF({ pIn: 1.5 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("positive inhibitory weight", () =>
  throwsCode(() => simulateLIF({ wItoE: 0.5 }), DgrnRangeError, "ERR_OUT_OF_RANGE"),
);
bad("negative seed", () => throwsCode(() => simulateLIF({ seed: -1 }), DgrnRangeError, "ERR_OUT_OF_RANGE"));
bad("stimulus of the wrong type", () =>
  throwsCode(() => simulateLIF({ stimulus: "on" as never }), DgrnTypeError, "ERR_INVALID_TYPE"),
);
bad("stimulus cluster out of range", () =>
  throwsCode(
    () => simulateLIF({ duration: 1, stimulus: [{ start: 0, end: 0.5, cluster: 10 }] }),
    DgrnRangeError,
    "ERR_OUT_OF_RANGE",
  ),
);
bad("overlapping stimulus intervals", () =>
  throwsCode(
    () =>
      simulateLIF({
        duration: 1,
        stimulus: [
          { start: 0, end: 0.5, cluster: 1 },
          { start: 0.4, end: 0.6, cluster: 2 },
        ],
      }),
    DgrnRangeError,
    "ERR_OUT_OF_RANGE",
  ),
);
bad("unknown synapse model", () =>
  throwsCode(() => simulateLIF({ synapses: "ohmic" as never }), DgrnRangeError, "ERR_INVALID_OPTION"),
);
bad("excitatory reversal at or below threshold", () =>
  throwsCode(() => simulateLIF({ vRevE: -50 }), DgrnRangeError, "ERR_OUT_OF_RANGE"),
);
bad("inhibitory reversal at or above reset", () =>
  throwsCode(() => simulateLIF({ vRevI: -60 }), DgrnRangeError, "ERR_OUT_OF_RANGE"),
);
bad("lifConfig fills defaults and does not share the input", () => {
  const input = { n: 50 };
  const c = lifConfig(input);
  assert.is(c.n, 50);
  assert.is(c.tauM, LIF_DEFAULTS.tauM);
  assert.equal(input, { n: 50 });
});

bad.run();
