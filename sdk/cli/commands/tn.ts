import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import {
  init,
  tensorTrain,
  treeTensorNetwork,
  ttSummary,
  DgrnFormatError,
  DgrnIOError,
  type RGFlow,
} from "../../targets/node.js";
import { int, num, printJson } from "../util.js";
import { readStatesFile } from "../states-file.js";

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DgrnIOError(`cannot read \`${path}\`: ${(e as Error).message}`, e);
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
  order?: string;
  flow?: string;
  tol: number;
  maxBond: number;
  born?: boolean;
  json?: boolean;
}

/** `dgrn tn`: a tensor train (and optionally a tree network along a flow) of a states file. */
export function register(program: Command): void {
  program
    .command("tn")
    .description("tensor train (TT-SVD) of the empirical distribution of binary states; bond dims, params, error, entanglement")
    .requiredOption("--states <file>", "T × n 0/1 matrix (.npy or CSV); columns are the sites")
    .option("--order <file>", "JSON array of column indices: the site order")
    .option("--flow <file>", "JSON RGFlow ({ n0, steps: [{ tau, groups }] }): also build the tree network along it")
    .option("--tol <eps>", "relative Frobenius tolerance", num, 1e-3)
    .option("--max-bond <r>", "largest bond dimension", int, 64)
    .option("--born", "compress the Born amplitude ψ = √P instead of P")
    .option("--json", "print one JSON object")
    .action(async (opts: TnCliOptions) => {
      await init();
      const states = await readStatesFile(opts.states);
      const order = opts.order === undefined ? undefined : (parseJson(await readBytes(opts.order), opts.order) as number[]);
      const common = { tol: opts.tol, maxBond: opts.maxBond, born: opts.born === true };
      const tt = tensorTrain(states, { ...common, ...(order !== undefined ? { order } : {}) });
      const sum = ttSummary(tt, states.n <= 24 ? states : undefined);
      // entanglement is a property of the Born form: computed from a Born train when P was compressed
      const entanglement = tt.born ? sum.entanglement : Array.from(tensorTrain(states, { ...common, born: true, ...(order !== undefined ? { order } : {}) }).entanglement);
      let tree: unknown = undefined;
      if (opts.flow !== undefined) {
        const raw = parseJson(await readBytes(opts.flow), opts.flow) as RGFlow & { steps: { assignment?: unknown }[] };
        const flow: RGFlow = {
          ...raw,
          steps: (raw.steps ?? []).map((s) => ({ ...s, assignment: Int32Array.from((s.assignment as unknown as number[] | undefined) ?? []) })),
        };
        const net = treeTensorNetwork(states, flow, { ...common, exact: states.n <= 20 });
        tree = { params: net.params, relError: net.relError, errorBound: net.errorBound, layers: net.layers };
      }
      const out = {
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
