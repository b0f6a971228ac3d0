/**
 * Vega-Lite specs for every figure of the report. Pure functions from results
 * to specs: the same specs render to SVG in Node (report.html) and live in a
 * browser (the web page), so both show the same plots.
 *
 * @module
 */
import type { PipelineResults } from "../pipeline/results.js";

/** A Vega-Lite specification (kept loose: vega-lite's own types are not part of our API). */
export type VlSpec = Record<string, unknown>;

/** One figure of the report. */
export interface Figure {
  /** Stable id, used as the HTML element id (`fig-<id>`). */
  id: string;
  /** Human title, also the SVG's title. */
  title: string;
  /** One sentence on how to read it. */
  caption: string;
  spec: VlSpec;
}

/** Extra arrays the report draws that are too large for results.json. */
export interface ReportExtras {
  /** Spikes to draw: [time (s), row in community order]; at most ~20,000. */
  raster?: { t: Float64Array | number[]; row: Int32Array | number[]; nRows: number; window: [number, number] };
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const W = 560;
const H = 260;
const base = (title: string, rest: VlSpec): VlSpec => ({
  $schema: SCHEMA,
  title: { text: title, anchor: "start", fontSize: 14 },
  width: W,
  height: H,
  config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelLimit: 400 }, header: { labelLimit: 400 }, font: "sans-serif" },
  ...rest,
});

/** Spike raster of the observed neurons, rows in community order. */
export function rasterSpec(extras: ReportExtras): VlSpec | null {
  const r = extras.raster;
  if (!r || r.t.length === 0) return null;
  const values = Array.from(r.t, (t, i) => ({ t, row: r.row[i] }));
  return base("Spike raster (observed neurons, community order)", {
    height: 320,
    data: { values },
    mark: { type: "tick", orient: "vertical", thickness: 1, size: Math.max(2, Math.min(8, 320 / r.nRows)) },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)", scale: { domain: r.window } },
      y: { field: "row", type: "quantitative", title: "neuron (community order)", scale: { domain: [0, r.nRows], reverse: true } },
      color: { value: "#222" },
    },
  });
}

/** Adjacency of the inferred graph in community order, block-averaged to at most `maxCells` per side. */
export function adjacencySpec(res: PipelineResults, maxCells = 80): VlSpec | null {
  const g = res.graph;
  if (!g || g.n === 0) return null;
  const n = g.n;
  const pos = new Int32Array(n);
  g.order.forEach((node, p) => (pos[node] = p));
  const cells = n <= 1.5 * maxCells ? n : maxCells; // whole nodes when they fit, blocks otherwise
  const size = n / cells;
  const grid = new Float64Array(cells * cells);
  for (const [i, j, w] of g.edges) {
    const a = Math.min(cells - 1, Math.floor(pos[i]! / size));
    const b = Math.min(cells - 1, Math.floor(pos[j]! / size));
    grid[a * cells + b]! += w;
  }
  const values: { src: number; dst: number; w: number }[] = [];
  for (let a = 0; a < cells; a++) for (let b = 0; b < cells; b++) if (grid[a * cells + b]! > 0) values.push({ src: a, dst: b, w: grid[a * cells + b]! });
  return base("Inferred graph: adjacency in community order", {
    width: 360,
    height: 360,
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: { field: "dst", type: "ordinal", title: size === 1 ? "target" : `target (blocks of ${size.toFixed(1)} nodes)`, axis: { labels: false, ticks: false }, scale: { domain: Array.from({ length: cells }, (_, i) => i) } },
      y: { field: "src", type: "ordinal", title: "source", axis: { labels: false, ticks: false }, scale: { domain: Array.from({ length: cells }, (_, i) => i) } },
      color: { field: "w", type: "quantitative", title: "weight", scale: { scheme: "greys", type: "sqrt" } },
    },
  });
}

