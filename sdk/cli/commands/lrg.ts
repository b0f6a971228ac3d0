import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import {
  init,
  createPool,
  laplacianRG,
  laplacianRGAsync,
  latentDiffusion,
  readGraph,
  PIPELINE_DEFAULTS,
  DgrnIOError,
  type LRGOptions,
  type LRGResult,
  type Graph,
} from "../../targets/node.js";
import { int, num, printJson, writeAtomic } from "../util.js";
import { ProgressView } from "../progress.js";
import { dflt, LRG_DEFAULTS } from "../defaults.js";
import { checkOneOf } from "../../validate.js";

interface Flags {
  graph: string;
  lrgGraph: "diffused" | "inferred";
  points: number;
  tauMin?: number;
  tauMax?: number;
  laplacian: "sym" | "out";
  rule: "rho" | "modes";
  method: "dense" | "slq" | "auto";
  allPairs?: boolean;
  undirected?: boolean;
  probes?: number;
  steps?: number;
  seed?: number;
  prominence?: number;
  flow: boolean;
  out?: string;
  json?: boolean;
  lowModes?: number;
  quiet?: boolean;
  workers: number;
}

/**
 * The graph the pipeline coarse-grains. A graph.json written by `dgrn infer`
 * holds the inferred edges and, in `options`, the latent diffusion its
 * communities were found on; `dgrn run` coarse-grains that diffused graph
 * (config `lrgGraph`), so `--lrg-graph diffused` recomputes it with the same
 * options (deterministic: the same bits as the pipeline's). Any other file is
 * coarse-grained as it is.
 */
function pipelineGraph(g: Graph, bytes: Uint8Array, which: string): Graph {
  checkOneOf("--lrg-graph", which, ["diffused", "inferred"] as const);
  let options: { diffusionTau?: unknown } | undefined;
  try {
    options = (JSON.parse(new TextDecoder().decode(bytes)) as { options?: { diffusionTau?: unknown } }).options;
  } catch {
    return g; // CSV
  }
  const tau = options?.diffusionTau;
  if (which === "inferred" || typeof tau !== "number" || !(tau > 0) || g.source.length === 0) return g;
  return latentDiffusion(g, { tau });
}

const arr = (a: Float64Array | null) => (a ? Array.from(a) : null);

/** The JSON object `dgrn lrg --json` prints (supernodes as lists of input node ids). */
export function lrgJson(r: LRGResult, g: Graph): Record<string, unknown> {
  const id = (i: number) => (g.nodeIds ? g.nodeIds[i]! : i);
  return {
    n: r.n,
    method: r.method,
    components: r.components,
    tau: arr(r.tau),
    entropy: arr(r.entropy),
    specificHeat: arr(r.specificHeat),
    entropyError: arr(r.entropyError),
    specificHeatError: arr(r.specificHeatError),
    peaks: r.peaks.map((p) => ({
      tau: p.tau,
      C: p.C,
      prominence: p.prominence,
      CError: p.CError ?? 0,
      tauLow: p.tauLow ?? p.tau,
      tauHigh: p.tauHigh ?? p.tau,
    })),
    finiteSizePeaks: r.finiteSizePeaks.map((p) => ({ tau: p.tau, C: p.C, CError: p.CError ?? 0 })),
    fiedlerTime: r.fiedlerTime,
    finestTime: r.finestTime,
    slq: r.slq
      ? {
          ...r.slq,
          specificHeatNoise: Array.from(r.slq.specificHeatNoise),
          specificHeatQuadrature: Array.from(r.slq.specificHeatQuadrature),
        }
      : null,
    flow: {
      n0: r.flow.n0,
      stopReason: r.flow.stopReason,
      steps: r.flow.steps.map((s) => {
        const members: number[][] = Array.from({ length: s.n }, () => []);
        s.assignment.forEach((a, i) => members[a]!.push(id(i)));
        return { tau: s.tau, n: s.n, supernodes: members, groups: s.groups };
      }),
    },
    levels: r.levels.map((l) => ({
      n: l.n,
      method: l.method,
      tau: arr(l.tau),
      entropy: arr(l.entropy),
      specificHeat: arr(l.specificHeat),
      peaks: l.peaks.map((p) => ({ tau: p.tau, C: p.C })),
      finiteSizePeaks: l.finiteSizePeaks.map((p) => ({ tau: p.tau, C: p.C })),
      fiedlerTime: l.fiedlerTime,
      finestTime: l.finestTime,
    })),
    options: r.options,
  };
}

