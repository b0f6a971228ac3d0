import type { Command } from "commander";
import { checkNumber } from "../../validate.js";
import { readFile } from "node:fs/promises";
import {
  init,
  fitBorn,
  crossValidateBorn,
  checkFlow,
  npyBytes,
  ttEvaluate,
  tensorTrain,
  treeTensorNetwork,
  ttSummary,
  DgrnFormatError,
  DgrnIOError,
  DgrnTypeError,
  ErrorCode,
  type RGFlow,
} from "../../targets/node.js";
import { int, num, printJson, writeAtomic } from "../util.js";
import { readStatesFile } from "../states-file.js";

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DgrnIOError(`cannot read \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
}

function parseJson(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DgrnFormatError(`invalid JSON \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
}

interface TnCliOptions {
  states: string;
  test?: string;
  order?: string;
  flow?: string;
  model: string;
  tol: number;
  maxBond?: number;
  born?: boolean;
  eval?: string;
  evalOut?: string;
  seed: number;
  refit?: boolean;
  folds?: number;
  maxNodeBits?: number;
  json?: boolean;
}

/**
 * `--flow`: an RG flow from any of the JSON files the tools write — the output
 * of `dgrn lrg --json` (its `flow`), a results.json (its `lrg.flow` steps and
 * `lrg.stopReason`), a bare RGFlow `{ n0, steps }` or a bare array of steps.
 * Each step needs `groups`; assignments are rebuilt from the groups (so a
 * flow without them, as `dgrn lrg --json` prints it, is accepted) and the
 * whole is checked with the one validator, checkFlow, against `n` columns.
 */
export function parseFlow(value: unknown, n: number, path: string): RGFlow {
  const v = value as Record<string, unknown> | null;
  let steps: unknown = null;
  let stopReason = "from file";
  const lrg =
    v && typeof v === "object" && !Array.isArray(v) ? (v.lrg as Record<string, unknown> | undefined) : undefined;
  if (Array.isArray(value)) steps = value;
  else if (lrg && Array.isArray(lrg.flow)) {
    steps = lrg.flow;
    if (typeof lrg.stopReason === "string") stopReason = lrg.stopReason;
  } else if (
    v &&
    typeof v === "object" &&
    v.flow &&
    typeof v.flow === "object" &&
    Array.isArray((v.flow as { steps?: unknown }).steps)
  ) {
    steps = (v.flow as { steps: unknown }).steps;
    const sr = (v.flow as { stopReason?: unknown }).stopReason;
    if (typeof sr === "string") stopReason = sr;
  } else if (v && typeof v === "object" && Array.isArray(v.steps)) {
    steps = v.steps;
    if (typeof v.stopReason === "string") stopReason = v.stopReason;
  }
  if (!Array.isArray(steps))
    throw new DgrnTypeError(
      `invalid argument. \`--flow\` must be the JSON of \`dgrn lrg --json\`, a results.json (its \`lrg.flow\`), or an RGFlow { n0, steps: [{ groups }] }. Value: \`${path}\`.`,
    );
  let assign = Int32Array.from({ length: n }, (_, i) => i);
  const out = (steps as { tau?: unknown; groups?: unknown }[]).map((s, k) => {
    const groups = s?.groups;
    if (!Array.isArray(groups) || !groups.every((g) => Array.isArray(g)))
      throw new DgrnTypeError(
        `invalid argument. \`--flow\` step ${k} must have \`groups\` (an array of arrays of node indices). Value: \`${path}\`.`,
      );
    const size = (groups as unknown[][]).reduce((a, g) => a + g.length, 0);
    const of = new Int32Array(size).fill(-1);
    (groups as number[][]).forEach((g, j) =>
      g.forEach((i) => {
        if (Number.isInteger(i) && i >= 0 && i < size) of[i] = j;
      }),
    );
    assign = Int32Array.from(assign, (a) => (a >= 0 && a < size ? of[a]! : -1));
    return {
      tau: typeof s.tau === "number" ? s.tau : k + 1,
      n: groups.length,
      groups: groups as number[][],
      assignment: assign,
    };
  });
  return checkFlow("--flow", { n0: n, steps: out, stopReason }, n);
}

/** `--order`: a bare JSON array, or an object with an `order` field (the graph.json of `dgrn infer`). */
export function parseOrder(value: unknown, path: string): number[] {
  const v = Array.isArray(value) ? value : (value as { order?: unknown } | null)?.order;
  if (!Array.isArray(v))
    throw new DgrnTypeError(
      `invalid argument. \`--order\` must be a JSON array of column indices or a graph.json with an \`order\` array. Value: \`${path}\`.`,
    );
  return v as number[];
}