/** S(τ) and C(τ) with the scales τ* marked. */
export function entropySpec(res: PipelineResults): VlSpec | null {
  const l = res.lrg;
  if (!l || l.tau.length === 0) return null;
  const values = l.tau.flatMap((tau, i) => [
    { tau, value: l.entropy[i], curve: "entropy S(τ)" },
    { tau, value: l.specificHeat[i], curve: "specific heat C(τ)" },
  ]);
  const peaks = l.peaks.map((p) => ({ tau: p.tau, C: p.C }));
  return base("Laplacian RG: entropy S(τ) and specific heat C(τ), peaks τ* marked", {
    layer: [
      {
        data: { values },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { field: "tau", type: "quantitative", scale: { type: "log" }, title: "diffusion time τ" },
          y: { field: "value", type: "quantitative", title: "S (normalised), C" },
          color: { field: "curve", type: "nominal", title: null, legend: { orient: "top-right" } },
        },
      },
      {
        data: { values: peaks },
        mark: { type: "rule", strokeDash: [4, 3], color: "#c0392b" },
        encoding: { x: { field: "tau", type: "quantitative" } },
      },
      {
        data: { values: peaks },
        mark: { type: "point", filled: true, color: "#c0392b", size: 60 },
        encoding: { x: { field: "tau", type: "quantitative" }, y: { field: "C", type: "quantitative" } },
      },
    ],
  });
}

/** Node counts per RG step. */
export function flowCountsSpec(res: PipelineResults): VlSpec | null {
  const l = res.lrg;
  if (!l) return null;
  const values = [{ step: 0, n: res.graph.n, tau: 0 }, ...l.flow.map((s, i) => ({ step: i + 1, n: s.n, tau: s.tau }))];
  return base("RG flow: nodes per step", {
    data: { values },
    layer: [
      { mark: { type: "line", point: true }, encoding: { x: { field: "step", type: "ordinal", title: "RG step" }, y: { field: "n", type: "quantitative", scale: { type: "log" }, title: "nodes" } } },
      { mark: { type: "text", dy: -10 }, encoding: { x: { field: "step", type: "ordinal" }, y: { field: "n", type: "quantitative" }, text: { field: "n" } } },
    ],
  });
}

/** The metagraphs of the flow, each laid out on a circle (node size = members). */
export function metagraphSpec(res: PipelineResults, maxSteps = 4): VlSpec | null {
  const flow = res.lrg?.flow ?? [];
  if (flow.length === 0) return null;
  const nodes: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  const steps = flow.slice(0, maxSteps);
  steps.forEach((s, k) => {
    const size = new Array<number>(s.n).fill(0);
    for (const a of s.assignment) size[a]!++;
    const xy = (i: number) => [Math.cos((2 * Math.PI * i) / s.n), Math.sin((2 * Math.PI * i) / s.n)] as const;
    for (let i = 0; i < s.n; i++) nodes.push({ step: `step ${k + 1} (${s.n} nodes)`, x: xy(i)[0], y: xy(i)[1], members: size[i] });
    const wmax = s.metagraph.edges.reduce((m, e) => Math.max(m, e[2]), 0) || 1;
    for (const [i, j, w] of s.metagraph.edges) {
      if (i === j) continue;
      links.push({ step: `step ${k + 1} (${s.n} nodes)`, x: xy(i)[0], y: xy(i)[1], x2: xy(j)[0], y2: xy(j)[1], w: w / wmax });
    }
  });
  const axis = { x: { field: "x", type: "quantitative", axis: null, scale: { domain: [-1.2, 1.2] } }, y: { field: "y", type: "quantitative", axis: null, scale: { domain: [-1.2, 1.2] } } };
  return {
    $schema: SCHEMA,
    title: { text: "RG flow: metagraphs per step", anchor: "start", fontSize: 14 },
    config: { view: { stroke: "#ddd" }, font: "sans-serif" },
    data: { values: [] },
    hconcat: steps.map((s, k) => {
      const name = `step ${k + 1} (${s.n} nodes)`;
      return {
        width: 180,
        height: 180,
        title: name,
        layer: [
          {
            data: { values: links.filter((l) => l.step === name) },
            mark: { type: "rule", color: "#8aa" },
            encoding: { ...axis, x2: { field: "x2" }, y2: { field: "y2" }, opacity: { field: "w", type: "quantitative", legend: null, scale: { range: [0.1, 0.9] } } },
          },
          {
            data: { values: nodes.filter((v) => v.step === name) },
            mark: { type: "circle", color: "#2c5d8a", opacity: 0.9 },
            encoding: { ...axis, size: { field: "members", type: "quantitative", title: "members", scale: { range: [20, 400] } } },
          },
        ],
      };
    }),
  };
}

