/**
 * Vega-Lite specs for every figure of the report. Pure functions from results
 * to specs: the same specs render to SVG in Node (report.html) and live in a
 * browser (the web page), so both show the same plots.
 *
 * @module
 */
import type { PipelineResults } from "../pipeline/results.js";
import type { ReportExtras } from "../pipeline/extras.js";

/** A Vega-Lite specification (kept loose: vega-lite's own types are not part of our API). */
export type VlSpec = Record<string, unknown>;

/** One figure of the report. */
export interface Figure {
  /** Stable id, used as the HTML element id (`fig-<id>`). */
  id: string;
  /** Human title, also the SVG's title. */
  title: string;
  /** One sentence on how to read it: what to look at. */
  caption: string;
  spec: VlSpec;
  /** Drawn at the full width of the page. */
  wide?: boolean;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const W = 520;
/** Width of a full-width figure. */
const WIDE = 980;
const H = 260;

/** Fixed colours per series, the same in every report (Tableau 10 order). */
export const SERIES_COLORS: Readonly<Record<string, string>> = Object.freeze({
  "entropy S(τ)": "#4e79a7",
  "specific heat C(τ)": "#e15759",
  "bond dimension": "#4e79a7",
  "entanglement (nats)": "#f28e2b",
  "Markov (coarse words)": "#e15759",
  persistence: "#4e79a7",
  marginal: "#9c9c9c",
  decoding: "#59a14f",
  chance: "#9c9c9c",
  "σ (95 % CI)": "#e15759",
  "surrogate band": "#bab0ac",
});
const colorOf = (names: string[]) => ({ domain: names, range: names.map((n) => SERIES_COLORS[n] ?? "#333") });
const nodeCount = (n: number) => `${n} ${n === 1 ? "node" : "nodes"}`;
const base = (title: string, rest: VlSpec): VlSpec => ({
  $schema: SCHEMA,
  title: { text: title, anchor: "start", fontSize: 14 },
  width: W,
  height: H,
  config: {
    view: { stroke: null },
    axis: { labelFontSize: 11, titleFontSize: 12 },
    legend: { labelLimit: 400 },
    header: { labelLimit: 400 },
    font: "sans-serif",
  },
  ...rest,
});

/** The whole recording as a rate image (downsampled; the cell size stated in the title). */
export function densitySpec(extras: ReportExtras): VlSpec | null {
  const d = extras.density;
  if (!d || d.cells.length === 0) return null;
  const values = d.cells.map((c) => ({
    t0: c.c * d.cellSeconds,
    t1: (c.c + 1) * d.cellSeconds,
    r0: c.r * d.cellNeurons,
    r1: Math.min(d.nNeurons, (c.r + 1) * d.cellNeurons),
    rate: c.rate,
  }));
  const cell = `${roundTo(d.cellSeconds)} s × ${d.cellNeurons === 1 ? "1 neuron" : `${d.cellNeurons} neurons`}`;
  return base(`Whole recording, ${roundTo(d.window[0])}–${roundTo(d.window[1])} s: firing rate per cell of ${cell}`, {
    width: WIDE,
    height: 300,
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: { field: "t0", type: "quantitative", title: "time (s)", scale: { domain: d.window, nice: false } },
      x2: { field: "t1" },
      y: {
        field: "r0",
        type: "quantitative",
        title: "neuron (community order)",
        scale: { domain: [0, d.nNeurons], reverse: true, nice: false },
      },
      y2: { field: "r1" },
      color: { field: "rate", type: "quantitative", title: "rate (Hz)", scale: { scheme: "greys", type: "sqrt" } },
    },
  });
}

/** Spike raster of the observed neurons in a detail window (stated in the title), rows in community order. */
export function rasterSpec(extras: ReportExtras): VlSpec | null {
  const r = extras.raster;
  if (!r || r.t.length === 0) return null;
  const values = Array.from(r.t, (t, i) => ({ t, row: r.row[i] }));
  return base(
    `Spike raster, ${roundTo(r.window[0])}–${roundTo(r.window[1])} s (every spike; ${r.nRows} ${r.nRows === 1 ? "neuron" : "neurons"} in community order)`,
    {
      width: WIDE,
      height: 320,
      data: { values },
      mark: { type: "tick", orient: "vertical", thickness: 1, size: Math.max(2, Math.min(8, 320 / r.nRows)) },
      encoding: {
        x: { field: "t", type: "quantitative", title: "time (s)", scale: { domain: r.window, nice: false } },
        y: {
          field: "row",
          type: "quantitative",
          title: "neuron (community order)",
          scale: { domain: [0, r.nRows], reverse: true },
        },
        color: { value: "#222" },
      },
    },
  );
}

