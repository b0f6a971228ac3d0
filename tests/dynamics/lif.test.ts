// Mesoscale dynamics on the embedded LIF run (LIF_DEFAULTS: 1,000 neurons, 10
// clusters, cluster stimulation, 20 s, seed 1), binned at 10 ms.
//
// Coarse states: until the Laplacian RG flow (issue 6) is on this branch, the
// RGFlow here is built from the simulator's TRUE clusters: one step grouping the
// neurons of each excitatory cluster into one block and the inhibitory neurons
// into an 11th block. It tests the dynamics stage, not the flow.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  LIF_DEFAULTS,
  binSpikes,
  binarize,
  stimulusLabels,
  coarseTrajectories,
  decodeFlow,
  entropyProductionFlow,
  predict,
  participationRatio,
} from "../helpers/setup.js";
import { defaultLIF } from "../helpers/lif.js";
import type { RGFlow } from "../helpers/setup.js";

const test = suite("dynamics/lif");

const BIN = 0.01;
const lif = defaultLIF();
const states = binarize(binSpikes(lif.spikes, { binSize: BIN }));
const labels = stimulusLabels(lif.truth.stimulus, states.T, BIN);
const K = LIF_DEFAULTS.clusters;
const assignment = Int32Array.from(lif.truth.clusters, (c) => (c < 0 ? K : c));
const groups = Array.from({ length: K + 1 }, () => [] as number[]);
assignment.forEach((g, i) => groups[g]!.push(i));
const flow: RGFlow = {
  n0: states.n,
  stopReason: "true clusters (test stand-in for the LRG flow)",
  steps: [{ tau: 1, n: K + 1, groups, assignment }],
};

test("decoding the stimulated cluster from coarse (cluster-fraction) states beats chance by ≥ 0.08", () => {
  const [fine, coarse] = decodeFlow(states, flow, labels, { rule: "fraction", seed: 1 });
  assert.is(coarse!.nFeatures, K + 1);
  assert.is(fine!.nFeatures, states.n);
  // measured at seed 1: coarse 0.664, fine 0.565, chance 0.500 (11 classes incl. "no stimulus")
  assert.ok(coarse!.margin >= 0.08, `coarse accuracy ${coarse!.accuracy} vs chance ${coarse!.chance}`);
  assert.ok(coarse!.accuracy > 2 * coarse!.uniformChance);
  assert.is(fine!.chance, coarse!.chance); // same folds at every level
});

test("prediction of the next coarse (any-rule) state beats the marginal and persistence baselines", () => {
  const y = coarseTrajectories(states, flow)[0]!;
  const p = predict(y);
  // measured: Markov −4.96, persistence −5.18, marginal −5.58 nats per transition
  assert.ok(p.markov.logLikelihood > p.persistence.logLikelihood + 0.1, JSON.stringify(p));
  assert.ok(p.markov.logLikelihood > p.marginal.logLikelihood + 0.1, JSON.stringify(p));
  assert.ok(p.markov.accuracy >= p.persistence.accuracy && p.markov.accuracy > p.marginal.accuracy, JSON.stringify(p));
});

test("σ per RG step and participation ratio are finite and consistent on the LIF run", () => {
  const steps = entropyProductionFlow(states, flow, { surrogates: 5 });
  assert.is(steps.length, 2);
  for (const s of steps) {
    assert.ok(Number.isFinite(s.sigma) && s.sigma >= 0);
    // the surrogate band from its own values, by hand: 5 surrogate σ, their min, max, mean, and the p-value
    const b = s.baseline!;
    const v = Array.from(b.values);
    assert.is(v.length, 5);
    assert.is(b.lo, Math.min(...v));
    assert.is(b.hi, Math.max(...v));
    assert.ok(Math.abs(b.mean - v.reduce((a, x) => a + x, 0) / 5) < 1e-15);
    assert.is(b.pValue, (1 + v.filter((x) => x >= s.sigma).length) / 6);
  }
  // fine states are nearly all distinct words: most pairs are one-way
  assert.ok(steps[0]!.nStates > steps[1]!.nStates);
  assert.ok(steps[0]!.oneWayFraction > steps[1]!.oneWayFraction);
  const pr = participationRatio(coarseTrajectories(states, flow, { rule: "fraction" })[0]!);
  assert.ok(pr >= 1 && pr <= K + 1, `${pr}`);
});

test.run();
