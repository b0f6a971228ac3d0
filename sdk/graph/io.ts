/**
 * Graph input and output: edge-list CSV (`source,target,weight`, 0-based), JSON
 * `{ "n": N, "edges": [[i, j, w], …], "directed": true }` and dense NPY
 * adjacency matrices in; a JSON-ready object out. Every later stage reads
 * graphs through here.
 *
 * Bad content is a typed error by default (`DgrnFormatError`, code
 * `ERR_INVALID_DATA`, with the 1-based `row` where the format has rows);
 * self-loops, duplicate edges and negative weights can instead be handled by an
 * explicit option. Non-finite weights and ids outside [0, n) are always errors.
 *
 * @module
 */
import { duplicateJsonKey } from "../io/json.js";
import { DgrnFormatError, DgrnTypeError, ErrorCode } from "../errors.js";
import type { Graph } from "../types.js";
import { checkBoolean, checkInteger, checkOneOf, checkOptions, message } from "../validate.js";
import { checkCount, LIMITS } from "../limits.js";
import { checkGraph, dataError } from "./graph.js";
import { checkNpySize, parseNpyHeader, readNpyArray } from "../io/npy.js";

/** Options of {@link readGraph}. */
export interface ReadGraphOptions {
  /** "csv" | "json" | "npy"; default: sniffed from the bytes (NPY magic, a leading `{`, else CSV). */
  format?: "csv" | "json" | "npy";
  /** Number of nodes (CSV, JSON): default the JSON's `n`, or max id + 1 for CSV. */
  n?: number;
  /** Directed graph (default: the JSON's `directed`, else true). Undirected NPY must be symmetric. */
  directed?: boolean;
  /** What to do with an edge i → i: "error" (default), "drop" or "keep". */
  selfLoops?: "error" | "drop" | "keep";
  /** What to do with a repeated edge: "error" (default), "sum", "max" or "first". */
  duplicates?: "error" | "sum" | "max" | "first";
  /** What to do with a negative weight: "error" (default), "drop" or "keep". */
  negative?: "error" | "drop" | "keep";
}

/** The JSON form written by {@link graphToJSON} (and read by {@link readGraph}). */
export interface GraphJSON {
  n: number;
  directed: boolean;
  /** Original id of each node (0 … n−1 when unknown). */
  nodes: number[];
  /** `[source, target, weight]` triples. */
  edges: [number, number, number][];
  [extra: string]: unknown;
}

const FORMATS = ["csv", "json", "npy"] as const;

function toBytes(source: unknown): Uint8Array | string {
  if (typeof source === "string") return source;
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  throw new DgrnTypeError(message("source", "file content: a string, a Uint8Array or an ArrayBuffer", source));
}

function sniff(src: Uint8Array | string): "csv" | "json" | "npy" {
  if (typeof src !== "string" && src.length >= 6 && src[0] === 0x93 && src[1] === 0x4e && src[2] === 0x55) return "npy";
  const head = typeof src === "string" ? src.slice(0, 64) : new TextDecoder().decode(src.subarray(0, 64));
  return head.trimStart().startsWith("{") ? "json" : "csv";
}

interface RawEdge {
  s: number;
  t: number;
  w: number;
  row?: number;
}

