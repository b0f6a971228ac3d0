/**
 * The headline metrics of one job, read defensively from results.json: a
 * field that a stage did not write (no ground truth, no held-out split, an
 * older results file) is simply absent, and becomes an empty cell.
 *
 * @module
 */

/** Metric name → value (numbers, or a string such as the RG node counts). */
export type Headline = Record<string, number | string>;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null);
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Every finite number under `v` whose key matches `re` (depth-limited), by dotted path. */
function findNumbers(v: unknown, re: RegExp, path: string, depth: number, out: Headline): void {
  if (depth < 0) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (obj(x)) findNumbers(x, re, `${path}[${i}]`, depth - 1, out);
    });
    return;
  }
  const o = obj(v);
  if (!o) return;
  for (const [k, x] of Object.entries(o)) {
    const p = path ? `${path}.${k}` : k;
    if (finite(x) && re.test(k)) out[p] = x;
    else if (x && typeof x === "object") findNumbers(x, re, p, depth - 1, out);
  }
}

/**
 * The headline metrics of a results.json: scores against ground truth (ARI,
 * AUROCs, NMI, when the data came from the simulator), community count, the
 * RG flow's node counts, held-out NLLs (any `…nll…` field), σ and decoding
 * accuracy per scale.
 *
 * @param results - a parsed results.json (any version; missing fields are skipped)
 * @returns metric name → value; names: `ari`, `auroc`, `nmi` (and any other score), `nObserved`, `nCommunities`,
 *   `modularity`, `rgNodes` ("n0>n1>…"), `rgSteps`, `rgFinal`, `<path>` for each NLL, `sigma[k]`, `decoding[k]`
 * @example
 * ```ts
 * headline(JSON.parse(readFileSync("out/results.json", "utf8"))).ari; // 1 for the default run
 * ```
 */
export function headline(results: unknown): Headline {
  const r = obj(results) ?? {};
  const out: Headline = {};
  const graph = obj(r["graph"]);
  const scores = obj(graph?.["scores"]);
  if (scores) {
    for (const k of ["ari", "auroc", "nmi"]) if (finite(scores[k])) out[k] = scores[k];
    for (const [k, v] of Object.entries(scores)) if (!(k in out) && finite(v)) out[k] = v;
  }
  const data = obj(r["data"]);
  if (finite(data?.["nObserved"])) out["nObserved"] = data["nObserved"];
  if (finite(graph?.["nCommunities"])) out["nCommunities"] = graph["nCommunities"];
  if (finite(graph?.["modularity"])) out["modularity"] = graph["modularity"];
  const lrg = obj(r["lrg"]);
  const flow = Array.isArray(lrg?.["flow"]) ? (lrg["flow"] as unknown[]) : null;
  if (flow) {
    const ns = flow.map((s) => obj(s)?.["n"]).filter(finite);
    const n0 = finite(graph?.["n"]) ? [graph["n"]] : [];
    out["rgNodes"] = [...n0, ...ns].join(">");
    out["rgSteps"] = ns.length;
    if (ns.length) out["rgFinal"] = ns[ns.length - 1]!;
  }
  findNumbers(r["tn"], /nll/i, "tn", 4, out);
  for (const [k, v] of Object.entries(r)) if (k !== "tn" && k !== "graph" && obj(v)) findNumbers(v, /nll/i, k, 3, out);
  const dyn = obj(r["dynamics"]);
  const scales = Array.isArray(dyn?.["scales"]) ? (dyn["scales"] as unknown[]) : [];
  scales.forEach((s, i) => {
    const o = obj(s);
    const step = finite(o?.["step"]) ? o["step"] : i;
    if (finite(o?.["sigma"])) out[`sigma[${step}]`] = o["sigma"];
  });
  scales.forEach((s, i) => {
    const o = obj(s);
    const step = finite(o?.["step"]) ? o["step"] : i;
    if (finite(o?.["decodingAccuracy"])) out[`decoding[${step}]`] = o["decodingAccuracy"];
  });
  return out;
}
