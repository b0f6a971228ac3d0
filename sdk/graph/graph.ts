/**
 * Graph checks and conversions shared by the graph stage: validate a
 * {@link Graph}, build one from a dense matrix, and back.
 *
 * @module
 */
import { DgrnFormatError, DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "../errors.js";
import type { Graph } from "../types.js";
import { checkInteger, isNumberArrayLike, message } from "../validate.js";
import { LIMITS } from "../limits.js";

/**
 * Check a {@link Graph}: `n` a nonnegative integer, `source`/`target` Int32Arrays
 * of equal length with ids in [0, n), `weight` a Float64Array of finite numbers.
 *
 * @param name - the argument's name, for messages
 * @param value - the candidate graph
 * @returns the graph, unchanged
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` for a field of the wrong kind
 * @throws {DgrnShapeError} `ERR_SHAPE_MISMATCH` for arrays of different lengths
 * @param options - `nonnegative`: also refuse a negative weight (a Laplacian or modularity needs A ≥ 0)
 * @throws {DgrnRangeError} `ERR_OUT_OF_RANGE` for an id outside [0, n) or (with `nonnegative`) a negative weight; `ERR_NOT_FINITE` for a NaN/∞ weight
 * @example
 * ```ts
 * checkGraph("graph", { n: 2, directed: true, source: Int32Array.of(0), target: Int32Array.of(1), weight: Float64Array.of(1) });
 * ```
 */
export function checkGraph(name: string, value: unknown, options: { nonnegative?: boolean } = {}): Graph {
  if (value === null || typeof value !== "object")
    throw new DgrnTypeError(message(name, "a Graph { n, directed, source, target, weight }", value));
  const g = value as Partial<Graph>;
  const n = checkInteger(`${name}.n`, g.n, { min: 0, max: LIMITS.nodes });
  if (typeof g.directed !== "boolean") throw new DgrnTypeError(message(`${name}.directed`, "a boolean", g.directed));
  if (!(g.source instanceof Int32Array)) throw new DgrnTypeError(message(`${name}.source`, "an Int32Array", g.source));
  if (!(g.target instanceof Int32Array)) throw new DgrnTypeError(message(`${name}.target`, "an Int32Array", g.target));
  if (!(g.weight instanceof Float64Array))
    throw new DgrnTypeError(message(`${name}.weight`, "a Float64Array", g.weight));
  const m = g.source.length;
  if (g.target.length !== m)
    throw new DgrnShapeError(message(`${name}.target.length`, `source.length = ${m}`, g.target.length));
  if (g.weight.length !== m)
    throw new DgrnShapeError(message(`${name}.weight.length`, `source.length = ${m}`, g.weight.length));
  for (let e = 0; e < m; e++) {
    const s = g.source[e]!,
      t = g.target[e]!,
      w = g.weight[e]!;
    if (s < 0 || s >= n) throw new DgrnRangeError(message(`${name}.source[${e}]`, `a node id in [0, ${n})`, s));
    if (t < 0 || t >= n) throw new DgrnRangeError(message(`${name}.target[${e}]`, `a node id in [0, ${n})`, t));
    if (!Number.isFinite(w))
      throw new DgrnRangeError(message(`${name}.weight[${e}]`, "a finite number", w), ErrorCode.NOT_FINITE);
    if (options.nonnegative && w < 0)
      throw new DgrnRangeError(
        message(`${name}.weight[${e}]`, "a nonnegative weight (a Laplacian and modularity need A ≥ 0)", w),
      );
  }
  if (g.nodeIds !== undefined) {
    if (!(g.nodeIds instanceof Int32Array))
      throw new DgrnTypeError(message(`${name}.nodeIds`, "an Int32Array", g.nodeIds));
    if (g.nodeIds.length !== n)
      throw new DgrnShapeError(message(`${name}.nodeIds.length`, `n = ${n}`, g.nodeIds.length));
  }
  return g as Graph;
}

/**
 * Check labels (communities of nodes, stimulus classes of bins): an Int32Array,
 * or an array / typed array of 32-bit integers (never wrapped), of length `n`
 * when given. The one labels validator of the SDK. Returns an Int32Array.
 */
export function checkLabels(name: string, value: unknown, n?: number): Int32Array {
  let out: Int32Array;
  if (value instanceof Int32Array) out = value;
  else if (isNumberArrayLike(value)) {
    const a = value;
    out = new Int32Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      // the SDK's integer convention (checkInteger): not a number → type error; a fraction or beyond 32 bits → range error
      if (typeof v !== "number") throw new DgrnTypeError(message(`${name}[${i}]`, "an integer", v));
      if (!Number.isInteger(v) || Math.abs(v) > 2147483647) {
        throw new DgrnRangeError(
          message(`${name}[${i}]`, "a 32-bit integer (labels never wrap)", v),
          Number.isFinite(v) ? ErrorCode.OUT_OF_RANGE : ErrorCode.NOT_FINITE,
        );
      }
      out[i] = v;
    }
  } else throw new DgrnTypeError(message(name, "an Int32Array or an array of integers", value));
  if (n !== undefined && out.length !== n) throw new DgrnShapeError(message(`${name}.length`, `${n}`, out.length));
  return out;
}