/** A number rounded to 3 significant digits, as a number (for titles). */
function roundTo(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(3));
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
  for (let a = 0; a < cells; a++)
    for (let b = 0; b < cells; b++)
      if (grid[a * cells + b]! > 0) values.push({ src: a, dst: b, w: grid[a * cells + b]! });
  const title =
    g.edgesOmitted !== undefined && g.edgesOmitted > 0
      ? `Inferred graph: adjacency in community order (the ${g.edges.length.toLocaleString("en-US")} heaviest of ${g.nEdges.toLocaleString("en-US")} edges)`
      : "Inferred graph: adjacency in community order";
  return base(title, {
    width: 360,
    height: 360,
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: {
        field: "dst",
        type: "ordinal",
        title: size === 1 ? "target" : `target (blocks of ${size.toFixed(1)} nodes)`,
        axis: { labels: false, ticks: false },
        scale: { domain: Array.from({ length: cells }, (_, i) => i) },
      },
      y: {
        field: "src",
        type: "ordinal",
        title: "source",
        axis: { labels: false, ticks: false },
        scale: { domain: Array.from({ length: cells }, (_, i) => i) },
      },
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
          x: {
            field: "tau",
            type: "quantitative",
            scale: { type: "log" },
            title: "diffusion time τ (graph units: 1 / edge weight)",
          },
          y: { field: "value", type: "quantitative", title: "S (normalised to [0, 1]), C" },
          color: {
            field: "curve",
            type: "nominal",
            title: null,
            legend: { orient: "top-right" },
            scale: colorOf(["entropy S(τ)", "specific heat C(τ)"]),
          },
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
      {
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "step", type: "ordinal", title: "RG step" },
          y: { field: "n", type: "quantitative", scale: { type: "log" }, title: "nodes" },
        },
      },
      {
        mark: { type: "text", dy: -10 },
        encoding: {
          x: { field: "step", type: "ordinal" },
          y: { field: "n", type: "quantitative" },
          text: { field: "n" },
        },
      },
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
    for (let i = 0; i < s.n; i++)
      nodes.push({ step: `step ${k + 1} (${nodeCount(s.n)})`, x: xy(i)[0], y: xy(i)[1], members: size[i] });
    const wmax = s.metagraph.edges.reduce((m, e) => Math.max(m, e[2]), 0) || 1;
    for (const [i, j, w] of s.metagraph.edges) {
      if (i === j) continue;
      links.push({
        step: `step ${k + 1} (${nodeCount(s.n)})`,
        x: xy(i)[0],
        y: xy(i)[1],
        x2: xy(j)[0],
        y2: xy(j)[1],
        w: w / wmax,
      });
    }
  });
  const axis = {
    x: { field: "x", type: "quantitative", axis: null, scale: { domain: [-1.2, 1.2] } },
    y: { field: "y", type: "quantitative", axis: null, scale: { domain: [-1.2, 1.2] } },
  };
  return {
    $schema: SCHEMA,
    title: { text: "RG flow: metagraphs per step", anchor: "start", fontSize: 14 },
    config: { view: { stroke: "#ddd" }, font: "sans-serif" },
    data: { values: [] },
    hconcat: steps.map((s, k) => {
      const name = `step ${k + 1} (${nodeCount(s.n)})`;
      return {
        width: 180,
        height: 180,
        title: name,
        layer: [
          {
            data: { values: links.filter((l) => l.step === name) },
            mark: { type: "rule", color: "#8aa" },
            encoding: {
              ...axis,
              x2: { field: "x2" },
              y2: { field: "y2" },
              opacity: { field: "w", type: "quantitative", legend: null, scale: { range: [0.1, 0.9] } },
            },
          },
          {
            data: { values: nodes.filter((v) => v.step === name) },
            mark: { type: "circle", color: "#2c5d8a", opacity: 0.9 },
            encoding: {
              ...axis,
              size: { field: "members", type: "quantitative", title: "members", scale: { range: [20, 400] } },
            },
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
      row: {
        field: "quantity",
        type: "nominal",
        title: null,
        header: { labelAngle: 0, labelAlign: "left", labelFontSize: 12 },
      },
      color: {
        field: "quantity",
        type: "nominal",
        legend: null,
        scale: colorOf(["bond dimension", "entanglement (nats)"]),
      },
    },
    width: WIDE - 140,
    height: 140,
    resolve: { scale: { y: "independent" } },
  });
}

/** Held-out NLL vs parameters: the Born MPS per bond cap (validation) and the chosen model and baselines (test). */
export function compressionSpec(res: PipelineResults): VlSpec | null {
  const t = res.tn;
  const sw = t?.sweep ?? [];
  if (sw.length === 0 || !t.mps.baselines) return null;
  const values: { params: number; nll: number; label: string; series: string }[] = [];
  for (const s of sw)
    if (s.validation !== null)
      values.push({ params: s.params, nll: s.validation, label: `χ ≤ ${s.maxBond}`, series: "Born MPS (validation)" });
  const add = (label: string, params: number, nll: number | null) => {
    if (nll !== null) values.push({ params, nll, label, series: "test" });
  };
  add("Born MPS", t.mps.params + t.mps.log2FullSize, t.mps.nll.test);
  add("product", t.mps.baselines.product.params, t.mps.baselines.product.test);
  add("Chow–Liu", t.mps.baselines.chowLiu.params, t.mps.baselines.chowLiu.test);
  add(
    `mixture K=${t.mps.baselines.mixture.components ?? "?"}`,
    t.mps.baselines.mixture.params,
    t.mps.baselines.mixture.test,
  );
  return base(`DTNR: held-out NLL vs parameters (full state space 2^${t.mps.log2FullSize})`, {
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true, color: "#4e79a7" },
        encoding: {
          x: { field: "params", type: "quantitative", scale: { type: "log" }, title: "parameters" },
          y: {
            field: "nll",
            type: "quantitative",
            scale: { type: "linear", zero: false },
            title: "NLL (bits per bin)",
          },
          color: { field: "series", type: "nominal", title: null },
        },
      },
      {
        mark: { type: "text", dx: 18, dy: -6, fontSize: 10 },
        encoding: {
          x: { field: "params", type: "quantitative" },
          y: { field: "nll", type: "quantitative" },
          text: { field: "label" },
        },
      },
    ],
  });
}

