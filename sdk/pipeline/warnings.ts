/**
 * Every failure or weak result the pipeline can detect, read off the results:
 * one pure function from results to the warnings a reader must see (the
 * report's warnings box, the CLI after a run, results.json `warnings`).
 *
 * Other stages feed it by adding fields to the results; two generic hooks
 * need no change here:
 *
 * - a stage object (`results.<stage>`) or any object below `results.tn` may
 *   carry `fallback: string | string[]` — said verbatim as "<stage>: <text>";
 * - any object below `results.tn` with a numeric held-out `nll` and a
 *   product / independent baseline (`baselines.product`, `baselines.independent`,
 *   `productNll` or `independentNll`, a number or `{ nll }`) is compared with it
 *   (the Born-machine form of DTNR reports held-out NLL that way).
 *
 * @module
 */
import type { PipelineResults, ScaleSummary } from "./results.js";

/** Thresholds of the checks (ours; stated in docs/pipeline.md). */
export const WARNING_LIMITS = Object.freeze({
  /** A unit active in at least this fraction of bins is reported as saturated (a "phantom" unit: merged channels, noise). */
  saturatedFraction: 0.95,
  /** One-way transitions above this fraction make σ a lower bound (as in entropyProduction). */
  oneWayFraction: 0.01,
});

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const f3 = (v: number): string =>
  v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const stepList = (steps: number[]) => (steps.length === 1 ? `RG step ${steps[0]}` : `RG steps ${steps.join(", ")}`);

/**
 * The warnings of one run.
 *
 * @param res - the pipeline's results (after `sanitize`: non-finite values are null)
 * @returns one sentence per detected problem, in pipeline order; empty when nothing is wrong
 * @example
 * ```ts
 * const { results } = runPipeline();
 * detectWarnings(results); // e.g. ["DTNR: the MPS reached its bond cap …"]
 * ```
 */
export function detectWarnings(res: PipelineResults): string[] {
  const out: string[] = [];
  // Each check reads one stage's slice; a run with a custom stage table may lack some (docs/architecture.md).
  if (res.data) dataWarnings(res, out);
  fallbacks(res, out);
  if (res.graph) graphWarnings(res, out);
  if (res.lrg) lrgWarnings(res, out);
  if (res.tn) tnWarnings(res, out);
  if (res.dynamics) dynamicsWarnings(res, out);
  return out;
}

function dataWarnings(res: PipelineResults, out: string[]): void {
  const d = res.data as PipelineResults["data"] & { silentUnits?: number[]; saturatedUnits?: number[] };
  if (Array.isArray(d.silentUnits) && d.silentUnits.length > 0) {
    out.push(
      `data: ${plural(d.silentUnits.length, "observed unit")} never spiked (silent; neuron ids ${idList(d.silentUnits)}): they carry no information and inflate the unit count.`,
    );
  }
  if (Array.isArray(d.saturatedUnits) && d.saturatedUnits.length > 0) {
    out.push(
      `data: ${plural(d.saturatedUnits.length, "unit")} active in ≥ ${WARNING_LIMITS.saturatedFraction * 100} % of ${f3(d.binSize * 1000)} ms bins (phantom or merged channels? neuron ids ${idList(d.saturatedUnits)}).`,
    );
  }
}