/**
 * Dense row-major adjacency A (n × n) of a graph: A[i*n+j] = Σ weights of edges
 * i → j (and j → i too when undirected). The graph is not checked.
 *
 * @param g - a valid graph
 * @returns a new Float64Array of length n²
 * @example
 * ```ts
 * toDense(readGraph("0,1,2\n")); // Float64Array [0, 2, 0, 0]
 * ```
 */
export function toDense(g: Graph): Float64Array {
  const n = g.n;
  const a = new Float64Array(n * n);
  for (let e = 0; e < g.source.length; e++) {
    const s = g.source[e]!,
      t = g.target[e]!,
      w = g.weight[e]!;
    a[s * n + t]! += w;
    if (!g.directed && s !== t) a[t * n + s]! += w;
  }
  return a;
}

/**
 * A graph from a dense row-major matrix: one edge per nonzero entry (directed),
 * or per nonzero entry with i ≤ j (undirected; the matrix should be symmetric).
 * Diagonal entries are dropped unless `keepDiagonal`. Not checked.
 *
 * @param n - number of nodes
 * @param a - n² entries, row-major
 * @param opts - `directed`, `keepDiagonal` (default false), `nodeIds`
 * @returns a new {@link Graph}
 * @example
 * ```ts
 * fromDense(2, [0, 1, 0, 0], { directed: true }); // one edge 0 → 1
 * ```
 */
export function fromDense(
  n: number,
  a: ArrayLike<number>,
  opts: { directed: boolean; keepDiagonal?: boolean; nodeIds?: Int32Array },
): Graph {
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = opts.directed ? 0 : i; j < n; j++) {
      if (i === j && !opts.keepDiagonal) continue;
      const v = a[i * n + j]!;
      if (v !== 0) {
        src.push(i);
        tgt.push(j);
        w.push(v);
      }
    }
  }
  const g: Graph = {
    n,
    directed: opts.directed,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
    ...(opts.nodeIds ? { nodeIds: opts.nodeIds } : {}),
  };
  return g;
}

/** Throw the typed error for bad graph content, naming the row where known. */
export function dataError(msg: string, row?: number, field?: string): DgrnFormatError {
  return new DgrnFormatError(msg, {
    code: ErrorCode.INVALID_DATA,
    ...(row !== undefined ? { row } : {}),
    ...(field ? { field } : {}),
  });
}

/**
 * The symmetrised Laplacian L = D − A_s of a graph in CSR (A_s = (A + Aᵀ)/2
 * for a directed graph; repeated edges add; self-loops dropped), diagonal
 * included, columns ascending within each row, and the degrees. The one
 * Laplacian builder of the SDK: latent diffusion uses it on a Graph, the
 * Laplacian RG (`csrLaplacian` in sdk/lrg/graph.ts) on its symmetrised edges.
 * Each row's entries and its degree are summed in column order.
 */
export function sparseLaplacian(g: Graph): {
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
  degree: Float64Array;
} {
  const n = g.n;
  const E = g.source.length;
  const half = g.directed ? 0.5 : 1;
  // counting sort of the 2E off-diagonal entries by row
  const cnt = new Int32Array(n + 1);
  for (let e = 0; e < E; e++) {
    const s = g.source[e]!,
      t = g.target[e]!;
    if (s === t) continue;
    cnt[s + 1]!++;
    cnt[t + 1]!++;
  }
  for (let i = 0; i < n; i++) cnt[i + 1]! += cnt[i]!;
  const fill = cnt.slice(0, n);
  const col = new Int32Array(cnt[n]!),
    val = new Float64Array(cnt[n]!);
  for (let e = 0; e < E; e++) {
    const s = g.source[e]!,
      t = g.target[e]!;
    if (s === t) continue;
    const w = g.weight[e]! * half;
    col[fill[s]!] = t;
    val[fill[s]!++] = w;
    col[fill[t]!] = s;
    val[fill[t]!++] = w;
  }
  // per row: sort by column, merge repeats, prepend nothing: the diagonal goes in column order
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(cnt[n]! + n),
    values = new Float64Array(cnt[n]! + n);
  const degree = new Float64Array(n);
  let q = 0;
  const ord: number[] = [];
  for (let i = 0; i < n; i++) {
    const p0 = cnt[i]!,
      p1 = cnt[i + 1]!;
    ord.length = 0;
    for (let p = p0; p < p1; p++) ord.push(p);
    ord.sort((x, y) => col[x]! - col[y]! || x - y);
    let d = 0;
    let diagAt = -1;
    for (let r = 0; r < ord.length; r++) {
      const c = col[ord[r]!]!,
        w = val[ord[r]!]!;
      if (diagAt < 0 && c > i) {
        diagAt = q;
        colIdx[q] = i;
        values[q++] = 0;
      }
      if (q > rowPtr[i]! && colIdx[q - 1] === c) values[q - 1]! -= w;
      else {
        colIdx[q] = c;
        values[q++] = -w;
      }
      d += w;
    }
    if (diagAt < 0) {
      diagAt = q;
      colIdx[q] = i;
      values[q++] = 0;
    }
    values[diagAt] = d;
    degree[i] = d;
    rowPtr[i + 1] = q;
  }
  return { rowPtr, colIdx: colIdx.slice(0, q), values: values.slice(0, q), degree };
}