/** Held-out entropy of the coarse variables per scale: three panels (total, per variable, ratio to the microscale), one axis title each. */
export function scaleEntropySpec(res: PipelineResults): VlSpec | null {
  const sc = res.tn?.scales ?? [];
  const values = sc.map((s) => ({
    step: s.step,
    units: s.n,
    entropy: s["entropy"],
    perUnit: s["entropyPerUnit"],
    ratio: s["ratio"],
  }));
  if (values.every((v) => typeof v.entropy !== "number")) return null;
  const panel = (field: string, title: string) => ({
    width: Math.round((W - 80) / 3),
    height: 150,
    mark: { type: "line", point: true, color: "#4e79a7" },
    encoding: {
      x: { field: "step", type: "ordinal", title: "RG step" },
      y: { field, type: "quantitative", title },
      tooltip: [
        { field: "units", title: "units" },
        { field, format: ".3~g" },
      ],
    },
  });
  return {
    ...base("Entropy across scales", {}),
    width: undefined,
    height: undefined,
    data: { values: values.filter((v) => typeof v.entropy === "number") },
    hconcat: [
      panel("entropy", "Ĥ(Y_ℓ), bits per bin"),
      panel("perUnit", "Ĥ(Y_ℓ) per coarse variable, bits"),
      panel("ratio", "R_ℓ = Ĥ(Y_ℓ)/Ĥ(X)"),
    ],
  };
}