const idList = (ids: number[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(", ")}, …` : ids.join(", "));

function fallbacks(res: PipelineResults, out: string[]): void {
  for (const [stage, v] of Object.entries(res as unknown as Record<string, unknown>)) {
    if (!v || typeof v !== "object" || Array.isArray(v)) continue;
    const fb = (v as { fallback?: unknown }).fallback;
    for (const text of Array.isArray(fb) ? fb : fb === undefined || fb === null ? [] : [fb])
      if (typeof text === "string" && text) out.push(`${stage}: ${text}`);
  }
}

function graphWarnings(res: PipelineResults, out: string[]): void {
  const g = res.graph;
  if (g.nEdges === 0)
    out.push(
      `graph: the inferred graph has no edges over ${plural(g.n, "node")}; communities and the RG flow are trivial.`,
    );
  const cap = g.diffusionCap;
  if (cap)
    out.push(
      `graph: latent diffusion's input degree cap cut ${plural(cap.nodesOver, "node")} of ${g.n} (up to ${cap.largestDegree} neighbours; each kept its ${cap.maxDegree} heaviest edges): the diffused weights and the RG flow's τ* are approximate (docs/graph.md §2: at N = 5,000–10,000 the same communities and supernodes as the uncapped diffusion, τ* 0.68–0.79× its value); config diffusion.maxDegree 0 diffuses every edge.`,
    );
  if (g.scores && num(g.scores.ari) && g.scores.ari < 0.1)
    out.push(`graph: the communities do not recover the simulated clusters (ARI ${f3(g.scores.ari)}).`);
}

function lrgWarnings(res: PipelineResults, out: string[]): void {
  const l = res.lrg;
  if (l.flow.length === 0)
    out.push(
      `RG flow: no coarse-graining step (${l.stopReason}); every scale-dependent result is the microscale only.`,
    );
  else if (/^no edges/.test(l.stopReason))
    out.push(
      `RG flow: stopped early: ${l.stopReason}: the graph couples none of the last supernodes (the partial estimator finds almost no weight between communities); config lrgGraph "coactivity" coarse-grains the co-activity graph instead.`,
    );
  else if (/^not coarse-grained/.test(l.stopReason)) out.push(`RG flow: stopped early: ${l.stopReason}.`);
  // SLQ levels (large graphs, or lrg.method "slq"): a wide error band, or too few exact low modes
  for (const w of l.slqWarnings ?? []) out.push(`RG curves (stochastic Lanczos quadrature): ${w}.`);
}

/** Objects below `tn` (depth ≤ 3) with their paths. */
function walk(
  v: unknown,
  path: string,
  depth: number,
  visit: (o: Record<string, unknown>, path: string) => void,
): void {
  if (!v || typeof v !== "object" || depth > 3) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1, visit));
    return;
  }
  const o = v as Record<string, unknown>;
  visit(o, path);
  for (const [k, x] of Object.entries(o)) if (x && typeof x === "object") walk(x, `${path}.${k}`, depth + 1, visit);
}

function baselineNll(o: Record<string, unknown>): { name: string; nll: number } | null {
  const b = o["baselines"] as Record<string, unknown> | undefined;
  const cands: [string, unknown][] = [
    ["product", b?.["product"]],
    ["independent", b?.["independent"]],
    ["product", o["productNll"]],
    ["independent", o["independentNll"]],
  ];
  for (const [name, v] of cands) {
    if (num(v)) return { name, nll: v };
    if (v && typeof v === "object" && num((v as { nll?: unknown }).nll))
      return { name, nll: (v as { nll: number }).nll };
  }
  return null;
}

/** What each simple baseline of the tn stage is called in a warning. */
const BASELINE_NAMES = {
  product: "independent model",
  chowLiu: "Chow–Liu tree",
  mixture: "mixture of products",
} as const;

/**
 * One warning naming every scale where a simple baseline (independent, Chow–Liu, mixture of products) predicts
 * held-out bins at least as well as the Born machine(s): from the `scales` rows' test NLL, or, without rows, from
 * the level-0 MPS block (test time, validation when there is no test block). A tie to 10⁻⁹ relative counts as
 * no better (a Born machine that reproduces the marginals equals the independent model up to rounding).
 */
function bornVsBaselines(t: PipelineResults["tn"], out: string[]): void {
  type Row = { step: number; born: unknown; base: Record<keyof typeof BASELINE_NAMES, unknown>; k: unknown };
  const rows: Row[] = [];
  if (Array.isArray(t.scales) && t.scales.length > 0) {
    for (const s of t.scales) {
      const h = s["heldOut"] as Record<string, unknown> | undefined;
      if (!h) continue;
      const tree = h["bornTree"];
      const born = num(tree) && num(h["born"]) ? Math.min(tree, h["born"]) : (h["born"] ?? tree);
      rows.push({
        step: s.step,
        born,
        base: { product: h["product"], chowLiu: h["chowLiu"], mixture: h["mixture"] },
        k: s["mixtureComponents"],
      });
    }
  } else if (t.mps?.nll && t.mps.baselines) {
    const b = t.mps.baselines;
    const which = num(t.mps.nll.test) && num(b.product?.test) ? "test" : "validation";
    rows.push({
      step: 0,
      born: t.mps.nll[which],
      base: { product: b.product?.[which], chowLiu: b.chowLiu?.[which], mixture: b.mixture?.[which] },
      k: b.mixture?.components,
    });
  }
  const hits: string[] = [];
  for (const r of rows) {
    if (!num(r.born)) continue;
    let best: [keyof typeof BASELINE_NAMES, number] | null = null;
    for (const name of Object.keys(BASELINE_NAMES) as (keyof typeof BASELINE_NAMES)[]) {
      const v = r.base[name];
      if (num(v) && (best === null || v < best[1])) best = [name, v];
    }
    if (!best) continue;
    const tol = 1e-9 * Math.max(1, Math.abs(best[1]));
    if (r.born < best[1] - tol) continue;
    const label =
      best[0] !== "mixture" || !num(r.k)
        ? BASELINE_NAMES[best[0]]
        : r.k === 1
          ? BASELINE_NAMES.product
          : `mixture of ${r.k} products`;
    const rel = r.born > best[1] + tol ? "<" : "=";
    hits.push(`step ${r.step} (${label} ${best[1].toFixed(2)} ${rel} Born ${r.born.toFixed(2)} bits/bin)`);
  }
  if (hits.length)
    out.push(
      `tn: a simple baseline predicts held-out bins at least as well as the Born machine at RG ${hits.join(", ")}: the tensor network adds no measurable joint structure beyond it there.`,
    );
}

function tnWarnings(res: PipelineResults, out: string[]): void {
  const t = res.tn as PipelineResults["tn"] & Record<string, unknown>;
  if (!t) return;
  const mps = t.mps;
  // the Born machine against the strongest simple baseline, at every scale (held-out time)
  bornVsBaselines(t, out);
  // the chosen bond cap is the largest one tried: the fit may be limited by the cap, not by the data
  if (Array.isArray(t.sweep) && t.sweep.length > 1 && t.sweep.every((c) => num(c.validation))) {
    const best = t.sweep.reduce((x, y) => (y.validation! < x.validation! ? y : x));
    const top = Math.max(...t.sweep.map((c) => c.maxBond));
    if (best.maxBond >= top)
      out.push(
        `tn: the bond cap chosen on validation is the largest tried (χ = ${top}); a larger cap might fit better.`,
      );
  }
  // exact (TT-SVD) form: Frobenius error above tolerance at the cap
  if (
    mps &&
    num(mps.relError) &&
    num(t.tol) &&
    Array.isArray(mps.bondDims) &&
    mps.relError > t.tol &&
    mps.bondDims.some((d) => d >= t.maxBond)
  ) {
    out.push(
      `DTNR: compression failed: the MPS reached its bond cap χ = ${t.maxBond} with relative error ${f3(mps.relError)} > tolerance ${f3(t.tol)}.`,
    );
  }
  // the Born-machine form: held-out NLL against the product model (hook; see the module comment)
  walk(t, "tn", 0, (o, path) => {
    if (o !== t && o["fallback"] !== undefined) {
      const fb = o["fallback"];
      for (const text of Array.isArray(fb) ? fb : [fb])
        if (typeof text === "string" && text) out.push(`${path}: ${text}`);
    }
    if (!num(o["nll"])) return;
    const b = baselineNll(o);
    if (b && o["nll"] >= b.nll) {
      out.push(
        `DTNR (${path}): held-out NLL ${f3(o["nll"] as number)} is no better than the ${b.name} model's ${f3(b.nll)}: the network learned nothing beyond the marginals.`,
      );
    }
    if (o["capped"] === true || o["atCap"] === true)
      out.push(`DTNR (${path}): the bond dimension reached its cap; the fit is limited by the cap, not by the data.`);
  });
}