/** Apply the id, self-loop, duplicate and sign policies to raw edges. */
function assemble(
  raw: RawEdge[],
  n: number,
  directed: boolean,
  o: Required<Pick<ReadGraphOptions, "selfLoops" | "duplicates" | "negative">>,
  nodeIds?: Int32Array,
): Graph {
  const index = new Map<number, number>();
  const src: number[] = [],
    tgt: number[] = [],
    w: number[] = [];
  for (const e of raw) {
    const where = e.row !== undefined ? ` (row ${e.row})` : "";
    for (const [v, f] of [
      [e.s, "source"],
      [e.t, "target"],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw dataError(`invalid data. \`${f}\` must be a node id in [0, ${n})${where}. Value: \`${v}\`.`, e.row, f);
      }
    }
    if (!Number.isFinite(e.w)) {
      throw new DgrnFormatError(`invalid data. \`weight\` must be a finite number${where}. Value: \`${e.w}\`.`, {
        code: ErrorCode.INVALID_DATA,
        field: "weight",
        ...(e.row !== undefined ? { row: e.row } : {}),
      });
    }
    if (e.s === e.t) {
      if (o.selfLoops === "error")
        throw dataError(
          `invalid data. self-loop ${e.s} → ${e.t}${where}; pass \`selfLoops: "drop"\` or \`"keep"\` to allow it.`,
          e.row,
          "target",
        );
      if (o.selfLoops === "drop") continue;
    }
    if (e.w < 0) {
      if (o.negative === "error")
        throw dataError(
          `invalid data. \`weight\` must be nonnegative${where}; pass \`negative: "drop"\` or \`"keep"\` to allow it. Value: \`${e.w}\`.`,
          e.row,
          "weight",
        );
      if (o.negative === "drop") continue;
    }
    const a = directed ? e.s : Math.min(e.s, e.t);
    const b = directed ? e.t : Math.max(e.s, e.t);
    const key = a * n + b;
    const k = index.get(key);
    if (k === undefined) {
      index.set(key, src.length);
      src.push(a);
      tgt.push(b);
      w.push(e.w);
    } else if (o.duplicates === "error") {
      throw dataError(
        `invalid data. duplicate edge ${a} → ${b}${where}; pass \`duplicates: "sum"\`, \`"max"\` or \`"first"\` to allow it.`,
        e.row,
      );
    } else if (o.duplicates === "sum") w[k]! += e.w;
    else if (o.duplicates === "max") w[k] = Math.max(w[k]!, e.w);
  }
  return {
    n,
    directed,
    source: Int32Array.from(src),
    target: Int32Array.from(tgt),
    weight: Float64Array.from(w),
    ...(nodeIds ? { nodeIds } : {}),
  };
}

function parseCsv(text: string): { raw: RawEdge[]; maxId: number } {
  const raw: RawEdge[] = [];
  let maxId = -1;
  const lines = text.split(/\r?\n/);
  let first = true;
  for (let r = 0; r < lines.length; r++) {
    const line = lines[r]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split(/\s*[,\t]\s*/);
    if (first) {
      first = false;
      if (!/^[-+0-9.]/.test(f[0]!)) {
        const h = f.map((x) => x.toLowerCase());
        if (h[0] !== "source" || h[1] !== "target" || (h.length > 2 && h[2] !== "weight")) {
          throw new DgrnFormatError(
            `invalid format. CSV header must be \`source,target[,weight]\`. Value: \`${line.slice(0, 60)}\`.`,
            { row: r + 1 },
          );
        }
        continue;
      }
    }
    if (f.length < 2 || f.length > 3) {
      throw new DgrnFormatError(
        `invalid format. CSV row ${r + 1} must have 2 or 3 fields (source,target[,weight]). Value: \`${line.slice(0, 60)}\`.`,
        { row: r + 1 },
      );
    }
    const num = (x: string, field: string): number => {
      const v = x.trim() === "" ? NaN : Number(x);
      if (Number.isNaN(v) && !/^nan$/i.test(x.trim())) {
        throw new DgrnFormatError(`invalid format. CSV row ${r + 1}: \`${field}\` must be a number. Value: \`${x}\`.`, {
          row: r + 1,
          field,
        });
      }
      return v;
    };
    const s = num(f[0]!, "source");
    const t = num(f[1]!, "target");
    const w = f.length === 3 ? num(f[2]!, "weight") : 1;
    if (Number.isInteger(s)) maxId = Math.max(maxId, s);
    if (Number.isInteger(t)) maxId = Math.max(maxId, t);
    raw.push({ s, t, w, row: r + 1 });
  }
  return { raw, maxId };
}

