import type { Command } from "commander";
import { checkNumber } from "../../validate.js";
import { readFile } from "node:fs/promises";
import {
  init,
  fitBorn,
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
  json?: boolean;
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
    .option("--flow <file>", "JSON RGFlow ({ n0, steps: [{ tau, groups }] }): also build the tree network along it")
    .option("--tol <eps>", "tt-svd: relative Frobenius tolerance", num, 1e-3)
    .option(
      "--max-bond <r>",
      "largest bond dimension χ (born-mps: 4, the cap chosen on validation up to it; tt-svd: 64)",
      int,
    )
    .option("--born", "compress the Born amplitude ψ = √P instead of P")
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
        if (opts.model === "born-tree")
          throw new DgrnFormatError(
            "invalid argument. `--model born-tree` is not available yet in this build; use born-mps.",
            { code: ErrorCode.INVALID_OPTION },
          );
        const test = opts.test === undefined ? undefined : await readStatesFile(opts.test);
        const fit = fitBorn(states, {
          maxBond: opts.maxBond ?? 4,
          seed: opts.seed,
          refit: opts.refit === true,
          ...(order !== undefined ? { order } : {}),
          ...(test !== undefined ? { test } : {}),
        });
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
          order: Array.from(fit.machine.order),
          params: fit.params,
          bornParams: fit.machine.params,
          log2FullSize: states.n,
          bondDims: fit.bondDims,
          maxBondDim: Math.max(...fit.bondDims),
          mixWeight: fit.mixWeight,
          nll: tri(fit.nll),
          nllBorn: tri(fit.nllBorn),
          belowFloor: fit.belowFloor,
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
              `model       Born MPS, bond dims ≤ ${out.maxBondDim}, ${fit.machine.params} params (+ product mix w = ${fit.mixWeight}) vs 2^${states.n}\n` +
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
        const raw = parseJson(await readBytes(opts.flow), opts.flow) as RGFlow & { steps: { assignment?: unknown }[] };
        const flow: RGFlow = {
          ...raw,
          steps: (raw.steps ?? []).map((s) => ({
            ...s,
            assignment: Int32Array.from((s.assignment as unknown as number[] | undefined) ?? []),
          })),
        };
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