function dynamicsWarnings(res: PipelineResults, out: string[]): void {
  const sc = (res.dynamics?.scales ?? []) as ScaleSummary[];
  const inBand: string[] = [];
  const lower: string[] = [];
  const noGain: string[] = [];
  const chance: string[] = [];
  const noSe: number[] = [];
  const noPairs: number[] = [];
  const trivial: number[] = [];
  for (const s of sc) {
    const sigma = s["sigma"];
    const hi = s["sigmaBaselineHi"];
    if (s["sigmaPairs"] === 0) noPairs.push(s.step);
    else if (num(sigma) && num(hi) && sigma <= hi) inBand.push(`${s.step} (σ = ${f3(sigma)} ≤ band top ${f3(hi)})`);
    if (s["sigmaLowerBound"] === true && s["sigmaPairs"] !== 0)
      lower.push(`${s.step} (${f3(100 * (s["sigmaOneWayFraction"] as number))} % one-way)`);
    if (num(sigma) && s["sigmaSe"] === null && s["sigmaPairs"] !== 0) noSe.push(s.step);
    const u = s["unitPrediction"] as { trivial?: boolean; bits?: { markov?: unknown; marginal?: unknown } } | undefined;
    if (u?.trivial) trivial.push(s.step);
    else if (u && num(u.bits?.markov) && num(u.bits?.marginal) && u.bits!.markov <= u.bits!.marginal) {
      noGain.push(
        `${s.step} (${f3(u.bits!.markov as number)} vs ${f3(u.bits!.marginal as number)} bits per unit per bin)`,
      );
    }
    const acc = s["decodingAccuracy"];
    const lo = s["decodingMarginCiLo"];
    if (num(acc) && (num(lo) ? lo <= 0 : num(s["decodingMargin"]) && (s["decodingMargin"] as number) <= 0)) {
      const ci =
        num(s["decodingCiLo"]) && num(s["decodingCiHi"])
          ? `, 95 % CI ${f3(s["decodingCiLo"] as number)}–${f3(s["decodingCiHi"] as number)}`
          : "";
      chance.push(`${s.step} (accuracy ${f3(acc)}${ci}, chance ${f3(s["decodingChance"] as number)})`);
    }
  }
  if (inBand.length)
    out.push(
      `dynamics: σ is inside its surrogate band at RG ${inBand.length === 1 ? "step" : "steps"} ${inBand.join(", ")}: no irreversibility detectable there.`,
    );
  if (noPairs.length)
    out.push(
      `dynamics: no pair of states is seen in both directions at ${stepList(noPairs)}: σ is not estimable there (written as 0).`,
    );
  if (lower.length)
    out.push(
      `dynamics: σ is a lower bound at RG ${lower.length === 1 ? "step" : "steps"} ${lower.join(", ")}: pairs seen in one direction only are left out.`,
    );
  if (noSe.length) out.push(`dynamics: too few transitions for a standard error of σ at ${stepList(noSe)}.`);
  if (noGain.length)
    out.push(
      `prediction: the coarse Markov model's held-out likelihood is no better than the product of marginals at RG ${noGain.length === 1 ? "step" : "steps"} ${noGain.join(", ")}.`,
    );
  if (trivial.length)
    out.push(
      `prediction: trivial at ${stepList(trivial)} (one variable, or no variable ever changes): scores there are not evidence and are not plotted.`,
    );
  if (chance.length)
    out.push(`decoding: at chance at RG ${chance.length === 1 ? "step" : "steps"} ${chance.join(", ")}.`);
}