/** A dense square NPY matrix as float64, through the SDK's one NPY reader (sdk/io/npy.ts: every dtype, both byte orders, C or Fortran order, size checked first). */
function parseNpy(b: Uint8Array): { rows: number; cols: number; data: Float64Array } {
  const h = parseNpyHeader(b);
  checkNpySize(h, b.length - h.dataOffset);
  if (h.shape.length !== 2 || h.shape[0] !== h.shape[1]) {
    throw new DgrnFormatError(
      `invalid format. NPY adjacency must be a square 2-D array. Value: \`(${h.shape.join(", ")})\`.`,
      { field: "shape" },
    );
  }
  const a = readNpyArray(b);
  return { rows: a.shape[0]!, cols: a.shape[1]!, data: a.toFloat64() };
}

/**
 * Read a graph from file content.
 *
 * @param source - the file's content: text (CSV, JSON) or bytes (any format). Node users read the file themselves (`readFileSync(path)`), so this function stays the same in every runtime.
 * @param options - {@link ReadGraphOptions}
 * @returns a {@link Graph}; JSON `nodes` become `nodeIds`
 * @throws {DgrnTypeError} `ERR_INVALID_TYPE` when `source` is not text or bytes
 * @throws {DgrnFormatError} `ERR_INVALID_FORMAT` for unparsable content; `ERR_INVALID_DATA` (with `row`) for a self-loop, duplicate edge, negative or non-finite weight or an id outside [0, n)
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` for an unknown option or value
 * @example
 * ```ts
 * const g = readGraph("source,target,weight\n0,1,0.5\n1,2,2\n");
 * g.n; // 3
 * ```
 */
export function readGraph(source: string | Uint8Array | ArrayBuffer, options?: ReadGraphOptions): Graph {
  const o = checkOptions<ReadGraphOptions>("options", options, [
    "format",
    "n",
    "directed",
    "selfLoops",
    "duplicates",
    "negative",
  ]);
  const src = toBytes(source);
  const format = o.format === undefined ? sniff(src) : checkOneOf("options.format", o.format, FORMATS);
  const nOpt = o.n === undefined ? undefined : checkInteger("options.n", o.n, { min: 0 });
  const dirOpt = o.directed === undefined ? undefined : checkBoolean("options.directed", o.directed);
  const policy = {
    selfLoops:
      o.selfLoops === undefined
        ? "error"
        : checkOneOf("options.selfLoops", o.selfLoops, ["error", "drop", "keep"] as const),
    duplicates:
      o.duplicates === undefined
        ? "error"
        : checkOneOf("options.duplicates", o.duplicates, ["error", "sum", "max", "first"] as const),
    negative:
      o.negative === undefined
        ? "error"
        : checkOneOf("options.negative", o.negative, ["error", "drop", "keep"] as const),
  } as const;
  if (format === "npy") {
    if (typeof src === "string")
      throw new DgrnTypeError(message("source", "bytes (a Uint8Array or ArrayBuffer) for NPY", "string"));
    const m = parseNpy(src);
    const n = m.rows;
    if (nOpt !== undefined && nOpt !== n)
      throw dataError(`invalid data. NPY matrix is ${n}×${n} but \`options.n\` is ${nOpt}.`);
    const directed = dirOpt ?? true;
    const raw: RawEdge[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = directed ? 0 : i; j < n; j++) {
        const v = m.data[i * n + j]!;
        if (!directed && v !== m.data[j * n + i]) {
          if (!(Number.isNaN(v) && Number.isNaN(m.data[j * n + i]!))) {
            throw dataError(
              `invalid data. an undirected NPY adjacency must be symmetric; A[${i},${j}] = ${v} but A[${j},${i}] = ${m.data[j * n + i]}.`,
            );
          }
        }
        if (v !== 0) raw.push({ s: i, t: j, w: v });
      }
    }
    return assemble(raw, n, directed, policy);
  }
  const text = typeof src === "string" ? src : new TextDecoder().decode(src);
  if (format === "json") {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new DgrnFormatError(`invalid format. JSON could not be parsed: ${(e as Error).message}.`, { cause: e });
    }
    const dup = duplicateJsonKey(text);
    if (dup)
      throw new DgrnFormatError(
        `invalid format. graph JSON has a duplicate key \`${dup.key}\` on line ${dup.row} (JSON would keep only its last value).`,
        { field: dup.key, row: dup.row },
      );
    const j = obj as { n?: unknown; edges?: unknown; directed?: unknown; nodes?: unknown };
    if (j === null || typeof j !== "object" || !Array.isArray(j.edges)) {
      throw new DgrnFormatError(
        "invalid format. graph JSON must be an object with `n` and `edges` ([[i, j, w], ...]).",
        { field: "edges" },
      );
    }
    if (typeof j.n !== "number" || !Number.isInteger(j.n) || j.n < 0) {
      throw new DgrnFormatError(
        `invalid format. graph JSON \`n\` must be a nonnegative integer. Value: \`${String(j.n)}\`.`,
        { field: "n" },
      );
    }
    if (j.directed !== undefined && typeof j.directed !== "boolean") {
      throw new DgrnFormatError(
        `invalid format. graph JSON \`directed\` must be a boolean. Value: \`${String(j.directed)}\`.`,
        { field: "directed" },
      );
    }
    const n = nOpt ?? j.n;
    checkCount(nOpt === undefined ? "n" : "options.n", n, LIMITS.nodes, "the number of nodes", n); // before sizing anything by n
    const raw: RawEdge[] = (j.edges as unknown[]).map((e, k) => {
      if (!Array.isArray(e) || e.length < 2 || e.length > 3 || e.some((x) => typeof x !== "number" && x !== null)) {
        throw new DgrnFormatError(`invalid format. graph JSON edges[${k}] must be [i, j] or [i, j, w] numbers.`, {
          row: k + 1,
          field: "edges",
        });
      }
      return { s: e[0] as number, t: e[1] as number, w: e.length === 3 ? ((e[2] ?? NaN) as number) : 1, row: k + 1 };
    });
    let nodeIds: Int32Array | undefined;
    if (Array.isArray(j.nodes)) {
      if (j.nodes.length !== n || j.nodes.some((x) => !Number.isInteger(x))) {
        throw new DgrnFormatError(`invalid format. graph JSON \`nodes\` must be ${n} integer ids.`, { field: "nodes" });
      }
      nodeIds = Int32Array.from(j.nodes as number[]);
    }
    return assemble(raw, n, dirOpt ?? (j.directed as boolean | undefined) ?? true, policy, nodeIds);
  }
  const { raw, maxId } = parseCsv(text);
  return assemble(raw, nOpt ?? maxId + 1, dirOpt ?? true, policy);
}

