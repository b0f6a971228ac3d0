/**
 * JSON reader:
 * `{ "spikeTimes": [[t, …], …], "duration": d, "unit": "s" | "ms", "neuronIds"?: [...] }`
 * (one array of spike times per neuron) or
 * `{ "binned": [[c, …], …], "binSize": b, "neuronIds"?: [...] }` (rows = time bins).
 *
 * @module
 */
import { ErrorCode } from "../errors.js";
import { show } from "../validate.js";
import type { SpikeData } from "../types.js";
import { BinnedBuilder, EventsBuilder, checkDistinctIds, formatError } from "./events.js";
import { DEFAULT_BIN_SIZE, provenanceParams, type CheckedReadOptions } from "./options.js";

/** A value for a message: strings as they are, anything else through show() (bounded; never recurses into nested arrays). */
const str = (v: unknown): string => (typeof v === "string" ? v : show(v));

const KNOWN = ["spikeTimes", "binned", "duration", "unit", "binSize", "neuronIds", "provenance", "kind"];

function ids(v: unknown, n: number): Int32Array | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw formatError({ field: "neuronIds" }, "not an array", typeof v);
  if (v.length !== n)
    throw formatError(
      { field: "neuronIds" },
      `has ${v.length} entries for ${n} neurons`,
      v.length,
      ErrorCode.INVALID_DATA,
    );
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31)
      throw formatError({ field: `neuronIds[${i}]` }, "not a 32-bit integer", x, ErrorCode.INVALID_DATA);
    out[i] = x;
  }
  checkDistinctIds(out, "neuronIds");
  return out;
}

/**
 * The first key that appears twice in one object of a well-formed JSON text,
 * with its 1-based line, or null. `JSON.parse` keeps the last value of a
 * duplicate silently; a recording or graph file with one is ambiguous, so
 * the readers refuse it. One linear pass over the text.
 *
 * @param text - JSON text that `JSON.parse` accepts
 * @returns the duplicated key and its line, or null
 * @example
 * ```ts
 * duplicateJsonKey('{"a": 1, "b": {"c": 2, "c": 3}}'); // { key: "c", row: 1 }
 * ```
 */
export function duplicateJsonKey(text: string): { key: string; row: number } | null {
  const stack: (Set<string> | null)[] = []; // a Set per open object, null per open array
  let expectKey = false;
  let row = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) row++;
    else if (c === 34) {
      const start = i + 1;
      i++;
      while (text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && expectKey) {
        const raw = text.slice(start, i);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.has(key)) return { key, row };
        top.add(key);
        expectKey = false;
      }
    } else if (c === 123) (stack.push(new Set()), (expectKey = true));
    else if (c === 91) (stack.push(null), (expectKey = false));
    else if (c === 125 || c === 93) (stack.pop(), (expectKey = false));
    else if (c === 44) expectKey = stack[stack.length - 1] instanceof Set;
  }
  return null;
}

/** Parse JSON bytes. */
export function readJsonBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") throw formatError({ row: 1 }, "an empty file");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const row = pos ? text.slice(0, Number(pos[1])).split("\n").length : undefined;
    throw formatError(row !== undefined ? { row } : { field: "(document)" }, `JSON syntax: ${(e as Error).message}`);
  }
  const dup = duplicateJsonKey(text);
  if (dup)
    throw formatError(
      { row: dup.row, field: dup.key },
      `a duplicate key \`${dup.key}\` (JSON would keep only its last value)`,
    );
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw formatError(
      { field: "(document)" },
      "the top level must be an object with `spikeTimes` or `binned`",
      Array.isArray(doc) ? "array" : typeof doc,
    );
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!KNOWN.includes(k))
      throw formatError({ field: k }, `an unknown field (expected ${KNOWN.slice(0, 6).join(", ")})`);
  const has = (k: string): boolean => d[k] !== undefined;
  if (has("spikeTimes") === has("binned"))
    throw formatError({ field: "spikeTimes" }, "exactly one of `spikeTimes` and `binned` must be present");
  const params = provenanceParams(o);
  if (has("spikeTimes")) {
    const st = d["spikeTimes"];
    if (!Array.isArray(st)) throw formatError({ field: "spikeTimes" }, "not an array of arrays");
    const unit = d["unit"] ?? "s";
    if (unit !== "s" && unit !== "ms") throw formatError({ field: "unit" }, 'must be "s" or "ms"', str(unit));
    let duration: number | undefined = o.duration;
    if (duration === undefined && has("duration")) {
      const v = d["duration"];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
        throw formatError({ field: "duration" }, "must be a finite number ≥ 0", str(v), ErrorCode.INVALID_DATA);
      duration = unit === "ms" ? v / 1000 : v;
    }
    if (o.nNeurons !== undefined && o.nNeurons !== st.length)
      throw formatError(
        { field: "spikeTimes" },
        `has ${st.length} neurons but \`nNeurons\` is ${o.nNeurons}`,
        st.length,
        ErrorCode.INVALID_DATA,
      );
    const ev = new EventsBuilder(st.length, unit === "ms" ? 1000 : 1);
    for (let i = 0; i < st.length; i++) {
      const row = st[i];
      if (!Array.isArray(row)) throw formatError({ field: `spikeTimes[${i}]` }, "not an array of times", typeof row);
      for (let q = 0; q < row.length; q++) {
        const t = row[q];
        if (typeof t !== "number")
          throw formatError(
            { field: `spikeTimes[${i}][${q}]` },
            "not a number",
            t === null ? "null (NaN or Infinity written as null?)" : str(t),
            ErrorCode.INVALID_DATA,
          );
        ev.add(i, t, { field: `spikeTimes[${i}][${q}]` });
      }
    }
    return ev.finish({
      duration,
      neuronIds: ids(d["neuronIds"], st.length),
      provenance: { source: "json", name, params: { ...params, unit } },
      emptyWhere: { field: "spikeTimes" },
    });
  }
  const rows = d["binned"];
  if (!Array.isArray(rows)) throw formatError({ field: "binned" }, "not an array of rows");
  let binSize = o.binSize;
  if (binSize === undefined && has("binSize")) {
    const v = d["binSize"];
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
      throw formatError({ field: "binSize" }, "must be a finite number > 0", str(v), ErrorCode.INVALID_DATA);
    binSize = v;
  }
  if (binSize === undefined) {
    binSize = DEFAULT_BIN_SIZE;
    params["binSize"] = DEFAULT_BIN_SIZE;
  }
  const b = new BinnedBuilder();
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t];
    if (!Array.isArray(r)) throw formatError({ field: `binned[${t}]` }, "not an array of counts", typeof r);
    if (b.width >= 0 && r.length !== b.width)
      throw formatError(
        { field: `binned[${t}]` },
        `a ragged row: ${r.length} columns where the first row has ${b.width}`,
        r.length,
      );
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      if (typeof v !== "number" && typeof v !== "boolean")
        throw formatError(
          { field: `binned[${t}][${i}]` },
          "not a number",
          v === null ? "null" : str(v),
          ErrorCode.INVALID_DATA,
        );
    }
    b.addRow(
      r.map((v: number | boolean) => +v),
      (i) => ({ field: `binned[${t}][${i}]` }),
    );
  }
  const width = b.width;
  return b.finish({
    binSize,
    provenance: { source: "json", name, params },
    neuronIds: width > 0 ? ids(d["neuronIds"], width) : undefined,
    emptyWhere: { field: "binned" },
  });
}