function log2Of(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! > 0 ? Math.log2(p[i]!) : -Infinity;
  return out;
}

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/** `dgrn tn`: a tensor train (and optionally a tree network along a flow) of a states file. */
export function register(program: Command): void {
  program
    .command("tn")
    .description(
      "generative model of binary states: a Born machine MPS trained by maximum likelihood (held-out NLL vs baselines), or TT-SVD of an exactly known distribution",
    )
    .requiredOption("--states <file>", "T × n 0/1 matrix (.npy or CSV), rows in time order; columns are the sites")
    .option("--test <file>", "held-out test states (then --states is split train / validation)")
    .option(
      "--order <file>",
      "site order: a JSON array of column indices, or the graph.json of `dgrn infer` (its `order`)",
    )
    .option("--model <m>", "born-mps | born-tree | tt-svd", "born-mps")
    .option("--eval <file>", "states to evaluate: with --eval-out, write log₂ P̃ of each row")
    .option("--eval-out <file>", "float64 NPY of log₂ P̃ per row of --eval")
    .option("--seed <s>", "seed (mixture EM start)", int, 1)
    .option("--refit", "born-mps: retrain on train + validation with the settings chosen on validation")
    .option(
      "--flow <file>",
      "RG flow (the JSON of `dgrn lrg --json`, a results.json's `lrg.flow`, or { n0, steps: [{ groups }] }): the tree of born-tree; with tt-svd also the exact tree network",
    )
    .option("--tol <eps>", "tt-svd: relative Frobenius tolerance", num, 1e-3)
    .option(
      "--max-bond <r>",
      "largest bond dimension χ (born-mps: 4, the cap chosen on validation up to it; tt-svd: 64)",
      int,
    )
    .option("--born", "compress the Born amplitude ψ = √P instead of P")
    .option(
      "--folds <K>",
      "born-mps/born-tree: also K-fold blocks (each contiguous block held out once, hyperparameters on validation inside each)",
      int,
    )
    .option(
      "--max-node-bits <b>",
      "born-tree: node cap, 2^b entries at the largest bond (default: the smallest b ≥ 3 with χ³ ≤ 2^b)",
      int,
    )
    .option("--json", "print one JSON object")
    .action(async (opts: TnCliOptions) => {
      await init();
      // every flag is checked whatever the model, so a bad value is never silently ignored
      checkNumber("--tol", opts.tol, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
      const states = await readStatesFile(opts.states);
      const order =
        opts.order === undefined
          ? undefined
          : parseOrder(parseJson(await readBytes(opts.order), opts.order), opts.order);
      if (!["born-mps", "born-tree", "tt-svd"].includes(opts.model)) {
        throw new DgrnFormatError(
          `invalid argument. \`--model\` must be one of born-mps, born-tree, tt-svd. Value: \`${opts.model}\`.`,
          { code: ErrorCode.INVALID_OPTION },
        );
      }
      if ((opts.eval === undefined) !== (opts.evalOut === undefined)) {
        throw new DgrnFormatError("invalid argument. `--eval` and `--eval-out` must be given together.", {
          code: ErrorCode.INVALID_OPTION,
        });
      }
      if (opts.model !== "tt-svd") {
        if (opts.model === "born-tree" && opts.flow === undefined)
          throw new DgrnFormatError(
            "invalid argument. `--model born-tree` needs `--flow FILE` (the JSON of `dgrn lrg --json`, a results.json, or an RGFlow): the tree is the RG flow's. Value: `none`.",
            { code: ErrorCode.INVALID_OPTION },
          );
        const flow =
          opts.model === "born-tree"
            ? parseFlow(parseJson(await readBytes(opts.flow!), opts.flow!), states.n, opts.flow!)
            : undefined;
        const test = opts.test === undefined ? undefined : await readStatesFile(opts.test);
        const fitOpts = {
          maxBond: opts.maxBond ?? 4,
          seed: opts.seed,
          refit: opts.refit === true,
          model: opts.model as "born-mps" | "born-tree",
          ...(flow !== undefined ? { flow } : {}),
          ...(opts.maxNodeBits !== undefined ? { maxNodeBits: opts.maxNodeBits } : {}),
          ...(order !== undefined ? { order } : {}),
        };
        const fit = fitBorn(states, { ...fitOpts, ...(test !== undefined ? { test } : {}) });
        const cv = opts.folds === undefined ? null : crossValidateBorn(states, opts.folds, fitOpts);
        if (opts.eval !== undefined) {
          const ev = await readStatesFile(opts.eval);
          const lp = fit.logProb(ev);
          await writeAtomic(
            opts.evalOut!,
            npyBytes("'<f8'", [lp.length], new Uint8Array(lp.buffer, lp.byteOffset, lp.byteLength)),
          );
        }
        const b = fit.baselines!;
        const tri = (x: { train: number; validation: number; test: number | null }) => ({
          train: finite(x.train),
          validation: finite(x.validation),
          test: finite(x.test),
        });
        const out = {
          model: fit.model,
          T: states.T,
          n: states.n,
          order: fit.machine.kind === "bornMachine" ? Array.from(fit.machine.order) : null,
          params: fit.params,
          bornParams: fit.machine.params,
          log2FullSize: states.n,
          bondDims: fit.bondDims,
          maxBondDim: Math.max(...fit.bondDims),
          mixWeight: fit.mixWeight,
          nll: tri(fit.nll),
          nllBorn: tri(fit.nllBorn),
          belowFloor: fit.belowFloor,
          ...(fit.machine.kind === "bornTree"
            ? {
                tree: {
                  nodes: fit.machine.shape.parent.length,
                  maxNodeBits: fit.machine.shape.maxNodeBits,
                  splitGroups: fit.machine.shape.splitGroups,
                  children: fit.machine.shape.kids.map((k, v) =>
                    fit.machine.kind === "bornTree" ? fit.machine.shape.leaves[v]!.length + k.length : 0,
                  ),
                },
              }
            : {}),
          ...(cv !== null ? { folds: cv } : {}),
          caps: fit.caps,
          split: fit.split,
          baselines: {
            product: { ...tri(b.product), params: b.product.params },
            chowLiu: { ...tri(b.chowLiu), params: b.chowLiu.params },
            mixture: { ...tri(b.mixture), params: b.mixture.params, components: b.mixture.components },
          },
        };
        if (opts.json) printJson(out);
        else {
          const f = (x: number | null) => (x === null ? "–" : x.toFixed(2));
          process.stdout.write(
            `states      ${states.T} × ${states.n} (train ${fit.split.train.join("–")}, validation ${fit.split.validation.join("–")}${out.nll.test !== null ? ", test" : ""})\n` +
              `model       Born ${fit.model === "born-tree" ? "tree" : "MPS"}, bond dims ≤ ${out.maxBondDim}, ${fit.machine.params} params (+ product mix w = ${fit.mixWeight}) vs 2^${states.n}\n` +
              `NLL (bits)  train ${f(out.nll.train)}  validation ${f(out.nll.validation)}  test ${f(out.nll.test)}\n` +
              `product     ${f(out.baselines.product.train)} / ${f(out.baselines.product.validation)} / ${f(out.baselines.product.test)}\n` +
              `Chow–Liu    ${f(out.baselines.chowLiu.train)} / ${f(out.baselines.chowLiu.validation)} / ${f(out.baselines.chowLiu.test)}\n` +
              `mixture K=${b.mixture.components} ${f(out.baselines.mixture.train)} / ${f(out.baselines.mixture.validation)} / ${f(out.baselines.mixture.test)}\n`,
          );
        }
        return;
      }
      const common = { tol: opts.tol, maxBond: opts.maxBond ?? 64, born: opts.born === true };
      const tt = tensorTrain(states, { ...common, ...(order !== undefined ? { order } : {}) });
      const sum = ttSummary(tt, states.n <= 24 ? states : undefined);
      // entanglement is a property of the Born form: computed from a Born train when P was compressed
      const entanglement = tt.born
        ? sum.entanglement
        : Array.from(
            tensorTrain(states, { ...common, born: true, ...(order !== undefined ? { order } : {}) }).entanglement,
          );
      let tree: unknown = undefined;
      if (opts.flow !== undefined) {
        const flow = parseFlow(parseJson(await readBytes(opts.flow), opts.flow), states.n, opts.flow);
        const net = treeTensorNetwork(states, flow, { ...common, exact: states.n <= 20 });
        tree = { params: net.params, relError: net.relError, errorBound: net.errorBound, layers: net.layers };
      }
      const trainLp = log2Of(ttEvaluate(tt, states));
      const testSt = opts.test === undefined ? undefined : await readStatesFile(opts.test);
      const testLp = testSt ? log2Of(ttEvaluate(tt, testSt)) : null;
      const nllOf = (v: Float64Array) => finite(-v.reduce((a, x) => a + x, 0) / v.length);
      if (opts.eval !== undefined) {
        const lp = log2Of(ttEvaluate(tt, await readStatesFile(opts.eval)));
        await writeAtomic(opts.evalOut!, npyBytes("'<f8'", [lp.length], new Uint8Array(lp.buffer)));
      }
      const out = {
        model: "tt-svd",
        nll: { train: nllOf(trainLp), validation: null, test: testLp ? nllOf(testLp) : null },
        T: states.T,
        n: states.n,
        born: tt.born,
        tol: tt.tol,
        maxBond: tt.maxBond,
        order: Array.from(tt.order),
        bondDims: sum.bondDims,
        maxBondDim: sum.maxBondDim,
        params: sum.params,
        fullSize: sum.fullSize,
        compression: sum.compression,
        relError: sum.relError,
        entanglement,
        kl: sum.kl,
        tv: sum.tv,
        ...(tree !== undefined ? { tree } : {}),
      };
      if (opts.json) printJson(out);
      else {
        const f = (x: number) => x.toPrecision(4);
        process.stdout.write(
          `states      ${states.T} × ${states.n}${tt.born ? " (Born form ψ = √P)" : ""}\n` +
            `bond dims   ${sum.bondDims.join(" ")}\n` +
            `params      ${sum.params} of 2^${states.n} = ${sum.fullSize.toExponential(3)} (ratio ${sum.compression.toExponential(3)})\n` +
            `rel. error  ${f(sum.relError)} (tol ${tt.tol})\n` +
            (sum.kl !== null ? `KL / TV     ${f(sum.kl)} nats / ${f(sum.tv!)}\n` : "") +
            `entanglement ${entanglement.map(f).join(" ")}\n` +
            (tree !== undefined ? `tree        ${JSON.stringify(tree)}\n` : ""),
        );
      }
    });
}