/**
 * The JSON form of a graph, ready for `JSON.stringify`: `{ n, directed, nodes,
 * edges: [[i, j, w], …], …extra }`. `extra` keys (communities, order, options…)
 * are copied after the graph's own; typed arrays in `extra` become plain arrays.
 *
 * @param graph - a {@link Graph}
 * @param extra - more top-level fields (must not be `n`, `directed`, `nodes` or `edges`)
 * @returns a plain object; `readGraph(JSON.stringify(result))` gives the graph back
 * @throws {DgrnTypeError} / {DgrnRangeError} for an invalid graph
 * @example
 * ```ts
 * JSON.stringify(graphToJSON(g, { modularity: 0.4 }));
 * ```
 */
export function graphToJSON(graph: Graph, extra?: Record<string, unknown>): GraphJSON {
  const g = checkGraph("graph", graph);
  if (extra !== undefined && (extra === null || typeof extra !== "object" || Array.isArray(extra))) {
    throw new DgrnTypeError(message("extra", "an object", extra));
  }
  const edges: [number, number, number][] = new Array(g.source.length);
  for (let e = 0; e < g.source.length; e++) edges[e] = [g.source[e]!, g.target[e]!, g.weight[e]!];
  const nodes = g.nodeIds ? Array.from(g.nodeIds) : Array.from({ length: g.n }, (_, i) => i);
  const out: GraphJSON = { n: g.n, directed: g.directed, nodes, edges };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (k === "n" || k === "directed" || k === "nodes" || k === "edges") {
      throw new DgrnTypeError(message(`extra.${k}`, "absent (it is a graph field)", v));
    }
    out[k] = ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
  }
  return out;
}