/** Entropy production σ per scale: estimate with its 95 % interval, beside the surrogate band. */
export function sigmaSpec(res: PipelineResults): VlSpec | null {
  const sc = res.dynamics?.scales ?? [];
  if (sc.length === 0) return null;
  const values = sc.map((s) => ({
    step: s.step,
    label: `${s.step} (${nodeCount(s.n)})`,
    sigma: s["sigmaCorrected"] ?? s["sigma"],
    lo: s["sigmaCiLo"] ?? s["sigmaCorrected"] ?? s["sigma"],
    hi: s["sigmaCiHi"] ?? s["sigmaCorrected"] ?? s["sigma"],
    bandLo: s["sigmaBaselineLo"],
    bandHi: s["sigmaBaselineHi"],
    kind:
      s["sigmaPairs"] === 0
        ? "not estimable (no pair seen both ways)"
        : s["sigmaLowerBound"]
          ? "lower bound (one-way pairs left out)"
          : "estimate",
  }));
  const x = { field: "label", type: "ordinal", title: "RG step (units)", sort: null, axis: { labelAngle: 0 } };
  return base("Entropy production σ per scale: estimate, 95 % interval, surrogate band", {
    data: { values },
    layer: [
      {
        mark: { type: "bar", opacity: 0.35, color: SERIES_COLORS["surrogate band"], width: { band: 0.6 } },
        encoding: {
          x,
          y: { field: "bandLo", type: "quantitative", title: "σ (nats per bin)" },
          y2: { field: "bandHi" },
        },
      },
      {
        mark: { type: "rule", color: SERIES_COLORS["σ (95 % CI)"], strokeWidth: 2 },
        encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        mark: { type: "point", size: 70, filled: true },
        encoding: {
          x,
          y: { field: "sigma", type: "quantitative" },
          shape: {
            field: "kind",
            type: "nominal",
            title: null,
            scale: {
              domain: ["estimate", "lower bound (one-way pairs left out)", "not estimable (no pair seen both ways)"],
              range: ["circle", "triangle-up", "cross"],
            },
            legend: { orient: "bottom" },
          },
          color: { value: SERIES_COLORS["σ (95 % CI)"] },
        },
      },
    ],
  });
}

/** Per-unit prediction per non-trivial scale: bits per unit per bin gained over the product of marginals, and balanced accuracy. */
export function predictionSpec(res: PipelineResults): VlSpec | null {
  const sc = res.dynamics?.scales ?? [];
  type U = { trivial: boolean; bits: Record<string, number | null>; balancedAccuracy: Record<string, number | null> };
  const rows = sc.filter((s) => s["unitPrediction"] && !(s["unitPrediction"] as U).trivial);
  if (rows.length === 0) return null;
  const names: [string, string][] = [
    ["markov", "Markov (coarse words)"],
    ["persistence", "persistence"],
    ["marginal", "marginal"],
  ];
  const gain: Record<string, unknown>[] = [];
  const bal: Record<string, unknown>[] = [];
  for (const s of rows) {
    const u = s["unitPrediction"] as U;
    const label = `${s.step} (${nodeCount(s.n)})`;
    for (const [k, name] of names) {
      const b = u.bits[k];
      const m = u.bits["marginal"];
      if (k !== "marginal" && typeof b === "number" && typeof m === "number")
        gain.push({ label, model: name, value: b - m });
      const a = u.balancedAccuracy[k];
      if (typeof a === "number") bal.push({ label, model: name, value: a });
    }
  }
  const x = { field: "label", type: "ordinal", title: "RG step (units)", sort: null, axis: { labelAngle: 0 } };
  const color = {
    field: "model",
    type: "nominal",
    title: null,
    scale: colorOf(names.map((n) => n[1])),
    legend: { orient: "bottom" },
  };
  return {
    ...base("Next-bin prediction per unit (held-out last 20 %)", {}),
    width: undefined,
    height: undefined,
    hconcat: [
      {
        width: W - 60,
        height: 220,
        data: { values: gain },
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              x,
              xOffset: { field: "model" },
              y: { field: "value", type: "quantitative", title: "bits per unit per bin vs marginal" },
              color,
            },
          },
          {
            data: { values: [{ y: 0 }] },
            mark: { type: "rule", color: "#555" },
            encoding: { y: { field: "y", type: "quantitative" } },
          },
        ],
      },
      {
        width: W - 60,
        height: 220,
        data: { values: bal },
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              x,
              xOffset: { field: "model" },
              y: {
                field: "value",
                type: "quantitative",
                title: "balanced accuracy (mean over units)",
                scale: { domain: [0, 1] },
              },
              color,
            },
          },
          {
            data: { values: [{ y: 0.5 }] },
            mark: { type: "rule", strokeDash: [4, 3], color: "#555" },
            encoding: { y: { field: "y", type: "quantitative" } },
          },
        ],
      },
    ],
  };
}

/** Stimulus decoding per scale: cross-validated accuracy with its 95 % interval, against chance. */
export function decodingSpec(res: PipelineResults): VlSpec | null {
  const sc = (res.dynamics?.scales ?? []).filter((s) => typeof s["decodingAccuracy"] === "number");
  if (sc.length === 0) return null;
  const values = sc.map((s) => ({
    label: `${s.step} (${nodeCount(s.n)})`,
    acc: s["decodingAccuracy"],
    lo: s["decodingCiLo"] ?? s["decodingAccuracy"],
    hi: s["decodingCiHi"] ?? s["decodingAccuracy"],
    chance: s["decodingChance"],
  }));
  const x = { field: "label", type: "ordinal", title: "RG step (units)", sort: null, axis: { labelAngle: 0 } };
  return base("Stimulus decoding per scale (cross-validated, 95 % interval over folds)", {
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: SERIES_COLORS["decoding"], width: { band: 0.5 } },
        encoding: { x, y: { field: "acc", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] } } },
      },
      {
        mark: { type: "rule", color: "#1d1d1d", strokeWidth: 1.5 },
        encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        mark: { type: "tick", color: "#e15759", thickness: 3, size: 50 },
        encoding: { x, y: { field: "chance", type: "quantitative" } },
      },
    ],
  });
}