/** `dgrn lrg`: Laplacian renormalization of a graph file. */
export function register(program: Command): void {
  program
    .command("lrg")
    .description("Laplacian renormalization of a graph: S(τ), C(τ), scales, supernodes and the RG flow")
    .requiredOption(
      "--graph <file>",
      "graph file: JSON { n, edges: [[i, j, w], ...], directed } or CSV source,target,weight",
    )
    .option(
      "--lrg-graph <which>",
      "for a graph.json of `dgrn infer`: coarse-grain its latent-diffusion graph (diffused, as `dgrn run` does) or the inferred one",
      PIPELINE_DEFAULTS.lrgGraph,
    )
    .option("--points <n>", "points of the log-spaced τ grid", int, LRG_DEFAULTS.points)
    .option("--tau-min <a>", "first τ (default 0.1/λ_max)", num)
    .option("--tau-max <b>", "last τ (default 10/λ_2)", num)
    .option(
      "--laplacian <kind>",
      "sym (D − (A+Aᵀ)/2) or out (D_out − A; symmetric graphs only)",
      LRG_DEFAULTS.laplacian,
    )
    .option(
      "--rule <rule>",
      "supernode rule: rho (ρ′ ≥ 1) or modes (mode elimination); the default is the pipeline's",
      PIPELINE_DEFAULTS.lrg.rule ?? LRG_DEFAULTS.rule,
    )
    .option("--method <m>", "dense, slq or auto (dense up to 2,000 nodes)", LRG_DEFAULTS.method)
    .option("--all-pairs", "ρ′ rule over every pair, not only graph edges (dense only)")
    .option("--undirected", "read the file as undirected (CSV files are directed by default)")
    .option("--probes <k>", "SLQ probes", int)
    .option("--steps <k>", "Lanczos steps (SLQ and Krylov)", int)
    .option("--seed <s>", "seed of the SLQ probes", int, LRG_DEFAULTS.seed)
    .option("--prominence <p>", `peak prominence threshold, relative to max C${dflt(LRG_DEFAULTS.prominence)}`, num)
    .option("--low-modes <k>", "SLQ: exact low modes to start from (default by size)", int)
    .option(
      "--workers <n>",
      "SLQ: worker threads for λ_max (beside the low modes) and the probes; the same bits for any number; 0 = none",
      int,
      0,
    )
    .option("--quiet", "no progress on stderr")
    .option("--no-flow", "curves and scales only")
    .option("--out <file>", "also write the JSON result to a file")
    .option("--json", "print one JSON object")
    .action(async (f: Flags) => {
      await init();
      let bytes: Uint8Array;
      try {
        bytes = await readFile(f.graph);
      } catch (e) {
        throw new DgrnIOError(`cannot read graph file "${f.graph}": ${(e as Error).message}`, { cause: e });
      }
      const read = readGraph(bytes, {
        duplicates: "sum",
        selfLoops: "drop",
        ...(f.undirected ? { directed: false } : {}),
      });
      const g = pipelineGraph(read, bytes, f.lrgGraph);
      const opts: LRGOptions = {
        points: f.points,
        laplacian: f.laplacian,
        rule: f.rule,
        method: f.method,
        flow: f.flow,
      };
      if (f.tauMin !== undefined) opts.tauMin = f.tauMin;
      if (f.tauMax !== undefined) opts.tauMax = f.tauMax;
      if (f.allPairs) opts.restrictToEdges = false;
      if (f.probes !== undefined) opts.probes = f.probes;
      if (f.steps !== undefined) opts.steps = f.steps;
      if (f.seed !== undefined) opts.seed = f.seed;
      if (f.prominence !== undefined) opts.prominence = f.prominence;
      if (f.lowModes !== undefined) opts.lowModes = f.lowModes;
      const view = new ProgressView(!!f.quiet);
      opts.onProgress = (fraction, message) => view.update({ stage: "lrg", index: 0, count: 1, fraction, message });
      let r: LRGResult;
      try {
        if (f.workers > 0) {
          const pool = await createPool({ workers: f.workers });
          try {
            r = await laplacianRGAsync(g, opts, pool);
          } finally {
            await pool.close();
          }
        } else r = laplacianRG(g, opts);
      } finally {
        view.stop();
      }
      const out = lrgJson(r, g);
      if (f.out) await writeAtomic(f.out, JSON.stringify(out) + "\n");
      if (f.json) {
        printJson(out);
        return;
      }
      const fmt = (x: number | null) => (x === null ? "-" : x.toPrecision(4));
      const lines = [
        `graph    ${r.n} nodes, ${r.components} component(s), method ${r.method}`,
        `times    finest 1/λ_max = ${fmt(r.finestTime)}, Fiedler 1/λ_2 = ${fmt(r.fiedlerTime)}`,
        `peaks    ${r.peaks.map((p) => `τ* = ${fmt(p.tau)} (C = ${p.C.toFixed(3)}${p.CError ? ` ± ${p.CError.toFixed(3)}` : ""})`).join(", ") || "none"}`,
        ...(r.finiteSizePeaks.length
          ? [
              `finite   ${r.finiteSizePeaks.map((p) => `τ = ${fmt(p.tau)} (C = ${p.C.toFixed(3)})`).join(", ")} (finite-size: the lowest modes beyond the Fiedler time, no gap above them; not a scale)`,
            ]
          : []),
        ...(r.slq
          ? [
              `slq      ${r.slq.lowModes} exact low modes + ${r.slq.probes} probes × ${r.slq.steps} Lanczos steps; λ_2 = ${r.slq.lambda2.toPrecision(10)} (residual ${r.slq.lambda2Residual.toExponential(1)})`,
              ...r.slq.warnings.map((w) => `warning  ${w}`),
            ]
          : []),
        `flow     ${[r.n, ...r.flow.steps.map((s) => s.n)].join(" → ")} nodes`,
        ...r.flow.steps.map((s, k) => `  step ${k + 1}  τ* = ${fmt(s.tau)}  → ${s.n} supernodes`),
        `stopped  ${r.flow.stopReason}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
