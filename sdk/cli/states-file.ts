/**
 * The `tn` and `dynamics` commands' inputs: file paths to the SDK's one
 * states and labels reader (sdk/io/states.ts). Nothing is parsed here.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { DgrnIOError, readNpyArray, readLabels, readStates, type BinaryStates } from "../targets/node.js";

/** A dense numeric array read from a file: shape and values (row-major). */
export interface DenseArray {
  shape: number[];
  values: Float64Array;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DgrnIOError(`cannot read \`${path}\`: ${(e as Error).message}`, { cause: e });
  }
}

/** Parse NPY bytes (the SDK's NPY reader: every dtype, C or Fortran order). */
export function parseNpy(b: Uint8Array, _name: string): DenseArray {
  const a = readNpyArray(b);
  return { shape: a.shape, values: a.toFloat64() };
}

/** Read a T × M 0/1 matrix as BinaryStates (rows = bins). */
export async function readStatesFile(path: string): Promise<BinaryStates> {
  return readStates(await bytesOf(path), path);
}

/** Read one integer label per bin (a 1-D array, or one row or one column). */
export async function readLabelsFile(path: string): Promise<Int32Array> {
  return readLabels(await bytesOf(path), path);
}