/** Bond dimensions and entanglement per bond, microscale MPS and per scale. */
export function bondSpec(res: PipelineResults): VlSpec | null {
  const t = res.tn;
  if (!t) return null;
  const values = t.mps.bondDims.map((d, k) => ({ bond: k + 1, value: d, quantity: "bond dimension" }));
  t.mps.entanglement.forEach((e, k) => values.push({ bond: k + 1, value: e, quantity: "entanglement (nats)" }));
  return base("DTNR: bond dimension and Born-form entanglement per bond (microscale MPS)", {
    data: { values },
    mark: { type: "line", point: { size: 12 } },
    encoding: {
      x: { field: "bond", type: "quantitative", title: "bond k (between sites k and k+1)" },
      y: { field: "value", type: "quantitative", title: null },
      row: { field: "quantity", type: "nominal", title: null },
    },
    height: 140,
    resolve: { scale: { y: "independent" } },
  });
}

/** Held-out NLL vs parameters: the Born MPS per bond cap (validation) and the chosen model and baselines (test). */
export function compressionSpec(res: PipelineResults): VlSpec | null {
  const t = res.tn;
  const sw = t?.sweep ?? [];
  if (sw.length === 0 || !t.mps.baselines) return null;
  const values: { params: number; nll: number; label: string; series: string }[] = sw.map((s) => ({ params: s.params, nll: s.validation, label: `χ ≤ ${s.maxBond}`, series: "Born MPS (validation)" }));
  const add = (label: string, params: number, nll: number | null) => {
    if (nll !== null) values.push({ params, nll, label, series: "test" });
  };
  add("Born MPS", t.mps.params + t.mps.log2FullSize, t.mps.nll.test);
  add("product", t.mps.baselines.product.params, t.mps.baselines.product.test);
  add("Chow–Liu", t.mps.baselines.chowLiu.params, t.mps.baselines.chowLiu.test);
  add(`mixture K=${t.mps.baselines.mixture.components ?? "?"}`, t.mps.baselines.mixture.params, t.mps.baselines.mixture.test);
  return base(`DTNR: held-out NLL vs parameters (full state space 2^${t.mps.log2FullSize})`, {
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "params", type: "quantitative", scale: { type: "log" }, title: "parameters" },
          y: { field: "nll", type: "quantitative", scale: { type: "linear", zero: false }, title: "NLL (bits per bin)" },
          color: { field: "series", type: "nominal", title: null },
        },
      },
      { mark: { type: "text", dx: 18, dy: -6, fontSize: 10 }, encoding: { x: { field: "params", type: "quantitative" }, y: { field: "nll", type: "quantitative" }, text: { field: "label" } } },
    ],
  });
}

/** Entropy of the coarse variables per scale. */
export function scaleEntropySpec(res: PipelineResults): VlSpec | null {
  const sc = res.tn?.scales ?? [];
  if (sc.length === 0) return null;
  const values = sc.flatMap((s) => [
    { step: s.step, value: s["entropy"], quantity: "Ĥ(Y_ℓ): best held-out cross-entropy (bits per bin)" },
    { step: s.step, value: s["entropyPerUnit"], quantity: "Ĥ(Y_ℓ) per coarse variable (bits)" },
    { step: s.step, value: s["ratio"], quantity: "R_ℓ = Ĥ(Y_ℓ)/Ĥ(X)" },
  ]).filter((v) => typeof v.value === "number");
  return base("Entropy across scales", {
    data: { values },
    height: 140,
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "step", type: "ordinal", title: "RG step" },
      y: { field: "value", type: "quantitative", title: null },
      row: { field: "quantity", type: "nominal", title: null, header: { labelLimit: 400 } },
    },
    resolve: { scale: { y: "independent" } },
  });
}

