import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import {
  init,
  tensorTrain,
  treeTensorNetwork,
  ttSummary,
  DgrnFormatError,
  DgrnIOError,
  ErrorCode,
  type BinaryStates,
  type RGFlow,
} from "../../targets/node.js";
import { int, num, printJson } from "../util.js";

// A minimal private reader for a T × n 0/1 matrix (NPY or CSV). The data
// readers belong to issue-4 (sdk/io); when a states reader lands there, this
// command should call it instead (note for the lead).

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function parseNpyStates(b: Uint8Array, name: string): BinaryStates {
  if (b.length < 10 || !NPY_MAGIC.every((m, i) => b[i] === m)) throw new DgrnFormatError(`invalid NPY file \`${name}\`: bad magic`);
  const major = b[6]!;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder("latin1").decode(b.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shape === undefined) throw new DgrnFormatError(`invalid NPY file \`${name}\`: unreadable header`, { field: "header" });
  const dims = shape.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (dims.length !== 2) throw new DgrnFormatError(`invalid NPY file \`${name}\`: expected a 2-D T × n array, got shape (${shape})`, { field: "shape" });
  const [T, n] = dims as [number, number];
  const m = /^([<>|=])([biuf])(\d+)$/.exec(descr);
  if (!m) throw new DgrnFormatError(`invalid NPY file \`${name}\`: unsupported dtype ${descr}`, { field: "descr" });
  const little = m[1] !== ">";
  const kind = m[2]!;
  const size = Number(m[3]);
  const off = start + hlen;
  if (b.length < off + T * n * size) throw new DgrnFormatError(`invalid NPY file \`${name}\`: truncated data`);
  const read = (i: number): number => {
    const p = off + i * size;
    if (kind === "f") return size === 8 ? dv.getFloat64(p, little) : size === 4 ? dv.getFloat32(p, little) : NaN;
    if (size === 1) return kind === "i" ? dv.getInt8(p) : dv.getUint8(p);
    if (size === 2) return kind === "i" ? dv.getInt16(p, little) : dv.getUint16(p, little);
    if (size === 4) return kind === "i" ? dv.getInt32(p, little) : dv.getUint32(p, little);
    if (size === 8) return Number(kind === "i" ? dv.getBigInt64(p, little) : dv.getBigUint64(p, little));
    return NaN;
  };
  const data = new Uint8Array(T * n);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const v = read(fortran ? i * T + t : t * n + i);
      if (v !== 0 && v !== 1) throw new DgrnFormatError(`invalid states \`${name}\`: entry (${t}, ${i}) is ${v}, expected 0 or 1`, { code: ErrorCode.INVALID_DATA, row: t + 1 });
      data[t * n + i] = v;
    }
  return { T, n, data };
}

function parseCsvStates(text: string, name: string): BinaryStates {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length > 0 && /[^0-9.,;\s\t+-eE]/.test(lines[0]!)) lines.shift(); // a header row
  const rows = lines.map((l) => l.trim().split(/[,;\s\t]+/));
  const n = rows[0]?.length ?? 0;
  if (rows.length === 0 || n === 0) throw new DgrnFormatError(`invalid CSV \`${name}\`: no rows`);
  const data = new Uint8Array(rows.length * n);
  rows.forEach((r, t) => {
    if (r.length !== n) throw new DgrnFormatError(`invalid CSV \`${name}\`: row ${t + 1} has ${r.length} fields, expected ${n}`, { row: t + 1 });
    r.forEach((f, i) => {
      const v = Number(f);
      if (v !== 0 && v !== 1) throw new DgrnFormatError(`invalid states \`${name}\`: entry (${t}, ${i}) is "${f}", expected 0 or 1`, { code: ErrorCode.INVALID_DATA, row: t + 1 });
      data[t * n + i] = v;
    });
  });
  return { T: rows.length, n, data };
}

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

/** Read a T × n 0/1 matrix from an NPY or CSV file. */
export async function readStatesFile(path: string): Promise<BinaryStates> {
  const b = await readBytes(path);
  if (NPY_MAGIC.every((m, i) => b[i] === m)) return parseNpyStates(b, path);
  return parseCsvStates(new TextDecoder().decode(b), path);
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
