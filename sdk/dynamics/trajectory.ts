/**
 * Validation of the stage's inputs (trajectories, states, flows) and their
 * encoding into dense state ids.
 *
 * @module
 * @internal
 */
import { DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import { checkStates as checkBinaryStates } from "../io/check.js";
import type { BinaryStates } from "../types.js";
import { checkInteger, message } from "../validate.js";
import { encodeRows } from "./kernel.js";
import type { FractionStates, Trajectory } from "./types.js";

/** A trajectory after validation: its rows as fixed-width byte records. */
export interface Rows {
  /** Number of bins. */
  readonly T: number;
  /** Width of one row in bytes. */
  readonly rowBytes: number;
  readonly bytes: Uint8Array;
  /** The validated source, for callers that need the values (decode, dimension). */
  readonly source: BinaryStates | FractionStates | Int32Array;
}

/** Check a {@link FractionStates}. Returns it. */
export function checkFractionStates(name: string, value: unknown): FractionStates {
  const v = value as { kind?: unknown; T?: unknown; n?: unknown; data?: unknown; sizes?: unknown };
  const T = checkInteger(`${name}.T`, v.T, { min: 0 });
  const n = checkInteger(`${name}.n`, v.n, { min: 0 });
  if (!(v.data instanceof Float64Array)) throw new DgrnTypeError(message(`${name}.data`, "a Float64Array", v.data));
  if (v.data.length !== T * n)
    throw new DgrnShapeError(message(`${name}.data.length`, `T * n = ${T * n}`, v.data.length));
  for (let i = 0; i < v.data.length; i++) {
    const x = v.data[i]!;
    if (!(x >= 0 && x <= 1))
      throw new DgrnRangeError(message(`${name}.data[${i}]`, "a number in [0, 1]", x), ErrorCode.INVALID_DATA);
  }
  return value as FractionStates;
}

/** Whether a value looks like FractionStates (a `kind: "fraction"` tag). */
function isFraction(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as { kind?: unknown }).kind === "fraction";
}

/** Check binary or fraction states (decode, participationRatio). */
export function checkStatesOrFractions(name: string, value: unknown): BinaryStates | FractionStates {
  return isFraction(value) ? checkFractionStates(name, value) : checkBinaryStates(name, value);
}

/**
 * Check a {@link Trajectory} of at least `minT` bins and view its rows as bytes.
 * Integer labels become 4-byte records; fractions 8 bytes per block.
 */
export function checkTrajectory(name: string, value: unknown, minT: number): Rows {
  let rows: Rows;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const arr = value as ArrayLike<unknown>;
    const labels = new Int32Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      if (typeof x !== "number") throw new DgrnTypeError(message(`${name}[${i}]`, "an integer", x));
      if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) {
        throw new DgrnRangeError(message(`${name}[${i}]`, "a 32-bit integer", x));
      }
      labels[i] = x;
    }
    rows = { T: labels.length, rowBytes: 4, bytes: new Uint8Array(labels.buffer), source: labels };
  } else if (isFraction(value)) {
    const f = checkFractionStates(name, value);
    const copy = f.data.slice();
    for (let i = 0; i < copy.length; i++) if (copy[i] === 0) copy[i] = 0; // −0 → 0 so equal values hash equal
    rows = { T: f.T, rowBytes: 8 * f.n, bytes: new Uint8Array(copy.buffer), source: f };
  } else {
    const b = checkBinaryStates(name, value);
    rows = { T: b.T, rowBytes: b.n, bytes: b.data, source: b };
  }
  if (rows.T < minT)
    throw new DgrnRangeError(message(`${name}`, `a trajectory of at least ${minT} bins`, `${rows.T} bins`));
  return rows;
}

/** Word ids of a trajectory (one id per distinct row, in order of first sight). */
export function wordIds(rows: Rows): { ids: Int32Array; first: Int32Array; k: number } {
  return encodeRows(rows.bytes, rows.T, rows.rowBytes);
}

/**
 * History ids for order `order`: the state at bin t ≥ order − 1 is the tuple
 * (w[t−order+1], …, w[t]); bins before that get −1.
 */
export function historyIds(words: Int32Array, order: number): { ids: Int32Array; first: Int32Array; k: number } {
  const T = words.length;
  if (order === 1) return { ids: words.slice(), first: firstOf(words), k: countDistinct(words) };
  const nh = Math.max(T - order + 1, 0);
  const tuples = new Int32Array(nh * order);
  for (let t = 0; t < nh; t++) for (let j = 0; j < order; j++) tuples[t * order + j] = words[t + j]!;
  const enc = encodeRows(new Uint8Array(tuples.buffer), nh, 4 * order);
  const ids = new Int32Array(T).fill(-1);
  ids.set(enc.ids, order - 1);
  const first = new Int32Array(enc.k);
  for (let h = 0; h < enc.k; h++) first[h] = enc.first[h]! + order - 1;
  return { ids, first, k: enc.k };
}

function countDistinct(ids: Int32Array): number {
  let m = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > m) m = ids[i]!;
  return m + 1;
}

function firstOf(ids: Int32Array): Int32Array {
  const first = new Int32Array(countDistinct(ids)).fill(-1);
  for (let t = 0; t < ids.length; t++) if (first[ids[t]!] === -1) first[ids[t]!] = t;
  return first;
}

/** The one RGFlow validator (sdk/lrg/flow.ts), re-exported for the dynamics stage's callers. */
export { checkFlow } from "../lrg/flow.js";