/** Every figure of the report, in order; figures whose data is absent are left out. */
export function figures(res: PipelineResults, extras: ReportExtras = {}): Figure[] {
  const tau = res.lrg.peaks.length ? `τ* = ${res.lrg.peaks.map((p) => roundTo(p.tau)).join(", ")}` : "no τ*";
  const all: Array<[string, string, string, VlSpec | null, boolean]> = [
    [
      "raster",
      "Spike raster: the whole recording",
      "Firing rate of the observed neurons over the whole recording, rows in community order: look for horizontal bands (co-active communities) and for drifts or silent stretches in time.",
      densitySpec(extras),
      true,
    ],
    [
      "raster-detail",
      "Spike raster: detail",
      "Every spike in the window stated in the title, rows in community order: bursts that span a band are a community firing together.",
      rasterSpec(extras),
      true,
    ],
    [
      "adjacency",
      "Inferred adjacency",
      "Directed weights (rows = source) block-averaged in community order: dark diagonal blocks are communities; off-diagonal blocks are links between them.",
      adjacencySpec(res),
      false,
    ],
    [
      "entropy",
      "Entropy and specific heat",
      `Peaks of C(τ) (dashed, ${tau}) mark the diffusion times at which structure is resolved; S falls from 1 to 0 as diffusion spreads over the graph.`,
      entropySpec(res),
      false,
    ],
    [
      "flow",
      "RG flow: node counts",
      "Nodes left after each coarse-graining step: a flow that drops straight to one node has skipped the mesoscale.",
      flowCountsSpec(res),
      false,
    ],
    [
      "metagraphs",
      "RG flow: metagraphs",
      "Supernodes of each step (size = members) and the summed weights between them: the coarse network each step leaves.",
      metagraphSpec(res),
      true,
    ],
    [
      "bonds",
      "Bond dimensions and entanglement",
      "Bond dimension and Born-form entanglement entropy across the MPS in community order: bonds at the cap χ are where the compression is limited.",
      bondSpec(res),
      true,
    ],
    [
      "compression",
      "Compression vs held-out likelihood",
      "Parameters against held-out negative log-likelihood (bits per bin): the Born MPS at each bond cap on validation, the chosen model and the baselines on test. Lower is better; a Born MPS above the product model has found nothing (see the warnings).",
      compressionSpec(res),
      false,
    ],
    [
      "scale-entropy",
      "Entropy per scale",
      "Best held-out cross-entropy Ĥ(Y_ℓ) of the coarse variables at each RG step (bits per bin), per coarse variable, and R_ℓ = Ĥ(Y_ℓ)/Ĥ(X): entropy is preserved across coarse-graining only where R_ℓ stays near 1.",
      scaleEntropySpec(res),
      true,
    ],
    [
      "sigma",
      "Entropy production per scale",
      "σ − 2β/N with its 95 % interval (delta method, batch-means variance) beside the grey surrogate band: only a σ whose interval clears the band shows irreversibility; triangles are lower bounds.",
      sigmaSpec(res),
      false,
    ],
    [
      "prediction",
      "Prediction per unit",
      "Bits per unit per bin that each model gains over the product of marginals (left; above 0 = better than marginals) and balanced accuracy (right; 0.5 = chance), on the held-out last 20 % of time; trivial scales (one variable) are left out.",
      predictionSpec(res),
      true,
    ],
    [
      "decoding",
      "Stimulus decoding",
      "Cross-validated accuracy of a multinomial logistic decoder per scale with its 95 % interval (black whiskers) and chance (red tick): a bar whose interval reaches the tick decodes nothing.",
      decodingSpec(res),
      false,
    ],
  ];
  return all
    .filter((f): f is [string, string, string, VlSpec, boolean] => f[3] !== null)
    .map(([id, title, caption, spec, wide]) => ({ id, title, caption, spec, ...(wide ? { wide: true } : {}) }));
}