/** Entropy production σ per scale with its surrogate baseline band. */
export function sigmaSpec(res: PipelineResults): VlSpec | null {
  const sc = res.dynamics?.scales ?? [];
  if (sc.length === 0) return null;
  const values = sc.map((s) => ({ step: s.step, sigma: s["sigma"], lo: s["sigmaBaselineLo"], hi: s["sigmaBaselineHi"], base: s["sigmaBaseline"] }));
  return base("Entropy production σ per scale (surrogate baseline band)", {
    data: { values },
    layer: [
      { mark: { type: "area", opacity: 0.25, color: "#999" }, encoding: { x: { field: "step", type: "ordinal", title: "RG step" }, y: { field: "lo", type: "quantitative", title: "σ (nats per bin)" }, y2: { field: "hi" } } },
      { mark: { type: "line", strokeDash: [4, 3], color: "#777" }, encoding: { x: { field: "step", type: "ordinal" }, y: { field: "base", type: "quantitative" } } },
      { mark: { type: "line", point: true, color: "#c0392b" }, encoding: { x: { field: "step", type: "ordinal" }, y: { field: "sigma", type: "quantitative" } } },
    ],
  });
}

/** Prediction and decoding scores per scale against their baselines. */
export function scoresSpec(res: PipelineResults): VlSpec | null {
  const sc = res.dynamics?.scales ?? [];
  if (sc.length === 0) return null;
  const values: { step: number; score: string; value: unknown }[] = [];
  for (const s of sc) {
    for (const key of ["predictionAccuracy", "persistenceAccuracy", "marginalAccuracy", "decodingAccuracy", "decodingChance"]) {
      if (typeof s[key] === "number") values.push({ step: s.step, score: key.replace(/([A-Z])/g, " $1").toLowerCase(), value: s[key] });
    }
  }
  return base("Prediction and decoding accuracy per scale (held-out)", {
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "step", type: "ordinal", title: "RG step" },
      xOffset: { field: "score", type: "nominal" },
      y: { field: "value", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] } },
      color: { field: "score", type: "nominal", title: null, legend: { orient: "bottom", columns: 3 } },
    },
  });
}

/** Every figure of the report, in order; figures whose data is absent are left out. */
export function figures(res: PipelineResults, extras: ReportExtras = {}): Figure[] {
  const all: Array<[string, string, string, VlSpec | null]> = [
    ["raster", "Spike raster", "Observed neurons in community order; structure shows as bands of co-active clusters.", rasterSpec(extras)],
    ["adjacency", "Inferred adjacency", "Directed weights (rows = source) block-averaged in community order; diagonal blocks are communities.", adjacencySpec(res)],
    ["entropy", "Entropy and specific heat", "Peaks of C(τ) mark the scales τ* at which diffusion resolves structure.", entropySpec(res)],
    ["flow", "RG flow: node counts", "Nodes left after each coarse-graining step.", flowCountsSpec(res)],
    ["metagraphs", "RG flow: metagraphs", "Supernodes of each step (size = members) and the summed weights between them.", metagraphSpec(res)],
    ["bonds", "Bond dimensions and entanglement", "Bond dimension and Born-form entanglement entropy across the MPS in community order.", bondSpec(res)],
    ["compression", "Compression vs held-out likelihood", "Parameters against held-out NLL: the Born MPS at each bond cap (validation), the chosen model and the baselines (test).", compressionSpec(res)],
    ["scale-entropy", "Entropy per scale", "Best held-out cross-entropy of the coarse variables at each RG step, per variable, and its ratio to the microscale's.", scaleEntropySpec(res)],
    ["sigma", "Entropy production per scale", "σ of the coarse Markov dynamics; the band is the surrogate (estimator-bias) baseline.", sigmaSpec(res)],
    ["scores", "Prediction and decoding", "Held-out next-state accuracy vs persistence and marginal baselines; stimulus decoding vs chance.", scoresSpec(res)],
  ];
  return all.filter((f): f is [string, string, string, VlSpec] => f[3] !== null).map(([id, title, caption, spec]) => ({ id, title, caption, spec }));
}
