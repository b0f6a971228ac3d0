// Every detectable failure or weak result, forced one at a time on a minimal
// results object: the warning is produced, and it is in the report's warnings box.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import "../helpers/setup.js";
import { renderReport } from "../../sdk/report/index.js";
import { detectWarnings } from "../../sdk/pipeline/warnings.js";
import type { PipelineResults } from "../../sdk/pipeline/results.js";

const test = suite("report/warnings");

/** A healthy run: nothing to warn about. */
function healthy(): PipelineResults {
  const scale = (step: number, n: number) => ({
    step,
    n,
    nStates: 8,
    sigma: 0.2,
    sigmaCorrected: 0.19,
    sigmaBias: 0.01,
    sigmaSe: 0.01,
    sigmaCiLo: 0.17,
    sigmaCiHi: 0.21,
    sigmaLowerBound: false,
    sigmaOneWayFraction: 0.001,
    sigmaPairs: 12,
    sigmaBaseline: 0.001,
    sigmaBaselineLo: 0,
    sigmaBaselineHi: 0.002,
    sigmaPValue: 0.05,
    unitPrediction: {
      trivial: false,
      nUnits: n,
      constantUnits: 0,
      nTest: 400,
      pseudocount: 1,
      unseenFraction: 0,
      bits: { markov: -0.5, persistence: -0.6, marginal: -0.7 },
      accuracy: { markov: 0.8, persistence: 0.7, marginal: 0.6 },
      balancedAccuracy: { markov: 0.7, persistence: 0.6, marginal: 0.5 },
    },
    decodingAccuracy: 0.8,
    decodingChance: 0.3,
    decodingMargin: 0.5,
    decodingCiLo: 0.75,
    decodingCiHi: 0.85,
    decodingMarginCiLo: 0.45,
    decodingMarginCiHi: 0.55,
    decodingFolds: 5,
  });
  return {
    schema: "dgrn-results/1",
    dgrn: { version: "0.0.0", abi: 1, kernelSha256: null },
    config: { seed: 1 },
    data: {
      source: "csv",
      name: "x.csv",
      nNeurons: 4,
      nObserved: 4,
      observed: [0, 1, 2, 3],
      duration: 10,
      binSize: 0.01,
      nBins: 1000,
      totalSpikes: 500,
      meanRate: 12.5,
      activeFraction: 0.1,
      silentUnits: [],
      saturatedUnits: [],
    },
    graph: {
      method: "xcorr",
      n: 4,
      nEdges: 3,
      edges: [
        [0, 1, 1],
        [1, 2, 1],
        [2, 3, 1],
      ],
      communities: [0, 0, 1, 1],
      nCommunities: 2,
      order: [0, 1, 2, 3],
      modularity: 0.3,
      scores: null,
    },
    lrg: {
      tau: [0.1, 1, 10],
      entropy: [1, 0.5, 0],
      specificHeat: [0.1, 0.4, 0.1],
      peaks: [{ tau: 1, C: 0.4 }],
      fiedlerTime: 1,
      finestTime: 0.1,
      flow: [
        {
          tau: 1,
          n: 2,
          groups: [
            [0, 1],
            [2, 3],
          ],
          assignment: [0, 0, 1, 1],
          metagraph: { n: 2, edges: [[0, 1, 1]] },
        },
      ],
      stopReason: "one node",
    },
    tn: {
      tol: 1e-3,
      maxBond: 4,
      model: "born-mps",
      mps: {
        bondDims: [2, 2, 2],
        params: 40,
        log2FullSize: 4,
        relError: null,
        entanglement: [0.1, 0.2, 0.1],
        kl: null,
        tv: null,
        nll: { train: 3.0, validation: 3.1, test: 3.2 },
        nllBorn: { train: 3.0, validation: 3.1, test: 3.2 },
        mixWeight: 0.1,
        belowFloor: { validation: 0, test: 0 },
        split: { train: [0, 700], validation: [700, 850], test: [850, 1000] },
        baselines: {
          product: { train: 3.9, validation: 4, test: 4, params: 4 },
          chowLiu: { train: 3.5, validation: 3.6, test: 3.6, params: 10 },
          mixture: { train: 3.3, validation: 3.4, test: 3.4, params: 18, components: 2 },
        },
      },
      scales: [],
      sweep: [
        { maxBond: 2, params: 20, validation: 3.1 },
        { maxBond: 4, params: 40, validation: 3.3 },
      ],
    },
    dynamics: { rule: "any", scales: [scale(0, 4), scale(1, 2), scale(2, 2)] },
    warnings: [],
  };
}

type Edit = (r: PipelineResults) => void;
const dyn = (r: PipelineResults, step: number) => r.dynamics.scales[step] as Record<string, unknown>;
const CASES: [string, Edit, RegExp][] = [
  [
    "exact compression (TT-SVD) at its cap",
    (r) => {
      r.tn.maxBond = 16;
      r.tn.mps.bondDims = [2, 16, 2];
      r.tn.mps.relError = 0.99;
    },
    /compression failed.*bond cap χ = 16.*0\.99/,
  ],
  [
    "the Born machine no better than the strongest baseline on test time (no scale rows: the MPS block)",
    (r) => {
      r.tn.mps.nll.test = 3.5;
    },
    // alone: "mixture of 2 products 3.40 < Born 3.50"; with the next case's rows (one render), those take precedence
    /at least as well as the Born machine at RG step 0 \(mixture of (2 products 3\.40 < Born 3\.50|24 products 94\.60 < Born 95\.55) bits\/bin\)/,
  ],
  [
    "per scale: a mixture better at step 0, the independent model tied to rounding at step 1",
    (r) => {
      const row = (step: number, born: number, product: number, chowLiu: number, mixture: number) => ({
        step,
        n: 4 >> step,
        heldOut: { born, product, chowLiu, mixture },
        mixtureComponents: 24,
      });
      r.tn.scales = [row(0, 95.55, 162.4, 113.9, 94.6), row(1, 9.296132951743422, 9.296132951743424, 9.301, 9.3)];
    },
    /at RG step 0 \(mixture of 24 products 94\.60 < Born 95\.55 bits\/bin\), step 1 \(independent model 9\.30 = Born 9\.30 bits\/bin\): the tensor network adds no measurable/,
  ],
  [
    "the chosen bond cap is the largest tried",
    (r) => {
      r.tn.sweep = [
        { maxBond: 2, params: 20, validation: 3.3 },
        { maxBond: 4, params: 40, validation: 3.1 },
      ];
    },
    /bond cap chosen on validation is the largest tried \(χ = 4\)/,
  ],
  [
    "held-out NLL no better than the product model (Born-machine fields)",
    (r) => {
      (r.tn as unknown as Record<string, unknown>)["born"] = { nll: 3.2, baselines: { product: 3.1 } };
    },
    /held-out NLL 3\.2 is no better than the product model's 3\.1/,
  ],
  [
    "the Markov model no better than the product of marginals",
    (r) => {
      (dyn(r, 1)["unitPrediction"] as { bits: { markov: number } }).bits.markov = -0.8;
    },
    /no better than the product of marginals at RG step 1/,
  ],
  [
    "σ inside its surrogate band",
    (r) => {
      dyn(r, 1)["sigma"] = 0.001;
    },
    /σ is inside its surrogate band at RG step 1/,
  ],
  [
    "σ a lower bound",
    (r) => {
      dyn(r, 0)["sigmaLowerBound"] = true;
      dyn(r, 0)["sigmaOneWayFraction"] = 0.05;
    },
    /σ is a lower bound at RG step 0 \(5 % one-way\)/,
  ],
  [
    "σ not estimable",
    (r) => {
      dyn(r, 2)["sigmaPairs"] = 0;
    },
    /no pair of states is seen in both directions at RG step 2/,
  ],
  [
    "silent units",
    (r) => {
      r.data.silentUnits = [7, 9];
    },
    /2 observed units never spiked.*7, 9/,
  ],
  [
    "phantom (saturated) units",
    (r) => {
      r.data.saturatedUnits = [3];
    },
    /1 unit active in ≥ 95 % of 10 ms bins/,
  ],
  [
    "decoding at chance",
    (r) => {
      Object.assign(dyn(r, 1), {
        decodingAccuracy: 0.31,
        decodingMargin: 0.01,
        decodingMarginCiLo: -0.05,
        decodingCiLo: 0.25,
        decodingCiHi: 0.37,
      });
    },
    /decoding: at chance at RG step 1 \(accuracy 0\.31, 95 % CI 0\.25–0\.37, chance 0\.3\)/,
  ],
  [
    "a trivial prediction scale",
    (r) => {
      (dyn(r, 0)["unitPrediction"] as { trivial: boolean }).trivial = true;
    },
    /prediction: trivial at RG step 0/,
  ],
  [
    "a stage's fallback (generic hook)",
    (r) => {
      (r.graph as unknown as Record<string, unknown>)["fallback"] = "latent diffusion skipped: no edges";
    },
    /^graph: latent diffusion skipped: no edges$/,
  ],
  [
    "an RG flow with no step",
    (r) => {
      r.lrg.flow = [];
      r.lrg.stopReason = "no peak: C(τ) has no interior maximum";
    },
    /RG flow: no coarse-graining step \(no peak/,
  ],
  [
    "a graph with no edges",
    (r) => {
      r.graph.nEdges = 0;
      r.graph.edges = [];
    },
    /no edges over 4 nodes/,
  ],
  [
    "latent diffusion's input degree cap cut the graph",
    (r) => {
      r.graph.diffusionCap = { maxDegree: 2, nodesOver: 1, largestDegree: 3, pairsGiven: 4 };
    },
    /^graph: latent diffusion's input degree cap cut 1 node of 4 \(up to 3 neighbours; each kept its 2 heaviest edges\).*diffusion\.maxDegree 0/,
  ],
];

test("a healthy run has no warnings, and the report says so", async () => {
  const r = healthy();
  assert.equal(detectWarnings(r), []);
  const { html } = await renderReport(r);
  assert.match(html, /<section id="warnings" class="ok"><h2>No warnings<\/h2>/);
});

for (const [name, edit, re] of CASES) {
  test(`${name}: warned`, () => {
    const r = healthy();
    edit(r);
    const w = detectWarnings(r);
    assert.ok(
      w.some((x) => re.test(x)),
      `no warning matching ${re}; got ${JSON.stringify(w)}`,
    );
  });
}

test("every forced warning is in the report's warnings box, above the summary (one render)", async () => {
  const r = healthy();
  for (const [, edit] of CASES) edit(r);
  const w = detectWarnings(r);
  r.warnings = w;
  const { html } = await renderReport(r);
  const box = /<section id="warnings" class="warn">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
  assert.ok(html.indexOf('id="warnings"') < html.indexOf('id="summary"'), "the warnings box comes first");
  assert.match(box, new RegExp(`<h2>${w.length} warnings</h2>`));
  const esc = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  for (const [name, , re] of CASES) {
    const hit = w.find((x) => re.test(x));
    assert.ok(hit && box.includes(`<li>${esc(hit)}</li>`), `${name}: in the box`);
  }
});

test.run();
